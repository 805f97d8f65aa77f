"""The home page shows the network alive: events, news, directory, dossiers, how to join."""

from datetime import timedelta

import pytest
from django.utils import timezone

from directory.models import PlaceKind, PlacePage
from events.models import EventPage
from news.models import ArticlePage

from .conftest import locale_en
from .factories import DossierPageFactory, ThemeFactory, translation
from .query_counts import second_view_queries

pytestmark = pytest.mark.django_db


def add_content(demo, prefix, n=3):
    home = demo["home"]
    news = home.get_children().get(slug="actualites")
    agenda = home.get_children().get(slug="agenda")
    directory = home.get_children().get(slug="annuaire")
    kind, _ = PlaceKind.objects.get_or_create(
        slug="tiers-lieu", locale=home.locale, defaults={"name": "Tiers-lieu"}
    )
    now = timezone.now()
    for i in range(n):
        for parent, page in (
            (
                news,
                ArticlePage(
                    title=f"{prefix} article {i}",
                    slug=f"{prefix}-article-{i}",
                    lead="Chapô.",
                    body=[],
                ),
            ),
            (
                agenda,
                EventPage(
                    title=f"{prefix} événement {i}",
                    slug=f"{prefix}-event-{i}",
                    lead="Chapô.",
                    start=now + timedelta(hours=1 + i),
                    end=now + timedelta(hours=3 + i),
                ),
            ),
            (
                directory,
                PlacePage(
                    title=f"{prefix} lieu {i}",
                    slug=f"{prefix}-lieu-{i}",
                    summary="Un lieu.",
                    kind=kind,
                ),
            ),
        ):
            parent.add_child(instance=page)
            page.save_revision().publish()


def test_home_shows_purpose_dossiers_directory_search_and_join_call(client, demo):
    home = demo["home"]
    home.purpose = "Un réseau de test pour les tiers-lieux."
    home.save_revision().publish()
    DossierPageFactory(theme=ThemeFactory(name="Thème de l'accueil"))
    DossierPageFactory(theme=ThemeFactory(name="Autre thème de l'accueil"))
    html = client.get("/").content.decode()
    assert "Un réseau de test pour les tiers-lieux." in html
    assert "Thème de l&#x27;accueil" in html and "Autre thème de l&#x27;accueil" in html
    assert 'action="/annuaire/"' in html and 'name="q"' in html
    assert "Rejoindre le réseau" in html


def test_home_lists_the_next_three_events_and_latest_news(client, demo):
    add_content(demo, "vivant", n=4)
    html = client.get("/").content.decode()
    assert "vivant événement 0" in html and "vivant événement 2" in html
    assert "vivant événement 3" not in html
    assert "vivant article 3" in html and "vivant article 0" not in html


def test_home_in_english_shows_english_dossiers(client):
    french = DossierPageFactory(theme=ThemeFactory(name="Thème en français"))
    translation(
        french, title="A dossier", theme=ThemeFactory(name="Theme in English", locale=locale_en())
    )
    html = client.get("/en/").content.decode()
    assert "Theme in English" in html and "Thème en français" not in html
    assert "Next events" in html


def test_home_query_count_does_not_grow_with_content(client, demo):
    add_content(demo, "un", n=1)
    few = second_view_queries(client, "/")
    add_content(demo, "deux", n=6)
    assert second_view_queries(client, "/") == few
    assert few <= 20
