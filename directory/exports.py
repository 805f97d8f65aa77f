"""Downloads of the directory, whole or filtered: GeoJSON, CSV, médiation numérique CSV.

Routes of the directory page (``DirectoryIndexPage``): /annuaire/export.geojson, /annuaire/export.csv,
/annuaire/export-mediation-numerique.csv (and the same under /en/). Same query-string parameters as the directory page (``directory.filters.DirectoryQuery``); values
the page would ignore get a 400 here.
The GeoJSON of the full set is cached until an entry is published, unpublished or deleted.
"""

import json

from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from . import opendata


def _filtered_entries(request):
    locale = opendata.get_locale(get_language())
    query = opendata.directory_query(request.GET, locale)
    return query, locale, opendata.load_entries(opendata.entry_ids(query))


def _bad_request(error):
    return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")


def _attachment(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def export_geojson(request, page):
    locale = opendata.get_locale(get_language())
    try:
        query = opendata.directory_query(request.GET, locale)
    except opendata.FilterError as error:
        return _bad_request(error)
    if not query.is_filtered:
        body = opendata.full_geojson(locale, request)
    else:
        entries = opendata.load_entries(opendata.entry_ids(query))
        body = json.dumps(opendata.export_geojson(entries, request), ensure_ascii=False)
    response = HttpResponse(body, content_type="application/geo+json")
    return _attachment(response, "annuaire-baronnies.geojson")


@require_GET
def export_csv(request, page):
    try:
        _filters, _locale, entries = _filtered_entries(request)
    except opendata.FilterError as error:
        return _bad_request(error)
    response = HttpResponse(
        opendata.export_csv(entries, request), content_type="text/csv; charset=utf-8"
    )
    return _attachment(response, "annuaire-baronnies.csv")


@require_GET
def export_mediation(request, page):
    try:
        _filters, _locale, entries = _filtered_entries(request)
    except opendata.FilterError as error:
        return _bad_request(error)
    response = HttpResponse(
        opendata.export_mediation_csv(entries), content_type="text/csv; charset=utf-8"
    )
    return _attachment(response, "lieux-mediation-numerique-baronnies.csv")
