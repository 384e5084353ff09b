"""Validation rules over resolved acts: each rule's issues and how it moves confidences."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from records import Act, FieldValue, Source
from validation import rules
from validation.resolve import combine, resolve
from validation.validate import validate_page

CONF = 0.8


def act_of(conf: float = CONF, **values: str) -> Act:
    """An act whose fields are `values`, each read with confidence `conf`."""
    return Act(fields={k: FieldValue(v, conf, engine="tesseract/test") for k, v in values.items()})


def confidence(act: Act, key: str) -> float:
    return act.fields[key].confidence


# --- Hijri agreement -------------------------------------------------------------------------


@pytest.mark.parametrize("hijri", ["1415-10-14", "1415-10-12", "1415-10-16"])
def test_hijri_and_gregorian_within_two_days_confirm_each_other(hijri: str):
    act = act_of(birth_date="1995-03-15", birth_date_hijri=hijri)
    assert rules.hijri_agreement(act) == []
    assert confidence(act, "birth_date") == pytest.approx(combine(CONF, CONF), abs=1e-4)
    assert confidence(act, "birth_date_hijri") > CONF


def test_an_arabic_gregorian_year_a_digit_off_its_hijri_date_is_corrected():
    act = act_of(marriage_date="1920-01-18", marriage_date_hijri="1379-07-19")
    act.fields["marriage_date"].side = "ar"
    rules.gregorian_year_by_hijri(act)
    assert act.value("marriage_date") == "1960-01-18"
    french = act_of(marriage_date="1920-01-18", marriage_date_hijri="1379-07-19")
    french.fields["marriage_date"].side = "fr"  # the French column's digits stand
    rules.gregorian_year_by_hijri(french)
    assert french.value("marriage_date") == "1920-01-18"


@pytest.mark.parametrize(
    ("drawn_up", "marriage", "fixed"),
    [
        ("1920-01-23", "1960-01-18", "1960-01-23"),  # ٦ read as ٢, the event in 1960
        ("1920-01-23", "1920-01-18", "1920-01-23"),  # the event is no support
        ("1850-01-23", "1960-01-18", "1850-01-23"),  # two digits off
        ("", "1960-01-18", ""),  # no date to correct
        ("1960-1-23x", "1960-01-18", "1960-1-23x"),
    ],
)
def test_a_drawn_up_year_a_digit_off_the_register_year_is_corrected(drawn_up, marriage, fixed):
    act = act_of(
        act_type="marriage", register_year="1960", marriage_date=marriage, drawn_up_date=drawn_up
    )
    act.fields["drawn_up_date"].side = "ar"
    rules.drawn_up_year_by_register(act)
    assert act.fields["drawn_up_date"].value == fixed


def test_hijri_and_gregorian_days_apart_are_an_issue_and_lose_confidence():
    act = act_of(birth_date="1995-03-15", birth_date_hijri="1415-10-24")
    (issue,) = rules.hijri_agreement(act)
    assert issue.rule == "hijri_mismatch" and issue.fields == ("birth_date", "birth_date_hijri")
    assert "10 days apart" in issue.message
    assert confidence(act, "birth_date") == pytest.approx(CONF * 0.4)
    assert confidence(act, "birth_date_hijri") == pytest.approx(CONF * 0.4)
    assert any("days apart" in note for note in act.fields["birth_date"].notes)


def test_a_hijri_date_that_cannot_be_converted_is_an_issue():
    act = act_of(death_date="2001-03-03", death_date_hijri="1421-13-08")
    (issue,) = rules.hijri_agreement(act)
    assert issue.rule == "hijri_mismatch" and "cannot be converted" in issue.message


def test_a_hijri_date_before_the_umm_al_qura_tables_is_checked_arithmetically():
    # 1 January 1920 is 9 Rabi' II 1338 in the arithmetical calendar; the 10th is within a day.
    act = act_of(birth_date="1920-01-01", birth_date_hijri="1338-04-10")
    assert rules.hijri_agreement(act) == []


def test_a_hijri_date_alone_is_not_checked():
    act = act_of(birth_date_hijri="1415-10-14")
    assert rules.hijri_agreement(act) == [] and confidence(act, "birth_date_hijri") == CONF


# --- implausible text ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        ("given_name_fr", "Moh4med", "digits"),
        ("given_name_ar", "محمد ٣", "digits"),
        ("family_name_ar", "العلوي abc", "Latin letters"),
        ("given_name_fr", "Mohämed", "letters French spelling does not use"),
        ("birth_place_fr", "Sefrøu", "letters French spelling does not use"),
        ("father_name_fr", "Abdelmajid ben", "cut short"),  # Abdelmajid ben Abdelkebir
        ("mother_name_ar", "فاطمة بنت", "cut short"),
        ("officer_name_ar", "عبد", "cut short"),
        ("given_name_fr", "Ismaiïl", "read twice"),  # Ismaïl, its i read twice
        ("family_name_fr", "KAROUÏI", "read twice"),
        ("officer_name_fr", "AzZiz JIRARI", "read twice"),  # Aziz: its z read twice
    ],
)
def test_a_name_or_place_with_foreign_characters_is_blocking(key, value, problem):
    act = act_of(**{key: value})
    (issue,) = rules.text_plausible(act)
    assert issue.rule == "implausible_text" and issue.blocking and issue.fields == (key,)
    assert problem in issue.message
    assert confidence(act, key) == pytest.approx(CONF * 0.3)


def test_ordinary_names_and_places_of_both_scripts_are_plausible():
    act = act_of(
        given_name_fr="Hélène-Zoé",
        mother_name_fr="Aïcha Noëlle Saïd Azzouz",
        family_name_fr="d'Aït Œuvray",
        father_name_fr="Ahmed Ben El Ghali",  # particles inside a name
        given_name_ar="محمد",
        birth_place_ar="الدار البيضاء",
        birth_place_fr="Fès",
        act_number="12",
        birth_date="1995-03-15",
    )
    assert rules.text_plausible(act) == []
    assert all(v.confidence == CONF for v in act.fields.values())


# --- final ya --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arabic", "latin", "fixed"),
    [("العلوى", "Alaoui", "العلوي"), ("موسي", "Moussa", "موسى"), ("على", "Ali", "علي")],
)
def test_final_ya_is_set_by_the_french_spelling(arabic: str, latin: str, fixed: str):
    act = act_of(family_name_ar=arabic, family_name_fr=latin)
    assert rules.final_ya_by_spelling(act) == []
    assert act.value("family_name_ar") == fixed
    assert any("final ya" in note for note in act.fields["family_name_ar"].notes)


def test_final_ya_leaves_a_right_spelling_alone():
    act = act_of(family_name_ar="العلوي", family_name_fr="Alaoui")
    rules.final_ya_by_spelling(act)
    assert act.value("family_name_ar") == "العلوي" and act.fields["family_name_ar"].notes == []


# --- lexicon support ---------------------------------------------------------------------


def test_names_the_lexicon_knows_keep_their_confidence():
    act = act_of(
        given_name_ar="محمد",
        given_name_fr="Mohamed",
        father_name_ar="أحمد بن علي",
        father_name_fr="Ahmed ben Ali",
        birth_place_ar="صفرو",
        birth_place_fr="Sefrou",
    )
    rules.lexicon_support(act)
    assert all(v.confidence == CONF for v in act.fields.values())


def test_an_unknown_arabic_name_loses_more_than_an_unknown_french_one():
    act = act_of(given_name_ar="قزبرخط", given_name_fr="Xqzwk")
    assert rules.lexicon_support(act) == []  # evidence only: no issue
    assert confidence(act, "given_name_ar") == pytest.approx(CONF * rules.UNKNOWN_NAME["ar"])
    assert confidence(act, "given_name_fr") == pytest.approx(CONF * rules.UNKNOWN_NAME["fr"])
    assert "قزبرخط" in act.fields["given_name_ar"].notes[0]
    assert act.value("given_name_ar") == "قزبرخط"  # no value is changed


def test_an_unknown_place_loses_confidence():
    act = act_of(birth_place_fr="Atlantis", commune_ar="اطلانتس")
    rules.lexicon_support(act)
    assert confidence(act, "birth_place_fr") == pytest.approx(CONF * rules.UNKNOWN_PLACE)
    assert confidence(act, "commune_ar") == pytest.approx(CONF * rules.UNKNOWN_PLACE)


def test_keys_without_a_script_are_not_looked_up():
    act = act_of(act_number="12", sex="M", birth_date="1995-03-15")
    rules.lexicon_support(act)
    assert all(v.confidence == CONF for v in act.fields.values())


# --- the two sides -------------------------------------------------------------------------


def test_a_name_and_its_transliteration_confirm_each_other():
    act = act_of(given_name_ar="محمد", given_name_fr="Mohammed")
    assert rules.sides_agree(act) == []
    assert confidence(act, "given_name_ar") == pytest.approx(combine(CONF, CONF * 0.5), abs=1e-4)
    assert confidence(act, "given_name_fr") > CONF


def test_two_names_no_lexicon_knows_that_spell_each_other_exactly_confirm_each_other():
    lexicon = rules.load_lexicon()
    assert lexicon.unknown_name_words("فاضمة", "ar") and lexicon.unknown_name_words("Fadma", "fr")
    act = act_of(mother_name_ar="فاضمة", mother_name_fr="Fadma")
    assert rules.sides_agree(act) == []
    assert confidence(act, "mother_name_ar") > CONF and confidence(act, "mother_name_fr") > CONF


def test_a_french_spelling_no_lexicon_holds_is_confirmed_by_the_known_name_it_spells_exactly():
    lexicon = rules.load_lexicon()
    assert lexicon.unknown_name_words("Hbiba", "fr") and not lexicon.unknown_name_words(
        "حبيبة", "ar"
    )
    act = act_of(mother_name_ar="حبيبة", mother_name_fr="Hbiba")
    rules.sides_agree(act)
    assert confidence(act, "mother_name_fr") > CONF and confidence(act, "mother_name_ar") > CONF
    slip = act_of(mother_name_ar="حبيبة", mother_name_fr="Habibba")  # a letter OCR added?
    rules.sides_agree(slip)
    # The close spelling gets a little of the name's support, far from an exact one's.
    a_little = combine(CONF, confidence(slip, "mother_name_ar") * rules.SPELLING_SUPPORT)
    assert confidence(slip, "mother_name_fr") == pytest.approx(a_little, abs=1e-4)
    assert a_little < confidence(act, "mother_name_fr")
    assert confidence(slip, "mother_name_ar") > CONF


@pytest.mark.parametrize(
    ("latin", "supported"),
    [
        ("Hajjouji", True),  # a spelling the lexicon lacks
        ("El Hajjouji", True),  # its article aside, one word for one
        ("Hajjou Ji", False),  # one Arabic word read as two French ones: a split, not a name
    ],
)
def test_a_close_french_spelling_of_a_known_name_gets_a_little_support(latin, supported):
    act = act_of(family_name_ar="الحجوجي", family_name_fr=latin)
    assert rules.sides_agree(act) == []
    assert (confidence(act, "family_name_fr") > CONF) is supported


def test_two_unknown_names_that_agree_only_through_an_ocr_slip_confirm_nothing():
    act = act_of(mother_name_ar="قاضمة", mother_name_fr="Fadma")  # ق for ف: one dot off
    assert rules.sides_agree(act) == []  # they agree...
    assert confidence(act, "mother_name_ar") == confidence(act, "mother_name_fr") == CONF


def test_two_different_names_are_an_issue_and_lose_confidence():
    act = act_of(mother_name_ar="فاطمة", mother_name_fr="Khadija")
    (issue,) = rules.sides_agree(act)
    assert issue.rule == "names_disagree"
    assert issue.fields == ("mother_name_ar", "mother_name_fr") and not issue.blocking
    assert confidence(act, "mother_name_ar") == confidence(act, "mother_name_fr") == CONF * 0.5


def test_a_place_and_its_french_name_agree_through_the_lexicon():
    act = act_of(
        birth_place_ar="الدار البيضاء",
        birth_place_fr="Casablanca",
        commune_ar="فاس",
        commune_fr="Fès",
    )
    assert rules.sides_agree(act) == []
    assert confidence(act, "birth_place_fr") > CONF


def test_a_place_and_another_places_name_disagree():
    act = act_of(birth_place_ar="الدار البيضاء", birth_place_fr="Rabat")
    (issue,) = rules.sides_agree(act)
    assert issue.fields == ("birth_place_ar", "birth_place_fr")


def test_a_name_read_on_one_side_only_is_not_compared():
    act = act_of(given_name_ar="محمد")
    assert rules.sides_agree(act) == [] and confidence(act, "given_name_ar") == CONF


# --- dates ---------------------------------------------------------------------------------


def birth(**values: str) -> Act:
    base = {
        "act_type": "birth",
        "register_year": "1995",
        "birth_date": "1995-03-15",
        "drawn_up_date": "1995-03-17",
    }
    return act_of(**{**base, **values})


def rule_names(issues) -> list[str]:
    return [i.rule for i in issues]


def test_dates_of_an_ordinary_birth_act_are_plausible():
    act = birth()
    assert rules.dates_plausible(act) == []
    assert all(v.confidence == CONF for v in act.fields.values())


@pytest.mark.parametrize("date", ["1779-12-31", f"{dt.date.today().year + 1}-01-01"])
def test_a_date_outside_the_possible_years_is_an_issue(date: str):
    act = act_of(act_type="birth", drawn_up_date=date)
    assert rule_names(rules.dates_plausible(act)) == ["date_out_of_range"]
    assert confidence(act, "drawn_up_date") == pytest.approx(CONF * 0.3)


def test_an_act_drawn_up_before_the_event_is_an_issue():
    act = birth(drawn_up_date="1995-03-10")
    assert rule_names(rules.dates_plausible(act)) == ["drawn_up_before_event"]
    assert confidence(act, "birth_date") == confidence(act, "drawn_up_date") == CONF * 0.5


def test_an_act_drawn_up_more_than_a_year_late_is_a_mild_issue():
    act = birth(register_year="1996", drawn_up_date="1996-06-01")
    issues = rules.dates_plausible(act)
    assert "late_drawn_up" in rule_names(issues)
    assert confidence(act, "drawn_up_date") < CONF


def test_an_event_outside_the_register_year_is_an_issue():
    act = birth(birth_date="1990-03-15", drawn_up_date="1990-03-17")
    issues = rules.dates_plausible(act)
    assert set(rule_names(issues)) == {
        "event_outside_register_year",
        "drawn_up_outside_register_year",
    }
    assert issues[0].fields == ("birth_date", "register_year")


def test_an_event_late_in_the_year_before_the_register_is_plausible():
    act = birth(register_year="1996", birth_date="1995-12-30", drawn_up_date="1996-01-02")
    assert rules.dates_plausible(act) == []


def test_a_death_before_the_birth_is_an_issue():
    act = act_of(
        act_type="death",
        register_year="2001",
        death_date="2001-03-03",
        drawn_up_date="2001-03-04",
        birth_date="2002-01-01",
    )
    assert rule_names(rules.dates_plausible(act)) == ["death_before_birth"]


@pytest.mark.parametrize(("born", "issues"), [("1824-05-01", []), ("1785-01-01", ["age_at_death"])])
def test_a_death_at_an_impossible_age_is_an_issue(born: str, issues: list[str]):
    # Births of the 1820s are in the death registers of the 1920s; 115 years is the limit.
    act = act_of(
        act_type="death",
        register_year="1921",
        death_date="1921-03-03",
        drawn_up_date="1921-03-04",
        birth_date=born,
    )
    assert rule_names(rules.dates_plausible(act)) == issues
    assert (confidence(act, "birth_date") < CONF) == bool(issues)


@pytest.mark.parametrize(
    ("born", "bad"), [("1970-01-01", False), ("1980-01-01", True), ("1880-01-01", True)]
)
def test_a_spouse_must_be_of_age_at_the_marriage(born: str, bad: bool):
    act = act_of(
        act_type="marriage",
        register_year="1990",
        marriage_date="1990-06-01",
        drawn_up_date="1990-06-01",
        husband_birth_date="1965-01-01",
        wife_birth_date=born,
    )
    issues = rules.dates_plausible(act)
    assert rule_names(issues) == (["spouse_age"] if bad else [])
    if bad:
        assert issues[0].fields == ("wife_birth_date", "marriage_date")


def test_a_date_that_is_not_iso_is_left_to_other_rules():
    act = birth(birth_date="15 mars")
    assert rules.dates_plausible(act) == []


# --- completeness --------------------------------------------------------------------------


def complete_birth(**drop: bool) -> Act:
    values = {k: "x" for k in rules.ACT_KEYS["birth"]}
    values.update(act_type="birth")
    return act_of(**{k: v for k, v in values.items() if k not in drop})


def test_a_complete_act_has_no_missing_field():
    assert rules.completeness(complete_birth()) == []


def test_a_missing_required_field_blocks_the_act():
    act = complete_birth(given_name_ar=True, sex=True)
    (issue,) = rules.completeness(act)
    assert issue.rule == "missing_field" and issue.blocking
    assert issue.fields == ("given_name_ar", "sex")


def test_french_lines_and_the_hijri_date_are_optional():
    drop = {k: True for k in rules.ACT_KEYS["birth"] if k.endswith("_fr")}
    assert rules.completeness(complete_birth(birth_date_hijri=True, **drop)) == []


def test_a_death_act_may_lack_the_birth_date():
    values = {k: "x" for k in rules.ACT_KEYS["death"] if not k.startswith("birth_date")}
    assert rules.completeness(act_of(act_type="death", **values)) == []


def test_an_act_of_unknown_type_is_blocking():
    (issue,) = rules.completeness(act_of(act_type="adoption"))
    assert issue.rule == "unknown_act_type" and issue.blocking
    (issue,) = rules.completeness(act_of())
    assert issue.rule == "unknown_act_type"


# --- act-number sequence -------------------------------------------------------------------


def numbered(*numbers: str) -> list[Act]:
    acts = []
    for k, number in enumerate(numbers):
        act = act_of(act_number=number)
        act.source = Source("p.png", 1, (100, 200 + 400 * k, 1000, 350))
        acts.append(act)
    return acts


def test_numbers_in_sequence_confirm_each_other():
    acts = numbered("105", "106", "107")
    assert rules.act_number_sequence(acts) == []
    assert all(confidence(a, "act_number") == pytest.approx(combine(CONF, 0.5)) for a in acts)


def test_a_number_out_of_sequence_is_blocking():
    acts = numbered("150", "106", "107")
    issues = rules.act_number_sequence(acts)
    assert [i.rule for i in issues] == ["act_number_sequence"] and issues[0].blocking
    assert acts[0].issues == issues and acts[1].issues == acts[2].issues == []
    assert confidence(acts[0], "act_number") == pytest.approx(CONF * 0.5)


def test_the_sequence_follows_the_acts_from_top_to_bottom():
    acts = numbered("105", "106", "107")
    acts.reverse()  # handed over in another order: their boxes tell the order on the page
    assert rules.act_number_sequence(acts) == []


def test_the_acts_of_a_page_scanned_upside_down_follow_each_other_bottom_to_top():
    # Their boxes are in the scan's pixels: the first act is at the bottom.
    acts = numbered("107", "106", "105")
    assert rules.act_number_sequence(acts) == []
    acts = numbered("107", "160", "105")
    rules.act_number_sequence(acts)
    assert [bool(a.issues) for a in acts] == [False, True, False]


def test_only_the_number_that_breaks_the_sequence_is_blocked():
    acts = numbered("105", "601", "107")
    rules.act_number_sequence(acts)
    assert [bool(a.issues) for a in acts] == [False, True, False]


@pytest.mark.parametrize(("alike", "confirmed"), [(3, True), (2, False)])
def test_an_officers_name_read_alike_in_acts_of_a_page_confirms_itself(alike, confirmed):
    acts = [act_of(0.5, officer_name_ar="وليد أوعلي") for _ in range(alike)]
    acts.append(act_of(0.5, officer_name_ar="وليد أوعلى"))  # read otherwise: not confirmed
    rules.names_alike_on_the_page(acts)
    raised = combine(0.5, 0.25)
    assert [confidence(a, "officer_name_ar") for a in acts[:-1]] == [
        pytest.approx(raised if confirmed else 0.5)
    ] * alike
    assert confidence(acts[-1], "officer_name_ar") == 0.5


def page_of_officers(*readings: tuple[str, float]) -> list[Act]:
    return [act_of(conf, officer_name_fr=name) for name, conf in readings]


def officers(acts: list[Act]) -> list[str]:
    return [a.value("officer_name_fr") for a in acts]


def test_an_officers_name_misread_in_one_act_takes_the_pages_consensus():
    acts = page_of_officers(
        ("Younes Belkaid", 0.9), ("Youncs Belkid", 0.6), ("Younes Belkaid", 0.8)
    )
    rules.officer_by_consensus(acts)
    assert officers(acts) == ["Younes Belkaid"] * 3
    assert confidence(acts[1], "officer_name_fr") == 0.9  # the consensus's median
    assert "'Youncs Belkid' -> 'Younes Belkaid'" in acts[1].fields["officer_name_fr"].notes[-1]
    # A reading set so is no independent evidence: two readings alike confirm nothing.
    rules.names_alike_on_the_page(acts)
    assert [confidence(a, "officer_name_fr") for a in acts] == [0.9, 0.9, 0.8]


@pytest.mark.parametrize(
    "readings",
    [
        # the consensus needs two readings, and no rival as common
        [("Younes Belkaid", 0.9), ("Youncs Belkid", 0.6)],
        [("Younes Belkaid", 0.9)] * 2 + [("Younes Belkid", 0.5)] * 2,
        # a reading surer than the consensus stands
        [("Younes Belkaid", 0.7), ("Younes Belkaid", 0.7), ("Youncs Belkid", 0.9)],
        # another name is another officer
        [("Younes Belkaid", 0.9), ("Younes Belkaid", 0.9), ("Amel Hajjouji", 0.5)],
    ],
)
def test_an_officers_name_is_left_as_read_without_a_clear_consensus_near_it(readings):
    acts = page_of_officers(*readings)
    rules.officer_by_consensus(acts)
    assert officers(acts) == [name for name, _ in readings]


def officer_pair(ar: tuple[str, float] | None, fr: tuple[str, float] | None) -> Act:
    fields = {}
    for key, reading in (("officer_name_ar", ar), ("officer_name_fr", fr)):
        if reading:
            fields[key] = FieldValue(reading[0], reading[1], engine="tesseract/test")
    return Act(fields=fields)


SURE_PAIR = (("البتول الأمين", 0.99), ("Batoul El Amine", 0.99))


def as_read(acts: list[Act]) -> list[Act]:
    """The officer's names as checked: here, as read."""
    return copy.deepcopy(acts)


def test_an_act_naming_the_officer_surely_on_both_sides_names_it_to_the_page():
    acts = [
        officer_pair(*SURE_PAIR),
        officer_pair(("البتول الأمين", 0.95), ("Bat ou) E+-AmtRe", 0.02)),  # garbled French
        officer_pair(("البتول الأمين", 0.93), None),  # French side not read
        officer_pair(("البتول الامي", 0.4), ("Batoul El Amine", 0.97)),
    ]
    rules.officer_by_sure_act(acts, as_read(acts), 0.9)
    assert [a.value("officer_name_fr") for a in acts] == ["Batoul El Amine"] * 4
    assert [a.value("officer_name_ar") for a in acts] == ["البتول الأمين"] * 4
    # as sure as the weaker of the reference and the act's own reading of the other side
    assert confidence(acts[1], "officer_name_fr") == 0.95
    assert confidence(acts[2], "officer_name_fr") == 0.93
    assert confidence(acts[3], "officer_name_ar") == 0.97
    assert rules.AS_THE_PAGE_READS in acts[1].fields["officer_name_fr"].notes[-1]
    # a name set so is no independent evidence
    before = [confidence(a, "officer_name_fr") for a in acts]
    rules.names_alike_on_the_page(acts)
    assert [confidence(a, "officer_name_fr") for a in acts] == before


def test_a_sure_misreading_that_is_not_the_other_sides_name_is_the_pages_officer_misread():
    acts = [officer_pair(*SURE_PAIR), officer_pair(("البتول الأمين", 0.9), ("Bat ou) Ef", 0.995))]
    rules.officer_by_sure_act(acts, as_read(acts), 0.9)
    assert acts[1].value("officer_name_fr") == "Batoul El Amine"
    assert confidence(acts[1], "officer_name_fr") == 0.9


def test_the_page_compares_the_officers_names_as_the_act_rules_leave_them():
    # the first act's reading is respelt by its French side (ه read ب): only then do both
    # acts name one person, and the second act's garbled French side is that person's
    acts = [
        officer_pair(("عبد الحكيم الباشمي", 0.95), ("Abdelhakim Hachemi", 0.95)),
        officer_pair(("عبد الحكيم الباشمي", 0.95), ("Abdeihakim H4chem", 0.5)),
    ]
    validate_page(acts, calibrated=False)
    assert [a.value("officer_name_fr") for a in acts] == ["Abdelhakim Hachemi"] * 2
    assert [a.value("officer_name_ar") for a in acts] == ["عبد الحكيم الهاشمي"] * 2


@pytest.mark.parametrize(
    "page",
    [
        # the act's other side reads another name: another officer, or a misreading of both
        [SURE_PAIR, (("البتول الامي", 0.9), ("Bat ou) E+-AmtRe", 0.02))],
        # a reading surer than the reference, that names one person with the other side, stands
        [SURE_PAIR, (("البتول الأمين", 0.85), ("Batoul El Amin", 0.995))],
        # the reference is not sure on both sides
        [(SURE_PAIR[0], ("Batoul El Amine", 0.8)), (("البتول الأمين", 0.95), ("Bat ou", 0.1))],
        # its two sides do not name one person
        [(SURE_PAIR[0], ("Kamal Chaoui", 0.99)), (("البتول الأمين", 0.95), ("Bat ou", 0.1))],
        # two sure acts name two officers
        [
            SURE_PAIR,
            (("كمال الشاوي", 0.99), ("Kamal Chaoui", 0.99)),
            (("البتول الأمين", 0.95), ("Bat ou", 0.1)),
        ],
    ],
)
def test_an_officers_name_is_left_as_read_without_a_sure_act_naming_the_same_person(page):
    acts = [officer_pair(*pair) for pair in page]
    rules.officer_by_sure_act(acts, as_read(acts), 0.9)
    assert [(a.value("officer_name_ar"), a.value("officer_name_fr")) for a in acts] == [
        (ar[0], fr[0]) for ar, fr in page
    ]


def test_a_final_ya_is_left_to_the_french_spelling():
    read = ["عبد القادر المرزوقى", "عبد القادر المرزوقي", "عبد القادر المرزوقى"]
    acts = [
        act_of(conf, officer_name_ar=name) for name, conf in zip(read, (0.9, 0.6, 0.9), strict=True)
    ]
    rules.officer_by_consensus(acts)
    assert acts[1].value("officer_name_ar") == "عبد القادر المرزوقي"


def test_a_lone_act_or_acts_without_numbers_are_not_checked():
    assert rules.act_number_sequence(numbered("105")) == []
    assert rules.act_number_sequence(numbered("105", "x12")) == []


def test_a_place_misread_on_one_side_is_snapped_when_the_other_side_confirms_it():
    act = Act(
        fields={
            "commune_ar": FieldValue("إفران", 0.9, side="ar"),
            "commune_fr": FieldValue("lfrane", 0.9, side="fr"),
        }
    )
    rules.snap_places(act)
    assert act.value("commune_fr") == "Ifrane"
    assert "snapped" in act.fields["commune_fr"].notes[-1]


def test_a_misread_place_near_two_places_is_snapped_to_the_one_the_other_side_reads():
    # قاس is one letter from فاس (Fès) and from قابس (Gabès): Fès says which.
    act = Act(
        fields={
            "birth_place_ar": FieldValue("قاس", 0.9, side="ar"),
            "birth_place_fr": FieldValue("Fès", 0.9, side="fr"),
        }
    )
    rules.snap_places(act)
    assert act.value("birth_place_ar") == "فاس"


def test_a_place_is_not_snapped_without_the_other_side():
    act = Act(
        fields={
            "birth_place_ar": FieldValue("فاس", 0.9, side="ar"),
            "birth_place_fr": FieldValue("lfrane", 0.9, side="fr"),
        }
    )
    rules.snap_places(act)
    assert act.value("birth_place_fr") == "lfrane"


def test_a_name_misread_on_one_side_is_corrected_by_the_other_and_says_so():
    act = Act(
        fields={
            "given_name_ar": FieldValue("مير", 0.6, side="ar"),
            "given_name_fr": FieldValue("Samir", 0.95, side="fr"),
        }
    )
    rules.correct_names_by_other_side(act)
    rules.sides_agree(act)
    corrected = act.fields["given_name_ar"]
    assert corrected.value == "سمير"
    assert any(note.startswith(rules.CORRECTED) for note in corrected.notes)
    # Agreement made by the correction is no evidence: the French keeps its confidence.
    assert act.fields["given_name_fr"].confidence == 0.95
    # The corrected value is as sure as the reading it was taken from, less the share: the
    # misread's own low score was about the letters replaced.
    assert corrected.confidence == pytest.approx(0.95 * rules.CORRECTED_SHARE)


def test_a_name_corrected_by_the_other_side_ends_as_the_french_spelling_says():
    # The lexicon spells its names with a final ي; Aissa ends on ى. The act rules run in
    # their order (check_act): the final letter is set after the correction.
    act = Act(
        fields={
            "father_name_ar": FieldValue("عيسو", 0.6, side="ar"),
            "father_name_fr": FieldValue("Aissa", 0.95, side="fr"),
        }
    )
    for rule in rules.ACT_RULES[: rules.ACT_RULES.index(rules.final_ya_by_spelling) + 1]:
        rule(act)
    assert act.value("father_name_ar") == "عيسى"


def test_a_name_the_lexicon_lacks_likely_misread_is_respelt_as_the_other_side_spells_it():
    act = Act(
        fields={
            "father_name_ar": FieldValue("الماشمي الإسماعيلي", 0.4, side="ar"),
            "father_name_fr": FieldValue("Hachemi El Ismaili", 0.97, side="fr"),
            "mother_name_ar": FieldValue("تودة", 0.5, side="ar"),  # right, unknown
            "mother_name_fr": FieldValue("Touda", 0.97, side="fr"),
        }
    )
    rules.correct_names_by_other_side(act)
    respelt = act.fields["father_name_ar"]
    assert respelt.value == "الهاشمي الإسماعيلي"
    assert respelt.notes == [f"{rules.CORRECTED}: 'الماشمي الإسماعيلي' -> 'الهاشمي الإسماعيلي'"]
    assert respelt.confidence == pytest.approx(0.97 * rules.CORRECTED_SHARE)
    assert act.value("mother_name_ar") == "تودة"
    assert act.fields["mother_name_ar"].notes == []


def test_a_hijri_date_is_corrected_by_the_french_reading_of_its_gregorian_date():
    act = Act(
        fields={
            "marriage_date": FieldValue("2011-01-05", 0.98, side="both"),
            "marriage_date_hijri": FieldValue("1472-02-01", 0.7, side="ar"),
        }
    )
    issues = rules.hijri_by_gregorian_date(act) + rules.hijri_agreement(act)
    assert act.value("marriage_date_hijri") == "1432-02-01"
    assert issues == []


def test_a_hijri_date_is_not_corrected_by_a_gregorian_date_read_on_the_arabic_side_alone():
    act = Act(
        fields={
            "marriage_date": FieldValue("2011-01-05", 0.98, side="ar"),
            "marriage_date_hijri": FieldValue("1472-02-01", 0.7, side="ar"),
        }
    )
    issues = rules.hijri_by_gregorian_date(act) + rules.hijri_agreement(act)
    assert act.value("marriage_date_hijri") == "1472-02-01"
    assert [i.rule for i in issues] == ["hijri_mismatch"]


def test_a_hijri_date_read_without_its_year_takes_it_from_the_french_gregorian_date():
    act = Act(
        readings={"marriage_date_hijri": [FieldValue("02-01", 0.7, side="ar")]},
        fields={
            "marriage_date": FieldValue("2011-01-05", 0.98, side="fr"),
            "marriage_date_hijri": FieldValue("02-01", 0.7, side="ar"),
        },
    )
    issues = rules.hijri_by_gregorian_date(act) + rules.hijri_agreement(act)
    assert act.value("marriage_date_hijri") == "1432-02-01" and issues == []
    assert "marriage_date_hijri" not in act.readings  # the partial reading is gone
    # Taken from the Gregorian date, it does not confirm it back.
    assert act.fields["marriage_date"].confidence == 0.98
    assert act.fields["marriage_date_hijri"].confidence == pytest.approx(
        0.98 * rules.CORRECTED_SHARE
    )


def test_a_hijri_day_and_month_agreeing_with_an_arabic_gregorian_date_take_its_year():
    # A day and month within two days of the Gregorian date's by chance: 5 days in 354.
    act = Act(
        fields={
            "marriage_date": FieldValue("2011-01-05", 0.98, side="ar"),
            "marriage_date_hijri": FieldValue("02-01", 0.7, side="ar"),
        }
    )
    assert rules.hijri_by_gregorian_date(act) + rules.hijri_agreement(act) == []
    assert act.value("marriage_date_hijri") == "1432-02-01"
    assert act.fields["marriage_date_hijri"].confidence == pytest.approx(
        0.7 * rules.CORRECTED_SHARE
    )


@pytest.mark.parametrize(("side", "day_month"), [("ar", "02-12"), ("fr", "02-12")])
def test_a_hijri_date_without_its_year_is_dropped_when_nothing_completes_it(side, day_month):
    act = Act(
        fields={
            "marriage_date": FieldValue("2011-01-05", 0.98, side=side),
            "marriage_date_hijri": FieldValue(day_month, 0.7, side="ar"),
        }
    )
    assert rules.hijri_by_gregorian_date(act) + rules.hijri_agreement(act) == []
    assert "marriage_date_hijri" not in act.fields


def test_a_place_read_with_its_hamza_lost_is_written_as_the_lexicon_spells_it():
    act = Act(
        fields={
            "commune_ar": FieldValue("اسفي", 0.9, side="ar"),
            "commune_fr": FieldValue("Safi", 0.9, side="fr"),
        }
    )
    rules.snap_places(act)
    assert act.value("commune_ar") == "آسفي"
    assert act.value("commune_fr") == "Safi"


# --- disagreements the act's other fields settle -------------------------------------------


def disputed(key: str, chosen: str, other: str, **values: str) -> Act:
    """An act whose sides read `key` as `chosen` (French) and `other` (Arabic), resolved."""
    act = Act(
        readings={
            key: [FieldValue(chosen, 0.95, side="fr"), FieldValue(other, 0.6, side="ar")],
            **{k: [FieldValue(v, 0.95, side="fr")] for k, v in values.items()},
        }
    )
    resolve(act)
    assert [i.rule for i in act.issues] == ["sides_disagree"] and act.issues[0].blocking
    return act


def death_read_1968_for_1948() -> Act:
    """A 1948 death the Arabic side reads as 1968: the register year and the drawn-up date
    say which is right."""
    return disputed(
        "death_date",
        "1948-02-11",
        "1968-02-11",
        act_type="death",
        register_year="1948",
        drawn_up_date="1948-02-12",
    )


def test_a_date_the_other_dates_confirm_settles_what_the_other_side_read():
    act = death_read_1968_for_1948()
    rules.settle_disagreements(act)
    (issue,) = act.issues
    assert not issue.blocking and "settled" in issue.message
    assert act.fields["death_date"].confidence == 0.95


@pytest.mark.parametrize(("hijri", "follows"), [("1367-04-01", True), ("1367-05-01", False)])
def test_a_hijri_date_corrected_by_a_settled_date_takes_its_confidence(hijri: str, follows: bool):
    act = death_read_1968_for_1948()
    low = act.fields["death_date"].confidence * rules.CORRECTED_SHARE  # while disputed
    act.fields["death_date_hijri"] = FieldValue(
        hijri, low, side="ar", notes=[f"{rules.CORRECTED}: '1387-04-01' -> {hijri!r}"]
    )
    rules.settle_disagreements(act)
    expected = 0.95 * rules.CORRECTED_SHARE if follows else low  # 1948-02-11 is 1367-04-01
    assert act.fields["death_date_hijri"].confidence == pytest.approx(expected)


def test_the_french_digits_settle_a_disagreement_no_check_explains():
    # Both readings fit the register year: the French column's Latin digits are preferred,
    # at a lower confidence than a check would give.
    act = disputed("death_date", "1948-02-11", "1948-02-17", act_type="death", register_year="1948")
    rules.settle_disagreements(act)
    (issue,) = act.issues
    assert not issue.blocking and "French" in issue.message
    assert act.value("death_date") == "1948-02-11"
    assert act.fields["death_date"].confidence == pytest.approx(0.95 * rules.LATIN_DIGITS_SHARE)


@pytest.mark.parametrize(
    ("fields", "settled"),
    [
        ({"birth_place_fr": "Fès"}, "birth"),  # a birth register's title read as marriage
        ({"husband_given_name_fr": "Ali", "birth_place_fr": "Fès"}, None),  # both fit
        ({"given_name_fr": "Ali"}, None),  # neither has a field of its own
    ],
)
def test_an_act_type_the_sides_read_differently_is_settled_by_the_acts_fields(fields, settled):
    act = disputed("act_type", "marriage", "birth", **fields)  # the likelier reading wrong
    rules.settle_disagreements(act)
    (issue,) = act.issues
    assert issue.blocking is (settled is None)
    assert act.value("act_type") == (settled or "marriage")


def test_an_arabic_reading_preferred_to_the_french_stays_blocking():
    act = Act(
        readings={
            "death_date": [
                FieldValue("1948-02-11", 0.5, side="fr"),
                FieldValue("1948-02-17", 0.9, side="ar"),
            ],
            "act_type": [FieldValue("death", 0.95, side="fr")],
            "register_year": [FieldValue("1948", 0.95, side="fr")],
        }
    )
    resolve(act)
    assert act.value("death_date") == "1948-02-17"
    rules.settle_disagreements(act)
    assert act.issues[0].blocking


def test_french_digits_that_fail_the_act_checks_stay_blocking():
    # The French reading puts the death after the act was drawn up: nothing settles it.
    act = disputed(
        "death_date",
        "1948-03-11",
        "1948-02-11",
        act_type="death",
        register_year="1948",
        drawn_up_date="1948-02-12",
    )
    rules.settle_disagreements(act)
    assert act.issues[0].blocking


def test_the_page_sequence_settles_an_act_number_the_other_side_misread():
    acts = numbered("105", "106", "107")
    acts[1] = disputed("act_number", "106", "1", act_type="birth")
    acts[1].source = Source("p.png", 1, (100, 600, 1000, 350))
    rules.act_number_sequence(acts)
    assert not acts[1].issues[0].blocking


def test_names_that_agree_only_through_an_ocr_slip_confirm_only_the_known_one():
    # خبيبة is حبيبة with one dot too many: the transliteration check forgives it, so a
    # word no lexicon knows is no confirmation; it still supports the known name it spells.
    act = act_of(mother_name_ar="خبيبة", mother_name_fr="Habiba")
    rules.sides_agree(act)
    assert confidence(act, "mother_name_ar") == CONF
    assert confidence(act, "mother_name_fr") == pytest.approx(combine(CONF, CONF * 0.5), abs=1e-4)
    unknown = act_of(mother_name_ar="خبيبة", mother_name_fr="Hbibba")
    rules.sides_agree(unknown)
    assert confidence(unknown, "mother_name_ar") == confidence(unknown, "mother_name_fr") == CONF
    known = act_of(mother_name_ar="حبيبة", mother_name_fr="Habiba")
    rules.sides_agree(known)
    assert confidence(known, "mother_name_ar") > CONF


def test_a_stray_hamza_on_a_names_article_is_dropped_by_its_french_spelling():
    act = act_of(family_name_ar="ألشامي", family_name_fr="Echchami")
    rules.stray_hamza_by_spelling(act)
    assert act.value("family_name_ar") == "الشامي"
    assert "stray hamza dropped" in act.fields["family_name_ar"].notes[-1]
    place = act_of(birth_place_ar="آلمريني", birth_place_fr="Merini")
    rules.stray_hamza_by_spelling(place)  # places are the lexicon's to spell (snap_places)
    assert place.value("birth_place_ar") == "آلمريني"
