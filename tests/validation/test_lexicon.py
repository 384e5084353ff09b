"""The lexicons of names and places, both scripts, and an operator's additions."""

from __future__ import annotations

from pathlib import Path

import pytest

from validation import lexicon
from validation.lexicon import PARTICLES, Lexicon


@pytest.fixture(scope="module")
def bundled() -> Lexicon:
    return lexicon.load()


# --- names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "side"),
    [
        ("محمد", "ar"),
        ("فاطمة الزهراء", "ar"),
        ("العلوي", "ar"),
        ("بناني", "ar"),
        ("Mohamed", "fr"),
        ("Mohammed", "fr"),
        ("Fatima Zahra", "fr"),
        ("Alaoui", "fr"),
    ],
)
def test_common_names_are_known(bundled: Lexicon, value: str, side: str):
    assert bundled.unknown_name_words(value, side) == []


def test_names_are_known_whatever_their_hamza_case_and_accents(bundled: Lexicon):
    assert bundled.unknown_name_words("احمد", "ar") == []  # أحمد without its hamza
    assert bundled.unknown_name_words("فاطمه", "ar") == []  # ta marbuta read as ha
    assert bundled.unknown_name_words("MOHAMED", "fr") == []


def test_unknown_words_are_listed_in_folded_form(bundled: Lexicon):
    assert bundled.unknown_name_words("محمد قزبرخط", "ar") == ["قزبرخط"]
    assert bundled.unknown_name_words("Mohamed XQZWK", "fr") == ["xqzwk"]


def test_a_name_of_one_script_is_unknown_on_the_other_side(bundled: Lexicon):
    assert bundled.unknown_name_words("Mohamed", "ar") == ["mohamed"]


def test_particles_are_not_names_to_look_up(bundled: Lexicon):
    assert bundled.unknown_name_words("محمد بن أحمد", "ar") == []
    assert bundled.unknown_name_words("Mohamed ben Ahmed", "fr") == []
    assert bundled.unknown_name_words("Fatima bent Ali", "fr") == []
    assert bundled.unknown_name_words("Ahmed ould Salem", "fr") == []
    assert {"بن", "ben", "ould", "ait", "el"} <= PARTICLES


def test_a_known_name_with_ben_written_against_it_is_known(bundled: Lexicon):
    assert bundled.unknown_name_words("شريف", "ar") == []
    assert bundled.unknown_name_words("طارق بنشريف", "ar") == []  # بن شريف in one word
    assert bundled.unknown_name_words("بتشريف", "ar") == ["بتشريف"]  # a misreading of it
    assert bundled.unknown_name_words("بنقزبرخط", "ar") == ["بنقزبرخط"]
    assert bundled.unknown_name_words("Benxqzwk", "fr") == ["benxqzwk"]


# --- places --------------------------------------------------------------------------------


def test_places_are_known_in_both_scripts(bundled: Lexicon):
    assert bundled.knows_place("صفرو", "ar") and bundled.knows_place("Sefrou", "fr")
    assert bundled.knows_place("الدار البيضاء", "ar") and bundled.knows_place("Casablanca", "fr")


def test_every_french_spelling_of_a_place_is_known(bundled: Lexicon):
    assert all(bundled.knows_place(s, "fr") for s in ("Fès", "Fes", "FES", "Meknès", "Meknes"))


def test_an_unknown_place_is_unknown(bundled: Lexicon):
    assert not bundled.knows_place("Atlantis", "fr")
    assert not bundled.knows_place("اطلانتس", "ar")
    assert not bundled.knows_place("صفرو", "fr")


def test_same_place_pairs_an_arabic_name_with_its_french_spellings(bundled: Lexicon):
    assert bundled.same_place("الدار البيضاء", "Casablanca")
    assert bundled.same_place("الدار البيضاء", "Dar El Beida")
    assert bundled.same_place("فاس", "Fes")
    assert not bundled.same_place("الدار البيضاء", "Rabat")
    assert not bundled.same_place("اطلانتس", "Atlantis")


def test_names_spelt_only_with_a_hamza_on_its_seat_are_listed_by_their_folded_form():
    spellings = {"وئام", "عائشة", "عايشة", "رئيسه", "محمد"}
    # وئام and رئيسه are never spelt with ي; عائشة is, as عايشة; محمد has no seat.
    assert lexicon._hamza_ya(spellings) == {"ويام": "وئام", "رييسه": "رئيسه"}


def test_the_bundled_names_spell_wiam_with_its_hamza(bundled: Lexicon):
    assert bundled.hamza_ya["ويام"] == "وئام"
    assert "عايشه" not in bundled.hamza_ya  # عائشة and عايشة are both attested


def test_the_header_line_of_the_places_file_is_no_place(bundled: Lexicon):
    assert bundled.place("arabic", "ar") is None and bundled.place("french", "fr") is None


# --- an operator's additions ---------------------------------------------------------------


@pytest.fixture
def operator_lexicon(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Lexicon:
    """A lexicon built with $CIVREG_CONFIG_DIR/lexicons holding a names file and a places
    file. Built through the uncached function (lexicon.load is cached for the process), and
    without the romanizer's names, which these tests do not need."""
    folder = tmp_path / "lexicons"
    folder.mkdir()
    (folder / "names_local.tsv").write_text(
        "# names of the commune's registers\narabic\tlatin\nقزبرخط\tQzbrkht|Kezberkhet\n",
        encoding="utf-8",
    )
    (folder / "places_local.tsv").write_text(
        "arabic\tfrench\tcountry\nاطلانتس\tAtlantis|Atlantide\tMA\nواحة بلا اسم\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("CIVREG_CONFIG_DIR", str(tmp_path))
    monkeypatch.setattr(lexicon, "_romanizer_db", lambda: None)
    return lexicon.load.__wrapped__()


def test_an_operators_names_file_adds_names_in_both_scripts(operator_lexicon: Lexicon):
    assert operator_lexicon.unknown_name_words("قزبرخط", "ar") == []
    assert operator_lexicon.unknown_name_words("Kezberkhet", "fr") == []
    assert operator_lexicon.unknown_name_words("Qzbrkht", "fr") == []


def test_an_operators_places_file_adds_places_and_their_spellings(operator_lexicon: Lexicon):
    assert operator_lexicon.knows_place("اطلانتس", "ar")
    assert operator_lexicon.same_place("اطلانتس", "Atlantide")
    assert operator_lexicon.knows_place("واحة بلا اسم", "ar")  # no French spelling given


def test_an_operators_files_add_to_the_bundled_ones(operator_lexicon: Lexicon):
    assert operator_lexicon.same_place("صفرو", "Sefrou")


def test_comment_and_header_lines_of_an_operators_file_are_skipped(operator_lexicon: Lexicon):
    assert "arabic" not in operator_lexicon.arabic_names
    assert not any(name.startswith("#") for name in operator_lexicon.arabic_names)


def test_the_cached_lexicon_is_not_the_operators(bundled: Lexicon, operator_lexicon: Lexicon):
    # Building an operator's lexicon leaves the process's cached one as it was.
    assert lexicon.load() is bundled and not bundled.knows_place("اطلانتس", "ar")


def test_a_place_one_letter_off_is_found_with_its_spelling(bundled: Lexicon):
    place, spelling = bundled.nearest_place("lfrane", "fr")
    assert (place.arabic, spelling) == ("إفران", "Ifrane")


def test_no_place_is_near_a_word_far_from_every_place(bundled: Lexicon):
    assert bundled.nearest_place("Zzyzxq", "fr") is None
