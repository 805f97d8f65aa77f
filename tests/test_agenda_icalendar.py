"""iCalendar (RFC 5545) output: the whole agenda and one file per event, right across DST changes."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from .editorial import add_event, new_organisation, paris
from .factories import EventPageFactory, commune, translation

pytestmark = pytest.mark.django_db


def calendar(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events_by_summary(cal):
    return {str(event["SUMMARY"]): event for event in cal.walk("VEVENT")}


def test_agenda_feed_parses_and_lists_upcoming_events(client):
    EventPageFactory(title="Rencontre publique de test")
    cal = calendar(client, "/agenda/ical/")
    assert str(cal["VERSION"]) == "2.0" and cal["PRODID"]
    events = events_by_summary(cal)
    assert "Rencontre publique de test" in events
    assert all(event.get("UID") and event.get("DTSTAMP") for event in events.values())
    uids = [str(event["UID"]) for event in events.values()]
    assert len(uids) == len(set(uids))


def test_times_are_right_across_the_daylight_saving_changes(client):
    organisation = new_organisation()
    # 29 March 2026: clocks go forward in Paris (UTC+1 → UTC+2); 25 October 2026: back (UTC+2 → UTC+1).
    spring = add_event(
        organisation.events_page, "Printemps", paris(2026, 3, 29, 10), paris(2026, 3, 29, 12)
    )
    autumn = add_event(
        organisation.events_page, "Automne", paris(2026, 10, 25, 10), paris(2026, 10, 25, 12)
    )
    for event, utc_hour in ((spring, 8), (autumn, 9)):
        cal = calendar(client, event.url + "ical/")
        (vevent,) = cal.walk("VEVENT")
        start = vevent.decoded("DTSTART")
        assert start.tzinfo is not None
        assert vevent["DTSTART"].params["TZID"] == "Europe/Paris"
        assert start.astimezone(UTC) == datetime(
            start.year, start.month, start.day, utc_hour, tzinfo=UTC
        )
        assert start.astimezone(ZoneInfo("Europe/Paris")).hour == 10
        assert vevent.decoded("DTEND").astimezone(UTC).hour == utc_hour + 2
        (vtimezone,) = cal.walk("VTIMEZONE")
        assert str(vtimezone["TZID"]) == "Europe/Paris"
        offsets = {sub["TZOFFSETTO"].td.total_seconds() / 3600 for sub in vtimezone.subcomponents}
        assert offsets == {1.0, 2.0}


def test_vtimezone_alone_gives_the_right_utc_time(client):
    """Read the file as a client without a zone database would: offsets from VTIMEZONE only."""
    organisation = new_organisation()
    event = add_event(
        organisation.events_page, "Automne", paris(2026, 10, 25, 10), paris(2026, 10, 25, 12)
    )
    text = client.get(event.url + "ical/").content.decode()
    assert "DTSTART;TZID=Europe/Paris:20261025T100000" in text
    assert "BEGIN:VTIMEZONE" in text and "TZOFFSETTO:+0100" in text and "TZOFFSETTO:+0200" in text


def test_all_day_events_are_dates_with_an_exclusive_end(client):
    year = timezone.localdate().year + 1
    event = EventPageFactory(
        start=paris(year, 12, 14),
        end=paris(year, 12, 14, 23, 59),
        all_day=True,
        commune=commune("26220"),
    )
    cal = calendar(client, event.url + "ical/")
    (vevent,) = cal.walk("VEVENT")
    start, end = vevent.decoded("DTSTART"), vevent.decoded("DTEND")
    assert type(start) is date and (start.year, start.month, start.day) == (year, 12, 14)
    assert (end - start).days == 1
    assert "Nyons" in str(vevent["LOCATION"])
    assert str(vevent["URL"]).endswith(event.url)


def test_english_calendar_has_english_titles(client):
    translation(EventPageFactory(title="Rencontre publique de test"), title="A public test meeting")
    events = events_by_summary(calendar(client, "/en/agenda/ical/"))
    assert "A public test meeting" in events
    assert "Rencontre publique de test" not in events
