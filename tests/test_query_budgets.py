"""SQL queries per public page type (issue 16): at most 12 whatever the volume, and the fast
routing (core/routing.py) finds exactly the pages Wagtail's own routing finds."""

import re

import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Page, PageViewRestriction

from core import page_cache
from core.routing import SlowPath, route_request
from tests.page_types import sample_urls as page_type_urls

from .query_counts import second_view_queries
from .test_home import add_content

pytestmark = pytest.mark.django_db

BUDGET = 12
# Not down to 12 yet (issue 16 is partly done): the figures reached on the demo, which these
# pages must not exceed (before issue 16: place 22). The demo's place has photos, services and
# operators the benchmark's places lack (11 queries there).
NOT_YET = {"place page": 13}


def sample_urls():
    """One URL per public page type from the demo, and an English article (the fallback)."""
    urls = page_type_urls()
    return {**urls, "English article": "/en" + urls["article"]}


def test_every_public_page_type_stays_within_the_query_budget_whatever_the_volume(client, demo):
    urls = sample_urls()
    before = {label: second_view_queries(client, url) for label, url in urls.items()}
    add_content(demo, "volume", n=6)
    after = {label: second_view_queries(client, url) for label, url in urls.items()}
    over = {label: count for label, count in after.items() if count > NOT_YET.get(label, BUDGET)}
    assert not over, f"over budget: {over}"
    grew = {label: (before[label], after[label]) for label in urls if after[label] > before[label]}
    assert not grew, f"queries grew with the volume: {grew}"


# The first view of a page right after the publication of another one: everything kept for the
# content version is rebuilt (routing, the page's context, its language links), the values every
# page reads whatever its content (locales, sites, view restrictions, the site frame) are not.
FIRST_VIEW_AFTER_A_PUBLICATION = {
    "home": 7,
    "article": 9,
    "event": 7,
    "dossiers": 4,
    "standard page": 4,
}


def first_view_after_a_publication(client, url, demo):
    from news.models import ArticlePage

    client.get(url)  # the process warm (content types, the site values)
    article = ArticlePage.objects.live().filter(locale=demo["home"].locale).order_by("pk").first()
    article.save_revision().publish()  # a page no menu links to
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_every_public_page_type_stays_within_the_budget_on_its_first_view_after_a_publication(
    client, demo
):
    counts = {
        label: first_view_after_a_publication(client, url, demo)
        for label, url in sample_urls().items()
    }
    over = {label: count for label, count in counts.items() if count > BUDGET}
    assert not over, f"over budget on the first view after a publication: {over}"
    pinned = {label: counts[label] for label in FIRST_VIEW_AFTER_A_PUBLICATION}
    assert pinned == FIRST_VIEW_AFTER_A_PUBLICATION


@pytest.mark.parametrize("label", ["actor page", "place page"])
def test_an_entry_page_is_served_with_its_kind_and_commune_read_with_it(client, demo, label):
    url = sample_urls()[label]
    client.get(url)
    page_cache.clear_page_cache(site_wide=False)  # a publication: the page is routed again
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    page = Page.objects.get(url_path=demo["home"].url_path.rstrip("/") + url).specific
    assert page.kind.name in html and page.commune.name in html
    alone = [
        query["sql"]
        for query in queries.captured_queries
        if re.search(r'FROM "directory_(commune|actorkind|placekind)" WHERE', query["sql"])
    ]
    assert not alone


def test_a_page_deep_in_the_tree_is_routed_in_a_fixed_number_of_queries(client, demo):
    """The site, the pages of the path (one query), the specific page: not two per segment."""
    from news.models import ArticlePage

    article = ArticlePage.objects.live().filter(locale=demo["home"].locale).first()
    with translation.override("fr"):
        route_request(RequestFactory().get(article.url), article.url)  # cached locale codes, warm
        with CaptureQueriesContext(connection) as queries:
            page, _args, _kwargs = route_request(RequestFactory().get(article.url), article.url)
    assert page.pk == article.pk
    assert len(queries) <= 3
    # Its ancestors, read on the way, serve its breadcrumbs and view restrictions.
    assert [p.pk for p in page._route_ancestors] == [p.pk for p in article.get_ancestors()]


def wagtail_route(request, path):
    """Wagtail's own routing, segment by segment (core.routing switched off)."""
    from core.models import BasePage

    site_root = Page.objects.get(depth=2, locale__language_code=translation.get_language()).specific
    components = [part for part in path.split("/") if part]
    try:
        if not components:
            return Page.route(site_root, request, [])
        child = site_root
        for index, slug in enumerate(components):
            from wagtail.contrib.routable_page.models import RoutablePageMixin

            remaining = components[index:]
            if isinstance(child, RoutablePageMixin) and child.live:
                try:
                    view, args, kwargs = child.resolve_subpage("/" + "/".join(remaining) + "/")
                    return child, (view, args, kwargs), {}
                except Http404:
                    pass
            child = child.get_children().get(slug=slug).specific
        assert isinstance(child, BasePage)
        return (
            child.route(request, [])
            if isinstance(child, RoutablePageMixin)
            else Page.route(child, request, [])
        )
    except (Page.DoesNotExist, Http404):
        return None


@pytest.mark.parametrize("language", ["fr", "en"])
def test_fast_routing_finds_what_wagtail_finds(demo, language):
    prefix = "" if language == "fr" else "/en"
    paths = [
        page.url_path.split("/", 2)[2]
        for page in Page.objects.filter(depth__gt=2, locale__language_code=language)
    ]
    paths += [
        "actualites/flux/rss/",  # a routable page's own route, before its children
        "agenda/nulle-part/",
        "annuaire/nulle-part/plus-loin/",
        "le-reseau/nulle-part/",
        "",
    ]
    with translation.override(language):
        for path in paths:
            request = RequestFactory().get(f"{prefix}/{path}")
            try:
                fast = route_request(request, path)
            except Http404:
                fast = None
            except SlowPath:
                continue
            slow = wagtail_route(RequestFactory().get(f"{prefix}/{path}"), path)
            if slow is None:
                assert fast is None, path
                continue
            assert fast is not None, path
            assert fast[0].pk == slow[0].pk and type(fast[0]) is type(slow[0]), path
            if slow[1]:
                assert fast[1][0].__func__ is slow[1][0].__func__ and fast[1][1:] == slow[1][1:], (
                    path
                )


def test_a_draft_page_is_not_found_and_its_live_children_still_are(client, demo):
    news = demo["home"].get_children().get(slug="actualites")
    folder = news.get_children().first()
    article = folder.get_children().live().first()
    folder_url, article_url = folder.url, article.url
    assert client.get(folder_url).status_code == 200
    Page.objects.filter(pk=folder.pk).update(
        live=False
    )  # as Wagtail: only the page itself must be live
    page_cache.clear_page_cache()  # a raw update sends no signal: renew the version as unpublishing does
    assert client.get(folder_url).status_code == 404
    assert client.get(article_url).status_code == 200


def test_making_a_page_private_drops_it_from_the_page_cache_at_once(client, settings, demo):
    settings.PAGE_CACHE_ENABLED = True
    page_cache.clear_page_cache()
    page = demo["home"].get_children().get(slug="le-reseau")
    client.get("/le-reseau/")
    assert client.get("/le-reseau/")[page_cache.HEADER] == "hit"
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get("/le-reseau/")
    assert response.status_code == 302  # to the login page: the cached public copy is gone
    assert response.get(page_cache.HEADER) != "hit"


def test_the_pages_url_path_that_routing_reads_is_indexed():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "wagtailcore_page")
    assert any(c["index"] and c["columns"] == ["url_path"] for c in constraints.values()), (
        "routing would scan every page"
    )
