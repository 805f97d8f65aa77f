"""The read-only JSON API of the directory, mounted at /api/v1/ (OpenAPI at /api/v1/openapi.json).

Only live, public entries are served. Every parameter is validated; bad values get a 400 with a
message, unknown entries a 404. No interactive documentation page is served (it would load assets
from a CDN); partners read the OpenAPI document.
"""

from datetime import date
from typing import Literal

from django.conf import settings
from django.utils import translation
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.errors import HttpError, ValidationError
from ninja.responses import Status
from wagtail.rich_text import expand_db_html

from taxonomy.models import Sector, Theme

from . import opendata
from .filters import MAX_QUERY_LENGTH, MAX_VALUES
from .models import ActorKind, Commune, DirectoryEntry, PlaceKind, PlacePage, Service

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
Language = Literal[LANGUAGES]  # type: ignore[valid-type]
MAX_PAGE_SIZE = 100

api = NinjaAPI(
    title="Annuaire Innover en Baronnies provençales",
    version="1.0.0",
    description=(
        "Acteurs et tiers-lieux des Baronnies provençales, en lecture seule. "
        f"Données sous {opendata.LICENCE_NAME} : {opendata.LICENCE_URL}"
    ),
    urls_namespace="api_v1",
    docs_url=None,
    openapi_url="/openapi.json",
)


# --- schemas ------------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str


class TermOut(Schema):
    slug: str
    name: str


class CommuneOut(Schema):
    insee: str
    name: str
    postal_codes: list[str]
    department: str
    epci: str
    latitude: float | None
    longitude: float | None


class PointOut(Schema):
    latitude: float
    longitude: float
    precise: bool = Field(description="Faux quand l'entrée est placée au centre de sa commune.")


class EntryOut(Schema):
    id: int
    uuid: str = Field(description="Clé stable, partagée par les traductions d'une même entrée.")
    type: Literal["actor", "place"]
    language: str
    name: str
    slug: str
    url: str
    summary: str
    description_html: str
    kind: TermOut | None
    themes: list[TermOut]
    sectors: list[TermOut]
    services: list[TermOut]
    commune: CommuneOut | None
    address: str
    point: PointOut | None
    phone: str
    email: str
    website: str
    social_links: list[str]
    is_member: bool | None = Field(description="Acteurs seulement : membre du réseau.")
    opening_hours: str = Field(description="Lieux : syntaxe OpenStreetMap opening_hours.")
    prices: str
    wheelchair: str
    capacity: int | None
    operators: list[str] = Field(description="Lieux : uuid des acteurs qui l'animent.")
    parent: str = Field(
        description="Lieux : uuid de l'acteur sous lequel il est rangé, sinon vide."
    )
    updated: date | None


class EntryListOut(Schema):
    count: int
    page: int
    page_size: int
    num_pages: int
    results: list[EntryOut]


class VocabulariesOut(Schema):
    actor_kinds: list[TermOut]
    place_kinds: list[TermOut]
    services: list[TermOut]
    themes: list[TermOut]
    sectors: list[TermOut]


class EntryQuery(Schema):
    """The directory page's parameters (see directory/filters.py), plus paging and language."""

    lang: Language = Field(settings.LANGUAGE_CODE, description="Langue des entrées : fr ou en.")  # type: ignore[valid-type]
    q: str = Field(
        "",
        max_length=MAX_QUERY_LENGTH,
        description="Recherche plein texte (français, sans accents).",
    )
    type: Literal["actor", "place"] | None = Field(None, description="Acteurs ou lieux seulement.")
    kind: str | None = Field(
        None, max_length=100, description="Identifiant d'un type d'acteur ou de lieu."
    )
    theme: list[str] = Field(
        [], max_length=MAX_VALUES, description="Identifiants de thèmes (toutes à la fois)."
    )
    service: list[str] = Field(
        [],
        max_length=MAX_VALUES,
        description="Identifiants de services (lieux qui les offrent tous).",
    )
    commune: str | None = Field(None, max_length=5, description="Code INSEE.")
    department: str | None = Field(
        None, max_length=3, description="Numéro de département, par exemple 26."
    )
    sort: Literal["relevance", "name", "updated", "distance"] | None = Field(
        None, description="Ordre des résultats."
    )
    near: str | None = Field(
        None, max_length=5, description="Code INSEE de la commune d'où mesurer les distances."
    )
    page: int = Field(1, ge=1, le=100000)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


class LangQuery(Schema):
    lang: Language = Field(settings.LANGUAGE_CODE)  # type: ignore[valid-type]


class CommuneQuery(Schema):
    department: str | None = Field(None, max_length=3, pattern=r"^[0-9AB]{2,3}$")


# --- errors -------------------------------------------------------------------------------


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    messages = []
    for error in exc.errors:
        where = ".".join(str(part) for part in error.get("loc", ())[1:]) or "requête"
        messages.append(f"{where} : {error.get('msg', 'valeur invalide')}")
    return api.create_response(
        request, {"detail": "Paramètre invalide. " + " ; ".join(messages)}, status=400
    )


# --- serialisation ------------------------------------------------------------------------


def _term(obj):
    return {"slug": obj.slug, "name": obj.name}


def _commune(commune):
    return {
        "insee": commune.insee,
        "name": commune.name,
        "postal_codes": [
            c.strip() for c in commune.postal_code.split(opendata.SEPARATOR) if c.strip()
        ],
        "department": commune.department,
        "epci": commune.epci,
        "latitude": commune.latitude,
        "longitude": commune.longitude,
    }


def serialise_entry(entry, request):
    is_place = isinstance(entry, PlacePage)
    point = entry.point
    updated = entry.last_published_at or entry.latest_revision_created_at
    social = (
        []
        if is_place
        else [u for u in (entry.mastodon_url, entry.facebook_url, entry.linkedin_url) if u]
    )
    return {
        "id": entry.pk,
        "uuid": str(entry.translation_key),
        "type": "place" if is_place else "actor",
        "language": entry.locale.language_code,
        "name": entry.title,
        "slug": entry.slug,
        "url": entry.get_full_url(request=request) or "",
        "summary": entry.summary,
        "description_html": expand_db_html(entry.description) if entry.description else "",
        "kind": _term(entry.kind) if entry.kind_id else None,
        "themes": [_term(t) for t in opendata.related(entry, "themes")],
        "sectors": [_term(s) for s in opendata.related(entry, "sectors")],
        "services": [_term(s) for s in opendata.related(entry, "services")] if is_place else [],
        "commune": _commune(entry.commune) if entry.commune_id else None,
        "address": entry.address,
        "point": {
            "latitude": point[0],
            "longitude": point[1],
            "precise": entry.latitude is not None and entry.longitude is not None,
        }
        if point
        else None,
        "phone": entry.phone,
        "email": entry.email,
        "website": entry.website,
        "social_links": social,
        "is_member": None if is_place else entry.is_member,
        "opening_hours": entry.opening_hours if is_place else "",
        "prices": entry.prices if is_place else "",
        "wheelchair": entry.wheelchair if is_place else "",
        "capacity": entry.capacity if is_place else None,
        "operators": sorted(str(a.translation_key) for a in opendata.related(entry, "operators"))
        if is_place
        else [],
        "parent": getattr(entry, "parent_uuid", ""),
        "updated": updated.date() if updated else None,
    }


# --- endpoints ----------------------------------------------------------------------------


@api.get(
    "/entries",
    response={200: EntryListOut, 400: ErrorOut},
    summary="Liste des entrées publiées (acteurs et lieux), filtrée et paginée",
    tags=["annuaire"],
)
def list_entries(request, query: Query[EntryQuery]):
    params = {k: v for k, v in query.dict().items() if k not in ("lang", "page", "page_size") and v}
    locale = opendata.get_locale(query.lang)
    try:
        directory = opendata.directory_query(params, locale)
    except opendata.FilterError as error:
        return Status(400, {"detail": str(error)})
    ids = opendata.entry_ids(directory)
    count = len(ids)
    num_pages = max(1, -(-count // query.page_size))
    start = (query.page - 1) * query.page_size
    ids = ids[start : start + query.page_size]
    with translation.override(query.lang):
        results = [serialise_entry(e, request) for e in opendata.load_entries(ids)] if ids else []
    return Status(
        200,
        {
            "count": count,
            "page": query.page,
            "page_size": query.page_size,
            "num_pages": num_pages,
            "results": results,
        },
    )


def _one_entry(request, pages):
    page = pages.first()
    if page is None:
        raise HttpError(404, "Aucune entrée publiée ne correspond.")
    entries = opendata.load_entries([page.pk])
    return serialise_entry(entries[0], request)


@api.get(
    "/entries/{entry_id}",
    response={200: EntryOut, 400: ErrorOut, 404: ErrorOut},
    summary="Une entrée publiée, par son identifiant numérique",
    tags=["annuaire"],
)
def get_entry(request, entry_id: int = Path(..., ge=1, le=2**31 - 1)):
    pages = _public_entries().filter(pk=entry_id)
    return _one_entry(request, pages)


@api.get(
    "/entries/slug/{slug}",
    response={200: EntryOut, 400: ErrorOut, 404: ErrorOut},
    summary="Une entrée publiée, par son slug et sa langue",
    tags=["annuaire"],
)
def get_entry_by_slug(request, slug: str, query: Query[LangQuery]):
    pages = _public_entries().filter(slug=slug[:255], locale__language_code=query.lang)
    return _one_entry(request, pages)


@api.get(
    "/communes",
    response={200: list[CommuneOut], 400: ErrorOut},
    summary="Communes du territoire",
    tags=["référentiels"],
)
def list_communes(request, query: Query[CommuneQuery]):
    communes = Commune.objects.all()
    if query.department:
        communes = communes.filter(department=query.department)
    return Status(200, [_commune(c) for c in communes.order_by("name", "insee")])


@api.get(
    "/vocabularies",
    response={200: VocabulariesOut, 400: ErrorOut},
    summary="Types d'acteur et de lieu, services, thèmes et secteurs, dans une langue",
    tags=["référentiels"],
)
def vocabularies(request, query: Query[LangQuery]):
    locale = opendata.get_locale(query.lang)

    def terms(model):
        return [
            _term(t) for t in model.objects.filter(locale=locale).order_by("sort_order", "name")
        ]

    return Status(
        200,
        {
            "actor_kinds": terms(ActorKind),
            "place_kinds": terms(PlaceKind),
            "services": terms(Service),
            "themes": terms(Theme),
            "sectors": terms(Sector),
        },
    )


def _public_entries():
    return DirectoryEntry.objects.live().public()
