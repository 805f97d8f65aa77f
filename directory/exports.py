"""Downloads of the directory, whole or filtered: GeoJSON, CSV, médiation numérique CSV.

Same query-string parameters as the directory page and the API (see ``opendata.parse_filters``).
The GeoJSON of the full set is cached until an entry is published, unpublished or deleted.
"""

import json

from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from . import opendata


def _filtered_entries(request):
    filters = opendata.parse_filters(request.GET)
    locale = opendata.get_locale(get_language())
    pages = opendata.entry_pages(filters, locale)
    return filters, locale, opendata.load_entries(pages.values("pk"))


def _bad_request(error):
    return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")


def _attachment(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def export_geojson(request):
    try:
        filters = opendata.parse_filters(request.GET)
    except opendata.FilterError as error:
        return _bad_request(error)
    locale = opendata.get_locale(get_language())
    if not filters.as_params():
        body = opendata.full_geojson(locale, request)
    else:
        pages = opendata.entry_pages(filters, locale)
        entries = opendata.load_entries(pages.values("pk"))
        body = json.dumps(opendata.export_geojson(entries, request), ensure_ascii=False)
    response = HttpResponse(body, content_type="application/geo+json")
    return _attachment(response, "annuaire-baronnies.geojson")


@require_GET
def export_csv(request):
    try:
        _filters, _locale, entries = _filtered_entries(request)
    except opendata.FilterError as error:
        return _bad_request(error)
    response = HttpResponse(
        opendata.export_csv(entries, request), content_type="text/csv; charset=utf-8"
    )
    return _attachment(response, "annuaire-baronnies.csv")


@require_GET
def export_mediation(request):
    try:
        _filters, _locale, entries = _filtered_entries(request)
    except opendata.FilterError as error:
        return _bad_request(error)
    response = HttpResponse(
        opendata.export_mediation_csv(entries), content_type="text/csv; charset=utf-8"
    )
    return _attachment(response, "lieux-mediation-numerique-baronnies.csv")
