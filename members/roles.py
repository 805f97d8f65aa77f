"""Roles, as groups created by code. Every function here is idempotent.

- visitor: no account; sees live pages only.
- member editor: one group per organisation ("‹Organisation› · rédaction"), built by
  members.onboarding: add and change on its own section (both language trees), never publish;
  translates its section's pages (members/translation_access.py checks that page by page,
  without the global ``submit_translation`` permission) and submits them to moderation.
- "Équipe du Parc": the moderators. Add, change, publish (so unpublish), lock and unlock on the
  whole tree; approves or rejects in the "Modération du Parc" workflow; edits site settings,
  menus, themes and sectors, the directory's vocabularies and communes; manages every media
  collection; views form submissions, public contributions (who proposed an entry), event
  registrations and newsletter subscribers and digests; starts translations (wagtail-localize) and onboards
  member organisations.
- administrators: superusers (``createsuperuser``); no group.

Wagtail's default "Editors" and "Moderators" groups are deleted by members/migrations/0003.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

PARK_GROUP = "Équipe du Parc"
WORKFLOW_NAME = "Modération du Parc"
TASK_NAME = "Relecture par l'équipe du Parc"
EDITOR_GROUP_SUFFIX = " · rédaction"

# Page actions (GroupPagePermission codenames)
PARK_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
MEMBER_PAGE_PERMISSIONS = ["add_page", "change_page", "lock_page", "unlock_page"]

# Media actions (GroupCollectionPermission codenames)
PARK_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtailimages", "delete_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtaildocs", "delete_document"),
]
MEMBER_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]

# Model permissions (app_label, codename)
ADMIN_ACCESS = ("wagtailadmin", "access_admin")
PARK_MODEL_PERMISSIONS = [
    ADMIN_ACCESS,
    ("core", "change_sitesettings"),
    *[
        (app, f"{action}_{model}")
        for app, model in [
            ("core", "menu"),
            ("taxonomy", "theme"),
            ("taxonomy", "sector"),
            ("directory", "actorkind"),
            ("directory", "placekind"),
            ("directory", "service"),
        ]
        for action in ("add", "change", "delete", "view")
    ],
    ("directory", "change_commune"),
    ("directory", "view_commune"),
    ("wagtailforms", "view_formsubmission"),
    # Who proposed an entry (to answer the contributor while moderating) and who signed up for
    # an event: read only.
    ("directory", "view_contribution"),
    ("events", "view_registration"),
    # Newsletter: subscriber counts, past digests, preview of the next one (read only).
    ("subscriptions", "view_subscriber"),
    ("subscriptions", "view_digest"),
    ("wagtail_localize", "submit_translation"),
    ("members", "add_organisation"),
    ("members", "change_organisation"),
    ("members", "view_organisation"),
]
MEMBER_MODEL_PERMISSIONS = [ADMIN_ACCESS]


def permission(app_label, codename):
    found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    if found is None:
        raise Permission.DoesNotExist(f"{app_label}.{codename}")
    return found


def page_permission(codename):
    return permission("wagtailcore", codename)


def grant_page_permissions(group, page, codenames):
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=page_permission(codename)
        )


def grant_collection_permissions(group, collection, perms):
    for app_label, codename in perms:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=permission(app_label, codename)
        )


def set_model_permissions(group, perms):
    group.permissions.add(*[permission(app_label, codename) for app_label, codename in perms])


def is_park_staff(user):
    return user.is_active and user.groups.filter(name=PARK_GROUP).exists()


@transaction.atomic
def ensure_park_group():
    group, _ = Group.objects.get_or_create(name=PARK_GROUP)
    set_model_permissions(group, PARK_MODEL_PERMISSIONS)
    grant_page_permissions(group, Page.get_first_root_node(), PARK_PAGE_PERMISSIONS)
    grant_collection_permissions(
        group, Collection.get_first_root_node(), PARK_COLLECTION_PERMISSIONS
    )
    return group


@transaction.atomic
def ensure_workflow():
    """The "Modération du Parc" workflow with one group approval by Équipe du Parc.

    It is assigned to the three section index pages that hold member content (/annuaire/,
    /actualites/, /agenda/) in every language, so that it covers every member section, and
    also what is filed directly under those sections (public contributions to the directory).
    """
    park = ensure_park_group()
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.add(park)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for page in section_index_pages():
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    return workflow


def section_index_pages():
    """The section index pages under which member organisations write, in every language."""
    from directory.pages import DirectoryIndexPage
    from events.models import EventIndexPage
    from news.models import NewsIndexPage

    pages = []
    for model in (DirectoryIndexPage, NewsIndexPage, EventIndexPage):
        pages.extend(Page.objects.type(model).order_by("path"))
    return pages


def ensure_roles():
    """Create or repair every role and the workflow. Safe to call any number of times."""
    ensure_park_group()
    return ensure_workflow()


def editor_group_name(organisation_name):
    return f"{organisation_name}{EDITOR_GROUP_SUFFIX}"
