"""/healthz for the load balancer; server errors e-mailed to ADMINS; Sentry only with SENTRY_DSN."""

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connections
from django.test import Client
from django.urls import path

from core import health

ROOT = Path(__file__).parent.parent


def broken_view(request):
    raise RuntimeError("boom for the admins")


def _site_urls():
    # The site's own URLs too: middleware (the second factor's) reverses admin URLs on every request.
    from config.urls import urlpatterns as site

    return site


urlpatterns = [path("boom/", broken_view), *_site_urls()]


@pytest.mark.django_db
def test_healthz_says_ok_and_nothing_else(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies
    assert "Vary" not in response and "Set-Cookie" not in response
    # No language prefix, no other spelling.
    assert client.get("/en/healthz", follow=True).content != b"ok\n"
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_healthz_answers_any_host_and_plain_http(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["innover.example.org"]
    response = Client().get("/healthz", HTTP_HOST="10.0.0.5:8000")
    assert response.status_code == 200


@pytest.mark.django_db
def test_healthz_is_never_kept_by_the_page_cache(client, settings):
    settings.PAGE_CACHE_ENABLED = True
    client.get("/healthz")
    keys_before = len(getattr(cache, "_cache", {}))
    client.get("/healthz")
    assert len(getattr(cache, "_cache", {})) == keys_before


@pytest.mark.django_db
def test_healthz_is_503_without_details_when_the_cache_loses_values(client, monkeypatch):
    monkeypatch.setattr(health, "cache", _ForgetfulCache())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"unavailable\n"


class _ForgetfulCache:
    """What django-redis does with IGNORE_EXCEPTIONS while Redis is down: writes vanish."""

    def set(self, *args, **kwargs):
        return None

    def get(self, *args, **kwargs):
        return None


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_unreachable(client, settings):
    """A real connection failure: a PostgreSQL port that nothing listens on."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    real = connections["default"]
    settings_dict = {
        **real.settings_dict,
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "nothing_here",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "USER": "nobody",
        "PASSWORD": "",
        "OPTIONS": {"connect_timeout": 2},
        "CONN_HEALTH_CHECKS": False,
    }
    from django.db.backends.postgresql.base import DatabaseWrapper

    dead = DatabaseWrapper(settings_dict, alias="default")
    connections["default"] = dead
    try:
        response = client.get("/healthz")
    finally:
        connections["default"] = real
        dead.close()
    assert response.status_code == 503
    assert response.content == b"unavailable\n"


@pytest.mark.django_db
@pytest.mark.urls("tests.test_health_and_errors")
def test_server_errors_are_mailed_to_admins(settings):
    settings.ADMINS = [
        ("Équipe technique", "tech@example.org"),
        ("Astreinte", "astreinte@example.org"),
    ]
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["astreinte@example.org", "tech@example.org"]
    assert "RuntimeError" in message.body and "boom for the admins" in message.body


def _settings_in_subprocess(code, **env):
    full_env = {k: v for k, v in os.environ.items() if k not in ("SENTRY_DSN", "ADMINS")}
    full_env.update(DJANGO_SETTINGS_MODULE="config.settings.test", **env)
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-1]


def test_admins_are_read_from_the_environment():
    line = _settings_in_subprocess(
        "import json; from django.conf import settings; print(json.dumps(settings.ADMINS))",
        ADMINS="Équipe technique <tech@example.org>, Astreinte <astreinte@example.org>",
    )
    assert json.loads(line) == [
        ["Équipe technique", "tech@example.org"],
        ["Astreinte", "astreinte@example.org"],
    ]
    empty = _settings_in_subprocess(
        "import json; from django.conf import settings; print(json.dumps(settings.ADMINS))"
    )
    assert json.loads(empty) == []


def test_without_sentry_dsn_sentry_is_not_even_imported():
    code = (
        "import sys; from django.test import Client; import config.urls\n"
        "print('sentry_sdk' in sys.modules)"
    )
    assert _settings_in_subprocess(code) == "False"


class _Collector(BaseHTTPRequestHandler):
    received = []

    def do_POST(self):  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.headers.get("Content-Encoding") == "gzip":
            import gzip

            body = gzip.decompress(body)
        type(self).received.append((self.path, body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_with_sentry_dsn_a_server_error_reaches_the_sentry_server():
    """A loopback HTTP server stands in for Sentry and receives the error event."""
    _Collector.received = []
    server = HTTPServer(("127.0.0.1", 0), _Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        code = (
            "import sentry_sdk\n"
            "from django.test import Client, override_settings\n"
            "with override_settings(ROOT_URLCONF='tests.test_health_and_errors'):\n"
            "    status = Client(raise_request_exception=False).get('/boom/').status_code\n"
            "sentry_sdk.flush(10)\n"
            "print(status)"
        )
        status = _settings_in_subprocess(code, SENTRY_DSN=f"http://publickey@127.0.0.1:{port}/42")
    finally:
        server.shutdown()
    assert status == "500"
    paths = [p for p, _ in _Collector.received]
    assert any(p.startswith("/api/42/envelope/") for p in paths), paths
    bodies = b"".join(body for _, body in _Collector.received)
    assert b"boom for the admins" in bodies
    assert b"RuntimeError" in bodies
