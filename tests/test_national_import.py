"""import_directory reads the national "médiation numérique" schema (v1.0.x): mapping, places
outside the territory, sync by external identity, conflicts, duplicates, round trip."""

import csv
import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision

from directory.commons.models import ExternalIdentity
from directory.models import ActorPage, PlacePage
from directory.opendata import MEDIATION_COLUMNS
from tests.directory_helpers import write_rows
from tests.factories import ActorPageFactory, commune

pytestmark = pytest.mark.django_db
EXAMPLE = (
    Path(__file__).parent.parent
    / "directory"
    / "data"
    / "schemas"
    / "mediation-numerique-exemple-valide.csv"
)


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_directory", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def row(**fields):
    base = {
        "id": "di-0001", "pivot": "12345678900011", "nom": "Espace numérique du Buëch", "commune": "Laragne-Montéglin",
        "code_postal": "05300", "code_insee": "05070", "adresse": "2 place de la Mairie", "latitude": "44.3341",
        "longitude": "5.8166", "typologie": "EPN|MUNI", "telephone": "+33492000000",
        "courriels": "epn@laragne.example|mairie@laragne.example", "site_web": "https://epn-laragne.example/",
        "horaires": "Tu-Fr 14:00-18:00; Sa 09:00-12:00; PH off",
        "presentation_resume": "Ateliers numériques et aide aux démarches.", "presentation_detail": "Un espace public numérique ouvert à tous, l'après-midi.",
        "source": "data.inclusion", "date_maj": "2026-10-15", "services": "Aide aux démarches administratives|Maîtrise des outils numériques du quotidien",
        "publics_specifiquement_adresses": "Seniors|Jeunes", "frais_a_charge": "Gratuit", "modalites_acces": "Se présenter|Téléphoner",
    }  # fmt: skip
    base.update(fields)
    return base


def write(path, rows):
    return write_rows(path, rows, columns=MEDIATION_COLUMNS)


@pytest.fixture
def national(tmp_path):
    rows = [
        row(),
        row(id="di-0002", pivot="98765432100022", nom="Tiers-lieu de la Lance", commune="Nyons", code_postal="26110", code_insee="26220",
            typologie="TIERS_LIEUX", site_web="https://lance.example/", courriels="", horaires="Mo-Fr 09:00-18:00", latitude="44.36", longitude="5.13"),
        row(id="di-0003", pivot="", nom="Médiathèque de Lyon", commune="Lyon", code_postal="69001", code_insee="69381", site_web="https://lyon.example/"),
        # no INSEE code: found by postal code and name
        row(id="di-0004", pivot="", nom="Point numérique d'Aleyrac", commune="ALEYRAC", code_postal="26770", code_insee="", site_web="", latitude="", longitude=""),
    ]  # fmt: skip
    return write(tmp_path / "national.csv", rows)


def test_places_of_the_territory_import_and_outside_rows_are_counted(national):
    out, _err = run(national)
    assert (
        "2 hors du territoire" not in out and "1 hors du territoire" in out and "3 à créer" in out
    )
    place = PlacePage.objects.get(title="Espace numérique du Buëch")
    assert (
        place.live
        and place.commune.insee == "05070"
        and place.kind.slug == "espace-public-numerique"
    )
    assert place.opening_hours == "Tu-Fr 14:00-18:00; Sa 09:00-12:00; PH off"
    assert place.email == "epn@laragne.example" and place.website == "https://epn-laragne.example/"
    assert {s.mediation_numerique for s in place.services.all()} == {
        "Aide aux démarches administratives",
        "Maîtrise des outils numériques du quotidien",
    }
    identity = ExternalIdentity.objects.get(page_id=place.pk)
    assert (identity.external_id, identity.pivot, identity.source) == (
        "di-0001",
        "12345678900011",
        "data.inclusion",
    )
    assert identity.extra["courriels"] == "epn@laragne.example|mairie@laragne.example"
    assert PlacePage.objects.get(title="Tiers-lieu de la Lance").kind.slug == "tiers-lieu"
    assert PlacePage.objects.get(title="Point numérique d'Aleyrac").commune.insee == "26003"
    assert not PlacePage.objects.filter(title="Médiathèque de Lyon").exists()


def test_importing_the_same_file_again_changes_nothing(national):
    run(national)
    pages, revisions = Page.objects.count(), Revision.objects.count()
    out, _err = run(national)
    assert "0 à créer, 0 à mettre à jour, 3 inchangée(s)" in out
    assert (Page.objects.count(), Revision.objects.count()) == (pages, revisions)


def test_next_months_file_updates_and_never_duplicates(national, tmp_path):
    run(national)
    place = PlacePage.objects.get(title="Espace numérique du Buëch")
    later = write(tmp_path / "next.csv", [row(horaires="Tu-Sa 10:00-18:00", date_maj="2026-11-20")])
    out, _err = run(later)
    assert "1 à mettre à jour" in out
    assert PlacePage.objects.filter(title="Espace numérique du Buëch").count() == 1
    place.refresh_from_db()
    assert place.opening_hours == "Tu-Sa 10:00-18:00"
    assert str(ExternalIdentity.objects.get(page_id=place.pk).source_updated) == "2026-11-20"


def test_an_entry_edited_on_the_site_is_reported_as_a_conflict_not_overwritten(national, tmp_path):
    run(national)
    place = PlacePage.objects.get(title="Espace numérique du Buëch")
    place.summary = "Résumé corrigé par l'équipe du Parc."
    place.save_revision().publish()
    out, err = run(
        write(tmp_path / "next.csv", [row(presentation_resume="Nouveau résumé venu de la source.")])
    )
    assert "1 conflit(s)" in out and "conflit" in err and "Espace numérique du Buëch" in err
    place.refresh_from_db()
    assert place.summary == "Résumé corrigé par l'équipe du Parc."


def test_a_row_like_an_existing_entry_is_reported_as_a_possible_duplicate(entries, tmp_path):
    fabrique = existing_entry()
    path = write(
        tmp_path / "dup.csv",
        [
            row(
                id="x-1",
                pivot="",
                nom="Ressourcerie du lavoir",
                commune="Nyons",
                code_postal="26110",
                code_insee="26220",
                site_web="",
            )
        ],
    )
    out, err = run(path)
    assert (
        "1 doublon(s) possible(s)" in out
        and "doublon possible de « Ressourcerie du Lavoir »" in err
        and str(fabrique.pk) in err
    )
    assert not PlacePage.objects.filter(title="Ressourcerie du lavoir").exists()


def test_broken_rows_are_reported_with_line_numbers_and_nothing_is_saved(tmp_path):
    path = write(
        tmp_path / "bad.csv",
        [
            row(),
            row(id="di-9", nom="", horaires="Mo-Fx 10:00-12:00"),
            row(id="di-10", latitude="200"),
        ],
    )
    count = Page.objects.count()
    with pytest.raises(CommandError, match="2 ligne\\(s\\) rejetée\\(s\\) sur 3"):
        err = io.StringIO()
        try:
            call_command("import_directory", str(path), stdout=io.StringIO(), stderr=err)
        finally:
            report = err.getvalue()
    assert "ligne 3" in report and "nom manquant" in report and "horaires" in report
    assert "ligne 4" in report and "latitude" in report
    assert Page.objects.count() == count


def test_dry_run_saves_nothing(national):
    count = Page.objects.count()
    out, _err = run(national, "--dry-run")
    assert "Essai à blanc" in out and "3 à créer" in out
    assert "ligne 2 : à créer « Espace numérique du Buëch »" in out
    assert Page.objects.count() == count and not ExternalIdentity.objects.exists()


def test_dry_run_lists_what_would_change(national, tmp_path):
    run(national)
    later = write(
        tmp_path / "next.csv",
        [
            row(horaires="Tu-Sa 10:00-18:00"),
            row(
                id="di-0002",
                pivot="98765432100022",
                nom="Tiers-lieu de la Lance",
                commune="Nyons",
                code_postal="26110",
                code_insee="26220",
                typologie="TIERS_LIEUX",
                site_web="https://lance.example/",
                courriels="",
                horaires="Mo-Fr 09:00-18:00",
                latitude="44.36",
                longitude="5.13",
            ),
        ],
    )
    revisions = Revision.objects.count()
    out, _err = run(later, "--dry-run")
    assert (
        "1 à mettre à jour" in out
        and "ligne 2 : à mettre à jour « Espace numérique du Buëch » (horaires)" in out
    )
    assert "Tiers-lieu de la Lance" not in out  # unchanged rows are not listed
    assert Revision.objects.count() == revisions
    assert (
        PlacePage.objects.get(title="Espace numérique du Buëch").opening_hours
        == "Tu-Fr 14:00-18:00; Sa 09:00-12:00; PH off"
    )


def test_the_schema_example_imports_only_with_include_outside():
    out, _err = run(EXAMPLE)
    assert "1 hors du territoire" in out and "0 à créer" in out
    out, _err = run(EXAMPLE, "--include-outside")
    assert "1 à créer" in out
    place = PlacePage.objects.get(title="Anonymal")
    assert place.commune is None and place.latitude == pytest.approx(43.52609)
    assert "Reims" in place.address
    assert ExternalIdentity.objects.get(page_id=place.pk).source == "Hubik"


def test_entry_page_shows_the_source_and_the_schema_fields(client, national):
    run(national)
    cache.clear()
    place = PlacePage.objects.get(title="Espace numérique du Buëch")
    html = client.get(place.url).content.decode()
    assert "Source : data.inclusion, mise à jour le 15 octobre 2026" in html
    assert "Seniors, Jeunes" in html and "Se présenter, Téléphoner" in html and "Gratuit" in html


def test_export_then_import_changes_nothing(client, entries, national, tmp_path):
    run(national)
    cache.clear()
    exported = client.get("/annuaire/export-mediation-numerique.csv").content
    lines = exported.decode().splitlines()
    assert any("data.inclusion" in line and "di-0001" in line for line in lines)
    path = tmp_path / "export.csv"
    path.write_bytes(exported)
    pages, revisions = Page.objects.count(), Revision.objects.count()
    out, _err = run(path)
    assert "0 à créer, 0 à mettre à jour" in out
    assert (Page.objects.count(), Revision.objects.count()) == (pages, revisions)


def test_header_is_what_makes_a_file_national(tmp_path):
    from directory.commons.national_import import is_mediation_csv

    assert is_mediation_csv(EXAMPLE)
    own = tmp_path / "own.csv"
    own.write_text("type,nom\r\nlieu,Un lieu\r\n", encoding="utf-8")
    assert not is_mediation_csv(own)
    # one required column of the schema missing: not recognised, read as our own format (refused)
    partial = tmp_path / "partial.csv"
    partial.write_text(
        "id,pivot,nom,commune,code_postal,adresse\r\nx,,Lieu,Nyons,26110,rue\r\n", encoding="utf-8"
    )
    assert not is_mediation_csv(partial)
    with pytest.raises(CommandError, match="Colonnes manquantes"):
        run(partial)


def test_the_import_shows_a_progress_bar(national):
    _out, err = run(national)
    assert "[##############################] 3/3" in err


def test_every_email_and_website_is_kept_shown_and_exported(client, national):
    run(national)
    cache.clear()
    place = PlacePage.objects.get(title="Espace numérique du Buëch")
    html = client.get(place.url).content.decode()
    assert (
        'href="mailto:epn@laragne.example"' in html
        and 'href="mailto:mairie@laragne.example"' in html
    )
    exported = client.get("/annuaire/export-mediation-numerique.csv").content.decode()
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(exported))}
    assert rows["di-0001"]["courriels"] == "epn@laragne.example|mairie@laragne.example"
    assert rows["di-0001"]["typologie"] == "EPN|MUNI"
    assert (
        rows["di-0001"]["frais_a_charge"] == "Gratuit"
        and rows["di-0001"]["modalites_acces"] == "Se présenter|Téléphoner"
    )


def test_further_emails_and_websites_are_checked(tmp_path):
    path = write(
        tmp_path / "bad.csv",
        [
            row(
                courriels="epn@laragne.example|pas-un-courriel",
                site_web="https://epn-laragne.example/|javascript:alert(1)",
            )
        ],
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 ligne\\(s\\) rejetée\\(s\\) sur 1"):
        call_command("import_directory", str(path), stdout=io.StringIO(), stderr=err)
    report = err.getvalue()
    assert (
        "ligne 2" in report
        and "courriels : « pas-un-courriel » invalide" in report
        and "site_web : « javascript:alert(1) »" in report
    )
    assert not ExternalIdentity.objects.exists()


def test_own_exports_say_where_each_entry_comes_from(client, entries, national):
    run(national)
    cache.clear()
    text = client.get("/annuaire/export.csv").content.decode()
    rows = {r["nom"]: r for r in csv.DictReader(io.StringIO(text))}
    imported = rows["Espace numérique du Buëch"]
    assert (imported["source"], imported["source_mis_a_jour"]) == ("data.inclusion", "2026-10-15")
    own = [
        r
        for name, r in rows.items()
        if name
        not in ("Espace numérique du Buëch", "Tiers-lieu de la Lance", "Point numérique d'Aleyrac")
    ]
    assert own and {(r["source"], r["source_mis_a_jour"]) for r in own} == {
        ("Innover en Baronnies provençales", "")
    }
    features = client.get("/annuaire/export.geojson").json()["features"]
    by_name = {f["properties"]["nom"]: f["properties"] for f in features}
    assert by_name["Espace numérique du Buëch"]["source"] == "data.inclusion"


def test_own_export_with_the_source_columns_imports_unchanged(client, entries, national, tmp_path):
    run(national)
    cache.clear()
    path = tmp_path / "own.csv"
    path.write_bytes(client.get("/annuaire/export.csv").content)
    revisions = Revision.objects.count()
    out, _err = run(path)
    assert "0 à créer, 0 à mettre à jour" in out and Revision.objects.count() == revisions


def existing_entry():
    """An actor already in the directory, in Nyons, that an imported row resembles."""
    found = ActorPage.objects.filter(
        slug="ressourcerie-du-lavoir", locale__language_code="fr"
    ).first()
    return found or ActorPageFactory(
        title="Ressourcerie du Lavoir", slug="ressourcerie-du-lavoir", commune=commune("26220")
    )


def duplicate_row(tmp_path, name="dup.csv", **fields):
    existing_entry()
    return write(
        tmp_path / name,
        [
            row(
                id="x-1",
                pivot="",
                nom="Ressourcerie du lavoir",
                commune="Nyons",
                code_postal="26110",
                code_insee="26220",
                site_web="",
                courriels="",
                **fields,
            )
        ],
    )


def test_imported_duplicates_are_flagged_for_the_moderator(client, entries, tmp_path):
    from directory.commons.models import ImportedDuplicate

    fabrique = existing_entry()
    path = duplicate_row(tmp_path)
    run(path, "--dry-run")
    assert not ImportedDuplicate.objects.exists()  # a dry run writes nothing, not even the flag
    run(path)
    run(path)  # the next import refreshes the flag, it does not add another
    flag = ImportedDuplicate.objects.get()
    assert (flag.source, flag.external_id, flag.similar_to_id, flag.status) == (
        "data.inclusion",
        "x-1",
        fabrique.pk,
        "pending",
    )
    client.force_login(get_user_model().objects.get(username="admin"))
    html = client.get("/admin/reports/doublons-possibles/").content.decode()
    assert (
        "Ressourcerie du lavoir" in html
        and "data.inclusion : x-1" in html
        and f"/admin/pages/{fabrique.pk}/edit/" in html
    )
    assert not PlacePage.objects.filter(title="Ressourcerie du lavoir").exists()


def test_a_moderator_links_an_imported_duplicate_to_the_existing_place(
    client, entries, national, tmp_path
):
    from directory.commons.models import ImportedDuplicate

    run(national)
    lance = PlacePage.objects.get(title="Tiers-lieu de la Lance")
    # another source lists the same place (same website): not created, flagged
    other = write(
        tmp_path / "other.csv",
        [
            row(
                id="dora-7",
                source="dora",
                pivot="",
                nom="La Lance, tiers-lieu",
                commune="Nyons",
                code_postal="26110",
                code_insee="26220",
                site_web="https://lance.example/",
                courriels="",
            )
        ],
    )
    out, _err = run(other)
    assert "1 doublon(s) possible(s)" in out
    flag = ImportedDuplicate.objects.get()
    client.force_login(get_user_model().objects.get(username="admin"))
    assert client.get(f"/admin/reports/doublons-possibles/import/{flag.pk}/").status_code == 405
    assert (
        client.post(
            f"/admin/reports/doublons-possibles/import/{flag.pk}/", {"action": "nimporte"}
        ).status_code
        == 400
    )
    response = client.post(
        f"/admin/reports/doublons-possibles/import/{flag.pk}/", {"action": "link"}
    )
    assert response.status_code == 302 and not ImportedDuplicate.objects.exists()
    identity = ExternalIdentity.objects.get(page_id=lance.pk)
    assert (identity.source, identity.external_id) == ("dora", "dora-7")
    pages = PlacePage.objects.count()
    out, _err = run(
        other
    )  # the same file again: it now updates the linked entry, never a second card
    assert "0 à créer, 1 à mettre à jour" in out and "0 doublon(s)" in out
    assert PlacePage.objects.count() == pages
    lance.refresh_from_db()
    assert lance.title == "La Lance, tiers-lieu"


def test_a_moderator_says_an_imported_duplicate_is_another_place(client, entries, tmp_path):
    from directory.commons.models import ImportedDuplicate

    path = duplicate_row(tmp_path)
    run(path)
    flag = ImportedDuplicate.objects.get()
    client.force_login(get_user_model().objects.get(username="admin"))
    assert (
        client.post(
            f"/admin/reports/doublons-possibles/import/{flag.pk}/", {"action": "distinct"}
        ).status_code
        == 302
    )
    assert (
        "Ressourcerie du lavoir"
        not in client.get("/admin/reports/doublons-possibles/")
        .content.decode()
        .split("Lignes importées non créées")[1]
    )
    out, _err = run(path)
    assert "1 à créer" in out and "0 doublon(s)" in out
    created = PlacePage.objects.get(title="Ressourcerie du lavoir")
    assert (
        created.live and created.slug == "ressourcerie-du-lavoir-2"
    )  # the actor keeps its own slug
    out, _err = run(path)
    assert (
        "0 à créer" in out and PlacePage.objects.filter(title="Ressourcerie du lavoir").count() == 1
    )


def test_only_who_may_publish_the_entry_resolves_an_imported_duplicate(client, entries, tmp_path):
    from directory.commons.models import ImportedDuplicate

    run(duplicate_row(tmp_path))
    flag = ImportedDuplicate.objects.get()
    user = get_user_model().objects.create_user("curieux", "curieux@example.org", "x")
    client.force_login(user)
    response = client.post(
        f"/admin/reports/doublons-possibles/import/{flag.pk}/", {"action": "link"}
    )
    assert response.status_code in (302, 403)  # the admin sends people without access to its login
    flag.refresh_from_db()
    assert flag.status == "pending" and not ExternalIdentity.objects.exists()


def test_a_file_without_source_syncs_too(tmp_path):
    path = write(tmp_path / "nosource.csv", [row(source="")])
    out, _err = run(path)
    assert "1 à créer" in out
    place = PlacePage.objects.get(title="Espace numérique du Buëch")
    assert ExternalIdentity.objects.get(page_id=place.pk).source == "inconnue"
    out, _err = run(
        path
    )  # the same file again: recognised by its id, not taken for a duplicate of itself
    assert "0 à créer, 0 à mettre à jour, 1 inchangée(s)" in out and "0 doublon(s)" in out
