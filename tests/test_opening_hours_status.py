"""Opening hours through the maintained parser: validation that points at the fault (admin,
contribution form, importer), "open now / next change" in Europe/Paris time with public holidays,
and the directory's "ouvert maintenant" / "ouvert le …" filters from the weekly table."""

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from directory.commons import hours
from directory.commons.models import OpeningInterval
from directory.filters import DirectoryQuery
from directory.models import PlacePage
from directory.opendata import COLUMNS
from tests.directory_helpers import add_place, clear_cache
from tests.test_directory_contributions import form_data

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
UTC = ZoneInfo("UTC")
real_moment = hours.moment


@pytest.fixture(autouse=True)
def fresh_cache():
    clear_cache()


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


# --- validation -----------------------------------------------------------------------


def test_error_message_points_at_the_fault():
    message = hours.error_message("Mo-Fx 09:00-12:00")
    assert "caractère 4" in message and "« Fx 09:00-12: »" in message
    assert hours.error_message("Mo-Fr 09:00-12:30,14:00-18:00; Sa 09:00-12:00; PH off") == ""
    assert hours.error_message("Mo-Fr 09:00-12:00;") == ""  # a trailing ; is tolerated and dropped
    assert hours.error_message("lundi 9h") != ""


def test_admin_validation_refuses_broken_hours_on_the_field():
    place = PlacePage.objects.live().filter(locale__language_code="fr").first()
    place.opening_hours = "Mo-Fr 9h-12h"
    with pytest.raises(ValidationError) as raised:
        place.full_clean()
    assert "opening_hours" in raised.value.message_dict
    assert "caractère" in raised.value.message_dict["opening_hours"][0]
    place.opening_hours = "Mo-Fr 09:00-12:00 ; "
    place.full_clean()
    assert place.opening_hours == "Mo-Fr 09:00-12:00"


def test_contribution_form_refuses_broken_hours_and_keeps_good_ones(client, entries):
    response = client.post("/annuaire/proposer/", form_data(opening_hours="Mo-Fr 9-12"))
    assert response.status_code == 200
    assert "Horaires non reconnus" in response.content.decode()
    assert not PlacePage.objects.filter(title="Le Tiers-lieu des Tilleuls").exists()
    response = client.post(
        "/annuaire/proposer/", form_data(opening_hours="Tu-Sa 10:00-18:00; PH off")
    )
    assert response.status_code == 302
    draft = PlacePage.objects.get(title="Le Tiers-lieu des Tilleuls")
    assert draft.opening_hours == "Tu-Sa 10:00-18:00; PH off"


def test_importer_reports_broken_hours_with_the_line_number(entries, tmp_path):
    path = tmp_path / "horaires.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        row = {c: "" for c in COLUMNS}
        row.update(
            type="lieu",
            type_structure="coworking",
            nom="Lieu horaires",
            resume="x",
            horaires="Mo-Fr 09:00-12:00",
        )
        writer.writerow(row)
        writer.writerow({**row, "nom": "Lieu cassé", "horaires": "Mo-Fr 09:00-12:00; Xy off"})
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_directory", str(path), stdout=out, stderr=err)
    report = out.getvalue() + err.getvalue()
    assert (
        "ligne 3" in report
        and "horaires : Horaires non reconnus" in report
        and "caractère 20" in report
    )
    assert not PlacePage.objects.filter(title="Lieu horaires").exists()


# --- open now, next change --------------------------------------------------------------

WEEKDAYS = "Mo-Fr 09:00-12:00,14:00-18:00"


@pytest.mark.parametrize(
    ("moment", "is_open", "change"),
    [
        (paris(2026, 12, 7, 8, 59, 59), False, paris(2026, 12, 7, 9, 0)),  # Monday, a second before
        (paris(2026, 12, 7, 9, 0), True, paris(2026, 12, 7, 12, 0)),
        (paris(2026, 12, 7, 11, 59), True, paris(2026, 12, 7, 12, 0)),
        (paris(2026, 12, 7, 12, 0), False, paris(2026, 12, 7, 14, 0)),
        (paris(2026, 12, 11, 18, 0), False, paris(2026, 12, 14, 9, 0)),  # Friday evening → Monday
        (paris(2026, 12, 13, 23, 59), False, paris(2026, 12, 14, 9, 0)),  # Sunday, last minute
    ],
)
def test_open_now_at_the_edges_of_a_day(moment, is_open, change):
    state = hours.status(WEEKDAYS, now=moment)
    assert state["open"] is is_open
    assert state["next_change"] == change


def test_hours_past_midnight_belong_to_the_next_day():
    assert hours.status("Sa 22:00-02:00", now=paris(2026, 12, 6, 1, 59))["open"] is True
    assert hours.status("Sa 22:00-02:00", now=paris(2026, 12, 6, 2, 0))["open"] is False
    assert hours.weekly_intervals("Sa 22:00-02:00", date(2026, 12, 7)) == [
        (5, 1320, 1440),
        (6, 0, 120),
    ]


@pytest.mark.parametrize(
    ("utc", "is_open"),
    [
        # Summer time starts on Sunday 29 March 2026 at 02:00 (→ 03:00): 06:30 UTC is 08:30 in Paris.
        (datetime(2026, 3, 29, 6, 30, tzinfo=UTC), True),
        (datetime(2026, 3, 29, 5, 30, tzinfo=UTC), False),  # 07:30 in Paris
        # Winter time is back on Sunday 25 October 2026 at 03:00 (→ 02:00): 07:30 UTC is 08:30.
        (datetime(2026, 10, 25, 7, 30, tzinfo=UTC), True),
        (datetime(2026, 10, 25, 6, 30, tzinfo=UTC), False),  # 07:30 in Paris
    ],
)
def test_open_now_across_a_dst_change(utc, is_open):
    assert hours.status("Su 08:00-12:00", now=utc)["open"] is is_open
    weekday, minute = hours.moment(utc)
    assert weekday == 6
    assert (480 <= minute < 720) is is_open


def test_night_of_the_spring_change():
    # 01:00-04:00 on the night the clocks jump from 02:00 to 03:00: closes at 04:00 summer time.
    state = hours.status("Su 01:00-04:00", now=datetime(2026, 3, 29, 0, 30, tzinfo=UTC))
    assert state["open"] is True
    assert state["next_change"] == paris(2026, 3, 29, 4, 0)
    assert state["next_change"].astimezone(UTC) == datetime(2026, 3, 29, 2, 0, tzinfo=UTC)


def test_french_public_holidays():
    christmas = paris(2026, 12, 25, 10, 0)  # a Friday
    assert hours.status("Mo-Fr 09:00-17:00; PH off", now=christmas)["open"] is False
    assert hours.status("Mo-Fr 09:00-17:00; PH off", now=christmas)["next_change"] == paris(
        2026, 12, 28, 9, 0
    )
    assert hours.status("Mo-Fr 09:00-17:00", now=christmas)["open"] is True
    # The weekly table of that week has no Friday for a place closed on public holidays.
    days = {
        weekday
        for weekday, _start, _end in hours.weekly_intervals(
            "Mo-Fr 09:00-17:00; PH off", date(2026, 12, 21)
        )
    }
    assert days == {0, 1, 2, 3}


def test_entry_page_says_open_or_closed_in_paris_time(client, entries):
    place = add_place("Lieu ouvert tout le temps", "lieu-ouvert", opening_hours="24/7")
    html = client.get(place.url).content.decode()
    assert "Ouvert maintenant" in html and 'id="opening-intervals"' in html
    place = add_place("Lieu jamais ouvert", "lieu-ferme", opening_hours="Mo-Su off")
    html = client.get(place.url).content.decode()
    assert "Fermé maintenant" in html


# --- directory filters --------------------------------------------------------------------


def titles(querystring, monkeypatch=None, at=None):
    if at is not None:
        fixed = real_moment(at)
        monkeypatch.setattr(hours, "moment", lambda now=None: fixed)
    query = DirectoryQuery.from_params(
        QueryDict(querystring), Locale.objects.get(language_code="fr")
    )
    return {row.title for row in query.rows}


@pytest.fixture
def places(entries):
    made = [
        add_place("Matinal", "matinal", opening_hours="Mo-Fr 08:00-12:00"),
        add_place("Samedi soir", "samedi-soir", opening_hours="Sa 20:00-02:00"),
        add_place("Sans horaires", "sans-horaires"),
    ]
    return made


def test_published_hours_fill_the_weekly_table(places):
    matinal = places[0]
    rows = set(
        OpeningInterval.objects.filter(page_id=matinal.pk).values_list(
            "weekday", "start_minute", "end_minute"
        )
    )
    assert rows == {(day, 480, 720) for day in range(5)}
    assert not OpeningInterval.objects.filter(page_id=places[2].pk).exists()
    matinal.opening_hours = "Mo 10:00-11:00"
    matinal.save_revision().publish()
    assert list(
        OpeningInterval.objects.filter(page_id=matinal.pk).values_list(
            "weekday", "start_minute", "end_minute"
        )
    ) == [(0, 600, 660)]
    matinal.unpublish()
    assert not OpeningInterval.objects.filter(page_id=matinal.pk).exists()


def test_open_on_a_weekday_filter(places):
    found = titles("open=sa")
    assert "Samedi soir" in found and "Matinal" not in found and "Sans horaires" not in found
    found = titles("open=su")  # the hours past midnight
    assert "Samedi soir" in found and "Matinal" not in found
    found = titles("open=mo")
    assert "Matinal" in found and "Samedi soir" not in found


def test_open_now_filter_at_the_edges(places, monkeypatch):
    assert "Matinal" in titles("open=now", monkeypatch, paris(2026, 12, 7, 8, 0))
    assert "Matinal" in titles("open=now", monkeypatch, paris(2026, 12, 7, 11, 59))
    assert "Matinal" not in titles("open=now", monkeypatch, paris(2026, 12, 7, 12, 0))
    assert "Matinal" not in titles("open=now", monkeypatch, paris(2026, 12, 7, 7, 59))
    assert "Samedi soir" in titles("open=now", monkeypatch, paris(2026, 12, 13, 1, 59))
    # Summer time: 06:30 UTC on a Monday is 08:30 in Paris.
    assert "Matinal" in titles("open=now", monkeypatch, datetime(2026, 3, 30, 6, 30, tzinfo=UTC))
    assert "Matinal" not in titles(
        "open=now", monkeypatch, datetime(2026, 3, 30, 5, 30, tzinfo=UTC)
    )


def test_unknown_open_value_is_ignored_with_a_message(client, places):
    response = client.get("/annuaire/", {"open": "demain"})
    assert response.status_code == 200
    assert "valeur inconnue" in response.content.decode()


def test_filter_form_offers_the_open_filter(client, places):
    html = client.get("/annuaire/", {"open": "sa"}).content.decode()
    assert '<label for="directory-open">' in html
    assert '<option value="sa" selected>' in html
    assert "Samedi soir" in html and "Matinal" not in html


def test_open_filters_add_no_query(client, places):
    counts = {}
    for params in (
        {"q": "matinal"},
        {"q": "matinal", "open": "now"},
        {"q": "matinal", "open": "mo"},
    ):
        client.get("/annuaire/", params)  # warm the known values
        clear_cache()
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/annuaire/", params).status_code == 200
        counts[params.get("open", "")] = len(captured)
    assert counts["now"] <= counts[""] and counts["mo"] <= counts[""]


def test_markers_of_open_now_are_not_kept_by_the_page_cache(client, places):
    response = client.get("/annuaire/carte.json", {"open": "now"})
    assert "no-cache" in response.headers.get("Cache-Control", "")


def test_rebuild_command_fills_the_table(places):
    OpeningInterval.objects.all().delete()
    call_command("rebuild_opening_hours", stdout=io.StringIO())
    assert OpeningInterval.objects.filter(page_id=places[0].pk).count() == 5
