"""The lexicon grows from accepted acts: the names it lacks, spelt alike on both sides."""

from __future__ import annotations

import io
from collections import Counter

import pytest

from records import Act, FieldValue
from validation import lexicon
from validation.learn import learned_names, write_names


@pytest.fixture(scope="module")
def bundled() -> lexicon.Lexicon:
    return lexicon.load()


def act_of(**values: str) -> Act:
    return Act(fields={k: FieldValue(v, 0.9) for k, v in values.items()}, status="accepted")


def test_a_name_the_lexicon_lacks_is_learnt_with_its_french_spelling(bundled):
    assert bundled.unknown_name_words("تودة", "ar")
    found = learned_names(
        [act_of(mother_name_ar="تودة بنت عبد المومن", mother_name_fr="TOUDA bent Abdelmoumen")],
        bundled,
    )
    assert found == Counter({("تودة", "Touda"): 1})  # the known name and "bent" aside


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [
        ("محمد العلوي", "Mohamed Alaoui"),  # known on both sides: nothing to learn
        ("تودة", "Fatima"),  # the sides do not spell each other
        ("تودة اليعقوبي", "Touda"),  # words that do not pair one to one
    ],
)
def test_nothing_is_learnt_without_a_new_name_both_sides_spell(bundled, arabic, latin):
    assert not learned_names([act_of(mother_name_ar=arabic, mother_name_fr=latin)], bundled)


def test_places_are_not_learnt_as_names(bundled):
    assert not learned_names([act_of(birth_place_ar="تودة", birth_place_fr="Touda")], bundled)


def test_each_act_counts_once_and_the_file_keeps_the_names_enough_acts_hold():
    found = Counter({("تودة", "Touda"): 3, ("تودة", "Toudda"): 1, ("فاضمة", "Fadma"): 1})
    out = io.StringIO()
    assert write_names(found, out) == 2
    lines = out.getvalue().splitlines()
    assert lines[1:] == ["arabic\tlatin", "تودة\tTouda|Toudda", "فاضمة\tFadma"]
    out = io.StringIO()
    assert write_names(found, out, min_acts=2) == 1
    assert out.getvalue().splitlines()[2:] == ["تودة\tTouda"]
