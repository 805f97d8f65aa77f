"""Kinds and services exist on every install, in both languages, and map to the national schema."""

import json
import re
from pathlib import Path

import pytest

from directory.models import ActorKind, PlaceKind, Service

pytestmark = pytest.mark.django_db

SCHEMA = (
    Path(__file__).resolve().parent.parent
    / "directory"
    / "data"
    / "schemas"
    / "mediation-numerique-schema-v1.0.1.json"
)


@pytest.mark.parametrize(
    "model, slug",
    [
        (ActorKind, "mediation-numerique"),
        (ActorKind, "elu"),
        (PlaceKind, "fab-lab"),
        (Service, "impression-3d"),
    ],
)
def test_kinds_and_services_exist_in_french_and_english(model, slug):
    assert set(model.objects.filter(slug=slug).values_list("locale__language_code", flat=True)) == {
        "fr",
        "en",
    }
    fr, en = (model.objects.get(slug=slug, locale__language_code=code) for code in ("fr", "en"))
    assert fr.translation_key == en.translation_key
    assert fr.name != en.name or fr.name in {"Fab lab"}


def test_service_mappings_are_values_of_the_mediation_numerique_schema():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    pattern = next(f for f in schema["fields"] if f["name"] == "services")["constraints"]["pattern"]
    values = set(
        Service.objects.exclude(mediation_numerique="").values_list(
            "mediation_numerique", flat=True
        )
    )
    assert values
    for value in values:
        assert re.fullmatch(pattern, value), value


def test_staff_manage_vocabularies_in_the_admin(admin_client):
    html = admin_client.get("/admin/snippets/directory/service/").content.decode()
    assert "Imprimante 3D" in html
    assert admin_client.get("/admin/snippets/directory/actorkind/").status_code == 200
    assert admin_client.get("/admin/snippets/directory/placekind/").status_code == 200
