"""Freshness without an account: the reminder's two signed, expiring, single-use links."""

import datetime
import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page

from directory.commons.freshness import LINK_MAX_AGE, SALT, make_token
from directory.commons.models import EntryVerification, FreshnessLink
from directory.models import ActorPage
from tests.factories import ActorPageFactory, stale

pytestmark = pytest.mark.django_db


@pytest.fixture
def stale_entry():
    cache.clear()
    return stale(ActorPageFactory(title="Collectif de test", email="contact@ensemble-ici.example"))


def links_from_mail():
    body = mail.outbox[-1].body
    return re.search(r"(http\S+/a-jour/\S+/)", body).group(1), re.search(
        r"(http\S+/modifier/\S+/)", body
    ).group(1)


def path_of(url):
    return "/" + url.split("/", 3)[3]


def test_reminder_goes_to_the_entry_contact_with_two_links(stale_entry):
    call_command("send_entry_reminders", stdout=__import__("io").StringIO())
    to_stale = [m for m in mail.outbox if m.to == ["contact@ensemble-ici.example"]]
    assert len(to_stale) == 1
    confirm, change = links_from_mail()
    assert "/annuaire/fiche/a-jour/" in confirm and "/annuaire/fiche/modifier/" in change
    assert FreshnessLink.objects.filter(page_id=stale_entry.pk, used_at=None).count() == 2


def test_everything_is_up_to_date_works_once(client, stale_entry):
    token = make_token(stale_entry, "confirm")
    url = f"/annuaire/fiche/a-jour/{token}/"
    page = client.get(url)
    assert page.status_code == 200 and "Tout est à jour" in page.content.decode()
    assert not EntryVerification.objects.exists()  # opening the link changes nothing
    done = client.post(url)
    assert done.status_code == 200 and "vérifiée le" in done.content.decode()
    verified = EntryVerification.objects.get(page_id=stale_entry.pk).verified_at
    assert abs((timezone.now() - verified).total_seconds()) < 60
    html = client.get(stale_entry.url).content.decode()
    assert "Informations vérifiées le" in html
    # Reused: refused, and the date does not move.
    again = client.post(url)
    assert again.status_code == 410 and "déjà servi" in again.content.decode()
    assert client.get(url).status_code == 410
    assert EntryVerification.objects.get(page_id=stale_entry.pk).verified_at == verified


def test_verification_date_becomes_date_maj_in_the_exports(client, stale_entry):
    token = make_token(stale_entry, "confirm")
    client.post(f"/annuaire/fiche/a-jour/{token}/")
    cache.clear()
    rows = client.get("/annuaire/export.csv").content.decode()
    today = timezone.now().date().isoformat()  # the exports write UTC dates
    line = next(line for line in rows.splitlines() if str(stale_entry.translation_key) in line)
    assert today in line


def test_confirmed_entries_leave_the_stale_report_and_appear_in_the_confirmed_report(
    client, stale_entry
):
    client.force_login(get_user_model().objects.get(username="admin"))
    assert stale_entry.title in client.get("/admin/reports/fiches-a-actualiser/").content.decode()
    client.logout()
    client.post(f"/annuaire/fiche/a-jour/{make_token(stale_entry, 'confirm')}/")
    client.force_login(get_user_model().objects.get(username="admin"))
    assert (
        stale_entry.title not in client.get("/admin/reports/fiches-a-actualiser/").content.decode()
    )
    report = client.get("/admin/reports/fiches-confirmees/")
    assert report.status_code == 200 and stale_entry.title in report.content.decode()


def forged(token):
    return token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")


def expired_token(entry, purpose):
    class Old(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - LINK_MAX_AGE - 60)

    link = FreshnessLink.objects.create(page_id=entry.pk, purpose=purpose, nonce="a" * 32)
    return Old(salt=SALT.format(purpose=purpose)).sign_object({"p": entry.pk, "n": link.nonce})


@pytest.mark.parametrize("purpose, path", [("confirm", "a-jour"), ("change", "modifier")])
def test_forged_expired_and_misused_links_are_refused_and_change_nothing(
    client, stale_entry, purpose, path
):
    before = Page.objects.get(pk=stale_entry.pk).latest_revision_id
    cases = {
        "forged": (forged(make_token(stale_entry, purpose)), 400),
        "garbage": ("pas-un-jeton", 400),
        "expired": (expired_token(stale_entry, purpose), 410),
        "other purpose": (
            make_token(stale_entry, "change" if purpose == "confirm" else "confirm"),
            400,
        ),
        "unknown nonce": (
            signing.dumps({"p": stale_entry.pk, "n": "b" * 32}, salt=SALT.format(purpose=purpose)),
            400,
        ),
    }
    for name, (token, status) in cases.items():
        for response in (
            client.get(f"/annuaire/fiche/{path}/{token}/"),
            client.post(f"/annuaire/fiche/{path}/{token}/", {"title": "X", "summary": "Y"}),
        ):
            assert response.status_code == status, name
            assert "Rien n'a été modifié" in response.content.decode()
    assert not EntryVerification.objects.exists()
    assert Page.objects.get(pk=stale_entry.pk).latest_revision_id == before
    assert not FreshnessLink.objects.exclude(used_at=None).exists()


def test_something_changed_opens_the_prefilled_form_and_makes_a_draft_for_moderation(
    client, stale_entry
):
    token = make_token(stale_entry, "change")
    url = f"/annuaire/fiche/modifier/{token}/"
    html = client.get(url).content.decode()
    assert f'value="{stale_entry.title}"' in html and stale_entry.summary in html
    live_summary = stale_entry.summary
    response = client.post(
        url,
        {
            "title": stale_entry.title,
            "summary": "Nouveau résumé, corrigé par le contact.",
            "description": "",
            "phone": "04 75 00 00 00",
            "email": stale_entry.email,
        },
    )
    assert response.status_code == 200 and "bien été reçue" in response.content.decode()
    entry = ActorPage.objects.get(pk=stale_entry.pk)
    assert (
        entry.summary == live_summary
    )  # the published entry is unchanged until a moderator publishes
    assert entry.has_unpublished_changes
    draft = entry.get_latest_revision_as_object()
    assert (
        draft.summary == "Nouveau résumé, corrigé par le contact."
        and draft.phone == "04 75 00 00 00"
    )
    assert client.get(url).status_code == 410
    assert client.post(url, {"title": "Encore", "summary": "Encore"}).status_code == 410


def test_invalid_change_keeps_the_link_usable(client, stale_entry):
    token = make_token(stale_entry, "change")
    url = f"/annuaire/fiche/modifier/{token}/"
    response = client.post(url, {"title": "", "summary": "", "website": "pas une adresse"})
    assert response.status_code == 200 and "erreurs" in response.content.decode()
    assert FreshnessLink.objects.get(page_id=stale_entry.pk, purpose="change").used_at is None


def test_an_entry_whose_editors_are_reminded_gets_no_second_reminder(stale_entry):
    from members.models import Organisation

    asoft = Organisation.objects.get(slug="asoft")
    ActorPage.objects.filter(pk=asoft.actor_page_id).update(
        email="contact@asoft.example",
        last_published_at=timezone.now() - datetime.timedelta(days=400),
    )
    mail.outbox = []
    call_command("send_entry_reminders", stdout=__import__("io").StringIO())
    call_command("send_freshness_reminders", stdout=__import__("io").StringIO())
    to_asoft = [m.to for m in mail.outbox if "ASOFT" in m.subject]
    # ASOFT's editor is asked to log in; its public contact gets no second e-mail.
    assert to_asoft == [["asoft@example.org"]]
    # An entry without editor accounts still gets the links at its public contact.
    assert any(m.to == ["contact@ensemble-ici.example"] for m in mail.outbox)
