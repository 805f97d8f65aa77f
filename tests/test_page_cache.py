"""The full-page cache (core/page_cache.py): fast for anonymous visitors, never stale or private."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from wagtail.fields import StreamField
from wagtail.models import Page, PageViewRestriction

from core import page_cache
from core.models import Menu
from core.testing.html_forms import form_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    yield
    cache.clear()


def standard_page(slug="le-reseau"):
    return Page.objects.get(slug=slug, locale__language_code="fr").specific


def publish_title(page, title):
    page.title = title
    page.save_revision().publish()


def test_second_anonymous_request_is_served_from_cache_without_queries(
    client, page_cache_on, django_assert_num_queries
):
    first = client.get("/le-reseau/")
    assert first.status_code == 200
    assert first[page_cache.HEADER] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/le-reseau/")
    assert second[page_cache.HEADER] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    head = client.head("/le-reseau/")
    assert head[page_cache.HEADER] == "hit"
    assert head.content == b""


def test_publishing_a_change_is_visible_at_once_to_anonymous_visitors(client, page_cache_on):
    client.get("/le-reseau/")
    client.get("/")
    assert client.get("/le-reseau/")[page_cache.HEADER] == "hit"

    publish_title(standard_page(), "Un titre tout neuf")

    response = client.get("/le-reseau/")
    assert response[page_cache.HEADER] == "miss"
    assert "Un titre tout neuf" in response.content.decode()
    # Every other cached page is dropped too (home page, indexes, feeds, directory).
    assert client.get("/")[page_cache.HEADER] == "miss"


def test_an_editor_change_published_through_the_admin_is_visible_at_once(
    client, admin_client, page_cache_on
):
    page = standard_page()
    client.get("/le-reseau/")
    assert client.get("/le-reseau/")[page_cache.HEADER] == "hit"
    edit_url = f"/admin/pages/{page.pk}/edit/"
    fields = form_fields(admin_client.get(edit_url).content.decode(), "page-edit-form")
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    data["title"] = ["Titre publié depuis l administration"]
    # StreamFields are drawn by JavaScript in the admin: post them empty.
    for field in type(page)._meta.fields:
        if isinstance(field, StreamField):
            data.setdefault(f"{field.name}-count", ["0"])
    data["action-publish"] = ["action-publish"]
    response = admin_client.post(edit_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]

    assert "Titre publié depuis l administration" in client.get("/le-reseau/").content.decode()


def test_unpublishing_a_page_removes_it_at_once(client, page_cache_on):
    assert client.get("/le-reseau/").status_code == 200
    standard_page().unpublish()
    assert client.get("/le-reseau/").status_code == 404


def test_moving_a_page_serves_the_new_address_and_drops_the_old_one(client, page_cache_on):
    page = standard_page()
    target = Page.objects.get(slug="annuaire", locale__language_code="fr")
    assert client.get("/le-reseau/").status_code == 200
    page.move(target, pos="last-child")
    old = client.get("/le-reseau/")
    # Wagtail leaves a redirect to the new address; the cached old page is gone.
    assert old.status_code in (301, 404)
    assert page_cache.HEADER not in old
    assert client.get("/annuaire/le-reseau/").status_code == 200


def test_deleting_a_page_removes_it_at_once(client, page_cache_on):
    assert client.get("/mentions-legales/").status_code == 200
    page = standard_page("mentions-legales")
    # Without its English translation too, or the untranslated-page fallback would show it.
    for translation in page.get_translations(inclusive=True):
        translation.delete()
    assert client.get("/mentions-legales/").status_code == 404


def test_saving_a_snippet_shown_on_pages_clears_the_cache(client, page_cache_on):
    client.get("/")
    assert client.get("/")[page_cache.HEADER] == "hit"
    menu = Menu.objects.get(place=Menu.FOOTER, locale__language_code="fr")
    menu.footer_text = "Texte de pied de page modifié"
    menu.save()
    response = client.get("/")
    assert response[page_cache.HEADER] == "miss"
    assert "Texte de pied de page modifié" in response.content.decode()


def test_saving_a_draft_keeps_the_cache_and_the_live_content(client, page_cache_on):
    client.get("/le-reseau/")
    page = standard_page()
    page.title = "Brouillon non publié"
    page.save_revision()
    response = client.get("/le-reseau/")
    assert response[page_cache.HEADER] == "hit"
    assert "Brouillon non publié" not in response.content.decode()


def test_logged_in_users_are_never_served_from_the_cache(client, admin_client, page_cache_on):
    client.get("/le-reseau/")
    assert client.get("/le-reseau/")[page_cache.HEADER] == "hit"
    for _ in range(2):
        response = admin_client.get("/le-reseau/")
        assert response.status_code == 200
        assert page_cache.HEADER not in response
        assert "wagtail-userbar" in response.content.decode()
    # And what they saw was not stored for anonymous visitors either.
    assert "wagtail-userbar" not in client.get("/le-reseau/").content.decode()


def test_previews_are_never_cached_nor_served_from_the_cache(client, admin_client, page_cache_on):
    page = standard_page()
    client.get("/le-reseau/")
    page.title = "Titre en aperçu"
    page.save_revision()
    preview = admin_client.get(f"/admin/pages/{page.pk}/view_draft/")
    assert preview.status_code == 200
    assert "Titre en aperçu" in preview.content.decode()
    assert page_cache.HEADER not in preview
    assert "Titre en aperçu" not in client.get("/le-reseau/").content.decode()


def test_search_results_are_never_cached(client, page_cache_on):
    for _ in range(2):
        response = client.get("/recherche/", {"q": "réseau"})
        assert response.status_code == 200
        assert page_cache.HEADER not in response


def test_posts_and_visitors_with_a_session_bypass_the_cache(client, page_cache_on):
    client.get("/le-reseau/")
    client.cookies["sessionid"] = "something"
    assert page_cache.HEADER not in client.get("/le-reseau/")
    del client.cookies["sessionid"]
    client.cookies["messages"] = "something"
    assert page_cache.HEADER not in client.get("/le-reseau/")
    del client.cookies["messages"]
    client.cookies["csrftoken"] = "x" * 32
    assert client.get("/le-reseau/")[page_cache.HEADER] == "hit"
    assert page_cache.HEADER not in client.post("/le-reseau/")


def test_password_protected_pages_with_their_csrf_form_are_never_cached(client, page_cache_on):
    page = standard_page()
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret-baronnies"
    )
    for _ in range(2):
        response = client.get("/le-reseau/")
        assert "csrfmiddlewaretoken" in response.content.decode()
        assert page_cache.HEADER not in response


@pytest.mark.parametrize(
    "header, cookie, content, cacheable",
    [
        ("", False, b"<p>ok</p>", True),
        ("private, max-age=60", False, b"<p>ok</p>", False),
        ("no-cache", False, b"<p>ok</p>", False),
        ("max-age=0, no-store", False, b"<p>ok</p>", False),
        ("", True, b"<p>ok</p>", False),
        ("", False, b'<input name="csrfmiddlewaretoken">', False),
    ],
)
def test_responses_that_are_private_set_cookies_or_hold_a_form_are_not_stored(
    header, cookie, content, cacheable
):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse
    from django.urls import resolve

    request = RequestFactory().get("/le-reseau/")
    request.resolver_match = resolve("/le-reseau/")
    request.user = AnonymousUser()
    response = HttpResponse(content)
    if header:
        response["Cache-Control"] = header
    if cookie:
        response.set_cookie("something", "1")
    assert page_cache._response_is_cacheable(request, response) is cacheable


def test_views_not_listed_are_not_stored(client, page_cache_on):
    for _ in range(2):
        response = client.get("/sitemap.xml")
        assert response.status_code == 200
        assert page_cache.HEADER not in response


def test_cache_is_off_when_disabled(client, settings):
    settings.PAGE_CACHE_ENABLED = False
    cache.clear()
    client.get("/le-reseau/")
    assert page_cache.HEADER not in client.get("/le-reseau/")
