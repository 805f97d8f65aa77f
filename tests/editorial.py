"""Helpers for the news and agenda tests: build folders, articles and events in the demo tree."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from wagtail.models import Locale

from events.models import EventIndexPage, EventPage, OrganisationEventsPage
from members.models import Organisation
from news.models import ArticlePage, NewsIndexPage, OrganisationNewsPage
from taxonomy.models import Theme

PARIS = ZoneInfo("Europe/Paris")


def fr():
    return Locale.objects.get(language_code="fr")


def news_index(language="fr"):
    return NewsIndexPage.objects.get(locale__language_code=language)


def event_index(language="fr"):
    return EventIndexPage.objects.get(locale__language_code=language)


def theme(slug, language="fr"):
    return Theme.objects.get(slug=slug, locale__language_code=language)


def new_organisation(slug="test-org", name="Organisation de test"):
    """An organisation with its own news and events folders (French tree)."""
    news_folder = OrganisationNewsPage(title=name, slug=slug)
    news_index().add_child(instance=news_folder)
    news_folder.save_revision().publish()
    events_folder = OrganisationEventsPage(title=name, slug=slug)
    event_index().add_child(instance=events_folder)
    events_folder.save_revision().publish()
    return Organisation.objects.create(
        slug=slug, name=name, news_page=news_folder, events_page=events_folder
    )


def publish(page, published_at=None):
    page.save_revision().publish()
    if published_at is not None:
        type(page).objects.filter(pk=page.pk).update(first_published_at=published_at)
        page.refresh_from_db()
    return page


def add_article(folder, title, *, themes=(), days_ago=0, cover_image=None, **fields):
    article = ArticlePage(
        title=title,
        lead=fields.pop("lead", f"Chapô de « {title} »."),
        body=fields.pop("body", [("paragraph", "<p>Un paragraphe.</p>")]),
        cover_image=cover_image,
        themes=list(themes),
        **fields,
    )
    folder.add_child(instance=article)
    return publish(article, timezone.now() - timedelta(days=days_ago))


def paris(year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def add_event(folder, title, start, end, **fields):
    event = EventPage(
        title=title,
        lead=fields.pop("lead", f"À propos de « {title} »."),
        start=start,
        end=end,
        **fields,
    )
    folder.add_child(instance=event)
    return publish(event)
