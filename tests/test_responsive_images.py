"""Responsive images: AVIF and WebP sources, several widths, lazy loading, renditions prefetched."""

import pytest
from django.core.cache import caches
from django.template import Context, Template
from wagtail.models import Page

from core.images import CARD_FILTERS, FIGURE_FILTERS, prefetch_renditions
from images.models import CustomImage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_renditions_cache():
    """Renditions cached by an earlier (rolled-back) test must not stand in for database rows."""
    caches["renditions"].clear()


def render(template, **context):
    return Template(template).render(Context(context))


def test_figure_offers_avif_and_webp_at_several_widths_with_lazy_loading():
    image = CustomImage.objects.first()
    html = render(
        '{% include "includes/figure.html" with image=img caption="Légende" %}', img=image
    )
    assert 'type="image/avif"' in html
    assert ".webp 400w" in html and ".webp 800w" in html
    assert 'loading="lazy"' in html and 'decoding="async"' in html
    assert 'width="' in html and 'height="' in html
    assert f'alt="{image.description[:20]}' in html.replace("&#x27;", "'")
    assert "Légende" in html


def test_listing_renditions_are_prefetched_in_a_fixed_number_of_queries(
    django_assert_max_num_queries,
):
    from home.models import StandardPage

    image = CustomImage.objects.first()
    image.get_renditions(*CARD_FILTERS)
    StandardPage.objects.update(social_image=image)
    pages = StandardPage.objects.live()
    assert pages.count() >= 3
    with django_assert_max_num_queries(3):
        items = list(prefetch_renditions(pages))
        html = "".join(
            render('{% include "includes/card_image.html" with image=img %}', img=page.social_image)
            for page in items
        )
    assert html.count("<picture>") == len(items)


def test_filters_listed_in_python_match_the_templates():
    image = CustomImage.objects.first()
    image.renditions.all().delete()
    render('{% include "includes/figure.html" with image=img %}', img=image)
    render('{% include "includes/card_image.html" with image=img %}', img=image)
    assert set(image.renditions.values_list("filter_spec", flat=True)) == {
        *FIGURE_FILTERS,
        *CARD_FILTERS,
    }
    assert Page.objects.exists()
