from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import PERMISSION, PopularQueriesReportView, ZeroResultQueriesReportView


@hooks.register("register_admin_urls")
def register_zero_result_report_urls():
    return [
        path(
            "reports/recherches-sans-resultat/",
            ZeroResultQueriesReportView.as_view(),
            name="zero_result_queries",
        ),
        path(
            "reports/recherches-sans-resultat/results/",
            ZeroResultQueriesReportView.as_view(results_only=True),
            name="zero_result_queries_results",
        ),
        path(
            "reports/recherches-frequentes/",
            PopularQueriesReportView.as_view(),
            name="popular_queries",
        ),
        path(
            "reports/recherches-frequentes/results/",
            PopularQueriesReportView.as_view(results_only=True),
            name="popular_queries_results",
        ),
    ]


class PermissionMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_reports_menu_item")
def register_zero_result_report_menu_item():
    return PermissionMenuItem(
        _("Recherches sans résultat"),
        reverse("zero_result_queries"),
        icon_name="search",
        order=1310,
    )


@hooks.register("register_reports_menu_item")
def register_popular_queries_report_menu_item():
    return PermissionMenuItem(
        _("Recherches fréquentes"), reverse("popular_queries"), icon_name="search", order=1305
    )
