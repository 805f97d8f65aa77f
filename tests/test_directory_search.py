"""The directory finds entries by words, ignoring accents (and French word forms on PostgreSQL)."""

import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale
from wagtail.search.models import IndexEntry

from core.page_cache import clear_page_cache
from directory.filters import DirectoryQuery
from directory.models import ActorKind, ActorPage, DirectoryEntry, PlacePage
from tests.conftest import postgres_only
from tests.directory_helpers import clear_cache
from tests.editorial import theme
from tests.factories import ActorPageFactory, PlacePageFactory, translation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    clear_cache()


def rows(querystring, language="fr"):
    """The directory's result rows for ``querystring`` in ``language``."""
    query = DirectoryQuery.from_params(
        QueryDict(querystring), Locale.objects.get(language_code=language)
    )
    return query.rows


def titles(querystring, language="fr"):
    return [row.title for row in rows(querystring, language)]


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


def backend_order(q, language="fr"):
    """The entries matching ``q`` in the order of the search backend itself."""
    locale = Locale.objects.get(language_code=language)
    pages = DirectoryEntry.objects.live().filter(locale_id=locale.pk)
    return [page.pk for page in pages.search(q, operator="and")]


def ids(querystring, language="fr"):
    return [row.pk for row in rows(querystring, language)]


def test_relevance_order_is_the_search_backends_order_with_or_without_filters():
    place = PlacePageFactory(title="Atelier du Moulin", summary="Un atelier partagé.")
    for title, summary in (
        ("Atelier", "Réparation de vélos."),
        ("Grand atelier partagé des usages du numérique", "Ouvert à tous."),
        ("Lieu Alpha", "Un atelier de réparation, un atelier de couture."),
        ("Café des habitants", "Un atelier chaque mois."),
    ):
        ActorPageFactory(title=title, summary=summary)
    PlacePageFactory(title="Atelier de la gare", summary="Un atelier.")
    found = backend_order("atelier")
    assert place.pk in found and len(found) >= 6
    assert ids("q=atelier") == found
    places = set(PlacePage.objects.values_list("pk", flat=True))
    assert ids("q=atelier&type=place") == [pk for pk in found if pk in places]


def test_words_found_in_the_title_and_the_summary_together_find_the_entry():
    entry = ActorPageFactory(title="Ressourcerie du Lavoir", summary="Collecte et réemploi.")
    other = ActorPageFactory(title="Atelier du Moulin", summary="Collecte de vélos.")
    found = titles("q=ressourcerie+collecte")
    assert entry.title in found and other.title not in found


def shown_counts(html, theme_slug):
    """(results, places in the type facet, entries in the theme's facet) as the page shows them."""
    total = re.search(r'class="directory__count" role="status">(\d+) entrée', html)
    places = re.search(r'<option value="place"[^>]*>[^<]*\((\d+)\)</option>', html)
    themed = re.search(
        rf'name="theme" value="{theme_slug}"[^>]*>\s*<label[^>]*>[^<]*'
        r'<span class="facet-count">\((\d+)\)',
        html,
    )
    return tuple(int(match.group(1)) if match else None for match in (total, places, themed))


def test_an_entry_published_after_a_search_is_listed_counted_and_faceted_at_once(client):
    chosen = theme("culture-numerique")
    ActorPageFactory(title="Bricolarium du Lavoir", themes=[chosen])
    before = client.get("/annuaire/", {"q": "bricolarium"}).content.decode()
    assert shown_counts(before, chosen.slug) == (1, 0, 1)
    assert "Bricolarium des Tilleuls" not in before
    PlacePageFactory(title="Bricolarium des Tilleuls", themes=[chosen])
    after = client.get("/annuaire/", {"q": "bricolarium"}).content.decode()
    assert shown_counts(after, chosen.slug) == (2, 1, 2)
    assert "Bricolarium des Tilleuls" in after
    only_places = client.get("/annuaire/", {"q": "bricolarium", "type": "place"})
    assert "Bricolarium des Tilleuls" in only_places.content.decode()


@postgres_only
def test_a_search_right_after_a_publication_reads_the_directory_in_two_queries(client):
    """Its counts, facets and relevance order in one statement, then its page of rows: the list
    of every match never travels from the database and back."""
    for number in range(3):
        ActorPageFactory(title=f"Bricolarium {number}")
    client.get("/annuaire/", {"q": "bricolarium"})  # known values (not renewed by a publication)
    clear_page_cache()
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/annuaire/", {"q": "bricolarium"})
    assert response.status_code == 200
    assert "3 entrées" in response.content.decode()
    read = [query for query in captured if "directory_directoryentry" in query["sql"]]
    assert len(read) == 2


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


def test_an_entry_made_private_leaves_the_search_its_counts_and_facets_at_once(client):
    from wagtail.models import PageViewRestriction

    chosen = theme("culture-numerique")
    ActorPageFactory(title="Bricolarium du Lavoir", themes=[chosen])
    place = PlacePageFactory(title="Bricolarium des Tilleuls", themes=[chosen])
    before = client.get("/annuaire/", {"q": "bricolarium"}).content.decode()
    assert shown_counts(before, chosen.slug) == (2, 1, 2)
    PageViewRestriction.objects.create(page=place, restriction_type=PageViewRestriction.LOGIN)
    after = client.get("/annuaire/", {"q": "bricolarium"}).content.decode()
    assert shown_counts(after, chosen.slug) == (1, 0, 1)
    assert place.title not in after
