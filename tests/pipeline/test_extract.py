"""Field extraction from hand-built OCR'd lines (no image, no OCR: the subject is the text)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ocr.engine import OcrLine, OcrWord
from pipeline.extract import ReadLine, _Candidate, _with_digits, extract_page, infer_act_type
from pipeline.labels import load_model
from pipeline.values import Parsed
from records import FieldValue

LINE_HEIGHT = 20.0
HEADER = [
    ("الجماعة : صفرو", "Commune : Sefrou"),
    ("سجل الولادات", "Registre des naissances"),
    ("لسنة 1995", "Année 1995"),
]


def line(
    text: str,
    side: str,
    y: int,
    confidence: float = 0.9,
    *,
    x: int | None = None,
    origin: tuple[int, int] | None = None,
    scale: float = 1.0,
) -> ReadLine:
    """A line as OCR gives it: words 10 px a letter, in the line image's own pixels."""
    x = (700 if side == "ar" else 100) if x is None else x
    words, left = [], 0
    for token in text.split():
        words.append(OcrWord(token, confidence, (left, 2, 10 * len(token), 16)))
        left += 10 * len(token) + 8
    ocr = OcrLine(text, confidence, tuple(words), "ara" if side == "ar" else "fra", "psm7")
    return ReadLine((x, y, max(left, 1), 20), side, ocr, origin or (x, y), scale)


def rows(pairs: list[tuple[str | None, str | None]], top: int, pitch: int = 30) -> list[ReadLine]:
    """Lines of both columns, a pair (Arabic, French) a row; None leaves a side empty."""
    out = []
    for k, (ar, fr) in enumerate(pairs):
        y = top + k * pitch
        out += [line(ar, "ar", y)] if ar else []
        out += [line(fr, "fr", y)] if fr else []
    return out


def birth_act(number: str = "105", top: int = 150, notes: tuple = ()) -> list[ReadLine]:
    pairs = [
        (f"رسم عدد : {number}", f"Acte n° : {number}"),
        ("الاسم الشخصي : محمد", "Prénom : Mohamed"),
        ("الاسم العائلي : العلوي", "Nom : Alaoui"),
        ("الجنس : ذكر", "Sexe : Masculin"),
        ("تاريخ الازدياد : 15 مارس 1995 الموافق 14 شوال 1415", "Date de naissance : 15/03/1995"),
        ("بيانات هامشية", "Mentions marginales"),
        *notes,
    ]
    return rows(pairs, top)


def extract(lines: list[ReadLine], **options):
    return extract_page(lines, load_model(), line_height=LINE_HEIGHT, **options)


def values(readings: list[FieldValue]) -> list[str]:
    return [r.value for r in readings]


# --- header and acts -----------------------------------------------------------------------


def test_lines_above_the_first_act_are_the_header():
    page = extract(rows(HEADER, 20) + birth_act())
    assert values(page.header["commune_ar"]) == ["صفرو"]
    assert values(page.header["commune_fr"]) == ["Sefrou"]
    assert values(page.header["act_type"]) == ["birth", "birth"]
    assert values(page.header["register_year"]) == ["1995", "1995"]
    assert len(page.acts) == 1
    assert not {"commune_ar", "act_type", "register_year"} & page.acts[0].readings.keys()


def test_an_act_reads_both_sides_into_scripted_keys():
    (act,) = extract(rows(HEADER, 20) + birth_act()).acts
    assert values(act.readings["act_number"]) == ["105", "105"]
    assert [r.side for r in act.readings["act_number"]] == ["ar", "fr"]
    assert values(act.readings["given_name_ar"]) == ["محمد"]
    assert values(act.readings["given_name_fr"]) == ["Mohamed"]
    assert values(act.readings["family_name_fr"]) == ["Alaoui"]
    assert values(act.readings["sex"]) == ["M", "M"]


def test_readings_keep_their_provenance():
    (act,) = extract(rows(HEADER, 20) + birth_act(), engine="tesseract 5").acts
    (reading,) = act.readings["given_name_fr"]
    assert reading.raw == "Prénom : Mohamed" and reading.side == "fr"
    assert reading.engine == "tesseract 5/fra/psm7"
    assert 0 < reading.confidence <= 1


def test_three_acts_on_a_page_are_three_drafts_each_with_its_own_fields():
    lines = rows(HEADER, 20)
    for k, number in enumerate(("105", "106", "107")):
        lines += birth_act(number, top=150 + 260 * k)
    page = extract(lines)
    assert [values(a.readings["act_number"]) for a in page.acts] == [
        ["105", "105"],
        ["106", "106"],
        ["107", "107"],
    ]
    assert all(len(a.readings["given_name_ar"]) == 1 for a in page.acts)


@pytest.mark.parametrize("side", ["ar", "fr"])
def test_an_act_opens_at_its_number_on_either_side_alone(side: str):
    lines = [ln for ln in birth_act() if not (ln.side != side and ln.box[1] == 150)]
    assert len([ln for ln in lines if ln.box[1] == 150]) == 1
    (act,) = extract(rows(HEADER, 20) + lines).acts
    assert values(act.readings["act_number"]) == ["105"]
    assert [r.side for r in act.readings["act_number"]] == [side]


def test_a_page_without_an_act_number_has_no_act():
    lines = [ln for ln in birth_act() if ln.box[1] != 150]
    page = extract(rows(HEADER, 20) + lines)
    assert page.acts == []


def test_an_act_number_line_with_too_few_fields_after_it_is_no_act():
    lines = rows(HEADER, 20) + rows([("رسم عدد : 12", "Acte n° : 12"), (None, "Nom : Alaoui")], 150)
    assert extract(lines).acts == []


def test_a_note_citing_another_act_does_not_open_an_act():
    note = (None, "acte n° 707 à Tiaret")  # a note wrapped so that the citation opens a line
    lines = rows(HEADER, 20) + birth_act(
        notes=[
            ("تزوجت من محمد العلوي بتاريخ 3 مارس 2001", "Mariée avec Mohamed Alaoui le 3/3/2001,"),
            note,
            ("الاسم الشخصي : أحمد", "Prénom : Ahmed"),  # more labelled lines after it
            ("الاسم العائلي : بناني", "Nom : Bennani"),
            ("الجنس : ذكر", "Sexe : Masculin"),
        ]
    )
    page = extract(lines)
    assert len(page.acts) == 1
    assert values(page.acts[0].readings["act_number"]) == ["105", "105"]
    assert "acte n° 707 à Tiaret" in [n.text for n in page.acts[0].notes]


def test_an_act_number_ocr_cut_in_two_still_opens_the_act():
    lines = rows(HEADER, 20) + birth_act()
    lines = [ln for ln in lines if ln.box[1] != 150]
    lines += [line("Acte n° : 0 38", "fr", 150), line("رس هد 0381", "ar", 146)]
    (act,) = extract(lines).acts
    assert "act_number" not in act.readings  # two numbers: no value, the act still found
    assert values(act.readings["given_name_fr"]) == ["Mohamed"]


def test_an_act_number_read_with_noise_around_it_still_opens_the_act():
    lines = rows(HEADER, 20) + birth_act()
    lines = [ln for ln in lines if not (ln.side == "fr" and ln.box[1] == 150)]
    lines.append(line("Acte n° : | 105", "fr", 150))
    (act,) = extract(lines).acts
    assert sorted(values(act.readings["act_number"])) == ["105", "105"]


def test_a_number_read_as_zero_is_no_reading():
    # Acts, pages and years are counted from 1: "Page 0" is a misread page number.
    lines = rows(HEADER, 20) + birth_act()
    lines = [ln for ln in lines if not (ln.side == "fr" and ln.box[1] == 150)]
    lines.append(line("Acte n° : 0", "fr", 150))
    (act,) = extract(lines).acts
    assert values(act.readings["act_number"]) == ["105"]  # the Arabic side's alone


def indic_page(french: dict[str, str]) -> list[ReadLine]:
    """A page whose French column wrote its numbers in Arabic-Indic digits, as the Latin
    model reads them (`french`: label -> what it read), the Arabic column in Western ones."""
    pairs = [
        ("الجماعة : صفرو", "Commune : Sefrou"),
        ("سجل الولادات", "Registre des naissances"),
        ("لسنة 1995", f"Année {french['year']}"),
        ("رسم عدد : 105", f"Acte n° : {french['act']}"),
        ("الاسم الشخصي : محمد", "Prénom : Mohamed"),
        ("الاسم العائلي : العلوي", "Nom : Alaoui"),
        ("الجنس : ذكر", "Sexe : Masculin"),
        ("تاريخ الازدياد : 15 مارس 1995", f"Date de naissance : {french['birth']}"),
        ("حرر بتاريخ : 17 مارس 1995", f"Dressé le : {french['drawn']}"),
        ("بيانات هامشية", "Mentions marginales"),
    ]
    return rows(pairs, 20)


# What the Latin model read for ١٩٩٥, ١٠٥, ١٥/٠٣/١٩٩٥ and ١٧/٠٣/١٩٩٥ on generated pages.
INDIC_AS_LATIN = {"year": "\\448", "act": "1+0", "birth": "10/+F/\\440", "drawn": "1V/+F/\\44A"}


def test_a_french_column_in_arabic_indic_digits_gives_no_number_readings():
    # The Latin model cannot read those digits: its readings would only contradict the
    # Arabic side's. The names are read as ever.
    page = extract(indic_page(INDIC_AS_LATIN))
    (act,) = page.acts
    assert [r.side for r in page.header["register_year"]] == ["ar"]
    for key in ("act_number", "birth_date", "drawn_up_date"):
        assert [r.side for r in act.readings[key]] == ["ar"], key
    assert values(act.readings["given_name_fr"]) == ["Mohamed"]


def test_one_number_misread_with_such_a_character_leaves_the_french_numbers_read():
    # A date with a stray speck (15/03/1995 \+) is no Arabic-Indic column: three such values
    # and a third of the column's at least are needed.
    french = {"year": "1995", "act": "105", "birth": "15/03/1995 \\+", "drawn": "17/03/1995"}
    (act,) = extract(indic_page(french)).acts
    assert sorted(r.side for r in act.readings["act_number"]) == ["ar", "fr"]
    assert sorted(r.side for r in act.readings["drawn_up_date"]) == ["ar", "fr"]


# --- values ----------------------------------------------------------------------------------


def test_the_arabic_date_line_gives_the_gregorian_and_the_hijri_date():
    (act,) = extract(rows(HEADER, 20) + birth_act()).acts
    assert values(act.readings["birth_date"]) == ["1995-03-15", "1995-03-15"]
    assert values(act.readings["birth_date_hijri"]) == ["1415-10-14"]
    assert act.readings["birth_date_hijri"][0].side == "ar"


def test_a_hijri_date_with_an_unreadable_year_gives_its_day_and_month():
    pairs = [
        ("رسم عدد : 105", "Acte n° : 105"),
        ("الاسم الشخصي : محمد", "Prénom : Mohamed"),
        ("الاسم العائلي : العلوي", "Nom : Alaoui"),
        ("تاريخ الازدياد : 15 مارس 1995 الموافق 14 شوال 1/ل٤", "Date de naissance : 15 mars 1995"),
        ("الجنس : ذكر", "Sexe : Masculin"),
    ]
    (act,) = extract(rows(HEADER, 20) + rows(pairs, 150, pitch=22)).acts
    assert values(act.readings["birth_date_hijri"]) == ["10-14"]  # for validation to complete


def test_a_date_line_wrapped_onto_the_next_line_continues():
    pairs = [
        ("رسم عدد : 105", "Acte n° : 105"),
        ("الاسم الشخصي : محمد", "Prénom : Mohamed"),
        ("الاسم العائلي : العلوي", "Nom : Alaoui"),
        ("تاريخ الازدياد : 15 مارس 1995 الموافق", "Date de naissance :"),
        ("14 شوال 1415", "15 mars 1995"),
        ("الجنس : ذكر", "Sexe : Masculin"),
    ]
    (act,) = extract(rows(HEADER, 20) + rows(pairs, 150, pitch=22)).acts
    assert values(act.readings["birth_date_hijri"]) == ["1415-10-14"]
    assert values(act.readings["birth_date"]) == ["1995-03-15", "1995-03-15"]
    arabic = next(r for r in act.readings["birth_date"] if r.side == "ar")
    assert arabic.raw.splitlines() == ["تاريخ الازدياد : 15 مارس 1995 الموافق", "14 شوال 1415"]
    assert act.unread == []


def test_a_line_far_below_a_field_does_not_continue_it():
    pairs = [
        ("رسم عدد : 105", "Acte n° : 105"),
        ("الاسم الشخصي : محمد", "Prénom : Mohamed"),
        ("الاسم العائلي : العلوي", "Nom : Alaoui"),
        ("الجنس : ذكر", "Sexe : Masculin"),
    ]
    lines = [*rows(pairs, 150, pitch=22), line("Amine", "fr", 150 + 3 * 22 + 60)]
    (act,) = extract(rows(HEADER, 20) + lines).acts
    assert values(act.readings["sex"]) == ["M", "M"] and act.unread == ["Amine"]


def test_a_name_wrapped_onto_the_next_line_continues_in_its_script():
    pairs = [
        ("رسم عدد : 105", "Acte n° : 105"),
        ("الاسم الشخصي : محمد", "Prénom : Mohamed"),
        (None, "Amine"),
        ("الاسم العائلي : العلوي", "Nom : Alaoui"),
        ("الجنس : ذكر", "Sexe : Masculin"),
    ]
    (act,) = extract(rows(HEADER, 20) + rows(pairs, 150, pitch=22)).acts
    assert values(act.readings["given_name_fr"]) == ["Mohamed Amine"]


def test_a_line_of_the_other_script_does_not_continue_a_name():
    pairs = [
        ("رسم عدد : 105", "Acte n° : 105"),
        ("الاسم الشخصي : محمد", "Prénom : Mohamed"),
        (None, "أمين"),  # Arabic letters read in the French column
        ("الاسم العائلي : العلوي", "Nom : Alaoui"),
        ("الجنس : ذكر", "Sexe : Masculin"),
    ]
    (act,) = extract(rows(HEADER, 20) + rows(pairs, 150, pitch=22)).acts
    assert values(act.readings["given_name_fr"]) == ["Mohamed"]
    assert act.unread == ["أمين"]


def test_a_field_line_with_a_misread_label_does_not_continue_a_name():
    pairs = [
        ("رسم عدد : 105", "Acte n° : 105"),
        ("الاسم الشخصي : رشيدة", "Prénom : Rachida"),
        ("أجنس : أنثى", None),  # الجنس misread, no French beside it: no label recognised
        ("الاسم العائلي : العلوي", "Nom : Alaoui"),
    ]
    (act,) = extract(rows(HEADER, 20) + rows(pairs, 150, pitch=22)).acts
    assert values(act.readings["given_name_ar"]) == ["رشيدة"]
    assert act.unread == ["أجنس : أنثى"]


def test_a_label_ocr_garbled_is_read_as_the_field_its_row_partner_names():
    pairs = [
        ("رسم عدد : 105", "Acte n° : 105"),
        ("الاسم الشخصي : محمد", "Prénom : Mohamed"),
        ("الآأب : بوشعيب", "Père : Bouchaib"),  # الأب, a short label, misread
        ("اسم الأه : مروة", "Mère : Meroua"),  # as near اسم الأب as اسم الأم
        ("الجنس : ذكر", "Sèxe : Masculin"),  # a French label misread
    ]
    (act,) = extract(rows(HEADER, 20) + rows(pairs, 150)).acts
    assert values(act.readings["father_name_ar"]) == ["بوشعيب"]
    assert values(act.readings["mother_name_ar"]) == ["مروة"]
    assert values(act.readings["sex"]) == ["M", "M"]
    assert act.unread == []


@pytest.mark.parametrize(
    ("arabic", "french"),
    [
        ("الآأب : بوشعيب", None),  # no line beside it
        ("الآأب بوشعيب", "Père : Bouchaib"),  # no colon: no label to compare
        ("ثم سافر : بوشعيب", "Père : Bouchaib"),  # nothing like the father's labels
    ],
)
def test_a_garbled_label_without_a_partner_that_names_it_stays_unread(arabic, french):
    pairs = [
        ("رسم عدد : 105", "Acte n° : 105"),
        ("الاسم الشخصي : محمد", "Prénom : Mohamed"),
        ("الجنس : ذكر", "Sexe : Masculin"),
        (arabic, french),
    ]
    (act,) = extract(rows(HEADER, 20) + rows(pairs, 150)).acts
    assert "father_name_ar" not in act.readings


def test_an_unreadable_value_gives_no_reading():
    pairs = [
        ("رسم عدد : 105", "Acte n° : 105"),
        ("الاسم الشخصي : محمد", "Prénom : Mohamed"),
        ("الاسم العائلي : العلوي", "Nom : Alaoui"),
        ("الجنس : ذكر", "Sexe : Masculin"),
        (None, "Date de naissance : illisible"),
    ]
    (act,) = extract(rows(HEADER, 20) + rows(pairs, 150)).acts
    assert "birth_date" not in act.readings


# --- marriage sections ---------------------------------------------------------------------


def test_marriage_sections_prefix_the_spouses_keys():
    pairs = [
        ("رسم عدد : 44", "Acte n° : 44"),
        ("الزوج", "Époux"),
        ("الاسم الشخصي : محمد", "Prénom : Mohamed"),
        ("الاسم العائلي : العلوي", "Nom : Alaoui"),
        ("تاريخ الازدياد : 3 مارس 1960", "Né le : 03/03/1960"),
        ("الزوجة", "Épouse"),
        ("الاسم الشخصي : فاطمة", "Prénom : Fatima"),
        ("الاسم العائلي : بناني", "Nom : Bennani"),
        ("مكان الزواج : وهران", "Lieu du mariage : Oran"),
    ]
    header = [("سجل عقود الزواج", "Registre des mariages"), ("لسنة 1985", "Année 1985")]
    (act,) = extract(rows(header, 20) + rows(pairs, 150)).acts
    keys = set(act.readings)
    assert {
        "husband_given_name_ar",
        "husband_given_name_fr",
        "husband_family_name_fr",
        "husband_birth_date",
        "wife_given_name_ar",
        "wife_family_name_fr",
    } <= keys
    assert values(act.readings["husband_given_name_fr"]) == ["Mohamed"]
    assert values(act.readings["wife_given_name_ar"]) == ["فاطمة"]
    assert values(act.readings["husband_birth_date"]) == ["1960-03-03", "1960-03-03"]
    # Keys a section does not prefix stay as they are.
    assert values(act.readings["marriage_place_fr"]) == ["Oran"]
    assert not {"given_name_ar", "family_name_fr", "wife_marriage_place_fr"} & keys


@pytest.mark.parametrize(("first", "second"), [("الزوجة", "الزوجة"), ("الزوج", "الزوج")])
def test_one_spouse_section_read_twice_is_the_husband_then_the_wife(first: str, second: str):
    # الزوج and الزوجة differ by a letter a doubtful reading adds or loses.
    pairs = [
        ("رسم عدد : 44", "Acte n° : 44"),
        (first, "Époux"),
        ("الاسم الشخصي : محمد", "Prénom : Mohamed"),
        (second, "Épouse"),
        ("الاسم الشخصي : فاطمة", "Prénom : Fatima"),
    ]
    header = [("سجل عقود الزواج", "Registre des mariages"), ("لسنة 1985", "Année 1985")]
    (act,) = extract(rows(header, 20) + rows(pairs, 150)).acts
    assert values(act.readings["husband_given_name_ar"]) == ["محمد"]
    assert values(act.readings["wife_given_name_ar"]) == ["فاطمة"]


def test_spouse_fields_before_the_wife_s_section_are_the_husband_s():
    # The husband's section label misread (اليج for الزوج): no section opens his fields.
    pairs = [
        ("رسم عدد : 44", "Acte n° : 44"),
        ("مكان الزواج : وهران", "Lieu du mariage : Oran"),
        ("اليج :", "Époux"),
        ("الاسم الشخصي : محمد", "Prénom : Mohamed"),
        ("الزوجة", "Épouse"),
        ("الاسم الشخصي : فاطمة", "Prénom : Fatima"),
    ]
    header = [("سجل عقود الزواج", "Registre des mariages"), ("لسنة 1985", "Année 1985")]
    (act,) = extract(rows(header, 20) + rows(pairs, 150)).acts
    assert values(act.readings["husband_given_name_ar"]) == ["محمد"]
    assert values(act.readings["wife_given_name_ar"]) == ["فاطمة"]
    assert values(act.readings["marriage_place_ar"]) == ["وهران"]
    assert "given_name_ar" not in act.readings


def test_infer_act_type_from_the_keys_read():
    reading = [FieldValue("x")]
    assert infer_act_type({"wife_given_name_ar": reading}) == "marriage"
    assert infer_act_type({"death_date": reading, "given_name_ar": reading}) == "death"
    assert infer_act_type({"given_name_ar": reading}) == "birth"


# --- notes and unread lines ----------------------------------------------------------------


def test_marginal_notes_are_collected_on_both_sides():
    notes = [("توفي بتاريخ 3 مارس 2001 بفاس", "Décédé le 3 mars 2001 à Fès")]
    (act,) = extract(rows(HEADER, 20) + birth_act(notes=notes)).acts
    assert [(n.text, n.lang) for n in act.notes] == [
        ("توفي بتاريخ 3 مارس 2001 بفاس", "ar"),
        ("Décédé le 3 mars 2001 à Fès", "fr"),
    ]
    # A note that reads like a label ("Décédé le") is a note, not the act's death date.
    assert "death_date" not in act.readings


def test_nothing_noted_is_no_note():
    notes = [("لا شيء", "Néant")]
    (act,) = extract(rows(HEADER, 20) + birth_act(notes=notes)).acts
    assert act.notes == []


def test_a_note_on_the_headings_line_is_collected():
    lines = [ln for ln in birth_act() if ln.ocr.text != "Mentions marginales"]
    lines.append(line("Mentions marginales : Divorcé le 2/2/2010", "fr", 150 + 5 * 30))
    (act,) = extract(rows(HEADER, 20) + lines).acts
    assert [n.text for n in act.notes] == ["Divorcé le 2/2/2010"]


def test_unlabelled_lines_are_reported_as_unread():
    header = [*HEADER, ("كلام غير مفهوم", "xqz blorp")]
    pairs = [(None, "Vu par nous")]
    page = extract(
        rows(header, 20) + birth_act()[:8] + rows(pairs, 150 + 4 * 30 + 10) + birth_act()[8:]
    )
    assert page.unread == ["كلام غير مفهوم", "xqz blorp"]
    assert page.acts[0].unread == ["Vu par nous"]


def test_the_page_counts_the_lines_whose_label_it_recognised():
    page = extract(rows(HEADER, 20) + birth_act() + [line("xqz blorp", "fr", 600)])
    assert page.labels == 2 * len(HEADER) + 12


# --- boxes -----------------------------------------------------------------------------------


def test_word_boxes_are_mapped_onto_the_page_and_through_locate():
    lines = rows(HEADER, 20) + birth_act()
    # The French given-name line was read from an image enlarged twice, taken at (90, 175).
    lines = [ln for ln in lines if ln.ocr.text != "Prénom : Mohamed"]
    lines.append(line("Prénom : Mohamed", "fr", 180, origin=(90, 175), scale=2.0))
    (act,) = extract(lines, locate=lambda b: (b[0] + 1000, b[1] + 2000, b[2], b[3])).acts
    (reading,) = act.readings["given_name_fr"]
    # "Mohamed", the third word, lies at x = (60 + 8) + (10 + 8), y = 2, 70 x 16 in the
    # OCR'd image: halved, moved to the image's origin, then through `locate`.
    x, y, w, h = 60 + 8 + 10 + 8, 2, 70, 16
    assert reading.box == (1000 + 90 + x // 2, 2000 + 175 + y // 2, w // 2, h // 2)


def test_the_act_keeps_the_boxes_of_its_lines():
    lines = birth_act()
    (act,) = extract(rows(HEADER, 20) + lines).acts
    assert sorted(act.boxes) == sorted(ln.box for ln in lines)


# --- Arabic numbers read again by the digit model ------------------------------------------


def with_digits(read: ReadLine, text: str, confidence: float = 0.9) -> ReadLine:
    """The line as the digit model (pipeline.read.DIGIT_LANG) read it too."""
    return replace(read, digits=OcrLine(text, confidence, (), "fas", "psm7"))


def arabic_readings(lines: list[ReadLine], key: str) -> list[FieldValue]:
    act = extract(lines).acts[0]
    return [r for r in act.readings[key] if r.side == "ar"]


def test_the_digit_model_settles_an_arabic_date_the_arabic_model_misread():
    lines = birth_act()
    i = next(i for i, x in enumerate(lines) if x.ocr.text.startswith("تاريخ"))
    lines[i] = with_digits(
        line("تاريخ الازدياد : 15 مارس 1965 الموافق 14 شوال 1415", "ar", lines[i].box[1]),
        "تاریخ الازدیاد : ۱۵ مارس ۱۹۹۵ الموافق ۱۴ شوال ۱۴۱۵",
    )
    [date] = arabic_readings(lines, "birth_date")
    assert date.value == "1995-03-15"
    assert "/digits/" in date.engine
    assert any("1965-03-15" in note for note in date.notes)
    [hijri] = arabic_readings(lines, "birth_date_hijri")
    assert hijri.value == "1415-10-14"
    assert "/ara+digits/" in hijri.engine  # both models read it: surer than either


def test_a_hijri_date_wrapped_onto_the_next_line_is_read_from_both_lines_digits():
    # The Arabic model misreads the digits of both lines; the digit model reads the day on
    # the first and the month on the second (its year is lost: validation completes it).
    pairs = [
        ("رسم عدد : 30", "Acte n° : 30"),
        ("الاسم الشخصي : الجيلالي", "Prénom : Jilali"),
        ("تاريخ الازدياد : ١ جانفي ؟* الموافق ٠١", "Date de naissance : 12 janvier 2022"),
        ("جمادى الاخرة 2144#", None),
        ("الجنس : ذكر", "Sexe : Masculin"),
    ]
    lines = rows(HEADER, 20) + rows(pairs, 150, pitch=22)
    first = next(i for i, x in enumerate(lines) if x.ocr.text.startswith("تاريخ"))
    lines[first] = with_digits(lines[first], "تاریخ الازدیاد : ۲ جانفي ۲ الوافق ۱۰")
    lines[first + 2] = with_digits(lines[first + 2], "مادی الاخرة ۱64۲۳")
    [hijri] = arabic_readings(lines, "birth_date_hijri")
    assert hijri.value == "06-10"
    assert "/digits/" in hijri.engine


def test_two_models_agreeing_on_a_number_are_surer_than_one():
    plain = birth_act("105")
    both = [
        with_digits(x, "رسم عدد : ۱۰۵") if x.side == "ar" and x.ocr.text.startswith("رسم") else x
        for x in plain
    ]
    [one] = arabic_readings(plain, "act_number")
    [two] = arabic_readings(both, "act_number")
    assert one.value == two.value == "105"
    assert two.confidence > one.confidence


def test_a_hijri_day_and_month_never_replace_a_whole_date_the_other_model_read():
    whole = _Candidate(Parsed("1433-10-28", 1.0), 0.9, "ara")
    partial = _Candidate(Parsed("10-28", 1.0), 0.8, "digits")
    assert _with_digits(whole, partial) is whole
    assert _with_digits(partial, whole) is whole
    other = _Candidate(Parsed("1433-10-27", 1.0), 0.8, "digits")
    assert _with_digits(whole, other).parsed.value == "1433-10-27"  # whole vs whole: digits
