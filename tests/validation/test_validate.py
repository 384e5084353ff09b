"""Validating the acts of a page: readings resolved, every rule run, each act routed."""

from __future__ import annotations

import pytest

from records import Act, FieldValue, Source
from validation.calibration import Platt
from validation.calibration import load as load_maps
from validation.validate import validate_act, validate_page

BOTH = {
    "act_type": "birth",
    "register_year": "1995",
    "sex": "M",
    "birth_date": "1995-03-15",
    "drawn_up_date": "1995-03-17",
}
ARABIC = {
    "commune_ar": "صفرو",
    "given_name_ar": "محمد",
    "family_name_ar": "العلوي",
    "birth_place_ar": "صفرو",
    "father_name_ar": "أحمد",
    "mother_name_ar": "فاطمة",
    "officer_name_ar": "كريم بناني",
    "birth_date_hijri": "1415-10-14",
}
FRENCH = {
    "commune_fr": "Sefrou",
    "given_name_fr": "Mohamed",
    "family_name_fr": "Alaoui",
    "birth_place_fr": "Sefrou",
    "father_name_fr": "Ahmed",
    "mother_name_fr": "Fatima",
    "officer_name_fr": "Karim Bennani",
}


def reading(value: str, side: str, confidence: float = 0.8) -> FieldValue:
    return FieldValue(value, confidence, raw=value, side=side, engine="tesseract/test")


def read_act(number: str = "105", top: int = 200, **changes: str) -> Act:
    """A birth act as extraction gives it: both columns read, everything right (unless
    `changes` says otherwise: one value, on the side its key says, or both)."""
    readings: dict[str, list[FieldValue]] = {}
    for key, value in {**BOTH, "act_number": number}.items():
        readings[key] = [reading(changes.get(key, value), "ar"), reading(value, "fr")]
    for side, values in (("ar", ARABIC), ("fr", FRENCH)):
        for key, value in values.items():
            readings[key] = [reading(changes.get(key, value), side)]
    return Act(readings=readings, source=Source("p.png", 1, (100, top, 1000, 350)))


def test_validate_act_resolves_the_readings_into_fields():
    act = validate_act(read_act())
    assert act.value("act_number") == "105" and act.value("given_name_fr") == "Mohamed"
    assert act.fields["birth_date"].side == "both"
    assert act.issues == []


def test_validate_act_collects_the_issues_of_every_rule_at_once():
    act = validate_act(
        read_act(given_name_fr="M0hamed", act_number="106", birth_date_hijri="1415-11-14")
    )
    rules = {issue.rule for issue in act.issues}
    assert {"sides_disagree", "implausible_text", "hijri_mismatch"} <= rules


def test_a_foreign_letter_the_other_side_corrected_raises_no_issue():
    act = validate_act(read_act(mother_name_fr="Fatimä"))  # ä: a speck, فاطمة spells it
    assert act.value("mother_name_fr") == "Fatima"
    assert "implausible_text" not in {issue.rule for issue in act.issues}


def test_a_right_page_is_accepted_with_calibrated_confidences():
    acts = validate_page([read_act("105", 200), read_act("106", 600)])
    assert [a.status for a in acts] == ["accepted", "accepted"]
    raw = validate_page([read_act("105", 200), read_act("106", 600)], calibrated=False)
    maps = load_maps()
    assert maps["date"] != Platt()  # so that calibrating changes something
    assert acts[0].fields["birth_date"].confidence != raw[0].fields["birth_date"].confidence


def test_validate_page_checks_the_act_number_sequence():
    acts = validate_page([read_act("105", 200), read_act("106", 600), read_act("901", 1000)])
    assert [a.status for a in acts] == ["accepted", "accepted", "needs_review"]
    assert [i.rule for i in acts[2].issues] == ["act_number_sequence"]


def test_validate_page_sets_a_misread_officer_to_the_pages_reading_before_the_act_rules():
    acts = [read_act("105", 200), read_act("106", 600, officer_name_fr="Karim Bennanl")]
    acts[1].readings["officer_name_fr"][0].confidence = 0.5  # OCR less sure of it
    acts.append(read_act("107", 1000))
    validate_page(acts)
    assert acts[1].value("officer_name_fr") == "Karim Bennani"
    # The act rules judged the name as set: it agrees with the Arabic side.
    assert not [i for i in acts[1].issues if "officer_name_fr" in i.fields]
    assert [a.status for a in acts] == ["accepted"] * 3


def test_validate_page_routes_with_the_threshold_given():
    assert validate_page([read_act()], accept=0.9999)[0].status == "needs_review"
    assert validate_page([read_act()], accept=0.01)[0].status == "accepted"


def test_a_blocking_issue_holds_an_act_back_whatever_the_threshold():
    (act,) = validate_page([read_act(given_name_fr="M0hamed")], accept=0.0)
    assert act.status == "needs_review"


def test_a_reviewers_rejection_survives_validation():
    act = read_act()
    act.status = "rejected"
    assert validate_page([act])[0].status == "rejected"


@pytest.mark.parametrize("missing", ["given_name_ar", "act_number"])
def test_an_act_missing_a_required_field_needs_review(missing: str):
    act = read_act()
    del act.readings[missing]
    (validated,) = validate_page([act], accept=0.0)
    assert validated.status == "needs_review"
