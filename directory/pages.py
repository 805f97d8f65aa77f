"""The directory's section page (/annuaire/): its list, filters and map, and its routes.

It sits above the rest of the app: it imports the models, the listing (views.py), the exports and
the contribution form, and none of them imports it back (they receive the page). Django loads it
with the models (``DirectoryConfig.import_models`` in apps.py).
"""

from django.utils.translation import gettext_lazy as _
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path

from core.models import SectionIndexPage
from core.page_cache import no_cache

from .contributions import propose
from .exports import export_csv, export_geojson, export_mediation
from .views import directory_context, map_markers


class DirectoryIndexPage(RoutablePageMixin, SectionIndexPage):
    """The /annuaire/ section: list, filters and map of every entry (directory/views.py).

    /annuaire/carte/ is the same search as a bare map made for an iframe on partners' sites: it is
    the only page of the site that other sites may frame (``xframe_options_exempt``).
    """

    subpage_types = ["directory.ActorPage", "directory.PlacePage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Kept per query string for the content version; "open now" changes with the minute.
        context.update(
            self.shared_listing(
                request, "directory", lambda: directory_context(self, request), minutes=1
            )
        )
        return context

    @path("")
    def index_route(self, request):
        return no_cache(self.render(request), request)

    @path("carte/", name="embed")
    def embed_route(self, request):
        response = self.render(request, template="directory/directory_embed.html")
        response.xframe_options_exempt = True
        return no_cache(response, request)

    # Routes that answer something else than the page: their URLs follow the page's slug and
    # language, and are built with ``reverse_subpage`` / ``{% routablepageurl %}``. Wagtail resolves
    # routes with a trailing slash: file names are regexes whose slash is optional (and reversed
    # without it); config/urls.py sends such paths to Wagtail.
    @re_path(r"^carte\.json/?$", name="markers")
    def markers_route(self, request):
        return map_markers(request, self)

    @re_path(r"^export\.geojson/?$", name="export_geojson")
    def export_geojson_route(self, request):
        return export_geojson(request, self)

    @re_path(r"^export\.csv/?$", name="export_csv")
    def export_csv_route(self, request):
        return export_csv(request, self)

    @re_path(r"^export-mediation-numerique\.csv/?$", name="export_mediation")
    def export_mediation_route(self, request):
        return export_mediation(request, self)

    @path("proposer/", name="propose")
    def propose_route(self, request):
        return propose(request, self)

    class Meta:
        verbose_name = _("page d'annuaire")
