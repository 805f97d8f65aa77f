"""Smoke tests of the demo site built by ``load_demo`` (tests/conftest.py).

The other modules build the content they need with tests/factories.py, so that editing the demo's
texts cannot break them (``pytest --edited-demo`` checks it). The checks below are about the demo
itself, its pages, accounts and moderation states: they were moved here from the modules named in
each section, and they are expected to fail under ``--edited-demo``.
"""

import html as html_lib
import json
import re

import pytest

from news.models import ArticlePage

pytestmark = pytest.mark.django_db


def json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


# --- the whole demo ---------------------------------------------------------------------------


def test_every_live_demo_page_renders_in_both_languages(client):
    """Each live French page of the demo answers 200 in French, and its English translation (or,
    untranslated, the same path under /en/: the French page in the English frame) in English."""
    from wagtail.models import Locale, Page

    french = Page.objects.live().public().filter(locale__language_code="fr", depth__gt=1).specific()
    assert french.count() >= 50
    en = Locale.objects.get(language_code="en")
    failures = []
    for page in french:
        translated = page.get_translation_or_none(en)
        english = translated.url if translated is not None and translated.live else f"/en{page.url}"
        for path, language in ((page.url, "fr"), (english, "en")):
            response = client.get(path)
            if (
                response.status_code != 200
                or f'<html lang="{language}">' not in response.content.decode()
            ):
                failures.append((path, response.status_code))
    assert failures == []


# --- news (from tests/test_news_articles.py) ----------------------------------------------------


def test_demo_articles_have_their_organisation_in_both_languages():
    for article in ArticlePage.objects.filter(url_path__contains="/asoft/"):
        assert article.organisation.slug == "asoft"
    english = ArticlePage.objects.get(
        slug="rencontres-solidaires-ptce-tiers-lieux", locale__language_code="en"
    )
    assert english.organisation.slug == "la-cigale-de-nyons"


@pytest.mark.parametrize(
    "url",
    [
        "/actualites/",
        "/actualites/asoft/",
        "/actualites/parc/naissance-du-reseau/",
        "/actualites/parc/premiere-rencontre-publique-a-aubres/",
    ],
)
def test_demo_news_pages_render_in_both_languages(client, url):
    french = client.get(url)
    assert french.status_code == 200 and '<html lang="fr">' in french.content.decode()
    english = client.get("/en" + url)
    assert english.status_code == 200
    html = english.content.decode()
    assert '<html lang="en">' in html and "Skip to content" in html


def test_demo_english_article_is_in_english(client):
    html = client.get("/en/actualites/parc/naissance-du-reseau/").content.decode()
    assert "A network is born for third places" in html
    (data,) = json_ld(html)
    assert data["inLanguage"] == "en"


def test_demo_article_has_news_article_json_ld_with_its_organisation(client):
    html = client.get(
        "/actualites/la-cigale-de-nyons/rencontres-solidaires-ptce-tiers-lieux/"
    ).content.decode()
    (data,) = json_ld(html)
    assert data["@type"] == "NewsArticle"
    assert data["headline"].startswith("Rencontres Solidaires")
    assert data["author"]["name"] == "La Cigale de Nyons"
    assert data["author"]["url"] == "http://testserver/annuaire/la-cigale-de-nyons/"
    assert data["datePublished"] and data["image"][0].startswith("http://testserver/")


# --- agenda (from tests/test_agenda_listing.py) -------------------------------------------------


def test_demo_has_the_seed_events(client):
    html = client.get("/agenda/").content.decode()
    assert "Première rencontre publique du réseau" in html
    assert "Aubres" in html
    assert html.count("Réunion mensuelle du réseau") >= 3
    aubres = next(
        e for e in client.get("/agenda/").context["page_obj"] if "rencontre publique" in e.title
    )
    assert (aubres.local_start.month, aubres.local_start.day) == (12, 14)


def test_demo_archive_keeps_the_rencontres_solidaires_workshops(client):
    titles = [event.title for event in client.get("/agenda/?periode=passes").context["page_obj"]]
    assert any("coopération économique" in title for title in titles)
    assert any("tiers-lieux" in title for title in titles)
    by_organisation = client.get("/agenda/?periode=passes&organisation=la-cigale-de-nyons").context[
        "page_obj"
    ]
    assert len(list(by_organisation)) == 2


def test_demo_public_meeting_has_event_json_ld_in_aubres(client):
    html = client.get("/agenda/parc/premiere-rencontre-publique-aubres/").content.decode()
    head = html.split("</head>")[0]
    assert (
        '<link rel="alternate" type="text/calendar" href="/agenda/parc/premiere-rencontre-publique-aubres/ical/"'
        in head
    )
    (data,) = json_ld(html)
    assert data["@type"] == "Event"
    assert data["startDate"].endswith("-12-14")
    assert data["location"]["@type"] == "Place" and "Aubres" in data["location"]["name"]


@pytest.mark.parametrize(
    "url",
    [
        "/agenda/",
        "/agenda/?periode=passes",
        "/agenda/parc/",
        "/agenda/parc/premiere-rencontre-publique-aubres/",
        "/agenda/la-cigale-de-nyons/atelier-ptce-rencontres-solidaires/",
    ],
)
def test_demo_agenda_pages_render_in_both_languages(client, url):
    french = client.get(url)
    assert french.status_code == 200 and '<html lang="fr">' in french.content.decode()
    english = client.get("/en" + url)
    assert english.status_code == 200
    assert '<html lang="en">' in english.content.decode()


# --- directory (from tests/test_directory_page.py) ----------------------------------------------


def listed_titles(html):
    found = re.findall(r'<h2 class="entry-card__title"><a href="[^"]*">([^<]*)</a></h2>', html)
    return [html_lib.unescape(title) for title in found]


def test_demo_directory_lists_its_actors_and_places(client):
    titles = listed_titles(client.get("/annuaire/").content.decode())
    assert {"ASOFT", "Recyclerie La Fabrique", "Coworking de Serres"} <= set(titles)


def test_demo_places_offering_shared_offices(client):
    html = client.get("/annuaire/", {"type": "place", "service": "bureaux"}).content.decode()
    assert set(listed_titles(html)) == {"Coworking de Serres", "Tiers-lieu de Séderon"}
    assert re.search(
        r'name="service" value="bureaux" checked>\s*<label[^>]*>Bureaux partagés <span class="facet-count">\(2\)',
        html,
    )
    both = client.get("/annuaire/", {"service": ["bureaux", "visioconference"]}).content.decode()
    assert listed_titles(both) == ["Coworking de Serres"]


def test_demo_entries_nearest_serres_come_first(client):
    html = client.get("/annuaire/", {"near": "05166"}).content.decode()
    titles = listed_titles(html)
    assert titles[0] in {"Aventic", "Coworking de Serres"}
    assert titles.index("Coworking de Serres") < titles.index("La Cigale de Nyons")
    assert "à 0 km" in html


def test_demo_english_directory_lists_the_english_entries(client):
    titles = listed_titles(client.get("/en/annuaire/").content.decode())
    assert "Buis-les-Baronnies digital space" in titles
    assert "Espace numérique de Buis-les-Baronnies" not in titles


# --- dossiers (from tests/test_dossiers.py) -----------------------------------------------------


def test_demo_has_one_dossier_per_theme_in_both_languages():
    from dossiers.models import DossierPage

    for lang in ("fr", "en"):
        slugs = sorted(
            DossierPage.objects.live()
            .filter(locale__language_code=lang)
            .values_list("theme__slug", flat=True)
        )
        assert slugs == [
            "culture-numerique",
            "developpement-economique",
            "pratiques-collaboratives",
            "services-au-public",
        ]


def test_demo_dossier_index_presents_the_four_themes(client):
    html = client.get("/dossiers/").content.decode()
    for name in (
        "Développement économique",
        "Services au public",
        "Pratiques collaboratives",
        "Culture numérique",
    ):
        assert name in html
    html_en = client.get("/en/dossiers/").content.decode()
    assert "Digital culture" in html_en and "Culture numérique" not in html_en


def test_demo_dossier_shows_its_key_figures_faq_and_pictogram(client):
    from dossiers.models import DossierPage

    page = DossierPage.objects.get(
        theme__slug="pratiques-collaboratives", locale__language_code="fr"
    )
    html = client.get(page.url).content.decode()
    assert "<details" in html and "<summary>" in html
    assert "Chiffres clés" in html
    assert 'class="theme-badge__name">Pratiques collaboratives<' in html
    assert 'src="/static/img/themes/collaboration.svg" alt=""' in html


# --- home (from tests/test_rendering.py and tests/test_home.py) ---------------------------------


def test_demo_home_page_shows_the_network_purpose_in_each_language(client):
    assert "une trentaine" in client.get("/").content.decode()
    assert "about thirty local players" in client.get("/en/").content.decode()


def test_demo_home_shows_the_four_dossiers_in_each_language(client):
    html = client.get("/").content.decode()
    assert "tiers-lieux" in html
    assert "Culture numérique" in html and "Services au public" in html
    html_en = client.get("/en/").content.decode()
    assert "Digital culture" in html_en and "Culture numérique" not in html_en


def test_demo_about_page_breadcrumbs(client):
    html = client.get("/en/le-reseau/").content.decode()
    assert '<li><a href="/en/">Home</a></li>' in html
    assert '<span aria-current="page">The network</span>' in html


# --- the demo's legal pages (from tests/test_stats.py) ------------------------------------------


def test_demo_privacy_page_says_what_is_counted(client):
    html = client.get("/donnees-personnelles/").content.decode()
    assert "Ce que le site compte" in html and "Do Not Track" in html


# --- translations (from tests/test_english_pages_language.py) -----------------------------------


def test_demo_point_cyb_entry_is_an_english_alias_and_asoft_a_real_translation(client):
    html = client.get("/en/annuaire/point-cyb/").content.decode()
    notice = re.search(r'<p class="notice" role="note">(.*?)</p>', html, re.S).group(1)
    assert "not translated yet" in notice and 'href="/annuaire/point-cyb/"' in notice
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/en/annuaire/point-cyb/" not in sitemap
    assert "/en/annuaire/asoft/" in sitemap
    translated = client.get("/annuaire/asoft/").content.decode().split("</head>")[0]
    assert 'hreflang="en" href="http://testserver/en/annuaire/asoft/"' in translated


def test_demo_outdated_english_article_says_the_french_is_more_recent(client):
    html = client.get("/en/actualites/asoft/digital-help-sessions/").content.decode()
    notice = re.search(r'<p class="notice" role="note">(.*?)</p>', html, re.S).group(1)
    assert "original version (French) of this page was changed on" in notice
    assert 'href="/actualites/asoft/moderation-permanences-numeriques/"' in notice
    current = client.get(
        "/en/actualites/la-cigale-de-nyons/looking-back-rencontres-solidaires/"
    ).content.decode()
    assert 'class="notice"' not in current


# --- members and moderation (from tests/test_members_onboarding.py) ----------------------------


def test_demo_onboarding_reused_asofts_directory_entry():
    from wagtail.models import Page

    from directory.models import ActorPage
    from members.models import Organisation

    asoft = Organisation.objects.get(slug="asoft")
    assert asoft.actor_page.slug == "asoft"
    assert asoft.actor_page.get_parent().slug == "annuaire"
    assert ActorPage.objects.filter(slug="asoft", locale__language_code="fr").count() == 1
    assert (
        Page.objects.filter(slug="asoft", depth=asoft.actor_page.depth).count() == 6
    )  # 3 pages × fr, en


def test_demo_has_articles_in_every_moderation_state():
    from django.utils import timezone

    pages = {p.slug: p for p in ArticlePage.objects.filter(slug__startswith="moderation-")}
    assert pages["moderation-atelier-smartphone"].workflow_in_progress
    rejected = pages["moderation-atelier-tiers-lieux"]
    assert rejected.current_workflow_state.status == "needs_changes"
    assert pages["moderation-bilan-annuel"].go_live_at > timezone.now()
    assert not pages["moderation-bilan-annuel"].live
    assert pages["moderation-permanences-numeriques"].live


def test_demo_dashboards_show_the_moderation_states(client):
    client.login(username="parc", password="demo-baronnies")
    html = client.get("/admin/").content.decode()
    assert "En attente de modération" in html and "ASOFT" in html
    client.login(username="cigale", password="demo-baronnies")
    html = client.get("/admin/").content.decode()
    assert "Renvoyé pour corrections" in html
    assert "Pouvez-vous préciser" in html  # the moderator's comment
    assert "En attente de modération" not in html


@pytest.mark.parametrize("username", ["admin", "parc", "asoft", "cigale"])
def test_demo_accounts_can_log_in_to_the_admin(client, username):
    assert client.login(username=username, password="demo-baronnies")
    assert client.get("/admin/").status_code == 200


# --- directory search and duplicates (from tests/test_directory_search.py, tests/test_duplicates.py)


def directory_titles(querystring, language="fr"):
    from django.http import QueryDict
    from wagtail.models import Locale

    from directory.filters import DirectoryQuery

    query = DirectoryQuery.from_params(
        QueryDict(querystring), Locale.objects.get(language_code=language)
    )
    return [row.title for row in query.rows]


def test_demo_recyclerie_finds_la_fabrique_in_both_languages(client):
    assert "Recyclerie La Fabrique" in directory_titles("q=recyclerie")
    assert "Recyclerie La Fabrique" in directory_titles("q=reuse", language="en")
    assert "Recyclerie La Fabrique" not in directory_titles("q=reuse", language="fr")
    html = client.get("/annuaire/", {"q": "recyclerie"}).content.decode()
    assert "Recyclerie La Fabrique" in html and "ASOFT" not in html


def test_demo_digital_inclusion_actors_are_found_without_accents():
    from directory.models import ActorPage

    expected = set(
        ActorPage.objects.live()
        .filter(locale__language_code="fr", kind__slug="mediation-numerique")
        .values_list("title", flat=True)
    )
    assert expected >= {"ASOFT", "Aventic", "Point Cyb"}
    assert expected <= set(directory_titles("q=mediation+numerique"))


def test_demo_proposal_with_asofts_website_is_flagged_as_a_duplicate(client):
    from django.core.cache import cache

    from directory.commons.models import DuplicateFlag
    from directory.models import ActorPage
    from tests.test_directory_contributions import form_data

    cache.clear()
    asoft = ActorPage.objects.get(slug="asoft", locale__language_code="fr")
    client.post(
        "/annuaire/proposer/",
        form_data(
            entry_type="acteur",
            kind="acteur:association",
            title="Association Soft",
            website="http://www.asoft.example.org/accueil",
            commune="26220",
        ),
    )
    draft = ActorPage.objects.get(title="Association Soft")
    assert DuplicateFlag.objects.get(page_id=draft.pk).similar_to_id == asoft.pk


# --- iCalendar (from tests/test_agenda_icalendar.py) --------------------------------------------


def demo_calendar_events(client, url):
    from icalendar import Calendar

    response = client.get(url)
    assert response.status_code == 200
    return {
        str(event["SUMMARY"]): event
        for event in Calendar.from_ical(response.content).walk("VEVENT")
    }


def test_demo_public_meeting_is_in_both_calendars_as_an_all_day_event(client):
    from datetime import date

    assert "Première rencontre publique du réseau" in demo_calendar_events(client, "/agenda/ical/")
    english = demo_calendar_events(client, "/en/agenda/ical/")
    assert (
        "The network's first public meeting" in english
        and "Première rencontre publique du réseau" not in english
    )
    (vevent,) = demo_calendar_events(
        client, "/agenda/parc/premiere-rencontre-publique-aubres/ical/"
    ).values()
    start, end = vevent.decoded("DTSTART"), vevent.decoded("DTEND")
    assert type(start) is date and (start.month, start.day) == (12, 14)
    assert (end - start).days == 1
    assert "Aubres" in str(vevent["LOCATION"])


# --- the monthly meeting (from tests/test_agenda_recurrence.py) ---------------------------------


def test_the_demo_has_one_recurring_meeting_and_a_member_calendar_to_import():
    from pathlib import Path

    from django.conf import settings
    from icalendar import Calendar

    from events.models import EventPage
    from events.recurrence import MONTHLY_WEEKDAY
    from members.models import Organisation

    meetings = EventPage.objects.filter(title__istartswith="Réunion mensuelle")
    assert [page.slug for page in meetings] == [
        "reunion-mensuelle-du-reseau"
    ]  # the copies are gone
    meeting = meetings.get()
    assert meeting.live and meeting.is_recurring and meeting.repeat == MONTHLY_WEEKDAY
    assert meeting.capacity and meeting.registration_open
    english = EventPage.objects.get(
        translation_key=meeting.translation_key, locale__language_code="en"
    )
    assert english.is_recurring and english.live
    asoft = Organisation.objects.get(slug="asoft")
    assert asoft.calendar_url.endswith(f"{settings.STATIC_URL}demo/agenda-asoft.ics")
    demo_calendar = Calendar.from_ical(
        Path(settings.BASE_DIR, "assets/demo/agenda-asoft.ics").read_bytes()
    )
    assert len({str(event["UID"]) for event in demo_calendar.walk("VEVENT")}) >= 2


def test_demo_monthly_meeting_is_one_series_in_the_feed_and_on_its_page(client):
    from icalendar import Calendar

    cal = Calendar.from_ical(client.get("/agenda/ical/").content)
    series = [e for e in cal.walk("VEVENT") if str(e["SUMMARY"]) == "Réunion mensuelle du réseau"]
    assert len(series) == 1
    assert series[0]["RRULE"]["BYDAY"] == ["2TU"] and "EXDATE" in series[0]
    html = client.get("/agenda/parc/reunion-mensuelle-du-reseau/").content.decode()
    assert "Tous les deuxièmes mardis du mois, de 14 h à 16 h 30" in html
    english = client.get("/en/agenda/parc/reunion-mensuelle-du-reseau/").content.decode()
    assert "Every second Tuesday of the month, from 2 pm to 4:30 pm" in english


def test_demo_monthly_meeting_pages_stay_within_the_query_budget(client):
    from events.models import EventPage
    from tests.test_new_pages_query_budget import assert_within_budget

    meeting = EventPage.objects.live().get(
        slug="reunion-mensuelle-du-reseau", locale__language_code="fr"
    )
    next_one = meeting.upcoming_occurrences(1)[0]
    english = EventPage.objects.live().get(
        translation_key=meeting.translation_key, locale__language_code="en"
    )
    assert_within_budget(
        client,
        [
            meeting.url,
            f"{meeting.url}?date={next_one.local_start.date().isoformat()}",
            meeting.url + "ical/",
            english.url,
        ],
    )


# --- Point Cyb, the demo's untranslated entry (from tests/test_english_vocabularies.py) -----------


def card(html, href):
    """The listing card (an <li>) that links to ``href``."""
    start = html.index(f'href="{href}"')
    return html[html.rindex("<li", 0, start) : html.index("</li>", start)]


@pytest.mark.parametrize(
    "url", ["/en/annuaire/", "/en/dossiers/digital-culture/", "/en/dossiers/public-services/"]
)
def test_demo_point_cyb_inside_english_pages(client, url):
    from wagtail.models import Locale

    from members.models import Organisation

    french = Organisation.objects.get(slug="point-cyb").actor_page.specific
    en = Locale.objects.get(language_code="en")
    summary = html_lib.escape(french.summary)
    html = client.get(url).content.decode()
    entry = card(html, "/en/annuaire/point-cyb/")
    assert f'<p lang="fr">{summary}</p>' in entry
    kind = french.kind.get_translation(en)
    assert kind.name != french.kind.name
    assert french.kind.name not in entry
    if url == "/en/annuaire/":
        assert kind.name in entry


def test_demo_translation_report_and_asofts_dashboard_panel(client):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    client.force_login(User.objects.get(username="parc"))
    html = client.get("/admin/reports/traductions/").content.decode()
    assert 'data-translation-state="outdated"' in html and "Des permanences numériques" in html
    assert 'data-translation-state="missing"' in html
    assert "Retour sur les Rencontres Solidaires" not in html  # current
    only_outdated = client.get("/admin/reports/traductions/?etat=outdated").content.decode()
    assert 'data-translation-state="missing"' not in only_outdated
    assert client.get("/admin/reports/traductions/?etat=<script>").status_code == 200
    client.force_login(User.objects.get(username="asoft"))
    assert client.get("/admin/reports/traductions/").status_code in (302, 403)
    dashboard = client.get("/admin/").content.decode()
    panel = dashboard.split("ASOFT : traductions à faire")[1]
    assert 'data-translation-state="outdated"' in panel and "Des permanences numériques" in panel
    assert "Retour sur les Rencontres Solidaires" not in panel  # La Cigale's, and current


def test_demo_translations_by_members_have_each_state(client):
    from wagtail.models import Locale, Page

    from core.translation_status import CURRENT, OUTDATED, PENDING, statuses

    en = Locale.objects.get(language_code="en")
    found = {
        s.original.slug: s
        for s in statuses(
            Page.objects.filter(slug__startswith="moderation-", locale__language_code="fr"), en
        )
    }
    assert found["moderation-retour-rencontres-solidaires"].state == CURRENT
    assert found["moderation-permanences-numeriques"].state == OUTDATED
    assert found["moderation-cafe-numerique"].state == PENDING
    assert found["moderation-cafe-numerique"].in_moderation
    assert found["moderation-cafe-numerique"].translation.live is False


# --- the demo's about page, translated (from tests/test_languages.py) ----------------------------


def test_demo_about_page_is_translated_with_switcher_and_alternates(client):
    import re

    html = client.get("/le-reseau/").content.decode()
    switcher = html.split('class="lang-switcher"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', switcher) == [("/en/le-reseau/", "en")]
    assert '<link rel="alternate" hreflang="fr" href="http://testserver/le-reseau/">' in html
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/le-reseau/">' in html
    assert "not translated yet" not in client.get("/en/le-reseau/").content.decode()


# --- the demo's stale entry (from tests/test_directory_freshness.py) -----------------------------


def test_demo_has_one_stale_entry_flagged_in_the_report_and_the_explorer(admin_client):
    from directory.pages import DirectoryIndexPage

    html = admin_client.get("/admin/reports/fiches-a-actualiser/").content.decode()
    assert "Ensemble ici" in html  # demo entry published 14 months ago
    assert "Recyclerie La Fabrique" not in html
    index = DirectoryIndexPage.objects.get(locale__language_code="fr")
    assert admin_client.get(f"/admin/pages/{index.pk}/").content.decode().count("À actualiser") == 1
