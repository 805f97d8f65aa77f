"""Onboarding a member organisation in one step, and offboarding it. Both are idempotent.

``onboard()`` creates (or repairs) everything an organisation needs to publish under moderation:

- its editors' group "‹Organisation› · rédaction", with access to the admin;
- its section, three pages in the French tree: its directory entry /annuaire/<slug>/ (an
  existing ActorPage with that slug is reused; otherwise a draft stub is created for the
  organisation to fill in), its news folder /actualites/<slug>/ and its events folder
  /agenda/<slug>/ (both published: they are empty containers named after the organisation);
- the same three pages in the English tree: an existing translation is reused, otherwise a
  **live alias** of the French page is created (an alias of a draft stays a draft). Folder
  titles are the organisation's name, the same in both languages; an alias follows its French
  page until the park's staff translate it with wagtail-localize;
- add, change, lock and unlock permissions on those six pages (and so on everything below them),
  never publish;
- its own media collection, where the group may add, change and choose images and documents;
  it has no permission on any other collection;
- its place in the "Modération du Parc" workflow, which is assigned to the section index pages
  (/annuaire/, /actualites/, /agenda/ in both languages) and so covers the section.

``offboard()`` removes the group's permissions (pages, collection, admin access) and marks the
organisation inactive; pages, images, documents, the group and its members stay.
"""

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Locale

from . import roles
from .models import Organisation


def get_organisation(name_or_obj):
    if isinstance(name_or_obj, Organisation):
        return name_or_obj
    name = str(name_or_obj).strip()
    if not name:
        raise ValueError("Le nom de l'organisation est vide.")
    organisation = Organisation.objects.filter(name__iexact=name).first()
    if organisation is None:
        organisation = Organisation.objects.create(name=name, slug=slugify(name)[:100])
    return organisation


def section_pages(organisation):
    """The organisation's section: its three French pages and their translations (any locale)."""
    pages = []
    for page in (organisation.actor_page, organisation.news_page, organisation.events_page):
        if page is not None:
            pages.extend(page.get_translations(inclusive=True).order_by("locale_id"))
    return pages


@transaction.atomic
def onboard(name_or_obj):
    organisation = get_organisation(name_or_obj)
    roles.ensure_roles()

    group = (
        organisation.group
        or Group.objects.filter(name=roles.editor_group_name(organisation.name)).first()
    )
    if group is None:
        group = Group.objects.create(name=roles.editor_group_name(organisation.name))
    roles.set_model_permissions(group, roles.MEMBER_MODEL_PERMISSIONS)

    organisation.group = group
    organisation.collection = ensure_collection(organisation)
    organisation.actor_page = ensure_actor_page(organisation)
    organisation.news_page = ensure_folder(organisation, "news")
    organisation.events_page = ensure_folder(organisation, "events")
    organisation.is_active = True
    organisation.save()

    for page in section_pages(organisation):
        roles.grant_page_permissions(group, page, roles.MEMBER_PAGE_PERMISSIONS)
    roles.grant_collection_permissions(
        group, organisation.collection, roles.MEMBER_COLLECTION_PERMISSIONS
    )
    return organisation


@transaction.atomic
def offboard(name_or_obj):
    organisation = get_organisation(name_or_obj)
    group = organisation.group
    if group is not None:
        GroupPagePermission.objects.filter(group=group).delete()
        GroupCollectionPermission.objects.filter(group=group).delete()
        group.permissions.clear()
    organisation.is_active = False
    organisation.save(update_fields=["is_active"])
    return organisation


def ensure_collection(organisation):
    if organisation.collection_id:
        return organisation.collection
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=organisation.name).first()
    if existing is not None:
        return existing
    return root.add_child(name=organisation.name)


def _index(model, locale):
    index = model.objects.filter(locale=locale).first()
    if index is None:
        raise RuntimeError(
            f"Section {model._meta.verbose_name} absente : chargez d'abord la structure du site."
        )
    return index


def ensure_actor_page(organisation):
    from directory.models import ActorKind, ActorPage
    from directory.pages import DirectoryIndexPage

    fr = Locale.objects.get(language_code="fr")
    page = organisation.actor_page
    if page is None:
        index = _index(DirectoryIndexPage, fr)
        page = ActorPage.objects.child_of(index).filter(slug=organisation.slug).first()
    if page is None:
        index = _index(DirectoryIndexPage, fr)
        kind = ActorKind.objects.filter(locale=fr).first()
        if kind is None:
            kind, _ = ActorKind.objects.get_or_create(
                slug="association", locale=fr, defaults={"name": "Association"}
            )
        page = ActorPage(
            title=organisation.name,
            kind=kind,
            slug=organisation.slug,
            summary=f"Fiche de {organisation.name}, à compléter par sa rédaction.",
            is_member=True,
            live=False,
        )
        index.add_child(instance=page)
        page.save_revision()
    ensure_other_languages(page)
    return page


def ensure_folder(organisation, section):
    if section == "news":
        from news.models import NewsIndexPage as Index
        from news.models import OrganisationNewsPage as Folder

        current = organisation.news_page
    else:
        from events.models import EventIndexPage as Index
        from events.models import OrganisationEventsPage as Folder

        current = organisation.events_page
    page = current
    if page is None:
        index = _index(Index, Locale.objects.get(language_code="fr"))
        page = Folder.objects.child_of(index).filter(slug=organisation.slug).first()
    if page is None:
        page = Folder(title=organisation.name, slug=organisation.slug)
        index.add_child(instance=page)
        page.save_revision().publish()
    ensure_other_languages(page)
    return page


def ensure_other_languages(page):
    """Give ``page`` a counterpart in every other locale: the existing one, or a live alias."""
    for locale in Locale.objects.exclude(pk=page.locale_id):
        if page.get_translation_or_none(locale) is None:
            page.copy_for_translation(locale, copy_parents=False, alias=True)
