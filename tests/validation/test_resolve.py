"""Resolving the readings of an act into one value a key."""

from __future__ import annotations

import pytest

from records import Act, FieldValue
from validation.resolve import MAX_CONFIDENCE, combine, resolve, resolve_key


def reading(value: str, confidence: float, side: str = "ar", **extra) -> FieldValue:
    return FieldValue(value, confidence, raw=value, side=side, engine="tesseract/test", **extra)


# --- combine -------------------------------------------------------------------------------


def test_combine_of_one_confidence_is_that_confidence():
    assert combine(0.7) == pytest.approx(0.7)


def test_combine_of_agreeing_readings_is_above_each():
    assert combine(0.7, 0.6) == pytest.approx(1 - 0.3 * 0.4)
    assert combine(0.7, 0.6) > 0.7


def test_combine_never_reaches_certainty():
    assert combine(1.0, 0.99) == MAX_CONFIDENCE
    assert combine(0.999, 0.999, 0.999) <= MAX_CONFIDENCE < 1.0


def test_combine_clamps_out_of_range_confidences():
    assert combine(-0.5, 0.6) == pytest.approx(0.6)
    assert combine() == 0.0


# --- resolve_key ---------------------------------------------------------------------------


def test_two_sides_that_agree_raise_the_confidence():
    value, issue = resolve_key("sex", [reading("M", 0.7), reading("M", 0.6, "fr")])
    assert issue is None
    assert value.value == "M" and value.confidence == pytest.approx(combine(0.7, 0.6), abs=1e-4)
    assert value.side == "both"


def test_readings_that_differ_only_in_normal_form_agree():
    value, issue = resolve_key("register_year", [reading("1995", 0.7, "fr"), reading("1995 ", 0.8)])
    assert issue is None and value.confidence > 0.8


def test_two_readings_from_one_side_are_not_independent_evidence():
    value, issue = resolve_key(
        "commune_fr", [reading("Sefrou", 0.7, "fr"), reading("SEFROU ", 0.8, "fr")]
    )
    assert issue is None
    assert value.confidence == pytest.approx(0.8)
    assert value.side == "fr"


def test_a_single_reading_keeps_its_value_side_and_provenance():
    box = (1, 2, 3, 4)
    value, issue = resolve_key("given_name_ar", [reading("محمد", 0.8, box=box, notes=["n"])])
    assert issue is None
    assert (value.value, value.confidence, value.side, value.box) == ("محمد", 0.8, "ar", box)
    assert value.raw == "محمد" and value.engine == "tesseract/test" and value.notes == ["n"]


def test_a_disagreement_lowers_the_confidence_and_raises_sides_disagree():
    value, issue = resolve_key("act_number", [reading("105", 0.9), reading("106", 0.6, "fr")])
    assert value.value == "105"
    assert value.confidence < 0.9
    assert value.confidence == pytest.approx(0.9 * (1 - 0.6), abs=1e-4)
    assert issue is not None and issue.rule == "sides_disagree" and issue.fields == ("act_number",)
    assert "105" in issue.message and "106" in issue.message
    assert any("also read as: 106" in note for note in value.notes)


def test_the_better_supported_value_wins_a_disagreement():
    readings = [reading("105", 0.6), reading("106", 0.5, "fr"), reading("106", 0.5)]
    value, _ = resolve_key("act_number", readings)
    assert value.value == "106"  # two readings of 0.5 outweigh one of 0.6


def test_a_hijri_reading_settles_a_gregorian_disagreement():
    readings = [reading("1995-03-15", 0.6), reading("1995-08-15", 0.8, "fr")]
    hijri = reading("1415-10-14", 0.9)  # 14 Shawwal 1415 is 15 March 1995
    without, _ = resolve_key("birth_date", readings)
    with_hijri, issue = resolve_key("birth_date", readings, hijri)
    assert without.value == "1995-08-15"
    assert with_hijri.value == "1995-03-15"
    assert issue is not None and issue.rule == "sides_disagree"


def test_a_hijri_reading_that_agrees_with_neither_changes_nothing():
    readings = [reading("1995-03-15", 0.6), reading("1995-08-15", 0.8, "fr")]
    value, _ = resolve_key("birth_date", readings, reading("1420-01-01", 0.9))
    assert value.value == "1995-08-15"


# --- resolve -------------------------------------------------------------------------------


def test_resolve_fills_fields_and_collects_issues():
    act = Act(
        readings={
            "sex": [reading("M", 0.8), reading("M", 0.7, "fr")],
            "act_number": [reading("12", 0.9), reading("13", 0.5, "fr")],
            "birth_date": [reading("1995-03-15", 0.6), reading("1995-08-15", 0.8, "fr")],
            "birth_date_hijri": [reading("1415-10-10", 0.3), reading("1415-10-14", 0.9)],
            "given_name_ar": [],
        }
    )
    resolve(act)
    assert act.value("sex") == "M" and act.value("act_number") == "12"
    assert act.value("birth_date") == "1995-03-15"  # the more confident Hijri reading decides
    assert "given_name_ar" not in act.fields
    assert [i.fields for i in act.issues] == [
        ("act_number",),
        ("birth_date",),
        ("birth_date_hijri",),
    ]


def test_resolve_keeps_a_value_a_reviewer_set():
    act = Act(
        fields={"given_name_fr": FieldValue("Mohammed", 1.0, engine="reviewer:amina")},
        readings={
            "given_name_fr": [reading("Mohamed", 0.9, "fr")],
            "sex": [reading("F", 0.9, "fr")],
        },
    )
    resolve(act)
    assert act.fields["given_name_fr"].value == "Mohammed"
    assert act.fields["given_name_fr"].confidence == 1.0
    assert act.value("sex") == "F"


def test_resolve_replaces_a_machine_value_from_an_earlier_run():
    act = Act(
        fields={"sex": FieldValue("F", 0.4, engine="tesseract/old")},
        readings={"sex": [reading("M", 0.9, "fr")]},
    )
    resolve(act)
    assert act.value("sex") == "M"
