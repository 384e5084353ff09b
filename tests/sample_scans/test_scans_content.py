"""What the generator writes on the pages: canonical keys, normalised values, plausible dates."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from convertdate import islamic
from hijridate import Hijri

from records.fields import ACT_KEYS, REGISTER_KEYS
from sample_scans.calendars import UMM_AL_QURA_START
from sample_scans.generate import plan

ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture(scope="module")
def planned():
    return plan(seed=5, pages=60)


@pytest.fixture(scope="module")
def acts(planned):
    return [
        (page.content, act) for file in planned for page in file.pages for act in page.content.acts
    ]


def _truth(content, act):
    return content.register_fields() | act.fields


def _gregorian(hijri_iso: str) -> dt.date:
    y, m, d = map(int, hijri_iso.split("-"))
    if (y, m, d) >= (1343, 1, 1):
        return dt.date(*Hijri(y, m, d).to_gregorian().datetuple())
    return dt.date(*islamic.to_gregorian(y, m, d))


def test_truth_keys_are_the_canonical_keys_of_the_act_type(acts):
    for content, act in acts:
        keys = set(_truth(content, act))
        canonical = set(REGISTER_KEYS) | set(ACT_KEYS[content.register.act_type])
        assert keys <= canonical
        missing = canonical - keys
        death = content.register.act_type == "death"
        optional = {"birth_date", "birth_date_hijri"} if death else set()
        unexplained = {
            k for k in missing if not k.endswith(("_fr", "_hijri")) and k not in optional
        }
        assert not unexplained, unexplained
        assert len({k for k in missing if k.endswith("_fr")}) <= 1


def test_a_missing_french_line_drops_only_its_fr_key(acts):
    dropped = [
        (content, act)
        for content, act in acts
        if any(row.kind == "field" and row.fr is None for row in act.rows)
    ]
    assert dropped
    for content, act in dropped:
        fr_keys = [k for k in ACT_KEYS[content.register.act_type] if k.endswith("_fr")]
        assert len([k for k in fr_keys if k not in act.fields]) <= 1


def test_values_are_normalised(acts):
    for content, act in acts:
        for key, value in _truth(content, act).items():
            assert isinstance(value, str) and value == value.strip()
            assert not re.search("[٠-٩]", value), (key, value)
            if key.endswith("_date") or key.endswith("_hijri"):
                assert ISO.fullmatch(value), (key, value)
            if key in ("act_number", "register_year", "page"):
                assert value.isdigit() and not value.startswith("0"), (key, value)
            if key == "sex":
                assert value in ("M", "F")


def test_act_numbers_are_sometimes_written_with_leading_zeros_but_not_in_the_truth(acts):
    written = [(row.ar.value, act.fields["act_number"]) for _, act in acts for row in act.rows[:1]]
    padded = [(w, t) for w, t in written if w.startswith("0")]
    assert padded
    assert all(w.lstrip("0") == t for w, t in padded)


def test_hijri_dates_are_within_two_days_of_the_gregorian(acts):
    checked = 0
    for _, act in acts:
        for key, value in act.fields.items():
            if key.endswith("_hijri"):
                gap = abs((_gregorian(value) - dt.date.fromisoformat(act.fields[key[:-6]])).days)
                assert gap <= 2, (key, value)
                checked += 1
    assert checked > 20


def test_hijri_dates_before_umm_al_qura_use_the_arithmetical_calendar(acts):
    old = [
        v
        for _, act in acts
        for k, v in act.fields.items()
        if k.endswith("_hijri") and dt.date.fromisoformat(act.fields[k[:-6]]) < UMM_AL_QURA_START
    ]
    assert old and all(v < "1343" for v in old)


def test_events_fall_in_the_register_year_and_are_drawn_up_within_30_days(acts):
    for content, act in acts:
        year = content.register.year
        drawn = dt.date.fromisoformat(act.fields["drawn_up_date"])
        assert drawn.year == year
        event_key = {"birth": "birth_date", "death": "death_date", "marriage": "marriage_date"}[
            content.register.act_type
        ]
        event = dt.date.fromisoformat(act.fields[event_key])
        assert 0 <= (drawn - event).days <= 30


def test_act_numbers_are_consecutive_within_a_page(planned):
    for file in planned:
        for page in file.pages:
            numbers = [act.number for act in page.content.acts]
            assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def test_consecutive_pages_of_a_file_continue_the_act_numbers(planned):
    for file in planned:
        numbers = [act.number for page in file.pages for act in page.content.acts]
        assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def test_marriage_registers_are_algerian_or_tunisian(acts):
    countries = {c.register.country for c, _ in acts if c.register.act_type == "marriage"}
    assert countries and countries <= {"DZ", "TN"}


def test_both_digit_systems_and_hijri_lines_are_written(acts):
    arabic_values = [row.ar.value for _, act in acts for row in act.rows if row.ar]
    assert any(re.search("[٠-٩]", v) for v in arabic_values)
    assert any(re.search("[0-9]", v) for v in arabic_values)
    assert any("الموافق" in v for v in arabic_values)


def test_marginal_notes_come_in_both_languages(acts):
    with_notes = [act for _, act in acts if act.notes_ar]
    assert with_notes
    assert all(len(act.notes_ar) == len(act.notes_fr) <= 2 for _, act in acts)


def test_different_seeds_give_different_pages():
    first = [a.fields for f in plan(1, 3) for p in f.pages for a in p.content.acts]
    second = [a.fields for f in plan(2, 3) for p in f.pages for a in p.content.acts]
    assert first != second


def test_same_seed_plans_the_same_pages():
    def fields(files):
        return [(f.name, a.fields) for f in files for p in f.pages for a in p.content.acts]

    assert fields(plan(9, 6)) == fields(plan(9, 6))


def test_court_copies_repeat_the_acts_of_a_bureau_file():
    files = plan(3, 12, copy_rate=0.5)
    pages = [p for f in files for p in f.pages]
    bureau = [a.fields for p in pages if p.copy == "bureau" for a in p.content.acts]
    court = [a.fields for p in pages if p.copy == "court" for a in p.content.acts]
    assert court
    assert all(fields in bureau for fields in court)
