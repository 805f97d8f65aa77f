"""Public contributions at /annuaire/proposer/: a draft under moderation, spam protection, French errors."""

import time

import pytest
from django.core import mail
from django.core.cache import cache

from core.public_forms import make_stamp
from directory.contributions import RATE_LIMIT
from directory.models import ActorPage, Contribution, PlacePage

pytestmark = pytest.mark.django_db
URL = "/annuaire/proposer/"


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


def aged_token(seconds=30):
    return make_stamp(time.time() - seconds)


def form_data(**overrides):
    data = {
        "entry_type": "lieu",
        "title": "Le Tiers-lieu des Tilleuls",
        "kind": "lieu:coworking",
        "summary": "Un coworking au cœur du village.",
        "description": "Des bureaux <b>partagés</b>.\n\nUne salle de réunion.",
        "commune": "26220",
        "address": "2 rue des Tilleuls",
        "phone": "",
        "email": "",
        "website": "tilleuls.example",
        "contributor_name": "Dominique",
        "contributor_email": "dominique.prive@example.org",
        "message": "Merci !",
        "site_web_pro": "",
        "token": aged_token(),
    }
    data.update(overrides)
    return data


def test_form_renders_with_labels_csrf_and_honeypot(client, entries):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Proposer un lieu ou un acteur" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<label for="id_title">' in html and '<label for="id_contributor_email">' in html
    assert 'name="site_web_pro"' in html and 'tabindex="-1"' in html
    assert 'name="token"' in html


def test_english_form_is_served_under_en(client, entries):
    assert client.get("/en" + URL).status_code == 200


def test_submission_becomes_a_draft_place_and_moderators_are_emailed(client, entries):
    response = client.post(URL, form_data())
    assert response.status_code == 302
    assert response["Location"].endswith("?merci=1")
    page = PlacePage.objects.get(title="Le Tiers-lieu des Tilleuls")
    assert page.live is False and page.has_unpublished_changes
    assert page.get_parent().pk == entries["index"].pk
    assert page.kind.slug == "coworking" and page.commune.insee == "26220"
    assert "&lt;b&gt;partagés&lt;/b&gt;" in page.description  # typed text is escaped, not HTML
    assert page.website == "https://tilleuls.example"
    assert "dominique.prive@example.org" not in str(page.__dict__)
    contribution = Contribution.objects.get(page=page)
    assert contribution.contributor_email == "dominique.prive@example.org"
    recipients = {address for message in mail.outbox for address in message.to}
    assert "parc@example.org" in recipients and "admin@example.org" in recipients
    assert any("Le Tiers-lieu des Tilleuls" in message.subject for message in mail.outbox)
    assert "Merci" in client.get(URL + "?merci=1").content.decode()


def test_a_contribution_is_never_public_before_approval(client, entries):
    client.post(
        URL, form_data(entry_type="acteur", kind="acteur:association", title="Acteur en attente")
    )
    page = ActorPage.objects.get(title="Acteur en attente")
    assert client.get(page.url_path.replace("/accueil", "", 1)).status_code == 404
    assert client.get(f"/api/v1/entries/{page.pk}").status_code == 404
    assert b"Acteur en attente" not in client.get("/annuaire/export.csv").content


def test_submission_enters_the_moderation_workflow_when_one_applies(client, entries):
    from wagtail.models import (
        GroupApprovalTask,
        Workflow,
        WorkflowPage,
        WorkflowState,
        WorkflowTask,
    )

    workflow = Workflow.objects.create(name="Modération test")
    task = GroupApprovalTask.objects.create(name="Relecture test")
    task.groups.set([entries["group"]])
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=entries["index"], defaults={"workflow": workflow})
    client.post(URL, form_data())
    page = PlacePage.objects.get(title="Le Tiers-lieu des Tilleuls")
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow == workflow
    assert page.live is False


def test_a_workflow_without_active_tasks_does_not_publish_the_contribution(client, entries):
    from wagtail.models import Workflow, WorkflowPage

    workflow = Workflow.objects.create(name="Modération vide")
    WorkflowPage.objects.update_or_create(page=entries["index"], defaults={"workflow": workflow})
    client.post(URL, form_data())
    assert PlacePage.objects.get(title="Le Tiers-lieu des Tilleuls").live is False


def test_honeypot_submission_is_dropped_silently(client, entries):
    response = client.post(URL, form_data(site_web_pro="http://spam.example"))
    assert response.status_code == 302
    assert not PlacePage.objects.filter(title="Le Tiers-lieu des Tilleuls").exists()
    assert mail.outbox == []


def test_too_fast_submission_is_refused_and_keeps_what_was_typed(client, entries):
    response = client.post(URL, form_data(token=aged_token(0)))
    assert response.status_code == 200
    html = response.content.decode()
    assert "envoyé trop vite" in html
    assert 'value="Le Tiers-lieu des Tilleuls"' in html
    assert "Un coworking au cœur du village." in html
    assert 'value="dominique.prive@example.org"' in html
    assert not PlacePage.objects.filter(title="Le Tiers-lieu des Tilleuls").exists()


@pytest.mark.parametrize("token", ["", "forged:token", aged_token(3 * 60 * 60)])
def test_missing_forged_or_expired_token_is_refused(client, entries, token):
    response = client.post(URL, form_data(token=token))
    assert response.status_code == 200
    assert "Le formulaire a expiré" in response.content.decode()
    assert not PlacePage.objects.filter(title="Le Tiers-lieu des Tilleuls").exists()


def test_errors_are_in_french_next_to_their_fields_and_nothing_is_lost(client, entries):
    response = client.post(
        URL,
        form_data(
            title="",
            contributor_email="pas-un-courriel",
            commune="00000",
            kind="acteur:association",
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_title_error"' in html and "Indiquez le nom de l&#x27;acteur ou du lieu." in html
    assert (
        'id="id_contributor_email_error"' in html
        and "Saisissez une adresse de courriel valide" in html
    )
    assert "Cette commune ne fait pas partie de la liste." in html
    assert "Ce type ne correspond pas" in html
    assert 'value="pas-un-courriel"' in html
    assert "Un coworking au cœur du village." in html
    assert 'value="2 rue des Tilleuls"' in html
    assert 'aria-describedby="id_title_error"' in html
    assert 'aria-describedby="id_contributor_email_error id_contributor_email_helptext"' in html


def test_rate_limit_per_ip_address(client, entries):
    for n in range(RATE_LIMIT):
        response = client.post(URL, form_data(title=f"Lieu {n}"), REMOTE_ADDR="203.0.113.5")
        assert response.status_code == 302
    response = client.post(URL, form_data(title="Lieu de trop"), REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 200
    assert "réessayez dans une heure" in response.content.decode()
    assert 'value="Lieu de trop"' in response.content.decode()
    assert not PlacePage.objects.filter(title="Lieu de trop").exists()
    other = client.post(URL, form_data(title="Autre adresse"), REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302


def test_form_needs_csrf(entries):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(URL, form_data())
    assert response.status_code == 403


def test_staff_see_the_contributor_in_the_admin(client, entries):
    from django.contrib.auth import get_user_model

    client.post(URL, form_data())
    client.force_login(get_user_model().objects.get(username="admin"))
    response = client.get("/admin/snippets/directory/contribution/")
    assert response.status_code == 200
    assert "dominique.prive@example.org" in response.content.decode()
