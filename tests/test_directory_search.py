"""The directory finds entries by words, ignoring accents (and French word forms on PostgreSQL)."""

import pytest
from django.http import QueryDict
from wagtail.models import Locale

from directory.filters import DirectoryQuery
from directory.models import ActorPage
from tests.conftest import postgres_only
from tests.directory_helpers import clear_cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    clear_cache()


def titles(querystring, language="fr"):
    query = DirectoryQuery.from_params(QueryDict(querystring), Locale.objects.get(language_code=language))
    return [row.title for row in query.rows]


def test_recyclerie_finds_la_fabrique():
    assert "Recyclerie La Fabrique" in titles("q=recyclerie")


@postgres_only
def test_fabriques_finds_la_fabrique_through_french_stemming():
    assert "Recyclerie La Fabrique" in titles("q=fabriques")


def test_mediation_numerique_without_accents_finds_every_digital_inclusion_actor():
    expected = set(
        ActorPage.objects.live().filter(locale__language_code="fr", kind__slug="mediation-numerique").values_list("title", flat=True)
    )
    assert expected >= {"ASOFT", "Aventic", "Point Cyb"}
    assert expected <= set(titles("q=mediation+numerique"))


def test_search_page_lists_the_matches(client):
    html = client.get("/annuaire/", {"q": "recyclerie"}).content.decode()
    assert "Recyclerie La Fabrique" in html
    assert "ASOFT" not in html


def test_english_directory_searches_english_entries():
    assert "Recyclerie La Fabrique" in titles("q=reuse", language="en")
    assert "Recyclerie La Fabrique" not in titles("q=reuse", language="fr")
