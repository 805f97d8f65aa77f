"""Dossiers: one per theme, a curated part and an automatic part fed by the theme's content."""

from datetime import timedelta

import pytest
from django.utils import timezone

from directory.models import PlaceKind, PlacePage
from dossiers.models import DossierIndexPage, DossierPage
from events.models import EventPage
from news.models import ArticlePage
from taxonomy.models import Theme

pytestmark = pytest.mark.django_db


def dossier(slug="pratiques-collaboratives", lang="fr"):
    return DossierPage.objects.get(theme__slug=slug, locale__language_code=lang)


def publish(page):
    page.save_revision().publish()
    return page


@pytest.fixture
def themed_content(demo):
    return make_themed_content(demo)


def make_themed_content(demo, prefix=""):
    """Articles, events and places tagged 'pratiques collaboratives', under the demo sections."""
    theme = Theme.objects.get(slug="pratiques-collaboratives", locale__language_code="fr")
    other = Theme.objects.get(slug="culture-numerique", locale__language_code="fr")
    home = demo["home"]
    news = home.get_children().get(slug="actualites")
    agenda = home.get_children().get(slug="agenda")
    directory = home.get_children().get(slug="annuaire")
    now = timezone.now()
    made = {"articles": [], "events": [], "places": []}

    def add(parent, page, themes):
        parent.add_child(instance=page)
        page.themes.set(themes)
        made_page = publish(page)
        return made_page

    for i in range(4):
        made["articles"].append(
            add(news, ArticlePage(title=f"Coworking {i}", slug=f"{prefix}coworking-{i}", lead="Un lieu partagé.", body=[]), [theme])
        )
    add(news, ArticlePage(title="Article hors thème", slug=f"{prefix}hors-theme", lead="Autre.", body=[]), [other])
    for i in range(4):
        made["events"].append(
            add(agenda, EventPage(title=f"Atelier {i}", slug=f"{prefix}atelier-{i}", lead="Atelier.",
                                  start=now + timedelta(days=i + 1), end=now + timedelta(days=i + 1, hours=2)), [theme])
        )
    add(agenda, EventPage(title="Atelier passé", slug=f"{prefix}atelier-passe", lead="Passé.",
                          start=now - timedelta(days=3), end=now - timedelta(days=3, hours=-2)), [theme])
    kind, _ = PlaceKind.objects.get_or_create(slug="tiers-lieu", locale=theme.locale, defaults={"name": "Tiers-lieu"})
    for i in range(3):
        made["places"].append(
            add(directory, PlacePage(title=f"Tiers-lieu {i}", slug=f"{prefix}tiers-lieu-{i}", summary="Un lieu.", kind=kind), [theme])
        )
    return made


def test_demo_has_one_dossier_per_theme_in_both_languages():
    for lang in ("fr", "en"):
        slugs = sorted(DossierPage.objects.live().filter(locale__language_code=lang).values_list("theme__slug", flat=True))
        assert slugs == ["culture-numerique", "developpement-economique", "pratiques-collaboratives", "services-au-public"]


def test_dossier_index_presents_the_four_themes(client):
    html = client.get("/dossiers/").content.decode()
    for name in ("Développement économique", "Services au public", "Pratiques collaboratives", "Culture numérique"):
        assert name in html
    html_en = client.get("/en/dossiers/").content.decode()
    assert "Digital culture" in html_en and "Culture numérique" not in html_en


def test_dossier_shows_curated_blocks_with_accessible_faq(client):
    response = client.get(dossier().url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<details" in html and "<summary>" in html
    assert "Chiffres clés" in html


def test_dossier_aggregates_latest_articles_upcoming_events_and_entries_of_its_theme(client, themed_content):
    html = client.get(dossier().url).content.decode()
    assert "Coworking 3" in html and "Coworking 0" not in html  # three latest only
    assert "Article hors thème" not in html
    assert "Atelier 0" in html and "Atelier 3" not in html  # next three
    assert "Atelier passé" not in html
    assert "Tiers-lieu 2" in html
    assert "/actualites/?theme=pratiques-collaboratives" in html
    assert "/agenda/?theme=pratiques-collaboratives" in html
    assert "/annuaire/?theme=pratiques-collaboratives" in html


def test_other_dossiers_do_not_show_another_theme_content(client, themed_content):
    html = client.get(dossier("services-au-public").url).content.decode()
    assert "Coworking" not in html and "Tiers-lieu" not in html


def count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches (site root paths, renditions)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_dossier_query_count_does_not_grow_with_content(client, demo):
    url = dossier().url
    make_themed_content(demo, "a-")
    with_some = count_queries(client, url)
    make_themed_content(demo, "b-")
    make_themed_content(demo, "c-")
    assert count_queries(client, url) == with_some
    assert with_some <= 20


def test_a_theme_cannot_have_two_dossiers():
    from django.core.exceptions import ValidationError

    existing = dossier()
    index = DossierIndexPage.objects.get(locale__language_code="fr")
    duplicate = DossierPage(title="Doublon", slug="doublon", theme=existing.theme, introduction="<p>x</p>")
    with pytest.raises(ValidationError):
        index.add_child(instance=duplicate)


def test_theme_badge_writes_the_name_not_only_the_colour(client):
    html = client.get(dossier().url).content.decode()
    assert 'class="theme-badge__name">Pratiques collaboratives<' in html
    assert 'src="/static/img/themes/collaboration.svg" alt=""' in html


def test_theme_colours_come_from_a_stylesheet_not_inline_styles(client):
    from taxonomy.models import Theme

    theme = Theme.objects.filter(locale__language_code="fr").first()
    css = client.get("/themes.css")
    assert css.status_code == 200 and css["Content-Type"].startswith("text/css")
    assert f".theme-badge--{theme.slug} {{ --theme-colour: {theme.colour}; }}" in css.content.decode()
    html = client.get("/dossiers/").content.decode()
    assert 'style="' not in html
