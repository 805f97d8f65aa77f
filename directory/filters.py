"""Filtering the directory: one entry point for the directory page, its map, the API and the exports.

Usage::

    query = DirectoryQuery.from_params(request.GET, locale)   # never raises on bad input
    query.params        # the validated parameters (dict), safe to put back in URLs
    query.querystring() # the same, url-encoded (without ``page``)
    query.messages      # list of French messages (translated) about values that were ignored
    query.count         # how many results (from the facet counts query)
    query.located       # how many of them have a point on the map
    query.ordered()     # the results in order, for a paginator to slice (with ``count``)
    query.rows_of(items)  # a slice of ``ordered()`` as a list of ``EntryRow``
                        # (light, no page objects; labels and summary included)
    query.page_rows(start, stop)  # the same for rows ``start`` to ``stop``
    query.rows          # every result in the chosen order (API, exports)
    query.facets()      # {"type"|"kind"|"theme"|"service"|"commune"|"department": [FacetValue…]}
    query.markers(base_url_path, base_url)  # map markers (dicts) for every result with a point

Parameters (query-string names; several values are given by repeating the name)::

    q           full-text search (French, accent-insensitive through the configured search backend;
                stemming on PostgreSQL); cut to 200 characters
    type        "actor" or "place"
    kind        slug of an ActorKind or PlaceKind
    theme       slugs of themes; several = entries that have them all
    service     slugs of services; several = places that offer them all (actors are then left out)
    commune     INSEE code
    department  department code (26, 05…)
    open        "now" (open at this minute, Europe/Paris) or a weekday code (mo … su: open that
                day); places only, read from the weekly table of opening hours (directory.commons)
    sort        "relevance" (default with q), "name" (default), "updated" (newest first),
                "distance" (needs ``near`` or ``lat``+``lon``; default when they are given)
    near        INSEE code of the commune to measure distances from
    lat, lon    a point to measure distances from (WGS84 degrees), instead of ``near``

Unknown or malformed values are dropped and explained in ``messages``: nothing here raises on
input, and no raw value reaches a query (every value is checked against known slugs and codes).
The checks are a Django form, ``DirectoryParamsForm`` (one field and one ``clean_<name>`` per
parameter, always valid); ``from_params`` keeps its ``cleaned_data`` as ``params``.

Semantics: filters on different parameters combine with AND; several themes or services also
combine with AND, so each count means "results if you add this value". Facet counts are taken on
the current results; for a single-choice facet that is already set (type, kind, commune,
department), the other options carry no count (``count`` is None).

Queries, whatever the number of results (the database sorts, pages and counts; Python never
holds more than a page of rows, except for ``rows`` and ``markers``): known values (and private
sections) come from a per-locale cache (cleared by signals when vocabularies, communes, entries or
view restrictions change); the facet counts, the total and, with ``q``, the relevance order from a
cache per language and filters until content changes (the page cache's version). When missing, on
PostgreSQL one statement computes them (``_summary_in_one_statement``: the matching entries once,
grouped and counted there, their ids aggregated in the search backend's order); elsewhere the
search ids for ``q`` (cached per text and version), one light query of every result's type, kind,
commune and point, and one grouped query for theme and service counts. Then one query for the page
of rows, ordered and cut by the database.
Long id lists travel as one array parameter (``core.db`` ``any_of`` lookup).
"""

import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass, field

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    Value,
)
from django.db.models.functions import ASin, Coalesce, Cos, Least, Lower, Power, Radians, Sin, Sqrt
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.db import IntArray, Unaccent
from core.fulltext import entry_matches, on_postgres_backend
from core.page_cache import current_version
from core.routing import private_section_paths
from taxonomy.models import Theme

from .commons import hours
from .models import ActorKind, ActorPage, Commune, DirectoryEntry, PlaceKind, PlacePage, Service

MAX_QUERY_LENGTH = 200
SEARCH_NOISE = re.compile(r"[^\w\s-]|_")
MAX_VALUES = 10
TYPES = ("actor", "place")
SORTS = ("relevance", "name", "updated", "distance")
OPEN_VALUES = ("now", *hours.WEEKDAYS)
CACHE_KEY = "directory:known:{locale_id}"
SEARCH_CACHE_KEY = "directory:search:{version}:{locale_id}:{digest}"
SUMMARY_CACHE_KEY = "directory:summary:{version}:{locale_id}:{digest}"
FILTER_NAMES = ("q", "type", "kind", "theme", "service", "commune", "department", "open")
CACHE_SECONDS = 300
NO_RESULTS = object()  # DirectoryQuery.queryset() when the filters exclude every entry
# Communes offered as distance origins besides those that have entries.
TERRITORY_IN_PARK = {"yes_2015", "partial_2015", "ville_porte", "unverified_ccbdp", "yes"}


DEPARTMENT_NAMES = {
    "04": "Alpes-de-Haute-Provence",
    "05": "Hautes-Alpes",
    "26": "Drôme",
    "84": "Vaucluse",
}


@dataclass
class EntryRow:
    """One matching entry, with what lists, sorts, facets and markers need (no page object)."""

    pk: int
    type: str  # "actor" or "place"
    title: str
    url_path: str
    last_published_at: object
    kind: str  # kind slug, or ""
    commune: str  # INSEE code, or ""
    point: tuple | None  # (lat, lon): the entry's own, else its commune's
    precise: bool  # True when the point is the entry's own
    distance: float | None = None  # km from the chosen origin
    summary: str = ""
    kind_label: str = ""
    commune_name: str = ""
    department: str = ""


@dataclass
class FacetValue:
    value: str
    label: str
    count: int | None
    selected: bool
    group: str = ""  # for kinds: "actor" or "place"


@dataclass
class KnownValues:
    """What a parameter may take, with labels in the locale; cached per locale."""

    themes: dict = field(default_factory=dict)  # slug -> name
    services: dict = field(default_factory=dict)  # slug -> name
    actor_kinds: dict = field(default_factory=dict)  # slug -> name
    place_kinds: dict = field(default_factory=dict)  # slug -> name
    communes: dict = field(default_factory=dict)  # insee -> (name, department, lat, lon)
    used_communes: list = field(default_factory=list)  # insee codes that have live entries
    territory: list = field(default_factory=list)  # insee codes offered as distance origins
    private_paths: list = field(default_factory=list)  # tree paths of private sections
    content_types: dict = field(default_factory=dict)  # "actor"|"place" -> content type id

    @property
    def departments(self):
        return sorted(
            {self.communes[code][1] for code in self.used_communes if code in self.communes}
        )


def known_values(locale_id):
    """The known slugs and codes for a locale id (cached; see ``clear_known_values``)."""
    key = CACHE_KEY.format(locale_id=locale_id)
    known = cache.get(key)
    if known is not None:
        return known
    known = KnownValues()
    # One query for the four vocabularies, one for the communes (with whether live entries of
    # this language sit there), one for private sections.
    vocabularies = {
        "themes": Theme,
        "services": Service,
        "actor_kinds": ActorKind,
        "place_kinds": PlaceKind,
    }
    parts = [
        model.objects.filter(locale_id=locale_id)
        .annotate(vocabulary=Value(name, output_field=CharField()))
        .values_list("vocabulary", "sort_order", "name", "slug")
        .order_by()
        for name, model in vocabularies.items()
    ]
    for vocabulary, _order, name, slug in sorted(parts[0].union(*parts[1:], all=True)):
        getattr(known, vocabulary)[slug] = name
    used = set()
    territory = []
    entries_there = Exists(
        DirectoryEntry.objects.live().filter(locale_id=locale_id, commune=OuterRef("pk"))
    )
    for insee, name, department, lat, lon, in_park, has_entries in Commune.objects.annotate(
        has_entries=entries_there
    ).values_list("insee", "name", "department", "latitude", "longitude", "in_park", "has_entries"):
        known.communes[insee] = (name, department, lat, lon)
        if has_entries:
            used.add(insee)
        if insee in used or in_park in TERRITORY_IN_PARK:
            territory.append(insee)
    known.content_types = {
        entry_type: ContentType.objects.get_for_model(model).pk
        for entry_type, model in (("actor", ActorPage), ("place", PlacePage))
    }
    known.private_paths = private_section_paths()
    known.used_communes = sorted(
        used, key=lambda code: sort_key(known.communes.get(code, ("",))[0])
    )
    known.territory = sorted(territory, key=lambda code: sort_key(known.communes[code][0]))
    cache.set(key, known, CACHE_SECONDS)
    return known


def clear_known_values(**kwargs):
    from wagtail.models import Locale

    cache.delete_many(
        [CACHE_KEY.format(locale_id=pk) for pk in Locale.objects.values_list("pk", flat=True)]
    )


def sort_key(text):
    """Alphabetical order that ignores case and accents (É sorts with E)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


def haversine_km(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371 * math.asin(min(1.0, math.sqrt(h)))


def _coordinate(value, limit):
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number) or abs(number) > limit:
        return None
    return number


class _EveryValue(forms.Widget):
    """Every value given for a parameter: a QueryDict's list, or a plain dict's list or string."""

    def value_from_datadict(self, data, files, name):
        if hasattr(data, "getlist"):
            return data.getlist(name)
        raw = data.get(name, [])
        return [raw] if isinstance(raw, str) else list(raw)

    def value_omitted_from_data(self, data, files, name):
        return False


class _ValuesField(forms.Field):
    """The distinct, non-empty values of a parameter (stripped, in the order given). Never
    invalid: the form drops what it cannot use and says so in ``notes``."""

    widget = _EveryValue

    def __init__(self):
        super().__init__(required=False)

    def to_python(self, value):
        cleaned = []
        for item in value or ():
            item = str(item).strip()
            if item and item not in cleaned:
                cleaned.append(item)
        return cleaned


class DirectoryParamsForm(forms.Form):
    """The directory's query parameters (see the module's docstring), checked against the known
    values of a locale. Always valid: an unknown or malformed value is dropped and explained in
    ``notes`` (French, in the order of the fields), so ``cleaned_data`` is the ``params`` dict of
    ``DirectoryQuery``, one key per field in this order."""

    q = _ValuesField()
    type = _ValuesField()
    kind = _ValuesField()
    theme = _ValuesField()
    service = _ValuesField()
    commune = _ValuesField()
    department = _ValuesField()
    open = _ValuesField()
    near = _ValuesField()
    lat = _ValuesField()
    lon = _ValuesField()
    sort = _ValuesField()

    def __init__(self, data, known):
        super().__init__(data)
        self.known = known
        self.notes = []

    # --- helpers: how many values a parameter may have --------------------------------

    def _many(self, name):
        values = self.cleaned_data[name]
        if len(values) > MAX_VALUES:
            self.notes.append(
                _(
                    "Trop de valeurs pour « %(name)s » : seules les %(n)s premières sont prises en compte."
                )
                % {"name": name, "n": MAX_VALUES}
            )
            values = values[:MAX_VALUES]
        return values

    def _single(self, name):
        found = self._many(name)
        if len(found) > 1:
            self.notes.append(
                _("Un seul choix possible pour « %(name)s » : le premier est retenu.")
                % {"name": name}
            )
        return found[0] if found else ""

    def _known_one(self, name, label, allowed):
        value = self._single(name)
        if value and value not in allowed:
            self._unknown(label)
            return ""
        return value

    def _known_all(self, name, label, allowed):
        chosen = self._many(name)
        if any(value not in allowed for value in chosen):
            self._unknown(label)
        return [value for value in chosen if value in allowed]

    def _unknown(self, label):
        self.notes.append(_("Filtre « %(label)s » : valeur inconnue, ignorée.") % {"label": label})

    # --- one method per field, run by Django in the order of the fields ------------------

    def clean_q(self):
        raw_q = self._single("q")
        # Words only: punctuation and control characters mean nothing to the search and some
        # would break the SQLite FTS5 syntax.
        q = " ".join(SEARCH_NOISE.sub(" ", raw_q).split())
        if raw_q.strip() and not q:
            self.notes.append(_("Votre recherche ne contenait aucun mot : elle est ignorée."))
        if len(q) > MAX_QUERY_LENGTH:
            q = q[:MAX_QUERY_LENGTH]
            self.notes.append(
                _(
                    "Votre recherche était trop longue : seuls ses %(n)s premiers caractères ont été utilisés."
                )
                % {"n": MAX_QUERY_LENGTH}
            )
        return q

    def clean_type(self):
        return self._known_one("type", _("type"), TYPES)

    def clean_kind(self):
        kind = self._single("kind")
        if kind and kind not in self.known.actor_kinds and kind not in self.known.place_kinds:
            self._unknown(_("catégorie"))
            return ""
        return kind

    def clean_theme(self):
        return self._known_all("theme", _("thème"), self.known.themes)

    def clean_service(self):
        return self._known_all("service", _("service"), self.known.services)

    def clean_commune(self):
        return self._known_one("commune", _("commune"), self.known.communes)

    def clean_department(self):
        return self._known_one(
            "department", _("département"), {data[1] for data in self.known.communes.values()}
        )

    def clean_open(self):
        return self._known_one("open", _("ouverture"), OPEN_VALUES)

    def clean_near(self):
        return self._known_one("near", _("distance depuis"), self.known.communes)

    def clean_lat(self):
        return self._single("lat")  # checked with lon, in clean_lon

    def clean_lon(self):
        raw_lat, raw_lon = self.cleaned_data["lat"], self._single("lon")
        lat, lon = _coordinate(raw_lat, 90), _coordinate(raw_lon, 180)
        if (raw_lat or raw_lon) and (lat is None or lon is None):
            self.notes.append(_("Coordonnées invalides : elles sont ignorées."))
            lat = lon = None
        self.cleaned_data["lat"] = "" if lat is None else lat
        return "" if lon is None else lon

    def clean_sort(self):
        sort = self._known_one("sort", _("tri"), SORTS)
        q = self.cleaned_data["q"]
        has_origin = bool(self.cleaned_data["near"]) or self.cleaned_data["lat"] != ""
        if sort == "distance" and not has_origin:
            self.notes.append(_("Pour trier par distance, choisissez une commune de départ."))
            sort = ""
        if sort == "relevance" and not q:
            sort = ""
        return sort or ("distance" if has_origin else "relevance" if q else "name")


class DirectoryQuery:
    def __init__(self, params, messages, locale_id, known):
        self.params = params
        self.messages = messages
        self.locale_id = locale_id
        self.known = known
        self._queryset = None
        self._rows = None
        self._search_ids = None
        self._summary_data = None
        self._match_rows = None
        self.open_moment = hours.moment() if params.get("open") == "now" else None

    # --- validation -------------------------------------------------------------------

    @classmethod
    def from_params(cls, querydict, locale):
        """Validate a QueryDict (or a dict of lists/strings) against the known values.

        ``locale``: a wagtail Locale or its id (the entries and labels of that language).
        """
        locale_id = getattr(locale, "pk", locale)
        known = known_values(locale_id)
        form = DirectoryParamsForm(querydict, known)
        form.full_clean()  # always valid: what it cannot use is dropped and told in ``notes``
        return cls(dict(form.cleaned_data), form.notes, locale_id, known)

    def querystring(self, **overrides):
        """The validated parameters as a query string (no ``page``), with optional overrides."""
        params = {**self.params, **overrides}
        default_sort = (
            "distance"
            if (params["near"] or params["lat"] != "")
            else "relevance"
            if params["q"]
            else "name"
        )
        if params.get("sort") == default_sort:
            params = {**params, "sort": ""}
        return urlencode({k: v for k, v in params.items() if v not in ("", None, [])}, doseq=True)

    @property
    def origin(self):
        if self.params["lat"] != "":
            return (self.params["lat"], self.params["lon"])
        if self.params["near"]:
            _name, _dep, lat, lon = self.known.communes[self.params["near"]]
            if lat is not None:
                return (lat, lon)
        return None

    @property
    def is_filtered(self):
        return any(self.params[name] for name in FILTER_NAMES)

    # --- querysets --------------------------------------------------------------------

    def types(self):
        """The entry types ("actor", "place") that the filters leave possible."""
        p = self.params
        found = []
        for entry_type, kinds in (
            ("actor", self.known.actor_kinds),
            ("place", self.known.place_kinds),
        ):
            if p["type"] and p["type"] != entry_type:
                continue
            if p["kind"] and p["kind"] not in kinds:
                continue
            if (p["service"] or p["open"]) and entry_type == "actor":
                continue
            found.append(entry_type)
        return found

    def queryset(self):
        """Every matching entry (search included), as one DirectoryEntry queryset; None when
        nothing can match.

        Every filter is a plain condition or a semi-join, so each entry comes once: no DISTINCT.
        """
        if self._queryset is not None:
            return None if self._queryset is NO_RESULTS else self._queryset
        ids = self.search_ids()
        if not self.types() or (ids is not None and not ids):
            self._queryset = NO_RESULTS
            return None
        qs = self._filtered(DirectoryEntry.objects.live().filter(locale_id=self.locale_id))
        if ids is not None:
            qs = qs.filter(id__any_of=self._search_array)
        self._queryset = qs
        return qs

    def _filtered(self, qs):
        """``qs`` (live entries of the locale) narrowed to the public ones that every filter but
        ``q`` allows. Call only when ``types()`` is not empty."""
        p = self.params
        types = self.types()
        qs = qs.public()
        if len(types) == 1:
            qs = qs.filter(content_type_id=self.known.content_types[types[0]])
        if p["kind"]:
            # The same slug may name an actor kind and a place kind.
            kind_q = Q()
            if p["kind"] in self.known.actor_kinds:
                kind_q |= Q(actorpage__kind__slug=p["kind"])
            if p["kind"] in self.known.place_kinds:
                kind_q |= Q(placepage__kind__slug=p["kind"])
            qs = qs.filter(kind_q)
        for slug in p["theme"]:
            qs = qs.filter(
                pk__in=DirectoryEntry.themes.through.objects.filter(theme__slug=slug).values(
                    "directoryentry_id"
                )
            )
        for slug in p["service"]:
            qs = qs.filter(
                pk__in=PlacePage.services.through.objects.filter(service__slug=slug).values(
                    "placepage_id"
                )
            )
        if p["commune"]:
            qs = qs.filter(commune__insee=p["commune"])
        if p["department"]:
            qs = qs.filter(commune__department=p["department"])
        if p["open"]:
            qs = qs.filter(pk__in=hours.open_filter(p["open"], self.open_moment))
        return qs

    def search_ids(self):
        """Page ids matching ``q`` in relevance order, or None without ``q``.

        On PostgreSQL, the ids that also pass the filters, from ``_summary()``. Elsewhere every
        match of the language, kept in the cache per language and text until public content
        changes (the page cache's version), so that refining a search with facets does not run the
        same search again."""
        if not self.params["q"]:
            return None
        if self._search_ids is not None:
            return self._search_ids
        if on_postgres_backend():
            # Searched with the filters, counted and ordered in the summary's statement.
            ids = self._summary()["relevance"]
            self._search_ids = ids
            self._search_array = IntArray(ids)
            return ids
        digest = hashlib.sha256(self.params["q"].encode()).hexdigest()
        key = SEARCH_CACHE_KEY.format(
            version=current_version(), locale_id=self.locale_id, digest=digest
        )
        ids = cache.get(key)
        if ids is None:
            # The search backend indexes each entry under its specific type; searching the base
            # model reads the entries of every type that extends it.
            pages = DirectoryEntry.objects.live().filter(locale_id=self.locale_id)
            results = pages.search(self.params["q"], operator="and")
            if hasattr(results, "get_queryset"):  # database backends: ids only, no page objects
                ids = list(results.get_queryset().values_list("pk", flat=True))
            else:
                ids = [page.pk for page in results]
            cache.set(key, ids, CACHE_SECONDS)
        self._search_ids = ids
        self._search_array = IntArray(ids)
        return ids

    def _values(self, columns, only_ids=None):
        """``columns`` (names from ``ROW_COLUMNS``) of every result (unordered), or None when
        nothing can match. ``only_ids``: ids taken from ``ordered()``, which match the search
        already (its list of every match is not sent again)."""
        if only_ids is not None:
            qs = self._filtered(DirectoryEntry.objects.live().filter(locale_id=self.locale_id))
            qs = qs.filter(id__any_of=IntArray(only_ids))
        else:
            qs = self.queryset()
            if qs is None:
                return None
        return self._columns(qs, columns)

    def _columns(self, qs, columns):
        """``qs`` as a values list of ``columns`` (names of fields or of the annotations below)."""
        origin = self.origin
        point_lat, point_lon = (
            Coalesce("latitude", "commune__latitude"),
            Coalesce("longitude", "commune__longitude"),
        )
        annotations = {
            # An entry is an actor or a place: one of the two joins finds its kind.
            "kind_slug": Coalesce("actorpage__kind__slug", "placepage__kind__slug"),
            "sort_name": Lower(Unaccent("title")),
            "point_lat": point_lat,
            "point_lon": point_lon,
            "distance": distance_km(origin, point_lat, point_lon)
            if origin
            else Value(None, output_field=FloatField()),
        }
        wanted = {name: annotations[name] for name in columns if name in annotations}
        return qs.annotate(**wanted).values_list(*columns).order_by()

    def entry_type(self, content_type_id):
        return "actor" if content_type_id == self.known.content_types["actor"] else "place"

    def ordered(self):
        """The results in the chosen order, for a paginator to slice (it knows ``count``): the
        ordered rows queryset (each slice one query), or with ``q`` sorted by relevance, the list
        of ids in that order. ``rows_of`` turns a slice into ``EntryRow``s."""
        if self.params["sort"] == "relevance" and self.search_ids() is not None:
            return self.relevance_ids()
        rows = self._values(ROW_COLUMNS)
        if rows is None:
            return []
        sort = self.params["sort"]
        if sort == "updated":
            return rows.order_by(F("last_published_at").desc(nulls_last=True), "sort_name", "id")
        if sort == "distance":
            return rows.order_by(F("distance").asc(nulls_last=True), "sort_name", "id")
        return rows.order_by("sort_name", "id")

    def rows_of(self, items):
        """``EntryRow``s for a slice of ``ordered()``, ready for list cards, in the same order
        (ids sorted by relevance are read in one query)."""
        items = list(items)
        if not items or not isinstance(items[0], int):
            return [self._row(values) for values in items]
        position = {pk: index for index, pk in enumerate(items)}
        rows = self._values(ROW_COLUMNS, only_ids=items)
        return sorted((self._row(values) for values in rows), key=lambda row: position[row.pk])

    def page_rows(self, start=0, stop=None):
        """Rows ``start`` to ``stop`` (None: to the end) in the chosen order, ready for list cards:
        one query, ordered and sliced by the database (two when sorted by relevance)."""
        return self.rows_of(self.ordered()[start:stop])

    def relevance_ids(self):
        """The ids of the results in relevance order."""
        return self._summary()["relevance"]

    def _row(self, values):
        (
            content_type,
            pk,
            title,
            url_path,
            published,
            kind,
            insee,
            lat,
            lon,
            point_lat,
            point_lon,
            summary,
            _sort_name,
            distance,
        ) = values
        entry_type = self.entry_type(content_type)
        kinds = self.known.actor_kinds if entry_type == "actor" else self.known.place_kinds
        commune = self.known.communes.get(insee or "")
        return EntryRow(
            pk=pk,
            type=entry_type,
            title=title,
            url_path=url_path,
            last_published_at=published,
            kind=kind or "",
            commune=insee or "",
            point=(point_lat, point_lon)
            if point_lat is not None and point_lon is not None
            else None,
            precise=lat is not None and lon is not None,
            distance=distance,
            summary=summary,
            kind_label=kinds.get(kind or "", ""),
            commune_name=commune[0] if commune else "",
            department=commune[1] if commune else "",
        )

    @property
    def rows(self):
        """Every result in the chosen order (for the API and the exports)."""
        if self._rows is None:
            self._rows = self.page_rows()
        return self._rows

    @property
    def count(self):
        return self._summary()["counts"]["count"]

    @property
    def located(self):
        """How many results have a point on the map (their own or their commune's)."""
        return self._summary()["counts"]["located"]

    # --- facets and markers ------------------------------------------------------------

    def _matches(self):
        """(type, id, kind slug, INSEE code, has a point) of every result, unordered: one light
        query, from which the counts, the total and the relevance order are taken."""
        if self._match_rows is None:
            rows = self._values(MATCH_COLUMNS)
            self._match_rows = [
                (
                    self.entry_type(content_type),
                    pk,
                    kind or "",
                    insee or "",
                    point_lat is not None and point_lon is not None,
                )
                for content_type, pk, kind, insee, point_lat, point_lon in (
                    rows if rows is not None else ()
                )
            ]
        return self._match_rows

    def _summary(self):
        """What does not change with the order or the page: the counts (``_count_matches``) and, with
        ``q``, the ids in relevance order. Kept in the cache per language and filters until
        public content changes (the page cache's version), so that paging, sorting or coming back
        to a search costs only its page of rows."""
        if self._summary_data is not None:
            return self._summary_data
        filters = {name: self.params[name] for name in FILTER_NAMES}
        digest = hashlib.sha256(
            repr((sorted(filters.items()), self.known.private_paths, self.open_moment)).encode()
        ).hexdigest()
        key = SUMMARY_CACHE_KEY.format(
            version=current_version(), locale_id=self.locale_id, digest=digest
        )
        summary = cache.get(key)
        if summary is None and on_postgres_backend():
            summary = self._summary_in_one_statement()
            cache.set(key, summary, CACHE_SECONDS)
        if summary is None:
            relevance = None
            if self.search_ids() is not None:
                found = {pk for _type, pk, *_rest in self._matches()}
                relevance = [pk for pk in self.search_ids() if pk in found]
            summary = {"counts": self._count_matches(), "relevance": relevance}
            cache.set(key, summary, CACHE_SECONDS)
        self._summary_data = summary
        return summary

    def _summary_in_one_statement(self):
        """PostgreSQL: ``_summary()`` in one statement. The matching entries (the full-text
        match, ranked by the search backend's own expression, and the filters) are selected once
        in a CTE, then grouped by the entry facets, joined to their theme and service links and
        counted, and, with ``q``, aggregated into the array of their ids in the backend's order
        (rank, then newest id): a few rows leave the database, no list of ids goes back to it."""
        q = self.params["q"]
        counts = empty_counts()
        if not self.types():
            return {"counts": counts, "relevance": [] if q else None}
        pages = DirectoryEntry.objects.live().filter(locale_id=self.locale_id)
        columns = ["content_type_id", "id", "kind_slug", "commune__insee", "point_lat", "point_lon"]
        sql, params = self._columns(self._filtered(pages), columns).query.sql_with_params()
        if q:
            # The index entries matched and ranked on their own table, joined to the filtered
            # entries by id (core/fulltext.py entry_matches): the backend's relation joined every
            # entry's vectors to its page first, on the id as text.
            found_sql, found_params = (
                entry_matches(pages, q).values_list("_page", "_score").query.sql_with_params()
            )
            sql = (
                f"SELECT base.*, found.score AS {connection.ops.quote_name('_score')} "  # noqa: S608 - compiled querysets
                f"FROM ({sql}) AS base JOIN ({found_sql} OFFSET 0) AS found (page, score) "
                "ON found.page = base.id"
            )
            params = (*params, *found_params)
        relevance = [] if q else None
        with connection.cursor() as cursor:
            cursor.execute(summary_statement(sql, with_relevance=bool(q)), params)
            for part, content_type, value, insee, located, n, ids in cursor.fetchall():
                if part == "entry":
                    self._count_entries(counts, self.entry_type(content_type), value, insee, n)
                    counts["located"] += n if located else 0
                elif part == "relevance":
                    relevance = ids or []
                else:
                    counts[part][value] = counts[part].get(value, 0) + n
        return {"counts": counts, "relevance": relevance}

    def _count_entries(self, counts, entry_type, kind, insee, n=1):
        counts["count"] += n
        counts["type"][entry_type] = counts["type"].get(entry_type, 0) + n
        if kind:
            counts["kind"][kind] = counts["kind"].get(kind, 0) + n
        if insee:
            counts["commune"][insee] = counts["commune"].get(insee, 0) + n
            department = self.known.communes.get(insee, ("", ""))[1]
            counts["department"][department] = counts["department"].get(department, 0) + n

    def _count_matches(self):
        """Counts for every facet, the total and the mapped results: the entry facets are counted
        on ``_matches()``, the theme and service links in one query (a UNION of groupings)."""
        counts = empty_counts()
        ids = {"actor": [], "place": []}
        for entry_type, pk, kind, insee, has_point in self._matches():
            ids[entry_type].append(pk)
            counts["located"] += has_point
            self._count_entries(counts, entry_type, kind, insee)
        # The theme links of every result and the service links of the places, grouped in one
        # query (a UNION of the two groupings).
        parts = []
        for ids_of, through, owner, facet in (
            (
                [*ids["actor"], *ids["place"]],
                DirectoryEntry.themes.through,
                "directoryentry_id",
                "theme",
            ),
            (ids["place"], PlacePage.services.through, "placepage_id", "service"),
        ):
            if ids_of:
                parts.append(
                    through.objects.filter(**{f"{owner}__any_of": IntArray(ids_of)})
                    .annotate(
                        facet=Value(facet, output_field=CharField()), term=F(f"{facet}__slug")
                    )
                    .values_list("facet", "term")
                    .annotate(n=Count("id"))
                    .order_by()
                )
        if parts:
            for facet, term, n in (
                parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
            ):
                counts[facet][term] = counts[facet].get(term, 0) + n
        return counts

    def facets(self):
        p, known, counts = self.params, self.known, self._summary()["counts"]

        def single(name, options):
            active = bool(p[name])
            return [
                FacetValue(
                    value,
                    label,
                    None if active and value != p[name] else counts[name].get(value, 0),
                    value == p[name],
                    group,
                )
                for value, label, group in options
            ]

        return {
            "type": single("type", [("actor", _("Acteurs"), ""), ("place", _("Lieux"), "")]),
            "kind": single(
                "kind",
                [(slug, name, "actor") for slug, name in known.actor_kinds.items()]
                + [(slug, name, "place") for slug, name in known.place_kinds.items()],
            ),
            "commune": single(
                "commune",
                [
                    (code, known.communes[code][0], "")
                    for code in known.used_communes
                    if code in known.communes
                ]
                + (
                    [(p["commune"], known.communes[p["commune"]][0], "")]
                    if p["commune"] and p["commune"] not in known.used_communes
                    else []
                ),
            ),
            "department": single(
                "department",
                [
                    (code, f"{DEPARTMENT_NAMES.get(code, code)} ({code})", "")
                    for code in sorted(
                        set(known.departments) | ({p["department"]} if p["department"] else set())
                    )
                ],
            ),
            "open": [
                FacetValue(value, label, None, value == p["open"])
                for value, label in hours.open_choices()
            ],
            **{
                name: [
                    FacetValue(slug, label, counts[name].get(slug, 0), slug in p[name])
                    for slug, label in labels.items()
                ]
                for name, labels in (("theme", known.themes), ("service", known.services))
            },
        }

    def markers(self, base_url_path, base_url):
        """Map markers for every result with a point (one query). ``base_url_path``/``base_url``:
        the directory index page's ``url_path`` and public URL, to build entry URLs."""
        rows = self._values(MARKER_COLUMNS)
        markers = []
        for content_type, pk, title, url_path, lat, lon, point_lat, point_lon in (
            rows if rows is not None else ()
        ):
            entry_type = self.entry_type(content_type)
            if point_lat is None or point_lon is None:
                continue
            url = (
                base_url + url_path[len(base_url_path) :]
                if url_path.startswith(base_url_path)
                else ""
            )
            markers.append(
                {
                    "id": pk,
                    "title": title,
                    "url": url,
                    "type": entry_type,
                    "lat": round(point_lat, 6),
                    "lon": round(point_lon, 6),
                    "precise": lat is not None and lon is not None,
                }
            )
        markers.sort(key=lambda marker: marker["id"])
        return markers


ROW_COLUMNS = [
    "content_type_id",
    "id",
    "title",
    "url_path",
    "last_published_at",
    "kind_slug",
    "commune__insee",
    "latitude",
    "longitude",
    "point_lat",
    "point_lon",
    "summary",
    "sort_name",
    "distance",
]
MATCH_COLUMNS = ["content_type_id", "id", "kind_slug", "commune__insee", "point_lat", "point_lon"]
MARKER_COLUMNS = [
    "content_type_id",
    "id",
    "title",
    "url_path",
    "latitude",
    "longitude",
    "point_lat",
    "point_lon",
]


def empty_counts():
    return {
        "count": 0,
        "located": 0,
        "type": {},
        "kind": {},
        "commune": {},
        "department": {},
        "theme": {},
        "service": {},
    }


def summary_statement(matches_sql, with_relevance):
    """The SQL of ``DirectoryQuery._summary_in_one_statement``: ``matches_sql`` selects the
    matching entries' content_type_id, id, kind_slug, commune__insee, point_lat, point_lon (and
    _score with relevance). Rows: (part, content type, value, INSEE code, located, count, ids)."""
    name = connection.ops.quote_name
    links = []
    for facet, link, owner, term in (
        ("theme", DirectoryEntry.themes.through, "directoryentry", "theme"),
        ("service", PlacePage.services.through, "placepage", "service"),
    ):
        term_model = link._meta.get_field(term).related_model
        links.append(
            {
                "facet": facet,
                "link": name(link._meta.db_table),
                "owner": name(link._meta.get_field(owner).column),
                "term_id": name(link._meta.get_field(term).column),
                "terms": name(term_model._meta.db_table),
                "pk": name(term_model._meta.pk.column),
                "slug": name(term_model._meta.get_field("slug").column),
            }
        )
    # Identifiers from the models' metadata only; every value is in ``matches_sql``'s params.
    parts = [
        "SELECT 'entry', m.content_type_id, m.kind_slug, m.{insee},"  # noqa: S608 - see above
        " m.point_lat IS NOT NULL AND m.point_lon IS NOT NULL, COUNT(*), NULL::integer[]"
        " FROM matches m GROUP BY 2, 3, 4, 5".format(insee=name("commune__insee")),
        *(
            "SELECT '{facet}', NULL, t.{slug}, NULL, NULL, COUNT(*), NULL FROM matches m"  # noqa: S608
            " JOIN {link} l ON l.{owner} = m.id JOIN {terms} t ON t.{pk} = l.{term_id}"
            " GROUP BY 3".format(**link)
            for link in links
        ),
    ]
    if with_relevance:
        parts.append(
            "SELECT 'relevance', NULL, NULL, NULL, NULL, NULL,"  # noqa: S608 - see above
            " array_agg(m.id ORDER BY m.{score} DESC, m.id DESC) FROM matches m".format(
                score=name("_score")
            )
        )
    return f"WITH matches AS MATERIALIZED ({matches_sql}) " + " UNION ALL ".join(parts)


def distance_km(origin, lat, lon):
    """Great-circle distance in km from ``origin`` (lat, lon in degrees) to the point given by the
    expressions ``lat`` and ``lon`` (haversine, as ``haversine_km``), or NULL without a point."""
    lat0, lon0 = (math.radians(value) for value in origin)
    half_dlat = (Radians(lat) - Value(lat0)) / Value(2.0)
    half_dlon = (Radians(lon) - Value(lon0)) / Value(2.0)
    h = Power(Sin(half_dlat), 2) + Value(math.cos(lat0)) * Cos(Radians(lat)) * Power(
        Sin(half_dlon), 2
    )
    return ExpressionWrapper(
        Value(2 * 6371.0) * ASin(Sqrt(Least(h, Value(1.0)))), output_field=FloatField()
    )
