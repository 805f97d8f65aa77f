"""Communes come with a fresh database and are refreshed by load_communes, safely."""

import io

import pytest
from django.core.management import CommandError, call_command

from directory.models import Commune

pytestmark = pytest.mark.django_db

HEADER = "insee,name,postal_code,department,epci,lat,lon,in_park\n"


def run(*args, **options):
    out = io.StringIO()
    call_command("load_communes", *args, stdout=out, **options)
    return out.getvalue()


def write(tmp_path, text):
    path = tmp_path / "communes.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_fresh_database_has_the_communes_of_the_shipped_file():
    assert Commune.objects.count() == 527
    nyons = Commune.objects.get(insee="26220")
    assert nyons.name == "Nyons"
    assert nyons.department == "26"
    assert nyons.latitude is not None


def test_loading_the_shipped_file_again_changes_nothing():
    before = list(
        Commune.objects.values_list("insee", "name", "in_park", "latitude").order_by("insee")
    )
    out = run()
    assert "0 créée(s), 0 mise(s) à jour, 527 inchangée(s)" in out
    out = run()
    assert "527 inchangée(s)" in out
    assert (
        list(Commune.objects.values_list("insee", "name", "in_park", "latitude").order_by("insee"))
        == before
    )


def test_a_newer_file_creates_and_updates_by_insee_code(tmp_path):
    path = write(
        tmp_path,
        HEADER
        + "26220,Nyons,26110,26,CC des Baronnies en Drôme Provençale,44.36,5.14,unverified_ccbdp\n"
        + "99999,Commune nouvelle,26999,26,,,,unverified\n",
    )
    out = run(path)
    assert "1 créée(s), 1 mise(s) à jour" in out
    assert Commune.objects.get(insee="26220").latitude == 44.36
    assert Commune.objects.get(insee="99999").name == "Commune nouvelle"


def test_staff_confirmation_of_park_membership_is_kept_unless_told_otherwise(tmp_path):
    Commune.objects.filter(insee="26220").update(in_park=Commune.InPark.YES)
    path = write(tmp_path, HEADER + "26220,Nyons,26110,26,CC,44.36,5.14,unverified\n")
    out = run(path)
    assert "conservée pour 1 commune(s)" in out
    assert Commune.objects.get(insee="26220").in_park == "yes"
    run(path, overwrite_in_park=True)
    assert Commune.objects.get(insee="26220").in_park == "unverified"


@pytest.mark.parametrize(
    "text, reason",
    [
        ("insee,name\n26220,Nyons\n", "colonnes manquantes"),
        (HEADER + "2622,Nyons,26110,26,,44.3,5.1,unverified\n", "code INSEE"),
        (HEADER + "26220,Nyons,26110,26,,north,5.1,unverified\n", "n'est pas un nombre"),
        (HEADER + "26220,Nyons,26110,26,,144.3,5.1,unverified\n", "hors de"),
        (HEADER + "26220,Nyons,26110,26,,44.3,5.1,perhaps\n", "in_park"),
        (HEADER + "26220,Nyons,26110,26,,44.3,5.1\n", "nombre de colonnes"),
        (HEADER, "aucune commune"),
    ],
)
def test_a_malformed_file_is_refused_with_a_reason_and_saves_nothing(tmp_path, text, reason):
    path = write(
        tmp_path, text + "99998,Autre,26000,26,,,,unverified\n" if text != HEADER else text
    )
    with pytest.raises(CommandError) as error:
        run(path)
    assert reason in str(error.value)
    assert "rien n'a été enregistré" in str(error.value)
    assert not Commune.objects.filter(insee="99998").exists()


def test_a_missing_file_is_refused_clearly():
    with pytest.raises(CommandError, match="introuvable"):
        run("/nonexistent/communes.csv")


def test_staff_can_search_and_filter_communes_in_the_admin(admin_client):
    html = admin_client.get("/admin/snippets/directory/commune/", {"q": "Nyons"}).content.decode()
    assert "Nyons" in html
    html = admin_client.get(
        "/admin/snippets/directory/commune/", {"department": "05", "q": "Serres"}
    ).content.decode()
    assert "Serres" in html


def test_staff_can_confirm_park_membership_in_the_admin(admin_client):
    nyons = Commune.objects.get(insee="26220")
    response = admin_client.post(
        f"/admin/snippets/directory/commune/edit/{nyons.pk}/",
        {
            "name": nyons.name,
            "postal_code": nyons.postal_code,
            "department": nyons.department,
            "epci": nyons.epci,
            "latitude": nyons.latitude,
            "longitude": nyons.longitude,
            "in_park": "yes",
        },
    )
    assert response.status_code == 302
    nyons.refresh_from_db()
    assert nyons.in_park == "yes"
    assert nyons.insee == "26220"
