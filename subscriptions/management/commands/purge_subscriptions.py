"""Delete the addresses we no longer have a reason to keep (run daily by the worker or a timer).

- never confirmed, SUBSCRIPTIONS_PENDING_DAYS (30) days after subscribing;
- unsubscribed, bounced or complained, SUBSCRIPTIONS_UNSUBSCRIBED_DAYS (30) days after leaving.
Their send log goes with them.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from subscriptions.models import Subscriber
from subscriptions.views import retention_days


def purge(now=None):
    now = now or timezone.now()
    days = retention_days()
    gone = [Subscriber.Status.UNSUBSCRIBED, Subscriber.Status.BOUNCED, Subscriber.Status.COMPLAINED]
    stale = Subscriber.objects.filter(
        Q(status=Subscriber.Status.PENDING, created_at__lt=now - timedelta(days=days["pending"]))
        | Q(status__in=gone, unsubscribed_at__lt=now - timedelta(days=days["unsubscribed"]))
        | Q(
            status__in=gone,
            unsubscribed_at__isnull=True,
            created_at__lt=now - timedelta(days=days["unsubscribed"]),
        )
    )
    count = stale.count()
    stale.delete()
    return count


class Command(BaseCommand):
    help = "Efface les adresses non confirmées ou désabonnées après le délai de conservation."

    def handle(self, *args, **options):
        count = purge()
        self.stdout.write(f"{count} adresse(s) effacée(s).")
