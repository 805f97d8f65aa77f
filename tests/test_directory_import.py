"""manage.py import_directory: CSV and GeoJSON, stable key, dry run, all or nothing, round trip."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision

from directory.models import ActorPage, PlacePage
from directory.opendata import COLUMNS

pytestmark = pytest.mark.django_db


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_directory", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def export(client, fmt="csv"):
    cache.clear()
    return client.get(f"/annuaire/export.{fmt}").content


def write_rows(path, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in COLUMNS})
    return path


@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_export_then_import_changes_nothing(client, entries, tmp_path, fmt):
    before = export(client, fmt)
    path = tmp_path / f"annuaire.{fmt}"
    path.write_bytes(before)
    revisions = Revision.objects.count()
    pages = Page.objects.count()
    out, _err = run(path)
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
    out, err = run(path)
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
    out, _err = run(path, "--dry-run")
    assert "1 à créer" in out and "rien n'est enregistré" in out
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
        run(path)


def test_unknown_format_and_columns_are_refused(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("a", encoding="utf-8")
    with pytest.raises(CommandError, match="Format inconnu"):
        run(path)
    path = tmp_path / "x.csv"
    path.write_text("type,nom,colonne_bizarre\nacteur,X,1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Colonnes inconnues"):
        run(path)
