"""Members' own calendars: `import_calendars` against a real HTTP server on 127.0.0.1 (port 0).

The server serves good and broken .ics files; nothing reaches any other host.
"""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import WorkflowState

from events import importer
from events.models import EventOccurrence, EventPage
from members.models import Organisation

from .editorial import new_organisation

pytestmark = pytest.mark.django_db

YEAR = 2030


def ics(*events):
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//Nextcloud-like//FR\r\n"
        + "".join(events)
        + "END:VCALENDAR\r\n"
    ).encode()


def vevent(uid, summary, start="20300115T180000", end="20300115T200000", extra=""):
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20291201T100000Z\r\nSUMMARY:{summary}\r\n"
        f"DTSTART;TZID=Europe/Paris:{start}\r\nDTEND;TZID=Europe/Paris:{end}\r\n"
        f"LOCATION:Salle des fêtes, Buis-les-Baronnies\r\nDESCRIPTION:Un atelier ouvert à tous.\r\n{extra}END:VEVENT\r\n"
    )


SERIES = vevent(
    "series-1@nextcloud.example",
    "Café numérique",
    "20300108T180000",
    "20300108T200000",
    "RRULE:FREQ=MONTHLY;BYDAY=2TU;COUNT=6\r\nEXDATE;TZID=Europe/Paris:20300312T180000\r\n",
)
MOVED = (
    "BEGIN:VEVENT\r\nUID:series-1@nextcloud.example\r\nDTSTAMP:20291201T100000Z\r\nSUMMARY:Café numérique\r\n"
    "RECURRENCE-ID;TZID=Europe/Paris:20300212T180000\r\n"
    "DTSTART;TZID=Europe/Paris:20300213T170000\r\nDTEND;TZID=Europe/Paris:20300213T190000\r\nEND:VEVENT\r\n"
)
ONE_OFF = vevent("one-off-1@nextcloud.example", "Atelier smartphone")


class Feeds:
    """What the server answers, per path; changed by the tests."""

    def __init__(self):
        self.bodies = {"/good.ics": ics(SERIES, MOVED, ONE_OFF)}
        self.etag = '"v1"'
        self.last_modified = "Sat, 01 Dec 2029 10:00:00 GMT"
        self.requests = []


class Handler(BaseHTTPRequestHandler):
    feeds = None

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 - http.server's name
        feeds = self.feeds
        feeds.requests.append((self.path, dict(self.headers)))
        if self.path == "/good.ics" or self.path == "/other.ics":
            if self.headers.get("If-None-Match") == feeds.etag:
                self.send_response(304)
                self.end_headers()
                return
            self.reply(
                200,
                feeds.bodies.get(self.path, b""),
                {"ETag": feeds.etag, "Content-Type": "text/calendar"},
            )
        elif self.path == "/dated.ics":  # a server that gives Last-Modified and no ETag
            if self.headers.get("If-Modified-Since") == feeds.last_modified:
                self.send_response(304)
                self.end_headers()
                return
            self.reply(200, feeds.bodies["/good.ics"], {"Last-Modified": feeds.last_modified})
        elif self.path == "/page.html":
            self.reply(
                200,
                b"<!DOCTYPE html><html><body>Connexion requise</body></html>",
                {"Content-Type": "text/html"},
            )
        elif self.path == "/invalid.ics":
            self.reply(
                200,
                b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART:pas-une-date\r\n",
                {},
            )
        elif self.path == "/loop.ics":
            self.send_response(302)
            self.send_header("Location", "/loop.ics")
            self.end_headers()
        elif self.path == "/slow.ics":
            time.sleep(3)
            self.reply(200, ics(ONE_OFF), {})
        elif self.path == "/huge.ics":
            self.send_response(200)
            self.end_headers()  # no Content-Length: the limit is on what is read
            chunk = b"X" * 65536
            try:
                self.wfile.write(b"BEGIN:VCALENDAR\r\n")
                for _ in range(90):  # about 5.6 MB
                    self.wfile.write(chunk)
            except OSError:
                pass
        else:
            self.reply(404, b"not found", {})

    def reply(self, status, body, headers):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server():
    feeds = Feeds()
    handler = type("BoundHandler", (Handler,), {"feeds": feeds})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    feeds.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield feeds
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def _only_the_test_feeds():
    """The demo gives ASOFT a calendar served by `make run`: not running here."""
    Organisation.objects.update(calendar_url="")


@pytest.fixture
def organisation(server):
    organisation = new_organisation("cafe-test", "Café associatif de test")
    organisation.calendar_url = server.base + "/good.ics"
    organisation.save()
    return organisation


def run():
    out = StringIO()
    call_command("import_calendars", stdout=out)
    return out.getvalue()


def imported(organisation):
    return {
        page.import_uid: page
        for page in EventPage.objects.child_of(organisation.events_page).exclude(import_uid="")
    }


def test_first_run_creates_moderated_drafts_and_nothing_goes_live(client, organisation):
    run()
    pages = imported(organisation)
    assert set(pages) == {"series-1@nextcloud.example", "one-off-1@nextcloud.example"}
    for page in pages.values():
        assert not page.live and page.has_unpublished_changes is not None
        state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(page.pk))
        assert (
            state.status == WorkflowState.STATUS_IN_PROGRESS
            and state.workflow.name == "Modération du Parc"
        )
    assert organisation in pages["one-off-1@nextcloud.example"].organisers.all()
    assert not EventOccurrence.objects.filter(event__in=pages.values()).exists()  # not published
    assert "Café numérique" not in client.get("/agenda/").content.decode()
    series = pages["series-1@nextcloud.example"].get_latest_revision_as_object()
    assert (series.repeat, series.repeat_position, series.repeat_count) == ("monthly-weekday", 2, 6)
    exceptions = {(e.original_date.isoformat(), e.cancelled) for e in series.exceptions.all()}
    assert exceptions == {("2030-03-12", True), ("2030-02-12", False)}
    organisation.refresh_from_db()
    assert organisation.calendar_status == "ok"
    assert organisation.calendar_message.startswith("Dernière importation :")
    assert "2 nouveau(x)" in organisation.calendar_message
    assert organisation.calendar_etag == '"v1"'


def test_once_approved_the_series_is_listed_with_its_moved_and_cancelled_dates(
    client, organisation
):
    run()
    page = imported(organisation)["series-1@nextcloud.example"]
    page.get_latest_revision().publish()
    starts = [
        o.start
        for o in EventOccurrence.objects.filter(event=page, cancelled=False).order_by("start")
    ]
    days = [s.astimezone(importer.PARIS).strftime("%m-%d %H") for s in starts]
    assert days == ["01-08 18", "02-13 17", "04-09 18", "05-14 18", "06-11 18"]


def test_a_second_run_creates_no_duplicate_and_honours_the_etag(server, organisation):
    run()
    first = imported(organisation)
    run()
    assert imported(organisation).keys() == first.keys()
    assert EventPage.objects.child_of(organisation.events_page).count() == 2
    assert server.requests[-1][1].get("If-None-Match") == '"v1"'
    organisation.refresh_from_db()
    assert organisation.calendar_status == "not-modified"
    # Changed upstream: a new revision of the same page, submitted again; still no duplicate.
    server.bodies["/good.ics"] = ics(
        SERIES, MOVED, ONE_OFF.replace("Atelier smartphone", "Atelier smartphone et tablette")
    )
    server.etag = '"v2"'
    run()
    pages = imported(organisation)
    assert len(pages) == 2 and EventPage.objects.child_of(organisation.events_page).count() == 2
    page = pages["one-off-1@nextcloud.example"]
    assert page.get_latest_revision_as_object().title == "Atelier smartphone et tablette"
    assert page.revisions.count() == 2
    organisation.refresh_from_db()
    assert (
        "1 mis à jour" in organisation.calendar_message
        and "1 inchangé" in organisation.calendar_message
    )


def test_a_second_run_honours_last_modified_when_there_is_no_etag(server, organisation):
    organisation.calendar_url = server.base + "/dated.ics"
    organisation.save()
    run()
    first = imported(organisation)
    assert len(first) == 2
    organisation.refresh_from_db()
    assert (
        organisation.calendar_last_modified == server.last_modified
        and not organisation.calendar_etag
    )
    run()
    assert server.requests[-1][1].get("If-Modified-Since") == server.last_modified
    organisation.refresh_from_db()
    assert organisation.calendar_status == "not-modified"
    assert {uid: page.latest_revision_id for uid, page in imported(organisation).items()} == {
        uid: page.latest_revision_id for uid, page in first.items()
    }


def test_an_event_edited_on_the_site_is_not_overwritten(server, organisation):
    run()
    page = imported(organisation)["one-off-1@nextcloud.example"]
    draft = page.get_latest_revision_as_object()
    draft.lead = "Corrigé par la rédaction."
    draft.save_revision()
    server.bodies["/good.ics"] = ics(
        SERIES, MOVED, ONE_OFF.replace("Un atelier ouvert", "Un atelier changé")
    )
    server.etag = '"v3"'
    run()
    page.refresh_from_db()
    assert page.get_latest_revision_as_object().lead == "Corrigé par la rédaction."
    organisation.refresh_from_db()
    assert (
        "conflit" in organisation.calendar_message
        and "Atelier smartphone" in organisation.calendar_message
    )


def test_an_event_removed_upstream_is_flagged_not_deleted(client, server, organisation):
    run()
    server.bodies["/good.ics"] = ics(SERIES, MOVED)
    server.etag = '"v4"'
    run()
    page = EventPage.objects.get(import_uid="one-off-1@nextcloud.example")
    assert page.import_removed
    organisation.refresh_from_db()
    assert "retiré(s) de votre calendrier" in organisation.calendar_message
    assert "Atelier smartphone" in organisation.calendar_message


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/page.html", "page web (HTML)"),
        ("/invalid.ics", "illisible"),
        ("/loop.ics", "boucle de redirections"),
        ("/slow.ics", "pas répondu à temps"),
        ("/huge.ics", "dépasse 5 Mo"),
        ("/missing.ics", "erreur 404"),
    ],
)
def test_a_bad_feed_leaves_a_clear_status_loses_nothing_and_others_still_run(
    server, organisation, monkeypatch, path, words
):
    monkeypatch.setattr(importer, "TIMEOUT", 1)
    run()
    before = {uid: page.latest_revision_id for uid, page in imported(organisation).items()}
    organisation.calendar_url = server.base + path
    organisation.save()
    other = new_organisation("autre-test", "Autre organisation")
    other.calendar_url = server.base + "/other.ics"
    other.save()
    server.bodies["/other.ics"] = ics(vevent("other-1@example", "Réunion de l'autre"))
    output = run()
    organisation.refresh_from_db()
    assert organisation.calendar_status == "error", output
    assert organisation.calendar_message.startswith("Dernière importation :")
    assert (
        words in organisation.calendar_message
        and "Rien n'a été modifié" in organisation.calendar_message
    )
    assert {uid: page.latest_revision_id for uid, page in imported(organisation).items()} == before
    other.refresh_from_db()
    assert other.calendar_status == "ok" and set(imported(other)) == {"other-1@example"}


def test_private_addresses_are_refused_unless_allowed(settings, organisation):
    settings.CALENDAR_IMPORT_ALLOW_PRIVATE = False
    run()
    organisation.refresh_from_db()
    assert organisation.calendar_status == "error" and "interne" in organisation.calendar_message
    assert not imported(organisation)


def test_editors_set_their_own_calendar_in_the_admin(client, server):
    from django.contrib.auth import get_user_model

    asoft = Organisation.objects.get(slug="asoft")
    client.force_login(get_user_model().objects.get(username="asoft"))
    page = client.get("/admin/calendrier/")
    assert page.status_code == 200 and "ASOFT" in page.content.decode()
    bad = client.post(
        "/admin/calendrier/", {"organisation": "asoft", "calendar-calendar_url": "pas une adresse"}
    )
    assert bad.status_code == 400 and "pas valide" in bad.content.decode()
    ok = client.post(
        "/admin/calendrier/",
        {"organisation": "asoft", "calendar-calendar_url": server.base + "/good.ics"},
    )
    assert ok.status_code == 302
    asoft.refresh_from_db()
    assert asoft.calendar_url == server.base + "/good.ics"
    # Not another organisation's calendar.
    other = client.post(
        "/admin/calendrier/",
        {"organisation": "la-cigale-de-nyons", "calendar-calendar_url": "https://x.example/"},
    )
    assert other.status_code == 404
    # "Importer maintenant" runs the task (immediate backend in tests) and the status shows.
    client.post("/admin/calendrier/", {"organisation": "asoft", "import": "1"})
    asoft.refresh_from_db()
    assert asoft.calendar_status == "ok"
    assert "Dernière importation" in client.get("/admin/calendrier/").content.decode()
    client.logout()
    assert client.get("/admin/calendrier/").status_code == 302


def test_staff_set_an_organisations_calendar_for_its_editors(client, server):
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.filter(is_superuser=True).first()
    assert staff is not None
    client.force_login(staff)
    page = client.get("/admin/calendrier/")
    assert page.status_code == 200 and "La Cigale de Nyons" in page.content.decode()
    response = client.post(
        "/admin/calendrier/",
        {"organisation": "la-cigale-de-nyons", "calendar-calendar_url": server.base + "/other.ics"},
    )
    assert response.status_code == 302
    assert (
        Organisation.objects.get(slug="la-cigale-de-nyons").calendar_url
        == server.base + "/other.ics"
    )
