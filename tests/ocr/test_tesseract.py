"""Tesseract behind the OcrEngine interface (real Tesseract, lines drawn with Pillow)."""

from __future__ import annotations

import threading
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from ocr_helpers import render_line, stack
from PIL import Image

from ocr import tesseract as tess
from ocr.engine import OcrError, OcrLine
from ocr.tesseract import PSM_LINE, PSM_RAW_LINE, TesseractEngine, find_tessdata
from ocr.text import normalize

DATA = Path(__file__).parent / "data"
FRENCH = "Registre des naissances"
ARABIC = "الاسم العائلي : العلوي"


def words_inside(line: OcrLine, image: np.ndarray) -> bool:
    height, width = image.shape
    return all(
        min(x, y) >= 0 and w > 0 and h > 0 and x + w <= width and y + h <= height
        for x, y, w, h in (word.box for word in line.words)
    )


# --- reading lines -------------------------------------------------------------------------


def test_a_printed_french_line_reads_right(engine: TesseractEngine):
    (line,) = engine.read_lines([render_line(FRENCH)], "fra")
    assert line.text == FRENCH
    assert [w.text for w in line.words] == FRENCH.split()
    assert line.lang == "fra" and line.mode == "psm7"


def test_a_printed_arabic_line_reads_right_in_logical_order(engine: TesseractEngine):
    (line,) = engine.read_lines([render_line(ARABIC, "DejaVu Sans", rtl=True)], "ara")
    assert line.text == ARABIC
    # Word by word too: each word's letters in logical order, not Tesseract's visual order.
    assert [w.text for w in line.words] == ARABIC.split()


def test_an_arabic_word_tesseract_calls_of_mixed_direction_reads_in_logical_order(
    engine: TesseractEngine,
):
    # A section label as a register page's cleanup gave it: the line mode reads nothing,
    # the raw-line fallback takes the line for left-to-right (its word "mixed") and gives
    # its letters in visual order, ":جوزلا".
    image = np.asarray(Image.open(DATA / "husband_label_read_left_to_right.png").convert("L"))
    (line,) = engine.read_lines([image], "ara")
    assert line.mode == "psm13"
    assert line.text == "الزوج:"
    assert [w.text for w in line.words] == ["الزوج:"]


@pytest.mark.parametrize(
    ("word", "arabic_only"),
    [(":جوزلا", True), ("1995م", False), ("١٢", False), ("Sefrou", False), (":", False)],
)
def test_only_arabic_letters_make_a_mixed_word_right_to_left(word: str, arabic_only: bool):
    assert tess._arabic_letters_only(word) is arabic_only


def test_arabic_words_come_right_to_left_on_the_image(engine: TesseractEngine):
    (line,) = engine.read_lines([render_line(ARABIC, "DejaVu Sans", rtl=True)], "ara")
    lefts = [w.box[0] for w in line.words]
    assert lefts == sorted(lefts, reverse=True)


def test_confidences_are_in_zero_to_one(engine: TesseractEngine):
    lines = engine.read_lines([render_line(FRENCH)], "fra") + engine.read_lines(
        [render_line(ARABIC, "Scheherazade", rtl=True)], "ara"
    )
    for line in lines:
        assert 0.5 < line.confidence <= 1.0  # a clean printed line is read confidently
        assert all(0.0 <= w.confidence <= 1.0 for w in line.words)
        assert line.min_confidence <= line.confidence


def test_word_boxes_lie_inside_the_image(engine: TesseractEngine):
    french, arabic = render_line(FRENCH), render_line(ARABIC, "DejaVu Sans", rtl=True)
    (fr_line,) = engine.read_lines([french], "fra")
    (ar_line,) = engine.read_lines([arabic], "ara")
    assert words_inside(fr_line, french) and words_inside(ar_line, arabic)


def test_word_boxes_cover_the_ink_of_their_words(engine: TesseractEngine):
    image = render_line("Commune de Sefrou", size=32)
    (line,) = engine.read_lines([image], "fra")
    covered = np.zeros(image.shape, bool)
    for x, y, w, h in (word.box for word in line.words):
        covered[y : y + h, x : x + w] = True
    ink = image < 128
    assert covered[ink].mean() > 0.95


def test_a_line_is_not_read_again_inverted(engine: TesseractEngine):
    # civreg's lines are dark ink on flattened paper: Tesseract's second, inverted reading of
    # every doubtful line costs time and, on the dev pages, gained nothing.
    engine.read_lines([render_line(FRENCH)], "fra")
    for key in [("fra", PSM_LINE, None), ("ara", PSM_RAW_LINE, None)]:
        assert engine._api(*key).GetVariableAsString("tessedit_do_invert") == "0"


def test_a_batch_of_lines_reads_in_order(engine: TesseractEngine):
    texts = ["Commune de Sefrou", "Année 1995", "Page 12"]
    lines = engine.read_lines([render_line(t) for t in texts], "fra")
    assert [line.text for line in lines] == texts


def test_text_is_stored_composed_nfc(engine: TesseractEngine):
    (line,) = engine.read_lines([render_line("Né le 3 février")], "fra")
    assert unicodedata.is_normalized("NFC", line.text)
    assert "é" in line.text


def test_a_whitelist_limits_the_characters_read(engine: TesseractEngine):
    image = render_line("Acte n° 1042 du 15/03/1995")
    (free,) = engine.read_lines([image], "fra")
    (digits,) = engine.read_lines([image], "fra", whitelist="0123456789/")
    assert any(ch.isalpha() for ch in free.text)
    assert digits.text and set(digits.text) <= set("0123456789/ ")
    assert "1042" in digits.text and "15/03/1995" in digits.text


def test_a_whitelist_does_not_stick_to_later_reads(engine: TesseractEngine):
    image = render_line(FRENCH)
    engine.read_lines([image], "fra", whitelist="0123456789")
    assert engine.read_lines([image], "fra")[0].text == FRENCH


# --- the empty-output fallback -------------------------------------------------------------

# Tesseract 5's fast `ara` model reads this clean line as nothing at --psm 7 (measured).
EMPTY_AT_PSM7 = ("سجل الولادات", "Amiri", 28)


def test_a_line_read_empty_at_psm7_is_read_again_as_a_raw_line(engine: TesseractEngine):
    text, family, size = EMPTY_AT_PSM7
    image = render_line(text, family, size, rtl=True)
    first = engine._read_line(image, "ara", PSM_LINE, None)
    assert first.text == "", "this line now reads at psm7: pick another one for this test"
    (line,) = engine.read_lines([image], "ara")
    assert line.mode == "psm13"
    assert "الولادات" in line.text


def test_the_fallback_runs_only_for_empty_lines(monkeypatch, engine: TesseractEngine):
    modes: list[int] = []
    read = engine._read_line

    def recording(image, lang, psm, whitelist):
        modes.append(int(psm))
        return read(image, lang, psm, whitelist)

    monkeypatch.setattr(engine, "_read_line", recording)
    (line,) = engine.read_lines([render_line(FRENCH)], "fra")
    assert modes == [int(PSM_LINE)] and line.mode == "psm7"


def test_the_fallback_keeps_the_language_and_whitelist(monkeypatch, engine: TesseractEngine):
    calls: list[tuple] = []

    def fake(image, lang, psm, whitelist):
        calls.append((lang, int(psm), whitelist))
        if psm == PSM_LINE:
            return OcrLine("", 0.0, (), lang, "psm7")
        return OcrLine("12", 0.9, (), lang, "psm13")

    monkeypatch.setattr(engine, "_read_line", fake)
    lines = engine.read_lines([render_line("12"), render_line("13")], "fra", whitelist="0123")
    assert [line.mode for line in lines] == ["psm13", "psm13"]
    assert calls[:2] == [("fra", int(PSM_LINE), "0123"), ("fra", int(PSM_RAW_LINE), "0123")]


def test_a_blank_line_reads_with_no_confidence(engine: TesseractEngine):
    (line,) = engine.read_lines([np.full((40, 300), 255, np.uint8)], "fra")
    # Tesseract may still invent a short word on blank paper; it must not be trusted.
    assert line.confidence < 0.5


def test_reverse_graphemes_keeps_marks_after_their_letter():
    logical = "مُحَمَّد"  # م ُ ح َ م َّ د
    visual = "د" + "مَّ" + "حَ" + "مُ"
    assert tess._reverse_graphemes(visual) == logical
    assert tess._reverse_graphemes("ab\u0301c") == "cb\u0301a"


def test_bidi_controls_are_stripped_from_text():
    assert tess._strip_controls("\u200f\u202bرسم عدد \u202a12\u202c\u200e") == "رسم عدد 12"


# --- blocks --------------------------------------------------------------------------------


def test_read_block_splits_a_block_into_its_lines(engine: TesseractEngine):
    texts = ["Registre des naissances", "Commune de Sefrou", "Année 1995"]
    block = stack([render_line(t) for t in texts])
    lines = engine.read_block(block, "fra")
    assert [line.text for line in lines] == texts
    assert {line.mode for line in lines} == {"psm4"}


def test_read_block_gives_arabic_lines_in_logical_order(engine: TesseractEngine):
    texts = ["سجل الولادات", "الجماعة : صفرو"]
    block = stack([render_line(t, "DejaVu Sans", rtl=True) for t in texts], right=True)
    lines = engine.read_block(block, "ara")
    assert [line.text for line in lines] == texts


def test_read_block_of_blank_paper_gives_no_lines(engine: TesseractEngine):
    lines = engine.read_block(np.full((200, 400), 255, np.uint8), "fra")
    assert all(line.confidence < 0.5 for line in lines)
    assert len(lines) <= 1


# --- errors --------------------------------------------------------------------------------


def test_an_unknown_language_raises_an_ocr_error_naming_the_package(engine: TesseractEngine):
    with pytest.raises(OcrError, match="tesseract-ocr-deu"):
        engine.read_lines([render_line(FRENCH)], "deu")


def test_a_combined_language_names_the_missing_part(engine: TesseractEngine):
    with pytest.raises(OcrError, match="tesseract-ocr-deu") as raised:
        engine.read_lines([render_line(FRENCH)], "fra+deu")
    assert "no model for deu " in str(raised.value)


def test_a_colour_image_is_refused_with_an_ocr_error(engine: TesseractEngine):
    with pytest.raises(OcrError, match="2-D uint8"):
        engine.read_lines([np.full((40, 100, 3), 255, np.uint8)], "fra")


def test_find_tessdata_names_the_packages_when_no_model_is_found(tmp_path: Path, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("TESSDATA_PREFIX", str(empty))
    monkeypatch.setattr(tess, "_TESSDATA_DIRS", (str(tmp_path / "none"),))
    with pytest.raises(OcrError) as raised:
        find_tessdata()
    message = str(raised.value)
    assert "tesseract-ocr-ara" in message and "tesseract-ocr-fra" in message
    assert "TESSDATA_PREFIX" in message


def test_find_tessdata_takes_an_explicit_folder_first(tmp_path: Path):
    (tmp_path / "xyz.traineddata").write_bytes(b"")
    assert find_tessdata(str(tmp_path)) == f"{tmp_path}/"


def test_find_tessdata_takes_tessdata_prefix_before_debians_folders(tmp_path, monkeypatch):
    (tmp_path / "xyz.traineddata").write_bytes(b"")
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path) + "/")
    assert find_tessdata() == f"{tmp_path}/"


def test_find_tessdata_passes_over_a_folder_without_models(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("TESSDATA_PREFIX", raising=False)
    found = find_tessdata(str(tmp_path))  # empty: Debian's folder is taken instead
    assert found != f"{tmp_path}/"
    assert any(Path(found).glob("ara.traineddata"))


# --- threads -------------------------------------------------------------------------------


def test_two_threads_reading_at_once_read_what_one_thread_reads(engine: TesseractEngine):
    fr = [render_line(t) for t in ("Commune de Sefrou", "Lieu de naissance : Fès", FRENCH)]
    ar = [render_line(t, "DejaVu Sans", rtl=True) for t in ("سجل الولادات", ARABIC)]
    alone = engine.read_lines(fr, "fra"), engine.read_lines(ar, "ara")
    start = threading.Barrier(2)

    def read(_: int):
        start.wait()
        return [(engine.read_lines(fr, "fra"), engine.read_lines(ar, "ara")) for _ in range(3)]

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(read, range(2)))
    assert all(got == alone for rounds in results for got in rounds)


def test_each_thread_gets_its_own_tesseract_api(engine: TesseractEngine):
    apis = {}

    def grab(name: str):
        apis[name] = engine._api("fra", PSM_LINE, None)

    threads = [threading.Thread(target=grab, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert apis["a"] is not apis["b"]
    assert engine._api("fra", PSM_LINE, None) is engine._api("fra", PSM_LINE, None)


def test_normalized_reading_matches_the_printed_text_in_both_scripts(engine: TesseractEngine):
    # The chain's matching works on normalised text: the two agree on a clean line.
    (line,) = engine.read_lines([render_line("مكان الولادة : فاس", "DejaVu Sans", rtl=True)], "ara")
    assert normalize(line.text) == normalize("مكان الولادة : فاس")
