"""core.fulltext (entry_matches, best_ranked): the rows and the order of the database search
backend itself, matched word by word on the title's and the body's own vectors and ranked on the
index entries' own table (issue 16, site and directory searches)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Locale, Page

from core.fulltext import best_ranked
from search.views import best_matches, searchable_pages
from tests.conftest import postgres_only
from tests.factories import (
    ActorPageFactory,
    ArticlePageFactory,
    PlacePageFactory,
)
from tests.factories import (
    translation as translated,
)

pytestmark = [pytest.mark.django_db, postgres_only]

QUERIES = (
    "atelier",  # in titles and bodies, ranked
    "ressourcerie collecte",  # one word in the title, the other in the summary
    "atelier le",  # a word the French dictionary drops: the backend drops it too
    "le de la",  # only dropped words: nothing, as the backend
    "tiers-lieu",  # split on the hyphen, as the backend splits it
    "covid_19 atelier",  # a word that becomes several lexemes
    "l'atelier",
    "ATELIER Réemploi",
    "zzzz",
)


@pytest.fixture
def pages():
    ActorPageFactory(title="Ressourcerie du Lavoir", summary="Collecte et réemploi.")
    ActorPageFactory(title="Atelier du Moulin", summary="Collecte de vélos, un atelier.")
    PlacePageFactory(title="Tiers-lieu de la gare", summary="Un atelier partagé, covid_19.")
    PlacePageFactory(title="Café des habitants", summary="Un atelier chaque mois.")
    ArticlePageFactory(title="L'atelier de couture", lead="Réemploi des tissus.")
    ArticlePageFactory(title="Grand atelier partagé", lead="Atelier, atelier, atelier.")


def live_in(language):
    return Page.objects.live().filter(locale=Locale.objects.get(language_code=language))


@pytest.mark.parametrize("through_pages", [False, True], ids=["ids-hashed", "through-pages"])
@pytest.mark.parametrize("q", QUERIES)
def test_the_rows_and_order_are_the_search_backends_own(pages, q, through_pages):
    actor = ActorPageFactory(title="Atelier vélo", summary="Un atelier de réparation.")
    translated(actor, title="Bike atelier", summary="An atelier to repair bikes.")
    for language in ("fr", "en"):
        expected = [
            (page.pk, page.content_type_id) for page in live_in(language).search(q, operator="and")
        ]

        found = best_ranked(live_in(language), q, 1000, through_pages=through_pages)
        first_two = best_ranked(live_in(language), q, 2, through_pages=through_pages)

        assert found == expected, language
        assert first_two == expected[:2], language


def test_a_word_is_matched_on_the_title_and_body_vectors_not_on_their_join(pages):
    with CaptureQueriesContext(connection) as queries:
        best_ranked(live_in("fr"), "atelier", 10)
    where = queries.captured_queries[-1]["sql"].split(" WHERE ", 1)[1]
    assert '"wagtailsearch_indexentry"."title" @@' in where
    assert '"wagtailsearch_indexentry"."body" @@' in where
    # The two vectors are joined only for a word that becomes several lexemes.
    joined = '("wagtailsearch_indexentry"."title" || "wagtailsearch_indexentry"."body") @@'
    assert where.count(joined) == 1
    assert re.search(r"numnode\([^)]*\)\) > 1 AND " + re.escape(joined), where)


def test_the_site_search_ranks_as_the_backend(pages):
    with translation.override("fr"):
        expected = [
            (page.pk, page.content_type_id)
            for page in searchable_pages().search("atelier", operator="and")
        ]
        found = best_matches("atelier", Locale.objects.get(language_code="fr"))
    assert found == expected
    assert len(found) >= 5  # the five pages above that say "atelier", at least


def test_the_best_ranked_leave_out_pages_outside_the_given_ones(pages):
    atelier = ArticlePageFactory(title="Atelier ouvert", lead="Atelier, atelier.")
    hidden = ArticlePageFactory(title="Atelier fermé", lead="Atelier, atelier.", published=False)
    everyone = [pk for pk, _type in best_ranked(live_in("fr"), "atelier", 50)]

    assert atelier.pk in everyone
    assert hidden.pk not in everyone
    others = live_in("fr").exclude(pk=atelier.pk)
    for through_pages in (False, True):
        found = [
            pk for pk, _type in best_ranked(others, "atelier", 50, through_pages=through_pages)
        ]
        assert found == [pk for pk in everyone if pk != atelier.pk]


def test_the_searched_pages_of_a_language_are_read_from_an_index_alone(pages):
    """The site search joins its matches to the live public pages of one language: their ids
    (and paths, for the private sections left out) come from core's index, not the page table."""
    from wagtail.models import PageViewRestriction

    from core.page_cache import clear_page_cache

    private = ArticlePageFactory(title="Réservé aux membres")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    clear_page_cache()  # the private sections are read once per version
    with translation.override("fr"):
        pages_sql, params = searchable_pages().order_by().values("pk").query.sql_with_params()
    assert "path" in pages_sql  # the private section is left out by its path
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: force the choice
        cursor.execute(f"EXPLAIN {pages_sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using core_page_live_by_locale" in plan
