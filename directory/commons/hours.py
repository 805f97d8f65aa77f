"""Opening hours in OpenStreetMap syntax, read by a maintained parser (``opening-hours-py``, the
Rust ``opening-hours`` crate): validation with a message that points at the fault, "open now /
next change" in Europe/Paris time with French public holidays (``PH``), and the weekly table
(``OpeningInterval``) that the directory's "ouvert maintenant" / "ouvert le …" filters read.

The weekly table holds, for each entry, the open intervals of the seven days starting on the day it
was built, in local wall-clock minutes (0–1440). Regular weekly rules give the same table whatever
the day; rules that depend on dates (public holidays, months, weeks) are right for the coming seven
days, which is why ``manage.py rebuild_opening_hours`` runs once a day (and each publication
rebuilds its own entry).
"""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import opening_hours as osm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

PARIS = ZoneInfo("Europe/Paris")
COUNTRY = "FR"
MAX_LENGTH = 255
WEEKDAYS = ("mo", "tu", "we", "th", "fr", "sa", "su")
DAY_MINUTES = 24 * 60
_POSITION = re.compile(r"-->\s*\d+:(\d+)")
_EXPECTED = re.compile(r"=\s*expected (.+)$", re.MULTILINE)


def clean_value(value):
    """The value as stored: surrounding spaces and a trailing ``;`` removed."""
    return (value or "").strip().rstrip(";").strip()


def parse(value):
    """An ``opening_hours.OpeningHours`` for a valid value, else None (never raises)."""
    value = clean_value(value)
    if not value or len(value) > MAX_LENGTH:
        return None
    try:
        return osm.OpeningHours(value, country=COUNTRY)
    except (osm.ParserError, SyntaxError, ValueError):
        return None


def error_message(value):
    """A French message that says where a value stops being valid, or "" when it is valid."""
    value = clean_value(value)
    if not value:
        return ""
    if len(value) > MAX_LENGTH:
        return _("Horaires trop longs (au plus %(n)s caractères).") % {"n": MAX_LENGTH}
    try:
        osm.OpeningHours(value, country=COUNTRY)
    except (osm.ParserError, SyntaxError, ValueError) as error:
        text = str(error)
        match = _POSITION.search(text)
        column = int(match.group(1)) if match else None
        if column is not None and 1 <= column <= len(value) + 1:
            fault = value[column - 1 : column + 11] or _("fin du texte")
            return _(
                "Horaires non reconnus (syntaxe OpenStreetMap) : erreur au caractère %(column)s, à « %(fault)s ». "
                "Exemple : Mo-Fr 09:00-12:30,14:00-18:00; Sa 09:00-12:00; PH off"
            ) % {"column": column, "fault": fault}
        return _(
            "Horaires non reconnus (syntaxe OpenStreetMap). Exemple : Mo-Fr 09:00-12:30,14:00-18:00; Sa 09:00-12:00; PH off"
        )
    return ""


def validate_opening_hours(value):
    """Field validator (admin, contribution form, importer)."""
    message = error_message(value)
    if message:
        raise ValidationError(message, code="invalid_opening_hours")


def local_now(now=None):
    """``now`` (aware; default: the current time) as a naive Europe/Paris wall-clock time."""
    now = now or timezone.now()
    if timezone.is_naive(now):
        return now
    return now.astimezone(PARIS).replace(tzinfo=None)


def status(value, now=None, horizon_days=8):
    """{"open": bool|None, "next_change": aware datetime or None, "intervals": [(start, end)…]}
    for the entry page, in Europe/Paris time, or None for a missing or invalid value.

    ``open`` is None when the hours say "unknown" (for example a comment only). ``intervals`` are
    the open intervals of the coming days (aware datetimes), for the page's script that keeps the
    status right while the page cache serves the page."""
    hours = parse(value)
    if hours is None:
        return None
    start = local_now(now)
    state = hours.state(start)
    change = hours.next_change(start)
    intervals = []
    for begin, end, interval_state, _comments in hours.intervals(
        start, start + timedelta(days=horizon_days)
    ):
        if interval_state == osm.State.OPEN:
            intervals.append(
                (begin.replace(tzinfo=PARIS), end.replace(tzinfo=PARIS) if end else None)
            )
    if change is not None:
        if timezone.is_naive(change):
            change = change.replace(tzinfo=PARIS)
        if change - start.replace(tzinfo=PARIS) > timedelta(days=366):
            change = None
    return {
        "open": {osm.State.OPEN: True, osm.State.CLOSED: False}.get(state),
        "next_change": change,
        "intervals": intervals,
    }


def weekly_intervals(value, today=None):
    """[(weekday, start_minute, end_minute)…] of the open intervals of the seven days from
    ``today`` (a date; default: today in Europe/Paris), cut at midnight; weekday 0 is Monday."""
    hours = parse(value)
    if hours is None:
        return []
    today = today or local_now().date()
    start = datetime.combine(today, time())
    end = start + timedelta(days=7)
    found = set()
    for begin, stop, state, _comments in hours.intervals(start, end):
        if state != osm.State.OPEN:
            continue
        stop = min(stop or end, end)
        cursor = begin
        while cursor < stop:
            midnight = datetime.combine(cursor.date() + timedelta(days=1), time())
            piece_end = min(stop, midnight)
            start_minute = cursor.hour * 60 + cursor.minute
            end_minute = (
                DAY_MINUTES if piece_end == midnight else piece_end.hour * 60 + piece_end.minute
            )
            if end_minute > start_minute:
                found.add((cursor.weekday(), start_minute, end_minute))
            cursor = piece_end
    return sorted(found)


def open_choices():
    """(value, label) of the directory's "open" filter."""
    days = [
        _("le lundi"),
        _("le mardi"),
        _("le mercredi"),
        _("le jeudi"),
        _("le vendredi"),
        _("le samedi"),
        _("le dimanche"),
    ]
    return [("now", _("maintenant")), *zip(WEEKDAYS, days, strict=True)]


def moment(now=None):
    """(weekday, minute) of ``now`` in Europe/Paris wall-clock time."""
    local = local_now(now)
    return local.weekday(), local.hour * 60 + local.minute


def rebuild(pages, today=None):
    """Replace the weekly table of ``pages`` (objects with ``pk`` and ``opening_hours``; entries
    without hours lose their rows). Two queries per 1,000 pages plus the inserts."""
    from .models import OpeningInterval

    pages = list(pages)
    today = today or local_now().date()
    for start in range(0, len(pages), 1000):
        batch = pages[start : start + 1000]
        OpeningInterval.objects.filter(page_id__in=[page.pk for page in batch]).delete()
        rows = [
            OpeningInterval(page_id=page.pk, weekday=weekday, start_minute=begin, end_minute=end)
            for page in batch
            if getattr(page, "opening_hours", "")
            for weekday, begin, end in weekly_intervals(page.opening_hours, today)
        ]
        OpeningInterval.objects.bulk_create(rows, batch_size=1000)


def open_filter(open_param, at=None):
    """The subquery of page ids for a validated ``open`` parameter ("now" or a weekday code);
    ``at``: the (weekday, minute) that "now" means (default: ``moment()``)."""
    from .models import OpeningInterval

    if open_param == "now":
        weekday, minute = at or moment()
        rows = OpeningInterval.objects.filter(
            weekday=weekday, start_minute__lte=minute, end_minute__gt=minute
        )
    else:
        rows = OpeningInterval.objects.filter(weekday=WEEKDAYS.index(open_param))
    return rows.values("page_id")
