"""The admin as member editors and staff see it: their section first, the network's branding,
and nothing fetched from another host."""

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from wagtail.models import Page

from members.models import Organisation
from members.onboarding import section_pages
from users.models import User


def start_page_id(html):
    """The page the sidebar's explorer menu opens on (from the sidebar's JSON props)."""
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S
    )
    assert props, "no sidebar"

    def find(node):
        if isinstance(node, dict):
            if node.get("_type") == "wagtail.sidebar.PageExplorerMenuItem":
                return node["_args"][1]
            nodes = node.values()
        elif isinstance(node, list):
            nodes = node
        else:
            return None
        for child in nodes:
            if (found := find(child)) is not None:
                return found
        return None

    found = find(json.loads(props.group(1)))
    assert found is not None, "no page explorer in the sidebar"
    return found


def explored_children(html):
    """Ids of the pages listed in an explorer listing's table."""
    rows = "".join(re.findall(r"<tbody.*?</tbody>", html, re.S))
    return {int(pk) for pk in re.findall(r'href="/admin/pages/(\d+)/(?:edit/|history/)?"', rows)}


@pytest.fixture
def asoft(client, demo):
    client.force_login(User.objects.get(username="asoft"))
    return Organisation.objects.get(name="ASOFT")


@pytest.mark.django_db
def test_a_member_editors_explorer_opens_on_its_section_in_french(client, demo, asoft):
    home = demo["home"]
    assert client.get("/admin/pages/")["Location"] == f"/admin/pages/{home.pk}/"
    listing = client.get(f"/admin/pages/{home.pk}/").content.decode()
    assert start_page_id(listing) == home.pk
    # Only the sections that lead to ASOFT's pages: no standard page, no English home.
    listed = explored_children(listing)
    sections = {
        page.get_parent().pk for page in section_pages(asoft) if page.locale_id == home.locale_id
    }
    assert listed == sections
    assert demo["home_en"].pk not in listed

    directory = next(p.get_parent() for p in section_pages(asoft) if p.pk == asoft.actor_page_id)
    entries = explored_children(client.get(f"/admin/pages/{directory.pk}/").content.decode())
    cigale = Organisation.objects.get(name="La Cigale de Nyons")
    assert asoft.actor_page_id in entries
    assert cigale.actor_page_id not in entries


@pytest.mark.django_db
def test_the_english_tree_opens_on_the_english_home_through_the_locale_switcher(
    client, demo, asoft
):
    home, home_en = demo["home"], demo["home_en"]
    french = client.get(f"/admin/pages/{home.pk}/").content.decode()
    assert f"/admin/pages/{home_en.pk}/" in french  # Wagtail's switch to the translation
    english = client.get(f"/admin/pages/{home_en.pk}/")
    assert english.status_code == 200
    html = english.content.decode()
    assert start_page_id(html) == home_en.pk
    english_sections = {
        page.get_parent().pk for page in section_pages(asoft) if page.locale_id == home_en.locale_id
    }
    assert explored_children(html) == english_sections
    # Editing an English page: the sidebar's explorer starts in the English tree too.
    english_actor = next(
        p for p in section_pages(asoft) if p.locale_id == home_en.locale_id and p.depth == 4
    )
    edit = client.get(f"/admin/pages/{english_actor.pk}/edit/").content.decode()
    assert start_page_id(edit) == home_en.pk


@pytest.mark.django_db
def test_a_member_editors_dashboard_counts_and_shows_only_its_section(client, demo, asoft):
    html = client.get("/admin/").content.decode()
    assert start_page_id(html) == demo["home"].pk
    in_section = sum(
        Page.objects.filter(path__startswith=page.path).count() for page in section_pages(asoft)
    )
    count = re.search(r"(\d+)\s*Pages?\s*<span", html)
    assert count and int(count.group(1)) == in_section
    assert in_section < Page.objects.filter(depth__gt=1).count() / 2
    assert "Rédaction de ASOFT" in html
    assert "La Cigale de Nyons" not in html


@pytest.mark.django_db
def test_staff_still_explore_the_whole_tree(client, demo):
    client.force_login(User.objects.get(username="parc"))
    response = client.get("/admin/pages/")
    assert response.status_code == 200
    listed = explored_children(response.content.decode())
    assert {demo["home"].pk, demo["home_en"].pk} <= listed


class Resources(HTMLParser):
    """Every URL the browser would fetch by itself from a page (not links that one clicks)."""

    FETCHING = {
        "img": ["src", "srcset"],
        "script": ["src"],
        "iframe": ["src"],
        "source": ["src", "srcset"],
        "video": ["src", "poster"],
        "audio": ["src"],
        "embed": ["src"],
        "object": ["data"],
        "image": ["href", "xlink:href"],
        "use": ["href", "xlink:href"],
    }

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        names = list(self.FETCHING.get(tag, []))
        if tag == "link" and attrs.get("rel") not in {"canonical", "alternate"}:
            names.append("href")
        for name in names:
            value = attrs.get(name) or ""
            for candidate in value.split(","):
                if candidate.strip():
                    self.urls.append(candidate.strip().split(" ")[0])
        self.urls.extend(re.findall(r"url\(['\"]?([^'\")]+)", attrs.get("style") or ""))


def third_party(html):
    parser = Resources()
    parser.feed(html)
    urls = parser.urls + re.findall(r"url\(['\"]?(https?://[^'\")]+)", html)
    return sorted(
        {url for url in urls if urlsplit(url).hostname not in (None, "testserver", "localhost")}
    )


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["admin", "asoft"])
def test_admin_pages_reference_no_third_party_host_and_carry_the_branding(client, demo, username):
    user = User.objects.get(username=username)
    client.force_login(user)
    page = next(iter(section_pages(Organisation.objects.get(name="ASOFT"))))
    paths = [
        "/admin/",
        f"/admin/pages/{demo['home'].pk}/",
        f"/admin/pages/{page.pk}/edit/",
        "/admin/images/",
        "/admin/account/",
        "/admin/double-authentification/activer/",
    ]
    if user.is_superuser:
        paths += ["/admin/users/", "/admin/groups/"]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert third_party(html) == [], path
        assert "gravatar" not in html.lower(), path
        assert "/static/img/logo.svg" in html, path
        assert "Innover en Baronnies" in html, path
    # The avatar is the user's initials, drawn inline.
    assert "data:image/svg+xml," in client.get("/admin/account/").content.decode()


@pytest.mark.django_db
def test_the_login_page_carries_the_networks_name_and_logo(client):
    html = client.get("/admin/login/").content.decode()
    assert "Connexion à l’administration d’Innover en Baronnies provençales" in html
    assert '<link rel="icon" type="image/svg+xml" href="/static/img/favicon.svg">' in html
    assert "Innover en Baronnies</title>" in html
    assert third_party(html) == []


@pytest.mark.django_db
def test_avatars_are_initials_and_nobody_gets_wagtails_local_default():
    from wagtail.admin.templatetags.wagtailadmin_tags import avatar_url

    user = User.objects.get(username="parc")
    assert avatar_url(user).startswith("data:image/svg+xml,")
    assert "gravatar" not in avatar_url(None)
    assert avatar_url(None).startswith("/static/")
