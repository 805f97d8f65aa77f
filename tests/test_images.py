"""Images carry a required alternative text and a credit shown under them."""

import pytest
from django.template.loader import render_to_string
from wagtail.images.forms import get_image_form

from images.models import CustomImage
from tests.factories import ImageFactory

pytestmark = pytest.mark.django_db


def test_image_form_requires_alternative_text():
    form_class = get_image_form(CustomImage)
    form = form_class(data={"title": "Colline", "description": "", "credit": ""})
    assert not form.is_valid()
    assert "description" in form.errors


def test_credit_line_is_shown_under_the_image():
    image = ImageFactory(description="Un atelier partagé à Nyons", credit="Photo : La Cigale")
    html = render_to_string("includes/figure.html", {"image": image, "caption": "L'atelier"})
    assert 'alt="Un atelier partagé à Nyons"' in html
    assert "Photo : La Cigale" in html
    assert "<figcaption>" in html
