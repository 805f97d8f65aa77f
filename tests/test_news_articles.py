"""Article pages: organisation from the folder, themes, date, related articles, JSON-LD, languages."""

import json
import re

import pytest

from directory.models import ActorKind, ActorPage
from directory.pages import DirectoryIndexPage
from news.models import ArticlePage

from .editorial import add_article, fr, new_organisation, theme
from .factories import (
    ArticlePageFactory,
    ImageFactory,
    OrganisationFactory,
    ThemeFactory,
    translation,
)

pytestmark = pytest.mark.django_db


def json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def test_an_article_takes_its_organisation_from_its_folder():
    organisation = new_organisation()
    article = add_article(organisation.news_page, "Rangé dans sa rubrique")
    assert article.organisation == organisation
    moved = ArticlePage.objects.get(pk=article.pk)
    moved.organisation = None
    moved.save()
    assert ArticlePage.objects.get(pk=article.pk).organisation == organisation


def test_an_article_and_its_translation_have_the_organisation_of_their_folder():
    organisation = OrganisationFactory()
    article = ArticlePageFactory(organisation=organisation)
    english = translation(article, title="In English")
    assert ArticlePage.objects.get(pk=article.pk).organisation == organisation
    assert ArticlePage.objects.get(pk=english.pk).organisation == organisation
    assert english.get_parent().pk == organisation.news_page.get_translation(english.locale).pk


def test_article_page_shows_organisation_linked_to_its_directory_entry(client):
    organisation = new_organisation()
    directory = DirectoryIndexPage.objects.get(locale__language_code="fr")
    kind = ActorKind.objects.create(name="Association", slug="association-test", locale=fr())
    entry = ActorPage(
        title="Organisation de test", slug="fiche-test", summary="Une fiche.", kind=kind
    )
    directory.add_child(instance=entry)
    entry.save_revision().publish()
    organisation.actor_page = entry
    organisation.save()
    article = add_article(
        organisation.news_page,
        "Avec fiche",
        themes=[ThemeFactory(name="Thème de l'article")],
        days_ago=3,
    )
    html = client.get(article.url).content.decode()
    assert f'<a href="{entry.url}">Organisation de test</a>' in html
    assert "Thème de l&#x27;article" in html
    assert '<time datetime="' in html


def test_article_page_renders_its_body_blocks_and_cover_with_alt_text(client):
    organisation = new_organisation()
    image = ImageFactory(description="Un atelier au tiers-lieu")
    article = add_article(
        organisation.news_page,
        "Riche",
        cover_image=image,
        body=[
            ("heading", {"text": "Un intertitre", "level": "h2"}),
            ("paragraph", "<p>Du texte.</p>"),
            ("quote", {"quote": "Une citation", "author": "Quelqu'un"}),
            ("image", {"image": image, "caption": "Une légende"}),
            ("call_to_action", {"text": "S'inscrire", "url": "https://example.org/", "page": None}),
        ],
    )
    html = client.get(article.url).content.decode()
    assert "<h2>Un intertitre</h2>" in html
    assert "<blockquote><p>Une citation</p></blockquote>" in html
    assert 'alt="Un atelier au tiers-lieu"' in html
    assert "Une légende" in html
    assert 'href="https://example.org/">S&#x27;inscrire</a>' in html or "S'inscrire</a>" in html


def test_related_articles_share_a_theme_and_exclude_the_article_itself(client):
    organisation = new_organisation()
    article = add_article(organisation.news_page, "Principal", themes=[theme("services-au-public")])
    related = add_article(
        organisation.news_page, "Cousin", themes=[theme("services-au-public")], days_ago=1
    )
    unrelated = add_article(
        organisation.news_page, "Étranger", themes=[theme("culture-numerique")], days_ago=1
    )
    response = client.get(article.url)
    titles = [a.title for a in response.context["related_articles"]]
    assert related.title in titles
    assert article.title not in titles and unrelated.title not in titles
    assert len(titles) <= 3


def test_article_page_has_valid_news_article_json_ld(client):
    organisation = OrganisationFactory(name="Les Rencontres du test", published_entry=True)
    article = ArticlePageFactory(
        organisation=organisation, title="Rencontres de test", cover_image=ImageFactory()
    )
    html = client.get(article.url).content.decode()
    (data,) = json_ld(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Rencontres de test"
    assert data["author"]["@type"] == "Organization"
    assert data["author"]["name"] == "Les Rencontres du test"
    assert data["author"]["url"] == f"http://testserver/annuaire/{organisation.slug}/"
    assert data["datePublished"] and data["image"][0].startswith("http://testserver/")
    assert data["inLanguage"] == "fr"


def test_json_ld_cannot_be_broken_out_of(client):
    organisation = new_organisation()
    article = add_article(
        organisation.news_page, "</script><script>alert(1)</script>", lead="a < b & c"
    )
    html = client.get(article.url).content.decode()
    assert "<script>alert(1)</script>" not in html
    (data,) = json_ld(html)
    assert data["headline"] == "</script><script>alert(1)</script>"


@pytest.mark.parametrize("which", ["index", "folder", "article"])
def test_news_pages_render_in_both_languages(client, which):
    organisation = OrganisationFactory()
    article = ArticlePageFactory(organisation=organisation)
    translation(article, title="In English")
    url = {"index": "/actualites/", "folder": organisation.news_page.url, "article": article.url}[
        which
    ]
    french = client.get(url)
    assert french.status_code == 200 and '<html lang="fr">' in french.content.decode()
    english = client.get("/en" + url)
    assert english.status_code == 200
    html = english.content.decode()
    assert '<html lang="en">' in html and "Skip to content" in html


def test_english_article_is_in_english(client):
    article = ArticlePageFactory(title="Naissance d'un réseau de test")
    translation(article, title="A test network is born")
    html = client.get("/en" + article.url).content.decode()
    assert "A test network is born" in html
    assert (
        "Naissance d&#x27;un réseau de test" not in html
        and "Naissance d'un réseau de test" not in html
    )
    (data,) = json_ld(html)
    assert data["inLanguage"] == "en"
