"""Name keys shared by the registry's search index and its queries (ocr.text)."""

from __future__ import annotations

import pytest

from ocr.text import name_skeleton, name_skeletons, name_words


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [
        ("محمد", "Mohamed"),
        ("محمد", "Mhamed"),
        ("محمد", "Mohammed"),
        ("فاطمة", "Fatma"),
        ("الزهراء", "Ezzahra"),
        ("العلوي", "Alaoui"),
        ("الإدريسي", "Idrissi"),
        ("بنجلون", "Benjelloun"),
        ("عبد القادر", "Abdelkader"),
        ("عبد الرحمن", "Abderrahmane"),
        ("عبدالله", "Abdellah"),
        ("نور الدين", "Noureddine"),
        ("نورالدين", "Nourredine"),
        ("خديجة", "Khedidja"),
        ("حسين", "Hocine"),
        ("قاسم", "Gacem"),
        ("الحسن", "Lahcen"),
        ("الحسن", "Hassan"),
        ("نجاة", "Najat"),
        ("فيصل", "Fayçal"),
    ],
)
def test_an_arabic_name_and_its_french_spelling_share_a_key(arabic, latin):
    assert set(name_skeletons(arabic)) & set(name_skeletons(latin))


@pytest.mark.parametrize(("one", "other"), [("محمد", "أحمد"), ("Fatima", "Fatiha"), ("علي", "عمر")])
def test_other_names_have_other_keys(one, other):
    assert not set(name_skeletons(one)) & set(name_skeletons(other))


def test_keys_ignore_marks_tatweel_hamza_case_and_accents():
    assert name_skeleton("مُحَمّـد") == name_skeleton("محمد")
    assert name_skeleton("أحمد") == name_skeleton("احمد")
    assert name_skeleton("SAÏD") == name_skeleton("said")


def test_a_name_without_consonants_has_no_key():
    assert name_skeletons("Aya") == ()
    assert name_skeleton("") == ""


def test_name_words_split_at_punctuation_and_keep_exact_forms():
    assert name_words("M'hamed El-Alaoui") == ["m", "hamed", "el", "alaoui"]
    assert name_words("  فاطمة   الزهراء ") == ["فاطمة", "الزهراء"]
    assert name_words("Fâtima") == ["fâtima"]
