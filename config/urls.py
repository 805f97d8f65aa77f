from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.views import serve as wagtail_serve

from core.sitemaps import BilingualSitemap
from directory.api import api as directory_api
from members import translation_views
from search import views as search_views
from taxonomy.views import theme_colours

urlpatterns = [
    path("themes.css", theme_colours, name="theme_colours"),
    # wagtail-localize's views with a per-page permission check (members/translation_views.py):
    # these paths answer before the admin's own.
    path("admin/localize/submit/page/<int:page_id>/", translation_views.submit_page_translation),
    path(
        "admin/localize/update/<int:translation_source_id>/",
        translation_views.update_page_translations,
    ),
    path(
        "admin/localize/translate/<int:translation_id>/machine_translate/",
        translation_views.machine_translate_view,
    ),
    path(
        "admin/localize/page/<int:page_id>/convert_to_alias/",
        translation_views.convert_to_alias_view,
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": BilingualSitemap}}, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots_txt",
    ),
    path("api/v1/", directory_api.urls),
    path("stats/", include("stats.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

if getattr(settings, "BENCH_BARE_VIEW", False):
    # The benchmark's ceiling (bench/run.py): a bare view through the whole middleware stack.
    from django.http import HttpResponse

    urlpatterns.insert(
        0, path("bench/bare/", lambda request: HttpResponse("ok"), name="bench_bare")
    )

# Public pages: French without prefix, English under /en/.
urlpatterns += i18n_patterns(
    path("recherche/", search_views.search, name="search"),
    path("abonnement/", include("subscriptions.urls")),
    # Signed freshness links of the reminder e-mails (not a page of the tree: a one-off action).
    path("annuaire/fiche/", include("directory.commons.urls")),
    path("recherche/suggestions/", search_views.suggestions, name="search_suggestions"),
    # Files that pages serve from their routes (``/<section>/carte.json``, ``/<section>/export.csv``):
    # Wagtail's own pattern only takes paths ending in a slash.
    re_path(
        r"^((?:[\w\-]+/)+[\w\-]+\.(?:json|geojson|csv))$", wagtail_serve, name="wagtail_serve_file"
    ),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
