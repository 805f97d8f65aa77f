"""French at / without prefix, English under /en/, and a switcher that never leads to a 404."""

import pytest
from wagtail.models import Locale

from home.models import StandardPage
from tests.factories import StandardPageFactory, translation

pytestmark = pytest.mark.django_db


def switcher_links(html):
    import re

    block = html.split('class="lang-switcher"', 1)[1].split("</nav>", 1)[0]
    return dict(
        (lang, href) for href, lang in re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', block)
    )


def test_both_locales_exist():
    assert set(Locale.objects.values_list("language_code", flat=True)) == {"fr", "en"}


@pytest.fixture
def translated_page():
    """A standard page and its English translation (same slug, under /en/)."""
    page = StandardPageFactory()
    translation(page, title="A translated page")
    return page


def test_switcher_links_to_the_translation_of_the_current_page(client, translated_page):
    url = translated_page.url
    assert switcher_links(client.get(url).content.decode()) == {"en": f"/en{url}"}
    assert switcher_links(client.get(f"/en{url}").content.decode()) == {"fr": url}


def test_switcher_links_untranslated_pages_to_the_same_path_in_the_other_language(client, demo):
    page = StandardPage(title="Seulement en français", slug="seulement-fr")
    demo["home"].add_child(instance=page)
    page.save_revision().publish()
    html = client.get("/seulement-fr/").content.decode()
    assert switcher_links(html) == {"en": "/en/seulement-fr/"}
    assert "this page is not translated: original version" in html
    assert (
        'hreflang="en" href="http://testserver/en/seulement-fr/"' not in html
    )  # no false alternate


def test_an_untranslated_page_shows_the_french_content_with_an_english_note(client, demo):
    page = StandardPage(
        title="Seulement en français", slug="seulement-fr", intro="<p>Texte du Parc.</p>"
    )
    demo["home"].add_child(instance=page)
    page.save_revision().publish()
    response = client.get("/en/seulement-fr/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "This page is not translated yet: you are reading its original version (French)." in html
    assert 'id="contenu" tabindex="-1" lang="fr"' in html
    assert "Texte du Parc." in html
    assert '<link rel="canonical" href="http://testserver/seulement-fr/">' in html
    assert "Search the site" in html  # the frame speaks English


def test_an_untranslated_page_reads_the_same_at_its_english_path_as_an_alias(client, demo):
    """One mechanism: the French page served at its English path and an English alias of a
    French page (Point Cyb's entry, from onboarding) get the same notice, marks and description."""
    import re

    page = StandardPage(
        title="Seulement en français", slug="seulement-fr", intro="<p>Texte du Parc.</p>"
    )
    demo["home"].add_child(instance=page)
    page.save_revision().publish()
    descriptions = set()
    for url, original in (
        ("/en/seulement-fr/", "/seulement-fr/"),
        ("/en/annuaire/point-cyb/", "/annuaire/point-cyb/"),
    ):
        html = client.get(url).content.decode()
        notice = re.search(r'<p class="notice" role="note">(.*?)</p>', html, re.S).group(1)
        assert "not translated yet" in notice and f'href="{original}" hreflang="fr"' in notice, url
        assert re.search(r'<main id="contenu"[^>]* lang="fr"', html), url
        assert re.search(r'<li lang="fr"><span aria-current="page">', html), url  # breadcrumbs
        descriptions.add(re.search(r'<meta name="description" content="([^"]+)">', html).group(1))
    assert len(descriptions) == 1 and "network" in descriptions.pop()  # the network's, in English


def test_the_fallback_never_hides_real_404s_or_drafts(client, demo):
    assert client.get("/en/nulle-part/").status_code == 404
    draft = StandardPage(title="Brouillon", slug="brouillon", live=False)
    demo["home"].add_child(instance=draft)
    assert client.get("/en/brouillon/").status_code == 404


def test_translated_pages_are_not_served_through_the_fallback(client, translated_page):
    # /en/<slug>/ is the English translation itself, served normally
    html = client.get(f"/en{translated_page.url}").content.decode()
    assert "A translated page" in html
    assert "not translated yet" not in html


def test_head_announces_hreflang_alternates(client, translated_page):
    url = translated_page.url
    html = client.get(url).content.decode()
    assert f'<link rel="alternate" hreflang="fr" href="http://testserver{url}">' in html
    assert f'<link rel="alternate" hreflang="en" href="http://testserver/en{url}">' in html


def test_search_switcher_keeps_the_query(client):
    html = client.get("/recherche/?q=tiers-lieux").content.decode()
    assert switcher_links(html)["en"].startswith("/en/recherche/")


def test_admin_speaks_french_to_french_users(client, django_user_model):
    user = django_user_model.objects.get(username="parc")
    client.force_login(user)
    html = client.get("/admin/").content.decode()
    assert 'lang="fr"' in html
    assert "Tableau de bord" in html or "Pages" in html


def test_english_catalogue_translates_every_interface_string():
    from pathlib import Path

    import polib

    po = polib.pofile(
        str(Path(__file__).parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po")
    )
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or e.fuzzy)]
    assert missing == []
