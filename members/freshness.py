"""How fresh an organisation's directory entry is: stale after 12 months without publication."""

from datetime import timedelta

from django.utils import timezone

STALE_AFTER = timedelta(days=365)


def entry_last_published(organisation):
    page = organisation.actor_page
    return page.last_published_at if page is not None else None


def entry_is_stale(organisation, now=None):
    published = entry_last_published(organisation)
    return published is None or published < (now or timezone.now()) - STALE_AFTER
