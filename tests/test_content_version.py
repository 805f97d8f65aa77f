"""The content version read once per request, and what this process keeps for it
(core/page_cache.py ``version_memo``, core/sites.py): fast, and never stale."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from wagtail.models import Locale, Page, Site

from core import page_cache
from core.sites import site_for_request
from core.translation_status import locale_codes

pytestmark = pytest.mark.django_db


class CacheReads:
    """Records the reads of the shared cache (``cache.get``/``get_many``: one round trip each,
    the key or the list of keys) while active."""

    def __init__(self, monkeypatch):
        self.keys = []
        self.depth = 0
        backend = type(page_cache.get_cache())
        for name in ("get", "get_many"):
            original = getattr(backend, name)

            def counted(this, key, *args, _original=original, **kwargs):
                if not self.depth:  # a local get_many reads each key with get: one read
                    self.keys.append(key)
                self.depth += 1
                try:
                    return _original(this, key, *args, **kwargs)
                finally:
                    self.depth -= 1

            monkeypatch.setattr(backend, name, counted)


@pytest.mark.parametrize("url", ["/le-reseau/", "/", "/en/"])
def test_a_page_seen_again_reads_only_the_versions_from_the_shared_cache(
    client, settings, monkeypatch, url
):
    settings.PAGE_CACHE_ENABLED = False
    assert client.get(url).status_code == 200  # builds the frame, locales, sites, restrictions
    reads = CacheReads(monkeypatch)
    assert client.get(url).status_code == 200
    # Image renditions have their own cache; everything else was kept for the versions, both
    # read in one round trip.
    assert [key for key in reads.keys if "rendition" not in str(key)] == [
        [page_cache.VERSION_KEY, page_cache.SITE_VERSION_KEY]
    ]


def test_a_request_keeps_the_version_it_started_with_and_follows_its_own_changes():
    before = page_cache.current_version()
    with page_cache.content_version_scope():
        seen = page_cache.current_version()
        cache.set(page_cache.VERSION_KEY, "changed-by-another-process", None)
        assert page_cache.current_version() == seen == before  # one version per request
        page_cache.clear_page_cache()  # this request publishes something
        own = page_cache.current_version()
        assert own not in (before, "changed-by-another-process")
    assert page_cache.current_version() == own  # the next request reads the shared one


def test_values_kept_for_a_version_are_dropped_when_another_process_changes_it():
    builds = []
    assert page_cache.version_memo("answer", lambda: builds.append(1) or 41) == 41
    assert page_cache.version_memo("answer", lambda: builds.append(1) or 42) == 41
    assert len(builds) == 1
    # Another app server publishes: it renews the version in the shared cache only.
    cache.set(page_cache.VERSION_KEY, "published-elsewhere", None)
    assert page_cache.version_memo("answer", lambda: builds.append(1) or 42) == 42
    assert len(builds) == 2


def test_without_a_shared_cache_nothing_is_kept(monkeypatch):
    monkeypatch.setattr(page_cache, "current_version", lambda: None)
    values = iter([1, 2])
    assert page_cache.version_memo("k", lambda: next(values)) == 1
    assert page_cache.version_memo("k", lambda: next(values)) == 2


def test_a_new_locale_is_seen_at_once():
    assert "de" not in locale_codes().values()
    Locale.objects.create(language_code="de")
    assert "de" in locale_codes().values()


def test_a_site_change_is_seen_at_once_by_every_url():
    site = Site.objects.get(is_default_site=True)
    page = Page.objects.get(slug="le-reseau", locale__language_code="fr")
    assert page.get_url() == "/le-reseau/"
    assert Site.get_site_root_paths()[0].root_url == site.root_url
    site.hostname, site.port = "baronnies.example.org", 443
    site.save()
    assert {path.root_url for path in Site.get_site_root_paths()} == {
        "https://baronnies.example.org"
    }
    assert Page.objects.get(pk=page.pk).full_url == "https://baronnies.example.org/le-reseau/"


def test_a_new_translation_of_the_home_page_changes_the_root_paths_even_as_a_draft():
    home = Site.objects.get(is_default_site=True).root_page.specific
    german = Locale.objects.create(language_code="de")
    before = {path.language_code for path in Site.get_site_root_paths()}
    assert "de" not in before
    draft = home.copy_for_translation(german)
    assert not draft.live
    assert "de" in {path.language_code for path in Site.get_site_root_paths()}


def test_the_site_of_a_request_is_found_for_its_host_only(settings):
    settings.ALLOWED_HOSTS = ["testserver", "tiers-lieux.example.org"]
    factory = RequestFactory()
    default = Site.objects.get(is_default_site=True)
    other = Site.objects.create(
        hostname="tiers-lieux.example.org", port=80, root_page=default.root_page
    )
    assert site_for_request(factory.get("/", HTTP_HOST="testserver")) == default
    assert site_for_request(factory.get("/", HTTP_HOST="tiers-lieux.example.org")) == other
    other.delete()
    assert site_for_request(factory.get("/", HTTP_HOST="tiers-lieux.example.org")) == default


def test_a_page_seen_again_costs_no_query_and_its_unpublication_shows_at_once(
    client, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_ENABLED = False
    page = Page.objects.get(slug="le-reseau", locale__language_code="fr")
    assert client.get("/le-reseau/").status_code == 200
    with django_assert_num_queries(0):
        assert client.get("/le-reseau/").status_code == 200
    page.specific.unpublish()
    assert client.get("/le-reseau/").status_code == 404


def test_each_request_gets_its_own_copy_of_the_page(client, settings, monkeypatch):
    from wagtail import hooks

    settings.PAGE_CACHE_ENABLED = False
    served = []

    def remember(page, request, args, kwargs):
        served.append(page)
        page.marked_by_a_request = True

    with hooks.register_temporarily("before_serve_page", remember):
        client.get("/le-reseau/")
        client.get("/le-reseau/")
    assert len(served) == 2 and served[0] is not served[1]
    assert served[1].pk == served[0].pk
    # What one request sets on its page is not seen by the next one.
    assert client.get("/le-reseau/").status_code == 200
    with hooks.register_temporarily("before_serve_page", lambda page, *args: served.append(page)):
        client.get("/le-reseau/")
    assert not hasattr(served[-1], "marked_by_a_request")


def test_context_kept_with_minutes_is_renewed_as_time_passes(monkeypatch):
    from django.test import RequestFactory
    from django.utils import timezone

    page = Page.objects.get(slug="le-reseau", locale__language_code="fr").specific
    request = RequestFactory().get("/le-reseau/")
    request.is_preview = False  # as Wagtail's serve sets it
    now = timezone.now()
    builds = iter(["first", "second"])
    monkeypatch.setattr(timezone, "now", lambda: now)
    assert page.shared_context(request, "soon", lambda: next(builds), minutes=1) == "first"
    assert page.shared_context(request, "soon", lambda: next(builds), minutes=1) == "first"
    monkeypatch.setattr(timezone, "now", lambda: now + timezone.timedelta(minutes=2))
    assert page.shared_context(request, "soon", lambda: next(builds), minutes=1) == "second"


def test_a_listing_card_shows_a_new_title_at_once(client, settings):
    settings.PAGE_CACHE_ENABLED = False
    from news.models import ArticlePage

    article = (
        ArticlePage.objects.live()
        .filter(locale__language_code="fr")
        .order_by("-first_published_at")
        .first()
    )
    assert article.title in client.get("/actualites/").content.decode()
    article.title = "Un titre tout neuf pour la carte"
    article.save_revision().publish()
    page = client.get("/actualites/").content.decode()
    assert "Un titre tout neuf pour la carte" in page


def test_fragments_are_kept_apart_by_their_values_and_language():
    from django.template import Context, Template
    from django.utils import translation

    template = Template(
        '{% load fragment_tags %}{% fragment "title" level %}<h{{ level }}>{{ text }}</h{{ level }}>{% endfragment %}'
    )
    assert template.render(Context({"level": 2, "text": "Un"})) == "<h2>Un</h2>"
    assert template.render(Context({"level": 3, "text": "Un"})) == "<h3>Un</h3>"
    assert (
        template.render(Context({"level": 2, "text": "Deux"})) == "<h2>Un</h2>"
    )  # kept: same values
    with translation.override("en"):
        assert template.render(Context({"level": 2, "text": "Two"})) == "<h2>Two</h2>"
    page_cache.clear_page_cache()  # a publication
    assert template.render(Context({"level": 2, "text": "Deux"})) == "<h2>Deux</h2>"


@pytest.mark.parametrize("kind", ["article", "standard page"])
def test_a_preview_of_a_draft_never_reaches_the_public_page(client, settings, kind):
    from news.models import ArticlePage

    settings.PAGE_CACHE_ENABLED = False
    if kind == "article":
        page = (
            ArticlePage.objects.live()
            .filter(locale__language_code="fr")
            .order_by("-first_published_at")
            .first()
        )
    else:
        page = Page.objects.get(slug="le-reseau", locale__language_code="fr").specific
    draft = page.get_latest_revision_as_object()  # previewed before anyone sees the live page
    draft.title = "Brouillon pas encore relu"
    assert "Brouillon pas encore relu" in draft.make_preview_request().content.decode()
    # The public asks on the site's own host, as the preview's request does.
    settings.ALLOWED_HOSTS = ["*"]
    site = Site.objects.get(is_default_site=True)
    host = site.hostname if site.port in (80, 443) else f"{site.hostname}:{site.port}"
    assert "Brouillon pas encore relu" not in client.get(page.url, HTTP_HOST=host).content.decode()
    assert (
        "Brouillon pas encore relu"
        not in client.get("/actualites/", HTTP_HOST=host).content.decode()
    )


def test_what_a_process_keeps_is_bounded_and_the_oldest_goes_first(monkeypatch):
    monkeypatch.setattr(page_cache, "MEMO_ENTRIES", 3)
    for number in range(5):
        page_cache.version_memo(("bounded", number), lambda number=number: number)
    kept = [key for key in page_cache._memo["values"] if key[0] == "bounded"]
    assert kept == [("bounded", 2), ("bounded", 3), ("bounded", 4)]


def test_an_untranslated_page_seen_again_in_the_other_language_costs_no_query(
    client, settings, django_assert_num_queries
):
    from tests.factories import ArticlePageFactory, OrganisationFactory, translation

    settings.PAGE_CACHE_ENABLED = False
    article = ArticlePageFactory(title="Atelier réparation", organisation=OrganisationFactory())
    english_url = "/en" + article.url
    assert "Atelier réparation" in client.get(english_url).content.decode()  # the fallback
    with django_assert_num_queries(0):
        assert "Atelier réparation" in client.get(english_url).content.decode()
    english = translation(article, title="Repair workshop")
    # Its translation, published, takes over at once: the French page is no longer served.
    assert "Atelier réparation" not in client.get(english_url).content.decode()
    assert "Repair workshop" in client.get(english.url).content.decode()


def test_a_link_to_an_organisation_s_entry_in_the_other_language_follows_it_at_once(
    client, settings
):
    from tests.factories import ArticlePageFactory, OrganisationFactory, translation

    settings.PAGE_CACHE_ENABLED = False
    organisation = OrganisationFactory(published_entry=True)
    english_article = translation(ArticlePageFactory(organisation=organisation))
    actor = organisation.actor_page
    english_actor = actor.get_translation(english_article.locale)  # made by onboarding
    assert english_actor.url != actor.url
    assert f'href="{english_actor.url}"' in client.get(english_article.url).content.decode()
    english_actor.unpublish()  # the link goes to the French entry then
    assert f'href="{actor.url}"' in client.get(english_article.url).content.decode()
