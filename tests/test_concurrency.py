"""Simultaneous visitors on a live server (threads, one database connection each), on SQLite
(a file with WAL and IMMEDIATE transactions) and on PostgreSQL (DATABASE_URL):

- 20 registrations at once for an event with 5 places: exactly 5 taken, 15 polite refusals;
- 20 public contributions and 20 contact-form messages at once: all accepted and stored.

Never a 500 ("database is locked" was the measured failure). Each visitor has its own loopback
source address (127.0.0.x), so the per-address rate limits count them apart, as behind a proxy.
"""

import http.client
import re
import threading
import time
from datetime import timedelta
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import pytest
from django.utils import timezone

from core.public_forms import make_stamp

VISITORS = 20
PLACES = 5
pytestmark = pytest.mark.django_db(transaction=True)


class Visitor:
    """A browser-like client bound to its own source address, keeping its cookies."""

    def __init__(self, base_url, address):
        parts = urlsplit(base_url)
        self.host, self.port = "127.0.0.1", parts.port
        self.address = address
        self.cookies = {}

    def request(self, method, path, form=None):
        connection = http.client.HTTPConnection(
            self.host, self.port, timeout=60, source_address=(self.address, 0)
        )
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode("utf-8", "replace")
            for header in response.msg.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, content
        finally:
            connection.close()

    def open_form(self, path):
        status, html = self.request("GET", path)
        assert status == 200, (path, status)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        return token, html


def all_at_once(visitors, send):
    """Every visitor sends at the same instant (a barrier); returns [(status, html)]."""
    barrier = threading.Barrier(len(visitors))
    results = [None] * len(visitors)

    def run(i, visitor):
        try:
            prepared = send.prepare(visitor, i)
        except Exception as error:  # noqa: BLE001 - reported in the assertion below
            results[i] = (None, f"preparing: {error!r}")
            barrier.abort()  # the others stop waiting
            return
        try:
            barrier.wait(timeout=120)
            results[i] = send.post(visitor, prepared)
        except Exception as error:  # noqa: BLE001 - reported in the assertion below
            results[i] = (None, repr(error))

    threads = [threading.Thread(target=run, args=(i, v)) for i, v in enumerate(visitors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)
    return results


def visitors(live_server, block):
    return [Visitor(live_server.url, f"127.0.{block}.{10 + i}") for i in range(VISITORS)]


class Register:
    def __init__(self, url):
        self.url = url

    def prepare(self, visitor, i):
        token, _ = visitor.open_form(self.url)
        return {
            "csrfmiddlewaretoken": token,
            "name": f"Visiteur {i}",
            "email": f"visiteur{i}@example.org",
            "consent": "on",
            "site_web": "",
            "debut": make_stamp(time.time() - 60),
        }

    def post(self, visitor, form):
        return visitor.request("POST", self.url, form)


class Propose:
    url = "/annuaire/proposer/"

    def prepare(self, visitor, i):
        token, _ = visitor.open_form(self.url)
        return {
            "csrfmiddlewaretoken": token,
            "entry_type": "lieu",
            "title": f"Tiers-lieu simultané {i}",
            "kind": "lieu:coworking",
            "summary": "Un coworking proposé en même temps que les autres.",
            "commune": "26220",
            "contributor_email": f"contributeur{i}@example.org",
            "site_web_pro": "",
            "token": make_stamp(time.time() - 60),
        }

    def post(self, visitor, form):
        return visitor.request("POST", self.url, form)


class Contact:
    def __init__(self, page):
        self.page = page
        self.url = page.url
        self.fields = list(page.form_fields.values_list("clean_name", "field_type"))

    def prepare(self, visitor, i):
        from contact.models import CONSENT_FIELD

        token, _ = visitor.open_form(self.url)
        form = {"csrfmiddlewaretoken": token, CONSENT_FIELD: "on", "site_web": ""}
        for name, kind in self.fields:
            form[name] = f"message{i}@example.org" if kind == "email" else f"Bonjour {i}"
        form["debut"] = make_stamp(time.time() - 60)
        return form

    def post(self, visitor, form):
        return visitor.request("POST", self.url, form)


def test_simultaneous_visitors_are_served_without_error(committed_demo, live_server, settings):
    from wagtail.contrib.forms.models import FormSubmission

    from contact.models import FormPage
    from directory.models import Contribution
    from events.models import Registration

    from .editorial import add_event, new_organisation

    settings.PROXY_COUNT = 0  # the source address is the client

    # 1. 20 registrations at once for 5 places.
    organisation = new_organisation(slug="org-simultanee", name="Organisation simultanée")
    start = timezone.now() + timedelta(days=10)
    event = add_event(
        organisation.events_page,
        "Atelier très demandé",
        start,
        start + timedelta(hours=2),
        registration_open=True,
        capacity=PLACES,
    )
    results = all_at_once(visitors(live_server, 1), Register(event.url))
    statuses = [status for status, _ in results]
    assert None not in statuses and 500 not in statuses, results
    assert statuses.count(302) == PLACES, statuses
    refused = [html for status, html in results if status == 200]
    assert len(refused) == VISITORS - PLACES
    assert all("Désolé, cet événement est complet" in html for html in refused)
    assert Registration.objects.filter(event=event).count() == PLACES

    # 2. 20 public contributions at once: all stored as drafts.
    results = all_at_once(visitors(live_server, 2), Propose())
    statuses = [status for status, _ in results]
    assert statuses == [302] * VISITORS, results
    assert (
        Contribution.objects.filter(page__title__startswith="Tiers-lieu simultané").count()
        == VISITORS
    )

    # 3. 20 contact messages at once: all stored.
    page = FormPage.objects.get(slug="nous-contacter", locale__language_code="fr")
    before = FormSubmission.objects.filter(page=page).count()
    results = all_at_once(visitors(live_server, 3), Contact(page))
    statuses = [status for status, _ in results]
    assert statuses == [200] * VISITORS, results
    assert all("Merci" in html for _, html in results)
    assert FormSubmission.objects.filter(page=page).count() == before + VISITORS
