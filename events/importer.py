"""Import the calendars that member organisations already keep (Nextcloud, Framagenda, Google…).

``import_all()`` (``manage.py import_calendars``, the ``events.tasks.import_calendars`` task) reads
the iCalendar URL of every active organisation that has one and turns its events into **drafts**
in the organisation's events folder, submitted to the "Modération du Parc" workflow: nothing goes
live without a moderator's approval.

- Fetching: http(s) only, a timeout, at most 5 MB, at most 5 redirects (a loop is an error), and
  ``If-None-Match``/``If-Modified-Since`` from the last run (304: nothing to do). Loopback and
  private addresses are refused unless ``CALENDAR_IMPORT_ALLOW_PRIVATE`` (tests, local demo).
- Identity: the VEVENT's ``UID``, stored on the page (``import_uid``). A VEVENT with a
  ``RECURRENCE-ID`` overrides one occurrence of its series: it becomes an exception (moved, or
  cancelled when ``STATUS:CANCELLED``) of the series' page; ``EXDATE`` are cancelled occurrences.
- Again: an unchanged event is left alone; a changed one gets a new revision (a draft, submitted
  again), never a second page. A page edited on the site since the import wrote it is not
  overwritten: the run reports a conflict. An event gone from the calendar is flagged
  (``import_removed``) and reported, never deleted.
- A bad feed (HTML, invalid data, redirect loop, timeout, too large, HTTP error) stops that feed
  only: the organisation's status says what happened ("Dernière importation : …"), nothing saved
  is touched, and the other organisations' feeds still run.
"""

import hashlib
import html
import ipaddress
import json
import logging
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override

from .recurrence import MONTHLY_DAY, MONTHLY_WEEKDAY, NONE, PARIS, WEEKLY

logger = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT = 15  # seconds
MAX_REDIRECTS = 5
USER_AGENT = "Innover-en-Baronnies-calendar-import/1.0"
OK, NOT_MODIFIED, ERROR = "ok", "not-modified", "error"
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


class FeedError(Exception):
    """A feed that cannot be imported; the message is shown to the organisation's editors."""


@dataclass
class Report:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: int = 0
    conflicts: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def message(self):
        parts = [
            _("%(created)s nouveau(x), %(updated)s mis à jour, %(unchanged)s inchangé(s)")
            % {
                "created": len(self.created),
                "updated": len(self.updated),
                "unchanged": self.unchanged,
            }
        ]
        if self.conflicts:
            parts.append(
                _("conflit (modifié sur le site depuis l'importation, non écrasé) : %(titles)s")
                % {"titles": ", ".join(self.conflicts)}
            )
        if self.removed:
            parts.append(
                _("retiré(s) de votre calendrier (rien n'est supprimé ici) : %(titles)s")
                % {"titles": ", ".join(self.removed)}
            )
        parts.extend(self.notes)
        return " ; ".join(parts) + "."


# --- fetching ---------------------------------------------------------------------------


class _LimitedRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS
    max_repeats = 2

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        check_address(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def check_address(url):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FeedError(_("l'adresse doit commencer par http:// ou https://"))
    if getattr(settings, "CALENDAR_IMPORT_ALLOW_PRIVATE", False):
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or 443)}
    except OSError as error:
        raise FeedError(_("le serveur du calendrier est introuvable")) from error
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global:
            raise FeedError(_("cette adresse est interne au réseau : elle est refusée"))


def fetch(organisation):
    """(body or None when not modified, etag, last_modified). Raises FeedError."""
    check_address(organisation.calendar_url)
    headers = {"User-Agent": USER_AGENT, "Accept": "text/calendar"}
    request = urllib.request.Request(organisation.calendar_url, headers=headers)  # noqa: S310 - scheme checked above
    if organisation.calendar_etag:
        request.add_header("If-None-Match", organisation.calendar_etag)
    if organisation.calendar_last_modified:
        request.add_header("If-Modified-Since", organisation.calendar_last_modified)
    opener = urllib.request.build_opener(_LimitedRedirects)
    try:
        with opener.open(request, timeout=TIMEOUT) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > MAX_BYTES:
                raise FeedError(_("le fichier dépasse 5 Mo"))
            body = response.read(MAX_BYTES + 1)
            if len(body) > MAX_BYTES:
                raise FeedError(_("le fichier dépasse 5 Mo"))
            return body, response.headers.get("ETag", ""), response.headers.get("Last-Modified", "")
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return None, organisation.calendar_etag, organisation.calendar_last_modified
        if error.code in (301, 302, 303, 307, 308):
            raise FeedError(_("le serveur redirige sans fin (boucle de redirections)")) from error
        raise FeedError(
            _("le serveur a répondu par une erreur %(code)s") % {"code": error.code}
        ) from error
    except FeedError:
        raise
    except TimeoutError as error:
        raise FeedError(
            _("le serveur n'a pas répondu à temps (%(seconds)s s)") % {"seconds": TIMEOUT}
        ) from error
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise FeedError(
                _("le serveur n'a pas répondu à temps (%(seconds)s s)") % {"seconds": TIMEOUT}
            ) from error
        raise FeedError(_("le serveur est injoignable")) from error


def parse(body):
    from icalendar import Calendar

    head = body[:2048].lstrip().lower()
    if head.startswith((b"<!doctype", b"<html", b"<?xml", b"<")):
        raise FeedError(_("l'adresse renvoie une page web (HTML) et non un calendrier iCalendar"))
    if not body.lstrip().startswith(b"BEGIN:VCALENDAR"):
        raise FeedError(_("le fichier n'est pas un calendrier iCalendar"))
    try:
        return Calendar.from_ical(body)
    except (ValueError, KeyError, IndexError) as error:
        raise FeedError(_("le calendrier est illisible (données iCalendar invalides)")) from error


# --- mapping a VEVENT to the page's fields -----------------------------------------------


def as_paris(value, end=False):
    """(aware datetime, all_day). Floating times are read as Paris time."""
    if isinstance(value, datetime):
        return (
            value.replace(tzinfo=PARIS) if value.tzinfo is None else value.astimezone(PARIS)
        ), False
    if end:  # exclusive end date of an all-day event: the last day, as the site stores it
        return datetime.combine(value - timedelta(days=1), time(23, 59), tzinfo=PARIS), True
    return datetime.combine(value, time(0), tzinfo=PARIS), True


def text(component, name, limit=None):
    value = str(component.get(name, "") or "").strip()
    return value[:limit] if limit else value


def rule_fields(component, start):
    """The page's repeat fields for the VEVENT's RRULE, or (fields, note) when not supported."""
    rule = component.get("RRULE")
    if rule is None:
        return {"repeat": NONE}, None
    freq = (rule.get("FREQ") or [""])[0]
    byday = rule.get("BYDAY") or []
    bymonthday = rule.get("BYMONTHDAY") or []
    fields = {"repeat_interval": int((rule.get("INTERVAL") or [1])[0])}
    local = start.astimezone(PARIS)
    if freq == "WEEKLY" and (not byday or byday == [WEEKDAYS[local.weekday()]]) and not bymonthday:
        fields["repeat"] = WEEKLY
    elif freq == "MONTHLY" and bymonthday in ([], [local.day]) and not byday:
        fields["repeat"] = MONTHLY_DAY
    elif (
        freq == "MONTHLY"
        and len(byday) == 1
        and byday[0][-2:] == WEEKDAYS[local.weekday()]
        and byday[0][:-2] in ("1", "2", "3", "4", "-1", "+1", "+2", "+3", "+4")
    ):
        fields["repeat"] = MONTHLY_WEEKDAY
        fields["repeat_position"] = int(byday[0][:-2])
    else:
        return {"repeat": NONE}, _(
            "répétition non prise en charge pour « %(title)s » : seule la première date est reprise"
        ) % {"title": text(component, "SUMMARY", 80)}
    if rule.get("COUNT"):
        fields["repeat_count"] = int(rule["COUNT"][0])
    elif rule.get("UNTIL"):
        until = rule["UNTIL"][0]
        fields["repeat_until"] = (
            until.astimezone(PARIS).date() if isinstance(until, datetime) else until
        )
    return fields, None


def event_fields(component):
    start, all_day = as_paris(component.decoded("DTSTART"))
    if component.get("DTEND") is not None:
        end, _all_day = as_paris(component.decoded("DTEND"), end=True)
    elif component.get("DURATION") is not None:
        end = start + component.decoded("DURATION")
    else:
        end = (
            datetime.combine(start.date(), time(23, 59), tzinfo=PARIS)
            if all_day
            else start + timedelta(hours=1)
        )
    end = max(end, start)
    title = text(component, "SUMMARY", 255) or _("Événement sans titre")
    description = text(component, "DESCRIPTION")
    location = text(component, "LOCATION", 255)
    fields = {
        "title": title,
        "lead": (description.split("\n\n")[0] or title)[:500],
        "start": start,
        "end": end,
        "all_day": all_day,
        "venue": "" if location.startswith(("http://", "https://")) else location,
        "online_url": location[:200] if location.startswith(("http://", "https://")) else "",
    }
    return fields, description


def exceptions_for(master, overrides, fields):
    """EventException rows: EXDATE (cancelled) and overriding VEVENTs (moved or cancelled)."""
    from .models import EventException

    rows = {}
    exdates = master.get("EXDATE") or []
    for exdate in exdates if isinstance(exdates, list) else [exdates]:
        for value in getattr(exdate, "dts", []):
            rows[as_paris(value.dt)[0].date()] = EventException(
                original_date=as_paris(value.dt)[0].date(), cancelled=True
            )
    for override_ in overrides:
        original = as_paris(override_.decoded("RECURRENCE-ID"))[0].date()
        if text(override_, "STATUS").upper() == "CANCELLED":
            rows[original] = EventException(original_date=original, cancelled=True)
            continue
        moved, _description = event_fields(override_)
        rows[original] = EventException(
            original_date=original, new_start=moved["start"], new_end=moved["end"]
        )
    return [rows[key] for key in sorted(rows)] if fields.get("repeat") else []


def digest(fields, description, exceptions):
    data = {
        **{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in fields.items()},
        "description": description,
        "exceptions": [
            (e.original_date.isoformat(), e.cancelled, e.new_start and e.new_start.isoformat())
            for e in exceptions
        ],
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def body_for(description):
    if not description:
        return []
    paragraphs = "".join(
        f"<p>{html.escape(part).replace(chr(10), '<br>')}</p>"
        for part in description.split("\n\n")
        if part.strip()
    )
    return [("paragraph", paragraphs)]


# --- writing drafts ----------------------------------------------------------------------


def submit(page, revision):
    """Send the draft to the folder's workflow ("Modération du Parc"), unless already there."""
    workflow = page.get_workflow()
    if workflow is None or page.workflow_in_progress:
        return
    workflow.start(page, None)


def apply(page, fields, description, exceptions):
    defaults = {
        "repeat_interval": 1,
        "repeat_position": None,
        "repeat_until": None,
        "repeat_count": None,
    }
    for name, value in {**defaults, **fields}.items():
        setattr(page, name, value)
    page.body = body_for(description)
    page.exceptions = exceptions


def import_events(organisation, calendar, report):
    from .models import EventPage

    folder = organisation.events_page
    if folder is None:
        raise FeedError(_("l'organisation n'a pas de rubrique d'agenda"))
    masters, overrides = {}, {}
    for component in calendar.walk("VEVENT"):
        uid = text(component, "UID", 255)
        if not uid or component.get("DTSTART") is None:
            continue
        if component.get("RECURRENCE-ID") is not None:
            overrides.setdefault(uid, []).append(component)
        elif text(component, "STATUS").upper() != "CANCELLED":
            masters[uid] = component
    existing = {
        page.import_uid: page for page in EventPage.objects.child_of(folder).exclude(import_uid="")
    }
    for uid, component in masters.items():
        fields, description = event_fields(component)
        repeat, note = rule_fields(component, fields["start"])
        if note:
            report.notes.append(note)
        fields.update(repeat)
        exceptions = exceptions_for(component, overrides.get(uid, []), fields)
        if fields.get("repeat"):
            last = max((e.original_date for e in exceptions), default=fields["start"].date())
            horizon = datetime.combine(last + timedelta(days=1), time(0), tzinfo=PARIS)
            rule_days = {
                start.date()
                for start in EventPage(**fields).rule_starts(max(horizon, fields["start"]))
            }
            exceptions = [e for e in exceptions if e.original_date in rule_days]
        signature = digest(fields, description, exceptions)
        page = existing.get(uid)
        try:
            with transaction.atomic():
                outcome = write(folder, page, uid, fields, description, exceptions, signature)
        except ValidationError as error:
            report.notes.append(
                _("« %(title)s » ignoré : %(error)s")
                % {"title": fields["title"][:80], "error": " ".join(error.messages)}
            )
            continue
        if outcome == "created":
            report.created.append(fields["title"])
        elif outcome == "updated":
            report.updated.append(fields["title"])
        elif outcome == "conflict":
            report.conflicts.append(page.draft_title or page.title)
        else:
            report.unchanged += 1
    for uid, page in existing.items():
        if uid not in masters:
            if not page.import_removed:
                EventPage.objects.filter(pk=page.pk).update(import_removed=True)
            report.removed.append(page.draft_title or page.title)


def write(folder, page, uid, fields, description, exceptions, signature):
    """Create or update one event's draft; returns what happened."""
    from .models import EventPage

    if page is None:
        page = EventPage(
            slug=unique_slug(folder, fields["title"], uid),
            import_uid=uid,
            live=False,
            registration_open=False,
        )
        apply(page, fields, description, exceptions)
        folder.add_child(instance=page)
        revision = page.save_revision(log_action=True)
        EventPage.objects.filter(pk=page.pk).update(
            import_hash=signature, import_revision_id=revision.pk
        )
        submit(page, revision)
        return "created"
    if page.import_removed:
        EventPage.objects.filter(pk=page.pk).update(import_removed=False)
    if page.import_hash == signature:
        return "unchanged"
    if page.latest_revision_id != page.import_revision_id:
        return "conflict"
    draft = page.get_latest_revision_as_object()
    apply(draft, fields, description, exceptions)
    draft.full_clean()
    revision = draft.save_revision(log_action=True)
    EventPage.objects.filter(pk=page.pk).update(
        import_hash=signature, import_revision_id=revision.pk
    )
    submit(draft, revision)
    return "updated"


def unique_slug(folder, title, uid):
    base = slugify(title)[:60] or "evenement"
    return f"{base}-{hashlib.sha1(uid.encode()).hexdigest()[:6]}"  # noqa: S324 - not for security


def import_organisation(organisation):
    """Run one organisation's import; never raises for a bad feed. Returns the status."""
    now = timezone.now()
    with override("fr"):
        try:
            body, etag, last_modified = fetch(organisation)
            if body is None:
                status = NOT_MODIFIED
                message = _(
                    "Dernière importation : %(when)s, calendrier inchangé depuis la précédente."
                )
            else:
                calendar = parse(body)
                report = Report()
                with transaction.atomic():
                    import_events(organisation, calendar, report)
                status = OK
                message = _("Dernière importation : %(when)s, réussie : ") + report.message()
            organisation.calendar_etag, organisation.calendar_last_modified = (
                etag or "",
                last_modified or "",
            )
        except FeedError as error:
            status = ERROR
            message = (
                _("Dernière importation : %(when)s, échec : ")
                + str(error)
                + _(". Rien n'a été modifié.")
            )
        except Exception:  # one broken feed must not stop the others
            logger.exception("calendar import failed for %s", organisation.slug)
            status = ERROR
            message = _(
                "Dernière importation : %(when)s, échec : erreur inattendue pendant la lecture. Rien n'a été modifié."
            )
        when = formats.date_format(timezone.localtime(now), "j F Y H:i")
        organisation.calendar_last_run = now
        organisation.calendar_status = status
        organisation.calendar_message = (
            message.replace("%(when)s", when) if "%(when)s" in message else message
        )
    organisation.save(
        update_fields=[
            "calendar_last_run",
            "calendar_status",
            "calendar_message",
            "calendar_etag",
            "calendar_last_modified",
        ]
    )
    return status


def import_all(stdout=None, only=None):
    from members.models import Organisation

    results = {}
    organisations = (
        Organisation.objects.filter(is_active=True)
        .exclude(calendar_url="")
        .select_related("events_page")
    )
    if only:
        organisations = organisations.filter(slug=only)
    for organisation in organisations:
        results[organisation.slug] = import_organisation(organisation)
        if stdout is not None:
            stdout.write(f"{organisation.slug}: {organisation.calendar_message}\n")
    return results
