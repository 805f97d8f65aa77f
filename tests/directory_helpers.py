"""Shared bits for the directory tests."""

import csv
import io

from django.core.cache import cache
from django.core.management import call_command

from directory.models import Commune, PlaceKind, PlacePage, Service
from directory.opendata import COLUMNS
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


def write_rows(path, rows, columns=COLUMNS):
    """``rows`` (dicts by column) written to ``path`` as a CSV file of ``columns`` (by default the
    export's format), a missing value left empty."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})
    return path


def run_import(path, *args):
    """``manage.py import_directory path *args``: (its output, its errors)."""
    out, err = io.StringIO(), io.StringIO()
    call_command("import_directory", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()
