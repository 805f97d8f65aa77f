"""The workflow mails moderators on submission and the author on rejection and approval (in French)."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from members.models import Organisation
from news.models import ArticlePage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


def form(title, slug, **extra):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "lead": "Un chapô.",
            "body": streamfield([("paragraph", rich_text("<p>Texte.</p>"))]),
            "comments": inline_formset([]),
            **extra,
        }
    )


def test_submit_reject_resubmit_approve_sends_french_emails(client):
    User = get_user_model()
    asoft, parc = User.objects.get(username="asoft"), User.objects.get(username="parc")
    folder = Organisation.objects.get(slug="asoft").news_page
    client.force_login(asoft)
    mail.outbox = []
    response = client.post(
        reverse("wagtailadmin_pages:add", args=["news", "articlepage", folder.pk]),
        form("Un atelier", "notif-atelier", **{"action-submit": "1"}),
    )
    assert response.status_code == 302
    page = ArticlePage.objects.get(slug="notif-atelier")
    assert page.workflow_in_progress and not page.live
    to_moderators = [m for m in mail.outbox if parc.email in m.to]
    assert to_moderators, [m.to for m in mail.outbox]
    assert asoft.email not in {a for m in mail.outbox for a in m.to}

    client.force_login(parc)
    task_state = page.current_workflow_task_state
    mail.outbox = []
    comment = "Ajoutez la date de l'atelier, merci."
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "reject", task_state.pk]),
        {"comment": comment},
    )
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.current_workflow_state.status == "needs_changes"
    rejected = [m for m in mail.outbox if asoft.email in m.to]
    assert rejected
    body = rejected[0].body + "".join(alt[0] for alt in getattr(rejected[0], "alternatives", []))
    assert comment.replace("'", "&#x27;") in body or comment in body
    assert "rejet" in rejected[0].subject.lower()  # French wording

    client.force_login(asoft)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        form("Un atelier le 12 mars", "notif-atelier", **{"action-submit": "1"}),
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.current_workflow_state.status == "in_progress"

    client.force_login(parc)
    mail.outbox = []
    task_state = page.current_workflow_task_state
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]),
        {"comment": ""},
    )
    page.refresh_from_db()
    assert page.live and page.title == "Un atelier le 12 mars"
    approved = [m for m in mail.outbox if asoft.email in m.to]
    assert approved and "approuv" in (approved[0].subject + approved[0].body).lower()
