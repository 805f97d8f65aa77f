"""Dashboard panels: the moderation queue for the park's staff, and for member editors their
drafts, what was sent back to them, and how fresh their directory entry is."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from wagtail.admin.ui.components import Component
from wagtail.models import Page, TaskState, WorkflowState

from .freshness import entry_is_stale, entry_last_published
from .models import Organisation
from .onboarding import section_pages
from .roles import is_park_staff


def page_states(status):
    """Workflow states of pages with this status (in_progress, needs_changes)."""
    return WorkflowState.objects.filter(
        status=status, base_content_type=ContentType.objects.get_for_model(Page)
    )


def section_q(organisation):
    query = Q(pk__in=[])
    for page in section_pages(organisation):
        query |= Q(path__startswith=page.path)
    return query


def organisation_of(page, sections):
    for organisation, paths in sections:
        if any(page.path.startswith(path) for path in paths):
            return organisation
    return None


class ModerationQueuePanel(Component):
    name = "members_moderation_queue"
    order = 90
    template_name = "members/dashboard/moderation_queue.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        ids = [int(pk) for pk in page_states("in_progress").values_list("object_id", flat=True)]
        pages = list(
            Page.objects.filter(pk__in=ids)
            .select_related("locale")
            .order_by("-latest_revision_created_at")
        )
        organisations = list(
            Organisation.objects.select_related("actor_page", "news_page", "events_page")
        )
        sections = [(org, [page.path for page in section_pages(org)]) for org in organisations]
        counts = {}
        for page in pages:
            org = organisation_of(page, sections)
            key = org.name if org else None
            counts[key] = counts.get(key, 0) + 1
        rows = sorted(((name, n) for name, n in counts.items() if name), key=lambda r: r[0])
        return {
            "pages": pages[:20],
            "total": len(pages),
            "rows": rows,
            "other": counts.get(None, 0),
        }


class EditorPanel(Component):
    name = "members_editor"
    order = 80
    template_name = "members/dashboard/editor.html"

    def __init__(self, request, organisations=None):
        self.request = request
        self.organisations = organisations

    def get_context_data(self, parent_context=None):
        blocks = []
        for organisation in self.organisations:
            in_section = Page.objects.filter(section_q(organisation))
            states = {
                status: [int(pk) for pk in page_states(status).values_list("object_id", flat=True)]
                for status in ("in_progress", "needs_changes")
            }
            drafts = (
                in_section.filter(Q(live=False) | Q(has_unpublished_changes=True))
                .exclude(pk__in=states["in_progress"] + states["needs_changes"])
                .exclude(alias_of__isnull=False)
                .select_related("locale")
                .order_by("-latest_revision_created_at")[:10]
            )
            sent_back = list(
                in_section.filter(pk__in=states["needs_changes"]).select_related("locale")[:10]
            )
            comments = {}
            for task_state in (
                TaskState.objects.filter(
                    status=TaskState.STATUS_REJECTED,
                    workflow_state__object_id__in=[str(page.pk) for page in sent_back],
                    workflow_state__status=WorkflowState.STATUS_NEEDS_CHANGES,
                )
                .select_related("workflow_state", "finished_by")
                .order_by("finished_at")
            ):
                comments[int(task_state.workflow_state.object_id)] = task_state
            blocks.append(
                {
                    "organisation": organisation,
                    "drafts": list(drafts),
                    "sent_back": [(page, comments.get(page.pk)) for page in sent_back],
                    "entry_published": entry_last_published(organisation),
                    "entry_stale": entry_is_stale(organisation),
                }
            )
        return {"blocks": blocks}


def panels_for(request):
    user = request.user
    panels = []
    if is_park_staff(user) or user.is_superuser:
        panels.append(ModerationQueuePanel(request))
    organisations = list(
        Organisation.objects.filter(group__in=user.groups.all(), is_active=True).select_related(
            "actor_page", "news_page", "events_page"
        )
    )
    if organisations:
        from .translation_report import TranslationStatusPanel

        panels.append(EditorPanel(request, organisations))
        panels.append(TranslationStatusPanel(request, organisations))
    return panels
