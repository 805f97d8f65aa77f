"""iCalendar (RFC 5545) output for the agenda, with the Europe/Paris time zone spelled out.

Timed events carry DTSTART/DTEND with TZID=Europe/Paris and a VTIMEZONE component, so that
calendar programs get the hours right on both sides of a daylight-saving change. All-day events
are DATE values, DTEND being the day after the last day (RFC 5545, 3.6.1).
"""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

PARIS = ZoneInfo("Europe/Paris")
PRODID = "-//Innover en Baronnies provençales//Agenda//FR"


def ical_time(value, all_day, end=False):
    local = value.astimezone(PARIS)
    if all_day:
        return local.date() + timedelta(days=1) if end else local.date()
    return local


def uid(event):
    return f"{event.translation_key}-{event.locale.language_code}@innover-en-baronnies"


def vevent(event, request, start=None, end=None, recurrence_id=None):
    """The VEVENT of a one-off event, of a series (with RRULE and EXDATE), or of a moved occurrence."""
    component = Event()
    component.add("uid", uid(event))
    component.add("dtstamp", event.last_published_at or timezone.now())
    component.add("dtstart", ical_time(start or event.start, event.all_day))
    component.add("dtend", ical_time(end or event.end, event.all_day, end=True))
    if recurrence_id is not None:
        component.add("recurrence-id", ical_time(recurrence_id, event.all_day))
    elif event.is_recurring:
        component.add("rrule", event.ical_rrule())
        cancelled = [rid for rid, _s, _e, is_cancelled, _m in series(event) if is_cancelled]
        if cancelled:
            component.add("exdate", [ical_time(rid, event.all_day) for rid in cancelled])
    component.add("summary", event.title)
    url = request.build_absolute_uri(event.get_url(request))
    component.add("description", f"{event.lead}\n\n{url}")
    component.add("url", url)
    location = event.location_name or event.online_url
    if location:
        component.add("location", location)
    themes = [theme.name for theme in event.theme_list]
    if themes:
        component.add("categories", themes)
    if event.last_published_at:
        component.add("last-modified", event.last_published_at)
    return component


def series(event):
    """The occurrences of a series from its rule and exceptions (read once per event)."""
    if not hasattr(event, "_ical_series"):
        event._ical_series = event.occurrence_list(list(event.exceptions.all()))
    return event._ical_series


def components(event, request):
    """One VEVENT, plus one overriding VEVENT (RECURRENCE-ID) per moved occurrence of a series."""
    yield vevent(event, request)
    if event.is_recurring:
        for rid, start, end, _cancelled, moved in series(event):
            if moved:
                yield vevent(event, request, start=start, end=end, recurrence_id=rid)


def build_calendar(events, request, name):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    first = None
    for event in events:
        for component in components(event, request):
            calendar.add_component(component)
        start = event.start.astimezone(PARIS).date()
        first = start if first is None or start < first else first
    if first is not None:
        calendar.add_missing_timezones(
            first_date=date(first.year - 1, 1, 1), last_date=date(max(first.year + 3, 2030), 1, 1)
        )
    return calendar


def calendar_response(request, events, name, filename):
    body = build_calendar(events, request, name).to_ical()
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
