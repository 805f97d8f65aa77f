"""Does a new entry look like an existing one? Same SIRET (from an import's pivot), same website
domain, or a similar name in the same commune: trigram similarity of the unaccented, lower-cased
names on PostgreSQL (``pg_trgm``), equality or inclusion of normalised names on SQLite."""

import re
import unicodedata
from urllib.parse import urlsplit

from django.apps import apps
from django.db import connection
from django.db.models.functions import Lower

from core.db import Unaccent

NAME_SIMILARITY = 0.45
STOP_WORDS = {
    "le",
    "la",
    "les",
    "l",
    "de",
    "du",
    "des",
    "d",
    "et",
    "a",
    "au",
    "aux",
    "en",
    "the",
    "of",
}
UNKNOWN_PIVOTS = {"", "00000000000000"}


def normalise_name(text):
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().casefold()
    words = [word for word in re.split(r"[^a-z0-9]+", text) if word and word not in STOP_WORDS]
    return " ".join(words)


def domain(url):
    if not url:
        return ""
    try:
        host = urlsplit(url if "://" in url else f"https://{url}").hostname or ""
    except ValueError:
        return ""
    host = host.lower()
    return host[4:] if host.startswith("www.") else host


def find_similar(*, title, commune_id=None, website="", pivot="", locale_id=None, exclude_ids=()):
    """[(page, reason)…] of existing entries (published or not) that look like the described one;
    one entry appears once, with the strongest reason (SIRET, then website, then name)."""
    from .models import DuplicateFlag, ExternalIdentity

    # This app does not import the directory (which imports it): the entry model is read from
    # the registry, as its models point to wagtailcore.Page.
    DirectoryEntry = apps.get_model("directory", "DirectoryEntry")  # noqa: N806

    found = {}

    def add(page, reason):
        if page.pk not in found and page.pk not in exclude_ids:
            found[page.pk] = (page, reason)

    def entries():
        qs = DirectoryEntry.objects.all()
        if locale_id is not None:
            qs = qs.filter(locale_id=locale_id)
        return qs.exclude(pk__in=list(exclude_ids)).only(
            "pk", "title", "url_path", "website", "commune_id", "live"
        )

    if pivot and pivot not in UNKNOWN_PIVOTS:
        ids = list(ExternalIdentity.objects.filter(pivot=pivot).values_list("page_id", flat=True))
        for page in entries().filter(pk__in=ids):
            add(page, DuplicateFlag.Reason.SIRET)
    site = domain(website)
    if site:
        for page in entries().filter(website__icontains=site):
            if domain(page.website) == site:
                add(page, DuplicateFlag.Reason.WEBSITE)
    name = normalise_name(title)
    if commune_id and name:
        candidates = entries().filter(commune_id=commune_id)
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import TrigramSimilarity

            candidates = candidates.annotate(
                similarity=TrigramSimilarity(Unaccent(Lower("title")), " ".join(name.split()))
            ).filter(similarity__gte=NAME_SIMILARITY)
            for page in candidates:
                add(page, DuplicateFlag.Reason.NAME)
        else:
            for page in candidates:
                other = normalise_name(page.title)
                if other and (
                    other == name or f" {name} " in f" {other} " or f" {other} " in f" {name} "
                ):
                    add(page, DuplicateFlag.Reason.NAME)
    return list(found.values())


def flag_duplicates(page, pivot=""):
    """Record the entries that the new ``page`` resembles; returns the flags."""
    from .models import DuplicateFlag

    similar = find_similar(
        title=page.title,
        commune_id=page.commune_id,
        website=page.website,
        pivot=pivot,
        locale_id=page.locale_id,
        exclude_ids={page.pk},
    )
    return [
        DuplicateFlag.objects.get_or_create(
            page_id=page.pk, similar_to_id=other.pk, defaults={"reason": reason}
        )[0]
        for other, reason in similar
    ]


def duplicate_warning(flags):
    """The paragraph of the moderators' e-mail about possible duplicates ("" when none)."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils.translation import gettext as _

    if not flags:
        return ""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    lines = [
        _(
            "Attention, doublon possible : cette proposition ressemble à une entrée existante (%(reason)s) : « %(title)s », %(url)s"
        )
        % {
            "reason": flag.get_reason_display(),
            "title": flag.similar_to.title,
            "url": base + reverse("wagtailadmin_pages:edit", args=[flag.similar_to_id]),
        }
        for flag in flags
    ]
    return "\n" + "\n".join(lines) + "\n"
