"""Hijri <-> Gregorian conversion, and whether the two readings of one date agree.

Umm al-Qura tables (hijridate) inside their range, 1343-1500 AH / 1924-08-01 to 2077-11-16;
the arithmetical (tabular) Islamic calendar of convertdate outside it, for registers that go
back to 1915. The two differ from local moon sighting by a day or two, hence a tolerance.

A month of 29 days in the tables may have had 30 locally: day 30 of such a month is taken as
the day after day 29 (the first of the next month) rather than rejected. At the seam
(1924-08-01) the two calendars are one day apart: 1342-12-29 (arithmetical) and 1343-01-01
(Umm al-Qura) both fall on 1924-08-01; the tolerance absorbs it.
"""

from __future__ import annotations

import datetime

from convertdate import islamic
from hijridate import Gregorian, Hijri

UMM_AL_QURA_YEARS = (1343, 1500)
UMM_AL_QURA_DAYS = (datetime.date(1924, 8, 1), datetime.date(2077, 11, 16))


def hijri_to_gregorian(year: int, month: int, day: int) -> datetime.date | None:
    """The Gregorian date of a Hijri one; None when no month has such a day (month outside
    1-12, day outside 1-30, year before 1 AH). Day 31 exists only in the three 31-day months
    of the early Umm al-Qura tables (1345-05, 1348-11, 1349-11), kept so that conversions
    round-trip."""
    if year < 1 or not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    if UMM_AL_QURA_YEARS[0] <= year <= UMM_AL_QURA_YEARS[1]:
        length = Hijri(year, month, 1).month_length()
        if day == 31 and length != 31:  # three early table months have 31 days
            return None
        if day == 30 and length == 29:
            return Hijri(year, month, 29).to_gregorian() + datetime.timedelta(days=1)
        return Hijri(year, month, day).to_gregorian()
    if day == 31:
        return None
    # The arithmetical calendar counts days from the month's start, so day 30 of a 29-day
    # month already lands on the day after day 29.
    return datetime.date(*islamic.to_gregorian(year, month, day))


def gregorian_to_hijri(date: datetime.date) -> tuple[int, int, int]:
    """(year, month, day) in the Hijri calendar (Umm al-Qura where it has tables)."""
    if UMM_AL_QURA_DAYS[0] <= date <= UMM_AL_QURA_DAYS[1]:
        h = Gregorian(date.year, date.month, date.day).to_hijri()
        return h.year, h.month, h.day
    return islamic.from_gregorian(date.year, date.month, date.day)


def _iso(text: str) -> tuple[int, int, int] | None:
    parts = text.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    y, m, d = (int(p) for p in parts)
    return y, m, d


def hijri_gap_days(gregorian_iso: str, hijri_iso: str) -> int | None:
    """Signed days from the Gregorian reading to the Hijri one (positive: the Hijri reading
    falls later); None when either value is not a convertible `YYYY-MM-DD`."""
    try:
        gregorian = datetime.date.fromisoformat(gregorian_iso)
    except ValueError:
        return None
    parts = _iso(hijri_iso)
    converted = hijri_to_gregorian(*parts) if parts else None
    if converted is None:
        return None
    return (converted - gregorian).days


def dates_agree(gregorian_iso: str, hijri_iso: str, tolerance_days: int = 2) -> bool:
    """True when both readings name the same day within `tolerance_days` (local moon
    sighting differs from the tables by a day or two). False when either cannot be read."""
    gap = hijri_gap_days(gregorian_iso, hijri_iso)
    return gap is not None and abs(gap) <= tolerance_days
