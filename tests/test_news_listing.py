"""/actualites/: every organisation's articles, newest first, filtered, paginated, without N+1."""

import pytest

from news.models import ArticlePage

from .editorial import add_article, new_organisation, news_index, theme
from .factories import (
    ArticlePageFactory,
    ImageFactory,
    OrganisationFactory,
    ThemeFactory,
    days_ago,
    translation,
)
from .query_counts import second_view_queries

pytestmark = pytest.mark.django_db


def listed(response):
    return list(response.context["page_obj"])


def test_index_lists_live_articles_of_every_organisation_newest_first(client):
    organisations = [OrganisationFactory() for _ in range(4)]
    built = [
        ArticlePageFactory(organisation=organisations[number % 4], published_at=days_ago(number))
        for number in range(5)
    ]
    draft = ArticlePageFactory(organisation=organisations[0], published=False)
    articles = listed(client.get("/actualites/"))
    ours = [a for a in articles if a.pk in {b.pk for b in built}]
    assert [a.pk for a in ours] == [b.pk for b in built]  # built newest first
    assert len({a.organisation_id for a in ours}) == 4
    assert draft.pk not in {a.pk for a in articles}
    dates = [a.first_published_at for a in articles]
    assert dates == sorted(dates, reverse=True)
    assert all(a.live and a.locale.language_code == "fr" for a in articles)


def test_a_new_article_comes_first_and_drafts_are_not_listed(client):
    organisation = new_organisation()
    add_article(organisation.news_page, "Tout frais", days_ago=0)
    draft = ArticlePage(title="Brouillon secret", lead="x", body=[])
    organisation.news_page.add_child(instance=draft)
    draft.unpublish() if draft.live else None
    ArticlePage.objects.filter(pk=draft.pk).update(live=False)
    html = client.get("/actualites/").content.decode()
    assert listed(client.get("/actualites/"))[0].title == "Tout frais"
    assert "Brouillon secret" not in html


def test_english_index_lists_only_english_articles(client):
    article = ArticlePageFactory(title="Seulement en français")
    english = translation(article, title="Only in English")
    articles = listed(client.get("/en/actualites/"))
    assert english.pk in {a.pk for a in articles}
    assert article.pk not in {a.pk for a in articles}
    assert {a.locale.language_code for a in articles} == {"en"}


def test_filter_by_theme_keeps_only_that_theme(client):
    chosen = ThemeFactory()
    with_theme = {ArticlePageFactory(themes=[chosen]).pk for _ in range(2)}
    without = ArticlePageFactory(themes=[ThemeFactory()])
    response = client.get(f"/actualites/?theme={chosen.slug}")
    articles = listed(response)
    assert {a.pk for a in articles} == with_theme
    assert all(chosen.slug in [t.slug for t in a.themes.all()] for a in articles)
    assert without.pk in {a.pk for a in listed(client.get("/actualites/"))}


def test_filter_by_organisation_keeps_only_its_articles(client):
    organisation = OrganisationFactory()
    its_own = {ArticlePageFactory(organisation=organisation).pk for _ in range(2)}
    ArticlePageFactory()  # another organisation's
    response = client.get(f"/actualites/?organisation={organisation.slug}")
    articles = listed(response)
    assert {a.pk for a in articles} == its_own
    assert {a.organisation.slug for a in articles} == {organisation.slug}


def test_filters_combine_and_pagination_links_keep_them(client):
    organisation = new_organisation()
    for number in range(14):
        add_article(
            organisation.news_page,
            f"Article {number}",
            themes=[theme("culture-numerique")],
            days_ago=number,
        )
    response = client.get("/actualites/?theme=culture-numerique&organisation=test-org")
    assert response.context["page_obj"].paginator.count == 14
    assert (
        "?theme=culture-numerique&amp;organisation=test-org&amp;page=2" in response.content.decode()
    )


@pytest.mark.parametrize(
    "query",
    [
        "theme=n-existe-pas",
        "organisation=inconnue",
        "theme=%3Cscript%3Ealert(1)%3C/script%3E",
        "theme=&organisation=",
    ],
)
def test_unknown_filter_values_show_everything_with_a_message(client, query):
    response = client.get(f"/actualites/?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert response.context["page_obj"].paginator.count == len(list(news_index().articles()))
    if query != "theme=&organisation=":
        assert 'class="notice" role="status"' in html


@pytest.mark.parametrize("page", ["abc", "-3", "0", "99999", "1.5", "%00"])
def test_bad_page_numbers_never_fail(client, page):
    response = client.get(f"/actualites/?page={page}")
    assert response.status_code == 200
    assert response.context["page_obj"].number >= 1


def test_pagination_is_elided_on_long_listings(client, monkeypatch):
    monkeypatch.setattr("news.models.ARTICLES_PER_PAGE", 2)
    organisation = new_organisation()
    for number in range(2 * 9 - 7):
        add_article(organisation.news_page, f"Article {number}", days_ago=number)
    html = client.get("/actualites/?page=5").content.decode()
    assert "…" in html and 'aria-current="page">5<' in html


# The site frame (routing, menus, settings, language alternates, breadcrumbs) costs about 17
# queries on a page at depth 3 (see /le-reseau/), one more per level; a listing may add at most
# this many of its own, whatever its length.
LISTING_BUDGET = 10


def test_listing_queries_do_not_grow_with_the_number_of_articles(client):
    organisation = new_organisation()
    image = ImageFactory()
    url = "/actualites/?organisation=test-org"
    for number in range(3):
        add_article(
            organisation.news_page,
            f"Court {number}",
            themes=[theme("culture-numerique")],
            cover_image=image,
        )
    few = second_view_queries(client, url)
    for number in range(27):
        add_article(
            organisation.news_page,
            f"Long {number}",
            themes=[theme("culture-numerique"), theme("services-au-public")],
            cover_image=ImageFactory(),
        )
    many = second_view_queries(client, url)
    assert few == many
    frame = second_view_queries(client, "/le-reseau/")
    assert many - frame <= LISTING_BUDGET
    assert second_view_queries(client, "/actualites/") - frame <= LISTING_BUDGET
    assert second_view_queries(client, "/actualites/test-org/") - frame <= LISTING_BUDGET


def test_organisation_folder_lists_only_its_articles(client):
    organisation = OrganisationFactory()
    its_own = {ArticlePageFactory(organisation=organisation).pk for _ in range(2)}
    ArticlePageFactory()  # another organisation's
    response = client.get(organisation.news_page.url)
    assert response.status_code == 200
    articles = listed(response)
    assert {a.pk for a in articles} == its_own
    assert {a.organisation.slug for a in articles} == {organisation.slug}
