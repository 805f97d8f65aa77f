"""The site version (core/page_cache.py ``site_memo``): what every page reads whatever its content
(locales, sites, view restrictions, the site frame) is kept across the publication of an ordinary
page, and renewed at once by every change that can alter it."""

import pytest
from django.core.cache import cache
from django.db import transaction
from wagtail.models import Page, PageViewRestriction, Site

from core import page_cache
from core.models import Menu, MenuItem, SiteSettings
from core.routing import private_section_paths
from home.models import HomePage
from tests.factories import (
    ArticlePageFactory,
    OrganisationFactory,
    StandardPageFactory,
    section,
)

pytestmark = pytest.mark.django_db


def header_menu():
    return Menu.objects.get(place=Menu.HEADER, locale__language_code="fr")


def in_menu(page, label=""):
    """``page`` linked from the French header menu (without a label: the menu shows its title)."""
    MenuItem.objects.create(menu=header_menu(), page=page, label=label, sort_order=99)
    return page


def main_menu_html(client, url="/le-reseau/"):
    html = client.get(url).content.decode()
    start = html.index('aria-label="Navigation principale"')
    return html[start : html.index("</nav>", start)]


def test_publishing_a_page_no_menu_links_to_keeps_the_site_values(client, settings):
    settings.PAGE_CACHE_ENABLED = False
    organisation = OrganisationFactory()
    client.get("/le-reseau/")
    content, site = page_cache.current_version(), page_cache.site_version()
    ArticlePageFactory(title="Un article de plus", organisation=organisation)
    assert page_cache.current_version() != content
    assert page_cache.site_version() == site


def test_a_new_title_of_a_page_in_the_menu_shows_at_once_in_every_menu(client, settings):
    settings.PAGE_CACHE_ENABLED = False
    page = in_menu(StandardPageFactory(title="Ateliers ouverts"))
    assert "Ateliers ouverts" in main_menu_html(client)
    page.title = "Ateliers du mardi"
    page.save_revision().publish()
    menu = main_menu_html(client)
    assert "Ateliers du mardi" in menu and "Ateliers ouverts" not in menu


def test_a_page_in_the_menu_unpublished_leaves_every_menu_at_once(client, settings):
    settings.PAGE_CACHE_ENABLED = False
    page = in_menu(StandardPageFactory(title="Ateliers ouverts"))
    assert "Ateliers ouverts" in main_menu_html(client)
    page.unpublish()
    assert "Ateliers ouverts" not in main_menu_html(client)


def test_a_new_slug_above_a_page_in_the_menu_changes_its_link_at_once(client, settings):
    settings.PAGE_CACHE_ENABLED = False
    parent = StandardPageFactory(title="Rubrique", slug="rubrique")
    in_menu(StandardPageFactory(title="Ateliers", slug="ateliers", parent=parent))
    assert 'href="/rubrique/ateliers/"' in main_menu_html(client)
    parent.slug = "rubrique-renommee"
    parent.save_revision().publish()
    menu = main_menu_html(client)
    assert 'href="/rubrique-renommee/ateliers/"' in menu and "/rubrique/ateliers/" not in menu


def test_new_site_settings_show_in_the_footer_at_once(client, settings):
    settings.PAGE_CACHE_ENABLED = False
    assert "04 75 00 00 99" not in client.get("/le-reseau/").content.decode()
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.phone = "04 75 00 00 99"
    site_settings.save()
    assert "04 75 00 00 99" in client.get("/le-reseau/").content.decode()


def test_a_private_section_moved_elsewhere_stays_private_at_its_new_place():
    section_page = StandardPageFactory(title="Espace des membres")
    PageViewRestriction.objects.create(
        page=section_page, restriction_type=PageViewRestriction.LOGIN
    )
    assert private_section_paths() == [section_page.path]
    section_page.move(Page.objects.get(slug="le-reseau", locale__language_code="fr"), "last-child")
    section_page.refresh_from_db()
    assert private_section_paths() == [section_page.path]


def test_a_new_translation_of_the_home_page_published_is_routed_at_once(client, settings):
    from wagtail.models import Locale

    settings.PAGE_CACHE_ENABLED = False
    settings.LANGUAGES = [*settings.LANGUAGES, ("de", "Deutsch")]
    settings.WAGTAIL_CONTENT_LANGUAGES = settings.LANGUAGES
    client.get("/le-reseau/")
    german = Locale.objects.create(language_code="de")
    home = section(HomePage).copy_for_translation(german)
    home.save_revision().publish()
    assert "de" in {path.language_code for path in Site.get_site_root_paths()}


def test_values_kept_for_the_site_are_dropped_when_another_process_renews_its_version():
    builds = []
    assert page_cache.site_memo("answer", lambda: builds.append(1) or 41) == 41
    assert page_cache.site_memo("answer", lambda: builds.append(1) or 42) == 41
    page_cache.clear_page_cache(site_wide=False)  # a publication here: the site values stay
    assert page_cache.site_memo("answer", lambda: builds.append(1) or 42) == 41
    cache.set(page_cache.SITE_VERSION_KEY, "renewed-elsewhere", None)  # another app server
    assert page_cache.site_memo("answer", lambda: builds.append(1) or 42) == 42
    assert len(builds) == 2


def test_a_change_of_the_site_values_in_a_transaction_renews_them_again_at_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            page_cache.invalidate(site_wide=False)  # a publication
            page_cache.invalidate()  # then a menu saved in the same transaction
            site = page_cache.site_version()
            # Another process builds the site values from the data before the commit.
            page_cache.site_memo("frame", lambda: "before the commit")
    assert page_cache.site_version() != site
    assert page_cache.site_memo("frame", lambda: "after the commit") == "after the commit"


def test_without_a_shared_cache_the_site_values_are_not_kept(monkeypatch):
    monkeypatch.setattr(page_cache, "site_version", lambda: None)
    values = iter([1, 2])
    assert page_cache.site_memo("k", lambda: next(values)) == 1
    assert page_cache.site_memo("k", lambda: next(values)) == 2


def test_an_article_made_private_leaves_the_news_and_the_site_search_at_once(client, settings):
    settings.PAGE_CACHE_ENABLED = False
    article = ArticlePageFactory(title="Compte rendu confidentiel")
    assert "Compte rendu confidentiel" in client.get("/actualites/").content.decode()
    search = "/recherche/?q=confidentiel"
    assert "Compte rendu confidentiel" in client.get(search).content.decode()
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    assert "Compte rendu confidentiel" not in client.get("/actualites/").content.decode()
    assert "Compte rendu confidentiel" not in client.get(search).content.decode()


def test_a_renamed_theme_shows_in_the_listing_filters_at_once(client, settings):
    from taxonomy.models import Theme

    settings.PAGE_CACHE_ENABLED = False
    theme = Theme.objects.filter(locale__language_code="fr").first()
    for url in ("/actualites/", "/agenda/"):
        assert theme.name in client.get(url).content.decode()
    theme.name = "Thème tout juste renommé"
    theme.save()
    for url in ("/actualites/", "/agenda/"):
        assert "Thème tout juste renommé" in client.get(url).content.decode()


def test_a_shared_cache_emptied_drops_every_value_kept_for_the_old_versions():
    assert page_cache.site_memo("answer", lambda: 41) == 41
    assert page_cache.version_memo("answer", lambda: 41) == 41
    cache.clear()  # Redis restarted or flushed: both versions are made again
    assert page_cache.site_memo("answer", lambda: 42) == 42
    assert page_cache.version_memo("answer", lambda: 42) == 42
