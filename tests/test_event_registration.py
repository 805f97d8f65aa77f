"""The registration form: validation, capacity, CSRF, rate limit; registrations stay in the admin."""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from core.public_forms import make_stamp
from events.models import Registration

from .editorial import add_event, new_organisation

pytestmark = pytest.mark.django_db

VALID = {"name": "Camille Dupont", "email": "camille@example.org", "consent": "on"}


@pytest.fixture(autouse=True)
def aged_stamp():
    """Every posted form carries a stamp made a minute ago, as a person's would."""
    VALID["debut"] = make_stamp(time.time() - 60)


@pytest.fixture(autouse=True)
def clear_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def event():
    organisation = new_organisation()
    start = timezone.now() + timedelta(days=10)
    return add_event(
        organisation.events_page,
        "Atelier",
        start,
        start + timedelta(hours=2),
        registration_open=True,
        capacity=2,
    )


def test_the_form_is_shown_with_labels_and_places_left(client, event):
    html = client.get(event.url).content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    assert (
        '<label for="id_name">' in html
        and '<label for="id_email">' in html
        and '<label for="id_consent">' in html
    )
    assert "Il reste 2 places." in html


def test_a_valid_registration_is_saved_and_confirmed(client, event):
    response = client.post(event.url, VALID, follow=True)
    assert response.status_code == 200
    assert "Merci, votre inscription est enregistrée." in response.content.decode()
    registration = Registration.objects.get(event=event)
    assert (registration.name, registration.email) == ("Camille Dupont", "camille@example.org")
    assert "Il reste 1 place." in response.content.decode()


def test_missing_fields_give_french_errors_and_keep_the_input(client, event):
    response = client.post(
        event.url, {**VALID, "name": "Camille", "email": "pas-un-courriel", "consent": ""}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce courriel n&#x27;est pas valide." in html
    assert "Cochez cette case pour vous inscrire." in html
    assert 'value="Camille"' in html and 'value="pas-un-courriel"' in html
    assert not Registration.objects.exists()


def test_registration_beyond_capacity_is_refused_politely(client, event):
    Registration.objects.create(event=event, name="A", email="a@example.org")
    Registration.objects.create(event=event, name="B", email="b@example.org")
    assert "Cet événement est complet." in client.get(event.url).content.decode()
    response = client.post(event.url, VALID)
    assert response.status_code == 200
    assert "Désolé, cet événement est complet" in response.content.decode()
    assert Registration.objects.filter(event=event).count() == 2


def test_the_same_email_cannot_register_twice(client, event):
    client.post(event.url, VALID)
    response = client.post(event.url, {**VALID, "email": "CAMILLE@example.org"})
    assert "Ce courriel est déjà inscrit à cet événement." in response.content.decode()
    assert Registration.objects.filter(event=event).count() == 1


def test_a_post_without_csrf_token_is_refused(event):
    client = Client(enforce_csrf_checks=True)
    response = client.post(event.url, VALID)
    assert response.status_code == 403
    assert not Registration.objects.exists()


def test_too_many_attempts_from_one_address_are_refused(client, event):
    for _ in range(10):
        client.post(event.url, {**VALID, "name": "", "email": ""}, REMOTE_ADDR="203.0.113.9")
    response = client.post(event.url, VALID, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    assert not Registration.objects.exists()
    assert client.post(event.url, VALID, REMOTE_ADDR="203.0.113.10").status_code == 302


def test_past_events_take_no_registration(client):
    organisation = new_organisation()
    start = timezone.now() - timedelta(days=3)
    past = add_event(
        organisation.events_page, "Passé", start, start + timedelta(hours=2), registration_open=True
    )
    assert "les inscriptions sont closes" in client.get(past.url).content.decode()
    client.post(past.url, VALID)
    assert not Registration.objects.exists()


def test_registrations_are_only_in_the_admin_for_staff(client, event, django_user_model):
    Registration.objects.create(event=event, name="Secret", email="secret@example.org")
    assert "secret@example.org" not in client.get(event.url).content.decode()
    anonymous = client.get("/admin/registrations/")
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    admin = django_user_model.objects.get(username="admin")
    client.force_login(admin)
    listing = client.get("/admin/registrations/")
    assert listing.status_code == 200 and "secret@example.org" in listing.content.decode()


def test_an_editor_without_the_permission_cannot_list_registrations(
    client, event, django_user_model
):
    Registration.objects.create(event=event, name="Secret", email="secret@example.org")
    client.force_login(django_user_model.objects.get(username="asoft"))
    response = client.get("/admin/registrations/")
    assert response.status_code in (302, 403)
    assert "secret@example.org" not in response.content.decode()


def test_the_registration_form_has_the_spam_protection_of_every_public_form(client, event):
    html = client.get(event.url).content.decode()
    assert 'name="debut"' in html and 'name="site_web"' in html and 'tabindex="-1"' in html
    bot = client.post(event.url, {**VALID, "site_web": "http://spam.example"})
    assert bot.status_code == 200 and "pas pu être envoyé" in bot.content.decode()
    too_fast = client.post(event.url, {**VALID, "debut": make_stamp()})
    assert "envoyé trop vite" in too_fast.content.decode()
    assert 'value="Camille Dupont"' in too_fast.content.decode()
    forged = client.post(event.url, {**VALID, "debut": "1700000000:forged"})
    assert "Le formulaire a expiré" in forged.content.decode()
    assert not Registration.objects.exists()
