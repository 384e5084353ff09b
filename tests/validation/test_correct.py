"""Corrections one side of an act allows on the other: the final ya by the French spelling."""

from __future__ import annotations

import pytest

from validation.correct import ALEF_MAQSURA, YA, final_ya


@pytest.mark.parametrize(
    ("arabic", "latin", "fixed"),
    [
        ("العلوى", "Alaoui", "العلوي"),
        ("الطرابلسى", "Trabelsi", "الطرابلسي"),
        ("على", "Aly", "علي"),
        ("موسي", "Moussa", "موسى"),
        ("مني", "Mouna", "منى"),
        ("مصطفي", "Mustapha", "مصطفى"),
    ],
)
def test_the_final_letter_follows_the_french_ending(arabic: str, latin: str, fixed: str):
    assert final_ya(arabic, latin) == fixed


def test_each_word_of_a_name_is_set_by_its_own_french_word():
    assert final_ya("موسي العلوى", "Moussa ALAOUI") == "موسى العلوي"


def test_a_right_spelling_is_no_change():
    assert final_ya("العلوي", "Alaoui") is None
    assert final_ya("موسى", "Moussa") is None


def test_an_ending_that_says_nothing_is_no_change():
    assert final_ya("حسني", "Hosnou") is None
    assert final_ya("محمد", "Mohamed") is None


def test_names_that_do_not_pair_word_for_word_are_left_alone():
    assert final_ya("موسي بن علي", "Moussa") is None
    assert final_ya("", "Ali") is None


def test_a_lone_letter_is_no_word_ending():
    assert final_ya(YA, "a") is None and final_ya(ALEF_MAQSURA, "i") is None


def test_the_french_spelling_is_folded_first():
    assert final_ya("عيسي", "ÏSSA") == "عيسى"
