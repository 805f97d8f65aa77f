"""/annuaire/: list, facets and map show the same results; bad input never breaks the page."""

import html as html_lib
import re

import pytest

from tests.directory_helpers import add_place, clear_cache
from tests.factories import ActorPageFactory, PlacePageFactory, ServiceFactory, commune, translation
from tests.query_counts import second_view_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    clear_cache()


def markers(html, client):
    """The markers the page's map draws: it fetches them from the address in data-markers-url."""
    match = re.search(r'data-markers-url="([^"]*)"', html)
    if not match:
        return []
    response = client.get(html_lib.unescape(match.group(1)))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def listed_titles(html):
    found = re.findall(r'<h2 class="entry-card__title"><a href="[^"]*">([^<]*)</a></h2>', html)
    return [html_lib.unescape(title) for title in found]


def option_count(html, name, value):
    select = re.search(
        rf'<select id="directory-{name}" name="{name}">(.*?)</select>', html, re.S
    ).group(1)
    match = re.search(rf'<option value="{re.escape(value)}"[^>]*>[^<]*\((\d+)\)</option>', select)
    return int(match.group(1)) if match else None


def test_directory_lists_every_entry_with_a_map_of_the_same_entries(client):
    built = {
        ActorPageFactory().title,
        PlacePageFactory().title,
        PlacePageFactory(commune=commune("05166")).title,
    }
    response = client.get("/annuaire/")
    html = response.content.decode()
    assert response.status_code == 200
    titles = listed_titles(html)
    assert built <= set(titles)
    assert {marker["title"] for marker in markers(html, client)} == set(titles)
    assert "leaflet/leaflet.js" in html
    assert "<script>" not in html  # no inline script: data in JSON blocks, code in static files


def test_facet_counts_agree_with_the_filtered_list_and_the_markers(client):
    PlacePageFactory(commune=commune("05166"))
    ActorPageFactory(commune=commune("05166"))
    html = client.get("/annuaire/").content.decode()
    places = option_count(html, "type", "place")
    department_05 = option_count(html, "department", "05")
    filtered = client.get("/annuaire/", {"type": "place"}).content.decode()
    assert len(listed_titles(filtered)) == places
    assert len(markers(filtered, client)) == places
    in_05 = client.get("/annuaire/", {"department": "05"}).content.decode()
    assert len(listed_titles(in_05)) == department_05
    assert f"{department_05} entrées" in in_05


def test_theme_and_service_checkboxes_show_counts_and_combine(client):
    offices, video = ServiceFactory(name="Bureaux de test"), ServiceFactory()
    both_services = PlacePageFactory(services=[offices, video])
    offices_only = PlacePageFactory(services=[offices])
    PlacePageFactory(services=[video])
    html = client.get("/annuaire/", {"type": "place", "service": offices.slug}).content.decode()
    assert set(listed_titles(html)) == {both_services.title, offices_only.title}
    assert re.search(
        rf'name="service" value="{offices.slug}" checked>\s*<label[^>]*>Bureaux de test <span class="facet-count">\(2\)',
        html,
    )
    both = client.get("/annuaire/", {"service": [offices.slug, video.slug]}).content.decode()
    assert listed_titles(both) == [both_services.title]


def test_sort_by_distance_from_a_commune_puts_the_nearest_first(client):
    service = ServiceFactory()
    far = PlacePageFactory(title="À Nyons", commune=commune("26220"), services=[service])
    here = PlacePageFactory(title="À Serres", commune=commune("05166"), services=[service])
    near = PlacePageFactory(title="À Laragne", commune=commune("05070"), services=[service])
    html = client.get("/annuaire/", {"near": "05166", "service": service.slug}).content.decode()
    assert listed_titles(html) == [here.title, near.title, far.title]
    assert "à 0 km" in html


def test_filter_state_is_kept_in_page_links(client):
    for number in range(25):
        add_place(f"Salle {number:02d}", f"salle-{number:02d}", kind="salle-de-reunion")
    html = client.get("/annuaire/", {"kind": "salle-de-reunion"}).content.decode()
    assert "?kind=salle-de-reunion&amp;page=2" in html
    second = client.get("/annuaire/", {"kind": "salle-de-reunion", "page": 2}).content.decode()
    assert listed_titles(second) == ["Salle 20", "Salle 21", "Salle 22", "Salle 23", "Salle 24"]


def test_no_result_state_is_clear(client):
    html = client.get("/annuaire/", {"q": "zzzyyyxxx"}).content.decode()
    assert "Aucune entrée ne correspond" in html
    assert "data-markers-url" not in html


@pytest.mark.parametrize(
    "params",
    [
        {"theme": "n-existe-pas"},
        {"service": "<script>alert(1)</script>"},
        {"kind": "' OR 1=1 --"},
        {"commune": "99999"},
        {"department": "<b>x</b>"},
        {"type": "robot"},
        {"sort": "price"},
        {"sort": "distance"},
        {"near": "abc"},
        {"lat": "91", "lon": "5"},
        {"lat": "nan", "lon": "inf"},
        {"lat": "44.3"},
        {"page": "-1"},
        {"page": "abc"},
        {"page": "99999999999999999999"},
        {"q": "x" * 10_000},
        {"q": "'; DROP TABLE wagtailcore_page; --"},
        {"q": '"><script>alert(1)</script>'},
        {"q": "\x00"},
        {"theme": [f"t{n}" for n in range(50)]},
    ],
)
def test_bad_input_gives_a_page_with_a_message_and_reflects_nothing_unescaped(client, params):
    response = client.get("/annuaire/", params)
    assert response.status_code in (200, 400, 404)
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert '"><script>' not in html
    assert "<b>x</b>" not in html


def test_unknown_facet_values_are_ignored_with_a_message(client):
    entry = ActorPageFactory(title="Toujours listé")
    html = client.get("/annuaire/", {"theme": "n-existe-pas"}).content.decode()
    assert "valeur inconnue, ignorée" in html
    assert entry.title in listed_titles(html)


def test_long_queries_are_cut_with_a_message(client):
    html = client.get("/annuaire/", {"q": "recyclerie " + "x" * 10_000}).content.decode()
    assert "trop longue" in html


def test_stray_coordinates_are_ignored_with_a_message(client):
    html = client.get(
        "/annuaire/", {"lat": "300", "lon": "-500", "sort": "distance"}
    ).content.decode()
    assert "Coordonnées invalides" in html


def test_query_count_is_bounded_and_the_same_for_few_and_many_results(
    client, django_assert_max_num_queries
):
    for number in range(40):
        add_place(
            f"Espace {number:02d}",
            f"espace-{number:02d}",
            commune="26063",
            services=["bureaux", "internet-haut-debit"],
        )
    few = second_view_queries(client, "/annuaire/", {"commune": "05166"})
    many = second_view_queries(client, "/annuaire/", {"department": "26"})
    assert few == many
    with django_assert_max_num_queries(20):
        client.get("/annuaire/", {"q": "espace", "service": "bureaux", "department": "26"})


def test_directory_page_cannot_be_framed_but_the_embed_map_can(client):
    assert client.get("/annuaire/")["X-Frame-Options"] == "DENY"
    embed = client.get("/annuaire/carte/", {"type": "place"})
    assert embed.status_code == 200
    assert "X-Frame-Options" not in embed
    html = embed.content.decode()
    assert {marker["type"] for marker in markers(html, client)} == {"place"}
    assert 'href="/annuaire/?type=place"' in html
    assert client.get(ActorPageFactory().url)["X-Frame-Options"] == "DENY"


def test_embed_map_handles_bad_input(client):
    response = client.get("/annuaire/carte/", {"theme": "<script>alert(1)</script>", "page": "abc"})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_english_directory_lists_english_entries(client):
    place = PlacePageFactory(title="Espace numérique de test")
    translation(place, title="Test digital space")
    html = client.get("/en/annuaire/").content.decode()
    assert "Test digital space" in listed_titles(html)
    assert "Espace numérique de test" not in listed_titles(html)
    assert all(marker["url"].startswith("/en/annuaire/") for marker in markers(html, client))


def test_english_directory_speaks_english(client):
    html = client.get("/en/annuaire/").content.decode()
    assert "Search and filter" in html
    assert "Rechercher et filtrer" not in html


def test_directory_catalogue_translates_every_string():
    from pathlib import Path

    import polib

    po = polib.pofile(
        str(
            Path(__file__).parent.parent
            / "directory"
            / "locale"
            / "en"
            / "LC_MESSAGES"
            / "django.po"
        )
    )
    assert [e.msgid for e in po if not e.obsolete and (not e.translated() or e.fuzzy)] == []


def test_map_markers_follow_the_search_and_stay_out_of_the_page(client):
    PlacePageFactory(commune=commune("05166"))
    html = client.get("/annuaire/", {"department": "05"}).content.decode()
    assert 'data-markers-url="/annuaire/carte.json?department=05"' in html
    assert "directory-markers" not in html  # no marker data inline, whatever the number of results
    found = client.get("/annuaire/carte.json", {"department": "05"}).json()
    assert found and len(found) == len(listed_titles(html))
    assert all(
        set(marker) == {"id", "title", "url", "type", "lat", "lon", "precise"} for marker in found
    )
    # Bad values are ignored as on the page, never a server error.
    assert (
        client.get("/annuaire/carte.json", {"department": "<x>", "lat": "abc"}).status_code == 200
    )
