"""The one pagination helper for every listing: tolerant of bad input, elided ranges."""

from django.core.paginator import Paginator
from django.utils.http import urlencode


def parse_page_number(value):
    """A page number >= 1 from a query-string value; anything else gives 1."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return max(number, 1)


def paginate(request, items, per_page, params=None, names=None, count=None):
    """Return the template context for one page of ``items``.

    ``params`` are the other query-string values that page links must keep
    (already validated filters); a page number past the end shows the last page.
    ``names`` are every parameter the page reads (default: the keys of ``params``): with
    ``page``, they are what the page cache keys on, and ``params`` with the page number shown
    are the canonical values (core/page_cache.py).
    ``count``: the number of items when the caller already knows it (no COUNT query); ``items``
    is then only sliced, one page at a time.
    """
    from core.page_cache import declare_query

    paginator = Paginator(items, per_page)
    if count is not None:
        paginator.count = count  # Paginator.count is a cached property: this is its value
    page_obj = paginator.get_page(parse_page_number(request.GET.get("page")))
    all_names = {"page", *(names if names is not None else (params or {}).keys())}
    params = {key: value for key, value in (params or {}).items() if value not in (None, "", [])}
    canonical = {**params, "page": page_obj.number if request.GET.get("page") else None}
    declare_query(request, all_names, canonical)
    return {
        "page_obj": page_obj,
        "page_range": paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1),
        "querystring_base": urlencode(params, doseq=True) + "&" if params else "",
    }
