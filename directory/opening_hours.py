"""A small parser for the common cases of OpenStreetMap's ``opening_hours`` syntax.

Understood: ``24/7``; rules separated by ``;``; day lists and ranges (``Mo-Fr``, ``Tu,Th``,
``Sa``, wrapping ``Fr-Mo``); several time ranges (``09:00-12:30,14:00-18:00``); ``off`` /
``closed``; ``PH off`` (closed on public holidays). A later rule replaces the hours of the days
it names, as in the OSM specification. Anything else (months, week numbers, sunrise…) makes
``parse`` return None, and pages then show the text as written.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
DAY_NAMES = [
    _("lundi"),
    _("mardi"),
    _("mercredi"),
    _("jeudi"),
    _("vendredi"),
    _("samedi"),
    _("dimanche"),
]
SCHEMA_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TIME_RANGE = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")
DAY_TOKEN = re.compile(r"^(Mo|Tu|We|Th|Fr|Sa|Su)(?:-(Mo|Tu|We|Th|Fr|Sa|Su))?$")


@dataclass
class OpeningHours:
    days: list = field(
        default_factory=lambda: [[] for _day in DAYS]
    )  # per weekday: [(open, close)]
    closed_on_public_holidays: bool = False

    def table(self):
        """[(day name, [(open, close), …]), …] from Monday to Sunday; an empty list means closed."""
        return list(zip(DAY_NAMES, self.days, strict=True))

    def schema_org(self):
        """schema.org ``openingHoursSpecification`` dicts, one per day and time range."""
        specs = []
        for day, ranges in zip(SCHEMA_DAYS, self.days, strict=True):
            for opens, closes in ranges:
                specs.append(
                    {
                        "@type": "OpeningHoursSpecification",
                        "dayOfWeek": f"https://schema.org/{day}",
                        "opens": opens,
                        "closes": closes,
                    }
                )
        return specs


def _days(selector):
    selected = []
    for token in selector.split(","):
        match = DAY_TOKEN.match(token)
        if not match:
            return None
        start = DAYS.index(match.group(1))
        end = DAYS.index(match.group(2)) if match.group(2) else start
        index = start
        while True:
            if index not in selected:
                selected.append(index)
            if index == end:
                break
            index = (index + 1) % 7
    return selected


def _ranges(text):
    ranges = []
    for token in text.split(","):
        match = TIME_RANGE.match(token.strip())
        if not match:
            return None
        opens, closes = f"{match.group(1)}:{match.group(2)}", f"{match.group(3)}:{match.group(4)}"
        if opens >= closes and closes != "00:00":
            return None
        ranges.append((opens, closes))
    return ranges


def parse(value):
    """OpeningHours for a supported ``opening_hours`` value, else None."""
    value = (value or "").strip().rstrip(";")
    if not value or len(value) > 255:
        return None
    hours = OpeningHours()
    if value == "24/7":
        hours.days = [[("00:00", "23:59")] for _day in DAYS]
        return hours
    for rule in value.split(";"):
        rule = rule.strip()
        if not rule:
            return None
        if rule in ("PH off", "PH closed"):
            hours.closed_on_public_holidays = True
            continue
        parts = rule.split(None, 1)
        if len(parts) != 2:
            return None
        selector, times = parts
        days = _days(selector)
        if days is None:
            return None
        if times.strip() in ("off", "closed"):
            ranges = []
        else:
            ranges = _ranges(times.replace(" ", ""))
            if ranges is None:
                return None
        for day in days:
            hours.days[day] = list(ranges)
    return hours
