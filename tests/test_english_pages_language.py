"""Honest English pages: French content is said to be French, and marked lang="fr" (RGAA 8.7);
vocabularies in English; hreflang and the sitemap list real translations only; every page has a
meta description in its own language; the translation status report and out-of-date notices."""

import re

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Locale

from tests.factories import (
    ActorPageFactory,
    ArticlePageFactory,
    OrganisationFactory,
    ThemeFactory,
    translation,
)
from tests.language_walk import proper_names, unmarked_french, walk

pytestmark = pytest.mark.django_db


def test_every_english_page_marks_its_french_text(client):
    visited, problems = walk(client)
    assert visited >= 40, visited
    assert problems == {}, problems


def test_the_language_check_finds_unmarked_french():
    # The walk above could pass by finding nothing: here it must find the French paragraph.
    html = (
        '<html lang="en"><body><main><p>The network meets every month in a different village.</p>'
        "<p>Le réseau se retrouve chaque mois dans un village différent des Baronnies.</p>"
        '<p lang="fr">Un paragraphe en français, marqué comme tel pour les lecteurs d’écran.</p>'
        "</main></body></html>"
    )
    found = unmarked_french(html, proper_names())
    assert [text for text, _ in found] == [
        "Le réseau se retrouve chaque mois dans un village différent des Baronnies."
    ]


def untranslated_entry():
    """An organisation's directory entry, published in French: onboarding gave it an English alias."""
    french = OrganisationFactory().actor_page
    theme = ThemeFactory(name="Thème seulement nommé en français")
    english_theme = theme.copy_for_translation(Locale.objects.get(language_code="en"))
    english_theme.name = "Theme named in English"
    english_theme.save()
    french.themes = [theme]
    french.save_revision().publish()
    return french


def test_an_alias_says_in_english_that_it_shows_the_french_page(client):
    french = untranslated_entry()
    english = french.get_translation(Locale.objects.get(language_code="en"))
    assert english.alias_of_id == french.pk
    html = client.get(f"/en{french.url}").content.decode()
    notice = re.search(r'<p class="notice" role="note">(.*?)</p>', html, re.S).group(1)
    assert "not translated yet" in notice and f'href="{french.url}"' in notice
    assert re.search(r'<main id="contenu"[^>]* lang="fr"', html)
    # Its vocabularies show in English (the alias points at the French snippets).
    assert "Theme named in English" in html
    for theme in french.themes.all():
        english_theme = theme.get_translation_or_none(english.locale)
        if english_theme is not None and english_theme.name != theme.name:
            assert english_theme.name in html
            assert f">{theme.name}<" not in html and f" {theme.name}," not in html
    kind = french.kind.get_translation_or_none(english.locale)
    assert kind is not None and kind.name in html


def test_hreflang_and_sitemap_list_real_translations_only(client):
    aliased = untranslated_entry()
    translated_entry = ActorPageFactory()
    translation(translated_entry, title="A translated entry")
    french_html = client.get(aliased.url).content.decode()
    assert 'hreflang="en" href=' not in french_html.split("</head>")[0]
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"/en{aliased.url}" not in sitemap
    assert f"/en{translated_entry.url}" in sitemap  # a real translation
    translated = client.get(translated_entry.url).content.decode().split("</head>")[0]
    assert f'hreflang="en" href="http://testserver/en{translated_entry.url}"' in translated


@pytest.mark.parametrize(
    "url,language",
    [
        ("/", "fr"),
        ("/en/", "en"),
        ("/annuaire/asoft/", "fr"),
        ("/en/annuaire/asoft/", "en"),
        ("/annuaire/point-cyb/", "fr"),
        ("/en/annuaire/point-cyb/", "en"),
        ("/agenda/", "fr"),
    ],
)
def test_every_page_has_a_meta_description_in_its_own_language(client, url, language):
    from tests.language_walk import french_confidence

    html = client.get(url).content.decode()
    match = re.search(r'<meta name="description" content="([^"]+)">', html)
    assert match, url
    description = match.group(1)
    assert len(description) > 40
    without_names = description
    for name in proper_names():
        without_names = without_names.replace(name, " ")
    if language == "fr":
        assert french_confidence(without_names) > 0.5, description
    else:
        assert french_confidence(without_names) < 0.5, description


def test_an_out_of_date_english_page_says_the_french_is_more_recent(client):
    changed_since = ArticlePageFactory()
    outdated = translation(changed_since, title="Translated, then changed in French")
    changed_since.save_revision().publish()  # the French original, published again after
    unchanged = ArticlePageFactory()
    current = translation(unchanged, title="Translated and current")
    html = client.get(outdated.url).content.decode()
    notice = re.search(r'<p class="notice" role="note">(.*?)</p>', html, re.S).group(1)
    assert "original version (French) of this page was changed on" in notice
    assert f'href="{changed_since.url}"' in notice
    assert 'class="notice"' not in client.get(current.url).content.decode()


def test_the_report_lists_what_is_left_to_translate_for_staff_only(client):
    User = get_user_model()
    editor = User.objects.create_user("redaction-traduction", password="x")
    organisation = OrganisationFactory(name="Association à traduire", editors=[editor])
    changed = ArticlePageFactory(organisation=organisation, title="Un article changé depuis")
    translation(changed, title="An article changed since")
    changed.save_revision().publish()  # the French original, published again after: outdated
    ArticlePageFactory(organisation=organisation, title="Un article jamais traduit")  # missing
    current = ArticlePageFactory(organisation=OrganisationFactory(), title="Un article à jour")
    translation(current, title="An up-to-date article")
    client.force_login(User.objects.get(username="parc"))
    html = client.get("/admin/reports/traductions/").content.decode()
    assert 'data-translation-state="outdated"' in html and "Un article changé depuis" in html
    assert 'data-translation-state="missing"' in html and "Un article jamais traduit" in html
    assert "Un article à jour" not in html  # current
    only_outdated = client.get("/admin/reports/traductions/?etat=outdated").content.decode()
    assert 'data-translation-state="missing"' not in only_outdated
    assert client.get("/admin/reports/traductions/?etat=<script>").status_code == 200
    client.force_login(editor)
    assert client.get("/admin/reports/traductions/").status_code in (302, 403)
    dashboard = client.get("/admin/").content.decode()
    panel = dashboard.split("Association à traduire : traductions à faire")[1]
    assert 'data-translation-state="outdated"' in panel and "Un article changé depuis" in panel
    assert "Un article à jour" not in panel  # another organisation's, and current
