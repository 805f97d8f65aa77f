"""French at / without prefix, English under /en/, and a switcher that never leads to a 404."""

import pytest
from wagtail.models import Locale

from home.models import StandardPage

pytestmark = pytest.mark.django_db


def switcher_links(html):
    import re

    block = html.split('class="lang-switcher"', 1)[1].split("</nav>", 1)[0]
    return dict(
        (lang, href) for href, lang in re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', block)
    )


def test_both_locales_exist():
    assert set(Locale.objects.values_list("language_code", flat=True)) == {"fr", "en"}


def test_switcher_links_to_the_translation_of_the_current_page(client):
    assert switcher_links(client.get("/le-reseau/").content.decode()) == {"en": "/en/le-reseau/"}
    assert switcher_links(client.get("/en/le-reseau/").content.decode()) == {"fr": "/le-reseau/"}


def test_switcher_falls_back_to_the_other_home_page_for_untranslated_pages(client, demo):
    demo["home"].add_child(
        instance=StandardPage(title="Seulement en français", slug="seulement-fr")
    )
    html = client.get("/seulement-fr/").content.decode()
    assert switcher_links(html) == {"en": "/en/"}
    assert "home page: this page is not translated" in html
    assert client.get("/en/").status_code == 200


def test_head_announces_hreflang_alternates(client):
    html = client.get("/le-reseau/").content.decode()
    assert '<link rel="alternate" hreflang="fr" href="http://testserver/le-reseau/">' in html
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/le-reseau/">' in html


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
