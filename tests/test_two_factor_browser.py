"""Enrolment and login with a second factor, in Debian's chromium: the staff member's path from
the password to the dashboard, then a later login with a recovery code; nothing is fetched from
another host on the way, and axe finds no serious problem on the second-factor screens."""

import base64

import pytest
from django_otp.oath import totp

from tests.browser import browser, django_page, needs_chromium  # noqa: F401
from tests.test_accessibility_browser import assert_axe_passes

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.django_db]


def sign_in(tab, username):
    tab.goto("/admin/login/")
    tab.page.locator("input[name=username]").fill(username)
    tab.page.get_by_label("Mot de passe").fill("demo-baronnies")
    tab.page.locator("form.login-form button[type=submit]").click()
    tab.page.wait_for_load_state()


def test_staff_enrol_then_sign_in_with_a_recovery_code(django_page, settings, client):  # noqa: F811
    settings.OTP_REQUIRED_FOR_STAFF = True
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 0
    page = django_page.page
    sign_in(django_page, "parc")

    # Straight to enrolment: a QR code drawn here, and the key to type in.
    assert "/admin/double-authentification/activer/" in page.url
    assert page.locator("figure svg").count() == 1
    assert_axe_passes(django_page, "2fa", "enrolment")
    secret = page.locator("[data-otp-secret]").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Code de vérification").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Confirmer").click()
    page.wait_for_load_state()

    # The recovery codes, once; then the dashboard with the network's name.
    assert "codes-de-secours" in page.url
    codes = page.locator(".otp-recovery-codes code").all_inner_texts()
    assert len(codes) == settings.OTP_RECOVERY_CODES
    page.get_by_role("link", name="J’ai noté mes codes, continuer").click()
    page.wait_for_load_state()
    assert page.url.endswith("/admin/")
    assert page.get_by_role("heading", name="Innover en Baronnies provençales").is_visible()

    # Next login: the password, then a recovery code instead of the phone.
    client.logout()
    sign_in(django_page, "parc")
    assert "/admin/double-authentification/?" in page.url
    field = page.get_by_label("Code de vérification")
    field.fill("000000")
    page.get_by_role("button", name="Vérifier").click()
    page.wait_for_load_state()
    assert page.get_by_label("Code de vérification").get_attribute("aria-invalid") == "true"
    assert_axe_passes(django_page, "2fa", "verification with an error")
    page.get_by_label("Code de vérification").fill(codes[0])
    page.get_by_role("button", name="Vérifier").click()
    page.wait_for_load_state()
    assert page.url.endswith("/admin/")

    assert django_page.third_party == []
