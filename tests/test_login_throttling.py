"""The admin login locks a login name out after repeated failures (django-axes)."""

import pytest
from django.conf import settings

LOGIN_URL = "/admin/login/"


def attempt(client, password, username="parc"):
    return client.post(LOGIN_URL, {"username": username, "password": password})


@pytest.mark.django_db
def test_wrong_passwords_below_the_limit_show_the_login_form_again(client):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, "wrong-password")
        assert response.status_code == 200
    assert attempt(client, "demo-baronnies").status_code == 302


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_out_with_a_clear_message(client):
    responses = [attempt(client, "wrong-password") for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert [r.status_code for r in responses[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    locked = responses[-1]
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "Connexion bloquée" in text
    assert "Trop de tentatives de connexion ont échoué" in text
    assert "60 minutes" in text

    # Even the right password is refused while the lock lasts, and the admin stays closed.
    after = attempt(client, "demo-baronnies")
    assert after.status_code == 429
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_a_lockout_of_one_login_does_not_lock_out_another(client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong-password", username="parc")
    assert attempt(client, "demo-baronnies", username="asoft").status_code == 302
