from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html

from stats.counting import tracked_models

register = template.Library()


@register.simple_tag(takes_context=True)
def stats_beacon(context):
    """The counting script for pages that are counted (entries, articles, events), else nothing.
    The page id is in the page itself, so a copy served by the page cache counts too."""
    page = context.get("page")
    request = context.get("request")
    if page is None or getattr(page, "pk", None) is None or getattr(request, "is_preview", False):
        return ""
    meta = page._meta
    if f"{meta.app_label}.{meta.model_name}" not in tracked_models():
        return ""
    return format_html(
        '<script src="{}" data-stats-page="{}" data-stats-url="{}" defer></script>',
        static("stats/js/beacon.js"),
        page.pk,
        reverse("stats:hit"),
    )
