"""Directory URLs served by views (not pages), under /annuaire/ in each language.

Included before Wagtail's catch-all: anything not matched here falls through to the pages.
"""

from django.urls import path

from . import contributions, exports, views

app_name = "directory"
urlpatterns = [
    path("export.geojson", exports.export_geojson, name="export_geojson"),
    path("export.csv", exports.export_csv, name="export_csv"),
    path("export-mediation-numerique.csv", exports.export_mediation, name="export_mediation"),
    path("proposer/", contributions.propose, name="propose"),
    path("carte.json", views.map_markers, name="markers"),
]
