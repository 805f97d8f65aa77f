"""Smoke tests of the demo site built by ``load_demo`` (tests/conftest.py).

The other modules build the content they need with tests/factories.py, so that editing the demo's
texts cannot break them (``pytest --edited-demo`` checks it). The checks below are about the demo
itself, its pages, accounts and moderation states: they were moved here from the modules named in
each section, and they are expected to fail under ``--edited-demo``.
"""

import json
import re

import pytest

from news.models import ArticlePage

pytestmark = pytest.mark.django_db


def json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


# --- news (from tests/test_news_articles.py) ----------------------------------------------------


def test_demo_articles_have_their_organisation_in_both_languages():
    for article in ArticlePage.objects.filter(url_path__contains="/asoft/"):
        assert article.organisation.slug == "asoft"
    english = ArticlePage.objects.get(slug="rencontres-solidaires-ptce-tiers-lieux", locale__language_code="en")
    assert english.organisation.slug == "la-cigale-de-nyons"


@pytest.mark.parametrize(
    "url",
    [
        "/actualites/",
        "/actualites/asoft/",
        "/actualites/parc/naissance-du-reseau/",
        "/actualites/parc/premiere-rencontre-publique-a-aubres/",
    ],
)
def test_demo_news_pages_render_in_both_languages(client, url):
    french = client.get(url)
    assert french.status_code == 200 and '<html lang="fr">' in french.content.decode()
    english = client.get("/en" + url)
    assert english.status_code == 200
    html = english.content.decode()
    assert '<html lang="en">' in html and "Skip to content" in html


def test_demo_english_article_is_in_english(client):
    html = client.get("/en/actualites/parc/naissance-du-reseau/").content.decode()
    assert "A network is born for third places" in html
    (data,) = json_ld(html)
    assert data["inLanguage"] == "en"


def test_demo_article_has_news_article_json_ld_with_its_organisation(client):
    html = client.get("/actualites/la-cigale-de-nyons/rencontres-solidaires-ptce-tiers-lieux/").content.decode()
    (data,) = json_ld(html)
    assert data["@type"] == "NewsArticle"
    assert data["headline"].startswith("Rencontres Solidaires")
    assert data["author"]["name"] == "La Cigale de Nyons"
    assert data["author"]["url"] == "http://testserver/annuaire/la-cigale-de-nyons/"
    assert data["datePublished"] and data["image"][0].startswith("http://testserver/")


# --- agenda (from tests/test_agenda_listing.py) -------------------------------------------------


def test_demo_has_the_seed_events(client):
    html = client.get("/agenda/").content.decode()
    assert "Première rencontre publique du réseau" in html
    assert "Aubres" in html
    assert html.count("Réunion mensuelle du réseau") >= 3
    aubres = next(e for e in client.get("/agenda/").context["page_obj"] if "rencontre publique" in e.title)
    assert (aubres.local_start.month, aubres.local_start.day) == (12, 14)


def test_demo_archive_keeps_the_rencontres_solidaires_workshops(client):
    titles = [event.title for event in client.get("/agenda/?periode=passes").context["page_obj"]]
    assert any("coopération économique" in title for title in titles)
    assert any("tiers-lieux" in title for title in titles)
    by_organisation = client.get("/agenda/?periode=passes&organisation=la-cigale-de-nyons").context["page_obj"]
    assert len(list(by_organisation)) == 2


def test_demo_public_meeting_has_event_json_ld_in_aubres(client):
    html = client.get("/agenda/parc/premiere-rencontre-publique-aubres/").content.decode()
    head = html.split("</head>")[0]
    assert '<link rel="alternate" type="text/calendar" href="/agenda/parc/premiere-rencontre-publique-aubres/ical/"' in head
    (data,) = json_ld(html)
    assert data["@type"] == "Event"
    assert data["startDate"].endswith("-12-14")
    assert data["location"]["@type"] == "Place" and "Aubres" in data["location"]["name"]


@pytest.mark.parametrize(
    "url",
    ["/agenda/", "/agenda/?periode=passes", "/agenda/parc/", "/agenda/parc/premiere-rencontre-publique-aubres/",
     "/agenda/la-cigale-de-nyons/atelier-ptce-rencontres-solidaires/"],
)
def test_demo_agenda_pages_render_in_both_languages(client, url):
    french = client.get(url)
    assert french.status_code == 200 and '<html lang="fr">' in french.content.decode()
    english = client.get("/en" + url)
    assert english.status_code == 200
    assert '<html lang="en">' in english.content.decode()
