"""Counting without personal data, and the figures shown to members and to the park."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from .models import PageStat

DEFAULT_PAGE_MODELS = (
    "directory.actorpage",
    "directory.placepage",
    "news.articlepage",
    "events.eventpage",
)


def tracked_models():
    return tuple(
        name.lower() for name in getattr(settings, "STATS_PAGE_MODELS", DEFAULT_PAGE_MODELS)
    )


def current_month():
    return timezone.localdate().replace(day=1)


def increment(page_id, kind, month=None):
    """Add one to (page, month, kind), atomically in the database: ``count = count + 1`` in an
    UPDATE, so that two app servers counting at once both count. The first count of a month
    inserts the row; if another server inserted it in between, the unique constraint refuses the
    second insert and the update is made instead."""
    month = month or current_month()
    rows = PageStat.objects.filter(page_id=page_id, month=month, kind=kind)
    if rows.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            PageStat.objects.create(page_id=page_id, month=month, kind=kind, count=1)
    except IntegrityError:
        rows.update(count=F("count") + 1)


def months_back(count=12, today=None):
    """The first days of the last ``count`` months, newest first."""
    month = (today or timezone.localdate()).replace(day=1)
    months = []
    for _ in range(count):
        months.append(month)
        month = (month.replace(day=1) - timezone.timedelta(days=1)).replace(day=1)
    return months


def organisation_roots(organisation):
    """{"entry"|"articles"|"events": [tree paths]}: the organisation's entry (with the places under
    it), news folder and events folder, in every language."""
    from wagtail.models import Page

    roots = {}
    for section, page in (
        ("entry", organisation.actor_page),
        ("articles", organisation.news_page),
        ("events", organisation.events_page),
    ):
        if page is not None:
            roots[section] = list(
                Page.objects.filter(translation_key=page.translation_key).values_list(
                    "path", flat=True
                )
            )
    return roots


def organisation_table(organisation, months=12):
    """Per month (newest first): views of the entry, of the articles, of the events, and followed
    website, phone and e-mail links (all its pages). One query."""
    roots = organisation_roots(organisation)
    wanted = months_back(months)
    rows = {
        month: {
            "month": month,
            "entry": 0,
            "articles": 0,
            "events": 0,
            "website": 0,
            "phone": 0,
            "email": 0,
        }
        for month in wanted
    }
    condition = Q(pk__in=[])
    for paths in roots.values():
        for path in paths:
            condition |= Q(page__path__startswith=path)
    stats = (
        PageStat.objects.filter(condition, month__gte=wanted[-1])
        .values_list("page__path", "month", "kind")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for path, month, kind, n in stats:
        row = rows.get(month)
        if row is None:
            continue
        if kind == PageStat.Kind.VIEW:
            section = next(
                (name for name, paths in roots.items() if any(path.startswith(p) for p in paths)),
                None,
            )
            if section:
                row[section] += n
        else:
            row[kind] += n
    return [rows[month] for month in wanted]


def park_totals(months=12):
    """Per month (newest first): totals of every kind on the whole site. One query."""
    wanted = months_back(months)
    rows = {
        month: {"month": month, **{kind: 0 for kind in PageStat.Kind.values}} for month in wanted
    }
    for month, kind, n in (
        PageStat.objects.filter(month__gte=wanted[-1])
        .values_list("month", "kind")
        .annotate(n=Sum("count"))
        .order_by()
    ):
        if month in rows:
            rows[month][kind] = n
    return [rows[month] for month in wanted]


def top_pages(months=12, limit=20):
    """The most viewed pages over the last ``months`` months, with their link counts. One query."""
    from django.db.models import Case, IntegerField, When

    since = months_back(months)[-1]

    def total(kind):
        return Sum(Case(When(kind=kind, then="count"), default=0, output_field=IntegerField()))

    return list(
        PageStat.objects.filter(month__gte=since)
        .values("page_id", "page__title", "page__url_path")
        .annotate(
            views=total("view"),
            website=total("website"),
            phone=total("phone"),
            email=total("email"),
        )
        .order_by("-views", "page__title")[:limit]
    )
