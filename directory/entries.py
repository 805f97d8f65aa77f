"""What an entry page (ActorPage, PlacePage) shows besides its own fields: its map point, the
places or operators it is linked to, its organisation's news and events, and its schema.org JSON-LD (directory/jsonld.py)."""

from django.conf import settings
from django.db.models import Q
from wagtail.models import Locale

from core.i18n_snippets import localized, localized_one

from . import opening_hours
from .commons import hours
from .commons.freshness import verified_dates
from .commons.national_import import external_identity
from .jsonld import entry_json_ld


def entry_context(page, request):
    # Vocabularies in the visitor's language wherever a translation exists (an alias, or the
    # untranslated fallback, points at the French ones); one locale lookup for all of them.
    locale = Locale.get_active()
    context = {
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "markers": [],
    }
    # models.py imports this module: the entry type and the place model are read from the page's
    # model options (an actor's ``places`` are the places it runs), not by importing the models.
    is_actor = page._meta.model_name == "actorpage"
    point = page.point
    if point:
        context["markers"] = [
            {
                "id": page.pk,
                "title": page.title,
                "url": "",
                "type": "actor" if is_actor else "place",
                "lat": round(point[0], 6),
                "lon": round(point[1], 6),
                "precise": page.latitude is not None,
            }
        ]
    if is_actor:
        context["places"] = list(
            page._meta.get_field("places")
            .related_model.objects.live()
            .public()
            .filter(locale_id=page.locale_id)
            .filter(Q(operators=page) | Q(path__startswith=page.path, depth=page.depth + 1))
            .select_related("commune", "kind")
            .distinct()
            .order_by("title")
        )
        context["organisation_links"] = organisation_links(page)
    else:
        context["operators"] = live_operators(page)
        context["opening_hours"] = opening_hours.parse(page.opening_hours)
        context["opening_status"] = hours.status(page.opening_hours)
        context["services"] = localized(page.services.all(), locale)
    url = page.get_url(request) or ""
    context["directory_url"] = url[: -len(page.slug) - 1] if url.endswith(f"{page.slug}/") else ""
    context["verified_at"] = verified_dates([page.pk]).get(page.pk)
    context["external"] = external_identity(page)
    # In the page's language wherever a translation exists (an alias points at French ones).
    context["themes"] = localized(page.themes.all(), locale)
    context["sectors"] = localized(page.sectors.all(), locale)
    context["kind"] = localized_one(page.kind, locale) if getattr(page, "kind_id", None) else None
    context["json_ld"] = entry_json_ld(page, request, context)
    return context


def live_operators(page):
    """The live, public actors that run a place, by title.

    A draft or a preview is rendered from a revision, where the ParentalManyToManyField is
    modelcluster's in-memory FakeQuerySet (no ``live()``): query the actors by id then."""
    from django.db.models import QuerySet

    operators = page.operators.all()
    if not isinstance(operators, QuerySet):
        operators = operators.model.objects.filter(pk__in=[operator.pk for operator in operators])
    return list(operators.live().public().order_by("title"))


def organisation_links(page):
    """The organisation's news and events folders in the page's language, when they exist.

    members.Organisation points to the French ActorPage; translations find it through their
    translation key. Returns {"news": page or None, "events": page or None}.
    """
    try:
        from members.models import Organisation
    except ImportError:  # pragma: no cover - the members app is part of the project
        return {}
    organisation = (
        Organisation.objects.filter(
            actor_page__translation_key=page.translation_key, is_active=True
        )
        .select_related("news_page", "events_page")
        .first()
    )
    links = {"news": None, "events": None}
    if organisation is None:
        return links
    for key, target in (("news", organisation.news_page), ("events", organisation.events_page)):
        if target is not None:
            translated = (
                target.get_translation_or_none(page.locale)
                if target.locale_id != page.locale_id
                else target
            )
            if translated is not None and translated.live:
                links[key] = translated
    return links
