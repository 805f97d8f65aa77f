"""Production settings send the security headers on every kind of response."""

import importlib
import sys

import pytest
from bs4 import BeautifulSoup
from django.http import HttpResponse
from django.urls import path

from core.security import allow_framing
from tests.a11y_pages import all_pages, ids

PRODUCTION_SECURITY_SETTINGS = [
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "X_FRAME_OPTIONS",
    "CONTENT_SECURITY_POLICY",
    "ADMIN_CONTENT_SECURITY_POLICY",
    "DOCUMENT_CONTENT_SECURITY_POLICY",
    "PERMISSIONS_POLICY",
    "MIDDLEWARE",
]


@allow_framing
def framed_view(request):
    return HttpResponse("<p>carte</p>")


def plain_view(request):
    return HttpResponse("<p>page</p>")


urlpatterns = [
    path("embed-test/", framed_view),
    path("plain-test/", plain_view),
]


@pytest.fixture
def production(settings, monkeypatch):
    """The security settings of config.settings.production, as loaded with real env vars."""
    monkeypatch.setenv("SECRET_KEY", "test-" + "p" * 60)
    monkeypatch.setenv("ALLOWED_HOSTS", "testserver")
    for var in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_PRELOAD"):
        monkeypatch.delenv(var, raising=False)
    saved = {
        name: sys.modules.pop(name, None)
        for name in ("config.settings.base", "config.settings.production")
    }
    try:
        prod = importlib.import_module("config.settings.production")
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
    for name in PRODUCTION_SECURITY_SETTINGS:
        setattr(settings, name, getattr(prod, name))
    return prod


def csp_directives(response):
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(client, production):
    response = client.get("/le-reseau/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


@pytest.mark.django_db
@pytest.mark.parametrize("page_type,url,status", list(all_pages()), ids=ids(list(all_pages())))
def test_every_public_page_sends_the_security_headers(client, production, page_type, url, status):
    response = client.get(url, secure=True)
    assert response.status_code == status
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions
    csp = csp_directives(response)
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]


@pytest.mark.django_db
@pytest.mark.parametrize("page_type,url,status", list(all_pages()), ids=ids(list(all_pages())))
def test_public_pages_hold_no_inline_script_or_style_that_the_policy_would_block(
    client, page_type, url, status
):
    html = client.get(url).content.decode()
    soup = BeautifulSoup(html, "html5lib")
    for script in soup.find_all("script"):
        assert script.get("src") or script.get("type") in {
            "application/json",
            "application/ld+json",
        }, f"inline script on {url}: {script}"
    assert not soup.find_all("style"), f"<style> element on {url}"
    assert not soup.find_all(style=True), f"style attribute on {url}"
    for tag in soup.find_all(True):
        handlers = [name for name in tag.attrs if name.lower().startswith("on")]
        assert not handlers, f"inline event handler on {url}: {tag.name} {handlers}"


@pytest.mark.django_db
def test_admin_gets_its_own_relaxed_policy_but_still_no_framing_by_others(client, production):
    response = client.get("/admin/login/", secure=True)
    assert response.status_code == 200
    csp = csp_directives(response)
    assert "'unsafe-inline'" in csp["script-src"]
    assert csp["frame-ancestors"] == ["'self'"]
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
@pytest.mark.urls("tests.test_security_headers")
def test_allow_framing_lets_other_sites_embed_that_view_only(client, production):
    framed = client.get("/embed-test/", secure=True)
    assert csp_directives(framed)["frame-ancestors"] == ["*"]
    assert "X-Frame-Options" not in framed
    assert "'unsafe-inline'" not in csp_directives(framed)["script-src"]

    plain = client.get("/plain-test/", secure=True)
    assert csp_directives(plain)["frame-ancestors"] == ["'none'"]
    assert plain["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_every_response_carries_a_request_id(client):
    response = client.get("/")
    assert len(response["X-Request-ID"]) == 32
    echoed = client.get("/", headers={"X-Request-ID": "proxy-id-12345678"})
    assert echoed["X-Request-ID"] == "proxy-id-12345678"
    forged = client.get("/", headers={"X-Request-ID": "<script>alert(1)</script>"})
    assert forged["X-Request-ID"] != "<script>alert(1)</script>"
