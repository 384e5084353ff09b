"""Text normalisation for comparison (register-forms.md, "Normalisation for comparison")."""

from __future__ import annotations

import unicodedata

import pytest

from ocr.text import fold, normalize, script_of, strip_accents, to_western_digits

# --- normalize: the exact-match form -------------------------------------------------------


def test_normalize_composes_decomposed_accents():
    decomposed = unicodedata.normalize("NFD", "Hélène")
    assert decomposed != "hélène"
    assert normalize(decomposed) == "hélène"


def test_normalize_collapses_and_trims_white_space():
    assert normalize("  Fatima \t Zohra\n") == "fatima zohra"


def test_normalize_casefolds_latin_text():
    assert normalize("BENNANI") == normalize("Bennani") == "bennani"


def test_normalize_keeps_latin_accents():
    assert normalize("Fès") != normalize("Fes")


def test_normalize_removes_tatweel():
    assert normalize("محـــمد") == "محمد"


def test_normalize_removes_vowel_marks_shadda_and_tanwin():
    assert normalize("مُحَمَّدٌ") == "محمد"


def test_normalize_removes_the_superscript_alef():
    assert normalize("الرحمٰن") == "الرحمن"


def test_normalize_maps_arabic_indic_digits_to_western():
    assert normalize("١٩٩٥/٠٣/١٥") == "1995/03/15"


def test_normalize_maps_persian_digits_to_western():
    assert normalize("۱۹۹۵ ۴۵۶") == "1995 456"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("أحمد", "احمد"),  # hamza on alef
        ("إسلام", "اسلام"),  # hamza under alef
        ("آمنة", "امنة"),  # madda
        ("فاطمة", "فاطمه"),  # ta marbuta
        ("مصطفى", "مصطفي"),  # alef maqsura
        ("مؤمن", "مومن"),  # hamza on waw
    ],
)
def test_normalize_keeps_hamza_ta_marbuta_and_alef_maqsura_apart(a: str, b: str):
    assert normalize(a) != normalize(b)


# --- fold: the fuzzy-match form ------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("أحمد", "احمد"),
        ("إسلام", "اسلام"),
        ("آمنة", "امنه"),
        ("فاطمة", "فاطمه"),
        ("مصطفى", "مصطفي"),
        ("مؤمن", "مومن"),
        ("رئيس", "رييس"),
    ],
)
def test_fold_folds_hamza_ta_marbuta_and_alef_maqsura(a: str, b: str):
    assert fold(a) == fold(b)


def test_fold_strips_latin_accents_and_case():
    assert fold("HÉLÈNE Çà") == fold("helene ca") == "helene ca"


def test_fold_turns_punctuation_into_space():
    assert fold("Prénom(s):Mohamed") == "prenom s mohamed"
    assert fold("N° de l'acte") == fold("N° de l acte")


def test_fold_also_removes_marks_and_maps_digits():
    assert fold("مُحَمَّد ١٢") == "محمد 12"


def test_fold_leaves_arabic_letters_otherwise_alone():
    # strip_accents must not take marks off letters it should keep (e.g. a hamza above).
    assert strip_accents("أحمد بن عائشة") == "أحمد بن عائشة"


def test_fold_gives_the_same_key_to_label_variants_of_the_spec():
    assert fold("الإسم الشخصي") == fold("الاسم الشخصي")
    assert fold("PRENOM") == fold("Prénom")


def test_to_western_digits_leaves_other_text_alone():
    assert to_western_digits("رسم عدد ١٢ / Acte 12") == "رسم عدد 12 / Acte 12"


# --- script_of -----------------------------------------------------------------------------


def test_script_of_arabic_text_is_ar():
    assert script_of("محمد العلوي") == "ar"


def test_script_of_latin_text_is_fr():
    assert script_of("Mohamed Alaoui") == "fr"


def test_script_of_mixed_text_follows_the_majority_of_letters():
    assert script_of("الاسم الشخصي Ali") == "ar"
    assert script_of("Prénom : Mohamed علي") == "fr"


def test_script_of_text_without_letters_is_none():
    assert script_of("15/03/1995 : 12") is None
    assert script_of("١٢ / ٣") is None
    assert script_of("") is None


def test_normalize_makes_persian_digits_and_letters_arabic():
    # Tesseract's Persian model (read for Arabic-Indic digits) writes these.
    assert normalize("۱۹۸۲ ربیع کمال") == "1982 ربيع كمال"
    assert fold("فاطمۀ") == fold("فاطمة")
