"""The OCR engine interface: images of text lines in, text with word boxes and confidences out.

Engines are plugs (Tesseract now; a handwriting engine later). Callers decide the script of
a region before OCR and ask for one language; a batch of lines is read in one call so an
engine can keep its model loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

Box = tuple[int, int, int, int]  # x, y, width, height within the image that was read


class OcrError(Exception):
    """The engine could not run (missing language data, crash, time-out)."""


@dataclass(frozen=True)
class OcrWord:
    text: str
    confidence: float  # the engine's own score scaled to [0, 1]
    box: Box


@dataclass(frozen=True)
class OcrLine:
    """What an engine read on one line image, in logical (reading) order."""

    text: str
    confidence: float  # mean of the word confidences; 0 when nothing was read
    words: tuple[OcrWord, ...]
    lang: str
    mode: str  # how it was read, e.g. "psm7" or "psm13" (the empty-output fallback)

    @property
    def min_confidence(self) -> float:
        return min((w.confidence for w in self.words), default=0.0)


class OcrEngine(Protocol):
    """Reads text from images. Implementations must be safe to call from several threads."""

    name: str
    version: str

    def read_lines(
        self, images: Sequence[np.ndarray], lang: str, *, whitelist: str | None = None
    ) -> list[OcrLine]:
        """Read each image as one line of text in `lang` ("ara" or "fra").
        `whitelist` limits the characters (digits for numeric fields)."""
        ...

    def read_block(self, image: np.ndarray, lang: str) -> list[OcrLine]:
        """Read an image holding several lines (a page or a column), line by line."""
        ...
