"""The search index rows that imports write in bulk (core.search_index, core.bulk_pages) are the
rows Wagtail's own indexing writes: the import's entries are found exactly as after
``manage.py update_index``."""

import io
import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from modelsearch.conf import get_app_config
from modelsearch.index import get_indexed_models
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from core import search_index
from directory.models import ActorPage, DirectoryEntry, PlacePage
from tests.conftest import postgres_only
from tests.directory_helpers import run_import, write_rows

pytestmark = pytest.mark.django_db
IndexEntry = get_app_config().get_model("IndexEntry")


def entry_rows(entries, leave_out=("id",)):
    """``entries`` (index entries) as sorted tuples of their columns' texts, but ``leave_out``."""
    columns = [f.attname for f in IndexEntry._meta.concrete_fields if f.attname not in leave_out]
    return sorted(tuple(str(value) for value in row) for row in entries.values_list(*columns))


def index_rows(pks):
    """The index rows of ``pks``, every column but the id and the title norm (which depends on
    the whole index at the time the row was written)."""
    types = Page.objects.filter(pk__in=pks).values_list("content_type_id", flat=True)
    entries = IndexEntry.objects.filter(
        object_id__in=[str(pk) for pk in pks], content_type_id__in=types
    )
    return entry_rows(entries, leave_out=("id", "title_norm"))


def varied_rows():
    """Actors and places with every indexed column filled or left empty, several themes and
    services (their order matters in the vectors), accents, rich text and a place under an actor."""
    actor = str(uuid.uuid4())
    rows = [
        {
            "uuid": actor, "type": "acteur", "nom": "Café associatif « L'Escale »",
            "slug": "cafe-escale", "resume": "Un café où l'on répare ses vélos.",
            "description": "<p>Ateliers <b>réparation</b> &amp; numérique, le jeudi.</p>",
            "adresse": "2 rue des Écoles", "commune_insee": "26220",
            "type_structure": "association", "themes": "culture-numerique|services-au-public",
        },
        {
            "type": "acteur", "nom": "Collectif sans description", "slug": "collectif-nu",
            "resume": "Résumé seul.", "type_structure": "association",
        },
        {
            "type": "lieu", "nom": "Fablab de l'Escale", "slug": "fablab-escale",
            "resume": "Imprimantes 3D et découpe laser.", "description": "<p>Ouvert à tous.</p>",
            "commune_insee": "26063", "type_structure": "coworking", "parent": actor,
            "structures": actor, "services": "aide-numerique|bureaux|internet-haut-debit",
            "themes": "services-au-public",
        },
        {
            "type": "lieu", "nom": "Salle Ö", "slug": "salle-o", "resume": "  Espaces  ",
            "type_structure": "recyclerie-ressourcerie", "adresse": "   ",
        },
    ]  # fmt: skip
    return rows


def test_imported_entries_have_the_index_rows_a_rebuild_writes(entries, tmp_path):
    run_import(write_rows(tmp_path / "entrees.csv", varied_rows()))
    imported = list(
        DirectoryEntry.objects.filter(
            slug__in=["cafe-escale", "collectif-nu", "fablab-escale", "salle-o"]
        ).values_list("pk", flat=True)
    )
    assert len(imported) == 4
    written = index_rows(imported)
    assert len(written) == 4
    call_command("update_index", stdout=io.StringIO(), stderr=io.StringIO())
    assert index_rows(imported) == written


def test_imported_entries_are_found_by_the_site_and_directory_searches_as_after_a_rebuild(
    entries, tmp_path
):
    from directory.filters import DirectoryQuery
    from directory.opendata import get_locale

    run_import(write_rows(tmp_path / "entrees.csv", varied_rows()))
    imported = set(
        DirectoryEntry.objects.filter(
            slug__in=["cafe-escale", "collectif-nu", "fablab-escale", "salle-o"]
        ).values_list("pk", flat=True)
    )

    def results():
        """The imported entries each search finds, in the order found."""
        backend = get_search_backend()
        site = {
            words: [
                page.pk
                for page in backend.search(words, Page.objects.live())
                if page.pk in imported
            ]
            for words in (
                "réparation vélos",
                "imprimantes",
                "Espaces",
                "Nyons",
                "bureaux",
                "numérique",
            )
        }
        directory = {
            words: [row.pk for row in DirectoryQuery.from_params({"q": words}, get_locale("fr")).rows if row.pk in imported]
            for words in ("réparation", "fablab", "aide démarches", "escale", "numérique")
        }  # fmt: skip
        return site, directory

    before = results()
    assert all(before[0].values()) and all(before[1].values())
    call_command("update_index", stdout=io.StringIO(), stderr=io.StringIO())
    assert results() == before


@pytest.mark.parametrize("model", [m for m in get_indexed_models() if issubclass(m, Page)])
def test_bulk_index_rows_are_the_search_backends_own(model):
    """Every indexed page model of the demo (stream fields, rich text, related fields)."""
    objects = list(search_index.indexed_objects(model)[:50])
    if not objects:
        pytest.skip(f"no {model.__name__} in the demo")
    pks = [obj.pk for obj in objects]
    stored = IndexEntry.objects.filter(object_id__in=[str(pk) for pk in pks])
    stored.delete()
    for start in range(0, len(objects), 1000):
        get_search_backend().add_bulk(model, objects[start : start + 1000])
    by_backend = index_rows(pks)
    stored.delete()
    search_index.add_bulk(model, objects)
    assert index_rows(pks) == by_backend


def test_places_naming_actors_are_written_without_a_query_per_row(entries, tmp_path):
    def queries_to_import(count):
        actor = str(uuid.uuid4())
        rows = [
            {"uuid": actor, "type": "acteur", "nom": f"Structure {count}", "slug": f"structure-{count}",
             "resume": "Anime des lieux.", "type_structure": "association"},
            *[
                {"type": "lieu", "nom": f"Lieu {count}-{n}", "slug": f"lieu-{count}-{n}",
                 "resume": "Un lieu.", "type_structure": "coworking", "structures": actor,
                 "parent": actor if n % 2 else ""}
                for n in range(count)
            ],
        ]  # fmt: skip
        path = write_rows(tmp_path / f"{count}.csv", rows)
        with CaptureQueriesContext(connection) as queries:
            run_import(path)

        places = PlacePage.objects.filter(slug__startswith=f"lieu-{count}-")
        assert places.count() == count
        assert {tuple(p.operators.values_list("slug", flat=True)) for p in places} == {
            (f"structure-{count}",)
        }
        under_actor = places.filter(
            path__startswith=ActorPage.objects.get(slug=f"structure-{count}").path
        )
        assert under_actor.count() == count // 2
        return len(queries)

    assert queries_to_import(3) == queries_to_import(30)


def table_bytes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_relation_size(%s)", [IndexEntry._meta.db_table])
        return cursor.fetchone()[0]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_full_rebuild_leaves_the_entries_table_at_its_live_size_with_the_same_entries(
    committed_demo,
):
    call_command("wagtail_update_index", stdout=io.StringIO())  # Wagtail's own rebuild
    bloated, entries = table_bytes(), entry_rows(IndexEntry.objects.all())
    output = io.StringIO()
    call_command("update_index", stdout=output)
    assert table_bytes() < bloated / 2
    assert entry_rows(IndexEntry.objects.all()) == entries
    assert "compacted" in output.getvalue()


def test_a_rebuild_inside_a_transaction_leaves_the_table_uncompacted_and_fails_nothing():
    output = io.StringIO()
    call_command("update_index", stdout=output)
    assert "compacted" not in output.getvalue()
    assert get_search_backend().search("réseau", Page).count() > 0
