"""manage.py import_directory: CSV and GeoJSON, stable key, dry run, all or nothing, round trip."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision

from directory.models import ActorPage, PlacePage
from tests.directory_helpers import run_import, write_rows

pytestmark = pytest.mark.django_db


def export(client, fmt="csv"):
    cache.clear()
    return client.get(f"/annuaire/export.{fmt}").content


@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_export_then_import_changes_nothing(client, entries, tmp_path, fmt):
    before = export(client, fmt)
    path = tmp_path / f"annuaire.{fmt}"
    path.write_bytes(before)
    revisions = Revision.objects.count()
    pages = Page.objects.count()
    out, _err = run_import(path)
    assert "0 à créer, 0 à mettre à jour" in out
    assert Revision.objects.count() == revisions
    assert Page.objects.count() == pages
    assert export(client, fmt) == before


def test_import_creates_and_updates_by_stable_key(client, entries, tmp_path):
    rows = list(csv.DictReader(io.StringIO(export(client).decode())))
    fabrique = next(r for r in rows if r["slug"] == "test-la-fabrique")
    fabrique["resume"] = "Recyclerie, ressourcerie et atelier de réparation."
    fabrique["services"] = "bureaux"
    new_place = {
        "type": "lieu", "nom": "Atelier partagé de Serres", "resume": "Un atelier ouvert.",
        "commune_insee": "05166", "type_structure": "coworking", "parent": fabrique["structures"],
        "structures": fabrique["structures"], "latitude": "44.43", "longitude": "5.72",
    }  # fmt: skip
    path = write_rows(tmp_path / "maj.csv", [fabrique, new_place])
    out, err = run_import(path)
    assert "1 à créer, 1 à mettre à jour" in out
    assert "2/2" in err  # the progress bar
    updated = PlacePage.objects.get(pk=entries["fabrique"].pk)
    assert updated.summary.startswith("Recyclerie, ressourcerie")
    assert [s.slug for s in updated.services.all()] == ["bureaux"]
    created = PlacePage.objects.get(slug="atelier-partage-de-serres")
    assert created.live and created.get_parent().pk == entries["asoft"].pk
    assert list(created.operators.all()) == [entries["asoft"]]
    assert created.commune.insee == "05166"


def test_dry_run_saves_nothing(client, entries, tmp_path):
    path = write_rows(
        tmp_path / "new.csv",
        [
            {
                "type": "acteur",
                "type_structure": "association",
                "nom": "Nouvel acteur",
                "resume": "Essai.",
            }
        ],
    )
    count = ActorPage.objects.count()
    out, _err = run_import(path, "--dry-run")
    assert "1 à créer" in out and "rien n'est enregistré" in out
    assert "ligne 2 : à créer « Nouvel acteur »" in out
    assert ActorPage.objects.count() == count


def test_broken_rows_save_nothing_and_are_reported_with_line_numbers(client, entries, tmp_path):
    rows = [
        {
            "type": "acteur",
            "type_structure": "association",
            "nom": "Acteur correct",
            "resume": "Bien.",
        },
        {"type": "acteur", "nom": "", "resume": "Sans nom."},
        {
            "type": "lieu",
            "nom": "Lieu",
            "resume": "x",
            "commune_insee": "99999",
            "latitude": "91",
            "longitude": "5",
        },
        {"type": "robot", "nom": "X", "resume": "y"},
        {
            "type": "lieu",
            "nom": "Lieu 2",
            "resume": "z",
            "services": "inconnu",
            "courriel": "pas-un-courriel",
        },
    ]
    path = write_rows(tmp_path / "casse.csv", rows)
    count = Page.objects.count()
    with pytest.raises(
        CommandError, match="4 ligne\\(s\\) rejetée\\(s\\) sur 5 : rien n'a été enregistré"
    ):
        out, err = io.StringIO(), io.StringIO()
        call_command("import_directory", str(path), stdout=out, stderr=err)
    report = err.getvalue()
    assert "ligne 3 : nom manquant" in report
    assert (
        "ligne 4 :" in report
        and "commune_insee « 99999 » inconnue" in report
        and "latitude 91" in report
    )
    assert "ligne 5 : type « robot » inconnu" in report
    assert (
        "ligne 6 :" in report and "services inconnus : inconnu" in report and "courriel" in report
    )
    assert "ligne 2" not in report
    assert Page.objects.count() == count
    assert not ActorPage.objects.filter(title="Acteur correct").exists()


def test_geojson_point_away_from_commune_becomes_the_entry_coordinates(entries, tmp_path):
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [5.3, 44.3]},
        "properties": {
            "type": "acteur",
            "type_structure": "association",
            "nom": "Acteur géolocalisé",
            "resume": "Ici.",
            "commune_insee": "26063",
        },
    }
    path = tmp_path / "points.geojson"
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8"
    )
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_directory", str(path), stdout=out, stderr=err)
    except CommandError:
        pytest.fail(err.getvalue())
    actor = ActorPage.objects.get(title="Acteur géolocalisé")
    assert (actor.longitude, actor.latitude) == (5.3, 44.3)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("pas du json", "GeoJSON illisible"),
        ('{"type": "Feature"}', "FeatureCollection"),
    ],
)
def test_unreadable_geojson_is_refused(tmp_path, content, message):
    path = tmp_path / "x.geojson"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run_import(path)


def test_unknown_format_and_columns_are_refused(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("a", encoding="utf-8")
    with pytest.raises(CommandError, match="Format inconnu"):
        run_import(path)
    path = tmp_path / "x.csv"
    path.write_text("type,nom,colonne_bizarre\nacteur,X,1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Colonnes inconnues"):
        run_import(path)


def test_imported_entries_are_whole_wagtail_pages_tree_revision_history_search(
    client, entries, tmp_path
):
    from wagtail.models import PageLogEntry

    from directory.filters import DirectoryQuery
    from directory.opendata import get_locale

    rows = [
        {
            "type": "lieu",
            "langue": "fr",
            "nom": f"Salle communale numéro {n}",
            "slug": f"salle-communale-{n}",
            "resume": "Une salle de réunion à louer.",
            "commune_insee": "26220",
            "type_structure": "coworking",
            "themes": "services-au-public",
        }
        for n in range(30)
    ]
    run_import(write_rows(tmp_path / "salles.csv", rows))
    created = list(PlacePage.objects.filter(slug__startswith="salle-communale-").order_by("path"))
    assert len(created) == 30
    index = created[0].get_parent()
    assert index.numchild == index.get_children().count()
    assert Page.find_problems() == ([], [], [], [], [])  # treebeard: paths, depths, numchild
    for page in created:
        assert page.live and not page.has_unpublished_changes
        assert page.live_revision_id == page.latest_revision_id is not None
        assert page.live_revision.as_object().title == page.title
        assert page.url == f"/annuaire/{page.slug}/"
        assert [t.slug for t in page.themes.all()] == ["services-au-public"]
    actions = set(PageLogEntry.objects.filter(page=created[0]).values_list("action", flat=True))
    assert actions == {"wagtail.create", "wagtail.publish"}
    assert client.get(created[5].url).status_code == 200
    found = DirectoryQuery.from_params({"q": "salle communale"}, get_locale("fr")).rows
    assert {row.title for row in found} >= {page.title for page in created}
    # Published at once: the directory lists them, its cached pages were cleared.
    assert (
        "Salle communale numéro 0"
        in client.get("/annuaire/", {"commune": "26220", "type": "place"}).content.decode()
    )


def rejected_report(path):
    err = io.StringIO()
    with pytest.raises(CommandError, match="rien n'a été enregistré"):
        call_command("import_directory", str(path), stdout=io.StringIO(), stderr=err)
    return err.getvalue()


def test_too_long_values_are_reported_by_the_models_own_limits(entries, tmp_path):
    actor = {"type": "acteur", "type_structure": "association", "resume": "Bien."}
    rows = [
        {**actor, "nom": "Acteur correct"},
        {**actor, "nom": "N" * 256},
        {**actor, "nom": "Acteur bavard", "resume": "R" * 301, "telephone": "0" * 41},
        {
            "type": "lieu",
            "type_structure": "coworking",
            "nom": "Lieu",
            "resume": "x",
            "adresse": "A" * 256,
        },
    ]
    count = Page.objects.count()
    report = rejected_report(write_rows(tmp_path / "longs.csv", rows))
    lines = dict(line.split(" : ", 1) for line in report.strip().splitlines())
    assert "ligne 2" not in lines
    assert (
        "nom : Assurez-vous que cette valeur comporte au plus 255 caractères (actuellement 256)"
        in lines["ligne 3"]
    )
    assert (
        "resume : Assurez-vous que cette valeur comporte au plus 300 caractères (actuellement 301)"
        in lines["ligne 4"]
    )
    assert (
        "telephone : Assurez-vous que cette valeur comporte au plus 40 caractères"
        in lines["ligne 4"]
    )
    assert (
        "adresse : Assurez-vous que cette valeur comporte au plus 255 caractères"
        in lines["ligne 5"]
    )
    assert Page.objects.count() == count


def test_bad_email_and_web_addresses_are_reported_by_the_models_validation(entries, tmp_path):
    actor = {"type": "acteur", "type_structure": "association", "resume": "Bien."}
    rows = [
        {
            **actor,
            "nom": "Acteur correct",
            "courriel": "contact@exemple.org",
            "site_web": "https://exemple.org/",
        },
        {**actor, "nom": "Acteur sans courriel", "courriel": "pas-un-courriel"},
        {
            **actor,
            "nom": "Acteur sans site",
            "site_web": "javascript:alert(1)",
            "mastodon": "pas une adresse",
        },
    ]
    report = rejected_report(write_rows(tmp_path / "adresses.csv", rows))
    assert "ligne 2" not in report
    assert "ligne 3 : courriel : Saisissez une adresse de courriel valide." in report
    assert (
        "ligne 4 : site_web : Saisissez une URL valide. ; mastodon : Saisissez une URL valide."
        in report
    )
    assert not ActorPage.objects.filter(title__startswith="Acteur ").exists()


def test_a_column_the_importer_rejected_is_not_reported_twice(entries, tmp_path):
    rows = [{"type": "acteur", "type_structure": "association", "nom": "", "resume": "Sans nom."}]
    report = rejected_report(write_rows(tmp_path / "sans-nom.csv", rows))
    assert "nom manquant" in report and "nom : " not in report


def test_model_validation_takes_no_query_per_row(entries, tmp_path):
    import uuid

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from directory import importer

    def queries_to_plan(count):
        rows = [
            {"uuid": str(uuid.uuid4()), "type": "acteur", "type_structure": "association",
             "nom": f"Acteur {n}", "slug": f"acteur-{count}-{n}", "resume": "Bien.", "courriel": "a@exemple.org"}
            for n in range(count)
        ]  # fmt: skip
        planned = importer.read_file(write_rows(tmp_path / f"{count}.csv", rows))
        vocab = importer.Vocabularies()
        with CaptureQueriesContext(connection) as queries:
            importer.plan(planned, vocab)
        assert not [row.errors for row in planned if row.errors]
        return len(queries)

    assert queries_to_plan(3) == queries_to_plan(30)
