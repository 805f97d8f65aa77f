"""Recurring events: the rule, its words, /agenda/ per occurrence, iCalendar series, per-occurrence registration.

The iCalendar feed is read back with ``icalendar`` and expanded with ``recurring_ical_events`` (an
independent implementation of RFC 5545): it must give exactly the dates that the pages show,
across both daylight-saving changes in Europe/Paris.
"""

import json
import re
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from core.public_forms import make_stamp
from events.models import EventException, EventOccurrence, Registration
from events.recurrence import MONTHLY_DAY, MONTHLY_WEEKDAY, WEEKLY

from .editorial import add_event, new_organisation, paris
from .factories import EventPageFactory, OrganisationFactory, translation
from .query_counts import second_view_queries

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
YEAR = timezone.localdate().year + 1  # always in the future, so every occurrence is "upcoming"


def feed(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def expanded_starts(cal, summary, start, end):
    """Start of every instance of ``summary`` between two dates, as recurring_ical_events sees it."""
    return sorted(
        event.decoded("DTSTART")
        for event in recurring_ical_events.of(cal).between(start, end)
        if str(event["SUMMARY"]) == summary
    )


def page_dates(html):
    """The ``datetime`` attributes of the occurrences the event page lists (not cancelled)."""
    section = html.split('id="occurrences-title"')[1].split("</section>")[0]
    items = re.findall(r"<li>(.*?)</li>", section, re.S)
    return [
        datetime.fromisoformat(re.search(r'<time datetime="([^"]+)"', item).group(1))
        for item in items
        if "<del>" not in item
    ]


def weekly_across_dst(organisation, **fields):
    # Tuesdays at 18:00–20:00 Paris, from early March to late November: both DST changes inside.
    first = date(YEAR, 3, 2)
    first += timedelta(days=(1 - first.weekday()) % 7)
    return add_event(
        organisation.events_page,
        "Permanence du mardi",
        paris(first.year, first.month, first.day, 18),
        paris(first.year, first.month, first.day, 20),
        repeat=WEEKLY,
        repeat_until=date(YEAR, 11, 30),
        **fields,
    )


def test_a_weekly_series_keeps_its_paris_hours_across_both_dst_changes(client):
    event = weekly_across_dst(new_organisation())
    rows = list(EventOccurrence.objects.filter(event=event))
    assert len(rows) >= 38
    assert {row.start.astimezone(PARIS).hour for row in rows} == {18}
    assert {row.start.astimezone(UTC).hour for row in rows} == {16, 17}  # summer and winter time
    assert all(row.start.astimezone(PARIS).weekday() == 1 for row in rows)
    assert max(row.start for row in rows).astimezone(PARIS).date() <= date(YEAR, 11, 30)


def test_the_feed_is_one_series_that_expands_to_the_dates_the_page_and_agenda_show(client):
    organisation = new_organisation()
    event = weekly_across_dst(organisation)
    cal = feed(client, event.url + "ical/")
    (vevent,) = cal.walk("VEVENT")
    assert vevent["RRULE"]["FREQ"] == ["WEEKLY"] and vevent["RRULE"]["BYDAY"] == ["TU"]
    assert vevent["DTSTART"].params["TZID"] == "Europe/Paris"
    until = vevent["RRULE"]["UNTIL"][0]
    assert until.tzinfo is not None and until.utcoffset() == timedelta(
        0
    )  # UTC, as RFC 5545 requires
    from_feed = expanded_starts(cal, "Permanence du mardi", date(YEAR, 1, 1), date(YEAR + 1, 1, 1))
    stored = [row.start for row in EventOccurrence.objects.filter(event=event).order_by("start")]
    assert from_feed == stored
    # The event page lists the next 12; the same ones, to the minute and with the Paris offset.
    shown = page_dates(client.get(event.url).content.decode())
    assert shown == from_feed[:12]
    assert {value.utcoffset() for value in from_feed} == {timedelta(hours=1), timedelta(hours=2)}
    # /agenda/ lists every occurrence, soonest first, across its pages.
    listed = agenda_starts(client, organisation)
    assert listed == stored


def second_tuesdays(today, count):
    found, year, month = [], today.year, today.month
    while len(found) < count:
        first = date(year, month, 1)
        day = first + timedelta(days=(1 - first.weekday()) % 7 + 7)
        if day >= today:
            found.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


@pytest.fixture
def monthly_meeting():
    """A series as the park's staff would write it: every second Tuesday, 14:00-16:30, no
    meeting in August, with registration and an English translation."""
    today = timezone.localdate()
    first = second_tuesdays(today, 1)[0]
    august = next(day for day in second_tuesdays(today, 12) if day.month == 8)
    organisation = OrganisationFactory(name="Le Parc de test")
    meeting = EventPageFactory(
        organisation=organisation,
        title="Réunion mensuelle de test",
        start=paris(first.year, first.month, first.day, 14),
        end=paris(first.year, first.month, first.day, 16, 30),
        repeat=MONTHLY_WEEKDAY,
        repeat_position=2,
        registration_open=True,
        capacity=25,
        exceptions=[EventException(original_date=august, cancelled=True)],
    )
    translation(meeting, title="Monthly test meeting")
    return meeting


def test_the_whole_agenda_feed_expands_a_monthly_meeting_to_the_listed_dates(
    client, monthly_meeting
):
    cal = feed(client, "/agenda/ical/")
    series = [e for e in cal.walk("VEVENT") if str(e["SUMMARY"]) == "Réunion mensuelle de test"]
    assert len(series) == 1  # one series, not one copy per month
    assert series[0]["RRULE"]["BYDAY"] == ["2TU"] and series[0]["RRULE"]["FREQ"] == ["MONTHLY"]
    assert "EXDATE" in series[0]  # no meeting in August
    now = timezone.now()
    from_feed = expanded_starts(cal, "Réunion mensuelle de test", now, now + timedelta(days=365))
    assert all(value.month != 8 for value in from_feed)
    assert all(
        value.weekday() == 1 and 8 <= value.day <= 14 and value.hour == 14 for value in from_feed
    )
    html = client.get(monthly_meeting.url).content.decode()
    shown = page_dates(html)
    assert shown == from_feed[: len(shown)] and len(shown) >= 10
    assert "Tous les deuxièmes mardis du mois, de 14 h à 16 h 30" in html
    agenda = client.get(
        f"/agenda/?organisation={monthly_meeting.get_parent().slug}"
    ).content.decode()
    assert agenda.count("Réunion mensuelle de test") >= 3
    assert f'{monthly_meeting.url}?date={from_feed[0].date().isoformat()}"' in agenda


def test_the_rule_reads_in_french_and_in_english(client, monthly_meeting):
    html = client.get(f"/en{monthly_meeting.url}").content.decode()
    assert "Every second Tuesday of the month, from 2 pm to 4:30 pm" in html
    organisation = new_organisation()
    last_friday = date(YEAR, 5, 28)  # the last Friday of May
    assert last_friday.weekday() == 4
    event = add_event(
        organisation.events_page,
        "Apéro du dernier vendredi",
        paris(YEAR, 5, 28, 18),
        paris(YEAR, 5, 28, 20),
        repeat=MONTHLY_WEEKDAY,
        repeat_position=-1,
        repeat_count=6,
    )
    html = client.get(event.url).content.decode()
    assert "Tous les derniers vendredis du mois, de 18 h à 20 h (6 fois)" in html
    starts = [row.start.astimezone(PARIS) for row in EventOccurrence.objects.filter(event=event)]
    assert len(starts) == 6
    assert all(
        day.weekday() == 4 and (day + timedelta(days=7)).month != day.month for day in starts
    )
    cal = feed(client, event.url + "ical/")
    assert cal.walk("VEVENT")[0]["RRULE"]["BYDAY"] == ["-1FR"]
    assert expanded_starts(
        cal, "Apéro du dernier vendredi", date(YEAR, 1, 1), date(YEAR + 2, 1, 1)
    ) == sorted(starts)


def test_monthly_on_a_day_with_an_interval(client):
    organisation = new_organisation()
    event = add_event(
        organisation.events_page,
        "Comité",
        paris(YEAR, 1, 14, 9),
        paris(YEAR, 1, 14, 11),
        repeat=MONTHLY_DAY,
        repeat_interval=2,
        repeat_until=date(YEAR, 12, 31),
    )
    days = [
        row.start.astimezone(PARIS).date() for row in EventOccurrence.objects.filter(event=event)
    ]
    assert days == [date(YEAR, month, 14) for month in (1, 3, 5, 7, 9, 11)]
    assert (
        "Le 14 du mois, tous les 2 mois, de 9 h à 11 h, jusqu&#x27;au 31 décembre"
        in client.get(event.url).content.decode()
    )


def test_cancelled_and_moved_occurrences(client):
    organisation = new_organisation()
    event = weekly_across_dst(organisation)
    rows = list(EventOccurrence.objects.filter(event=event).order_by("start"))
    cancelled_day = rows[2].start.astimezone(PARIS).date()
    moved_day = rows[30].start.astimezone(PARIS).date()  # after the autumn change
    new_start = datetime.combine(
        moved_day + timedelta(days=1), datetime.min.time().replace(hour=17), tzinfo=PARIS
    )
    event.exceptions = [
        EventException(original_date=cancelled_day, cancelled=True),
        EventException(
            original_date=moved_day, new_start=new_start, new_end=new_start + timedelta(hours=2)
        ),
    ]
    event.full_clean()
    event.save_revision().publish()
    listed = [
        o.start.astimezone(PARIS).date()
        for o in EventOccurrence.objects.filter(event=event, cancelled=False)
    ]
    assert cancelled_day not in listed and moved_day not in listed and new_start.date() in listed
    cal = feed(client, event.url + "ical/")
    series, override = sorted(cal.walk("VEVENT"), key=lambda e: "RECURRENCE-ID" in e)
    assert [d.dt.date() for d in series["EXDATE"].dts] == [cancelled_day]
    assert override.decoded("RECURRENCE-ID").date() == moved_day
    assert override.decoded("DTSTART") == new_start and str(override["UID"]) == str(series["UID"])
    from_feed = expanded_starts(cal, "Permanence du mardi", date(YEAR, 1, 1), date(YEAR + 1, 1, 1))
    stored = [
        o.start
        for o in EventOccurrence.objects.filter(event=event, cancelled=False).order_by("start")
    ]
    assert from_feed == stored
    html = client.get(event.url).content.decode()
    assert "annulée" in html.split('id="occurrences-title"')[1]
    # The sessions the page lists (the cancelled one struck through, not counted) are the feed's.
    shown = page_dates(html)
    assert len(shown) == 11 and shown == from_feed[:11]
    # /agenda/ lists exactly the feed's dates too, the moved one included, across its pages.
    listed = agenda_starts(client, organisation)
    assert listed == from_feed and new_start in listed
    # The agenda does not list the cancelled one.
    assert all(
        o.start.astimezone(PARIS).date() != cancelled_day
        for o in EventOccurrence.objects.filter(event=event, cancelled=False)
    )


def test_the_form_refuses_what_the_rule_cannot_mean():
    organisation = new_organisation()
    event = add_event(
        organisation.events_page, "Série", paris(YEAR, 1, 12, 18), paris(YEAR, 1, 12, 20)
    )
    event.repeat, event.repeat_position = (
        MONTHLY_WEEKDAY,
        -1,
    )  # 12 January is a second Tuesday, not the last
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "repeat_position" in error.value.message_dict
    event.repeat_position, event.repeat_until, event.repeat_count = 2, date(YEAR, 6, 1), 4
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "repeat_count" in error.value.message_dict
    event.repeat_count = None
    event.exceptions = [EventException(original_date=date(YEAR, 1, 13), cancelled=True)]
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "n'est pas une séance de la série" in " ".join(error.value.messages)


def test_a_date_outside_the_series_is_ignored_with_a_notice(client, monthly_meeting):
    for value in ("1999-01-01", "pas-une-date", "%3Cb%3E"):
        response = client.get(f"{monthly_meeting.url}?date={value}")
        assert response.status_code == 200
        assert "Cette date ne fait pas partie de la série" in response.content.decode()


def test_json_ld_has_an_event_schedule(client, monthly_meeting):
    html = client.get(monthly_meeting.url).content.decode()
    data = json.loads(
        re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[0]
    )
    schedule = data["eventSchedule"]
    assert schedule["@type"] == "Schedule" and schedule["repeatFrequency"] == "P1M"
    assert schedule["byDay"] == "https://schema.org/Tuesday" and schedule["byMonthWeek"] == 2
    assert (schedule["startTime"], schedule["endTime"], schedule["scheduleTimezone"]) == (
        "14:00",
        "16:30",
        "Europe/Paris",
    )


def protection():
    """The public-form protection as a person's browser sends it: a stamp made a minute ago."""
    return {"debut": make_stamp(time.time() - 60), "site_web": ""}


def test_registration_capacity_counts_per_occurrence(client):
    organisation = new_organisation()
    event = weekly_across_dst(organisation, registration_open=True, capacity=1)
    first, second = EventOccurrence.objects.filter(event=event).order_by("start")[:2]

    def register(occurrence, email):
        return client.post(
            event.url,
            {
                "occurrence": occurrence.recurrence_id.isoformat(),
                "name": "Camille",
                "email": email,
                "consent": "on",
                **protection(),
            },
        )

    response = register(first, "a@example.org")
    assert response.status_code == 302, response.context["registration_form"].errors
    full = register(first, "b@example.org")
    assert "complet" in full.content.decode()
    assert register(second, "b@example.org").status_code == 302
    assert register(second, "b@example.org").status_code == 200  # already registered for that one
    assert Registration.objects.filter(event=event).count() == 2
    assert set(Registration.objects.values_list("occurrence", flat=True).filter(event=event)) == {
        first.recurrence_id,
        second.recurrence_id,
    }
    bad = client.post(
        event.url,
        {
            "occurrence": "2000-01-01T00:00:00+00:00",
            "name": "X",
            "email": "x@example.org",
            "consent": "on",
            **protection(),
        },
    )
    assert bad.status_code == 200 and "pas ouverte aux inscriptions" in bad.content.decode()
    page = client.get(f"{event.url}?date={first.date_param}").content.decode()
    assert "Cet événement est complet" in page or "complet" in page


def test_listing_queries_do_not_grow_with_the_occurrences(client, monthly_meeting):
    organisation = new_organisation()
    url = f"/agenda/?organisation={organisation.slug}"
    add_event(organisation.events_page, "Unique", paris(YEAR, 2, 1, 10), paris(YEAR, 2, 1, 12))
    few = second_view_queries(client, url)
    weekly_across_dst(organisation)
    assert second_view_queries(client, url) == few
    # A monthly meeting (a series): within the 20-query budget of every page, in both
    # languages (tests/test_new_pages_query_budget.py measures the other new pages).
    for url in (monthly_meeting.url, f"/en{monthly_meeting.url}"):
        client.get(url)  # warms the site frame (menus, settings), as for every other page
        with CaptureQueriesContext(connection) as page:
            response = client.get(url)
        assert response.status_code == 200 and "occurrences-title" in response.content.decode()
        assert len(page) <= 20, (url, len(page))


def agenda_starts(client, organisation):
    """The start of every occurrence /agenda/ lists for ``organisation``, across its pages."""
    listed = []
    for number in range(1, 6):
        response = client.get(f"/agenda/?organisation={organisation.slug}&page={number}")
        listed += [o.start for o in response.context["page_obj"]]
        if not response.context["page_obj"].has_next():
            break
    return listed
