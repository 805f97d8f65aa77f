"""Open data: one reading of the directory shared by the JSON API, the exports and the import.

- Filtering is the directory page's own (``directory.filters.DirectoryQuery``), same parameters;
  ``directory_query`` refuses what the page would silently ignore. ``load_entries`` fetches the
  specific pages with every relation in a fixed number of queries, from one DirectoryEntry queryset.
- ``entry_row`` flattens an entry into the documented column set (docs/directory-open-data.md),
  written by the CSV export, used as GeoJSON properties, and read back by ``import_directory``.

Only published content is ever read here; contributors' private e-mails live in another table.
"""

import csv
import html
import io
import json

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch, prefetch_related_objects
from wagtail.models import Locale, Page

from core.db import IntArray

from .commons.freshness import attach_verified_at, updated_at
from .commons.national_import import SHOWN_EXTRAS, attach_identities, other_values
from .filters import DirectoryQuery
from .models import ActorPage, DirectoryEntry, PlacePage, specific_entries

SEPARATOR = "|"
LICENCE_NAME = "Licence Ouverte 2.0 (Etalab-2.0)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"

# The documented column set of the CSV export (and of GeoJSON properties). Order matters.
COLUMNS = [
    "uuid",  # stable key: the entry's Wagtail translation key, shared by its translations
    "type",  # acteur | lieu
    "langue",  # fr | en
    "nom",
    "slug",
    "parent",  # uuid of the actor a place sits under, else empty
    "resume",
    "description",  # rich text, Wagtail's stored HTML
    "type_structure",  # slug of the actor kind or place kind
    "themes",  # slugs separated by |
    "secteurs",
    "services",  # places only
    "commune_insee",
    "commune",  # name, for reading only (import uses commune_insee)
    "adresse",
    "latitude",  # the entry's own coordinates; empty when it is mapped at its commune
    "longitude",
    "telephone",
    "courriel",
    "site_web",
    "membre",  # actors: oui | non
    "mastodon",
    "facebook",
    "linkedin",
    "horaires",  # places: OpenStreetMap opening_hours
    "tarifs",
    "acces_fauteuil",  # yes | limited | no | empty
    "capacite",
    "structures",  # places: uuids of the actors that run it, separated by |
    "url",  # public address, for reading only
    "mis_a_jour",  # ISO date of the last publication (or of the contact's check), for reading only
    "source",  # where the data came from: a national dataset for imported entries, else this site
    "source_mis_a_jour",  # ISO date of the source's last update (imported entries), for reading only
]
READ_ONLY_COLUMNS = {"commune", "url", "mis_a_jour", "source", "source_mis_a_jour"}

FILTER_PARAMS = (
    "q",
    "type",
    "kind",
    "theme",
    "service",
    "commune",
    "department",
    "sort",
    "near",
    "lat",
    "lon",
)

TYPE_ACTOR = "acteur"
TYPE_PLACE = "lieu"


class FilterError(ValueError):
    """Query-string values that the directory page would ignore (unknown, malformed)."""


def directory_query(params, locale):
    """The directory page's own ``DirectoryQuery`` for ``params``; FilterError on any bad value.

    The page drops bad values with a message; an export or an API answer must not silently
    deliver another set than the one asked for, so here they are refused.
    """
    query = DirectoryQuery.from_params(params, locale)
    if query.messages:
        raise FilterError(" ".join(str(m) for m in query.messages))
    return query


def get_locale(language_code=None):
    """The Locale for a language code (kept in the cache: locales are made once, by migration)."""
    code = language_code or settings.LANGUAGE_CODE
    return cache.get_or_set(
        f"directory:locale:{code}", lambda: Locale.objects.get(language_code=code), 3600
    )


def entry_ids(query):
    """Page ids of the query's results, in the directory page's order."""
    return [row.pk for row in query.rows]


def related(entry, name):
    """The entry's linked objects for ``name`` (themes, sectors, services, operators), in their
    model's order (prefetched by ``load_entries``)."""
    return list(getattr(entry, name).all())


def load_entries(page_ids):
    """Specific entries (ActorPage, PlacePage) for ``page_ids`` (a list, kept in order, or a
    queryset of pks), read from one DirectoryEntry queryset with every relation: one query for the
    entries, one per relation."""
    if isinstance(page_ids, list | tuple):
        entries = DirectoryEntry.objects.filter(
            id__any_of=IntArray(page_ids)
        )  # one array parameter
    else:
        entries = DirectoryEntry.objects.filter(pk__in=page_ids)
    entries = specific_entries(
        entries.select_related("commune", "locale", "actorpage__kind", "placepage__kind")
    )
    prefetch_related_objects(entries, "themes", "sectors")
    prefetch_related_objects(
        [entry for entry in entries if isinstance(entry, PlacePage)],
        "services",
        Prefetch("operators", queryset=ActorPage.objects.only("id", "translation_key", "title")),
    )
    _attach_parent_keys(entries)
    attach_verified_at(entries)
    attach_identities(entries)
    if isinstance(page_ids, list | tuple):
        position = {pk: i for i, pk in enumerate(page_ids)}
        entries.sort(key=lambda e: position.get(e.pk, 0))
    else:
        entries.sort(key=lambda e: (not isinstance(e, ActorPage), e.title.lower(), e.pk))
    return entries


def _attach_parent_keys(entries):
    """Set ``parent_uuid`` on places that sit under an actor (one query for all)."""
    parent_paths = {e.path[: -Page.steplen] for e in entries if isinstance(e, PlacePage)}
    keys = (
        dict(ActorPage.objects.filter(path__in=parent_paths).values_list("path", "translation_key"))
        if parent_paths
        else {}
    )
    for entry in entries:
        key = keys.get(entry.path[: -Page.steplen]) if isinstance(entry, PlacePage) else None
        entry.parent_uuid = str(key) if key else ""


def entry_point(entry):
    """(longitude, latitude) of the entry, or of its commune, or None (GeoJSON order)."""
    point = entry.point
    return (point[1], point[0]) if point else None


def _number(value):
    return "" if value is None else repr(float(value))


def _slugs(items):
    return SEPARATOR.join(sorted(item.slug for item in items))


def entry_url(entry, request=None, bases=None):
    """The entry's full URL. Wagtail's ``get_full_url`` reverses a URL per page, which dominates
    large exports: with ``bases`` (a dict kept for one export) the site-and-language prefix is
    computed once per home page (first segment of ``url_path``) and reused, which gives the same
    result for every page under that home page."""
    if bases is None:
        return entry.get_full_url(request=request) or ""
    root = entry.url_path.split("/")[1] if entry.url_path.count("/") > 1 else ""
    if root not in bases:
        full = entry.get_full_url(request=request) or ""
        tail = entry.url_path[len(root) + 1 :]
        bases[root] = full[: -len(tail)] if full.endswith(tail) else None
        return full
    base = bases[root]
    if base is None:
        return entry.get_full_url(request=request) or ""
    return base + entry.url_path[len(root) + 1 :]


def entry_row(entry, request=None, bases=None):
    """The entry as a flat dict of strings, keyed by ``COLUMNS`` (``bases``: see ``entry_url``)."""
    is_place = isinstance(entry, PlacePage)
    updated = updated_at(entry)
    row = {
        "uuid": str(entry.translation_key),
        "type": TYPE_PLACE if is_place else TYPE_ACTOR,
        "langue": entry.locale.language_code,
        "nom": entry.title,
        "slug": entry.slug,
        "parent": getattr(entry, "parent_uuid", ""),
        "resume": entry.summary,
        "description": entry.description,
        "type_structure": entry.kind.slug if entry.kind_id else "",
        "themes": _slugs(related(entry, "themes")),
        "secteurs": _slugs(related(entry, "sectors")),
        "services": _slugs(related(entry, "services")) if is_place else "",
        "commune_insee": entry.commune.insee if entry.commune_id else "",
        "commune": entry.commune.name if entry.commune_id else "",
        "adresse": entry.address,
        "latitude": _number(entry.latitude),
        "longitude": _number(entry.longitude),
        "telephone": entry.phone,
        "courriel": entry.email,
        "site_web": entry.website,
        "membre": "" if is_place else ("oui" if entry.is_member else "non"),
        "mastodon": "" if is_place else entry.mastodon_url,
        "facebook": "" if is_place else entry.facebook_url,
        "linkedin": "" if is_place else entry.linkedin_url,
        "horaires": entry.opening_hours if is_place else "",
        "tarifs": entry.prices if is_place else "",
        "acces_fauteuil": entry.wheelchair if is_place else "",
        "capacite": str(entry.capacity) if is_place and entry.capacity is not None else "",
        "structures": SEPARATOR.join(
            sorted(str(a.translation_key) for a in related(entry, "operators"))
        )
        if is_place
        else "",
        "url": entry_url(entry, request, bases),
        "mis_a_jour": updated.date().isoformat() if updated else "",
    }
    external = getattr(entry, "external", None)
    row["source"] = external.source if external is not None else SOURCE_NAME
    row["source_mis_a_jour"] = (
        external.source_updated.isoformat()
        if external is not None and external.source_updated
        else ""
    )
    return row


# --- exports ------------------------------------------------------------------------------


def export_csv(entries, request=None):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    bases = {}
    for entry in entries:
        writer.writerow(entry_row(entry, request, bases))
    return buffer.getvalue()


def geojson_feature(entry, request=None, bases=None):
    point = entry_point(entry)
    return {
        "type": "Feature",
        "id": str(entry.translation_key),
        "geometry": {"type": "Point", "coordinates": [point[0], point[1]]} if point else None,
        "properties": entry_row(entry, request, bases),
    }


def export_geojson(entries, request=None):
    bases = {}
    return {
        "type": "FeatureCollection",
        "features": [geojson_feature(entry, request, bases) for entry in entries],
    }


def geojson_cache_key(language_code):
    return f"directory:geojson:full:{language_code}"


def full_geojson(locale, request=None):
    """The GeoJSON of every live entry of ``locale``, as bytes, cached until an entry changes
    (and made again off the request after each change: ``warm_exports``)."""
    key = geojson_cache_key(locale.language_code)
    cached = cache.get(key)
    if cached is not None:
        return cached
    query = DirectoryQuery.from_params({}, locale)
    data = json.dumps(
        export_geojson(load_entries(entry_ids(query)), request), ensure_ascii=False
    ).encode("utf-8")
    cache.set(key, data, timeout=60 * 60 * 24)
    return data


def invalidate_geojson_cache():
    cache.delete_many([geojson_cache_key(code) for code, _name in settings.LANGUAGES])


def warm_exports():
    """Make the full GeoJSON of every language again, so that no visitor waits for it."""
    for locale in Locale.objects.filter(
        language_code__in=[code for code, _name in settings.LANGUAGES]
    ):
        full_geojson(locale)


# --- schéma des lieux de médiation numérique ---------------------------------------------

MEDIATION_COLUMNS = [
    "id", "pivot", "nom", "commune", "code_postal", "code_insee", "adresse", "complement_adresse",
    "latitude", "longitude", "typologie", "telephone", "courriels", "site_web", "horaires",
    "presentation_resume", "presentation_detail", "source", "itinerance", "structure_parente",
    "date_maj", "services", "publics_specifiquement_adresses", "prise_en_charge_specifique",
    "frais_a_charge", "dispositif_programmes_nationaux", "formations_labels",
    "autres_formations_labels", "modalites_acces", "modalites_accompagnement",
    "fiche_acces_libre", "prise_rdv",
]  # fmt: skip
UNKNOWN_PIVOT = "00000000000000"  # the national map's value when no SIRET is known
SOURCE_NAME = "Innover en Baronnies provençales"


def mediation_places(entries):
    """Places that offer at least one service mapped to the national schema."""
    return [
        e
        for e in entries
        if isinstance(e, PlacePage)
        and e.commune_id
        and any(s.mediation_numerique for s in related(e, "services"))
    ]


def international_phone(phone):
    digits = "".join(c for c in phone if c.isdigit() or c == "+")
    if digits.startswith("0") and len(digits) == 10:
        return "+33" + digits[1:]
    if digits.startswith("+33") and 9 <= len(digits) - 3 <= 9:
        return digits
    return ""


def mediation_row(entry):
    from django.utils.html import strip_tags

    commune = entry.commune
    point = entry.point
    postal = commune.postal_code.split(SEPARATOR)[0].strip() if commune else ""
    services = sorted(
        {s.mediation_numerique for s in related(entry, "services") if s.mediation_numerique}
    )
    updated = updated_at(entry)
    row = dict.fromkeys(MEDIATION_COLUMNS, "")
    row.update(
        {
            "id": str(entry.translation_key),
            "pivot": UNKNOWN_PIVOT,
            "nom": entry.title,
            "commune": commune.name if commune else "",
            "code_postal": postal,
            "code_insee": commune.insee if commune else "",
            "adresse": entry.address or (commune.name if commune else ""),
            "latitude": repr(point[0]) if point else "",
            "longitude": repr(point[1]) if point else "",
            "telephone": international_phone(entry.phone),
            "courriels": entry.email,
            "site_web": entry.website,
            "horaires": entry.opening_hours,
            "presentation_resume": entry.summary[:280],
            "presentation_detail": html.unescape(strip_tags(entry.description)).strip(),
            "source": SOURCE_NAME,
            "date_maj": updated.date().isoformat() if updated else "",
            "services": SEPARATOR.join(services),
        }
    )
    external = getattr(entry, "external", None)
    if external is not None:  # an entry imported from a national dataset keeps its identity
        row.update(
            {
                "id": external.external_id,
                "pivot": external.pivot or UNKNOWN_PIVOT,
                "source": external.source,
            }
        )
        row.update({name: external.extra.get(name, "") for name in ("typologie", *SHOWN_EXTRAS)})
        # every e-mail and website of the source: the entry's own (maybe edited on the site) first
        for column, current in (("courriels", entry.email), ("site_web", entry.website)):
            values = [current] if current else []
            row[column] = SEPARATOR.join(values + other_values(external, column, current))
    return row


def export_mediation_csv(entries):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=MEDIATION_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for entry in mediation_places(entries):
        writer.writerow(mediation_row(entry))
    return buffer.getvalue()
