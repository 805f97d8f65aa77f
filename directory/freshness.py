"""Freshness: entries not published for 12 months are "stale". Staff see them flagged in the
page explorer (a listing button) and listed in a report (Rapports → Fiches à actualiser)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.reports.aging_pages import AgingPagesView

STALE_AFTER = timedelta(days=365)


def stale_cutoff():
    return timezone.now() - STALE_AFTER


def is_stale(page):
    return bool(page.live and page.last_published_at and page.last_published_at < stale_cutoff())


class StaleEntriesView(AgingPagesView):
    """Live directory entries last published more than 12 months ago, oldest first."""

    page_title = _("Fiches de l'annuaire à actualiser")
    header_icon = "time"
    index_url_name = "directory_stale_entries"
    index_results_url_name = "directory_stale_entries_results"

    def get_queryset(self):
        from .commons.models import EntryVerification
        from .models import DirectoryEntry

        confirmed = EntryVerification.objects.filter(verified_at__gte=stale_cutoff()).values(
            "page_id"
        )
        return (
            super()
            .get_queryset()
            .type(DirectoryEntry)
            .filter(live=True, last_published_at__lt=stale_cutoff())
            .exclude(pk__in=confirmed)
        )
