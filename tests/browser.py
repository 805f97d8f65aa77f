"""Drive Debian's chromium with Playwright, serving every request through Django's test client.

No server thread: the browser's requests to http://testserver/ are answered by the test client
inside the test's transaction (so the demo data and anything a test creates are visible), with the
real headers (CSP included). Requests to any other host are refused and recorded.

Playwright calls the route handler while its event loop is running in this thread. Django keeps
database connections in an ``asgiref.local.Local(thread_critical=True)``, which is a plain
thread-local in a sync thread but a context variable as soon as a loop is running: left alone, the
handler would open a second connection, outside the test's transaction, and see none of the rows
the test made (the first request of a test that creates a page answered 404). The handler is
therefore given the test's own connection objects (same thread, so Django's thread check holds).
"""

import os
import shutil
from urllib.parse import urlsplit

import pytest
from django.db import connections

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
BASE = "http://testserver"

needs_chromium = pytest.mark.skipif(
    shutil.which(CHROMIUM) is None,
    reason=f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)",
)


@pytest.fixture(scope="module")
def browser():
    """One chromium per test module. Playwright's sync API runs an event loop in this thread while
    it is open; the ORM calls of the route handler are still synchronous and in this thread, so
    Django's async guard is lifted for the module only (the variable must not leak into later
    tests' subprocesses: ``check --deploy`` refuses it)."""
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield launched
            launched.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class DjangoPage:
    """A browser tab whose requests are served by the Django test client."""

    def __init__(self, browser, client):
        self.client = client
        self.context = browser.new_context(locale="fr-FR")
        self.page = self.context.new_page()
        self.third_party = []
        self.console_errors = []
        self.page.on(
            "console",
            lambda msg: self.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        # The test's connections, taken in the test's own context (see the module's notes).
        self.connections = {alias: connections[alias] for alias in connections}
        self.context.route("**/*", self._serve)

    def _serve(self, route):
        for alias, connection in self.connections.items():
            connections[alias] = connection
        request = route.request
        parts = urlsplit(request.url)
        if parts.hostname != "testserver":
            self.third_party.append(request.url)
            route.abort()
            return
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if request.method in ("POST", "PUT", "PATCH", "DELETE"):
            response = self.client.generic(
                request.method,
                path,
                request.post_data_buffer or b"",
                content_type=request.headers.get("content-type", ""),
            )
        else:
            response = self.client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        headers = {key: value for key, value in response.items()}
        route.fulfill(status=response.status_code, headers=headers, body=body)

    def goto(self, url):
        return self.page.goto(BASE + url)

    def close(self):
        self.context.close()


@pytest.fixture
def django_page(browser, client):
    tab = DjangoPage(browser, client)
    yield tab
    tab.close()
