"""Forget the zero-result searches not seen for a while (deploy/baronnies-prune-zero-result-queries)."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from search.models import ZeroResultQuery


class Command(BaseCommand):
    help = (
        "Delete the zero-result searches last seen more than ZERO_RESULT_QUERY_MAX_AGE_DAYS ago "
        "(180 by default). Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="age in days (overrides the setting)")

    def handle(self, *args, days=None, **options):
        days = days if days is not None else settings.ZERO_RESULT_QUERY_MAX_AGE_DAYS
        if days < 1:
            raise CommandError("--days must be at least 1.")
        limit = timezone.now() - timedelta(days=days)
        deleted, _ = ZeroResultQuery.objects.filter(last_seen__lt=limit).delete()
        self.stdout.write(f"{deleted} zero-result search(es) older than {days} days deleted.")
