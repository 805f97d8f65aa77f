from django import template
from django.utils.http import urlencode

from directory.opendata import FILTER_PARAMS

register = template.Library()


@register.simple_tag(takes_context=True)
def open_data_query(context):
    """'?…' keeping the current filters (known parameter names only), or ''."""
    if context.get("querystring"):  # the directory page's validated filters
        return "?" + context["querystring"]
    request = context.get("request")
    if request is None:
        return ""
    params = [(k, v) for k in FILTER_PARAMS for v in request.GET.getlist(k) if v.strip()]
    return "?" + urlencode(params) if params else ""
