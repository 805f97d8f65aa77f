"""The digest: what was published for a subscriber since its last digest, and how it is sent.

Periods end at a fixed boundary in Paris time: Monday 00:00 for the weekly digest, the first of
the month 00:00 for the monthly one. A subscriber is due when its ``last_digest_at`` is before the
latest boundary; its digest covers ``(last_digest_at, boundary]``.

Matching: the subscriber's language; news and/or agenda; then, for each of themes, organisations
and communes that the subscriber narrowed, at least one must match (an empty choice matches all).
An article's commune is the commune of its organisation's directory entry; an event's is its own
(or its place's). Events already over at the end of the period are left out.

The send log (``Digest``): for each subscriber, one transaction moves ``last_digest_at`` to the
boundary (only if nobody did it meanwhile) and writes a ``sending`` row; then the message is handed
to the e-mail backend; then the row becomes ``sent`` or ``failed``. A crash between the two leaves a
``sending`` row and a moved ``last_digest_at``: the next run does not send that digest again.
"""

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import islice
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import tokens
from .bounces import record_bounce
from .mail import build_message
from .models import Digest, Subscriber

logger = logging.getLogger(__name__)


def period_end(frequency, now=None):
    """The latest period boundary at or before ``now`` (aware datetime)."""
    local = timezone.localtime(now or timezone.now(), ZoneInfo(settings.TIME_ZONE))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if frequency == Subscriber.Frequency.MONTHLY:
        start = midnight.replace(day=1)
    else:
        start = midnight - timedelta(days=local.weekday())
    # Rebuild from the wall-clock date so that a boundary across a DST change stays at midnight.
    return start.replace(tzinfo=None).replace(tzinfo=ZoneInfo(settings.TIME_ZONE))


@dataclass
class DigestContent:
    articles: list = field(default_factory=list)
    events: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.articles or self.events)


def _page_url(page):
    _site_id, _root, path = page.get_url_parts()
    return tokens.base_url() + (path or "")


def content_for(subscriber, since, until):
    """The live articles and events published in ``(since, until]`` that match the subscription."""
    from events.models import EventPage
    from news.models import ArticlePage

    language = subscriber.language
    theme_keys = subscriber.theme_keys
    organisation_ids = subscriber.organisation_ids
    commune_ids = subscriber.commune_ids
    window = {"first_published_at__gt": since, "first_published_at__lte": until}
    content = DigestContent()
    if subscriber.news:
        articles = (
            ArticlePage.objects.live().public().filter(locale__language_code=language, **window)
        )
        if theme_keys:
            articles = articles.filter(themes__translation_key__in=theme_keys)
        if organisation_ids:
            articles = articles.filter(organisation_id__in=organisation_ids)
        if commune_ids:
            articles = articles.filter(organisation__actor_page__commune_id__in=commune_ids)
        content.articles = list(
            articles.distinct()
            .defer_streamfields()
            .select_related("organisation")
            .order_by("-first_published_at")
        )
    if subscriber.events:
        events = (
            EventPage.objects.live()
            .public()
            .filter(locale__language_code=language, end__gte=until, **window)
        )
        if theme_keys:
            events = events.filter(themes__translation_key__in=theme_keys)
        if organisation_ids:
            events = events.filter(organisers__in=organisation_ids)
        if commune_ids:
            events = events.filter(
                Q(commune_id__in=commune_ids) | Q(place__commune_id__in=commune_ids)
            )
        content.events = list(
            events.distinct()
            .defer_streamfields()
            .select_related("commune", "place", "place__commune")
            .order_by("start")
        )
    for page in [*content.articles, *content.events]:
        page.digest_url = _page_url(page)
    return content


def subject_for(subscriber, content, until):
    with translation.override(subscriber.language):
        count = len(content.articles) + len(content.events)
        if subscriber.frequency == Subscriber.Frequency.MONTHLY:
            period = formats.date_format(until - timedelta(days=1), "F Y")
        else:
            period = formats.date_format(until - timedelta(days=7), "j F")
        return ngettext(
            "La lettre d'Innover en Baronnies (%(period)s) : %(count)s nouveauté",
            "La lettre d'Innover en Baronnies (%(period)s) : %(count)s nouveautés",
            count,
        ) % {"period": period, "count": count}


def render_digest(subscriber, content, since, until, connection=None):
    return build_message(
        subscriber,
        subject_for(subscriber, content, until),
        "digest",
        {"content": content, "since": since, "until": until},
        connection=connection,
    )


def claim(subscriber, since, until, content):
    """Write the ``sending`` log row and move ``last_digest_at``, or None if already done."""
    with transaction.atomic():
        moved = Subscriber.objects.filter(
            pk=subscriber.pk, status=Subscriber.Status.ACTIVE, last_digest_at=since
        ).update(last_digest_at=until)
        if not moved or Digest.objects.filter(subscriber=subscriber, period_end=until).exists():
            return None
        return Digest.objects.create(
            subscriber=subscriber,
            period_start=since,
            period_end=until,
            articles_count=len(content.articles),
            events_count=len(content.events),
        )


def _batched(items, size):
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def due_subscribers(frequency, until):
    return Subscriber.objects.filter(
        status=Subscriber.Status.ACTIVE, frequency=frequency, last_digest_at__lt=until
    ).order_by("pk")


def send_digests(now=None, dry_run=False, batch_size=None, log=None):
    """Send every due digest; returns counts. ``log`` receives one line per subscriber."""
    batch_size = batch_size or getattr(settings, "SUBSCRIPTIONS_BATCH_SIZE", 100)
    log = log or (lambda line: None)
    stats = {"sent": 0, "empty": 0, "failed": 0, "skipped": 0, "would_send": 0}
    for frequency in Subscriber.Frequency.values:
        until = period_end(frequency, now)
        ids = list(due_subscribers(frequency, until).values_list("pk", flat=True))
        for chunk in _batched(ids, batch_size):
            subscribers = (
                Subscriber.objects.filter(pk__in=chunk)
                .prefetch_related("themes", "organisations", "communes")
                .order_by("pk")
            )
            connection = None if dry_run else get_connection()
            try:
                for subscriber in subscribers:
                    _send_one(subscriber, until, dry_run, connection, stats, log)
            finally:
                if connection is not None:
                    connection.close()
    return stats


def _send_one(subscriber, until, dry_run, connection, stats, log):
    since = subscriber.last_digest_at
    content = content_for(subscriber, since, until)
    if not content:
        stats["empty"] += 1
        log(f"{subscriber.email}: rien de nouveau")
        if not dry_run:  # nothing to say: the next digest starts from this boundary
            Subscriber.objects.filter(pk=subscriber.pk, last_digest_at=since).update(
                last_digest_at=until
            )
        return
    summary = f"{len(content.articles)} article(s), {len(content.events)} événement(s)"
    if dry_run:
        stats["would_send"] += 1
        log(f"{subscriber.email}: enverrait {summary}")
        return
    digest = claim(subscriber, since, until, content)
    if digest is None:
        stats["skipped"] += 1
        log(f"{subscriber.email}: déjà traité")
        return
    message = render_digest(subscriber, content, since, until, connection=connection)
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as exc:
        _failed(digest, exc, stats, log)
        record_bounce(subscriber.email, "bounced")
    except (smtplib.SMTPException, OSError) as exc:
        _failed(digest, exc, stats, log)
    else:
        digest.status = Digest.Status.SENT
        digest.sent_at = timezone.now()
        digest.save(update_fields=["status", "sent_at"])
        stats["sent"] += 1
        log(f"{subscriber.email}: envoyée ({summary})")


def _failed(digest, exc, stats, log):
    digest.status = Digest.Status.FAILED
    digest.error = str(exc)[:1000]
    digest.save(update_fields=["status", "error"])
    stats["failed"] += 1
    logger.warning("Digest %s failed: %s", digest.pk, exc)
    log(f"{digest.subscriber.email}: échec ({exc})")


def preview(subscriber, now=None):
    """The digest this subscriber would get if the period ended now (for the admin)."""
    now = now or timezone.now()
    since = subscriber.last_digest_at or subscriber.confirmed_at or subscriber.created_at
    content = content_for(subscriber, since, now)
    return content, render_digest(subscriber, content, since, now)


def describe_period(subscriber, since, until):
    with translation.override(subscriber.language):
        return _("du %(since)s au %(until)s") % {
            "since": formats.date_format(timezone.localtime(since), "j F Y"),
            "until": formats.date_format(timezone.localtime(until), "j F Y"),
        }
