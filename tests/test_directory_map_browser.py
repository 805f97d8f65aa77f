"""The directory's map, in Debian's chromium: it fetches the markers of the current search and
draws exactly the entries the list counts, with no tile server and no third-party request."""

import re

import pytest

from tests.browser import browser, django_page, needs_chromium  # noqa: F401

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.django_db]


def script_errors(tab):
    """Console errors, without chromium's note that the test origin (plain http) is not one where
    Cross-Origin-Opener-Policy applies."""
    return [text for text in tab.console_errors if "Cross-Origin-Opener-Policy" not in text]


def located_count(page):
    caption = page.locator(".directory-map-figure figcaption").inner_text()
    return int(re.search(r"(\d+) entrées? localisées?", caption).group(1))


@pytest.mark.parametrize("query", ["", "?type=place", "?department=26&theme=culture-numerique"])
def test_map_draws_one_marker_per_located_result_of_the_search(django_page, query):  # noqa: F811
    page = django_page.page
    django_page.goto(f"/annuaire/{query}")
    markers = page.locator("#directory-map path.leaflet-interactive")
    expected = located_count(page)
    assert expected > 0
    page.wait_for_function(
        f"() => document.querySelectorAll('#directory-map path.leaflet-interactive').length === {expected}",
        timeout=10_000,
    )
    assert markers.count() == expected
    assert page.locator("#directory-map").get_attribute("class").count("directory-map--plain") == 1
    assert django_page.third_party == []
    assert script_errors(django_page) == []


def test_embed_map_draws_the_same_markers_as_the_directory(django_page):  # noqa: F811
    page = django_page.page
    django_page.goto("/annuaire/carte/?type=place")
    expected = located_count(page)
    page.wait_for_function(
        f"() => document.querySelectorAll('#directory-map path.leaflet-interactive').length === {expected}",
        timeout=10_000,
    )
    assert script_errors(django_page) == []
