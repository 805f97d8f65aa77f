"""Entry pages show their details, a map point, their update date and valid schema.org JSON-LD."""

import json
import re

import pytest

from directory.models import ActorPage, PlacePage
from tests.directory_helpers import clear_cache
from tests.factories import (
    ActorPageFactory,
    OrganisationFactory,
    PlacePageFactory,
    ServiceFactory,
    commune,
    translation,
)
from tests.query_counts import second_view_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    clear_cache()


def json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


HOURS = "Tu,Th 09:00-12:00,14:00-17:30; Sa 09:00-12:00"


def actor_with_a_place(**place_fields):
    """An actor and a place it runs, filed under it (/annuaire/<actor>/<place>/), as the demo's ASOFT."""
    actor = ActorPageFactory(title="Association opératrice")
    place = PlacePageFactory(parent=actor, operators=[actor], opening_hours=HOURS, **place_fields)
    return actor, place


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(
    "position", [{}, {"latitude": 44.3601, "longitude": 5.1402}], ids=["at its commune", "precise"]
)
def test_actor_pages_render_in_both_languages_with_organization_json_ld(client, language, position):
    actor = ActorPageFactory(**position)
    url = actor.url if language == "fr" else translation(actor, title="An actor").url
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    data = json_ld(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Organization"
    assert data["address"]["addressLocality"]
    assert "geo" in data
    assert ("Mis à jour le" in html) or ("Updated on" in html)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_place_pages_show_readable_hours_and_opening_hours_specification(client, language):
    actor, place = actor_with_a_place()
    if language == "en":
        translation(actor, title="Association opératrice")
        place = translation(place, title="A place")
    html = client.get(place.url).content.decode()
    data = json_ld(html)
    assert data["@type"] == "LocalBusiness"
    days = {spec["dayOfWeek"] for spec in data["openingHoursSpecification"]}
    assert days == {
        "https://schema.org/Tuesday",
        "https://schema.org/Thursday",
        "https://schema.org/Saturday",
    }
    assert re.search(
        r"<th scope=\"row\">(Mardi|Tuesday)</th><td>09:00 – 12:00, 14:00 – 17:30</td>", html
    )
    assert "Association opératrice" in html  # operated by


def test_actor_page_lists_its_places_and_the_place_links_back(client):
    actor = ActorPageFactory()
    place = PlacePageFactory(
        title="Atelier de réemploi de test", operators=[actor]
    )  # filed under the index
    html = client.get(actor.url).content.decode()
    assert "Atelier de réemploi de test" in html
    place_html = client.get(place.url).content.decode()
    assert f'href="{actor.url}"' in place_html


def test_entry_without_coordinates_is_mapped_at_its_commune(client):
    page = PlacePageFactory(commune=commune("26340"))  # Séderon
    assert page.latitude is None
    html = client.get(page.url).content.decode()
    assert "placée au centre de sa commune" in html
    assert '"lat": 44.197505' in html


def test_json_ld_escapes_values_that_could_close_the_script(client):
    page = ActorPageFactory(summary="</script><script>alert(1)</script>")
    html = client.get(page.url).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert json_ld(html)["description"] == "</script><script>alert(1)</script>"


def test_organisation_news_and_events_links_appear_when_they_exist(client):
    organisation = OrganisationFactory(published_entry=True)
    assert organisation.news_page is not None and organisation.events_page is not None
    html = client.get(organisation.actor_page.url).content.decode()
    assert f'href="{organisation.news_page.url}"' in html
    assert f'href="{organisation.events_page.url}"' in html


def test_entry_page_queries_do_not_grow_with_its_links(client, django_assert_max_num_queries):
    from directory.models import Service

    ActorPageFactory.create_batch(3)
    _, place = actor_with_a_place(services=[ServiceFactory()])
    url = place.url
    before = second_view_queries(client, url)
    place = PlacePage.objects.get(pk=place.pk)
    place.services = list(Service.objects.filter(locale=place.locale))
    place.operators = list(ActorPage.objects.filter(locale=place.locale))
    place.save_revision().publish()
    assert second_view_queries(client, url) == before
    # The site frame (routing through 5 tree levels, menus, settings, alternates, breadcrumbs)
    # costs about 20 queries by itself on this page; the entry adds 6.
    with django_assert_max_num_queries(
        30
    ):  # 28 before the source and verification date (two lookups)
        client.get(url)


def test_the_park_can_view_the_draft_of_a_place_and_its_operators_show(client):
    """Regression: a place's draft (or preview) is rendered from a revision, where its operators
    are an in-memory FakeQuerySet; the entry context called ``.live()`` on it: a 500 for the
    moderator opening "view draft" on a proposed place."""
    from django.contrib.auth import get_user_model

    place = PlacePageFactory(title="Espace numérique de test")
    operator = ActorPageFactory(title="Acteur du brouillon")
    place = PlacePage.objects.get(pk=place.pk)
    place.title = "Espace numérique, version brouillon"
    place.operators = [operator]
    place.save_revision()
    client.force_login(get_user_model().objects.get(username="parc"))
    response = client.get(f"/admin/pages/{place.pk}/view_draft/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Espace numérique, version brouillon" in html
    assert operator.title in html


def test_a_place_made_private_leaves_its_actors_page_and_the_directory_at_once(client):
    """Private sections come from the cache of the content version (``.public()``, core.models
    ``PublicPageQuerySet``): a new view restriction renews it, no stale listing is served."""
    from wagtail.models import PageViewRestriction

    place = PlacePage.objects.get(slug="espace-numerique-buis", locale__language_code="fr")
    assert place.title in client.get("/annuaire/asoft/").content.decode()
    assert place.title in client.get("/annuaire/?type=place").content.decode()
    PageViewRestriction.objects.create(page=place, restriction_type=PageViewRestriction.LOGIN)
    assert place.title not in client.get("/annuaire/asoft/").content.decode()
    assert place.title not in client.get("/annuaire/?type=place").content.decode()
    assert place.pk not in {entry.pk for entry in PlacePage.objects.live().public()}
