"""Admin reports: what visitors searched for most, and what they did not find."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.auth import permission_denied
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn
from wagtail.admin.views.reports import ReportView
from wagtail.contrib.search_promotions.views.reports import SearchTermsReportView

from .models import ZeroResultQuery

PERMISSION = "site_search.view_zeroresultquery"


class ZeroResultQueriesReportView(ReportView):
    page_title = _("Recherches sans résultat")
    header_icon = "search"
    is_searchable = True
    search_fields = ["query_string"]
    default_ordering = "-hits"
    index_url_name = "zero_result_queries"
    index_results_url_name = "zero_result_queries_results"
    columns = [
        Column("query_string", label=_("Recherche"), sort_key="query_string"),
        Column("language", label=_("Langue")),
        NumberColumn("hits", label=_("Nombre de fois"), sort_key="hits"),
        DateColumn("last_seen", label=_("Dernière fois"), sort_key="last_seen"),
    ]
    list_export = ["query_string", "language", "hits", "last_seen"]

    def get_queryset(self):
        return ZeroResultQuery.objects.order_by("-hits", "query_string")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)


class PopularQueriesReportView(SearchTermsReportView):
    """Wagtail's "search terms" report (most frequent queries), opened to the park's staff:
    Wagtail's own is for superusers only."""

    page_title = _("Recherches fréquentes")
    index_url_name = "popular_queries"
    index_results_url_name = "popular_queries_results"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            return permission_denied(request)
        return ReportView.dispatch(self, request, *args, **kwargs)
