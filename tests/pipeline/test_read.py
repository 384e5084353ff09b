"""Reading a page: cleanup, layout, OCR, extraction (real Tesseract on a generated page, fake
engines where the subject is the wiring, not the OCR)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pipeline_helpers import draw_text, two_column_page

from ocr.engine import OcrLine, OcrWord
from pipeline import read as read_module
from pipeline.cleanup import binarize_only, clean_page
from pipeline.extract import ActDraft, ReadLine
from pipeline.layout import analyse, find_gutter
from pipeline.load import PageImage, load_page
from pipeline.read import LINE_HEIGHT, _reread_numbers, line_images, read_page, read_text
from records import FieldValue, Source
from sample_scans.truth import load_truth


def truth_of(page_file: Path):
    return load_truth(page_file.with_name(page_file.stem + ".truth.json"))


def read_number(act) -> str | None:
    """The act number most of its readings give."""
    numbers = Counter(r.value for r in act.readings.get("act_number", []))
    return numbers.most_common(1)[0][0] if numbers else None


def overlap(a, b) -> float:
    """Intersection over union of two (x, y, w, h) boxes."""
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    inter = max(0, x1 - x0) * max(0, y1 - y0)
    return inter / (a[2] * a[3] + b[2] * b[3] - inter)


class FakeEngine:
    """Reads every image as the next text of a script, and records what it was asked."""

    name, version = "fake", "0"

    def __init__(self, read=None) -> None:
        self.calls: list[tuple[str, int, str | None]] = []
        self.read = read or (lambda image, lang, whitelist: OcrLine("", 0.0, (), lang, "fake"))

    def read_lines(
        self, images: Sequence[np.ndarray], lang: str, *, whitelist: str | None = None
    ) -> list[OcrLine]:
        self.calls.append((lang, len(images), whitelist))
        return [self.read(image, lang, whitelist) for image in images]

    def read_block(self, image: np.ndarray, lang: str) -> list[OcrLine]:
        return self.read_lines([image], lang)


def ocr(text: str, confidence: float, lang: str = "ara") -> OcrLine:
    return OcrLine(text, confidence, (OcrWord(text, confidence, (0, 0, 10, 10)),), lang, "psm7")


# --- whole pages (real OCR) ----------------------------------------------------------------


@pytest.mark.slow
def test_read_page_finds_the_acts_of_a_clean_page_with_their_numbers(generated_page, engine):
    truth = truth_of(generated_page)
    result = read_page(load_page(generated_page, 1), engine)
    assert [read_number(a) for a in result.acts] == [t.fields["act_number"] for t in truth]
    for act, expected in zip(result.acts, truth, strict=True):
        assert act.source.file == generated_page.name and act.source.page == 1
        assert overlap(act.source.bbox, expected.bbox) > 0.7
        assert act.readings["act_type"][0].value == expected.fields["act_type"]
    assert "turn:180" not in result.steps


@pytest.mark.slow
def test_read_page_reads_a_page_scanned_upside_down(generated_page, engine):
    truth = truth_of(generated_page)
    page = load_page(generated_page, 1)
    turned = replace(page, image=np.ascontiguousarray(page.image[::-1, ::-1]))
    result = read_page(turned, engine)
    assert "turn:180" in result.steps
    assert [read_number(a) for a in result.acts] == [t.fields["act_number"] for t in truth]
    # Boxes are in the pixels of the file as it was scanned (upside down).
    height, width = page.image.shape[:2]
    for act, expected in zip(result.acts, truth, strict=True):
        x, y, w, h = expected.bbox
        assert overlap(act.source.bbox, (width - x - w, height - y - h, w, h)) > 0.7
    assert set(result.seconds) == {"cleanup", "ocr", "extract"}


def lone_line() -> np.ndarray:
    """A label and its value far apart on one line: a gap where a gutter could be."""
    image = Image.new("L", (1200, 70), 255)
    draw_text(image, (30, 20), "Nom de la mère", size=28)
    draw_text(image, (780, 20), "Fatima Zahra", size=28)
    return np.asarray(image)


def test_read_text_does_not_split_a_lone_line_into_columns(engine):
    image = lone_line()
    clean = clean_page(image)
    # With columns the gap would be taken for a gutter ...
    assert find_gutter(clean.binary, (0, 0, *image.shape[::-1]), [], clean.text_height)
    # ... but a lone line is read whole.
    (text,) = read_text(image, engine)
    assert "de la mère" in text and text.endswith("Fatima Zahra")


def test_read_text_without_cleanup_reads_the_image_as_it_is(engine):
    image = Image.new("L", (700, 70), 255)
    draw_text(image, (30, 20), "Registre des naissances", size=28)
    assert read_text(np.asarray(image), engine, "fra", cleanup=False) == ["Registre des naissances"]


# --- line images -------------------------------------------------------------------------


def test_line_images_are_brought_to_the_ocr_line_height():
    image = Image.new("L", (900, 300), 255)
    for k, size in enumerate((18, 40)):
        draw_text(image, (30, 40 + 120 * k), "Lieu de naissance", size=size)
    clean = clean_page(np.asarray(image))
    layout = analyse(clean, columns=False)
    crops = line_images(clean, layout)
    assert len(crops) == 2
    for (_, crop, origin, scale), line in zip(crops, layout.lines, strict=True):
        assert crop.shape[0] == pytest.approx(LINE_HEIGHT, abs=1)
        assert origin[0] <= line.box[0] and origin[1] <= line.box[1]
        # The crop holds the whole line, with some paper around it.
        assert line.box[3] < crop.shape[0] / scale < line.box[3] * 3
    assert crops[0][3] > crops[1][3]  # the small line is enlarged more


def test_line_images_of_some_lines_are_those_lines_images():
    image, _, _ = two_column_page(lines=3)
    clean = clean_page(image)
    layout = analyse(clean)
    every = line_images(clean, layout, 34)
    some = line_images(clean, layout, 34, [4, 1])
    assert len(some) == 2
    for (side, crop, origin, scale), k in zip(some, [4, 1], strict=True):
        assert side == every[k][0] and origin == every[k][2] and scale == every[k][3]
        assert np.array_equal(crop, every[k][1])


# --- names no lexicon knows, read again at other heights ----------------------------------


def test_a_doubtful_arabic_line_is_read_again_and_a_plausible_reading_kept():
    image, _, _ = two_column_page(lines=3)
    clean = clean_page(image)
    layout = analyse(clean)
    sides = [line.side for line in layout.lines]
    assert sides.count("ar") == 3

    # The fake engine "reads" a line's height: only 34 px gives a plausible text.
    def read(img, lang, whitelist):
        return OcrLine(f"h{img.shape[0]}", 0.5, (), lang, "fake")

    engine = FakeEngine(read)
    first = [
        ReadLine(line.box, line.side, OcrLine("?", 0.9, (), "x", "fake")) for line in layout.lines
    ]
    out = read_module.reread_doubtful(
        clean, layout, engine, first, lambda line: line.side != "ar" or line.ocr.text == "h34"
    )
    arabic = [line for line in out if line.side == "ar"]
    assert [line.ocr.text for line in arabic] == ["h34"] * 3
    assert all(line.scale != 1.0 for line in arabic)  # boxes map back through the variant
    assert [line for line in out if line.side == "fr"] == [ln for ln in first if ln.side == "fr"]
    # One batch a variant height, Arabic only, for the doubtful lines alone.
    assert engine.calls == [("ara", 3, None)] * len(read_module.VARIANT_HEIGHTS)


def test_no_plausible_variant_leaves_the_first_reading():
    image, _, _ = two_column_page(lines=2)
    clean = clean_page(image)
    layout = analyse(clean)
    engine = FakeEngine(lambda img, lang, whitelist: OcrLine("nope", 0.99, (), lang, "fake"))
    first = [
        ReadLine(line.box, line.side, OcrLine("?", 0.1, (), "x", "fake")) for line in layout.lines
    ]
    assert read_module.reread_doubtful(clean, layout, engine, first, lambda line: False) == first


# --- numbers in the Arabic column ----------------------------------------------------------


def number_image(text: str) -> np.ndarray:
    image = Image.new("L", (200, 60), 255)
    draw_text(image, (20, 12), text, "DejaVu Sans", 24)
    array = np.asarray(image)
    scale = LINE_HEIGHT / array.shape[0]
    return np.asarray(image.resize((round(array.shape[1] * scale), LINE_HEIGHT), Image.LANCZOS))


def test_reread_numbers_turns_an_arabic_column_line_of_digits_into_the_digits(engine):
    image = number_image("1995")
    (arabic,) = engine.read_lines([image], "ara")
    lines = {0: ReadLine((0, 0, 10, 10), "ar", arabic)}
    _reread_numbers(engine, [("ar", image, (0, 0), 1.0)], lines)
    assert lines[0].ocr.text == "1995"
    assert lines[0].ocr.confidence >= arabic.confidence


def test_reread_numbers_leaves_arabic_words_and_french_lines_alone():
    engine = FakeEngine(lambda image, lang, whitelist: ocr("12", 0.99, lang))
    lines = {
        0: ReadLine((0, 0, 10, 10), "ar", ocr("رسم عدد 12", 0.5)),
        1: ReadLine((0, 0, 10, 10), "fr", ocr("12", 0.5, "fra")),
        2: ReadLine((0, 0, 10, 10), "ar", ocr("", 0.0)),
        3: ReadLine((0, 0, 10, 10), "ar", ocr("1O1O", 0.4)),  # digits, no Arabic letter
    }
    before = dict(lines)
    images = [("ar", np.zeros((30, 30), np.uint8), (0, 0), 1.0)] * 4
    _reread_numbers(engine, images, lines)
    assert engine.calls == [("fra", 1, read_module.NUMBER_CHARS)]
    assert [lines[i] for i in (0, 1, 2)] == [before[i] for i in (0, 1, 2)]
    assert lines[3].ocr.text == "12"


def test_reread_numbers_keeps_the_more_confident_reading():
    engine = FakeEngine(lambda image, lang, whitelist: ocr("7", 0.3, lang))
    lines = {0: ReadLine((0, 0, 10, 10), "ar", ocr("1442", 0.8))}
    _reread_numbers(engine, [("ar", np.zeros((30, 30), np.uint8), (0, 0), 1.0)], lines)
    assert lines[0].ocr.text == "1442"


@pytest.mark.parametrize(
    ("text", "numeric"),
    [
        ("تاريخ الازدياد : 12 جانفي 2022 الموافق 10", True),  # a date's label
        ("رسم عدد : 30", True),
        ("جمادى الاخرة 2144#", True),  # a date line's wrapped end: its Hijri month
        ("ربيع الأول", True),
        ("الأولى 1م١٠", True),  # the second word of a two-word month, then the year
        ("1١1614", True),  # the year alone, its Arabic-Indic digits misread
        ("اسم الأم : كوثر بنعلي", False),
        ("جليلة مزياني", False),  # a wrapped name
        ("1", False),  # a speck read as a digit
    ],
)
def test_the_lines_read_again_for_their_digits_are_dates_numbers_and_wrapped_hijri_dates(
    text: str, numeric: bool
):
    line = ReadLine((0, 0, 10, 10), "ar", ocr(text, 0.7))
    assert read_module._holds_number(line, read_module.load_model()) is numeric


# --- wiring (fake engines) -----------------------------------------------------------------


def test_a_line_of_a_page_without_columns_keeps_its_more_confident_reading():
    image = Image.new("L", (700, 70), 255)
    draw_text(image, (30, 20), "Registre des naissances", size=28)
    clean = binarize_only(np.asarray(image))
    layout = analyse(clean, columns=False)
    engine = FakeEngine(
        lambda image, lang, whitelist: ocr(
            "french" if lang == "fra" else "عربي", 0.9 if lang == "fra" else 0.4, lang
        )
    )
    (line,) = read_module.ocr_lines(clean, layout, engine)
    assert line.ocr.text == "french" and line.side == "fr"
    assert sorted(lang for lang, _, _ in engine.calls) == ["ara", "fra"]


def test_a_page_where_no_label_reads_is_read_again_upside_down(monkeypatch):
    turns = []
    read = read_module._read

    def recording(page, engine, model, turn):
        turns.append(turn)
        return read(page, engine, model, turn)

    monkeypatch.setattr(read_module, "_read", recording)
    image = np.full((400, 300), 255, np.uint8)
    image[100:120, 50:250] = 0
    result = read_page(PageImage(Path("blank.png"), 1, image, 150.0), FakeEngine())
    assert turns == [0, 180]
    assert result.acts == [] and "turn:180" not in result.steps  # no better: the first stays


def test_a_page_without_a_register_type_gets_one_inferred_from_its_fields():
    draft = ActDraft(readings={"death_date": [FieldValue("2001-03-03", 0.9)]})
    act = read_module._to_act(draft, {}, Source("p.png", 1))
    (act_type,) = act.readings["act_type"]
    assert act_type.value == "death" and act_type.engine == "inferred"
    assert act_type.confidence <= 0.5


def test_the_page_header_is_copied_onto_every_act():
    header = {"commune_fr": [FieldValue("Sefrou", 0.9)], "country": [FieldValue("MA", 1.0)]}
    acts = [
        read_module._to_act(
            ActDraft(readings={"act_number": [FieldValue(n, 0.9)]}), header, Source("p.png", 1)
        )
        for n in ("1", "2")
    ]
    assert all(a.readings["commune_fr"][0].value == "Sefrou" for a in acts)
    assert all("country" not in a.readings for a in acts)
    acts[0].readings["commune_fr"].append(FieldValue("Sefrou", 0.5))
    assert len(acts[1].readings["commune_fr"]) == 1  # each act has its own list
