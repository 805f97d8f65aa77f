"""Moderators may choose one daily summary instead of one e-mail per submission; an editor whose
page is sent back gets the moderator's comment and answers it in the page's comments."""

import re
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.models import Comment, CommentReply
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from members.models import Organisation
from moderation.models import ModerationPreference
from news.models import ArticlePage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


def users():
    User = get_user_model()
    return (
        User.objects.get(username="asoft"),
        User.objects.get(username="parc"),
        User.objects.get(username="admin"),
    )


def article_form(title, slug, comments=None, **extra):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "lead": "Un chapô.",
            "body": streamfield([("paragraph", rich_text("<p>Texte.</p>"))]),
            "comments": comments or inline_formset([]),
            **extra,
        }
    )


def submit(editor_client, title, slug):
    folder = Organisation.objects.get(slug="asoft").news_page
    response = editor_client.post(
        reverse("wagtailadmin_pages:add", args=["news", "articlepage", folder.pk]),
        article_form(title, slug, **{"action-submit": "1"}),
    )
    assert response.status_code == 302
    return ArticlePage.objects.get(slug=slug)


def account_form_data(client):
    """Every field of the account settings page as the browser would send it."""
    soup = BeautifulSoup(client.get(reverse("wagtailadmin_account")).content, "html.parser")
    form = soup.find("form", attrs={"method": re.compile("^post$", re.I)})
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.get("type") in ("file", "submit"):
            continue
        if field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        elif field.name == "select":
            selected = field.find("option", selected=True) or field.find("option")
            data[name] = selected.get("value", "") if selected else ""
        elif field.name == "textarea":
            data[name] = field.text
        else:
            data[name] = field.get("value", "")
    return data


def test_moderator_chooses_daily_summary_in_account_settings_and_gets_one_summary():
    asoft, parc, admin = users()
    moderator = Client()
    moderator.force_login(parc)
    page = moderator.get(reverse("wagtailadmin_account")).content.decode().lower()
    assert "un résumé quotidien au lieu d" in page
    data = account_form_data(moderator)
    data["moderation_summary-daily_summary"] = "on"
    response = moderator.post(reverse("wagtailadmin_account"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ModerationPreference.objects.get(user=parc).daily_summary

    editor = Client()
    editor.force_login(asoft)
    mail.outbox = []
    submit(editor, "Un atelier à valider", "atelier-a-valider")
    recipients = {address for message in mail.outbox for address in message.to}
    assert parc.email not in recipients  # no per-submission e-mail for the summary reader...
    assert admin.email in recipients  # ...while the others still get theirs

    mail.outbox = []
    out = StringIO()
    call_command("send_moderation_summaries", stdout=out)
    (summary,) = [m for m in mail.outbox if parc.email in m.to]
    assert "attend" in summary.subject
    assert "Un atelier à valider" in summary.body
    page = ArticlePage.objects.get(slug="atelier-a-valider")
    assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in summary.body
    html = summary.alternatives[0][0]
    assert '<html lang="fr">' in html and "Un atelier à valider" in html
    assert admin.email not in {a for m in mail.outbox for a in m.to}  # admin did not choose it

    mail.outbox = []
    call_command("send_moderation_summaries", stdout=StringIO())
    assert mail.outbox == []  # once a day


def test_member_editor_sees_no_moderation_summary_choice():
    asoft, _parc, _admin = users()
    editor = Client()
    editor.force_login(asoft)
    assert (
        "un résumé quotidien au lieu d"
        not in editor.get(reverse("wagtailadmin_account")).content.decode()
    )


def test_sent_back_page_carries_the_comment_and_the_editor_answers_in_the_page_comments():
    asoft, parc, _admin = users()
    editor, moderator = Client(), Client()
    editor.force_login(asoft)
    moderator.force_login(parc)
    page = submit(editor, "Un atelier sans date", "atelier-sans-date")
    mail.outbox = []
    comment = "Ajoutez la date et le lieu de l'atelier, merci."
    task_state = page.current_workflow_task_state
    moderator.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "reject", task_state.pk]),
        {"comment": comment},
    )
    (sent_back,) = [m for m in mail.outbox if asoft.email in m.to]
    assert comment in sent_back.body
    assert "répondre" in sent_back.body
    assert comment.replace("'", "&#x27;") in sent_back.alternatives[0][0]

    thread = Comment.objects.get(page=page)
    assert (thread.user, thread.text, thread.contentpath) == (parc, comment, "title")
    edit_page = editor.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert (
        comment.replace("'", "\\u0027") in edit_page.content.decode()
        or comment in edit_page.content.decode()
    )

    mail.outbox = []
    answer = "C'est ajouté : le 12 mars à Buis."
    comments = inline_formset(
        [
            {
                "id": str(thread.pk),
                "contentpath": "title",
                "text": thread.text,
                "position": "",
                "replies": inline_formset([{"id": "", "text": answer}]),
            }
        ],
        initial=1,
    )
    response = editor.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        article_form(
            "Un atelier le 12 mars",
            "atelier-sans-date",
            comments=comments,
            **{"action-submit": "1"},
        ),
    )
    assert response.status_code == 302
    assert CommentReply.objects.get(comment=thread).text == answer
    assert any(parc.email in m.to for m in mail.outbox)  # the moderator hears of the answer
