"""Hijri <-> Gregorian conversion and the agreement check of an Arabic date line."""

from __future__ import annotations

import datetime

import pytest

from validation.calendars import (
    dates_agree,
    gregorian_to_hijri,
    hijri_gap_days,
    hijri_to_gregorian,
)

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("hijri", "gregorian"),
    [
        ((1415, 10, 14), D(1995, 3, 15)),  # the register-forms.md example
        ((1343, 1, 1), D(1924, 8, 1)),  # first day of the Umm al-Qura tables
        ((1400, 1, 1), D(1979, 11, 20)),  # the Grand Mosque seizure, 1 Muharram 1400
        ((1444, 1, 1), D(2022, 7, 30)),  # Islamic new year 1444 in Saudi Arabia
        ((1445, 9, 1), D(2024, 3, 11)),  # Ramadan 1445 began on Monday 11 March 2024
        ((1445, 10, 1), D(2024, 4, 10)),  # Eid al-Fitr 1445
        ((1500, 12, 30), D(2077, 11, 16)),  # last day of the tables
    ],
)
def test_known_pairs_convert_both_ways(hijri, gregorian):
    assert hijri_to_gregorian(*hijri) == gregorian
    assert gregorian_to_hijri(gregorian) == hijri


@pytest.mark.parametrize(
    ("hijri", "gregorian"),
    [
        ((1, 1, 1), D(622, 7, 19)),  # the Hijra epoch, 16 July 622 Julian
        ((1333, 1, 1), D(1914, 11, 19)),
        ((1342, 12, 28), D(1924, 7, 31)),
    ],
)
def test_dates_before_the_tables_use_the_arithmetical_calendar(hijri, gregorian):
    assert hijri_to_gregorian(*hijri) == gregorian
    assert gregorian_to_hijri(gregorian) == hijri


def test_the_seam_between_calendars_moves_by_at_most_one_day():
    last_arithmetical = hijri_to_gregorian(1342, 12, 29)
    first_table = hijri_to_gregorian(1343, 1, 1)
    assert last_arithmetical is not None and first_table is not None
    assert 0 <= (first_table - last_arithmetical).days <= 1
    assert gregorian_to_hijri(D(1924, 7, 31)) == (1342, 12, 28)
    assert gregorian_to_hijri(D(1924, 8, 1)) == (1343, 1, 1)


@pytest.mark.parametrize("start", [D(1915, 1, 1), D(1924, 7, 1), D(1995, 1, 1), D(2077, 10, 1)])
def test_every_day_round_trips(start):
    for offset in range(120):
        day = start + datetime.timedelta(days=offset)
        assert hijri_to_gregorian(*gregorian_to_hijri(day)) == day


def test_day_30_of_a_29_day_month_is_the_day_after_day_29():
    # Dhu al-Qadah 1415 has 29 days in the Umm al-Qura tables.
    assert hijri_to_gregorian(1415, 11, 30) == hijri_to_gregorian(1415, 11, 29) + ONE_DAY
    assert hijri_to_gregorian(1415, 11, 30) == hijri_to_gregorian(1415, 12, 1)


def test_day_30_of_a_29_day_month_before_the_tables_is_the_day_after_day_29():
    # In the arithmetical calendar even months have 29 days.
    assert hijri_to_gregorian(1330, 2, 30) == hijri_to_gregorian(1330, 2, 29) + ONE_DAY


@pytest.mark.parametrize(
    "hijri", [(1415, 0, 1), (1415, 13, 1), (1415, 10, 0), (1415, 10, 31), (1330, 1, 31), (0, 1, 1)]
)
def test_impossible_hijri_dates_give_none(hijri):
    assert hijri_to_gregorian(*hijri) is None


def test_day_31_exists_only_in_the_31_day_months_of_the_early_tables():
    assert hijri_to_gregorian(1345, 5, 31) == D(1926, 12, 6)
    assert gregorian_to_hijri(D(1926, 12, 6)) == (1345, 5, 31)


def test_leap_day_converts():
    hijri = gregorian_to_hijri(D(1996, 2, 29))
    assert hijri_to_gregorian(*hijri) == D(1996, 2, 29)
    assert hijri_gap_days("1996-02-29", "{:04d}-{:02d}-{:02d}".format(*hijri)) == 0


def test_gap_is_signed_days_from_gregorian_to_hijri_reading():
    assert hijri_gap_days("1995-03-15", "1415-10-14") == 0
    assert hijri_gap_days("1995-03-15", "1415-10-16") == 2
    assert hijri_gap_days("1995-03-15", "1415-10-13") == -1


@pytest.mark.parametrize(
    ("gregorian", "hijri"),
    [
        ("1995-02-30", "1415-10-14"),
        ("15/03/1995", "1415-10-14"),
        ("1995-03-15", "1415-13-01"),
        ("1995-03-15", "1415-10"),
        ("", ""),
    ],
)
def test_gap_is_none_when_a_reading_cannot_be_converted(gregorian, hijri):
    assert hijri_gap_days(gregorian, hijri) is None


@pytest.mark.parametrize(
    ("gregorian", "hijri", "agree"),
    [
        ("1995-03-15", "1415-10-14", True),
        ("1995-03-16", "1415-10-14", True),  # local sighting a day off
        ("1995-03-17", "1415-10-14", True),
        ("1995-03-18", "1415-10-14", False),
        ("1995-03-15", "1415-09-14", False),  # wrong month
        ("1995-03-15", "1416-10-14", False),  # wrong year
        ("1915-01-01", "1333-02-14", True),  # before the tables
        ("1915-01-01", "1333-02-16", True),
        ("1915-01-01", "1333-03-14", False),
        ("1924-08-01", "1342-12-29", True),  # across the seam
        ("1995-03-15", "1415-13-14", False),
    ],
)
def test_dates_agree_within_two_days(gregorian, hijri, agree):
    assert dates_agree(gregorian, hijri) is agree


def test_dates_agree_tolerance_is_a_parameter():
    assert not dates_agree("1995-03-16", "1415-10-14", tolerance_days=0)
    assert dates_agree("1995-03-20", "1415-10-14", tolerance_days=5)
