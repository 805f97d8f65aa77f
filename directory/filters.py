"""Filtering the directory: one entry point for the directory page, its map, the API and the exports.

Usage::

    query = DirectoryQuery.from_params(request.GET, locale)   # never raises on bad input
    query.params        # the validated parameters (dict), safe to put back in URLs
    query.querystring() # the same, url-encoded (without ``page``)
    query.messages      # list of French messages (translated) about values that were ignored
    query.rows          # every matching entry, sorted: list of ``EntryRow`` (light, no page objects)
    query.count         # len(query.rows)
    query.entries(rows) # the specific ActorPage/PlacePage objects for some rows (e.g. one page of
                        # results), in the same order, with commune and kind loaded
    query.facets()      # {"type"|"kind"|"theme"|"service"|"commune"|"department": [FacetValue…]}
    query.markers(base_url_path, base_url)  # map markers (dicts) for every row that has a point

Parameters (query-string names; several values are given by repeating the name)::

    q           full-text search (French, accent-insensitive through the configured search backend;
                stemming on PostgreSQL); cut to 200 characters
    type        "actor" or "place"
    kind        slug of an ActorKind or PlaceKind
    theme       slugs of themes; several = entries that have them all
    service     slugs of services; several = places that offer them all (actors are then left out)
    commune     INSEE code
    department  department code (26, 05…)
    sort        "relevance" (default with q), "name" (default), "updated" (newest first),
                "distance" (needs ``near`` or ``lat``+``lon``; default when they are given)
    near        INSEE code of the commune to measure distances from
    lat, lon    a point to measure distances from (WGS84 degrees), instead of ``near``

Unknown or malformed values are dropped and explained in ``messages``: nothing here raises on
input, and no raw value reaches a query (every value is checked against known slugs and codes).

Semantics: filters on different parameters combine with AND; several themes or services also
combine with AND, so each count means "results if you add this value". Facet counts are taken on
the current results; for a single-choice facet that is already set (type, kind, commune,
department), the other options carry no count (``count`` is None).

Queries: about eight whatever the number of results: known values come from a per-locale cache
(cleared by signals when vocabularies, communes or entries change), one search query, two light
row queries (one per entry model), three aggregate queries for theme and service counts, and two
for ``entries()``.
"""

import math
import unicodedata
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from wagtail.models import Page

from taxonomy.models import Theme

from .models import ActorKind, ActorPage, Commune, PlaceKind, PlacePage, Service

MAX_QUERY_LENGTH = 200
MAX_VALUES = 10
TYPES = ("actor", "place")
SORTS = ("relevance", "name", "updated", "distance")
CACHE_KEY = "directory:known:{locale_id}"
CACHE_SECONDS = 300
# Communes offered as distance origins besides those that have entries.
TERRITORY_IN_PARK = {"yes_2015", "partial_2015", "ville_porte", "unverified_ccbdp", "yes"}


DEPARTMENT_NAMES = {"04": "Alpes-de-Haute-Provence", "05": "Hautes-Alpes", "26": "Drôme", "84": "Vaucluse"}


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

    @property
    def departments(self):
        return sorted({self.communes[code][1] for code in self.used_communes if code in self.communes})


def known_values(locale):
    """The known slugs and codes for ``locale`` (cached; see ``clear_known_values``)."""
    key = CACHE_KEY.format(locale_id=locale.pk)
    known = cache.get(key)
    if known is not None:
        return known
    known = KnownValues(
        themes=dict(Theme.objects.filter(locale=locale).values_list("slug", "name")),
        services=dict(Service.objects.filter(locale=locale).values_list("slug", "name")),
        actor_kinds=dict(ActorKind.objects.filter(locale=locale).values_list("slug", "name")),
        place_kinds=dict(PlaceKind.objects.filter(locale=locale).values_list("slug", "name")),
    )
    used = set()
    for model in (ActorPage, PlacePage):
        used.update(
            model.objects.live().filter(locale=locale, commune__isnull=False).values_list("commune__insee", flat=True).distinct()
        )
    territory = []
    for insee, name, department, lat, lon, in_park in Commune.objects.values_list(
        "insee", "name", "department", "latitude", "longitude", "in_park"
    ):
        known.communes[insee] = (name, department, lat, lon)
        if insee in used or in_park in TERRITORY_IN_PARK:
            territory.append(insee)
    known.used_communes = sorted(used, key=lambda code: sort_key(known.communes.get(code, ("",))[0]))
    known.territory = sorted(territory, key=lambda code: sort_key(known.communes[code][0]))
    cache.set(key, known, CACHE_SECONDS)
    return known


def clear_known_values(**kwargs):
    from wagtail.models import Locale

    cache.delete_many([CACHE_KEY.format(locale_id=pk) for pk in Locale.objects.values_list("pk", flat=True)])


def sort_key(text):
    """Alphabetical order that ignores case and accents (É sorts with E)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


def haversine_km(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(min(1.0, math.sqrt(h)))


def _coordinate(value, limit):
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number) or abs(number) > limit:
        return None
    return number


class DirectoryQuery:
    def __init__(self, params, messages, locale, known):
        self.params = params
        self.messages = messages
        self.locale = locale
        self.known = known
        self._rows = None
        self._search_ids = None

    # --- validation -------------------------------------------------------------------

    @classmethod
    def from_params(cls, querydict, locale):
        """Validate a QueryDict (or a dict of lists/strings) against the known values."""
        known = known_values(locale)
        messages = []

        def values(name):
            if hasattr(querydict, "getlist"):
                raw = querydict.getlist(name)
            else:
                raw = querydict.get(name, [])
                raw = [raw] if isinstance(raw, str) else list(raw)
            cleaned = []
            for value in raw:
                value = str(value).strip()
                if value and value not in cleaned:
                    cleaned.append(value)
            if len(cleaned) > MAX_VALUES:
                messages.append(_("Trop de valeurs pour « %(name)s » : seules les %(n)s premières sont prises en compte.") % {"name": name, "n": MAX_VALUES})
                cleaned = cleaned[:MAX_VALUES]
            return cleaned

        def single(name):
            found = values(name)
            if len(found) > 1:
                messages.append(_("Un seul choix possible pour « %(name)s » : le premier est retenu.") % {"name": name})
            return found[0] if found else ""

        def unknown(label):
            messages.append(_("Filtre « %(label)s » : valeur inconnue, ignorée.") % {"label": label})

        params = {}
        q = " ".join(single("q").split())
        if len(q) > MAX_QUERY_LENGTH:
            q = q[:MAX_QUERY_LENGTH]
            messages.append(_("Votre recherche était trop longue : seuls ses %(n)s premiers caractères ont été utilisés.") % {"n": MAX_QUERY_LENGTH})
        params["q"] = q

        entry_type = single("type")
        if entry_type and entry_type not in TYPES:
            unknown(_("type"))
            entry_type = ""
        params["type"] = entry_type

        kind = single("kind")
        if kind and kind not in known.actor_kinds and kind not in known.place_kinds:
            unknown(_("catégorie"))
            kind = ""
        params["kind"] = kind

        for name, label, allowed in (("theme", _("thème"), known.themes), ("service", _("service"), known.services)):
            chosen = values(name)
            if any(value not in allowed for value in chosen):
                unknown(label)
            params[name] = [value for value in chosen if value in allowed]

        commune = single("commune")
        if commune and commune not in known.communes:
            unknown(_("commune"))
            commune = ""
        params["commune"] = commune

        department = single("department")
        all_departments = {data[1] for data in known.communes.values()}
        if department and department not in all_departments:
            unknown(_("département"))
            department = ""
        params["department"] = department

        near = single("near")
        if near and near not in known.communes:
            unknown(_("distance depuis"))
            near = ""
        params["near"] = near
        raw_lat, raw_lon = single("lat"), single("lon")
        lat, lon = _coordinate(raw_lat, 90), _coordinate(raw_lon, 180)
        if (raw_lat or raw_lon) and (lat is None or lon is None):
            messages.append(_("Coordonnées invalides : elles sont ignorées."))
            lat = lon = None
        params["lat"], params["lon"] = ("" if lat is None else lat), ("" if lon is None else lon)

        sort = single("sort")
        if sort and sort not in SORTS:
            unknown(_("tri"))
            sort = ""
        has_origin = bool(near) or lat is not None
        if sort == "distance" and not has_origin:
            messages.append(_("Pour trier par distance, choisissez une commune de départ."))
            sort = ""
        if sort == "relevance" and not q:
            sort = ""
        params["sort"] = sort or ("distance" if has_origin else "relevance" if q else "name")
        return cls(params, messages, locale, known)

    def querystring(self, **overrides):
        """The validated parameters as a query string (no ``page``), with optional overrides."""
        params = {**self.params, **overrides}
        default_sort = "distance" if (params["near"] or params["lat"] != "") else "relevance" if params["q"] else "name"
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
        return any(self.params[name] for name in ("q", "type", "kind", "theme", "service", "commune", "department"))

    # --- querysets --------------------------------------------------------------------

    def querysets(self):
        """{"actor": ActorPage queryset, "place": PlacePage queryset}, filtered (no search)."""
        p = self.params
        sets = {}
        for entry_type, model, kinds in (("actor", ActorPage, self.known.actor_kinds), ("place", PlacePage, self.known.place_kinds)):
            if p["type"] and p["type"] != entry_type:
                continue
            if p["kind"] and p["kind"] not in kinds:
                continue
            if p["service"] and entry_type == "actor":
                continue
            qs = model.objects.live().public().filter(locale=self.locale)
            if p["kind"]:
                qs = qs.filter(kind__slug=p["kind"])
            for slug in p["theme"]:
                qs = qs.filter(themes__slug=slug)
            for slug in p["service"]:
                qs = qs.filter(services__slug=slug)
            if p["commune"]:
                qs = qs.filter(commune__insee=p["commune"])
            if p["department"]:
                qs = qs.filter(commune__department=p["department"])
            sets[entry_type] = qs
        return sets

    def search_ids(self):
        """Page ids matching ``q`` in relevance order, or None without ``q``."""
        if not self.params["q"]:
            return None
        if self._search_ids is not None:
            return self._search_ids
        pages = Page.objects.live().filter(locale=self.locale).type(ActorPage, PlacePage).only("id")
        self._search_ids = [page.pk for page in pages.search(self.params["q"], operator="and")]
        return self._search_ids

    @property
    def rows(self):
        if self._rows is None:
            self._rows = self._compute_rows()
        return self._rows

    @property
    def count(self):
        return len(self.rows)

    def _compute_rows(self):
        ids = self.search_ids()
        if ids is not None and not ids:
            return []
        rows = []
        fields = ["pk", "title", "url_path", "last_published_at", "kind__slug", "commune__insee", "latitude", "longitude", "commune__latitude", "commune__longitude"]
        for entry_type, qs in self.querysets().items():
            if ids is not None:
                qs = qs.filter(pk__in=ids)
            for pk, title, url_path, published, kind, insee, lat, lon, clat, clon in qs.values_list(*fields).distinct():
                precise = lat is not None and lon is not None
                point = (lat, lon) if precise else (clat, clon) if clat is not None and clon is not None else None
                rows.append(EntryRow(pk, entry_type, title, url_path, published, kind or "", insee or "", point, precise))
        origin = self.origin
        if origin is not None:
            for row in rows:
                row.distance = haversine_km(origin, row.point) if row.point else None
        sort = self.params["sort"]
        if sort == "relevance" and ids is not None:
            rank = {pk: index for index, pk in enumerate(ids)}
            rows.sort(key=lambda row: rank.get(row.pk, len(rank)))
        elif sort == "updated":
            rows.sort(key=lambda row: sort_key(row.title))
            rows.sort(key=lambda row: row.last_published_at.timestamp() if row.last_published_at else 0, reverse=True)
        elif sort == "distance":
            rows.sort(key=lambda row: (row.distance is None, row.distance or 0, sort_key(row.title)))
        else:
            rows.sort(key=lambda row: sort_key(row.title))
        return rows

    def entries(self, rows):
        """The specific pages for ``rows`` (same order), with commune and kind loaded: two queries."""
        by_type = {"actor": [], "place": []}
        for row in rows:
            by_type[row.type].append(row.pk)
        pages = {}
        for entry_type, model in (("actor", ActorPage), ("place", PlacePage)):
            if by_type[entry_type]:
                for page in model.objects.filter(pk__in=by_type[entry_type]).select_related("commune", "kind"):
                    pages[page.pk] = page
        result = []
        for row in rows:
            page = pages.get(row.pk)
            if page is not None:
                page.row = row
                result.append(page)
        return result

    # --- facets and markers ------------------------------------------------------------

    def facets(self):
        p, known, rows = self.params, self.known, self.rows
        type_counts, kind_counts, commune_counts, department_counts = {}, {}, {}, {}
        for row in rows:
            type_counts[row.type] = type_counts.get(row.type, 0) + 1
            if row.kind:
                key = (row.type, row.kind)
                kind_counts[key] = kind_counts.get(key, 0) + 1
            if row.commune:
                commune_counts[row.commune] = commune_counts.get(row.commune, 0) + 1
                department = known.communes[row.commune][1]
                department_counts[department] = department_counts.get(department, 0) + 1

        def single(name, options, counts):
            active = bool(p[name])
            return [
                FacetValue(value, label, None if active and value != p[name] else counts.get(count_key, 0), value == p[name], group)
                for value, label, count_key, group in options
            ]

        facets = {
            "type": single("type", [("actor", _("Acteurs"), "actor", ""), ("place", _("Lieux"), "place", "")], type_counts),
            "kind": single(
                "kind",
                [(slug, name, slug, "actor") for slug, name in known.actor_kinds.items()]
                + [(slug, name, slug, "place") for slug, name in known.place_kinds.items()],
                _merge_kind_counts(kind_counts),
            ),
            "commune": single(
                "commune",
                [(code, known.communes[code][0], code, "") for code in known.used_communes if code in known.communes]
                + ([(p["commune"], known.communes[p["commune"]][0], p["commune"], "")] if p["commune"] and p["commune"] not in known.used_communes else []),
                commune_counts,
            ),
            "department": single(
                "department",
                [(code, f"{DEPARTMENT_NAMES.get(code, code)} ({code})", code, "") for code in sorted(set(known.departments) | ({p["department"]} if p["department"] else set()))],
                department_counts,
            ),
        }
        facets["theme"] = self._m2m_facet("theme", "themes", known.themes, ("actor", "place"))
        facets["service"] = self._m2m_facet("service", "services", known.services, ("place",))
        return facets

    def _m2m_facet(self, name, relation, labels, types):
        counts = {}
        if self.rows:
            ids = self.search_ids() if self.params["q"] else None
            for entry_type, qs in self.querysets().items():
                if entry_type not in types:
                    continue
                if ids is not None:
                    qs = qs.filter(pk__in=ids)
                for slug, n in (
                    qs.filter(**{f"{relation}__isnull": False}).values_list(f"{relation}__slug").annotate(n=Count("pk", distinct=True)).order_by()
                ):
                    counts[slug] = counts.get(slug, 0) + n
        selected = self.params[name]
        return [FacetValue(slug, label, counts.get(slug, 0), slug in selected) for slug, label in labels.items()]

    def markers(self, base_url_path, base_url):
        """Map markers for every row with a point. ``base_url_path``/``base_url``: the directory
        index page's ``url_path`` and public URL, used to build entry URLs without queries."""
        markers = []
        for row in self.rows:
            if row.point is None:
                continue
            if row.url_path.startswith(base_url_path):
                url = base_url + row.url_path[len(base_url_path):]
            else:
                url = ""
            markers.append(
                {"id": row.pk, "title": row.title, "url": url, "type": row.type, "lat": round(row.point[0], 6), "lon": round(row.point[1], 6), "precise": row.precise}
            )
        return markers


def _merge_kind_counts(kind_counts):
    merged = {}
    for (_type, slug), n in kind_counts.items():
        merged[slug] = merged.get(slug, 0) + n
    return merged
