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


def vevent(event, request):
    component = Event()
    component.add("uid", f"{event.translation_key}-{event.locale.language_code}@innover-en-baronnies")
    component.add("dtstamp", event.last_published_at or timezone.now())
    if event.all_day:
        component.add("dtstart", event.start.astimezone(PARIS).date())
        component.add("dtend", event.end.astimezone(PARIS).date() + timedelta(days=1))
    else:
        component.add("dtstart", event.start.astimezone(PARIS))
        component.add("dtend", event.end.astimezone(PARIS))
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
        calendar.add_component(vevent(event, request))
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
