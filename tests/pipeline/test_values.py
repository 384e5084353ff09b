"""Parsing OCR'd values into the normalised forms of register-forms.md."""

from __future__ import annotations

import datetime

import pytest

from pipeline.values import (
    Parsed,
    clean_name,
    clean_text,
    parse_arabic_date_line,
    parse_gregorian_date,
    parse_hijri_date,
    parse_hijri_day_month,
    parse_number,
    parse_sex,
    read_indic_digits,
)

# --- Gregorian dates ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("15/03/1995", "1995-03-15"),
        ("15-03-1995", "1995-03-15"),
        ("15.03.1995", "1995-03-15"),
        ("5/3/1995", "1995-03-05"),
        ("1995-03-15", "1995-03-15"),
        ("15 mars 1995", "1995-03-15"),
        ("15 MARS 1995", "1995-03-15"),
        ("15 Mars 1995", "1995-03-15"),
        ("1er mars 1995", "1995-03-01"),
        ("1ère juin 1950", "1950-06-01"),
        ("le 2 février 1960", "1960-02-02"),
        ("2 Fevrier 1960", "1960-02-02"),
        ("2 FÉVRIER 1960", "1960-02-02"),
        ("14 juillet 1915", "1915-07-14"),
        ("15 août 1947", "1947-08-15"),
        ("15 aout 1947", "1947-08-15"),
        ("3 déc. 2001", "2001-12-03"),
        ("29/02/1996", "1996-02-29"),
        ("١٥/٠٣/١٩٩٥", "1995-03-15"),
        ("۱۵/۰۳/۱۹۹۵", "1995-03-15"),
        # Moroccan month names
        ("15 يناير 1995", "1995-01-15"),
        ("15 فبراير 1995", "1995-02-15"),
        ("15 مارس 1995", "1995-03-15"),
        ("15 أبريل 1995", "1995-04-15"),
        ("15 ابريل 1995", "1995-04-15"),
        ("15 ماي 1995", "1995-05-15"),
        ("15 يونيو 1995", "1995-06-15"),
        ("15 يوليوز 1995", "1995-07-15"),
        ("15 غشت 1995", "1995-08-15"),
        ("15 شتنبر 1995", "1995-09-15"),
        ("15 أكتوبر 1995", "1995-10-15"),
        ("15 اكتوبر 1995", "1995-10-15"),
        ("15 نونبر 1995", "1995-11-15"),
        ("15 دجنبر 1995", "1995-12-15"),
        # Algerian / Tunisian month names
        ("15 جانفي 1962", "1962-01-15"),
        ("15 فيفري 1962", "1962-02-15"),
        ("15 أفريل 1962", "1962-04-15"),
        ("15 جوان 1962", "1962-06-15"),
        ("5 جويلية 1962", "1962-07-05"),
        ("15 أوت 1962", "1962-08-15"),
        ("15 سبتمبر 1962", "1962-09-15"),
        ("15 نوفمبر 1962", "1962-11-15"),
        ("15 ديسمبر 1962", "1962-12-15"),
        # Mashriq month names
        ("15 مايو 1980", "1980-05-15"),
        ("15 يوليو 1980", "1980-07-15"),
        ("15 أغسطس 1980", "1980-08-15"),
        ("١٥ مارس ١٩٩٥", "1995-03-15"),
        ("15 مارس 1995م", "1995-03-15"),
        ("يوم 15 من شهر مارس سنة 1995", "1995-03-15"),
        ("12 فبرایر 1970", "1970-02-12"),  # Persian yeh, as Tesseract's ara model may emit
        ("2 octobre 1824", "1824-10-02"),  # a birth in a death act of the 1920s
    ],
)
def test_gregorian_date_reads_clean_writings_with_full_certainty(text, iso):
    assert parse_gregorian_date(text) == Parsed(iso, 1.0)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("| 15 mars 1995 ]", "1995-03-15"),
        (": 15/03/1995 .", "1995-03-15"),
        ("،15 مارس 1995:", "1995-03-15"),
        ("1995 مارس 15", "1995-03-15"),  # digit groups reversed around the RTL month
    ],
)
def test_gregorian_date_ignores_edge_debris_and_reversed_order(text, iso):
    assert parse_gregorian_date(text) == Parsed(iso, 1.0)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("l5/O3/1995", "1995-03-15"),
        ("15/03/l995", "1995-03-15"),
        ("1O/1O/1995", "1995-10-10"),
        ("15 mrs 1995", "1995-03-15"),
        ("15 rnars 1995", "1995-03-15"),
        ("15 novernbre 1995", "1995-11-15"),
        ("15 octobe 1995", "1995-10-15"),
        ("15 Septembee 1995", "1995-09-15"),
        ("15 مارص 1995", "1995-03-15"),
        ("15 شتنبز 1995", "1995-09-15"),
        ("15mars 1995", "1995-03-15"),
        ("15 مارس1995", "1995-03-15"),
        ("1 5 mars 1995", "1995-03-15"),
        ("15 mars 19 95", "1995-03-15"),
        ("15 | mars 1995", "1995-03-15"),
        ("15 03 1995", "1995-03-15"),
        ("ler mars 1995", "1995-03-01"),
        ("15 mars 1995 x", "1995-03-15"),
    ],
)
def test_gregorian_date_repairs_ocr_slips_with_lower_certainty(text, iso):
    parsed = parse_gregorian_date(text)
    assert parsed is not None and parsed.value == iso
    assert 0.5 < parsed.certainty < 1.0
    assert parsed.repaired


def test_gregorian_date_certainty_falls_with_each_repair():
    one = parse_gregorian_date("15 mrs 1995")
    two = parse_gregorian_date("l5 mrs 1995")
    assert one is not None and two is not None
    assert two.certainty < one.certainty < 1.0


def test_gregorian_date_two_digit_year_takes_latest_century_not_after_register_year():
    assert parse_gregorian_date("15/03/95", latest_year=2001).value == "1995-03-15"
    assert parse_gregorian_date("15/03/01", latest_year=2001).value == "2001-03-15"
    assert parse_gregorian_date("15/03/02", latest_year=2001).value == "1902-03-15"


def test_gregorian_date_two_digit_year_is_marked_uncertain():
    parsed = parse_gregorian_date("15 mars 95", latest_year=2000)
    assert parsed is not None and parsed.value == "1995-03-15"
    assert parsed.certainty <= 0.7
    assert any("two-digit year" in r for r in parsed.repaired)


def test_gregorian_date_two_digit_year_defaults_to_this_century_or_the_last():
    this_year = datetime.date.today().year
    parsed = parse_gregorian_date(f"01/01/{this_year % 100:02d}")
    assert parsed is not None and parsed.value == f"{this_year}-01-01"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Sefrou",
        "31/02/1995",
        "29/02/1995",
        "00/01/1995",
        "15/13/1995",
        "32 mars 1995",
        "15 mars 1779",
        "15 mars 2101",
        "15 mars 995",
        "15 mars",
        "mars 1995",
        "15 xyzw 1995",
        "15 jui 1995",  # juin or juil: ambiguous
        "15 mars 1995 16 avril 1996",  # two dates
        "14 شوال 1415",  # a Hijri date only
        "15/03/1415",  # a Hijri year
    ],
)
def test_gregorian_date_rejects_what_is_not_one_possible_date(text):
    assert parse_gregorian_date(text) is None


def test_gregorian_date_is_read_from_a_line_that_also_gives_the_hijri_date():
    assert parse_gregorian_date("15 مارس 1995 الموافق 14 شوال 1415") == Parsed("1995-03-15")


# --- Hijri dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("14 شوال 1415", "1415-10-14"),
        ("14 شوال 1415 هـ", "1415-10-14"),
        ("14 شوال 1415هـ", "1415-10-14"),
        ("١٤ شوال ١٤١٥", "1415-10-14"),
        ("1 محرم 1343", "1343-01-01"),
        ("2 صفر 1400", "1400-02-02"),
        ("3 ربيع الأول 1400", "1400-03-03"),
        ("3 ربيع الاول 1400", "1400-03-03"),
        ("4 ربيع الثاني 1400", "1400-04-04"),
        ("4 ربيع الآخر 1400", "1400-04-04"),
        ("5 جمادى الأولى 1400", "1400-05-05"),
        ("5 جمادي الاولي 1400", "1400-05-05"),
        ("6 جمادى الآخرة 1400", "1400-06-06"),
        ("6 جمادى الثانية 1400", "1400-06-06"),
        ("6 جمادى الاخره 1400", "1400-06-06"),
        ("7 رجب 1400", "1400-07-07"),
        ("8 شعبان 1400", "1400-08-08"),
        ("30 رمضان 1400", "1400-09-30"),
        ("10 ذو القعدة 1400", "1400-11-10"),
        ("10 ذي القعدة 1400", "1400-11-10"),
        ("10 ذو الحجة 1400", "1400-12-10"),
        ("10 ذوالحجة 1400", "1400-12-10"),
        ("10 ذو الحجه 1400", "1400-12-10"),
        ("14/10/1415", "1415-10-14"),
        ("1 محرم 1333", "1333-01-01"),
        ("3 رجب 1290", "1290-07-03"),  # a birth in the 1870s
        ("9 صفر 1240", "1240-02-09"),  # in a death act of the 1920s: a birth in 1824
    ],
)
def test_hijri_date_reads_month_names_and_their_variants(text, iso):
    assert parse_hijri_date(text) == Parsed(iso, 1.0)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("14 سوال 1415", "1415-10-14"),
        ("14 شعبن 1415", "1415-08-14"),
        ("14 رمضاں 1415", "1415-09-14"),
        ("| 14 شوال 1415 هـ :", "1415-10-14"),
        ("14 ذو الخية 1415", "1415-12-14"),  # 2 edits: no other month as close
        ("14 ذو اجة 1415", "1415-12-14"),
    ],
)
def test_hijri_date_tolerates_ocr_slips(text, iso):
    parsed = parse_hijri_date(text)
    assert parsed is not None and parsed.value == iso


@pytest.mark.parametrize(
    "text",
    [
        "31 رمضان 1415",
        "0 رمضان 1415",
        "14 شوال 1190",  # before 1780
        "14 شوال 1530",  # after 2100
        "14 شوال 15",
        "14 شعب 1415",  # 2 edits off a short spelling
        "15 مارس 1995",
        "14 شوال",
    ],
)
def test_hijri_date_rejects_impossible_or_missing_parts(text):
    assert parse_hijri_date(text) is None


# --- The Arabic date line ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "15 مارس 1995 الموافق 14 شوال 1415",
        "15 مارس 1995 الموافق لـ 14 شوال 1415 هـ",
        "15 مارس 1995 المرافق 14 شوال 1415",  # garbled connector
        "15 مارس 1995 14 شوال 1415",  # connector lost
        "14 شوال 1415 الموافق 15 مارس 1995",  # the other order
        "١٥ مارس ١٩٩٥ الموافق ١٤ شوال ١٤١٥",
    ],
)
def test_date_line_splits_gregorian_and_hijri_by_month_names(text):
    assert parse_arabic_date_line(text) == (Parsed("1995-03-15"), Parsed("1415-10-14"))


def test_date_line_with_gregorian_only():
    assert parse_arabic_date_line("15 مارس 1995") == (Parsed("1995-03-15"), None)


def test_date_line_with_hijri_only():
    assert parse_arabic_date_line("الموافق 14 شوال 1415") == (None, Parsed("1415-10-14"))


def test_date_line_keeps_the_readable_part_when_the_other_is_garbled():
    greg, hijri = parse_arabic_date_line("15 مارس 1995 الموافق 14 xyzw 1415")
    assert greg is not None and greg.value == "1995-03-15"
    assert hijri is None


def test_date_line_penalises_unexplained_words_outside_the_connector():
    greg, hijri = parse_arabic_date_line("زيد 15 مارس 1995 الموافق 14 شوال 1415")
    assert greg is not None and hijri is not None
    assert greg.certainty < 1.0 and hijri.certainty < 1.0


def test_date_line_with_no_date_gives_two_nones():
    assert parse_arabic_date_line("صفرو") == (None, None)


# --- Sex ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "sex"),
    [
        ("ذكر", "M"),
        ("أنثى", "F"),
        ("انثى", "F"),
        ("انثي", "F"),
        ("Masculin", "M"),
        ("MASCULIN", "M"),
        ("masculin", "M"),
        ("Féminin", "F"),
        ("Feminin", "F"),
        ("FÉMININ", "F"),
        ("M", "M"),
        ("H", "M"),
        ("F", "F"),
        ("m.", "M"),
        ("| ذكر :", "M"),
        ("ذكر Masculin", "M"),
    ],
)
def test_sex_reads_both_scripts(text, sex):
    assert parse_sex(text) == Parsed(sex, 1.0)


@pytest.mark.parametrize(
    ("text", "sex"),
    [("دكر", "M"), ("انتى", "F"), ("Masculln", "M"), ("Fémin1n", "F"), ("Fminin", "F")],
)
def test_sex_tolerates_one_ocr_slip_at_lower_certainty(text, sex):
    parsed = parse_sex(text)
    assert parsed is not None and parsed.value == sex and parsed.certainty < 1.0


@pytest.mark.parametrize("text", ["", "X", "Sefrou", "ذكر Féminin", "M F", "|"])
def test_sex_rejects_unknown_or_contradictory_words(text):
    assert parse_sex(text) is None


# --- Numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12", "12"),
        ("0012", "12"),
        ("0", "0"),
        ("N° 12", "12"),
        ("n°12", "12"),
        ("No 12", "12"),
        ("NO12", "12"),
        ("رقم 45", "45"),
        ("عدد ٤٥", "45"),
        ("٠٠١٢", "12"),
        ("[ 12 ]", "12"),
        ("Acte n° 123", "123"),
        ("لسنة 1995", "1995"),
        ("Page 7", "7"),
        ("صفحة 7", "7"),
    ],
)
def test_number_reads_digits_without_leading_zeros(text, number):
    assert parse_number(text) == Parsed(number, 1.0)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("l2", "12"),
        ("1O2", "102"),
        ("N° O12", "12"),
        ("12 | 3", None),
        ("صفحة ه", "5"),  # the Arabic-Indic five, a ring, read as the letter ha
        ("صفحة هه", None),
        ("ه 12", "12"),
    ],
)
def test_number_repairs_letters_read_for_digits(text, number):
    parsed = parse_number(text)
    if number is None:
        assert parsed is None
    else:
        assert parsed is not None and parsed.value == number and parsed.certainty < 1.0


def test_number_with_an_unknown_word_is_less_certain():
    parsed = parse_number("12 bis")
    assert parsed is not None and parsed.value == "12" and parsed.certainty < 1.0


@pytest.mark.parametrize("text", ["", "abc", "N°", "12/1995", "12 15"])
def test_number_rejects_none_or_several_numbers(text):
    assert parse_number(text) is None


# --- Text --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("| Mohamed ]", "Mohamed"),
        ("Mohamed  Ali", "Mohamed Ali"),
        (": محمد", "محمد"),
        ("محمد،", "محمد"),
        ("Fatima-Zahra.", "Fatima-Zahra"),
        ("M'hamed", "M'hamed"),
        ("El {Alaoui}", "El Alaoui"),
        ("Ben : Ali", "Ben Ali"),
        ("  فاطمة   الزهراء  ", "فاطمة الزهراء"),
        ("\u200fمحمد\u200f", "محمد"),
        ("Mohamed (dit Hamid)", "Mohamed (dit Hamid)"),
        ("(Sefrou", "Sefrou"),
        ("Aït Ben Haddou", "Aït Ben Haddou"),
        ("ياسمين_بلخوجة", "ياسمين بلخوجة"),
        ("EL_Mahjoub", "EL Mahjoub"),
    ],
)
def test_clean_text_removes_debris_but_keeps_letters(text, clean):
    assert clean_text(text) == clean


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("Fadila EL KETTANI = =", "Fadila EL KETTANI"),  # signature debris after the name
        ("فضيلة الكتاني ٠", "فضيلة الكتاني"),
        ("جليلة مزياني 2 33 0000", "جليلة مزياني"),
        ("Badr Eddine N", "Badr Eddine"),  # a lone letter at the end
        ("Fadila EL, KETTANI", "Fadila EL KETTANI"),
        ("نورة.بنت سليمان", "نورة بنت سليمان"),  # two words run together by a stop
        ("M'hamed Aït-Ali", "M'hamed Aït-Ali"),  # apostrophes and hyphens are spelling
        ("A", "A"),  # a name of one letter stays: nothing else is left
        ("E1 Mokhtar", "El Mokhtar"),  # a 1 against Latin letters is an l
        ("Zoubir Ben S1imane", "Zoubir Ben Slimane"),
        ("Yamna Lared)j", "Yamna Laredj"),  # a speck read as a parenthesis inside a word
        ("Fatima (Fatna)", "Fatima (Fatna)"),
        ("JameL OumkeLtoum", "Jamel Oumkeltoum"),  # a capital read inside a small word
        ("AzZiz BEN ALI", "AzZiz BEN ALI"),  # beside its own letter: for validation
    ],
)
def test_clean_name_keeps_the_name_and_drops_the_debris(text: str, cleaned: str):
    assert clean_name(text) == cleaned


@pytest.mark.parametrize(
    ("text", "day_month"),
    [
        ("15 يناير 1918 الموافق 2 ربيع الثاني\n36ظ12", "04-02"),
        ("8 ماي 1987 الموافق 10 رمضان 7ئ0[ظ1", "09-10"),
        ("الموافق ١8 رجب اع16", "07-18"),
        # The digit model's Arabic: ربيع الأول three edits off, no other month within five.
        ("تاریخ الوفاة :۳۱ دیسمیر ۱۹۸۱ الموافتی ۵ ریع لول ۱۶۰۲", "03-05"),
    ],
)
def test_a_hijri_day_and_month_are_read_when_the_year_is_not(text, day_month):
    parsed = parse_hijri_day_month(text)
    assert parsed is not None and parsed.value == day_month


@pytest.mark.parametrize("text", ["15 مارس 1995", "الموافق 45 رجب 1٤ل", "رجب 14"])
def test_no_hijri_day_and_month_without_a_day_before_a_hijri_month(text):
    assert parse_hijri_day_month(text) is None


@pytest.mark.parametrize(
    ("text", "hijri"),
    [
        ("١ فيفري ١٩٦٠ الموافق ه شعبان ١٣٧٩", "1379-08-05"),  # ٥, a ring, read as ه
        ("ه جانفي 1982 الموافق ه ربيع الأول 1402", "1402-03-05"),
    ],
)
def test_a_five_read_as_ha_before_a_month_is_a_five(text, hijri):
    _, parsed = parse_arabic_date_line(text)
    assert parsed is not None and parsed.value == hijri
    assert any("read as 5" in r for r in parsed.repaired) and parsed.certainty < 1


def test_the_hijri_marker_after_a_year_is_no_five():
    _, parsed = parse_arabic_date_line("14 شوال 1415 ه الموافق 15 مارس 1995")
    assert parsed is not None and parsed.value == "1415-10-14" and parsed.certainty == 1


@pytest.mark.parametrize(
    ("text", "fixed", "found"),
    [
        ("۲۹ ماي ۲۰۱۸ الوافق ۱۳ رمضان ۱:۳۹", "۲۹ ماي ۲۰۱۸ الوافق ۱۳ رمضان ۱4۳۹", 1),
        ("الوافق ؛ شعبان ۱۳۷۹", "الوافق 4 شعبان ۱۳۷۹", 1),  # ٤ read as the semicolon
        ("۱۲:۳۰", "۱۲:۳۰", 0),  # a colon between two digits each side is no year's
        ("۱۴ شعبان ۱۳۷۹ ؛", "۱۴ شعبان ۱۳۷۹ ؛", 0),
        ("الموافق ۱۶ رجب ۱۳۷۵", "الموافق ۱4 رجب ۱۳۷۵", 1),  # its six: the Arabic-Indic four
        # Western 7, 5, 9 in Arabic-Indic numbers: the six and the five it does not know.
        ("الموافق ۲7 صفر ۱۳۹۸", "الموافق ۲6 صفر ۱۳۹۸", 1),
        ("۰5/۰۲/۱9۷۸", "۰6/۰۲/۱5۷۸", 2),
        ("الموافق 7 صفر ۱۳۹۸", "الموافق 6 صفر ۱۳۹۸", 1),  # alone, on a line of them
        # Western digits are Western digits, their ones read as either.
        ("الموافق 27 صفر 1398", "الموافق 27 صفر 1398", 0),
        ("رقم الرسم : ۱99", "رقم الرسم : ۱99", 0),
        ("۱7/۱۱/1959", "۱7/۱۱/1959", 0),
        ("15/03/1995 الموافق ۱۴ شوال", "15/03/1995 الموافق ۱۴ شوال", 0),
    ],
)
def test_the_digit_models_misread_arabic_indic_digits_are_put_back(text, fixed, found):
    assert read_indic_digits(text) == (fixed, found)
