"""Tesseract behind the `OcrEngine` interface, in-process through tesserocr.

One engine per language, mode and character set is kept loaded per thread: loading a model
costs far more than reading a line (measured ~20 ms a line in-process against ~290 ms a line
through the command line).
"""

from __future__ import annotations

import os
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

# Pages run in parallel, one engine a thread; an OpenMP-built Tesseract must not also fan out.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
import tesserocr

from ocr.engine import OcrError, OcrLine, OcrWord
from ocr.text import is_arabic_char

PSM_LINE = tesserocr.PSM.SINGLE_LINE  # 7
PSM_RAW_LINE = tesserocr.PSM.RAW_LINE  # 13: the fallback when a line reads empty
PSM_BLOCK = tesserocr.PSM.SINGLE_COLUMN  # 4
_RIGHT_TO_LEFT = 2  # tesseract::StrongScriptDirection DIR_RIGHT_TO_LEFT
_MIXED = 3  # DIR_MIX

_TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
)


def find_tessdata(explicit: str | None = None) -> str:
    """The folder holding Tesseract's language models: argument, $TESSDATA_PREFIX, Debian's."""
    candidates = [explicit, os.environ.get("TESSDATA_PREFIX"), *_TESSDATA_DIRS]
    for folder in candidates:
        if folder and any(Path(folder).glob("*.traineddata")):
            return folder.rstrip("/") + "/"
    raise OcrError(
        "no Tesseract language data found (looked in $TESSDATA_PREFIX and "
        f"{', '.join(_TESSDATA_DIRS)}): install tesseract-ocr-ara and tesseract-ocr-fra"
    )


class TesseractEngine:
    """Tesseract (LSTM models) for Arabic and French lines and blocks."""

    name = "tesseract"

    def __init__(self, tessdata: str | None = None, dpi: int = 300) -> None:
        self.tessdata = find_tessdata(tessdata)
        self.version = tesserocr.tesseract_version().split()[1]
        self.languages = set(tesserocr.get_languages(self.tessdata)[1])
        self.dpi = dpi
        self._local = threading.local()

    def __repr__(self) -> str:
        return f"TesseractEngine({self.version}, {self.tessdata})"

    def _api(self, lang: str, psm: int, whitelist: str | None) -> tesserocr.PyTessBaseAPI:
        apis = self._local.__dict__.setdefault("apis", {})
        key = (lang, psm, whitelist)
        if key not in apis:
            missing = [part for part in lang.split("+") if part not in self.languages]
            if missing:
                raise OcrError(
                    f"Tesseract has no model for {'+'.join(missing)} in {self.tessdata}: "
                    f"install tesseract-ocr-{missing[0]}"
                )
            api = tesserocr.PyTessBaseAPI(
                path=self.tessdata, lang=lang, psm=psm, oem=tesserocr.OEM.LSTM_ONLY
            )
            api.SetVariable("user_defined_dpi", str(self.dpi))
            # Tesseract reads a doubtful line a second time inverted (light text on dark):
            # civreg's lines are dark ink on flattened paper.
            api.SetVariable("tessedit_do_invert", "0")
            if whitelist:
                api.SetVariable("tessedit_char_whitelist", whitelist)
            apis[key] = api
        return apis[key]

    def _set_image(self, api: tesserocr.PyTessBaseAPI, image: np.ndarray) -> None:
        if image.ndim != 2 or image.dtype != np.uint8:
            raise OcrError(f"expected a 2-D uint8 grayscale image, got {image.dtype} {image.shape}")
        image = np.ascontiguousarray(image)
        height, width = image.shape
        api.SetImageBytes(image.tobytes(), width, height, 1, width)

    def read_lines(
        self, images: Sequence[np.ndarray], lang: str, *, whitelist: str | None = None
    ) -> list[OcrLine]:
        out = []
        for image in images:
            line = self._read_line(image, lang, PSM_LINE, whitelist)
            if not line.text:
                line = self._read_line(image, lang, PSM_RAW_LINE, whitelist)
            out.append(line)
        return out

    def _read_line(self, image: np.ndarray, lang: str, psm: int, whitelist: str | None) -> OcrLine:
        api = self._api(lang, psm, whitelist)
        self._set_image(api, image)
        api.Recognize()
        iterator = api.GetIterator()
        words = tuple(w for w, _ in walk_words(iterator)) if iterator else ()
        line = _line(words, lang, f"psm{int(psm)}")
        # The engine's own line text is in logical order even for mixed-direction lines,
        # unless it took an Arabic line for a left-to-right one (a doubtful reading: its
        # words are "mixed"), giving its words in visual order.
        text = " ".join(_strip_controls(api.GetUTF8Text()).split())
        return replace(line, text=text) if text and not _visual(text, words) else line

    def read_block(self, image: np.ndarray, lang: str) -> list[OcrLine]:
        api = self._api(lang, PSM_BLOCK, None)
        self._set_image(api, image)
        api.Recognize()
        lines: list[OcrLine] = []
        iterator = api.GetIterator()
        if iterator is None:
            return lines
        current: list[OcrWord] = []
        for word, starts_line in walk_words(iterator):
            if starts_line and current:
                lines.append(_line(tuple(current), lang, f"psm{int(PSM_BLOCK)}"))
                current = []
            current.append(word)
        if current:
            lines.append(_line(tuple(current), lang, f"psm{int(PSM_BLOCK)}"))
        return lines


def walk_words(iterator: tesserocr.PyResultIterator) -> Iterator[tuple[OcrWord, bool]]:
    """Words in reading order, each with whether it starts a new text line."""
    level = tesserocr.RIL.WORD
    for item in tesserocr.iterate_level(iterator, level):
        try:
            text = item.GetUTF8Text(level)
        except RuntimeError:  # tesserocr's way of saying the word has no text
            continue
        text = _strip_controls(text or "")
        if not text.strip():
            continue
        direction = item.WordDirection()
        if direction == _RIGHT_TO_LEFT or (direction == _MIXED and _arabic_letters_only(text)):
            text = unicodedata.normalize("NFC", _reverse_graphemes(text.strip()))
        bbox = item.BoundingBox(level)
        box = (bbox[0], bbox[1], bbox[2] - bbox[0], bbox[3] - bbox[1]) if bbox else (0, 0, 0, 0)
        word = OcrWord(text.strip(), max(0.0, item.Confidence(level)) / 100.0, box)
        yield word, item.IsAtBeginningOf(tesserocr.RIL.TEXTLINE)


# Bidi controls Tesseract puts around left-to-right runs in Arabic lines: formatting, not text.
_BIDI_CONTROLS = dict.fromkeys(
    map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c")
)


def _strip_controls(text: str) -> str:
    """Text as civreg stores it: bidi controls removed, composed (NFC) characters."""
    return unicodedata.normalize("NFC", text.translate(_BIDI_CONTROLS))


def _arabic_letters_only(text: str) -> bool:
    """Arabic letters (and punctuation), no digit or Latin letter: a word Tesseract called
    of mixed direction that can only be right-to-left, so given in visual order too."""
    letters = [ch for ch in text if ch.isalnum()]
    return bool(letters) and all(is_arabic_char(ch) and not ch.isdigit() for ch in letters)


def _visual(text: str, words: Sequence[OcrWord]) -> bool:
    """Whether the engine's line text holds the Arabic words in visual order (each the
    reverse of a word as `walk_words` turned it)."""
    arabic = [w.text for w in words if _arabic_letters_only(w.text)]
    return bool(arabic) and all(
        _reverse_graphemes(w) in text and w not in text for w in arabic if len(w) > 1
    )


def _reverse_graphemes(text: str) -> str:
    """Reverse a word's characters, keeping combining marks after their base letter.
    Tesseract's word iterator gives right-to-left words in visual order."""
    clusters: list[str] = []
    for ch in text:
        if clusters and unicodedata.combining(ch):
            clusters[-1] += ch
        else:
            clusters.append(ch)
    return "".join(reversed(clusters))


def _line(words: tuple[OcrWord, ...], lang: str, mode: str) -> OcrLine:
    text = " ".join(w.text for w in words)
    conf = sum(w.confidence for w in words) / len(words) if words else 0.0
    return OcrLine(text=text, confidence=conf, words=words, lang=lang, mode=mode)
