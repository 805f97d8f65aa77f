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


def reminded_entry_ids():
    """Ids of the directory entries whose organisation's editors get the monthly reminder
    (``send_freshness_reminders``): active organisations with an editor who has an e-mail."""
    from members.models import Organisation

    return set(
        Organisation.objects.filter(
            is_active=True,
            actor_page__isnull=False,
            group__user__is_active=True,
        )
        .exclude(group__user__email="")
        .values_list("actor_page_id", flat=True)
    )
