"""Responsive images: one set of rendition filters for figures and cards, and their prefetching.

Templates use ``includes/figure.html`` (body images) and ``includes/card_image.html`` (listings):
a ``<picture>`` with AVIF and WebP sources at several widths, lazy loading, and the width and
height that stop the layout from jumping. Renditions are generated once (after upload, by a
background task) and looked up through the ``renditions`` cache alias.
"""

from django.db.models import Prefetch
from wagtail.images import get_image_model

# Kept in step with the templates: the same specs, in the order the {% picture %} tag expands them.
FORMATS = ("avif", "webp")
FIGURE_WIDTHS = (400, 800, 1600)
CARD_SIZES = ("400x225", "800x450")
FIGURE_FILTERS = [f"format-{fmt}|width-{w}" for fmt in FORMATS for w in FIGURE_WIDTHS]
CARD_FILTERS = [f"format-{fmt}|fill-{size}" for fmt in FORMATS for size in CARD_SIZES]


def prefetch_renditions(queryset, field="social_image"):
    """Listings: fetch each item's image and its renditions in two queries, whatever the count.

    ``queryset`` holds pages (or any model) with an image foreign key called ``field``.
    """
    rendition_model = get_image_model().get_rendition_model()
    return queryset.select_related(field).prefetch_related(
        Prefetch(f"{field}__renditions", queryset=rendition_model.objects.all())
    )


def generate_renditions(image):
    """Create the renditions the templates use, so that no visitor waits for them."""
    image.get_renditions(*FIGURE_FILTERS, *CARD_FILTERS)
