"""Second factor for the admin (django-otp): staff must enrol and verify, editors may."""

import binascii
import os
import re
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from users.models import User

PASSWORD = "demo-baronnies"
KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test key


@pytest.fixture
def otp_on(settings):
    settings.OTP_REQUIRED_FOR_STAFF = True
    # A wrong code followed at once by the right one: no throttling delay in between.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    return settings


def password_login(client, username):
    response = client.post("/admin/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return response


def token_for(device):
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):0{device.digits}d}"


def wrong_token(device):
    return f"{(int(token_for(device)) + 1) % 10**6:06d}"


def enrol(username, key=KEY, codes=False):
    out = StringIO()
    call_command(
        "enrol_totp", username, f"--key={key}", *(["--codes"] if codes else []), stdout=out
    )
    return out.getvalue().split()


@pytest.mark.django_db
def test_staff_without_a_device_reach_no_admin_page_until_enrolled(client, otp_on):
    password_login(client, "parc")
    for path in ["/admin/", "/admin/pages/", "/admin/images/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/double-authentification/activer/?next=")

    page = client.get("/admin/double-authentification/activer/?next=/admin/pages/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "Activer la double authentification" in html
    assert '<label class="w-field__label" for="id_otp_token"' in html
    device = TOTPDevice.objects.get(user__username="parc", confirmed=False)
    secret = re.search(r"data-otp-secret>([A-Z2-7 ]+)<", html).group(1).replace(" ", "")
    assert secret == device.config_url.split("secret=")[1].split("&")[0]

    refused = client.post(
        "/admin/double-authentification/activer/",
        {"otp_token": wrong_token(device), "next": "/admin/pages/"},
    )
    assert refused.status_code == 400
    assert "Ce code ne correspond pas" in refused.content.decode()
    assert 'aria-invalid="true"' in refused.content.decode()
    assert client.get("/admin/").status_code == 302

    confirmed = client.post(
        "/admin/double-authentification/activer/",
        {"otp_token": token_for(device), "next": "/admin/pages/"},
    )
    assert confirmed.status_code == 302
    codes_page = client.get(confirmed["Location"])
    assert codes_page.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", codes_page.content.decode())
    assert len(codes) == django_settings.OTP_RECOVERY_CODES
    assert set(codes) == set(
        StaticToken.objects.filter(device__user__username="parc").values_list("token", flat=True)
    )
    # Shown once only.
    assert client.get(confirmed["Location"]).status_code == 302
    assert client.get("/admin/pages/").status_code == 200
    assert TOTPDevice.objects.get(user__username="parc").confirmed


@pytest.mark.django_db
def test_with_a_device_a_wrong_token_is_refused_and_the_right_one_admits(client, otp_on):
    enrol("parc")
    device = TOTPDevice.objects.get(user__username="parc")
    password_login(client, "parc")
    blocked = client.get("/admin/pages/")
    assert blocked.status_code == 302
    assert blocked["Location"] == "/admin/double-authentification/?next=%2Fadmin%2Fpages%2F"
    # The enrolment page cannot be used to replace the device with the password only.
    assert client.get("/admin/double-authentification/activer/")["Location"].startswith(
        "/admin/double-authentification/?"
    )

    refused = client.post(
        "/admin/double-authentification/",
        {"otp_token": wrong_token(device), "next": "/admin/pages/"},
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Ce code n&#x27;est pas valide" in html or "Ce code n'est pas valide" in html
    assert client.get("/admin/pages/").status_code == 302

    admitted = client.post(
        "/admin/double-authentification/",
        {"otp_token": token_for(device), "next": "/admin/pages/"},
    )
    assert admitted.status_code == 302
    assert admitted["Location"] == "/admin/pages/"
    assert client.get("/admin/pages/").status_code == 200


@pytest.mark.django_db
def test_next_cannot_send_the_user_to_another_site(client, otp_on):
    enrol("parc")
    device = TOTPDevice.objects.get(user__username="parc")
    password_login(client, "parc")
    response = client.post(
        "/admin/double-authentification/",
        {"otp_token": token_for(device), "next": "https://evil.example/"},
    )
    assert response["Location"] == "/admin/"


@pytest.mark.django_db
def test_a_recovery_code_works_once(client, otp_on):
    code = enrol("admin", codes=True)[1]
    password_login(client, "admin")
    admitted = client.post("/admin/double-authentification/", {"otp_token": code.upper()})
    assert admitted.status_code == 302
    assert client.get("/admin/").status_code == 200
    client.post("/admin/logout/")

    password_login(client, "admin")
    again = client.post("/admin/double-authentification/", {"otp_token": code})
    assert again.status_code == 400
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_wrong_tokens_count_as_failed_logins_and_lock_the_account_out(client, otp_on):
    enrol("parc")
    device = TOTPDevice.objects.get(user__username="parc")
    password_login(client, "parc")
    statuses = [
        client.post("/admin/double-authentification/", {"otp_token": wrong_token(device)})
        for _ in range(django_settings.AXES_FAILURE_LIMIT)
    ]
    assert [r.status_code for r in statuses[:-1]] == [400] * (
        django_settings.AXES_FAILURE_LIMIT - 1
    )
    assert statuses[-1].status_code == 429
    assert "Connexion bloquée" in statuses[-1].content.decode()
    # Logged out, and the password alone no longer opens a session from this address.
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    relogin = client.post("/admin/login/", {"username": "parc", "password": PASSWORD})
    assert relogin.status_code == 429


@pytest.mark.django_db
def test_a_member_editor_is_not_forced_but_may_enrol_from_the_account(client, otp_on):
    password_login(client, "asoft")
    assert client.get("/admin/").status_code == 200
    account = client.get("/admin/account/")
    assert "/admin/double-authentification/activer/" in account.content.decode()
    assert client.get("/admin/double-authentification/activer/").status_code == 200

    # Once enrolled, the editor is asked for a code at each login like staff.
    enrol("asoft")
    client.post("/admin/logout/")
    password_login(client, "asoft")
    assert client.get("/admin/")["Location"].startswith("/admin/double-authentification/?")


@pytest.mark.django_db
def test_development_settings_exempt_the_demo_accounts(client, settings):
    # The test settings derive from the development ones, where the setting is off.
    assert settings.OTP_REQUIRED_FOR_STAFF is False
    for username in ["admin", "parc"]:
        client.post("/admin/logout/")
        password_login(client, username)
        assert client.get("/admin/").status_code == 200


def settings_value(module, name):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": module,
        "SECRET_KEY": "s" * 60,
        "ALLOWED_HOSTS": "example.org",
    }
    env.pop("OTP_REQUIRED_FOR_STAFF", None)
    code = (
        f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_production_settings_require_the_second_factor_and_development_does_not():
    assert settings_value("config.settings.production", "OTP_REQUIRED_FOR_STAFF") == "True"
    assert settings_value("config.settings.dev", "OTP_REQUIRED_FOR_STAFF") == "False"


@pytest.mark.django_db
def test_enrol_totp_prints_the_uri_of_a_confirmed_device_with_the_given_key():
    uri = enrol("parc")[0]
    device = TOTPDevice.objects.get(user__username="parc")
    assert device.confirmed and device.key == KEY
    secret = __import__("base64").b32encode(binascii.unhexlify(KEY)).decode()
    assert uri.startswith("otpauth://totp/Innover%20en%20Baronnies%3Aparc?")
    assert f"secret={secret}" in uri
    # Running it again replaces the device rather than adding one.
    enrol("parc", key="ab" * 20)
    assert list(TOTPDevice.objects.filter(user__username="parc").values_list("key", flat=True)) == [
        "ab" * 20
    ]


@pytest.mark.django_db
def test_enrol_totp_makes_a_random_key_and_refuses_bad_input():
    call_command("enrol_totp", "cigale", stdout=StringIO())
    assert len(TOTPDevice.objects.get(user__username="cigale").key) == 40
    with pytest.raises(CommandError):
        call_command("enrol_totp", "cigale", "--key=xyz", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("enrol_totp", "nobody", stdout=StringIO())
    assert User.objects.filter(username="cigale").exists()
