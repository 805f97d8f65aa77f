"""In a real browser: a member writes and submits, another member cannot edit, the park rejects
with a comment, the member fixes and resubmits, the park approves, the article is online."""

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)",
    ),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the live server shares SQLite's in-memory test database badly (table locks): "
        "runs on PostgreSQL (set DATABASE_URL=postgres://…)",
    ),
]

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
COMMENT = "Précisez le lieu de l'atelier dans le chapô, s'il vous plaît."


@pytest.fixture
def browser_page(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the test are safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        context = browser.new_context(locale="fr-FR")
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()


def log_in(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo-baronnies")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))


def click_footer_action(page, name):
    """Press a save-bar action even when it sits in the closed dropdown."""
    with page.expect_navigation():
        page.eval_on_selector(f"button[name='{name}']", "button => button.click()")


def workflow_action(page, label, comment):
    page.get_by_role("button", name=label).first.click(force=True) if page.get_by_role(
        "button", name=label
    ).first.is_visible() else page.eval_on_selector(
        f"button:has-text('{label}')", "button => button.click()"
    )
    dialog = page.locator("[role=dialog] form, .modal form").first
    dialog.wait_for()
    dialog.locator("textarea").fill(comment)
    with page.expect_navigation():
        dialog.locator("button[type=submit], input[type=submit]").first.click()


def test_submit_reject_fix_approve_in_a_browser(live_server, browser_page):
    from home.models import HomePage

    if not HomePage.objects.exists():  # another transactional test flushed the demo
        call_command("load_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    from members.models import Organisation
    from news.models import ArticlePage

    base = live_server.url
    page = browser_page
    folder = Organisation.objects.get(slug="asoft").news_page

    # asoft writes an article and submits it
    log_in(page, base, "asoft")
    page.goto(f"{base}/admin/pages/add/news/articlepage/{folder.pk}/")
    page.fill("#id_title", "Café numérique à Buis-les-Baronnies")
    page.fill("#id_lead", "Un moment convivial pour poser ses questions sur le numérique.")
    page.locator("[data-streamfield-stream-container] button, .c-sf-add-button").first.click()
    page.get_by_role("option", name=re.compile("Paragraphe")).first.click()
    editor = page.locator(".public-DraftEditor-content").first
    editor.click()
    editor.type("Rendez-vous au café du village, chaque premier mardi du mois.")
    click_footer_action(page, "action-submit")
    article = ArticlePage.objects.get(title="Café numérique à Buis-les-Baronnies")
    assert article.workflow_in_progress and not article.live

    # cigale cannot open it for editing
    log_in(page, base, "cigale")
    page.goto(f"{base}/admin/pages/{article.pk}/edit/")
    assert "/edit/" not in page.url or page.locator("#id_title").count() == 0

    # parc rejects it with a comment
    log_in(page, base, "parc")
    page.goto(f"{base}/admin/pages/{article.pk}/edit/")
    workflow_action(page, "Demander des modifications", COMMENT)
    article.refresh_from_db()
    assert article.current_workflow_state.status == "needs_changes"

    # asoft sees the comment, fixes the article and resubmits
    log_in(page, base, "asoft")
    page.goto(f"{base}/admin/")
    assert "Précisez le lieu" in page.content()
    page.goto(f"{base}/admin/pages/{article.pk}/edit/")
    page.fill("#id_lead", "Au café du village de Buis-les-Baronnies, pour poser ses questions.")
    click_footer_action(page, "action-submit")
    article.refresh_from_db()
    assert article.current_workflow_state.status == "in_progress"

    # parc approves
    log_in(page, base, "parc")
    page.goto(f"{base}/admin/pages/{article.pk}/edit/")
    workflow_action(page, "Approuver", "Merci !")
    article.refresh_from_db()
    assert article.live

    # the article is online (the /actualites/ listing and feeds come with the news templates)
    response = page.goto(f"{base}{article.url}")
    assert response.status == 200
    assert "Café numérique" in page.content()
