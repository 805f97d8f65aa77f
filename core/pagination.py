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


def paginate(request, items, per_page, params=None):
    """Return the template context for one page of ``items``.

    ``params`` are the other query-string values that page links must keep
    (already validated filters); a page number past the end shows the last page.
    """
    paginator = Paginator(items, per_page)
    page_obj = paginator.get_page(parse_page_number(request.GET.get("page")))
    params = {key: value for key, value in (params or {}).items() if value not in (None, "", [])}
    return {
        "page_obj": page_obj,
        "page_range": paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1),
        "querystring_base": urlencode(params, doseq=True) + "&" if params else "",
    }
