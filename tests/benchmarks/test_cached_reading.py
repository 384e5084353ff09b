"""The development harness's OCR cache: a line image is read once, by its pixels."""

from __future__ import annotations

import numpy as np

from benchmarks.cached_reading import CachedEngine
from ocr.engine import OcrLine


class CountingEngine:
    name, version = "fake", "0"

    def __init__(self) -> None:
        self.read: list[tuple[int, str, str | None]] = []

    def read_lines(self, images, lang, *, whitelist=None):
        self.read += [(int(image.sum()), lang, whitelist) for image in images]
        return [OcrLine(str(int(image.sum())), 0.9, (), lang, "psm7") for image in images]


def test_a_line_is_read_again_only_when_its_pixels_language_or_whitelist_change():
    inner = CountingEngine()
    engine = CachedEngine(inner, {})
    a, b = np.zeros((4, 6), np.uint8), np.ones((4, 6), np.uint8)
    first = engine.read_lines([a, b], "ara")
    again = engine.read_lines([b.copy(), a.copy()], "ara")
    assert [line.text for line in again] == [first[1].text, first[0].text]
    assert len(inner.read) == 2 and engine.misses == 2
    engine.read_lines([a], "fra")
    engine.read_lines([a], "ara", whitelist="0123456789")
    engine.read_lines([a.reshape(6, 4)], "ara")  # same bytes, another shape
    assert len(inner.read) == 5 and engine.misses == 5
