"""Bounces and complaints, recorded when the e-mail backend reports them.

- With Django's SMTP backend, a recipient refused at sending time (``SMTPRecipientsRefused``)
  counts as a bounce (digest.py).
- With django-anymail (optional: Brevo, Mailjet, Scaleway…), its ``tracking`` signal reports
  bounces, complaints and unsubscriptions received on anymail's webhook URL; this module listens
  to it when anymail is installed (see docs/news-and-agenda.md).

A hard bounce or a rejection stops the digests at once (``bounced``); a complaint too
(``complained``); an address keeps its row until ``purge_subscriptions`` deletes it.
"""

import logging

from django.utils import timezone

logger = logging.getLogger(__name__)

HARD = {"bounced", "rejected"}


def record_bounce(email, event_type):
    """Record what the backend said about this address; returns the subscriber, or None."""
    from .models import Subscriber

    subscriber = Subscriber.objects.filter(email__iexact=(email or "").strip()).first()
    if subscriber is None:
        return None
    now = timezone.now()
    fields = []
    if event_type in HARD or event_type == "complained":
        subscriber.bounce_count += 1
        subscriber.last_bounce_at = now
        fields += ["bounce_count", "last_bounce_at"]
    if event_type in HARD and subscriber.status == Subscriber.Status.ACTIVE:
        subscriber.status = Subscriber.Status.BOUNCED
        subscriber.unsubscribed_at = now
        fields += ["status", "unsubscribed_at"]
    elif event_type == "complained":
        subscriber.status = Subscriber.Status.COMPLAINED
        subscriber.unsubscribed_at = now
        fields += ["status", "unsubscribed_at"]
    elif event_type == "unsubscribed" and subscriber.status == Subscriber.Status.ACTIVE:
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = now
        fields += ["status", "unsubscribed_at"]
    if fields:
        subscriber.save(update_fields=fields)
        logger.info("Subscriber %s: %s reported by the e-mail backend", subscriber.pk, event_type)
    return subscriber


def anymail_tracking(sender, event, esp_name, **kwargs):
    """Receiver for ``anymail.signals.tracking``."""
    if event.event_type in {"bounced", "rejected", "complained", "unsubscribed"}:
        record_bounce(event.recipient, event.event_type)
