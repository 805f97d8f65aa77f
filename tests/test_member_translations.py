"""Member editors translate their own organisation's pages, under the same moderation.

Through the admin URLs themselves (wagtail-localize's views as config/urls.py mounts them),
with the demo's accounts: ``asoft`` and ``cigale`` (member editors), ``parc`` (moderator).
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Locale, Page, WorkflowState
from wagtail_localize.models import StringSegment, StringTranslation, Translation

from members.models import Organisation
from tests.libretranslate_standin import libretranslate_standin, translator_setting
from tests.test_permission_matrix import make_article

pytestmark = pytest.mark.django_db

ARTICLE_TITLE = "Atelier numérique pour tous"


@pytest.fixture
def users(db):
    User = get_user_model()
    return {name: User.objects.get(username=name) for name in ("parc", "asoft", "cigale", "admin")}


@pytest.fixture
def en(db):
    return Locale.objects.get(language_code="en")


@pytest.fixture
def article(users):
    folder = Organisation.objects.get(slug="asoft").news_page
    page = make_article(folder, "atelier-numerique-pour-tous", live=True, owner=users["asoft"])
    page.title = ARTICLE_TITLE
    page.save_revision(user=users["asoft"]).publish()
    page.refresh_from_db()
    return page


def submit_url(page):
    return reverse("wagtail_localize:submit_page_translation", args=[page.pk])


def start_translation(client, page, en):
    response = client.post(submit_url(page), {"locales": [en.pk]})
    assert response.status_code == 302, response.status_code
    return Translation.objects.get(source__object_id=page.translation_key, target_locale=en)


def translate_segment(translation, source_text, english, user):
    segment = StringSegment.objects.get(source=translation.source, string__data=source_text)
    StringTranslation.objects.update_or_create(
        translation_of=segment.string,
        locale=translation.target_locale,
        context=segment.context,
        defaults={"data": english, "last_translated_by": user},
    )


def shared_pages():
    """Pages outside every member section: the home page, a dossier, a standard page."""
    fr = Locale.objects.get(language_code="fr")
    return {
        "home": Page.objects.get(depth=2, locale=fr),
        "dossier": Page.objects.filter(locale=fr, url_path__contains="/dossiers/", depth=4).first(),
        "standard": Page.objects.get(locale=fr, slug="le-reseau"),
    }


# Who may open "Translate this page" (GET) and create the translation (POST), per target.
TRANSLATE_ALLOWED = {
    ("asoft", "own article"),
    ("asoft", "own directory entry"),
    ("asoft", "own news folder"),
    ("cigale", "cigale article"),
    *{
        (role, target)
        for role in ("parc", "admin")
        for target in (
            "own article",
            "own directory entry",
            "own news folder",
            "cigale article",
            "home",
            "dossier",
            "standard",
        )
    },
}


@pytest.mark.parametrize(
    "target",
    [
        "own article",
        "own directory entry",
        "own news folder",
        "cigale article",
        "home",
        "dossier",
        "standard",
    ],
)
@pytest.mark.parametrize("role", ["asoft", "cigale", "parc", "admin", "anonymous"])
def test_who_may_translate_which_page(client, users, en, article, role, target):
    asoft = Organisation.objects.get(slug="asoft")
    cigale = Organisation.objects.get(slug="la-cigale-de-nyons")
    pages = {
        "own article": article,
        "own directory entry": asoft.actor_page,
        "own news folder": asoft.news_page,
        "cigale article": make_article(
            cigale.news_page, "cigale-a-traduire", live=True, owner=users["cigale"]
        ),
        **shared_pages(),
    }
    page = pages[target]
    if role != "anonymous":
        client.force_login(users[role])
    english_before = page.get_translation_or_none(en)
    alias_before = english_before.alias_of_id if english_before else None
    response = client.get(submit_url(page))
    allowed = (role, target) in TRANSLATE_ALLOWED
    if not allowed:
        assert response.status_code in (302, 403), response.status_code
        response = client.post(submit_url(page), {"locales": [en.pk]})
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert response["Location"].startswith("/admin/")  # the dashboard, or the login
        assert not Translation.objects.filter(source__object_id=page.translation_key).exists()
        english_after = page.get_translation_or_none(en)
        assert (english_after.pk if english_after else None) == (
            english_before.pk if english_before else None
        )
        return
    if english_before is not None and english_before.alias_of_id is None:
        # Already translated (home, dossiers, standard pages in the demo): nothing left to start.
        assert response.status_code in (200, 302)
        return
    assert response.status_code == 200
    translation = start_translation(client, page, en)
    english = page.get_translation(en)
    if alias_before:
        # A live alias stays the French page, marked as such, until a moderator approves.
        assert english.alias_of_id == alias_before and english.live
    else:
        assert not english.live, "a new translation is a draft"
    assert translation.enabled


def test_the_translate_button_shows_on_own_pages_only(client, users, article):
    client.force_login(users["asoft"])
    own = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    assert submit_url(article) in own
    cigale_article = make_article(
        Organisation.objects.get(slug="la-cigale-de-nyons").news_page,
        "cigale-bouton",
        live=True,
        owner=users["cigale"],
    )
    client.force_login(users["cigale"])
    assert (
        submit_url(article)
        not in client.get(
            reverse("wagtailadmin_explore", args=[article.get_parent().pk])
        ).content.decode()
    )
    client.force_login(users["asoft"])
    assert client.get(submit_url(cigale_article)).status_code in (302, 403)
    assert not Translation.objects.filter(source__object_id=cigale_article.translation_key).exists()


def test_a_member_translation_goes_live_only_when_a_moderator_approves(client, users, en, article):
    client.force_login(users["asoft"])
    translation = start_translation(client, article, en)
    english = article.get_translation(en)
    translate_segment(translation, ARTICLE_TITLE, "Digital workshop for everyone", users["asoft"])

    # The editor is wagtail-localize's, with the moderation bar; "Publish" is refused.
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[english.pk]))
    assert editor.status_code == 200
    body = editor.content.decode()
    assert "js-translation-editor" in body and "Soumettre à Modération du Parc" in body
    assert "&quot;canPublish&quot;: false" in body
    forged = client.post(
        reverse("wagtailadmin_pages:edit", args=[english.pk]), {"action": "publish"}
    )
    assert forged.status_code in (302, 403)
    english.refresh_from_db()
    assert not english.live

    cigale = client.__class__()
    cigale.force_login(users["cigale"])
    assert cigale.get(reverse("wagtailadmin_pages:edit", args=[english.pk])).status_code in (
        302,
        403,
    )
    assert cigale.post(
        reverse("members_translation_submit", args=[translation.pk])
    ).status_code in (302, 403)
    assert not WorkflowState.objects.for_instance(english).exists()

    response = client.post(reverse("members_translation_submit", args=[translation.pk]))
    assert response.status_code == 302
    state = WorkflowState.objects.active().for_instance(english).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    english.refresh_from_db()
    assert not english.live
    assert english.get_latest_revision_as_object().title == "Digital workshop for everyone"
    assert (
        client.get("/en/actualites/asoft/atelier-numerique-pour-tous/").status_code == 200
    )  # the French fallback
    assert (
        "Digital workshop"
        not in client.get("/en/actualites/asoft/atelier-numerique-pour-tous/").content.decode()
    )

    parc = client.__class__()
    parc.force_login(users["parc"])
    task_state = state.current_task_state
    response = parc.post(
        reverse("wagtailadmin_pages:workflow_action", args=[english.pk, "approve", task_state.pk]),
        {"comment": "Très bien."},
    )
    assert response.status_code in (200, 302)
    english.refresh_from_db()
    assert english.live and english.title == "Digital workshop for everyone"
    page = client.get(english.url)
    assert page.status_code == 200 and "Digital workshop for everyone" in page.content.decode()


def test_a_member_cannot_publish_through_sync_and_an_update_is_moderated(
    client, users, en, article, django_capture_on_commit_callbacks
):
    client.force_login(users["parc"])
    translation = start_translation(client, article, en)
    translate_segment(translation, ARTICLE_TITLE, "Digital workshop for everyone", users["parc"])
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(user=users["parc"], publish=True)
    english = article.get_translation(en)
    assert english.live

    article.title = "Atelier numérique pour tous, deuxième séance"
    article.save_revision(user=users["asoft"]).publish()
    source = translation.source
    client.force_login(users["asoft"])
    url = reverse("wagtail_localize:update_translations", args=[source.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="publish_translations"' not in form.content.decode()
    response = client.post(url, {"publish_translations": "on"})
    assert response.status_code == 302
    english.refresh_from_db()
    assert english.title == "Digital workshop for everyone", "a member's sync never publishes"

    translate_segment(
        translation,
        "Atelier numérique pour tous, deuxième séance",
        "Digital workshop, second session",
        users["asoft"],
    )
    client.post(reverse("members_translation_submit", args=[translation.pk]))
    english.refresh_from_db()
    assert english.title == "Digital workshop for everyone", "live content waits for the moderator"
    assert WorkflowState.objects.active().for_instance(english).exists()

    cigale = client.__class__()
    cigale.force_login(users["cigale"])
    assert cigale.get(url).status_code in (302, 403)


def test_a_live_alias_stays_french_until_its_translation_is_approved(client, users, en):
    # In the demo, Point Cyb's English directory entry is a live alias of the French one.
    organisation = Organisation.objects.get(slug="point-cyb")
    folder = organisation.actor_page
    english = folder.get_translation(en)
    assert english.alias_of_id == folder.pk
    editor_user = get_user_model().objects.create_user("pointcyb-test", password="x")
    editor_user.groups.add(organisation.group)
    users["asoft"] = editor_user
    client.force_login(editor_user)
    translation = start_translation(client, folder, en)
    english.refresh_from_db()
    assert english.alias_of_id == folder.pk and english.live
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[english.pk]))
    assert "js-translation-editor" in editor.content.decode()
    translate_segment(translation, folder.title, "Point Cyb, digital help", users["asoft"])
    client.post(reverse("members_translation_submit", args=[translation.pk]))
    english.refresh_from_db()
    assert english.alias_of_id == folder.pk, "still the French page for visitors"
    state = WorkflowState.objects.active().for_instance(english).get()
    parc = client.__class__()
    parc.force_login(users["parc"])
    parc.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[english.pk, "approve", state.current_task_state.pk],
        ),
        {"comment": ""},
    )
    english.refresh_from_db()
    assert (
        english.alias_of_id is None and english.title == "Point Cyb, digital help" and english.live
    )
    folder.title = "Point Cyb — espace public numérique"
    folder.save_revision().publish()
    english.refresh_from_db()
    assert english.title == "Point Cyb, digital help", "no longer overwritten by the French page"


def test_machine_translation_from_the_stand_in_server_is_a_suggestion(
    client, users, en, article, settings
):
    with libretranslate_standin(api_key="clef-de-test") as server:
        settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = translator_setting(
            server, api_key="clef-de-test"
        )
        client.force_login(users["asoft"])
        translation = start_translation(client, article, en)
        english = article.get_translation(en)
        editor = client.get(reverse("wagtailadmin_pages:edit", args=[english.pk])).content.decode()
        assert "LibreTranslate" in editor
        url = reverse("wagtail_localize:machine_translate", args=[translation.pk])
        response = client.post(url, {"next": reverse("wagtailadmin_pages:edit", args=[english.pk])})
        assert response.status_code == 302
        assert (
            server.requests
            and server.requests[0]["source"] == "fr"
            and server.requests[0]["target"] == "en"
        )
        assert server.requests[0]["api_key"] == "clef-de-test"
        machine = StringTranslation.objects.filter(
            locale=en, translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE
        ).values_list("data", flat=True)
        assert "Workshop digital for everyone" in list(
            machine
        )  # the stand-in's word-for-word glossary
        english.refresh_from_db()
        assert not english.live, "machine output is never published by itself"
        assert english.title == ARTICLE_TITLE or not english.live


def test_without_a_translator_there_is_no_machine_translation_button(
    client, users, en, article, settings
):
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = None
    client.force_login(users["asoft"])
    translation = start_translation(client, article, en)
    english = article.get_translation(en)
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[english.pk])).content.decode()
    assert "&quot;machineTranslator&quot;: null" in editor
    url = reverse("wagtail_localize:machine_translate", args=[translation.pk])
    assert client.post(url).status_code == 404


def test_a_machine_translation_service_that_fails_gives_a_message_not_a_500(
    client, users, en, article, settings
):
    with libretranslate_standin(api_key="la-bonne") as server:
        settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = translator_setting(
            server, api_key="une-autre"
        )
        client.force_login(users["asoft"])
        translation = start_translation(client, article, en)
        response = client.post(
            reverse("wagtail_localize:machine_translate", args=[translation.pk]), follow=True
        )
        assert response.status_code == 200
        assert "ne répond pas" in response.content.decode()
