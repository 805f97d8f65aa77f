"""What the directory page and its embeddable map show: thin glue between the page,
the filter module (directory/filters.py) and the pagination helper."""

from django.conf import settings
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET

from core.page_cache import declare_query
from core.pagination import paginate

from .filters import DirectoryQuery
from .opendata import FILTER_PARAMS

PER_PAGE = 20


def directory_context(page, request, per_page=PER_PAGE):
    """Context for the list, the facets and the map of ``page`` (a DirectoryIndexPage)."""
    query = DirectoryQuery.from_params(request.GET, page.locale_id)
    params = dict(request_params(query))
    context = paginate(
        request, query.ordered(), per_page, params, names=FILTER_PARAMS, count=query.count
    )
    entries = query.rows_of(context["page_obj"].object_list)
    base_url = page.get_url(request) or "/"
    for entry in entries:
        entry.url = public_url(entry.url_path, page.url_path, base_url)
    querystring = query.querystring()
    context.update(
        {
            "query": query,
            "params": query.params,
            "messages_list": query.messages,
            "entries": entries,
            "facets": query.facets(),
            "located": query.located,
            # The map reads its markers from this address (cached per search), not from the page:
            # a search with thousands of results keeps a light page.
            "markers_url": base_url
            + page.reverse_subpage("markers")
            + (f"?{querystring}" if querystring else ""),
            "territory": [(code, query.known.communes[code][0]) for code in query.known.territory],
            "querystring": querystring,
            "map_tile_url": settings.MAP_TILE_URL,
            "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "base_url": base_url,
            # The breadcrumb of a section page is its home page: built from the URL, no query.
            "home_crumb": [{"url": base_url[: -len(page.slug) - 1] or "/"}],
        }
    )
    return context


@require_GET
def map_markers(request, page):
    """The ``markers`` route of the directory page (/annuaire/carte.json): the map markers of a
    directory search (same parameters as the page; values the page would ignore are ignored here
    too). Public data, kept by the page cache like the page itself."""
    query = DirectoryQuery.from_params(request.GET, page.locale_id)
    declare_query(request, FILTER_PARAMS, dict(request_params(query)))
    base_url = page.get_url(request) or "/"
    response = JsonResponse(query.markers(page.url_path, base_url), safe=False)
    if query.params["open"] == "now":  # changes with the minute: not for the page cache
        add_never_cache_headers(response)
    return response


def request_params(query):
    """The validated parameters worth keeping in page links (no empty values, no default sort)."""
    from django.http import QueryDict

    return QueryDict(query.querystring()).lists()


def public_url(url_path, base_url_path, base_url):
    if url_path.startswith(base_url_path):
        return base_url + url_path[len(base_url_path) :]
    return ""
