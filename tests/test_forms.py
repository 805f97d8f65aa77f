"""Forms built by staff: stored and e-mailed, protected from bots, consent required, purged in time."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission

from contact.models import CONSENT_FIELD, FormPage
from core.public_forms import HONEYPOT_FIELD, STAMP_FIELD, make_stamp

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_rate_limit():
    cache.clear()
    yield
    cache.clear()


def contact_page(lang="fr"):
    return FormPage.objects.get(slug__in=["nous-contacter"], locale__language_code=lang)


def valid_data(page, **overrides):
    data = {field.clean_name: "Bonjour" for field in page.form_fields.all()}
    for field in page.form_fields.all():
        if field.field_type == "email":
            data[field.clean_name] = "camille@example.org"
    data[CONSENT_FIELD] = "on"
    data[HONEYPOT_FIELD] = ""
    data[STAMP_FIELD] = make_stamp(time.time() - 60)
    data.update(overrides)
    return data


def test_both_forms_exist_in_french_and_english(client):
    for path in (
        "/rejoindre-le-reseau/",
        "/nous-contacter/",
        "/en/rejoindre-le-reseau/",
        "/en/nous-contacter/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert 'type="checkbox"' in response.content.decode()
    assert "Full name" in client.get("/en/rejoindre-le-reseau/").content.decode()


def test_a_submission_is_stored_and_emailed_to_staff(client):
    page = contact_page()
    response = client.post(page.url, valid_data(page))
    assert response.status_code == 200
    assert "Merci" in response.content.decode()
    submission = FormSubmission.objects.get(page=page)
    assert submission.form_data["courriel"] == "camille@example.org"
    assert HONEYPOT_FIELD not in submission.form_data and STAMP_FIELD not in submission.form_data
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [page.to_address]
    assert "camille@example.org" in mail.outbox[0].body


def test_the_honeypot_rejects_bots(client):
    page = contact_page()
    response = client.post(page.url, valid_data(page, **{HONEYPOT_FIELD: "http://spam.example"}))
    assert response.status_code == 200
    assert "pas pu être envoyé" in response.content.decode()
    assert not FormSubmission.objects.filter(page=page).exists()
    assert mail.outbox == []


def test_a_form_sent_too_fast_or_with_a_forged_stamp_is_refused(client):
    page = contact_page()
    for stamp in (make_stamp(time.time()), "1700000000:forged", ""):
        response = client.post(page.url, valid_data(page, **{STAMP_FIELD: stamp}))
        assert response.status_code == 200
        assert 'role="alert"' in response.content.decode()
    assert not FormSubmission.objects.filter(page=page).exists()


def test_consent_is_required_and_errors_keep_input_in_the_visitors_language(client):
    page = contact_page("en")
    data = valid_data(page)
    del data[CONSENT_FIELD]
    data[page.form_fields.get(field_type="multiline").clean_name] = "My <b>message</b>"
    html = client.post(page.url, data).content.decode()
    assert "Tick this box" in html
    assert "My &lt;b&gt;message&lt;/b&gt;" in html
    assert not FormSubmission.objects.filter(page=page).exists()


def test_per_ip_rate_limit_answers_429_and_keeps_input(client, settings):
    settings.FORM_RATE_LIMIT = 2
    page = contact_page()
    for _ in range(2):
        assert client.post(page.url, valid_data(page)).status_code == 200
    response = client.post(page.url, valid_data(page, nom="Camille Durand"))
    assert response.status_code == 429
    assert "Camille Durand" in response.content.decode()
    assert FormSubmission.objects.filter(page=page).count() == 2


def test_purge_deletes_submissions_older_than_the_retention_period(settings):
    settings.FORM_SUBMISSION_RETENTION_DAYS = 30
    page = contact_page()
    old = FormSubmission.objects.create(page=page, form_data={"message": "ancien"})
    FormSubmission.objects.filter(pk=old.pk).update(submit_time=timezone.now() - timedelta(days=31))
    recent = FormSubmission.objects.create(page=page, form_data={"message": "récent"})
    call_command("purge_form_submissions", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(FormSubmission.objects.filter(page=page)) == [recent]
