"""Opening hours written in OpenStreetMap syntax are read for the common cases."""

import pytest

from directory.opening_hours import parse


def test_weekday_range_with_a_lunch_break_and_saturday_morning():
    hours = parse("Mo-Fr 09:00-12:30,14:00-18:00; Sa 09:00-12:00")
    assert hours.days[0] == [("09:00", "12:30"), ("14:00", "18:00")]
    assert hours.days[4] == hours.days[0]
    assert hours.days[5] == [("09:00", "12:00")]
    assert hours.days[6] == []


def test_day_lists_wrapping_ranges_and_off_rules():
    hours = parse("Fr-Mo 10:00-18:00; Su off; Tu,Th 14:00-17:00")
    assert [bool(day) for day in hours.days] == [True, True, False, True, True, True, False]


def test_public_holidays_and_round_the_clock():
    assert parse("Mo-Fr 09:00-17:00; PH off").closed_on_public_holidays
    assert all(day == [("00:00", "23:59")] for day in parse("24/7").days)


def test_schema_org_specification_has_one_entry_per_day_and_range():
    specs = parse("Mo,We 14:00-17:00").schema_org()
    assert [spec["dayOfWeek"] for spec in specs] == [
        "https://schema.org/Monday",
        "https://schema.org/Wednesday",
    ]
    assert specs[0]["opens"] == "14:00" and specs[0]["closes"] == "17:00"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "Jan-Mar Mo 10:00-12:00",
        "Mo-Fr sunrise-sunset",
        "Xx 10:00-12:00",
        "Mo 12:00-10:00",
        "Mo 25:00-26:00",
        "Mo",
    ],
)
def test_unsupported_or_broken_values_are_not_guessed(value):
    assert parse(value) is None
