"""Inside English pages, an untranslated entry's vocabularies show in English and its French
summary is marked lang="fr": the directory listing and the dossiers' contact cards (the places
the issue measured with Point Cyb, whose English entry is an alias of the French one). And every
page of the sitemap, in both languages, has a meta description."""

import html as html_lib
import re

import pytest
from wagtail.models import Locale

from tests.factories import DossierPageFactory, OrganisationFactory, translation

pytestmark = pytest.mark.django_db


def card(html, href):
    """The listing card (an <li>) that links to ``href``."""
    start = html.index(f'href="{href}"')
    return html[html.rindex("<li", 0, start) : html.index("</li>", start)]


@pytest.fixture
def untranslated_entry():
    """An organisation's live directory entry, in French only: onboarding gave it an English alias."""
    from directory.models import ActorKind

    organisation = OrganisationFactory()
    french = organisation.actor_page.specific
    french.kind = ActorKind.objects.get(slug="mediation-numerique", locale__language_code="fr")
    french.summary = "Des permanences et des ateliers dans les villages."
    french.save_revision().publish()
    return french


@pytest.mark.parametrize("where", ["directory", "dossier contacts"])
def test_an_untranslated_entry_inside_english_pages(client, untranslated_entry, where):
    french = untranslated_entry
    en = Locale.objects.get(language_code="en")
    english_alias = french.get_translation(en)
    if where == "directory":
        url = "/en/annuaire/"
    else:
        dossier = DossierPageFactory()
        url = translation(
            dossier,
            title="A dossier",
            body=[("contacts", {"heading": "Contacts", "entries": [english_alias]})],
        ).url
    summary = html_lib.escape(french.summary)
    html = client.get(url).content.decode()
    entry = card(html, english_alias.url)
    assert f'<p lang="fr">{summary}</p>' in entry
    kind = french.kind.get_translation(en)
    assert kind.name != french.kind.name
    assert french.kind.name not in entry
    if url == "/en/annuaire/":
        assert kind.name in entry


def test_every_sitemap_page_has_a_meta_description(client):
    sitemap = client.get("/sitemap.xml").content.decode()
    urls = [
        re.sub(r"^https?://[^/]+", "", loc) for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)
    ]
    assert any(url.startswith("/en/") for url in urls) and any(
        not url.startswith("/en/") for url in urls
    )
    missing = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        match = re.search(r'<meta name="description" content="([^"]*)">', response.content.decode())
        if not match or len(match.group(1).strip()) < 20:
            missing.append(url)
    assert missing == []
