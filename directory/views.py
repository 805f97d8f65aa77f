"""What the directory page and its embeddable map show: thin glue between the page,
the filter module (directory/filters.py) and the pagination helper."""

from django.conf import settings
from django.utils.cache import add_never_cache_headers

from core.pagination import paginate

from .filters import DirectoryQuery

PER_PAGE = 20


def directory_context(page, request, per_page=PER_PAGE):
    """Context for the list, the facets and the map of ``page`` (a DirectoryIndexPage)."""
    query = DirectoryQuery.from_params(request.GET, page.locale)
    params = dict(request_params(query))
    context = paginate(request, query.rows, per_page, params)
    entries = query.entries(context["page_obj"].object_list)
    base_url = page.get_url(request) or "/"
    for entry in entries:
        entry.public_url = public_url(entry.url_path, page.url_path, base_url)
    context.update(
        {
            "query": query,
            "params": query.params,
            "messages_list": query.messages,
            "entries": entries,
            "facets": query.facets(),
            "markers": query.markers(page.url_path, base_url),
            "territory": [(code, query.known.communes[code][0]) for code in query.known.territory],
            "querystring": query.querystring(),
            "map_tile_url": settings.MAP_TILE_URL,
            "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "base_url": base_url,
        }
    )
    return context


def request_params(query):
    """The validated parameters worth keeping in page links (no empty values, no default sort)."""
    from django.http import QueryDict

    return QueryDict(query.querystring()).lists()


def public_url(url_path, base_url_path, base_url):
    if url_path.startswith(base_url_path):
        return base_url + url_path[len(base_url_path):]
    return ""


def no_cache(response, request):
    """Result pages depend on the query string: never cached by browsers or proxies."""
    if request.GET:
        add_never_cache_headers(response)
    return response
