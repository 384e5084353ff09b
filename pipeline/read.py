"""Reading one page: cleanup, layout, OCR line by line, extraction, into act records.

This is the whole per-page chain as a plain function; the Prefect flow runs it one task a
page, the `civreg ocr` command and the benchmarks call it directly.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import cv2
import numpy as np

from ocr.engine import OcrEngine, OcrError
from ocr.text import script_of
from pipeline.cleanup import CleanPage, binarize_only, clean_page
from pipeline.extract import (
    ActDraft,
    ReadLine,
    extract_page,
    infer_act_type,
    labels_number,
    value_text,
)
from pipeline.labels import RegisterModel, classify, load_model
from pipeline.layout import PageLayout, analyse, union
from pipeline.load import PageImage
from pipeline.values import clean_name, names_hijri_month
from records import Act, FieldValue, Issue, Source
from validation.lexicon import load as load_lexicon

LANG = {"ar": "ara", "fr": "fra"}
SIDE = {v: k for k, v in LANG.items()}
# Height every line image is brought to before OCR, padding included. Measured on Arabic and
# French field lines of generated pages: 28-33 px read best (Arabic names 0.79 -> 0.85 exact).
LINE_HEIGHT = 30
# Debian's `ara` model misreads Arabic-Indic digits (١٩٨١ as "192", measured on generated
# date lines); the Persian model, whose digits share most glyphs, reads them.
DIGIT_LANG = "fas"


@dataclass
class PageResult:
    """What one page gave: its acts (readings not yet validated) and how it went."""

    acts: list[Act]
    steps: list[str]
    lines: int
    unread: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def line_images(
    clean: CleanPage,
    layout: PageLayout,
    height: int | None = LINE_HEIGHT,
    indexes: Sequence[int] | None = None,
) -> list[tuple[str, np.ndarray, tuple[int, int], float]]:
    """Each line (or the lines at `indexes`) as (side, image to read, its origin on the
    page, its scale): the flattened grayscale page with rules and specks painted out
    (Tesseract thresholds a line crop better than our page binary does), padded, and resized
    to `height` pixels with area averaging (Tesseract's own rescaling of large lines reads
    worse); None: as found."""
    gray = clean.gray
    h, w = gray.shape
    pad = max(3, int(layout.text_height * 0.5))
    out = []
    lines = layout.lines if indexes is None else [layout.lines[i] for i in indexes]
    for line in lines:
        x, y, bw, bh = line.box
        x0, y0 = max(0, x - pad), max(0, y - pad)
        crop = gray[y0 : min(h, y + bh + pad), x0 : min(w, x + bw + pad)]
        scale = 1.0 if height is None else height / crop.shape[0]
        if scale != 1.0:
            interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
            crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=interpolation)
        out.append((line.side, crop, (x0, y0), scale))
    return out


# Heights (None: as found) an Arabic name line is read again at when its first reading
# holds a word no lexicon knows. Measured on the dev set's 348 Arabic name and place lines:
# exact 86.2 % at LINE_HEIGHT alone, 89.4 % with these readings kept when the first was
# unknown and one of them is all known words (11 % of the lines read again).
VARIANT_HEIGHTS = (26, 34, None)


def reread_doubtful(
    clean: CleanPage,
    layout: PageLayout,
    engine: OcrEngine,
    lines: list[ReadLine],
    plausible: Callable[[ReadLine], bool],
) -> list[ReadLine]:
    """Arabic lines whose reading is not `plausible` (a name no lexicon knows) read again at
    VARIANT_HEIGHTS; the most confident plausible reading replaces the first, if any."""
    doubtful = [
        i
        for i, line in enumerate(lines)
        if line.side == "ar" and line.ocr.text and not plausible(line)
    ]
    if not doubtful or len(lines) != len(layout.lines):
        return lines
    out = list(lines)
    for height in VARIANT_HEIGHTS:
        images = line_images(clean, layout, height, doubtful)
        results = engine.read_lines([image for _, image, _, _ in images], LANG["ar"])
        for i, ocr, (_, _, origin, scale) in zip(doubtful, results, images, strict=True):
            variant = replace(lines[i], ocr=ocr, origin=origin, scale=scale)
            if plausible(variant) and (
                out[i] is lines[i] or ocr.confidence > out[i].ocr.confidence
            ):
                out[i] = variant
    return out


def ocr_lines(
    clean: CleanPage,
    layout: PageLayout,
    engine: OcrEngine,
    lang: str | None = None,
    numeric: Callable[[ReadLine], bool] | None = None,
) -> list[ReadLine]:
    """OCR every line of the page in one language a line: `lang` when given, else the
    language of the line's column; a line of a page without columns is read in both and
    keeps the more confident reading. Arabic lines `numeric` picks (dates, numbers) are
    read again for their digits."""
    images = line_images(clean, layout)
    groups: dict[str, list[int]] = {}
    for i, line in enumerate(layout.lines):
        langs = [lang] if lang else [LANG[line.side]] if line.side else list(LANG.values())
        for one in langs:
            groups.setdefault(one, []).append(i)
    best: dict[int, ReadLine] = {}
    for one, indexes in groups.items():
        results = engine.read_lines([images[i][1] for i in indexes], one)
        for i, ocr in zip(indexes, results, strict=True):
            line, (_, _, origin, scale) = layout.lines[i], images[i]
            side = line.side or SIDE[one]
            if i not in best or ocr.confidence > best[i].ocr.confidence:
                best[i] = ReadLine(line.box, side, ocr, origin, scale)
    _reread_numbers(engine, images, best)
    if numeric is not None:
        _read_digits(engine, images, best, numeric)
    return [best[i] for i in sorted(best)]


def _read_digits(
    engine: OcrEngine, images: list, lines: dict[int, ReadLine], numeric: Callable[[ReadLine], bool]
) -> None:
    picked = [i for i, line in lines.items() if line.side == "ar" and numeric(line)]
    if not picked:
        return
    try:
        results = engine.read_lines([images[i][1] for i in picked], DIGIT_LANG)
    except OcrError:  # no Persian model installed: the Arabic model's digits stand alone
        return
    for i, ocr in zip(picked, results, strict=True):
        lines[i] = replace(lines[i], digits=ocr)


NUMBER_CHARS = "0123456789/-."


def _reread_numbers(engine: OcrEngine, images: list, lines: dict[int, ReadLine]) -> None:
    """Read again, as a number, each Arabic-column line that read as no Arabic letter: the
    Arabic model reads a number standing alone badly ("1442" as "101012", measured), the
    Latin model with a digit whitelist reads it right. The more confident reading stays."""
    picked = [
        i
        for i, line in lines.items()
        if line.side == "ar"
        and line.ocr.text
        and script_of(line.ocr.text) != "ar"
        and any(ch.isdigit() for ch in line.ocr.text)
    ]
    if not picked:
        return
    results = engine.read_lines([images[i][1] for i in picked], "fra", whitelist=NUMBER_CHARS)
    for i, ocr in zip(picked, results, strict=True):
        if ocr.text and ocr.confidence > lines[i].ocr.confidence:
            lines[i] = replace(lines[i], ocr=ocr)


def read_text(
    image: np.ndarray, engine: OcrEngine, lang: str | None = None, *, cleanup: bool = True
) -> list[str]:
    """The text of an image (a page or a single line), line by line, top to bottom.
    `lang` is "ara", "fra", or None / "ara+fra" to decide by column or line."""
    if lang == "ara+fra":
        lang = None
    clean = clean_page(image) if cleanup else binarize_only(image)
    layout = analyse(clean, columns=False)
    # Two columns (French left, Arabic right) only for a page of several lines.
    if lang is None and len(layout.lines) > 2:
        layout = analyse(clean)
    return [line.ocr.text for line in ocr_lines(clean, layout, engine, lang)]


def read_page(page: PageImage, engine: OcrEngine, model: RegisterModel | None = None) -> PageResult:
    """Read the acts of one page image. A page on which hardly a label can be read is read
    again turned upside down (scanned the wrong way round); the better reading wins."""
    model = model or load_model()
    result, labels = _read(page, engine, model, turn=0)
    if labels < max(3, 0.25 * result.lines):
        turned, turned_labels = _read(page, engine, model, turn=180)
        if turned_labels > labels:
            turned.seconds = {k: v + result.seconds.get(k, 0.0) for k, v in turned.seconds.items()}
            return turned
    return result


def _read(
    page: PageImage, engine: OcrEngine, model: RegisterModel, turn: int
) -> tuple[PageResult, int]:
    """One reading of a page; and how many of its lines carried a recognised label."""
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    clean = clean_page(page.image, turn)
    layout = analyse(clean)
    t1 = time.perf_counter()
    lines = ocr_lines(clean, layout, engine, numeric=lambda line: _holds_number(line, model))
    lines = reread_doubtful(clean, layout, engine, lines, lambda line: _known_value(line, model))
    t2 = time.perf_counter()
    draft = extract_page(
        lines,
        model,
        line_height=_line_height(layout),
        engine=f"{engine.name} {engine.version}",
        locate=clean.box_to_source,
    )
    acts = [
        _to_act(act, draft.header, Source(page.file.name, page.page_no, _act_box(act, clean)))
        for act in draft.acts
    ]
    t3 = time.perf_counter()
    seconds.update(cleanup=t1 - t0, ocr=t2 - t1, extract=t3 - t2)
    unread = draft.unread + [text for act in draft.acts for text in act.unread]
    return PageResult(acts, clean.steps, len(lines), unread, seconds), draft.labels


def _holds_number(line: ReadLine, model: RegisterModel) -> bool:
    """Whether a line is labelled as a date, an act number, the year or the page, or may
    be a date line's wrapped end: a Hijri month's name, or a number alone (its year)."""
    cls = classify(line.tokens, line.side, model)
    if cls is None:
        return names_hijri_month(line.ocr.text) or _number_alone(line.ocr.text)
    return labels_number(cls)


def _number_alone(text: str) -> bool:
    """Two digits or more and hardly a letter (`1674`, `1١1614`: Arabic-Indic digits the
    Arabic model misread)."""
    return sum(ch.isdigit() for ch in text) >= 2 and sum(ch.isalpha() for ch in text) <= 2


def _known_value(line: ReadLine, model: RegisterModel) -> bool:
    """Whether a line is anything but a name or place field whose value holds a word the
    lexicons do not know."""
    cls = classify(line.tokens, line.side, model)
    if cls is None or cls.kind != "field" or cls.target in ("act_number", "sex"):
        return True
    if cls.target.endswith("date"):
        return True
    value = clean_name(value_text(line, cls))
    if not value:
        return False
    lexicon = load_lexicon()
    if "place" in cls.target:
        return lexicon.knows_place(value, line.side)
    return not lexicon.unknown_name_words(value, line.side)


def _act_box(act: ActDraft, clean: CleanPage) -> tuple[int, int, int, int] | None:
    return clean.box_to_source(union(act.boxes)) if act.boxes else None


def _line_height(layout: PageLayout) -> float:
    heights = sorted(line.box[3] for line in layout.lines)
    return float(heights[len(heights) // 2]) if heights else layout.text_height * 2


def _to_act(draft: ActDraft, header: dict[str, list[FieldValue]], source: Source) -> Act:
    readings = {key: list(values) for key, values in header.items() if key != "country"}
    for key, values in draft.readings.items():
        readings.setdefault(key, []).extend(values)
    if "act_type" not in readings:
        readings["act_type"] = [
            FieldValue(
                value=infer_act_type(draft.readings),
                confidence=0.5,
                engine="inferred",
                notes=["the page header did not name the register type; inferred from the fields"],
            )
        ]
    act = Act(readings=readings, source=source, marginal_notes=list(draft.notes))
    # Lines of the act no label explained (junk with fewer than 3 letters aside): the
    # reviewer should see what was not read.
    unread = [text for text in draft.unread if sum(ch.isalpha() for ch in text) >= 3]
    if unread:
        act.issues.append(Issue("unread_lines", "lines no label explained: " + " | ".join(unread)))
    return act
