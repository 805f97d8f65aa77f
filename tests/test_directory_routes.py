"""The directory's markers, exports and contribution form are routes of its page: every URL
follows the page's slug and language, none is written by hand."""

import html as html_lib
import re

import pytest

from tests.directory_helpers import clear_cache, directory_index

pytestmark = pytest.mark.django_db

ROUTES = {
    "markers": "carte.json",
    "export_geojson": "export.geojson",
    "export_csv": "export.csv",
    "export_mediation": "export-mediation-numerique.csv",
    "propose": "proposer/",
}


@pytest.fixture(autouse=True)
def fresh_cache():
    clear_cache()


def rename(page, slug):
    page.slug = slug
    page.save_revision().publish()
    clear_cache()
    return page


def links(html):
    """Every address the directory page points to: feeds in <head>, links, the map's markers."""
    found = re.findall(r'<link rel="alternate"[^>]*href="([^"]+)"', html)
    found += re.findall(r'<a [^>]*href="([^"]+)"', html)
    found += re.findall(r'data-markers-url="([^"]+)"', html)
    return [html_lib.unescape(url) for url in found]


@pytest.mark.parametrize("language,prefix", [("fr", ""), ("en", "/en")])
def test_route_urls_are_the_same_as_before_the_routes(client, language, prefix):
    page = directory_index(language)
    assert {name: page.reverse_subpage(name) for name in ROUTES} == ROUTES
    html = client.get(f"{prefix}/annuaire/").content.decode()
    for name, tail in ROUTES.items():
        if name != "markers":
            assert f'href="{prefix}/annuaire/{tail}' in html, name
    assert f'data-markers-url="{prefix}/annuaire/carte.json' in html


@pytest.mark.parametrize("language,prefix", [("fr", ""), ("en", "/en")])
def test_renaming_the_directory_moves_every_link_feed_and_export(client, language, prefix):
    rename(directory_index(language), "repertoire")

    response = client.get(f"{prefix}/repertoire/", {"type": "place"})
    assert response.status_code == 200
    html = response.content.decode()
    urls = links(html)
    feeds = re.findall(
        r'<link rel="alternate" type="(?:application/geo\+json|text/csv)"[^>]*href="([^"]+)"', html
    )
    assert len(feeds) == 3
    for tail in ROUTES.values():
        matching = [url for url in urls if url.split("?")[0] == f"{prefix}/repertoire/{tail}"]
        assert matching, f"no link to {tail} under the new slug"
        for url in matching:
            answer = client.get(url)
            assert answer.status_code == 200, url
    # The filtered exports keep the search.
    assert all("type=place" in html_lib.unescape(url) for url in feeds)
    # Nothing is left under the old slug: not in the page, not served.
    assert not [url for url in urls if url.startswith(f"{prefix}/annuaire/")]
    for tail in ROUTES.values():
        assert client.get(f"{prefix}/annuaire/{tail}").status_code == 404, tail
    # Entry links follow too.
    entries = [url for url in urls if re.fullmatch(rf"{prefix}/repertoire/[\w-]+/([\w-]+/)?", url)]
    assert entries
    assert client.get(entries[0]).status_code == 200


def test_markers_of_the_renamed_directory_link_to_entries_under_the_new_slug(client):
    rename(directory_index("fr"), "repertoire")
    markers = client.get("/repertoire/carte.json").json()
    assert markers
    assert all(marker["url"].startswith("/repertoire/") for marker in markers if marker["url"])


def test_contribution_form_posts_to_its_own_route_after_a_rename(client):
    rename(directory_index("fr"), "repertoire")
    html = client.get("/repertoire/proposer/").content.decode()
    action = re.search(r'<form method="post" action="([^"]*)"', html)
    assert action is not None and action.group(1) == "/repertoire/proposer/"
