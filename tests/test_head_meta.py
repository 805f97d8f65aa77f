"""Sharing and indexing: OpenGraph and Twitter tags, share image rendition, Organization JSON-LD."""

import json
import re

import pytest

from home.models import StandardPage

pytestmark = pytest.mark.django_db


def meta(html, prop):
    match = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)"', html)
    return match.group(1) if match else None


def test_home_has_opengraph_twitter_and_share_image(client):
    html = client.get("/").content.decode()
    assert meta(html, "og:title") == "Innover en Baronnies provençales"
    assert meta(html, "og:url") == "http://testserver/"
    assert meta(html, "og:locale") == "fr_FR"
    assert meta(html, "og:image").startswith("http://testserver/")
    assert meta(html, "og:image:alt")
    assert meta(html, "twitter:card") == "summary_large_image"
    assert meta(html, "og:description").startswith("Un réseau")


def test_home_has_organization_json_ld(client):
    html = client.get("/en/").content.decode()
    payload = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(payload)
    assert data["@type"] == "Organization"
    assert data["url"] == "http://testserver/en/"
    assert data["email"]


def test_page_without_image_has_a_summary_card_and_no_json_ld(client):
    html = client.get("/mentions-legales/").content.decode()
    assert meta(html, "twitter:card") == "summary"
    assert meta(html, "og:image") is None
    assert "application/ld+json" not in html


def test_markup_in_titles_is_escaped_in_meta_tags(client, demo):
    page = StandardPage(title='Titre "<b>piégé</b>"', slug="piege", intro="<p>a</p>")
    demo["home"].add_child(instance=page)
    page.save_revision().publish()
    html = client.get("/piege/").content.decode()
    assert '<meta property="og:title" content="Titre &quot;&lt;b&gt;piégé&lt;/b&gt;&quot;">' in html
