"""Dossiers: one per theme, a curated part and an automatic part fed by the theme's content."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape as html_escape
from wagtail.models import Locale

from dossiers.models import DossierIndexPage, DossierPage

from .factories import (
    ArticlePageFactory,
    DossierPageFactory,
    EventPageFactory,
    OrganisationFactory,
    PlacePageFactory,
    ThemeFactory,
    days_ago,
    translation,
)
from .query_counts import second_view_queries

pytestmark = pytest.mark.django_db


BODY = [
    ("section", {"heading": "Une partie de test", "text": "<p>Du texte.</p>"}),
    (
        "key_figures",
        {
            "heading": "Chiffres de test",
            "figures": [{"value": "30", "label": "acteurs", "source": ""}],
        },
    ),
    (
        "faq",
        {
            "heading": "Questions de test",
            "questions": [{"question": "Une question ?", "answer": "<p>Oui.</p>"}],
        },
    ),
]


@pytest.fixture
def theme():
    return ThemeFactory(name="Thème du dossier")


@pytest.fixture
def themed_content(theme):
    return make_themed_content(theme)


def make_themed_content(theme):
    """Articles, events and places tagged with ``theme``, and one article of another theme."""
    now = timezone.now()
    made = {"articles": [], "events": [], "places": []}
    organisation = OrganisationFactory()
    for i in range(4):
        made["articles"].append(
            ArticlePageFactory(
                organisation=organisation,
                title=f"Coworking {i}",
                themes=[theme],
                published_at=days_ago(4 - i),
            )
        )
    ArticlePageFactory(
        organisation=organisation, title="Article hors thème", themes=[ThemeFactory()]
    )
    for i in range(4):
        made["events"].append(
            EventPageFactory(
                organisation=organisation,
                title=f"Atelier {i}",
                start=now + timedelta(days=i + 1),
                themes=[theme],
            )
        )
    EventPageFactory(
        organisation=organisation,
        title="Atelier passé",
        start=now - timedelta(days=3),
        themes=[theme],
    )
    for i in range(3):
        made["places"].append(PlacePageFactory(title=f"Tiers-lieu {i}", themes=[theme]))
    return made


def test_dossier_index_presents_every_theme_in_its_language(client):
    french = ThemeFactory(name="Thème en français")
    english = ThemeFactory(name="Theme in English", locale=Locale.objects.get(language_code="en"))
    dossier_fr = DossierPageFactory(theme=french)
    translation(dossier_fr, theme=english, title="A dossier")
    html = client.get("/dossiers/").content.decode()
    assert "Thème en français" in html
    for name in (
        DossierPage.objects.live()
        .filter(locale__language_code="fr")
        .values_list("theme__name", flat=True)
    ):
        assert html_escape(name) in html
    html_en = client.get("/en/dossiers/").content.decode()
    assert "Theme in English" in html_en and "Thème en français" not in html_en


def test_dossier_shows_curated_blocks_with_accessible_faq(client):
    response = client.get(DossierPageFactory(body=BODY).url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<details" in html and "<summary>" in html
    assert "Une question ?" in html
    assert "Chiffres de test" in html


def test_dossier_aggregates_latest_articles_upcoming_events_and_entries_of_its_theme(
    client, theme, themed_content
):
    html = client.get(DossierPageFactory(theme=theme).url).content.decode()
    assert "Coworking 3" in html and "Coworking 0" not in html  # three latest only
    assert "Article hors thème" not in html
    assert "Atelier 0" in html and "Atelier 3" not in html  # next three
    assert "Atelier passé" not in html
    assert "Tiers-lieu 2" in html
    assert f"/actualites/?theme={theme.slug}" in html
    assert f"/agenda/?theme={theme.slug}" in html
    assert f"/annuaire/?theme={theme.slug}" in html


def test_other_dossiers_do_not_show_another_theme_content(client, themed_content):
    html = client.get(DossierPageFactory().url).content.decode()
    assert "Coworking" not in html and "Tiers-lieu" not in html


def test_dossier_query_count_does_not_grow_with_content(client, theme):
    url = DossierPageFactory(theme=theme, body=BODY).url
    make_themed_content(theme)
    with_some = second_view_queries(client, url)
    make_themed_content(theme)
    make_themed_content(theme)
    assert second_view_queries(client, url) == with_some
    assert with_some <= 20


def test_a_theme_cannot_have_two_dossiers():
    from django.core.exceptions import ValidationError

    existing = DossierPageFactory()
    index = DossierIndexPage.objects.get(locale__language_code="fr")
    duplicate = DossierPage(
        title="Doublon", slug="doublon", theme=existing.theme, introduction="<p>x</p>"
    )
    with pytest.raises(ValidationError):
        index.add_child(instance=duplicate)


def test_theme_badge_writes_the_name_not_only_the_colour(client):
    theme = ThemeFactory(name="Thème du badge", pictogram="collaboration")
    html = client.get(DossierPageFactory(theme=theme).url).content.decode()
    assert 'class="theme-badge__name">Thème du badge<' in html
    assert 'src="/static/img/themes/collaboration.svg" alt=""' in html


def test_theme_colours_come_from_a_stylesheet_not_inline_styles(client):
    from taxonomy.models import Theme

    theme = Theme.objects.filter(locale__language_code="fr").first()
    css = client.get("/themes.css")
    assert css.status_code == 200 and css["Content-Type"].startswith("text/css")
    assert (
        f".theme-badge--{theme.slug} {{ --theme-colour: {theme.colour}; }}" in css.content.decode()
    )
    html = client.get("/dossiers/").content.decode()
    assert 'style="' not in html
