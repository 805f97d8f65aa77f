"""Statistics in the admin: each organisation's figures on its dashboard, the park's report."""

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .counting import organisation_table, park_totals, top_pages


def sees_park_figures(user):
    from members.roles import is_park_staff

    return user.is_superuser or is_park_staff(user)


class OrganisationStatsPanel(Component):
    name = "stats_organisation"
    order = 85
    template_name = "stats/organisation_panel.html"

    def __init__(self, organisations):
        self.organisations = organisations

    def get_context_data(self, parent_context=None):
        return {
            "blocks": [
                {"organisation": org, "rows": organisation_table(org)} for org in self.organisations
            ]
        }


@hooks.register("construct_homepage_panels")
def add_stats_panel(request, panels):
    from members.models import Organisation

    organisations = list(
        Organisation.objects.filter(
            group__in=request.user.groups.all(), is_active=True
        ).select_related("actor_page", "news_page", "events_page")
    )
    if organisations:
        panels.append(OrganisationStatsPanel(organisations))


class ParkStatsView(WagtailAdminTemplateMixin, TemplateView):
    page_title = _("Statistiques de consultation")
    header_icon = "view"
    template_name = "stats/park_report.html"

    def dispatch(self, request, *args, **kwargs):
        if not sees_park_figures(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totals"] = park_totals()
        context["top_pages"] = top_pages()
        return context


@hooks.register("register_admin_urls")
def register_stats_urls():
    return [path("reports/statistiques/", ParkStatsView.as_view(), name="stats_park_report")]


class ParkStatsMenuItem(MenuItem):
    def is_shown(self, request):
        return sees_park_figures(request.user)


@hooks.register("register_reports_menu_item")
def register_stats_menu_item():
    return ParkStatsMenuItem(
        _("Statistiques de consultation"),
        reverse("stats_park_report"),
        name="stats-park-report",
        icon_name="view",
        order=1160,
    )
