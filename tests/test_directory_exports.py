"""Exports of the directory: GeoJSON (RFC 7946), CSV, and the national médiation numérique schema."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.cache import cache
from django.template import engines
from django.test import RequestFactory

pytestmark = pytest.mark.django_db

SCHEMA = (
    Path(__file__).resolve().parent.parent
    / "directory/data/schemas/mediation-numerique-schema-v1.0.1.json"
)


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


def validate_csv(path):
    """frictionless validation of a CSV file against the schema copied in the repository."""
    from frictionless import Resource, Schema

    schema = Schema.from_descriptor(json.loads(SCHEMA.read_text(encoding="utf-8")))
    return Resource(path=path.name, basepath=str(path.parent), schema=schema).validate()


def features_by_slug(data):
    return {f["properties"]["slug"]: f for f in data["features"]}


def test_geojson_is_an_rfc7946_feature_collection_in_lon_lat_order(client, entries):
    response = client.get("/annuaire/export.geojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    assert "crs" not in data  # RFC 7946: WGS 84 only, no crs member
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        assert set(feature) >= {"type", "geometry", "properties"}
        if feature["geometry"] is not None:
            assert feature["geometry"]["type"] == "Point"
            lon, lat = feature["geometry"]["coordinates"]
            assert -180 <= lon <= 180 and -90 <= lat <= 90
    fabrique = features_by_slug(data)["test-la-fabrique"]
    assert fabrique["geometry"]["coordinates"] == [5.139, 44.361]  # [longitude, latitude]


def test_geojson_entry_without_coordinates_uses_its_commune_point(client, entries):
    data = json.loads(client.get("/annuaire/export.geojson").content)
    espace = features_by_slug(data)["test-espace"]
    buis = entries["communes"]["buis"]
    assert espace["geometry"]["coordinates"] == [buis.longitude, buis.latitude]
    assert espace["properties"]["latitude"] == ""


def test_exports_leave_out_drafts_private_entries_and_contributor_emails(client, entries):
    from directory.models import Contribution

    Contribution.objects.create(
        page=entries["asoft"], contributor_email="secret-person@example.org"
    )
    for url in (
        "/annuaire/export.geojson",
        "/annuaire/export.csv",
        "/annuaire/export-mediation-numerique.csv",
    ):
        body = client.get(url).content.decode()
        assert "test-brouillon" not in body and "Brouillon secret" not in body
        assert "Entrée privée test" not in body
        assert "secret-person@example.org" not in body


def test_filtered_export_keeps_only_matching_entries(client, entries):
    data = json.loads(
        client.get("/annuaire/export.geojson", {"department": "05", "q": "test"}).content
    )
    assert set(features_by_slug(data)) == {"test-serres"}
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get("/annuaire/export.csv", {"type": "place", "q": "test"}).content.decode()
            )
        )
    )
    assert {r["slug"] for r in rows} == {"test-la-fabrique", "test-espace"}


def test_export_in_english_serves_english_entries(client, entries):
    from wagtail.models import Locale

    translated = entries["asoft"].copy_for_translation(
        Locale.objects.get(language_code="en"), copy_parents=True
    )
    translated.title = "ASOFT test association"
    translated.save_revision().publish()
    response = client.get("/en/annuaire/export.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert "ASOFT test association" in {r["nom"] for r in rows}
    assert all(r["langue"] == "en" for r in rows)
    assert rows[0]["url"].startswith("http") and "/en/" in rows[0]["url"]


@pytest.mark.parametrize(
    "params", [{"kind": "nope"}, {"commune": "<b>x</b>"}, {"q": "y" * 10000}, {"type": "x"}]
)
def test_export_with_bad_parameters_is_a_400(client, entries, params):
    response = client.get("/annuaire/export.geojson", params)
    assert response.status_code == 400
    assert "<b>" not in response.content.decode()


def test_csv_is_utf8_with_the_documented_columns(client, entries):
    from directory.opendata import COLUMNS

    response = client.get("/annuaire/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == COLUMNS
    rows = {r["slug"]: r for r in reader}
    assert rows["test-la-fabrique"]["services"] == "aide-numerique|bureaux"
    assert rows["test-la-fabrique"]["structures"] == str(entries["asoft"].translation_key)
    assert rows["test-espace"]["parent"] == str(entries["asoft"].translation_key)
    assert rows["test-asoft"]["membre"] == "oui"
    assert "Médiation numérique" in text or "médiation" in text.lower()


def test_mediation_export_validates_against_the_national_schema(client, entries, tmp_path):
    response = client.get("/annuaire/export-mediation-numerique.csv")
    assert response.status_code == 200
    path = tmp_path / "lieux.csv"
    path.write_bytes(response.content)
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    names = {r["nom"] for r in rows}
    assert {"La Fabrique test", "Espace numérique test"} <= names
    assert "Association test ASOFT" not in names  # actors are not places
    fabrique = next(r for r in rows if r["nom"] == "La Fabrique test")
    assert fabrique["services"] == "Aide aux démarches administratives"
    assert fabrique["code_postal"] == "26110"
    report = validate_csv(path)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_mediation_export_rejects_a_broken_row_so_the_test_can_fail(tmp_path):
    from directory.opendata import MEDIATION_COLUMNS

    path = tmp_path / "broken.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=MEDIATION_COLUMNS)
        writer.writeheader()
        writer.writerow(
            dict.fromkeys(MEDIATION_COLUMNS, "")
            | {"id": "x", "nom": "Sans pivot", "services": "Aide;Autre"}
        )
    assert not validate_csv(path).valid


def test_full_geojson_is_cached_and_invalidated_on_publish_and_unpublish(client, entries):
    from directory.opendata import geojson_cache_key

    client.get("/annuaire/export.geojson")
    assert cache.get(geojson_cache_key("fr")) is not None
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Served from the cache: Wagtail finds the page (site, locale, page, view restrictions),
    # and nothing reads an entry.
    with CaptureQueriesContext(connection) as queries:
        cached = client.get("/annuaire/export.geojson")
    assert b"test-serres" in cached.content
    entry_tables = ("directory_actorpage", "directory_placepage", "directory_commune")
    assert not [
        q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in entry_tables)
    ]
    assert len(queries) <= 7

    entries["serres"].unpublish()
    assert cache.get(geojson_cache_key("fr")) is None
    assert b"test-serres" not in client.get("/annuaire/export.geojson").content

    entries["serres"].save_revision().publish()
    assert cache.get(geojson_cache_key("fr")) is None
    assert b"test-serres" in client.get("/annuaire/export.geojson").content


def count_queries(client, url, params=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params or {}).status_code == 200
    return len(context)


def test_export_query_count_does_not_grow_with_the_number_of_entries(client, entries):
    from directory.models import PlacePage

    urls = [
        "/annuaire/export.csv",
        "/annuaire/export-mediation-numerique.csv",
        "/annuaire/export.geojson",
    ]
    before = [count_queries(client, url) for url in urls]
    for n in range(5):
        place = PlacePage(
            title=f"Lieu supplémentaire {n}", slug=f"test-plus-{n}", summary="Encore un lieu.",
            kind=entries["fabrique"].kind, commune=entries["communes"]["serres"],
        )  # fmt: skip
        entries["asoft"].add_child(instance=place)
        place.services.set(entries["fabrique"].services.all())
        place.themes.set(entries["fabrique"].themes.all())
        place.operators.set([entries["asoft"], entries["serres"]])
        place.save_revision().publish()
    assert [count_queries(client, url) for url in urls] == before
    assert max(before) <= 25  # cold cache; about ten of these are cached on a warm one


def render(template_name, query=""):
    """The include as the directory page renders it (its links are the page's routes)."""
    from directory.pages import DirectoryIndexPage

    request = RequestFactory().get("/annuaire/" + query)
    page = DirectoryIndexPage.objects.get(locale__language_code="fr")
    return (
        engines["django"]
        .get_template(template_name)
        .render({"request": request, "page": page}, request)
    )


@pytest.mark.django_db
def test_head_links_announce_every_export_and_keep_current_filters():
    html = render(
        "directory/includes/open_data_links.html", "?theme=culture-numerique&page=2&evil=%3Cx%3E"
    )
    assert 'rel="alternate" type="application/geo+json"' in html
    assert 'type="text/csv"' in html
    assert "/annuaire/export.geojson?theme=culture-numerique" in html
    assert "page=2" not in html and "evil" not in html


@pytest.mark.django_db
def test_open_data_section_states_the_licence_and_links_the_openapi_document():
    html = render("directory/includes/open_data_section.html", "?q=%3Cscript%3E")
    assert "Données ouvertes" in html
    assert "Licence Ouverte 2.0" in html
    assert "/api/v1/openapi.json" in html
    assert "<script>" not in html
    assert "q=%3Cscript%3E" in html
