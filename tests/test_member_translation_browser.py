"""In a real browser (Debian's chromium): ``asoft`` translates its article with a machine draft
from the LibreTranslate stand-in, corrects one segment and submits it; ``cigale`` cannot open it;
``parc`` approves; the English page is online and the report no longer lists it. Then ``asoft``
changes the French article: the report and the English page say the translation is out of date.

The browser talks to pytest-django's live server (as in tests/test_moderation_browser.py) on the
committed demo: tests/browser.py's routed test client cannot follow the redirect that answers a
form's POST (Chromium's follow-up request fails with ERR_NAME_NOT_RESOLVED before it is routed).
"""

import os
import re

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Locale, WorkflowState

from members.models import Organisation
from tests.browser import CHROMIUM_ARGS, browser, needs_chromium  # noqa: F401 - fixture
from tests.libretranslate_standin import libretranslate_standin, translator_setting
from tests.test_permission_matrix import make_article

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the live server shares SQLite's in-memory test database badly (table locks): "
        "runs on PostgreSQL (set DATABASE_URL=postgres://…)",
    ),
]

TITLE = "Atelier numérique pour tous"
CORRECTED = "A digital workshop for everyone"
PASSWORD = "demo-baronnies"


@pytest.fixture
def tab(browser):  # noqa: F811
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def log_in(tab, base, username):
    tab.context.clear_cookies()
    tab.goto(f"{base}/admin/login/")
    tab.fill("#id_username", username)
    tab.fill("#id_password", PASSWORD)
    with tab.expect_navigation():
        tab.click("button[type=submit]")
    assert re.search(r"/admin/$", tab.url), tab.url


def approve(page, moderator):
    state = WorkflowState.objects.active().for_instance(page).get()
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, moderator, "approve", comment="")


def test_a_member_translates_its_article_under_moderation(
    committed_demo, live_server, tab, settings
):
    base = live_server.url
    users = {name: get_user_model().objects.get(username=name) for name in ("asoft", "parc")}
    en = Locale.objects.get(language_code="en")
    folder = Organisation.objects.get(slug="asoft").news_page
    article = make_article(folder, "atelier-numerique-navigateur", live=True, owner=users["asoft"])
    article.title = TITLE
    article.save_revision(user=users["asoft"]).publish(user=users["parc"])

    with libretranslate_standin() as server:
        settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = translator_setting(server)

        # asoft starts the translation from its article and gets wagtail-localize's editor.
        log_in(tab, base, "asoft")
        tab.goto(f"{base}/admin/localize/submit/page/{article.pk}/")
        tab.locator("input[name=locales]").first.check()
        with tab.expect_navigation():
            tab.locator("input[type=submit]").click()
        english = article.get_translation(en)
        assert not english.live
        assert f"/admin/pages/{english.pk}/edit/" in tab.url
        machine = tab.get_by_role("button", name=re.compile("Traduire avec LibreTranslate"))
        machine.wait_for()

        # A machine draft from the stand-in server, then one segment corrected by hand.
        with tab.expect_navigation():
            machine.click()
        assert server.requests, "the stand-in server was not called"
        assert server.requests[0]["source"] == "fr" and server.requests[0]["target"] == "en"
        tab.get_by_text("Workshop digital for everyone").first.wait_for()
        tab.get_by_role("button", name="Modifier").first.click()
        tab.locator("textarea").first.fill(CORRECTED)
        with tab.expect_response(lambda r: "/strings/" in r.url and r.request.method == "PUT"):
            tab.get_by_role("button", name="Enregistrer").first.click()

        # Submitted to the park's moderation; nothing is live yet.
        with tab.expect_navigation():
            tab.get_by_role("button", name="Soumettre à Modération du Parc").click()
        english.refresh_from_db()
        assert not english.live
        state = WorkflowState.objects.active().for_instance(english).get()
        assert state.status == WorkflowState.STATUS_IN_PROGRESS
        tab.goto(f"{base}{english.url}")
        assert CORRECTED not in tab.locator("h1").inner_text()

    # cigale cannot open ASOFT's translation.
    log_in(tab, base, "cigale")
    tab.goto(f"{base}/admin/pages/{english.pk}/edit/")
    assert "js-translation-editor" not in tab.content()
    assert f"/admin/pages/{english.pk}/edit/" not in tab.url

    # parc approves from the moderation bar above the editor.
    log_in(tab, base, "parc")
    tab.goto(f"{base}/admin/pages/{english.pk}/edit/")
    approve_button = tab.get_by_role("button", name="Approuver", exact=True)
    assert approve_button.get_attribute("name") == "workflow-action-approve"
    with tab.expect_navigation():
        approve_button.click()
    english.refresh_from_db()
    assert english.live and english.title == CORRECTED

    tab.goto(f"{base}{english.url}")
    assert CORRECTED in tab.locator("h1").inner_text()
    tab.goto(f"{base}/admin/reports/traductions/")
    assert tab.locator("h1").count() == 1
    assert TITLE not in tab.content()

    # asoft changes the French article (moderated too); once approved, the English is out of date.
    log_in(tab, base, "asoft")
    tab.goto(f"{base}/admin/pages/{article.pk}/edit/", wait_until="networkidle")
    tab.locator("#id_title").fill(TITLE + " : deuxième séance")
    submit = tab.locator("button[name='action-submit']").first
    if not submit.is_visible():
        tab.get_by_role("button", name="Plus d'actions").last.click()
    with tab.expect_navigation():
        submit.click()
    article.refresh_from_db()
    approve(article, users["parc"])
    article.refresh_from_db()
    assert article.live and article.title == TITLE + " : deuxième séance"

    log_in(tab, base, "parc")
    tab.goto(f"{base}/admin/reports/traductions/?etat=outdated")
    row = tab.locator("tr[data-translation-state=outdated]", has_text=TITLE)
    assert row.count() == 1
    tab.goto(f"{base}{english.url}")
    notice = tab.locator("p.notice").inner_text()
    assert "changed on" in notice
    assert tab.locator("p.notice a").get_attribute("href") == article.get_url()
