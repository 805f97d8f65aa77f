"""Shared bits for the directory tests."""

from django.core.cache import cache

from directory.models import Commune, PlaceKind, PlacePage, Service
from directory.pages import DirectoryIndexPage


def clear_cache():
    cache.clear()


def directory_index(language="fr"):
    return DirectoryIndexPage.objects.get(locale__language_code=language)


def add_place(title, slug, commune="26220", services=(), kind="coworking", language="fr", **fields):
    index = directory_index(language)
    page = PlacePage(
        title=title,
        slug=slug,
        summary=fields.pop("summary", f"Résumé de {title}"),
        commune=Commune.objects.get(insee=commune),
        kind=PlaceKind.objects.get(slug=kind, locale=index.locale),
        **fields,
    )
    page.services = list(Service.objects.filter(slug__in=services, locale=index.locale))
    index.add_child(instance=page)
    page.save_revision().publish()
    return page
