"""One client address for rate limits, the login lockout and logs (core/client_ip.py)."""

import time

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory

from core.client_ip import client_ip, client_key
from core.public_forms import make_stamp

factory = RequestFactory()


def request(remote="", xff=None):
    meta = {"REMOTE_ADDR": remote}
    if xff is not None:
        meta["HTTP_X_FORWARDED_FOR"] = xff
    return factory.get("/", **meta)


def test_without_proxy_the_socket_address_is_the_client_and_the_header_is_ignored(settings):
    settings.PROXY_COUNT = 0
    assert client_ip(request("203.0.113.7")) == "203.0.113.7"
    assert client_ip(request("203.0.113.7", xff="198.51.100.1")) == "203.0.113.7"
    assert client_ip(request("")) is None
    assert client_key(request("")) == "unknown"


def test_behind_one_proxy_the_address_nginx_saw_is_the_client(settings):
    settings.PROXY_COUNT = 1
    # gunicorn on a Unix socket: REMOTE_ADDR is empty, nginx appended $remote_addr.
    assert client_ip(request("", xff="127.0.0.2")) == "127.0.0.2"
    # A client that sends its own X-Forwarded-For only adds entries on the left.
    assert client_ip(request("", xff="10.9.9.9, 127.0.0.2")) == "127.0.0.2"
    assert client_ip(request("", xff="1.2.3.4,5.6.7.8 ,  127.0.0.2")) == "127.0.0.2"
    # Over TCP the proxy's own address is REMOTE_ADDR: still the header's last entry.
    assert client_ip(request("127.0.0.1", xff="127.0.0.3")) == "127.0.0.3"
    # IPv6, normalised; a port is dropped.
    assert client_ip(request("", xff="2001:DB8::0001")) == "2001:db8::1"
    assert client_ip(request("", xff="[2001:db8::1]:443")) == "2001:db8::1"
    assert client_ip(request("", xff="192.0.2.5:1234")) == "192.0.2.5"


def test_behind_two_proxies_the_second_entry_from_the_right_is_the_client(settings):
    settings.PROXY_COUNT = 2
    assert client_ip(request("10.0.0.2", xff="forged, 198.51.100.4, 10.0.0.1")) == "198.51.100.4"
    assert client_ip(request("10.0.0.2", xff="198.51.100.4, 10.0.0.1")) == "198.51.100.4"


def test_a_missing_short_or_garbled_header_falls_back_to_the_socket(settings):
    settings.PROXY_COUNT = 2
    assert client_ip(request("192.0.2.9", xff="198.51.100.4")) == "192.0.2.9"
    settings.PROXY_COUNT = 1
    assert client_ip(request("192.0.2.9")) == "192.0.2.9"
    assert client_ip(request("192.0.2.9", xff="not-an-address")) == "192.0.2.9"
    assert client_ip(request("", xff="<script>")) is None
    assert client_key(request("", xff="")) == "unknown"


LOGIN_URL = "/admin/login/"


def login(client, password, **meta):
    return client.post(LOGIN_URL, {"username": "parc", "password": password}, **meta)


@pytest.mark.django_db
def test_behind_nginx_one_client_locks_itself_out_and_not_the_others(settings):
    settings.PROXY_COUNT = 1
    a, b = Client(), Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(a, "wrong-password", REMOTE_ADDR="", HTTP_X_FORWARDED_FOR="127.0.0.2")
    # Even the right password is refused for A, whatever A puts in its own header…
    assert (
        login(a, "demo-baronnies", REMOTE_ADDR="", HTTP_X_FORWARDED_FOR="127.0.0.2").status_code
        == 429
    )
    forged = login(a, "demo-baronnies", REMOTE_ADDR="", HTTP_X_FORWARDED_FOR="127.0.0.9, 127.0.0.2")
    assert forged.status_code == 429
    # …while B, another address behind the same proxy, logs in.
    assert (
        login(b, "demo-baronnies", REMOTE_ADDR="", HTTP_X_FORWARDED_FOR="127.0.0.3").status_code
        == 302
    )


@pytest.mark.django_db
def test_without_proxy_a_forged_header_does_not_escape_the_lockout(settings):
    settings.PROXY_COUNT = 0
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(
            Client(), "wrong-password", REMOTE_ADDR="127.0.0.2", HTTP_X_FORWARDED_FOR=f"127.0.1.{n}"
        )
    refused = login(
        Client(), "demo-baronnies", REMOTE_ADDR="127.0.0.2", HTTP_X_FORWARDED_FOR="127.0.0.3"
    )
    assert refused.status_code == 429
    assert login(Client(), "demo-baronnies", REMOTE_ADDR="127.0.0.3").status_code == 302


@pytest.mark.django_db
def test_rate_limits_count_each_client_behind_the_proxy_apart(client, settings):
    """The measured failure: behind nginx on a Unix socket, every visitor shared one bucket."""
    from contact.models import CONSENT_FIELD, FormPage
    from core.public_forms import HONEYPOT_FIELD, STAMP_FIELD

    cache.clear()
    settings.PROXY_COUNT = 1
    settings.FORM_RATE_LIMIT = 2
    page = FormPage.objects.get(slug="nous-contacter", locale__language_code="fr")

    def data():
        values = {f.clean_name: "Bonjour" for f in page.form_fields.all()}
        for f in page.form_fields.all():
            if f.field_type == "email":
                values[f.clean_name] = "camille@example.org"
        values.update(
            {CONSENT_FIELD: "on", HONEYPOT_FIELD: "", STAMP_FIELD: make_stamp(time.time() - 60)}
        )
        return values

    for _ in range(2):
        assert (
            client.post(
                page.url, data(), REMOTE_ADDR="", HTTP_X_FORWARDED_FOR="127.0.0.2"
            ).status_code
            == 200
        )
    assert (
        client.post(page.url, data(), REMOTE_ADDR="", HTTP_X_FORWARDED_FOR="127.0.0.2").status_code
        == 429
    )
    forged = client.post(
        page.url, data(), REMOTE_ADDR="", HTTP_X_FORWARDED_FOR="203.0.113.1, 127.0.0.2"
    )
    assert forged.status_code == 429
    other = client.post(page.url, data(), REMOTE_ADDR="", HTTP_X_FORWARDED_FOR="127.0.0.3")
    assert other.status_code == 200 and "Merci" in other.content.decode()
    cache.clear()
