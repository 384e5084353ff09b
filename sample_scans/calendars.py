"""Hijri dates as a civil register writes them: tabular conversion, give or take a day."""

from __future__ import annotations

import datetime as dt

from convertdate import islamic
from hijridate import Gregorian, Hijri

# hijridate's Umm al-Qura tables start on 1 Muharram 1343 AH.
UMM_AL_QURA_START = dt.date(*Hijri(1343, 1, 1).to_gregorian().datetuple())


def tabular_hijri(day: dt.date) -> tuple[int, int, int]:
    """(year, month, day) of a Gregorian date: Umm al-Qura from 1343 AH, arithmetical before."""
    if day >= UMM_AL_QURA_START:
        h = Gregorian(day.year, day.month, day.day).to_hijri()
        return h.year, h.month, h.day
    return islamic.from_gregorian(day.year, day.month, day.day)


def hijri_as_written(day: dt.date, shift: int) -> tuple[int, int, int]:
    """The Hijri date a register writes for `day`, `shift` days off the tables (moon sighting)."""
    return tabular_hijri(day + dt.timedelta(days=shift))


def hijri_iso(ymd: tuple[int, int, int]) -> str:
    """'1415-10-14'."""
    return f"{ymd[0]:04d}-{ymd[1]:02d}-{ymd[2]:02d}"
