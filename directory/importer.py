"""Import of directory entries from our own CSV export or GeoJSON (``manage.py import_directory``).

Stable key: the ``uuid`` column, which is the entry's Wagtail ``translation_key`` (shared by its
translations; together with ``langue`` it names one page). A row without ``uuid`` matches an
existing entry by ``slug`` under the directory of its language, else creates one with a new key.

All rows are checked before anything is written; one rejected row means nothing is saved. Rows
identical to what is published are left alone (no new revision), so exporting then importing the
result changes nothing. Imported entries are published. An existing entry is never moved: its
``parent`` column is only used when the entry is created.
"""

import csv
import json
import math
import uuid as uuid_lib
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import translation
from django.utils.text import slugify
from wagtail.models import Locale

from taxonomy.models import Sector, Theme

from .commons.hours import clean_value as clean_hours
from .commons.hours import error_message as hours_error_message
from .models import (
    ActorKind,
    ActorPage,
    Commune,
    DirectoryEntry,
    PlaceKind,
    PlacePage,
    Service,
)
from .opendata import (
    COLUMNS,
    READ_ONLY_COLUMNS,
    SEPARATOR,
    TYPE_ACTOR,
    TYPE_PLACE,
    entry_row,
    load_entries,
)
from .pages import DirectoryIndexPage

WRITABLE = [
    c for c in COLUMNS if c not in READ_ONLY_COLUMNS and c not in ("uuid", "type", "langue")
]
# The column of each model field the import writes: the model's own validation (lengths, slug,
# e-mail, web addresses, bounds, choices) checks these fields and names the column in its report.
FIELD_COLUMNS = {
    "title": "nom",
    "slug": "slug",
    "summary": "resume",
    "description": "description",
    "address": "adresse",
    "latitude": "latitude",
    "longitude": "longitude",
    "phone": "telephone",
    "email": "courriel",
    "website": "site_web",
    "is_member": "membre",
    "mastodon_url": "mastodon",
    "facebook_url": "facebook",
    "linkedin_url": "linkedin",
    "opening_hours": "horaires",
    "prices": "tarifs",
    "wheelchair": "acces_fauteuil",
    "capacity": "capacite",
}
COMMUNE_TOLERANCE = 1e-7


class ImportFileError(Exception):
    """The file cannot be read at all (format, encoding, columns)."""


@dataclass
class Row:
    line: str  # "ligne 3" or "objet 2"
    data: dict
    geometry: tuple | None = None  # (lon, lat) from GeoJSON
    errors: list = field(default_factory=list)
    entry: object = None  # the existing page, if any
    action: str = ""  # create | update | unchanged


def read_file(path):
    path = Path(path)
    if not path.exists():
        raise ImportFileError(f"Fichier introuvable : {path}")
    suffix = path.suffix.lower()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(f"Le fichier n'est pas en UTF-8 ({error}).") from error
    if suffix == ".csv":
        return _read_csv(text)
    if suffix in (".geojson", ".json"):
        return _read_geojson(text)
    raise ImportFileError("Format inconnu : donnez un fichier .csv ou .geojson.")


def _read_csv(text):
    reader = csv.DictReader(text.splitlines(keepends=True))
    if not reader.fieldnames or not {"type", "nom"} <= set(reader.fieldnames):
        raise ImportFileError(
            "Colonnes manquantes : il faut au moins « type » et « nom » (voir docs/directory-open-data.md)."
        )
    unknown = set(reader.fieldnames) - set(COLUMNS)
    if unknown:
        raise ImportFileError(f"Colonnes inconnues : {', '.join(sorted(unknown))}.")
    rows, start = [], 2
    for record in reader:
        if None in record:
            rows.append(Row(f"ligne {start}", {}, errors=["trop de valeurs sur la ligne"]))
        else:
            rows.append(Row(f"ligne {start}", {k: (v or "").strip() for k, v in record.items()}))
        start = reader.line_num + 1
    return rows


def _read_geojson(text):
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(f"GeoJSON illisible : {error}.") from error
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise ImportFileError("Le GeoJSON doit être une FeatureCollection.")
    rows = []
    for number, feature in enumerate(data["features"], start=1):
        row = Row(f"objet {number}", {})
        rows.append(row)
        if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
            row.errors.append("objet sans propriétés")
            continue
        props = feature["properties"]
        unknown = set(props) - set(COLUMNS)
        if unknown:
            row.errors.append(f"propriétés inconnues : {', '.join(sorted(unknown))}")
        row.data = {
            k: ("" if props.get(k) is None else str(props.get(k)).strip())
            for k in COLUMNS
            if k in props
        }
        geometry = feature.get("geometry")
        if geometry is not None:
            coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
            if (
                not isinstance(geometry, dict)
                or geometry.get("type") != "Point"
                or not isinstance(coords, list)
                or len(coords) < 2
                or not all(isinstance(c, int | float) for c in coords[:2])
            ):
                row.errors.append("géométrie invalide : un Point [longitude, latitude] est attendu")
            else:
                row.geometry = (float(coords[0]), float(coords[1]))
    return rows


class Vocabularies:
    """Known values, loaded once (a few queries for the whole file)."""

    def __init__(self):
        self.locales = {loc.language_code: loc for loc in Locale.objects.all()}
        self.indexes = {p.locale_id: p for p in DirectoryIndexPage.objects.all()}
        self.communes = {c.insee: c for c in Commune.objects.all()}
        # One unsaved page per model on which each row's fields are validated (model_errors).
        self.blank_pages = {}

        def by_locale(model):
            table = {}
            for obj in model.objects.all():
                table[(obj.locale_id, obj.slug)] = obj
            return table

        self.terms = {
            "actor_kind": by_locale(ActorKind),
            "place_kind": by_locale(PlaceKind),
            "themes": by_locale(Theme),
            "secteurs": by_locale(Sector),
            "services": by_locale(Service),
        }


def _split(value):
    return [v.strip() for v in value.split(SEPARATOR) if v.strip()] if value else []


def _number(value):
    """``value`` as a float; None when empty or not a number (that row is rejected already)."""
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _float(value, low, high, name, errors):
    try:
        number = float(value)
    except ValueError:
        errors.append(f"{name} « {value[:30]} » n'est pas un nombre")
        return None
    if not math.isfinite(number) or not low <= number <= high:
        errors.append(f"{name} {value[:30]} hors des bornes [{low}, {high}]")
        return None
    return number


def check_row(row, vocab, keys_in_file):
    """Validate and normalise ``row.data`` in place, in the export's string format."""
    data, errors = row.data, row.errors
    if not data:
        return
    data.setdefault("langue", "fr")
    data["langue"] = data["langue"] or "fr"
    locale = vocab.locales.get(data["langue"])
    if locale is None:
        errors.append(f"langue « {data['langue'][:10]} » inconnue (fr ou en)")
        return
    if locale.pk not in vocab.indexes:
        errors.append(f"pas de page d'annuaire en « {locale.language_code} »")
    entry_type = data.get("type", "")
    if entry_type not in (TYPE_ACTOR, TYPE_PLACE):
        errors.append(f"type « {entry_type[:20]} » inconnu (acteur ou lieu)")
        return
    is_place = entry_type == TYPE_PLACE
    if data.get("uuid"):
        try:
            data["uuid"] = str(uuid_lib.UUID(data["uuid"]))
        except ValueError:
            errors.append(f"uuid « {data['uuid'][:40]} » invalide")
    for name in ("nom", "resume"):
        if not data.get(name):
            errors.append(f"{name} manquant")
    data["slug"] = data.get("slug") or slugify(data.get("nom", ""))[:80]

    kind_table = vocab.terms["place_kind" if is_place else "actor_kind"]
    if not data.get("type_structure"):
        errors.append("type_structure manquant")
    elif (locale.pk, data["type_structure"]) not in kind_table:
        errors.append(f"type_structure « {data['type_structure'][:40]} » inconnu")
    for column in ("themes", "secteurs", "services"):
        values = _split(data.get(column, ""))
        if column == "services" and values and not is_place:
            errors.append("services : réservé aux lieux")
        unknown = [v for v in values if (locale.pk, v) not in vocab.terms[column]]
        if unknown:
            errors.append(f"{column} inconnus : {', '.join(u[:40] for u in unknown[:5])}")
        data[column] = SEPARATOR.join(sorted(set(values)))

    insee = data.get("commune_insee", "")
    if insee and insee not in vocab.communes:
        errors.append(f"commune_insee « {insee[:10]} » inconnue")
    lat, lon = data.get("latitude", ""), data.get("longitude", "")
    if bool(lat) != bool(lon):
        errors.append("latitude et longitude vont ensemble")
    elif lat:
        lat_value = _float(lat, -90, 90, "latitude", errors)
        lon_value = _float(lon, -180, 180, "longitude", errors)
        if lat_value is not None and lon_value is not None:
            data["latitude"], data["longitude"] = repr(lat_value), repr(lon_value)
    elif row.geometry is not None:
        lon_value, lat_value = row.geometry
        commune = vocab.communes.get(insee)
        at_commune = (
            commune is not None
            and commune.latitude is not None
            and abs(commune.latitude - lat_value) < COMMUNE_TOLERANCE
            and abs(commune.longitude - lon_value) < COMMUNE_TOLERANCE
        )
        if not at_commune:
            if -90 <= lat_value <= 90 and -180 <= lon_value <= 180:
                data["latitude"], data["longitude"] = repr(lat_value), repr(lon_value)
            else:
                errors.append("coordonnées de la géométrie hors des bornes")

    if is_place:
        for column in ("membre", "mastodon", "facebook", "linkedin"):
            if data.get(column):
                errors.append(f"{column} : réservé aux acteurs")
        if data.get("horaires"):
            hours_error = hours_error_message(data["horaires"])
            if hours_error:
                errors.append(f"horaires : {hours_error}")
            data["horaires"] = clean_hours(data["horaires"])
        if data.get("acces_fauteuil", "") not in ("", *PlacePage.Wheelchair.values):
            errors.append("acces_fauteuil : yes, limited, no ou vide")
        if data.get("capacite"):
            if not data["capacite"].isdigit() or int(data["capacite"]) > 100000:
                errors.append("capacite : un nombre entier positif")
            else:
                data["capacite"] = str(int(data["capacite"]))
        for key in _split(data.get("structures", "")):
            if (
                key not in keys_in_file["acteur"]
                and not ActorPage.objects.filter(
                    translation_key=_safe_uuid(key), locale=locale
                ).exists()
            ):
                errors.append(f"structures : acteur « {key[:40]} » introuvable")
        data["structures"] = SEPARATOR.join(sorted(set(_split(data.get("structures", "")))))
    else:
        membre = data.get("membre", "").lower()
        if membre not in ("", "oui", "non"):
            errors.append("membre : oui ou non")
        data["membre"] = "oui" if membre == "oui" else "non"
        for column in (
            "services",
            "horaires",
            "tarifs",
            "acces_fauteuil",
            "capacite",
            "structures",
            "parent",
        ):
            if data.get(column):
                errors.append(f"{column} : réservé aux lieux")
    parent = data.get("parent", "")
    if parent and is_place:
        if (
            parent not in keys_in_file["acteur"]
            and not ActorPage.objects.filter(
                translation_key=_safe_uuid(parent), locale=locale
            ).exists()
        ):
            errors.append(f"parent : acteur « {parent[:40]} » introuvable")
    for column in WRITABLE:
        data.setdefault(column, "")
    errors += model_errors(PlacePage if is_place else ActorPage, data, vocab, locale, errors)


def model_errors(model, data, vocab, locale, reported):
    """The model's own validation of the fields the row sets (``clean_fields``), one message per
    column; columns already in ``reported`` are not reported again.

    The page is not saved and has no place in the tree yet: only the fields of ``FIELD_COLUMNS``
    are checked, which takes no query (kinds and communes were found in ``vocab``, the slug's
    uniqueness is checked in bulk by ``plan``)."""
    done = {message.split(" ", 1)[0] for message in reported}
    checked = {name for name, column in FIELD_COLUMNS.items() if column not in done}
    page = vocab.blank_pages.get(model)
    if page is None:
        page = vocab.blank_pages[model] = model()
    page.locale = locale
    _set_own_fields(page, data, vocab, locale)  # every one of them: nothing left from another row
    exclude = [f.name for f in model._meta.concrete_fields if f.name not in checked]
    try:
        page.clean_fields(exclude=exclude)
    except ValidationError as error:
        return [
            f"{FIELD_COLUMNS[name]} : {message}"
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return []


def _safe_uuid(value):
    try:
        return uuid_lib.UUID(value)
    except ValueError:
        return None


def _uuid_text(value):
    """``value`` in the canonical text of a uuid (the keys of ``_actors_named``)."""
    return str(_safe_uuid(value))


def plan(rows, vocab):
    """Check every row and decide create / update / unchanged; rows with errors keep them."""
    keys_in_file = {TYPE_ACTOR: set(), TYPE_PLACE: set()}
    seen = {}
    for row in rows:
        key = (row.data.get("uuid"), row.data.get("langue") or "fr")
        if row.data.get("uuid"):
            if key in seen:
                row.errors.append(f"uuid en double (déjà à la {seen[key]})")
            seen[key] = row.line
            if row.data.get("type") in keys_in_file:
                keys_in_file[row.data["type"]].add(row.data["uuid"])
    with translation.override(settings.LANGUAGE_CODE):  # the models' messages, in French
        for row in rows:
            check_row(row, vocab, keys_in_file)
    good = [row for row in rows if not row.errors]
    _find_existing(good, vocab)
    new_slugs = set()
    taken = {}  # locale id -> slugs of the pages already under that directory (one query each)
    for row in good:
        if row.entry is None:
            row.action = "create"
            locale = vocab.locales[row.data["langue"]]
            parent_key = row.data.get("parent") if row.data["type"] == TYPE_PLACE else ""
            slot = (locale.pk, parent_key, row.data["slug"])
            if slot in new_slugs:
                row.errors.append(f"slug « {row.data['slug']} » en double dans le fichier")
            new_slugs.add(slot)
            if locale.pk not in taken:
                taken[locale.pk] = set(
                    vocab.indexes[locale.pk].get_children().values_list("slug", flat=True)
                )
            if not parent_key and row.data["slug"] in taken[locale.pk]:
                row.errors.append(f"slug « {row.data['slug']} » déjà pris par une autre page")
        else:
            if type(row.entry) is not (PlacePage if row.data["type"] == TYPE_PLACE else ActorPage):
                row.errors.append("cette clé désigne une entrée d'un autre type")
                continue
            current = entry_row(row.entry)
            changed = [
                c for c in WRITABLE if c != "parent" and current.get(c, "") != row.data.get(c, "")
            ]
            row.action = "update" if changed else "unchanged"
    return rows


def _find_existing(rows, vocab):
    by_key = {}
    keys = [_safe_uuid(r.data["uuid"]) for r in rows if r.data.get("uuid")]
    pages = DirectoryEntry.objects.filter(translation_key__in=keys).values_list(
        "pk", "translation_key", "locale_id"
    )
    for pk, key, locale_id in pages:
        by_key[(str(key), locale_id)] = pk
    # A row without uuid: the first entry (lowest id) with its slug under its language's
    # directory, found for every such row in one query.
    unkeyed = [row for row in rows if not row.data.get("uuid")]
    by_slug = {}
    if unkeyed:
        same_slug = DirectoryEntry.objects.filter(
            slug__in={row.data["slug"] for row in unkeyed},
            locale_id__in={vocab.locales[row.data["langue"]].pk for row in unkeyed},
        ).values_list("pk", "slug", "locale_id", "path")
        for pk, slug, locale_id, path in sorted(same_slug):
            index = vocab.indexes.get(locale_id)
            if index is not None and path.startswith(index.path) and path != index.path:
                by_slug.setdefault((locale_id, slug), pk)
    for row in rows:
        locale = vocab.locales[row.data["langue"]]
        if row.data.get("uuid"):
            row.entry_pk = by_key.get((row.data["uuid"], locale.pk))
        else:
            row.entry_pk = by_slug.get((locale.pk, row.data["slug"]))
    loaded = {e.pk: e for e in load_entries([r.entry_pk for r in rows if r.entry_pk])}
    for row in rows:
        row.entry = loaded.get(row.entry_pk)


def _set_own_fields(page, data, vocab, locale):
    """The page's own columns (kinds and communes from ``vocab``): no query."""
    is_place = isinstance(page, PlacePage)
    page.title = data["nom"]
    page.slug = data["slug"]
    page.summary = data["resume"]
    page.description = data.get("description", "")
    kind_table = vocab.terms["place_kind" if is_place else "actor_kind"]
    page.kind = (
        kind_table.get((locale.pk, data["type_structure"])) if data["type_structure"] else None
    )
    page.commune = vocab.communes.get(data["commune_insee"]) if data["commune_insee"] else None
    page.address = data["adresse"]
    page.latitude = _number(data["latitude"])
    page.longitude = _number(data["longitude"])
    page.phone = data["telephone"]
    page.email = data["courriel"]
    page.website = data["site_web"]
    if is_place:
        page.opening_hours = data["horaires"]
        page.prices = data["tarifs"]
        page.wheelchair = data["acces_fauteuil"]
        page.capacity = int(data["capacite"]) if data["capacite"].isdigit() else None
    else:
        page.is_member = data["membre"] == "oui"
        page.mastodon_url = data["mastodon"]
        page.facebook_url = data["facebook"]
        page.linkedin_url = data["linkedin"]


def _set_fields(page, data, vocab, locale, actors):
    """Every column of the row on ``page``; ``actors``: the actors the file's places point to,
    by (locale id, uuid) (``_actors_named``)."""
    _set_own_fields(page, data, vocab, locale)
    page.themes = [vocab.terms["themes"][(locale.pk, s)] for s in _split(data["themes"])]
    page.sectors = [vocab.terms["secteurs"][(locale.pk, s)] for s in _split(data["secteurs"])]
    if isinstance(page, PlacePage):
        page.services = [vocab.terms["services"][(locale.pk, s)] for s in _split(data["services"])]
        named = [actors.get((locale.pk, _uuid_text(key))) for key in _split(data["structures"])]
        page.operators = sorted({actor for actor in named if actor}, key=lambda a: a.path)


def _actors_named(rows, vocab):
    """The actors that the place rows name (``structures`` and ``parent``), by (locale id, uuid),
    in the tree's order: one query for the whole file, once its actors are written."""
    keys, locales = set(), set()
    for row in rows:
        if row.data["type"] != TYPE_PLACE or row.action not in ("create", "update"):
            continue
        named = _split(row.data["structures"])
        if row.action == "create" and row.data.get("parent"):
            named.append(row.data["parent"])
        keys.update(key for key in map(_safe_uuid, named) if key is not None)
        if named:
            locales.add(vocab.locales[row.data["langue"]].pk)
    if not keys:
        return {}
    found = ActorPage.objects.filter(translation_key__in=keys, locale_id__in=locales)
    return {
        (actor.locale_id, str(actor.translation_key)): actor for actor in found.order_by("path")
    }


def apply(rows, vocab, progress=None):
    """Write the planned rows, all or nothing: actors first, so that places can point to them.

    New entries are created in bulk (``core.bulk_pages``: a fixed number of queries per batch,
    each with its revision and history), updated ones through Wagtail's usual revision and
    publication. The search index is then updated once for every written entry, and the caches
    are cleared once."""
    from core.bulk_pages import create_published_pages, index_pages
    from core.page_cache import invalidate

    from .commons.hours import rebuild as rebuild_hours
    from .signal_handlers import exports_changed

    total = len(rows)
    done = 0
    created, updated = [], []
    with transaction.atomic(), _search_index_deferred():
        for entry_type in (TYPE_ACTOR, TYPE_PLACE):
            typed = [row for row in rows if row.data["type"] == entry_type]
            model = PlacePage if entry_type == TYPE_PLACE else ActorPage
            actors = _actors_named(typed, vocab) if model is PlacePage else {}
            by_parent = {}
            for row in typed:
                if row.action != "create":
                    continue
                locale = vocab.locales[row.data["langue"]]
                parent = vocab.indexes[locale.pk]
                if row.data.get("parent") and model is PlacePage:
                    parent = actors.get((locale.pk, _uuid_text(row.data["parent"])))
                    if parent is None:
                        raise ActorPage.DoesNotExist(
                            f"ActorPage {row.data['parent']} ({locale.language_code})"
                        )
                page = model(locale=locale)
                if row.data.get("uuid"):
                    page.translation_key = row.data["uuid"]
                _set_fields(page, row.data, vocab, locale, actors)
                by_parent.setdefault(parent.pk, (parent, []))[1].append(page)
            for parent, pages in by_parent.values():
                created += create_published_pages(parent, pages)
                done += len(pages)
                if progress:
                    progress(done, total)
            for row in typed:
                if row.action == "update":
                    page = row.entry
                    locale = vocab.locales[row.data["langue"]]
                    _set_fields(page, row.data, vocab, locale, actors)
                    page.save_revision().publish()
                    updated.append(page)
                if row.action != "create":
                    done += 1
                    if progress:
                        progress(done, total)
        # New pages hold what was written; updated ones are read again after their publication.
        index_pages(created, reload=False)
        index_pages(updated)
        written = created + updated
        rebuild_hours([page for page in written if isinstance(page, PlacePage)])
        if written:
            invalidate()
            exports_changed()


@contextmanager
def _search_index_deferred():
    """Within an import the entries are indexed once at the end (``index_pages``), not at each of
    the several saves Wagtail makes per published revision. The command runs in its own process,
    so disconnecting the search signal handlers for the entry models touches no other request."""
    from modelsearch.signal_handlers import post_save_signal_handler
    from wagtail.signal_handlers import disable_reference_index_auto_update

    models = (ActorPage, PlacePage)
    disconnected = [
        model for model in models if post_save.disconnect(post_save_signal_handler, sender=model)
    ]
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in disconnected:
            post_save.connect(post_save_signal_handler, sender=model)
