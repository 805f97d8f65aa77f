"""Where a member editor's page explorer opens: its own section, in the language being browsed.

Wagtail starts the explorer (sidebar menu, /admin/pages/, breadcrumbs, dashboard summary) at the
"explorable root": the closest common ancestor of the pages a user has direct permissions on.
A member editor's section is its three pages in *both* language trees (members/onboarding.py),
and the French and English home pages only meet at the tree's root, so Wagtail opened on the
root and showed both home pages.

Here the explorable root of a user whose pages span several locale trees (and who has no
permission on the root itself, unlike the park's staff and superusers) is computed from the
pages in the locale being browsed only: the locale of the page in the URL (exploring or editing
an English page), else of ``?locale=``, else the admin's active language. The other language
stays one click away through Wagtail's own locale switcher, which links to the translation.
"""

from contextvars import ContextVar

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from wagtail.admin.site_summary import PagesSummaryItem
from wagtail.models import Locale, Page
from wagtail.permission_policies.pages import PagePermissionPolicy

_browsed_locale_id = ContextVar("browsed_locale_id", default=None)

PAGE_ID_KWARGS = ("parent_page_id", "page_id")


def browsed_locale_id():
    locale_id = _browsed_locale_id.get()
    if locale_id is not None:
        return locale_id
    try:
        return Locale.get_active().pk
    except Locale.DoesNotExist:
        return None


class SectionPagePermissionPolicy(PagePermissionPolicy):
    def explorable_root_instance(self, user):
        cache_name = self._explorable_root_instance_cache_name
        if hasattr(user, cache_name):
            return getattr(user, cache_name)
        pages = self.instances_with_direct_explore_permission(user)
        if not user.is_superuser:
            pages = section_pages_in_browsed_locale(pages)
        try:
            root_page = self.model.base_page_model.objects.first_common_ancestor_of(
                pages, include_self=True, strict=True
            )
        except self.model.base_page_model.DoesNotExist:
            root_page = None
        setattr(user, cache_name, root_page)
        return root_page


def section_pages_in_browsed_locale(pages):
    """The pages of the browsed locale, when ``pages`` lie in several locale trees."""
    pages = list(pages)
    if any(page.depth == 1 for page in pages) or len({page.locale_id for page in pages}) < 2:
        return pages
    locale_id = browsed_locale_id()
    in_locale = [page for page in pages if page.locale_id == locale_id]
    return in_locale or pages


class ExplorerLocaleMiddleware:
    """Remember, for this request, the locale of the admin page being explored or edited."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _browsed_locale_id.set(None)
        try:
            return self.get_response(request)
        finally:
            _browsed_locale_id.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        try:
            admin_prefix = reverse("wagtailadmin_home")
        except NoReverseMatch:  # a URLconf without the admin (some tests)
            return None
        if not request.path_info.startswith(admin_prefix):
            return None
        locale_id = None
        for name in PAGE_ID_KWARGS:
            value = view_kwargs.get(name)
            if value is not None:
                locale_id = (
                    Page.objects.filter(pk=value).values_list("locale_id", flat=True).first()
                )
                break
        if locale_id is None and request.GET.get("locale"):
            locale_id = (
                Locale.objects.filter(language_code=request.GET["locale"])
                .values_list("pk", flat=True)
                .first()
            )
        if locale_id is not None:
            _browsed_locale_id.set(locale_id)
        return None


def section_roots(user):
    """The pages a member editor has direct permissions on (both languages), or None for users
    whose rights start at the tree's root (superusers, the park's staff)."""
    if user.is_superuser:
        return None
    policy = SectionPagePermissionPolicy(Page)
    pages = list(policy.instances_with_direct_explore_permission(user))
    if not pages or any(page.depth == 1 for page in pages):
        return None
    return pages


class SectionPagesSummaryItem(PagesSummaryItem):
    """The dashboard's page count, limited to the member editor's own section."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        roots = section_roots(self.request.user)
        if roots:
            query = Q(pk__in=[])
            for page in roots:
                query |= Q(path__startswith=page.path)
            context["total_pages"] = Page.objects.filter(query).count()
        return context
