"""The 500 page shows no stack trace; errors are logged as JSON lines with the request id."""

import json
import logging

import pytest
from django.test import Client
from django.urls import path

from core.request_id import JSONFormatter, RequestIDFilter


def broken_view(request):
    raise RuntimeError("secret-internal-detail in views.py line 42")


def _site_urls():
    # The site's own URLs too: middleware (the second factor's) reverses admin URLs on every request.
    from config.urls import urlpatterns as site

    return site


urlpatterns = [path("boom/", broken_view), *_site_urls()]
handler500 = "django.views.defaults.server_error"


@pytest.mark.django_db
@pytest.mark.urls("tests.test_error_pages")
def test_the_500_page_shows_no_stack_trace(settings):
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Une erreur est survenue" in html
    for leak in ("Traceback", "secret-internal-detail", "RuntimeError", "views.py", "settings"):
        assert leak not in html
    assert response["X-Request-ID"]


@pytest.mark.django_db
@pytest.mark.urls("tests.test_error_pages")
def test_a_server_error_is_logged_as_one_json_line_with_the_request_id(settings):
    settings.DEBUG = False
    records = []

    class Capture(logging.Handler):
        def emit(self, record):
            records.append(self.format(record))

    handler = Capture()
    handler.setFormatter(JSONFormatter())
    handler.addFilter(RequestIDFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = Client(raise_request_exception=False).get(
            "/boom/", headers={"X-Request-ID": "req-abcdef123456"}, REMOTE_ADDR="192.0.2.44"
        )
    finally:
        logger.removeHandler(handler)
    assert response["X-Request-ID"] == "req-abcdef123456"
    assert len(records) == 1
    assert "\n" not in records[0]
    entry = json.loads(records[0])
    assert entry["level"] == "ERROR"
    assert entry["request_id"] == "req-abcdef123456"
    assert entry["path"] == "/boom/"
    assert entry["status"] == 500
    assert entry["client"] == "192.0.2.44"
    assert "RuntimeError" in entry["exception"]


def test_log_lines_outside_a_request_have_a_placeholder_id():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "bonjour %s", ("toi",), None)
    RequestIDFilter().filter(record)
    entry = json.loads(JSONFormatter().format(record))
    assert entry == {**entry, "message": "bonjour toi", "request_id": "-", "level": "INFO"}
