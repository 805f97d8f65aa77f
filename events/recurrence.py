"""Recurring events: a small, editor-friendly subset of RFC 5545 recurrence rules.

Supported: weekly (on the start's weekday), monthly on the start's day of the month, monthly on a
weekday position ("2e mardi", "dernier vendredi"); an interval; an end by date (UNTIL) or by count
(COUNT); cancelled occurrences (EXDATE) and moved ones (overrides with RECURRENCE-ID), both entered
as ``EventException`` rows. Editors never type an RRULE: the fields below say it in French.

Expansion uses python-dateutil's ``rrule`` on Paris wall-clock times, so that a meeting at 18 h
stays at 18 h on both sides of a daylight-saving change (the UTC time moves instead).
"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import dateformat, timezone
from django.utils.translation import get_language, gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

PARIS = ZoneInfo("Europe/Paris")
HORIZON_DAYS = 2 * 365  # occurrences are materialised this far ahead of publication
MAX_OCCURRENCES = 500

NONE, WEEKLY, MONTHLY_DAY, MONTHLY_WEEKDAY = "", "weekly", "monthly-day", "monthly-weekday"
FREQUENCY_CHOICES = [
    (NONE, _("Ne se répète pas")),
    (WEEKLY, _("Chaque semaine, le même jour")),
    (MONTHLY_DAY, _("Chaque mois, à la même date (ex. le 14)")),
    (
        MONTHLY_WEEKDAY,
        _("Chaque mois, le même jour de la semaine (ex. le 2e mardi, le dernier vendredi)"),
    ),
]
POSITION_CHOICES = [
    (1, _("premier")),
    (2, _("deuxième")),
    (3, _("troisième")),
    (4, _("quatrième")),
    (-1, _("dernier")),
]
ICAL_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
DATEUTIL_DAYS = [rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU]
SCHEMA_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def weekday_plural(index):
    return [
        pgettext("every … of the month", "lundis"),
        pgettext("every … of the month", "mardis"),
        pgettext("every … of the month", "mercredis"),
        pgettext("every … of the month", "jeudis"),
        pgettext("every … of the month", "vendredis"),
        pgettext("every … of the month", "samedis"),
        pgettext("every … of the month", "dimanches"),
    ][index]


def weekday_singular(index):
    return [
        pgettext("on …", "lundi"),
        pgettext("on …", "mardi"),
        pgettext("on …", "mercredi"),
        pgettext("on …", "jeudi"),
        pgettext("on …", "vendredi"),
        pgettext("on …", "samedi"),
        pgettext("on …", "dimanche"),
    ][index]


def position_plural(position):
    return {
        1: pgettext("every … Tuesday of the month", "premiers"),
        2: pgettext("every … Tuesday of the month", "deuxièmes"),
        3: pgettext("every … Tuesday of the month", "troisièmes"),
        4: pgettext("every … Tuesday of the month", "quatrièmes"),
        -1: pgettext("every … Tuesday of the month", "derniers"),
    }[position]


def position_of(day):
    """The weekday position of a date in its month: 1 to 4, or -1 for the last one (5th)."""
    number = (day.day - 1) // 7 + 1
    return -1 if number == 5 else number


def is_last_of_month(day):
    return (day + timedelta(days=7)).month != day.month


def spoken_time(value):
    """18 h, 18 h 30 in French; 6 pm, 6:30 pm in English."""
    if (get_language() or "fr").startswith("fr"):
        return f"{value.hour} h" if value.minute == 0 else f"{value.hour} h {value.minute:02d}"
    return dateformat.format(value, "g a" if value.minute == 0 else "g:i a").replace(".", "")


class RecurrenceMixin(models.Model):
    """Fields and logic of a repeating event. ``start``/``end`` are the first occurrence."""

    repeat = models.CharField(
        _("répétition"), max_length=20, choices=FREQUENCY_CHOICES, default=NONE, blank=True
    )
    repeat_interval = models.PositiveSmallIntegerField(
        _("intervalle"),
        default=1,
        help_text=_("1 : chaque semaine ou chaque mois ; 2 : une semaine ou un mois sur deux…"),
    )
    repeat_position = models.SmallIntegerField(
        _("position dans le mois"),
        choices=POSITION_CHOICES,
        null=True,
        blank=True,
        help_text=_(
            "Pour « chaque mois, le même jour de la semaine » : le 2e mardi, le dernier vendredi… "
            "Laissez vide pour reprendre celle de la date de début."
        ),
    )
    repeat_until = models.DateField(
        _("jusqu'au"), null=True, blank=True, help_text=_("Dernier jour possible (inclus).")
    )
    repeat_count = models.PositiveSmallIntegerField(
        _("nombre de fois"),
        null=True,
        blank=True,
        help_text=_("Ou bien : le nombre de séances, la première comprise."),
    )

    recurrence_panels = [
        MultiFieldPanel(
            [
                FieldPanel("repeat"),
                FieldRowPanel([FieldPanel("repeat_interval"), FieldPanel("repeat_position")]),
                FieldRowPanel([FieldPanel("repeat_until"), FieldPanel("repeat_count")]),
                InlinePanel(
                    "exceptions", heading=_("Séances annulées ou déplacées"), label=_("exception")
                ),
            ],
            heading=_("Répétition"),
            classname="collapsed",
        )
    ]

    class Meta:
        abstract = True

    @property
    def is_recurring(self):
        return bool(self.repeat)

    def effective_position(self):
        if self.repeat_position:
            return self.repeat_position
        return position_of(timezone.localtime(self.start, PARIS).date())

    def clean_recurrence(self):
        """Errors by field name (the page's ``clean`` raises them with its own)."""
        errors = {}
        if not self.repeat or not self.start:
            return errors
        if not self.repeat_interval or self.repeat_interval < 1:
            errors["repeat_interval"] = _("L'intervalle doit être au moins 1.")
        if self.repeat_until and self.repeat_count:
            errors["repeat_count"] = _(
                "Choisissez une date de fin ou un nombre de fois, pas les deux."
            )
        local = timezone.localtime(self.start, PARIS).date()
        if self.repeat_until and self.repeat_until < local:
            errors["repeat_until"] = _("La fin de la répétition doit être après la première date.")
        if self.repeat == MONTHLY_WEEKDAY and self.repeat_position:
            fits = (
                is_last_of_month(local)
                if self.repeat_position == -1
                else position_of(local) == self.repeat_position
            )
            if not fits:
                errors["repeat_position"] = _(
                    "La date de début doit être elle-même une séance : choisissez une date de début qui tombe "
                    "à cette position dans le mois, ou laissez ce champ vide."
                )
        if self.repeat != MONTHLY_WEEKDAY and self.repeat_position:
            errors["repeat_position"] = _(
                "La position dans le mois ne sert que pour « le même jour de la semaine »."
            )
        if (
            self.start
            and self.end
            and self.end - self.start > timedelta(days=6)
            and self.repeat == WEEKLY
        ):
            errors["end"] = _("Une séance hebdomadaire doit durer moins d'une semaine.")
        return errors

    # --- expansion -------------------------------------------------------------------

    def _local_start(self):
        return timezone.localtime(self.start, PARIS).replace(tzinfo=None)

    def _rule_kwargs(self):
        local = self._local_start()
        kwargs = {"interval": self.repeat_interval or 1, "dtstart": local}
        if self.repeat == WEEKLY:
            kwargs["freq"] = rrule.WEEKLY
            kwargs["byweekday"] = DATEUTIL_DAYS[local.weekday()]
        elif self.repeat == MONTHLY_DAY:
            kwargs["freq"] = rrule.MONTHLY
            kwargs["bymonthday"] = local.day
        else:
            kwargs["freq"] = rrule.MONTHLY
            kwargs["byweekday"] = DATEUTIL_DAYS[local.weekday()](self.effective_position())
        if self.repeat_count:
            kwargs["count"] = self.repeat_count
        elif self.repeat_until:
            kwargs["until"] = datetime.combine(self.repeat_until, time(23, 59, 59))
        return kwargs

    def rule_starts(self, horizon=None):
        """Paris-aware start of every occurrence the rule gives (before exceptions), bounded."""
        if not self.is_recurring:
            return [timezone.localtime(self.start, PARIS)]
        horizon = horizon or (max(timezone.now(), self.start) + timedelta(days=HORIZON_DAYS))
        limit = horizon.astimezone(PARIS).replace(tzinfo=None)
        starts = []
        for local in rrule.rrule(**self._rule_kwargs()):
            if local > limit or len(starts) >= MAX_OCCURRENCES:
                break
            starts.append(local.replace(tzinfo=PARIS))
        return starts

    def occurrence_list(self, exceptions, horizon=None):
        """[(recurrence_id, start, end, cancelled, moved)] in UTC, exceptions applied, by start."""
        duration = self.end - self.start
        by_day = {exception.original_date: exception for exception in exceptions}
        result = []
        for local_start in self.rule_starts(horizon):
            start = local_start.astimezone(PARIS)
            # Same wall-clock duration on DST days: compute the end in Paris time too.
            end = (local_start.replace(tzinfo=None) + duration).replace(tzinfo=PARIS)
            exception = by_day.get(start.date()) if self.is_recurring else None
            if exception is None:
                result.append((start, start, end, False, False))
            elif exception.cancelled:
                result.append((start, start, end, True, False))
            else:
                new_start = exception.new_start or start
                new_end = exception.new_end or (new_start + duration)
                result.append((start, new_start, new_end, False, True))
        return sorted(result, key=lambda row: row[1])

    # --- words ----------------------------------------------------------------------

    def rule_in_words(self):
        """ "tous les deuxièmes mardis du mois, de 18 h à 20 h" (in the active language)."""
        if not self.is_recurring:
            return ""
        local = timezone.localtime(self.start, PARIS)
        interval = self.repeat_interval or 1
        if self.repeat == WEEKLY:
            day = weekday_singular(local.weekday())
            if interval == 1:
                text = gettext("toutes les semaines, le %(day)s") % {"day": day}
            else:
                text = gettext("toutes les %(n)s semaines, le %(day)s") % {
                    "n": interval,
                    "day": day,
                }
        elif self.repeat == MONTHLY_DAY:
            if interval == 1:
                text = gettext("le %(n)s de chaque mois") % {"n": local.day}
            else:
                text = gettext("le %(n)s du mois, tous les %(interval)s mois") % {
                    "n": local.day,
                    "interval": interval,
                }
        else:
            position, day = (
                position_plural(self.effective_position()),
                weekday_plural(local.weekday()),
            )
            if interval == 1:
                text = gettext("tous les %(position)s %(day)s du mois") % {
                    "position": position,
                    "day": day,
                }
            else:
                text = gettext("les %(position)s %(day)s du mois, tous les %(interval)s mois") % {
                    "position": position,
                    "day": day,
                    "interval": interval,
                }
        if self.all_day:
            text += gettext(", toute la journée")
        else:
            end = timezone.localtime(self.end, PARIS)
            text += gettext(", de %(start)s à %(end)s") % {
                "start": spoken_time(local),
                "end": spoken_time(end),
            }
        if self.repeat_count:
            text += ngettext(" (%(n)s fois)", " (%(n)s fois)", self.repeat_count) % {
                "n": self.repeat_count
            }
        elif self.repeat_until:
            text += gettext(", jusqu'au %(date)s") % {
                "date": dateformat.format(self.repeat_until, "j F Y")
            }
        return text

    # --- iCalendar and schema.org --------------------------------------------------------

    def ical_rrule(self):
        """The RRULE as a dict for ``icalendar`` (UNTIL in UTC, as RFC 5545 requires with a TZID)."""
        local = timezone.localtime(self.start, PARIS)
        rule = {"FREQ": "WEEKLY" if self.repeat == WEEKLY else "MONTHLY"}
        if (self.repeat_interval or 1) > 1:
            rule["INTERVAL"] = self.repeat_interval
        if self.repeat == WEEKLY:
            rule["BYDAY"] = ICAL_DAYS[local.weekday()]
        elif self.repeat == MONTHLY_DAY:
            rule["BYMONTHDAY"] = local.day
        else:
            rule["BYDAY"] = f"{self.effective_position()}{ICAL_DAYS[local.weekday()]}"
        if self.repeat_count:
            rule["COUNT"] = self.repeat_count
        elif self.repeat_until:
            if self.all_day:
                rule["UNTIL"] = self.repeat_until
            else:
                last = datetime.combine(self.repeat_until, time(23, 59, 59), tzinfo=PARIS)
                rule["UNTIL"] = last.astimezone(UTC)
        return rule

    def schema_schedule(self):
        local, end = timezone.localtime(self.start, PARIS), timezone.localtime(self.end, PARIS)
        interval = self.repeat_interval or 1
        schedule = {
            "@type": "Schedule",
            "repeatFrequency": f"P{interval}W" if self.repeat == WEEKLY else f"P{interval}M",
            "startDate": local.date().isoformat(),
            "scheduleTimezone": "Europe/Paris",
        }
        if not self.all_day:
            schedule["startTime"], schedule["endTime"] = (
                local.strftime("%H:%M"),
                end.strftime("%H:%M"),
            )
        if self.repeat == MONTHLY_DAY:
            schedule["byMonthDay"] = local.day
        else:
            schedule["byDay"] = f"https://schema.org/{SCHEMA_DAYS[local.weekday()]}"
            if self.repeat == MONTHLY_WEEKDAY and self.effective_position() > 0:
                schedule["byMonthWeek"] = self.effective_position()
        if self.repeat_count:
            schedule["repeatCount"] = self.repeat_count
        elif self.repeat_until:
            schedule["endDate"] = self.repeat_until.isoformat()
        return schedule


def validate_exception(event, exception):
    """An exception must name a date the rule gives."""
    if not event.is_recurring or not event.start or not event.end:
        raise ValidationError(_("Les exceptions ne servent que pour un événement qui se répète."))
    day = exception.original_date
    horizon = datetime.combine(day + timedelta(days=1), time(0), tzinfo=PARIS) if day else None
    dates = {start.date() for start in event.rule_starts(horizon)}
    if exception.original_date not in dates:
        raise ValidationError({"original_date": _("Cette date n'est pas une séance de la série.")})
