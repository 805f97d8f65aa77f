"""Themes, sectors, kinds of actor and of place, services: one translatable vocabulary base
(taxonomy.models.Vocabulary) and one admin (taxonomy.viewsets.VocabularyViewSet)."""

import uuid

import pytest
from django.urls import reverse
from wagtail.models import Locale

from directory.models import ActorKind, PlaceKind, Service
from taxonomy.models import Sector, Theme

pytestmark = pytest.mark.django_db

VOCABULARIES = [Theme, Sector, ActorKind, PlaceKind, Service]


def listing_url(model):
    return f"/admin/snippets/{model._meta.app_label}/{model._meta.model_name}/"


def add_french(model, name, slug, sort_order):
    return model.objects.create(
        name=name, slug=slug, sort_order=sort_order,
        locale=Locale.objects.get(language_code="fr"), translation_key=uuid.uuid4(),
    )  # fmt: skip


@pytest.mark.parametrize("model", VOCABULARIES, ids=lambda model: model.__name__)
def test_vocabulary_listings_show_order_and_find_rows_by_name_or_slug(admin_client, model):
    add_french(model, "Zzvocab alpha", "zzvocab-second", 2)
    add_french(model, "Zzvocab omega", "zzvocab-first", 1)
    html = admin_client.get(listing_url(model), {"q": "zzvocab"}).content.decode()
    assert "ordering=sort_order" in html  # the order is a column, sortable
    # Ordered by the staff's order, not by name.
    assert html.index("Zzvocab omega") < html.index("Zzvocab alpha")
    by_slug = admin_client.get(listing_url(model), {"q": "vocab-sec"}).content.decode()
    assert "Zzvocab alpha" in by_slug and "Zzvocab omega" not in by_slug


@pytest.mark.parametrize("model", VOCABULARIES, ids=lambda model: model.__name__)
def test_vocabulary_slug_says_it_is_shared_by_every_language(admin_client, model):
    html = admin_client.get(listing_url(model) + "add/", {"locale": "fr"}).content.decode()
    assert "identique dans toutes les langues" in html


@pytest.mark.parametrize("model", VOCABULARIES, ids=lambda model: model.__name__)
def test_untranslated_vocabulary_rows_offer_their_translation(admin_client, model):
    row = add_french(model, "Zzvocab sans traduction", "zzvocab-sans-traduction", 0)
    html = admin_client.get(listing_url(model), {"q": "zzvocab"}).content.decode()
    translate = reverse(
        "wagtail_localize:submit_snippet_translation",
        args=[model._meta.app_label, model._meta.model_name, row.pk],
    )
    assert translate in html
