"""A stylesheet of the themes' colours, so that badges need no inline style (strict CSP)."""

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from core import page_cache

from .models import Theme


@require_GET
def theme_colours(request):
    key = f"theme-colours-css:{page_cache.current_version()}"
    cache = page_cache.get_cache()
    css = cache.get(key)
    if css is None:
        # Slugs and colours are validated by the model (slug field, #RRGGBB regex).
        rules = {
            f".theme-badge--{slug} {{ --theme-colour: {colour}; }}"
            for slug, colour in Theme.objects.values_list("slug", "colour")
        }
        css = "\n".join(sorted(rules)) + "\n"
        cache.set(key, css, 60 * 60 * 6)
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response
