"""Search ignores accents and, on PostgreSQL, understands French word forms."""

import pytest
from wagtail.models import Page

from home.models import StandardPage
from tests.conftest import postgres_only

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(demo):
    home = demo["home"]
    mediation = home.add_child(
        instance=StandardPage(title="Médiation numérique à Buis", slug="mediation-buis")
    )
    fabrique = home.add_child(
        instance=StandardPage(title="La Fabrique, recyclerie de Nyons", slug="la-fabrique")
    )
    for page in (mediation, fabrique):
        page.save_revision().publish()
    return {"mediation": mediation, "fabrique": fabrique}


def search_titles(query):
    return {page.title for page in Page.objects.live().search(query)}


def test_search_without_accents_finds_accented_titles(pages):
    assert "Médiation numérique à Buis" in search_titles("mediation")


def test_search_page_shows_results_for_the_current_language(client, pages):
    html = client.get("/recherche/", {"q": "mediation"}).content.decode()
    assert "Médiation numérique à Buis" in html
    html_en = client.get("/en/recherche/", {"q": "mediation"}).content.decode()
    assert "Médiation numérique à Buis" not in html_en


@postgres_only
def test_french_stemming_finds_la_fabrique_from_fabriques(pages):
    assert "La Fabrique, recyclerie de Nyons" in search_titles("fabriques")


@postgres_only
def test_postgres_uses_the_french_unaccent_configuration():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('french_unaccent', 'Médiations numériques')::text")
        assert cursor.fetchone()[0] == "'mediat':1 'numer':2"
