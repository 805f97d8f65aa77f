"""A corpus of XSS payloads stored in titles, rich text and StreamField blocks, and sent to every
public form, renders as inert text: no script that is not ours, no on* attribute, no javascript: URL.

Public forms of other apps: call ``check_get_form`` / ``check_post_form`` from tests/xss.py, and
list them in tests/a11y_pages.py (FORMS_WITH_ERRORS): every field of those forms gets the corpus.
"""

import json

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.utils.html import escape
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

from core.blocks import RICH_TEXT_FEATURES, BodyBlock
from home.models import StandardPage
from tests.a11y_pages import FORMS_WITH_ERRORS, all_pages, ids
from tests.xss import PAYLOADS, assert_nothing_executable, check_get_form, executable_parts

converter = ContentstateConverter(features=RICH_TEXT_FEATURES)


def rich_text_as_typed_in_the_editor(text, link_url):
    """What Draftail submits: the text typed, with a link whose URL is also attacker-chosen."""
    contentstate = {
        "blocks": [
            {
                "key": "k1",
                "type": "unstyled",
                "text": text,
                "depth": 0,
                "inlineStyleRanges": [{"offset": 0, "length": len(text), "style": "BOLD"}],
                "entityRanges": [{"offset": 0, "length": len(text), "key": 0}],
            }
        ],
        "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": link_url}}},
    }
    return converter.to_database_format(json.dumps(contentstate))


def test_the_checker_finds_executable_content():
    dangerous = (
        '<script>alert(1)</script><img src=x onerror=alert(1)><a href=" javascript:x">a</a>'
        '<iframe srcdoc="x"></iframe><script src="https://evil.example/x.js"></script>'
    )
    assert len(executable_parts(dangerous)) == 5
    assert executable_parts('<script src="/static/js/site.js"></script><p>ok</p>') == []


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/recherche/", "/en/recherche/"])
def test_the_search_form_reflects_payloads_as_inert_text(client, url):
    check_get_form(client, url, "q")
    check_get_form(client, url, "page", extra={"q": "réseau"})


@pytest.mark.django_db
@pytest.mark.parametrize("page_type,url,status", list(all_pages()), ids=ids(list(all_pages())))
def test_listed_public_pages_run_nothing_but_the_sites_own_scripts(client, page_type, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert_nothing_executable(response.content.decode(), f"on {url}")


# The directory's filters are echoed in the page (search field, chips, links, messages).
DIRECTORY_PARAMETERS = ["q", "type", "kind", "theme", "service", "commune", "department", "sort"]
DIRECTORY_PARAMETERS += ["near", "lat", "lon", "page"]


@pytest.mark.django_db
def test_the_directory_filters_reflect_payloads_as_inert_text(client):
    for name in DIRECTORY_PARAMETERS:
        check_get_form(client, "/annuaire/", name)
    check_get_form(client, "/annuaire/", "lat", extra={"lon": "5.1"})
    check_get_form(client, "/en/annuaire/", "q")  # the English frame echoes it too


def post_form_field_names(html):
    """The names of the fields a visitor fills in the page's POST form."""
    form = BeautifulSoup(html, "html5lib").find("form", method="post")
    names = {
        tag["name"] for tag in form.find_all(["input", "textarea", "select"], attrs={"name": True})
    }
    return sorted(names - {"csrfmiddlewaretoken"})


FORM_URLS = [url for urls in FORMS_WITH_ERRORS.values() for url in urls]


@pytest.mark.django_db
@pytest.mark.parametrize("url", FORM_URLS)
def test_public_forms_show_payloads_typed_in_every_field_as_inert_text(client, url):
    names = post_form_field_names(client.get(url).content.decode())
    assert len(names) > 3, names
    for payload in PAYLOADS:
        response = client.post(url, dict.fromkeys(names, payload))
        # The form comes back with its errors (invalid e-mail, unknown choices, too fast…),
        # or the rate limit's page, which also shows what was typed.
        assert response.status_code in {200, 429}, (url, payload, response.status_code)
        html = response.content.decode()
        assert_nothing_executable(html, f"on {url} with every field = {payload!r}")


@pytest.mark.django_db
def test_payloads_stored_in_pages_render_as_inert_text(client, demo):
    home = demo["home"]
    for number, payload in enumerate(PAYLOADS):
        body = [
            {"type": "paragraph", "value": rich_text_as_typed_in_the_editor(payload, payload)},
            {"type": "heading", "value": {"text": payload, "level": "h2"}},
            {"type": "quote", "value": {"quote": payload, "author": payload}},
            {
                "type": "call_to_action",
                "value": {"text": payload, "page": None, "url": "https://example.org/"},
            },
        ]
        page = StandardPage(
            title=payload[:255],
            slug=f"xss-{number}",
            seo_title=payload[:255],
            search_description=payload,
            intro=rich_text_as_typed_in_the_editor(payload, "javascript:alert(1)"),
            body=json.dumps(body),
        )
        home.add_child(instance=page)
        page.save_revision().publish()
        response = client.get(page.url)
        assert response.status_code == 200
        html = response.content.decode()
        assert_nothing_executable(html, f"on a page holding {payload!r}")
        assert escape(payload) in html  # the payload is shown, as text

    # The titles also appear in listings: search results, the home page, breadcrumbs of children.
    assert_nothing_executable(client.get("/recherche/", {"q": "alert"}).content.decode())
    assert_nothing_executable(client.get("/").content.decode())


@pytest.mark.parametrize(
    "block_name,value",
    [
        ("call_to_action", {"text": "Clic", "page": None, "url": "javascript:alert(1)"}),
        ("call_to_action", {"text": "Clic", "page": None, "url": "data:text/html,<script>"}),
        ("heading", {"text": "Titre", "level": "h2><script>alert(1)</script"}),
    ],
)
def test_blocks_refuse_script_urls_and_unknown_choices(block_name, value):
    block = BodyBlock().child_blocks[block_name]
    with pytest.raises(ValidationError):
        block.clean(block.to_python(value))
