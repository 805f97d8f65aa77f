"""core.fulltext.ranked_search: the rows and the order of the database search backend itself,
matched word by word on the title's and the body's own vectors (issue 16, site search)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Locale, Page

from core.fulltext import ranked_search
from search.views import best_matches, searchable_pages
from tests.conftest import postgres_only
from tests.factories import ActorPageFactory, ArticlePageFactory, PlacePageFactory

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


def live_french():
    return Page.objects.live().filter(locale=Locale.objects.get(language_code="fr"))


@pytest.mark.parametrize("q", QUERIES)
def test_the_rows_and_order_are_the_search_backends_own(pages, q):
    expected = [page.pk for page in live_french().search(q, operator="and")]
    found = list(
        ranked_search(live_french(), q).order_by("-_score", "-pk").values_list("pk", flat=True)
    )
    assert found == expected


def test_a_word_is_matched_on_the_title_and_body_vectors_not_on_their_join(pages):
    with CaptureQueriesContext(connection) as queries:
        list(ranked_search(live_french(), "atelier").values_list("pk", flat=True))
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
