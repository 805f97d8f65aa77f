"""RSS and Atom feeds for all news, per theme and per organisation; linked from page heads."""

import feedparser
import pytest

from .editorial import add_article, new_organisation, news_index, theme
from .factories import ArticlePageFactory, ThemeFactory, days_ago, translation

pytestmark = pytest.mark.django_db


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


@pytest.mark.parametrize(
    "fmt,content_type,version",
    [("rss", "application/rss+xml", "rss20"), ("atom", "application/atom+xml", "atom10")],
)
def test_all_news_feed_parses_and_lists_newest_articles_first(client, fmt, content_type, version):
    response, feed = parse(client, f"/actualites/flux/{fmt}/")
    assert response["Content-Type"].startswith(content_type)
    assert feed.version == version
    expected = [a.title for a in news_index().articles()[:20]]
    assert [entry.title for entry in feed.entries] == expected
    assert feed.entries[0].link.startswith("http://testserver/actualites/")
    assert feed.feed.language == "fr" if fmt == "rss" else True


def test_a_newly_published_article_appears_in_the_feed(client):
    organisation = new_organisation()
    add_article(organisation.news_page, "Tout juste publié")
    _, feed = parse(client, "/actualites/flux/rss/")
    assert feed.entries[0].title == "Tout juste publié"
    assert feed.entries[0].author == "Organisation de test"


def test_theme_feed_lists_only_that_theme(client):
    chosen = ThemeFactory(name="Thème du flux")
    tagged = [ArticlePageFactory(themes=[chosen], published_at=days_ago(n)).title for n in range(2)]
    ArticlePageFactory(themes=[ThemeFactory()])
    _, feed = parse(client, f"/actualites/flux/atom/theme/{chosen.slug}/")
    assert [entry.title for entry in feed.entries] == tagged
    for entry in feed.entries:
        assert "Thème du flux" in [tag.term for tag in entry.tags]


def test_organisation_feed_lists_only_its_articles(client):
    organisation = new_organisation()
    add_article(organisation.news_page, "À nous", themes=[theme("culture-numerique")])
    _, feed = parse(client, "/actualites/flux/rss/organisation/test-org/")
    assert [entry.title for entry in feed.entries] == ["À nous"]


def test_english_feed_lists_english_articles(client):
    article = ArticlePageFactory(title="Naissance d'un réseau de test")
    translation(article, title="A test network is born")
    _, feed = parse(client, "/en/actualites/flux/rss/")
    titles = [entry.title for entry in feed.entries]
    assert "A test network is born" in titles
    assert "Naissance d'un réseau de test" not in titles


@pytest.mark.parametrize(
    "url",
    [
        "/actualites/flux/json/",
        "/actualites/flux/rss/theme/n-existe-pas/",
        "/actualites/flux/rss/organisation/inconnue/",
        "/actualites/flux/rss/theme/%3Cscript%3E/",
    ],
)
def test_unknown_feeds_are_404(client, url):
    assert client.get(url).status_code == 404


def test_feeds_are_linked_from_page_heads(client):
    index = client.get("/actualites/").content.decode()
    head = index.split("</head>")[0]
    assert '<link rel="alternate" type="application/rss+xml" href="/actualites/flux/rss/"' in head
    assert '<link rel="alternate" type="application/atom+xml" href="/actualites/flux/atom/"' in head
    chosen = ThemeFactory()
    article = ArticlePageFactory(themes=[chosen])
    slug = article.organisation.slug
    filtered = client.get(f"/actualites/?theme={chosen.slug}").content.decode().split("</head>")[0]
    assert f'href="/actualites/flux/rss/theme/{chosen.slug}/"' in filtered
    folder = client.get(f"/actualites/{slug}/").content.decode().split("</head>")[0]
    assert f'href="/actualites/flux/rss/organisation/{slug}/"' in folder
    article_head = client.get(article.url).content.decode().split("</head>")[0]
    assert f'href="/actualites/flux/atom/organisation/{slug}/"' in article_head
    english = client.get("/en/actualites/").content.decode().split("</head>")[0]
    assert 'href="/en/actualites/flux/rss/"' in english
