"""/agenda/: upcoming events first, an archive of past ones, filters, pagination, bounded queries."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from .editorial import add_event, new_organisation, theme
from .factories import EventPageFactory, OrganisationFactory, ThemeFactory, commune, translation
from .query_counts import second_view_queries

pytestmark = pytest.mark.django_db


def listed(response):
    """The occurrences listed on the page (EventOccurrence rows: start, end, title, event)."""
    return list(response.context["page_obj"])


def test_agenda_lists_upcoming_events_soonest_first(client):
    soon = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=30)
    first, second = OrganisationFactory(), OrganisationFactory()
    built = {
        hours: EventPageFactory(
            organisation=first if hours % 2 else second, start=soon + timedelta(hours=hours)
        )
        for hours in (3, 1, 4, 2)
    }
    ended = EventPageFactory(organisation=first, start=soon - timedelta(days=2))
    events = listed(client.get("/agenda/"))
    ours = [event.event.pk for event in events if event.event.pk in {e.pk for e in built.values()}]
    assert ours == [built[hours].pk for hours in (1, 2, 3, 4)]
    assert ended.pk not in {event.event.pk for event in events}
    now = timezone.now()
    assert all(event.end >= now for event in events)
    starts = [event.start for event in events]
    assert starts == sorted(starts)


def test_the_archive_keeps_past_events_most_recent_first(client):
    now = timezone.now()
    older = EventPageFactory(title="Atelier d'il y a cinq jours", start=now - timedelta(days=5))
    recent = EventPageFactory(title="Atelier d'avant-hier", start=now - timedelta(days=2))
    upcoming = EventPageFactory(title="Atelier à venir")
    events = listed(client.get("/agenda/?periode=passes"))
    titles = [event.title for event in events]
    assert titles.index(recent.title) < titles.index(older.title)
    assert upcoming.title not in titles
    assert all(event.end < timezone.now() for event in events)
    starts = [event.start for event in events]
    assert starts == sorted(starts, reverse=True)


def test_an_event_moves_to_the_archive_once_it_has_ended(client):
    organisation = new_organisation()
    now = timezone.now()
    add_event(
        organisation.events_page, "Hier", now - timedelta(days=1, hours=2), now - timedelta(days=1)
    )
    add_event(
        organisation.events_page, "En cours", now - timedelta(hours=1), now + timedelta(hours=1)
    )
    upcoming = [e.title for e in listed(client.get("/agenda/?organisation=test-org"))]
    archive = [e.title for e in listed(client.get("/agenda/?organisation=test-org&periode=passes"))]
    assert upcoming == ["En cours"] and archive == ["Hier"]


def test_filter_by_theme_and_organisation(client):
    chosen = ThemeFactory()
    organisation = OrganisationFactory()
    last_week = timezone.now() - timedelta(days=7)
    themed = {
        EventPageFactory(organisation=organisation, start=last_week, themes=[chosen]).pk,
        EventPageFactory(start=last_week - timedelta(days=1), themes=[chosen]).pk,
    }
    EventPageFactory(
        organisation=organisation, start=last_week + timedelta(days=1), themes=[ThemeFactory()]
    )
    by_theme = listed(client.get(f"/agenda/?periode=passes&theme={chosen.slug}"))
    assert {e.event.pk for e in by_theme} == themed
    assert all(chosen.slug in [t.slug for t in e.event.themes.all()] for e in by_theme)
    by_organisation = listed(
        client.get(f"/agenda/?periode=passes&organisation={organisation.slug}")
    )
    assert len(by_organisation) == 2


@pytest.mark.parametrize(
    "query",
    [
        "periode=demain",
        "periode=%3Cb%3E",
        "theme=inconnu",
        "organisation=personne",
        "page=abc",
        "page=-1",
        "page=9999",
    ],
)
def test_bad_query_values_give_a_page_not_an_error(client, query):
    response = client.get(f"/agenda/?{query}")
    assert response.status_code == 200
    assert "<b>" not in response.content.decode().split("<main")[1]


def test_unknown_period_says_so(client):
    html = client.get("/agenda/?periode=demain").content.decode()
    assert "Cette période n&#x27;existe pas" in html


def test_agenda_queries_do_not_grow_with_the_number_of_events(client):
    organisation = new_organisation()
    url = "/agenda/?organisation=test-org"
    start = timezone.now() + timedelta(days=3)
    for number in range(3):
        add_event(
            organisation.events_page,
            f"Court {number}",
            start,
            start + timedelta(hours=2),
            themes=[theme("culture-numerique")],
        )
    few = second_view_queries(client, url)
    for number in range(27):
        add_event(
            organisation.events_page,
            f"Long {number}",
            start + timedelta(days=number),
            start + timedelta(days=number, hours=2),
            themes=[theme("culture-numerique"), theme("services-au-public")],
        )
    many = second_view_queries(client, url)
    assert few == many
    frame = second_view_queries(client, "/le-reseau/")
    assert many - frame <= 10
    assert second_view_queries(client, "/agenda/test-org/") - frame <= 10


def test_agenda_links_its_calendar_in_the_head(client):
    head = client.get("/agenda/").content.decode().split("</head>")[0]
    assert '<link rel="alternate" type="text/calendar" href="/agenda/ical/"' in head
    head = client.get("/en/agenda/").content.decode().split("</head>")[0]
    assert 'type="text/calendar" href="/en/agenda/ical/"' in head


def test_event_page_has_valid_event_json_ld(client):
    from .editorial import paris

    year = timezone.localdate().year + 1
    event = EventPageFactory(
        start=paris(year, 12, 14),
        end=paris(year, 12, 14, 23, 59),
        all_day=True,
        commune=commune("26220"),
    )
    html = client.get(event.url).content.decode()
    head = html.split("</head>")[0]
    assert f'<link rel="alternate" type="text/calendar" href="{event.url}ical/"' in head
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(block)
    assert data["@type"] == "Event"
    assert data["startDate"] == f"{year}-12-14"
    assert data["location"]["@type"] == "Place" and "Nyons" in data["location"]["name"]
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"


def test_timed_event_json_ld_has_paris_offsets(client):
    from .editorial import paris

    organisation = new_organisation()
    event = add_event(
        organisation.events_page,
        "Atelier d'été",
        paris(2026, 7, 1, 9, 30),
        paris(2026, 7, 1, 12),
        online_url="https://visio.example.org/",
    )
    html = client.get(event.url).content.decode()
    data = json.loads(
        re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[0]
    )
    assert data["startDate"] == "2026-07-01T09:30:00+02:00"
    assert data["organizer"] == [{"@type": "Organization", "name": "Organisation de test"}]
    assert data["location"] == {"@type": "VirtualLocation", "url": "https://visio.example.org/"}
    assert "9:30" in html or "09:30" in html


@pytest.mark.parametrize("which", ["index", "archive", "folder", "event", "translated event"])
def test_agenda_pages_render_in_both_languages(client, which):
    organisation = OrganisationFactory()
    event = EventPageFactory(organisation=organisation)
    translated = EventPageFactory(
        organisation=organisation, start=timezone.now() - timedelta(days=3)
    )
    translation(translated, title="A translated workshop")
    url = {
        "index": "/agenda/",
        "archive": "/agenda/?periode=passes",
        "folder": organisation.events_page.url,
        "event": event.url,
        "translated event": translated.url,
    }[which]
    french = client.get(url)
    assert french.status_code == 200 and '<html lang="fr">' in french.content.decode()
    english = client.get("/en" + url)
    assert english.status_code == 200
    assert '<html lang="en">' in english.content.decode()
