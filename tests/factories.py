"""Factories for the site's models, built on wagtail-factories."""

import factory
import wagtail_factories

from home.models import StandardPage
from images.models import CustomImage


class ImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"Image {n}")
    description = "Une colline au soleil couchant"
    credit = "Photo : Parc des Baronnies"

    class Meta:
        model = CustomImage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Page {n}")
    intro = "<p>Une page de test.</p>"

    class Meta:
        model = StandardPage
