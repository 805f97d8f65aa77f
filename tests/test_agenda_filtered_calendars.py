"""Filtered calendars: each /agenda/ filter has its own iCalendar feed, announced and offered on the page."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.test import override_settings
from django.utils import timezone
from icalendar import Calendar

from .editorial import add_event, new_organisation, theme
from .factories import EventPageFactory, commune

pytestmark = pytest.mark.django_db


def summaries(response):
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return {str(event["SUMMARY"]) for event in Calendar.from_ical(response.content).walk("VEVENT")}


def head_feed(html):
    (href,) = re.findall(
        r'<link rel="alternate" type="text/calendar" href="([^"]+)"', html.split("</head>")[0]
    )
    return unescape(href)


@pytest.fixture
def events():
    from directory.models import Commune

    organisation = new_organisation()
    nyons = Commune.objects.get(name="Nyons")
    soon = timezone.now() + timedelta(days=5)
    add_event(
        organisation.events_page,
        "Visio numérique",
        soon,
        soon + timedelta(hours=1),
        online_url="https://visio.example.org/",
        themes=[theme("culture-numerique")],
    )
    add_event(
        organisation.events_page,
        "Atelier à Nyons",
        soon,
        soon + timedelta(hours=2),
        commune=nyons,
        themes=[theme("services-au-public")],
    )
    return organisation, nyons


@pytest.mark.parametrize(
    ("query", "included", "excluded"),
    [
        ("theme=culture-numerique", "Visio numérique", "Atelier à Nyons"),
        ("mode=en-ligne", "Visio numérique", "Atelier à Nyons"),
        ("mode=sur-place", "Atelier à Nyons", "Visio numérique"),
        ("organisation=test-org&theme=services-au-public", "Atelier à Nyons", "Visio numérique"),
    ],
)
def test_each_filter_has_its_feed_announced_on_the_filtered_page(
    client, events, query, included, excluded
):
    html = client.get(f"/agenda/?{query}").content.decode()
    feed = head_feed(html)
    assert feed.startswith("/agenda/ical/?")
    assert f'href="webcal://testserver{feed.replace("&", "&amp;")}"' in html
    assert "S'abonner à ce calendrier" in html
    found = summaries(client.get(feed))
    assert included in found and excluded not in found


def test_the_commune_filter_and_its_feed(client, events):
    _organisation, nyons = events
    EventPageFactory(title="Réunion à Serres", commune=commune("05166"))
    html = client.get(f"/agenda/?commune={nyons.insee}").content.decode()
    assert f'<option value="{nyons.insee}" selected>Nyons</option>' in html
    found = summaries(client.get(head_feed(html)))
    assert "Atelier à Nyons" in found and "Visio numérique" not in found
    assert "Réunion à Serres" not in found


def test_the_unfiltered_page_offers_the_whole_agenda(client):
    html = client.get("/agenda/").content.decode()
    assert head_feed(html) == "/agenda/ical/"
    assert 'href="webcal://testserver/agenda/ical/"' in html and "S'abonner à l'agenda" in html
    assert (
        head_feed(client.get("/en/agenda/?mode=en-ligne").content.decode())
        == "/en/agenda/ical/?mode=en-ligne"
    )


@pytest.mark.parametrize(
    "query",
    ["theme=inconnu", "organisation=personne", "commune=99999", "mode=%3Cb%3E", "commune=%00"],
)
def test_unknown_filter_values_give_400_on_feeds_and_a_notice_on_pages(client, query):
    feed = client.get(f"/agenda/ical/?{query}")
    assert feed.status_code == 400 and "<b>" not in feed.content.decode()
    assert "Ce calendrier n'existe pas" in feed.content.decode()
    page = client.get(f"/agenda/?{query}")
    assert page.status_code in (200, 400)
    if page.status_code == 200:
        assert head_feed(page.content.decode()) == "/agenda/ical/"


@override_settings(PAGE_CACHE_ENABLED=True)
def test_filtered_feeds_are_page_cached_and_invalidated_on_publish(client, events):
    organisation, _nyons = events
    url = "/agenda/ical/?mode=en-ligne"
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    second = client.get(url)
    assert second["X-Page-Cache"] == "hit" and second.content == first.content
    soon = timezone.now() + timedelta(days=9)
    add_event(
        organisation.events_page,
        "Nouvelle visio",
        soon,
        soon + timedelta(hours=1),
        online_url="https://visio.example.org/2",
    )
    third = client.get(url)
    assert third["X-Page-Cache"] == "miss" and "Nouvelle visio" in summaries(third)
