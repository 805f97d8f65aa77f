"""In a real browser: a member writes and submits, another member cannot edit, the park rejects
with a comment, the member fixes and resubmits, the park approves, the article is online."""

import os
import re
from pathlib import Path

import pytest

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
    """Press a save-bar action even when it sits in the closed dropdown; it must be accepted."""
    button = page.locator(f"button[name='{name}']").first
    if not button.is_visible():
        page.get_by_role("button", name="Plus d'actions").last.click()
    with page.expect_navigation():
        button.click()
    assert_no_form_errors(page)


def assert_no_form_errors(page):
    errors = [
        text.strip()
        for text in page.locator(".error-message, .w-field__errors").all_inner_texts()
        if text.strip()
    ]
    labels = page.locator(
        ".w-field--error label, .w-field--error .w-field__label"
    ).all_inner_texts()
    assert not errors, (page.url, errors, labels)


def open_editor(page, url):
    """Open an admin edit view and wait until its scripts are running (no request pending)."""
    page.goto(url, wait_until="networkidle")


def workflow_action(page, label, comment):
    """Open the save bar's menu, press a workflow action, fill and send its comment dialog."""
    page.get_by_role("button", name="Plus d'actions").last.click()
    page.locator("button[data-workflow-action-name]", has_text=label).first.click()
    dialog = page.locator(".modal-dialog form").first
    dialog.wait_for()
    dialog.locator("textarea").fill(comment)
    with page.expect_navigation():
        dialog.locator("button[type=submit], input[type=submit]").first.click()
    assert_no_form_errors(page)


def test_submit_reject_fix_approve_in_a_browser(committed_demo, live_server, browser_page):
    from playwright.sync_api import expect

    from members.models import Organisation
    from news.models import ArticlePage

    base = live_server.url
    page = browser_page
    folder = Organisation.objects.get(slug="asoft").news_page

    # asoft writes an article and submits it
    log_in(page, base, "asoft")
    open_editor(page, f"{base}/admin/pages/add/news/articlepage/{folder.pk}/")
    page.fill("#id_title", "Café numérique à Buis-les-Baronnies")
    page.fill("#id_lead", "Un moment convivial pour poser ses questions sur le numérique.")
    page.locator("[data-streamfield-stream-container] button, .c-sf-add-button").first.click()
    page.get_by_role("option", name=re.compile("Paragraphe")).first.click()
    editor = page.locator(".public-DraftEditor-content").first
    editor.click()
    editor.type("Rendez-vous au café du village, chaque premier mardi du mois.")
    expect(editor).to_contain_text("premier mardi")
    # Draftail saves into its hidden input after a short debounce: wait for the value itself.
    expect(page.locator("input[name='body-0-value']")).to_have_value(re.compile("premier mardi"))
    expect(page.locator("#id_slug")).to_have_value(re.compile("cafe-numerique"))
    click_footer_action(page, "action-submit")
    article = ArticlePage.objects.get(title="Café numérique à Buis-les-Baronnies")
    assert article.workflow_in_progress and not article.live

    # cigale cannot open it for editing
    log_in(page, base, "cigale")
    page.goto(f"{base}/admin/pages/{article.pk}/edit/")
    assert "/edit/" not in page.url or page.locator("#id_title").count() == 0

    # parc rejects it with a comment
    log_in(page, base, "parc")
    open_editor(page, f"{base}/admin/pages/{article.pk}/edit/")
    workflow_action(page, "Demander des modifications", COMMENT)
    article.refresh_from_db()
    assert article.current_workflow_state.status == "needs_changes"

    # asoft sees the comment, fixes the article and resubmits
    log_in(page, base, "asoft")
    page.goto(f"{base}/admin/")
    assert "Précisez le lieu" in page.content()
    open_editor(page, f"{base}/admin/pages/{article.pk}/edit/")
    page.fill("#id_lead", "Au café du village de Buis-les-Baronnies, pour poser ses questions.")
    click_footer_action(page, "action-submit")
    article.refresh_from_db()
    assert article.current_workflow_state.status == "in_progress"

    # parc approves
    log_in(page, base, "parc")
    open_editor(page, f"{base}/admin/pages/{article.pk}/edit/")
    workflow_action(page, "Approuver avec un commentaire", "Merci !")
    article.refresh_from_db()
    assert article.live

    # the article is online under its organisation's folder
    assert article.url.startswith("/actualites/asoft/")
    response = page.goto(f"{base}{article.url}")
    assert response.status == 200
    assert "Café numérique" in page.content()
    response = page.goto(f"{base}/actualites/")
    assert response.status == 200
    assert "Café numérique" in page.content()
    # ... and in the news feed
    feed = page.request.get(f"{base}/actualites/flux/rss/")
    assert feed.status == 200
    assert "Café numérique" in feed.text()
