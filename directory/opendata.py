"""Open data: one reading of the directory shared by the JSON API, the exports and the import.

- ``parse_filters`` validates query-string values against known values (never a raw value in a query).
- ``entry_pages`` gives the live, public entries of one language matching those filters, as a Page
  queryset; ``load_entries`` fetches their specific rows with every relation in a fixed number of
  queries.
- ``entry_row`` flattens an entry into the documented column set (docs/directory-open-data.md),
  written by the CSV export, used as GeoJSON properties, and read back by ``import_directory``.

Only published content is ever read here; contributors' private e-mails live in another table.
"""

import csv
import io
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from taxonomy.models import Theme

from .models import ActorKind, ActorPage, Commune, PlaceKind, PlacePage, Service

MAX_QUERY_LENGTH = 200
MAX_VALUES_PER_FILTER = 20
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
    "mis_a_jour",  # ISO date of the last publication, for reading only
]
READ_ONLY_COLUMNS = {"commune", "url", "mis_a_jour"}

FILTER_PARAMS = ("type", "kind", "theme", "service", "commune", "department", "q")

TYPE_ACTOR = "acteur"
TYPE_PLACE = "lieu"
TYPE_MODELS = {TYPE_ACTOR: ActorPage, TYPE_PLACE: PlacePage}
API_TYPES = {"actor": TYPE_ACTOR, "place": TYPE_PLACE}


class FilterError(ValueError):
    """A query-string value that is not one of the known values."""


@dataclass
class EntryFilters:
    type: str = ""  # "" | acteur | lieu
    kind: list = field(default_factory=list)
    theme: list = field(default_factory=list)
    service: list = field(default_factory=list)
    commune: list = field(default_factory=list)
    department: list = field(default_factory=list)
    q: str = ""

    def as_params(self):
        """The query-string values that reproduce these filters (validated values only)."""
        params = {
            "type": self.type,
            "kind": self.kind,
            "theme": self.theme,
            "service": self.service,
            "commune": self.commune,
            "department": self.department,
            "q": self.q,
        }
        return {key: value for key, value in params.items() if value}


def _clean_list(values, name):
    values = [str(v).strip() for v in values or [] if str(v).strip()]
    if len(values) > MAX_VALUES_PER_FILTER:
        raise FilterError(
            _("Trop de valeurs pour « %(name)s » (au plus %(max)s).")
            % {"name": name, "max": MAX_VALUES_PER_FILTER}
        )
    return list(dict.fromkeys(values))


def _check_known(values, known, name):
    unknown = [v for v in values if v not in known]
    if unknown:
        raise FilterError(
            _("Valeur inconnue pour « %(name)s » : %(values)s.")
            % {"name": name, "values": escape(", ".join(unknown[:5])[:200])}
        )


def parse_filters(data):
    """Validated ``EntryFilters`` from a QueryDict or a dict of lists; raises FilterError."""

    def getlist(key):
        if hasattr(data, "getlist"):
            return data.getlist(key)
        value = data.get(key)
        if value is None:
            return []
        return value if isinstance(value, list | tuple) else [value]

    filters = EntryFilters()
    type_values = _clean_list(getlist("type"), "type")
    if len(type_values) > 1:
        raise FilterError(_("Un seul type à la fois : « acteur » ou « lieu »."))
    if type_values:
        value = API_TYPES.get(type_values[0], type_values[0])
        if value not in TYPE_MODELS:
            raise FilterError(_("Type inconnu : choisissez « acteur » ou « lieu »."))
        filters.type = value
    filters.kind = _clean_list(getlist("kind"), "kind")
    filters.theme = _clean_list(getlist("theme"), "theme")
    filters.service = _clean_list(getlist("service"), "service")
    filters.commune = _clean_list(getlist("commune"), "commune")
    filters.department = _clean_list(getlist("department"), "department")
    q_values = getlist("q")
    filters.q = str(q_values[-1]).strip() if q_values else ""
    if len(filters.q) > MAX_QUERY_LENGTH:
        raise FilterError(
            _("La recherche est trop longue (au plus %(n)s caractères).") % {"n": MAX_QUERY_LENGTH}
        )

    if filters.kind:
        known = set(ActorKind.objects.values_list("slug", flat=True)) | set(
            PlaceKind.objects.values_list("slug", flat=True)
        )
        _check_known(filters.kind, known, "kind")
    if filters.theme:
        _check_known(filters.theme, set(Theme.objects.values_list("slug", flat=True)), "theme")
    if filters.service:
        _check_known(
            filters.service, set(Service.objects.values_list("slug", flat=True)), "service"
        )
    if filters.commune:
        known = set(
            Commune.objects.filter(insee__in=filters.commune).values_list("insee", flat=True)
        )
        _check_known(filters.commune, known, "commune")
    if filters.department:
        known = set(
            Commune.objects.filter(department__in=filters.department).values_list(
                "department", flat=True
            )
        )
        _check_known(filters.department, known, "department")
    return filters


def get_locale(language_code=None):
    code = language_code or settings.LANGUAGE_CODE
    return Locale.objects.get(language_code=code)


def _either(**lookups):
    """Q matching actors or places whose own rows satisfy ``lookups``."""
    return Q(pk__in=ActorPage.objects.filter(**lookups).values("pk")) | Q(
        pk__in=PlacePage.objects.filter(**lookups).values("pk")
    )


def entry_pages(filters, locale):
    """Live, public entries of ``locale`` matching ``filters``, as a Page queryset by title."""
    models = [TYPE_MODELS[filters.type]] if filters.type else [ActorPage, PlacePage]
    pages = Page.objects.live().public().filter(locale=locale).type(*models)
    if filters.kind:
        pages = pages.filter(_either(kind__slug__in=filters.kind))
    if filters.theme:
        pages = pages.filter(_either(themes__slug__in=filters.theme))
    if filters.service:
        pages = pages.filter(
            pk__in=PlacePage.objects.filter(services__slug__in=filters.service).values("pk")
        )
    if filters.commune:
        pages = pages.filter(_either(commune__insee__in=filters.commune))
    if filters.department:
        pages = pages.filter(_either(commune__department__in=filters.department))
    if filters.q:
        matches = (
            Page.objects.live()
            .filter(locale=locale)
            .type(ActorPage, PlacePage)
            .search(filters.q, operator="and", order_by_relevance=False)
        )
        pages = pages.filter(pk__in=[page.pk for page in matches])
    return pages.order_by("title", "pk")


def _specific_querysets(page_ids):
    common = ["commune", "kind", "locale"]
    actors = (
        ActorPage.objects.filter(pk__in=page_ids)
        .select_related(*common)
        .prefetch_related("themes", "sectors")
    )
    places = (
        PlacePage.objects.filter(pk__in=page_ids)
        .select_related(*common)
        .prefetch_related("themes", "sectors", "services", "operators")
    )
    return actors, places


def load_entries(page_ids):
    """Specific entries for ``page_ids`` (a list, kept in order, or a queryset of pks)."""
    actors, places = _specific_querysets(page_ids)
    entries = [*actors, *places]
    _attach_parent_keys(entries)
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


def entry_row(entry, request=None):
    """The entry as a flat dict of strings, keyed by ``COLUMNS``."""
    is_place = isinstance(entry, PlacePage)
    updated = entry.last_published_at or entry.latest_revision_created_at
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
        "themes": _slugs(entry.themes.all()),
        "secteurs": _slugs(entry.sectors.all()),
        "services": _slugs(entry.services.all()) if is_place else "",
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
        "structures": SEPARATOR.join(sorted(str(a.translation_key) for a in entry.operators.all()))
        if is_place
        else "",
        "url": entry.get_full_url(request=request) or "",
        "mis_a_jour": updated.date().isoformat() if updated else "",
    }
    return row


# --- exports ------------------------------------------------------------------------------


def export_csv(entries, request=None):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for entry in entries:
        writer.writerow(entry_row(entry, request))
    return buffer.getvalue()


def geojson_feature(entry, request=None):
    point = entry_point(entry)
    return {
        "type": "Feature",
        "id": str(entry.translation_key),
        "geometry": {"type": "Point", "coordinates": [point[0], point[1]]} if point else None,
        "properties": entry_row(entry, request),
    }


def export_geojson(entries, request=None):
    return {
        "type": "FeatureCollection",
        "features": [geojson_feature(entry, request) for entry in entries],
    }


def geojson_cache_key(language_code):
    return f"directory:geojson:full:{language_code}"


def full_geojson(locale, request=None):
    """The GeoJSON of every live entry of ``locale``, as bytes, cached until an entry changes."""
    key = geojson_cache_key(locale.language_code)
    cached = cache.get(key)
    if cached is not None:
        return cached
    pages = entry_pages(EntryFilters(), locale)
    data = json.dumps(
        export_geojson(load_entries(pages.values("pk")), request), ensure_ascii=False
    ).encode("utf-8")
    cache.set(key, data, timeout=60 * 60 * 24)
    return data


def invalidate_geojson_cache():
    cache.delete_many([geojson_cache_key(code) for code, _name in settings.LANGUAGES])


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
        and any(s.mediation_numerique for s in e.services.all())
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
        {s.mediation_numerique for s in entry.services.all() if s.mediation_numerique}
    )
    updated = entry.last_published_at or entry.latest_revision_created_at
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
            "presentation_detail": strip_tags(entry.description).strip(),
            "source": SOURCE_NAME,
            "date_maj": updated.date().isoformat() if updated else "",
            "services": SEPARATOR.join(services),
        }
    )
    return row


def export_mediation_csv(entries):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=MEDIATION_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for entry in mediation_places(entries):
        writer.writerow(mediation_row(entry))
    return buffer.getvalue()
