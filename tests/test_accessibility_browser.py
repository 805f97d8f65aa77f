"""axe-core in Debian's chromium on one page of every public page type, in both languages, and on
every public form shown again with its errors (submitted empty in the browser); and keyboard-only
journeys. Pages: tests/a11y_pages.py."""

import pytest

from tests.a11y_pages import all_pages, form_error_pages, ids, signed_cases, signed_ids, signed_url
from tests.browser import browser, django_page, needs_chromium  # noqa: F401
from tests.report import REPORT

pytestmark = [pytest.mark.browser, needs_chromium]

BLOCKING_IMPACTS = {"serious", "critical"}
CASES = list(all_pages())
FORM_CASES = list(form_error_pages())


def assert_axe_passes(tab, page_type, label):
    """Run axe on the page shown; fail on serious/critical violations, other hosts, CSP refusals."""
    from axe_playwright_python.sync_playwright import Axe

    rules = tab.page.evaluate(
        "() => [...document.styleSheets].reduce((n, s) => n + s.cssRules.length, 0)"
    )
    assert rules > 0, "the site's stylesheet did not load: contrast would not be tested"
    results = Axe().run(tab.page)
    violations = results.response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    minor = sorted(
        {f"{v['id']} ({v['impact']})" for v in violations}
        - {f"{v['id']} ({v['impact']})" for v in blocking}
    )
    REPORT.append(
        f"axe {page_type} {label}: {len(blocking)} serious/critical"
        + (f", minor: {', '.join(minor)}" if minor else "")
    )
    details = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in blocking
    ]
    assert not blocking, f"{label}: " + "; ".join(details)
    assert not tab.third_party, f"requests to other hosts from {label}"
    refused = [m for m in tab.console_errors if "Content Security Policy" in m]
    assert not refused, f"CSP blocked something on {label}: {refused}"


@pytest.mark.django_db
@pytest.mark.parametrize("page_type,url,status", CASES, ids=ids(CASES))
def test_axe_finds_no_serious_or_critical_violation(django_page, page_type, url, status):  # noqa: F811
    response = django_page.goto(url)
    assert response.status == status
    assert_axe_passes(django_page, page_type, url)


@pytest.mark.django_db
@pytest.mark.parametrize("page_type,url,status", FORM_CASES, ids=ids(FORM_CASES))
def test_axe_finds_no_serious_or_critical_violation_on_a_form_shown_with_its_errors(
    django_page,  # noqa: F811
    page_type,
    url,
    status,
):
    page = django_page.page
    django_page.goto(url)
    with page.expect_navigation() as navigation:
        page.locator("form[method=post] button[type=submit]").click()
    assert navigation.value.status == status
    assert page.locator("[aria-invalid=true]").count() > 0, f"{url} submitted empty shows no error"
    assert_axe_passes(django_page, page_type, f"{url} (submitted empty)")


SIGNED_CASES = list(signed_cases())
SIGNED_FORM_CASES = list(signed_cases(forms=True))


# The subscriber behind a signed link is committed (committed_demo): the browser's requests are
# served in another context, which does not see a test's uncommitted rows.
@pytest.mark.parametrize("page_type,kind,language", SIGNED_CASES, ids=signed_ids(SIGNED_CASES))
def test_axe_on_the_pages_reached_by_a_signed_link(
    committed_demo,
    django_page,  # noqa: F811 - the fixture imported above
    page_type,
    kind,
    language,
):
    url = signed_url(kind, language)
    response = django_page.goto(url)
    assert response.status == 200
    assert django_page.page.locator(f"html[lang={language}]").count() == 1
    assert_axe_passes(django_page, page_type, f"{url} ({language})")


@pytest.mark.parametrize(
    "page_type,kind,language", SIGNED_FORM_CASES, ids=signed_ids(SIGNED_FORM_CASES)
)
def test_axe_on_a_signed_link_form_shown_with_its_errors(
    committed_demo,
    django_page,  # noqa: F811 - the fixture imported above
    page_type,
    kind,
    language,
):
    page = django_page.page
    url = signed_url(kind, language)
    django_page.goto(url)
    checked = page.locator("form[method=post] input[type=checkbox]:checked")
    for _ in range(checked.count()):  # the set shrinks as boxes are unchecked: take the first
        checked.first.uncheck()  # nothing chosen: the form must say what is missing
    assert checked.count() == 0
    with page.expect_navigation() as navigation:
        page.locator("form[method=post] button[type=submit]").first.click()
    assert navigation.value.status == 200
    assert page.locator("[aria-invalid=true]").count() > 0, (
        f"{url} submitted with nothing chosen shows no error"
    )
    assert_axe_passes(django_page, page_type, f"{url} ({language}, with errors)")


def focus_is_visible(page):
    """The focused element draws an outline or a box-shadow: a visible focus indicator."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el || el === document.body) return false;
            const s = getComputedStyle(el);
            const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
            return outline || (s.boxShadow && s.boxShadow !== 'none');
        }"""
    )


def focused(page):
    return page.evaluate(
        "() => ({tag: document.activeElement.tagName, id: document.activeElement.id,"
        " cls: document.activeElement.className, href: document.activeElement.getAttribute('href'),"
        " text: document.activeElement.textContent.trim().slice(0, 60)})"
    )


def tab_until(page, predicate, limit=60):
    for _ in range(limit):
        page.keyboard.press("Tab")
        current = focused(page)
        assert focus_is_visible(page), f"focus not visible on {current}"
        if predicate(current):
            return current
    raise AssertionError("never reached the element with the keyboard")


@pytest.mark.django_db
def test_keyboard_only_journey_skip_link_search_open_a_result(django_page):  # noqa: F811
    page = django_page.page
    django_page.goto("/")

    page.keyboard.press("Tab")
    first = focused(page)
    assert first["cls"] == "skip-link", f"the first Tab stop is {first}"
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "contenu"

    django_page.goto("/")
    tab_until(page, lambda f: f["id"] == "site-search-q")
    page.keyboard.type("réseau")
    page.keyboard.press("Enter")
    page.wait_for_url("**/recherche/?q=*")
    assert page.locator("ol.results li").count() > 0

    result = tab_until(
        page,
        lambda f: (
            f["tag"] == "A"
            and page.evaluate("() => !!document.activeElement.closest('ol.results')")
        ),
    )
    page.keyboard.press("Enter")
    page.wait_for_url("**" + result["href"])
    assert page.locator("h1").first.inner_text().strip()


ENTRY_LINK = r"^/(en/)?annuaire/(?!proposer/|carte/|export)[\w-]+/([\w-]+/)?$"


def focus_is_inside(page, selector):
    return page.evaluate("(s) => !!document.activeElement.closest(s)", selector)


@pytest.mark.django_db
def test_a_keyboard_user_finds_an_entry_in_the_directory_and_reaches_its_contact_details(
    django_page,  # noqa: F811
):
    """Keyboard only, no mouse: skip link, the directory, its search field, the first result,
    then the entry's phone, e-mail or website link; the focus is visible at every Tab stop."""
    import re

    page = django_page.page
    django_page.goto("/")

    # 1. The first Tab stop is the skip link; Enter moves the focus to the main content.
    page.keyboard.press("Tab")
    assert focused(page)["cls"] == "skip-link", f"the first Tab stop is {focused(page)}"
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "contenu"

    # 2. From the main content, Tab to the home page's link to the directory and follow it.
    link = tab_until(
        page,
        lambda f: f["tag"] == "A" and f["href"] == "/annuaire/" and focus_is_inside(page, "main"),
    )
    page.keyboard.press("Enter")
    page.wait_for_url("**" + link["href"])

    # 3. Tab to the directory's own search field (not the site search), type, submit with Enter.
    tab_until(
        page,
        lambda f: (
            f["tag"] == "INPUT"
            and focus_is_inside(page, "main")
            and page.evaluate("() => document.activeElement.name") == "q"
        ),
    )
    page.keyboard.type("asoft")
    page.keyboard.press("Enter")
    page.wait_for_url("**/annuaire/?*q=asoft*")

    # 4. Tab to the first result (the first entry link of the results) and open it with Enter.
    first = page.evaluate(
        """(pattern) => {
            const re = new RegExp(pattern);
            const a = [...document.querySelectorAll('main a[href]')]
                .find((a) => re.test(a.getAttribute('href')));
            return a && a.getAttribute('href');
        }""",
        ENTRY_LINK,
    )
    assert first, "the search found no entry"
    result = tab_until(
        page, lambda f: f["tag"] == "A" and bool(re.match(ENTRY_LINK, f["href"] or "")), limit=150
    )
    assert result["href"] == first, f"the first result reached by Tab is {result}, not {first}"
    page.keyboard.press("Enter")
    page.wait_for_url("**" + first)

    # 5. Tab until the focus is on the entry's contact details: phone, e-mail or website link.
    contact = tab_until(
        page,
        lambda f: (
            f["tag"] == "A"
            and focus_is_inside(page, "[aria-labelledby=entry-contact-title]")
            and (f["href"] or "").startswith(("tel:", "mailto:", "http"))
        ),
        limit=100,
    )
    assert focus_is_visible(page)
    assert contact["text"], contact
