"""Every page type renders, in French at / and in English under /en/."""

import pytest
from django.core.cache import cache

from .factories import StandardPageFactory, translation

pytestmark = pytest.mark.django_db

FRENCH_PAGES = [
    "/",
    "/annuaire/",
    "/actualites/",
    "/agenda/",
    "/dossiers/",
    "/le-reseau/",
    "/mentions-legales/",
]


@pytest.mark.parametrize("url", FRENCH_PAGES)
def test_every_page_type_renders_in_french(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Aller au contenu" in html


@pytest.mark.parametrize("url", FRENCH_PAGES)
def test_every_page_type_renders_in_english_under_en(client, url):
    response = client.get("/en" + url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html
    assert "Aller au contenu" not in html


def test_home_page_shows_the_network_purpose_in_each_language(client, demo):
    for home, purpose in (
        (demo["home"], "Une trentaine d'acteurs de test."),
        (demo["home_en"], "Thirty test players."),
    ):
        home.purpose = purpose
        home.save_revision().publish()
    assert "Une trentaine d&#x27;acteurs de test." in client.get("/").content.decode()
    assert "Thirty test players." in client.get("/en/").content.decode()


def test_pages_have_the_accessible_frame(client):
    html = client.get("/le-reseau/").content.decode()
    assert '<a class="skip-link" href="#contenu">' in html
    assert '<main id="contenu"' in html
    assert 'role="banner"' in html and 'role="contentinfo"' in html
    assert 'aria-label="Navigation principale"' in html
    assert 'aria-label="Fil d’Ariane"' in html


def test_breadcrumbs_lead_back_home(client):
    page = translation(StandardPageFactory(), title="The test network")
    html = client.get(page.url).content.decode()
    assert '<li><a href="/en/">Home</a></li>' in html
    assert '<span aria-current="page">The test network</span>' in html


def test_no_public_page_loads_anything_from_another_host(client):
    import re

    for url in FRENCH_PAGES:
        html = client.get(url).content.decode()
        external = re.findall(
            r'<(?:script|link|img)[^>]+(?:src|href)="(https?:)?//(?!testserver)[^"]*"', html
        )
        assert [
            e for e in external if 'rel="alternate"' not in e and 'rel="canonical"' not in e
        ] == []


def test_unknown_address_gives_the_site_404_page(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html
    assert "Aller au contenu" in html


def test_unknown_english_address_gives_an_english_404(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_server_error_page_shows_no_stack_trace(client):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Une erreur est survenue" in html
    assert "Traceback" not in html


def test_sitemap_lists_both_languages_with_alternates(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert "<loc>http://localhost/le-reseau/</loc>" in xml
    assert "<loc>http://localhost/en/le-reseau/</loc>" in xml
    assert 'hreflang="en" href="http://localhost/en/le-reseau/"' in xml


def test_robots_txt_points_to_the_sitemap_and_hides_admin(client):
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_search_page_handles_bad_input_without_error(client):
    for params in (
        {"q": "x" * 10_000},
        {"q": "<script>alert(1)</script>"},
        {"q": "réseau", "page": "-1"},
        {"q": "réseau", "page": "abc"},
        {"q": "' OR 1=1 --"},
    ):
        response = client.get("/recherche/", params)
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.content.decode()


def test_search_result_pages_are_not_indexed_nor_cached(client):
    response = client.get("/recherche/", {"q": "réseau"})
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_footer_shows_partner_logos_with_their_names_as_alt_text(client):
    html = client.get("/").content.decode()
    assert "Partenaires" in html
    assert 'alt="Pays Une Autre Provence"' in html


def test_a_partner_logo_whose_file_is_missing_leaves_its_name_and_the_page_works(client):
    """An image file lost from storage (a restore without media, a wrong MEDIA_ROOT) must not turn
    every page into a server error through the footer."""
    from core.models import Partner

    partner = Partner.objects.filter(name="Pays Une Autre Provence").select_related("logo").first()
    partner.logo.renditions.all().delete()
    # Point the image at a file that is not in storage (a database change, rolled back after).
    type(partner.logo).objects.filter(pk=partner.logo_id).update(
        file="original_images/lost-logo.png"
    )
    cache.clear()
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pays Une Autre Provence" in html
    assert 'alt="Pays Une Autre Provence"' not in html
