"""Every page that the agenda and subscription work added stays within 20 SQL queries.

Measured as the project measures its other pages (tests/test_dossiers.py, tests/test_home.py):
one request warms the site frame (menus, settings, renditions, kept in the cache and dropped
when they change), the second is counted. The page cache is off in the tests
(config/settings/test.py), so the counted request renders the page in full.
"""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from events.models import EventPage
from events.recurrence import MONTHLY_WEEKDAY
from subscriptions import tokens
from subscriptions.models import Subscriber

from .editorial import add_event, new_organisation, theme
from .factories import EventPageFactory, translation
from .query_counts import second_view_queries

pytestmark = pytest.mark.django_db
BUDGET = 20


def assert_within_budget(client, urls, expected=200):
    counts = {url: second_view_queries(client, url, expected=expected) for url in urls}
    over = {url: count for url, count in counts.items() if count > BUDGET}
    assert not over, f"more than {BUDGET} queries: {over}"
    return counts


def path_of(url):
    return urlsplit(url).path


@pytest.fixture
def content():
    from directory.models import Commune

    organisation = new_organisation()
    nyons = Commune.objects.get(name="Nyons")
    soon = timezone.now() + timedelta(days=5)
    single = add_event(
        organisation.events_page,
        "Atelier avec inscription",
        soon,
        soon + timedelta(hours=2),
        commune=nyons,
        registration_open=True,
        capacity=10,
        themes=[theme("culture-numerique"), theme("services-au-public")],
    )
    series = add_event(
        organisation.events_page,
        "Permanence avec inscription",
        soon,
        soon + timedelta(hours=2),
        online_url="https://visio.example.org/",
        repeat=MONTHLY_WEEKDAY,
        repeat_count=12,
        registration_open=True,
        capacity=5,
        themes=[theme("culture-numerique")],
    )
    return organisation, nyons, single, series


def test_a_recurring_meeting_page_and_its_translation(client):
    first = timezone.now() + timedelta(days=7)
    meeting = EventPageFactory(
        start=first,
        end=first + timedelta(hours=2),
        repeat=MONTHLY_WEEKDAY,
        registration_open=True,
        capacity=25,
    )
    translation(meeting, title="A monthly meeting")
    assert meeting.is_recurring
    next_one = meeting.upcoming_occurrences(1)[0]
    urls = [
        meeting.url,
        f"{meeting.url}?date={next_one.local_start.date().isoformat()}",
        meeting.url + "ical/",
    ]
    english = (
        EventPage.objects.live()
        .filter(translation_key=meeting.translation_key, locale__language_code="en")
        .first()
    )
    if english is not None:
        urls.append(english.url)
    assert_within_budget(client, urls)


def test_event_pages_with_their_registration_form(client, content):
    _, _, single, series = content
    assert 'name="email"' in client.get(single.url).content.decode()
    assert 'name="occurrence"' in client.get(series.url).content.decode()
    second = series.upcoming_occurrences(2)[1]
    assert_within_budget(
        client,
        [single.url, series.url, f"{series.url}?date={second.local_start.date().isoformat()}"],
    )


def test_filtered_agenda_pages_and_their_feeds(client, content):
    organisation, nyons, _, _ = content
    queries_ = [
        "theme=culture-numerique",
        f"organisation={organisation.slug}",
        f"commune={nyons.insee}",
        "mode=en-ligne",
        "mode=sur-place",
        f"organisation={organisation.slug}&theme=services-au-public&mode=sur-place",
    ]
    pages = [f"/agenda/?{query}" for query in queries_] + [
        f"/en/agenda/?{query}" for query in queries_[:2]
    ]
    pages.append("/agenda/?theme=inconnu")  # an unknown value: a notice, not an error
    assert_within_budget(client, pages)
    feeds = [f"/agenda/ical/?{query}" for query in queries_] + [f"/en/agenda/ical/?{queries_[0]}"]
    assert_within_budget(client, feeds)


def test_subscription_pages_in_both_languages(client):
    pending = Subscriber.objects.create(email="budget@example.org")
    active = Subscriber.objects.create(
        email="actif@example.org", status=Subscriber.Status.ACTIVE, last_digest_at=timezone.now()
    )
    english = Subscriber.objects.create(
        email="english@example.org",
        status=Subscriber.Status.ACTIVE,
        language="en",
        last_digest_at=timezone.now(),
    )
    assert_within_budget(
        client,
        [
            "/abonnement/",
            "/en/abonnement/",
            "/abonnement/?merci=1",
            "/en/abonnement/?merci=1",
            path_of(tokens.confirm_url(pending)),
            path_of(tokens.preferences_url(active)),
            path_of(tokens.preferences_url(english)),
            path_of(tokens.unsubscribe_url(active)),
            path_of(tokens.unsubscribe_url(english)),
        ],
    )
