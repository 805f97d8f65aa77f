"""The directory finds entries by words, ignoring accents (and French word forms on PostgreSQL)."""

import pytest
from django.db import connection
from django.http import QueryDict
from wagtail.models import Locale
from wagtail.search.models import IndexEntry

from directory.filters import DirectoryQuery
from directory.models import ActorKind, ActorPage
from tests.conftest import postgres_only
from tests.directory_helpers import clear_cache
from tests.factories import ActorPageFactory, translation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    clear_cache()


def titles(querystring, language="fr"):
    query = DirectoryQuery.from_params(
        QueryDict(querystring), Locale.objects.get(language_code=language)
    )
    return [row.title for row in query.rows]


def test_a_word_of_the_title_finds_the_entry():
    entry = ActorPageFactory(title="Ressourcerie du Lavoir", summary="Collecte et réemploi.")
    other = ActorPageFactory(title="Atelier du Moulin")
    found = titles("q=ressourcerie")
    assert entry.title in found and other.title not in found


@postgres_only
def test_fabriques_finds_la_fabrique_through_french_stemming():
    entry = ActorPageFactory(title="La Fabrique du Lavoir", summary="Collecte et réemploi.")
    assert entry.title in titles("q=fabriques")


def test_mediation_numerique_without_accents_finds_every_digital_inclusion_actor():
    kind = ActorKind.objects.get(slug="mediation-numerique", locale__language_code="fr")
    built = {
        ActorPageFactory(
            title=f"Association {name}", kind=kind, summary="Médiation numérique itinérante."
        ).title
        for name in ("Alpha", "Bêta", "Gamma")
    }
    expected = set(
        ActorPage.objects.live()
        .filter(locale__language_code="fr", kind__slug="mediation-numerique")
        .values_list("title", flat=True)
    )
    assert built <= expected
    assert built <= set(titles("q=mediation+numerique"))


def test_search_page_lists_the_matches(client):
    entry = ActorPageFactory(title="Ressourcerie du Lavoir", summary="Collecte et réemploi.")
    other = ActorPageFactory(title="Atelier du Moulin")
    html = client.get("/annuaire/", {"q": "ressourcerie"}).content.decode()
    assert entry.title in html
    assert other.title not in html


def test_english_directory_searches_english_entries():
    entry = ActorPageFactory(
        title="Ressourcerie du Lavoir", summary="Collecte, réparation et revente d'objets."
    )
    translation(entry, summary="Collecting, repairing and reselling goods: reuse.")
    assert entry.title in titles("q=reuse", language="en")
    assert entry.title not in titles("q=reuse", language="fr")


@postgres_only
def test_postgresql_estimates_the_matches_of_a_word_from_statistics():
    """The planner estimates how many rows match the backend's condition from statistics kept on
    it (search's migration 0003), and so chooses its joins for the real number of matches."""
    for number in range(30):
        ActorPageFactory(title=f"Bricolarium {number}")
    table = connection.ops.quote_name(IndexEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
        cursor.execute(
            f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {table}"  # noqa: S608 - the model's table
            " WHERE (title || body) @@ to_tsquery('french_unaccent', 'bricolarium')"
        )
        estimate = cursor.fetchone()[0][0]["Plan"]["Plan Rows"]
    assert 15 <= estimate <= 60
