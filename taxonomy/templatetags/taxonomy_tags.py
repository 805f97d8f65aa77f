"""Show a theme as a badge: its name in text, with its colour and pictogram as decoration."""

from django import template

register = template.Library()


@register.inclusion_tag("taxonomy/theme_badge.html")
def theme_badge(theme, url=""):
    """A theme badge; ``url`` makes it a link (e.g. to a filtered listing)."""
    return {"theme": theme, "url": url}
