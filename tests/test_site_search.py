"""Site-wide search: every type, filters with counts, promotions first, logging, suggestions, bad input."""

import pytest
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from home.models import StandardPage
from search.models import ZeroResultQuery
from tests.conftest import postgres_only
from tests.factories import DossierPageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(demo):
    home = demo["home"]
    made = []
    for i in range(3):
        page = StandardPage(title=f"Colibri partagé {i}", slug=f"colibri-partage-{i}")
        home.add_child(instance=page)
        page.save_revision().publish()
        made.append(page)
    return made


def test_search_page_is_noindex_and_never_cached(client, pages):
    response = client.get("/recherche/", {"q": "colibri"})
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "x" * 5000,
        "<script>alert(1)</script>",
        "\x00\x01",
        "AND OR NOT",
        "'\"%;--",
        "*",
        "(((",
    ],
)
def test_bad_queries_never_fail(client, query):
    response = client.get("/recherche/", {"q": query, "type": "nonsense", "page": "-3"})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_filters_by_type_with_counts(client, pages):
    html = client.get("/recherche/", {"q": "colibri"}).content.decode()
    assert "Pages (3)" in html
    html = client.get("/recherche/", {"q": "colibri", "type": "dossier"}).content.decode()
    assert "Colibri partagé" not in html


def test_dossiers_are_found_and_filtered(client):
    DossierPageFactory(title="Dossier du pélican")
    StandardPageFactory(title="Page du pélican")
    html = client.get("/recherche/", {"q": "pelican", "type": "dossier"}).content.decode()
    assert "Dossier du pélican" in html
    assert "Page du pélican" not in html


def test_a_promoted_result_comes_first(client, pages):
    promoted = DossierPageFactory(title="Dossier mis en avant")
    query = Query.get("colibri")
    SearchPromotion.objects.create(
        query=query, page=promoted, description="Notre dossier", sort_order=0
    )
    html = client.get("/recherche/", {"q": "colibri"}).content.decode()
    assert html.index(promoted.title) < html.index("Colibri partagé 0")


def test_queries_are_logged_and_zero_result_queries_recorded(client, pages):
    client.get("/recherche/", {"q": "colibri"})
    client.get("/recherche/", {"q": "Colibri"})
    assert Query.get("colibri").hits == 2
    client.get("/recherche/", {"q": "zzqxw introuvable"})
    client.get("/recherche/", {"q": "zzqxw introuvable"})
    row = ZeroResultQuery.objects.get(query_string="zzqxw introuvable")
    assert row.hits == 2 and row.language == "fr"
    assert not ZeroResultQuery.objects.filter(query_string="colibri").exists()


def test_a_promotion_added_after_a_search_shows_at_once(client, pages):
    promoted = DossierPageFactory(title="Dossier mis en avant")
    assert "Notre dossier" not in client.get("/recherche/", {"q": "colibri"}).content.decode()
    SearchPromotion.objects.create(
        query=Query.get("colibri"), page=promoted, description="Notre dossier", sort_order=0
    )
    assert "Notre dossier" in client.get("/recherche/", {"q": "colibri"}).content.decode()


def test_searches_are_still_counted_after_wagtail_removes_old_queries(client, pages):
    client.get("/recherche/", {"q": "colibri"})
    Query.objects.filter(query_string="colibri").delete()  # searchpromotions_garbage_collect
    client.get("/recherche/", {"q": "colibri"})
    client.get("/recherche/", {"q": "colibri"})
    assert Query.get("colibri").hits == 2
    assert [(q.query_string, q._hits) for q in Query.get_most_popular()] == [("colibri", 2)]


def test_staff_see_the_zero_result_report(client, django_user_model):
    ZeroResultQuery.record("tiers-lieu perdu", "fr")
    client.force_login(django_user_model.objects.get(username="parc"))
    response = client.get("/admin/reports/recherches-sans-resultat/")
    assert response.status_code == 200
    assert "tiers-lieu perdu" in response.content.decode()
    client.force_login(django_user_model.objects.get(username="asoft"))
    assert client.get("/admin/reports/recherches-sans-resultat/").status_code in (302, 403)


def test_suggestions_return_same_origin_json_titles(client, pages):
    response = client.get("/recherche/suggestions/", {"q": "colib"})
    assert response["Content-Type"] == "application/json"
    assert "Colibri partagé 0" in response.json()
    assert client.get("/recherche/suggestions/", {"q": "<"}).json() == []


def test_search_form_works_without_script_and_loads_a_static_script(client):
    html = client.get("/recherche/", {"q": "reseau"}).content.decode()
    assert 'list="search-suggestions"' in html and "<datalist" in html
    assert 'src="/static/search/autocomplete.js"' in html
    assert "<script>" not in html


def test_search_query_count_does_not_grow_with_results(client, demo, django_assert_max_num_queries):
    home = demo["home"]
    for i in range(30):
        page = StandardPage(title=f"Fabrique {i}", slug=f"fabrique-{i}")
        home.add_child(instance=page)
        page.save_revision().publish()
    client.get("/recherche/", {"q": "fabrique"})
    with django_assert_max_num_queries(20):
        client.get("/recherche/", {"q": "fabrique"})


@postgres_only
def test_one_search_finds_places_articles_and_events_with_french_stemming(client, demo):
    from datetime import timedelta

    from django.utils import timezone

    from directory.models import PlaceKind, PlacePage
    from events.models import EventPage
    from news.models import ArticlePage

    home = demo["home"]
    kind, _ = PlaceKind.objects.get_or_create(
        slug="tiers-lieu", locale=home.locale, defaults={"name": "Tiers-lieu"}
    )
    now = timezone.now()
    for parent_slug, page in (
        (
            "annuaire",
            PlacePage(
                title="Espace de coworking de Nyons",
                slug="cw-nyons",
                summary="Des bureaux partagés.",
                kind=kind,
            ),
        ),
        (
            "actualites",
            ArticlePage(
                title="Les coworkings se multiplient",
                slug="cw-article",
                lead="Trois nouveaux lieux.",
                body=[],
            ),
        ),
        (
            "agenda",
            EventPage(
                title="Journée découverte des coworkings",
                slug="cw-event",
                lead="Visites.",
                start=now + timedelta(days=5),
                end=now + timedelta(days=5, hours=3),
            ),
        ),
    ):
        parent = home.get_children().get(slug=parent_slug)
        parent.add_child(instance=page)
        page.save_revision().publish()
    html = client.get("/recherche/", {"q": "coworking"}).content.decode()
    import re

    # The demo has coworking places of its own: each type is found at least once, ours included.
    for label in ("Lieux", "Articles", "Événements"):
        counts = re.findall(rf"{label} \((\d+)\)", html)
        assert counts and int(counts[0]) >= 1, label
    for title in (
        "Espace de coworking de Nyons",
        "Les coworkings se multiplient",
        "Journée découverte des coworkings",
    ):
        assert (
            title in html
            or title in client.get("/recherche/", {"q": "coworking", "page": "2"}).content.decode()
        )
    # accents and word forms: "decouverte" finds "découverte", "partages" finds "partagés"
    assert (
        "Journée découverte des coworkings"
        in client.get("/recherche/", {"q": "decouvertes"}).content.decode()
    )
    assert (
        "Espace de coworking de Nyons"
        in client.get("/recherche/", {"q": "partage"}).content.decode()
    )


def test_park_staff_see_the_popular_queries_report_and_member_editors_do_not(
    client, django_user_model
):
    client.get("/recherche/", {"q": "coworking"})
    client.get("/recherche/", {"q": "coworking"})
    client.force_login(django_user_model.objects.get(username="parc"))
    response = client.get("/admin/reports/recherches-frequentes/")
    assert response.status_code == 200
    assert "coworking" in response.content.decode()
    client.force_login(django_user_model.objects.get(username="asoft"))
    assert client.get("/admin/reports/recherches-frequentes/").status_code in (302, 403)


def test_ranked_results_are_cached_but_a_publication_or_unpublication_shows_at_once(client, demo):
    """The ranked ids are kept per content version (search/views.py): never stale."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    home = demo["home"]
    assert "Zébulon" not in client.get("/recherche/", {"q": "zebulon"}).content.decode()
    page = StandardPage(title="Zébulon au tiers-lieu", slug="zebulon")
    home.add_child(instance=page)
    page.save_revision().publish()
    assert "Zébulon au tiers-lieu" in client.get("/recherche/", {"q": "zebulon"}).content.decode()
    with CaptureQueriesContext(connection) as queries:
        client.get("/recherche/", {"q": "zebulon"})
    assert not any(
        "wagtailsearch_indexentry" in q["sql"] or "sqlite_fts" in q["sql"].lower() for q in queries
    )
    page.unpublish()
    assert (
        "Zébulon au tiers-lieu" not in client.get("/recherche/", {"q": "zebulon"}).content.decode()
    )
