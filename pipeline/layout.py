"""Layout: where the text lines of a cleaned page are, and in which column.

Register pages are bilingual: Arabic in the right half, French in the left (register-forms.md).
The gutter between them is the emptiest vertical band near the middle (or a ruled line
there); each column is cut into lines by its horizontal ink profile. Which lines form the
header and which form each act is decided later from what the lines say (their labels),
since rules and boxes vary from one register model to the next.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import cv2
import numpy as np

from pipeline.cleanup import CleanPage

Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class TextLine:
    """One line of text: its box in cleaned-page pixels and its column ("ar" right, "fr"
    left, "" on a page without columns)."""

    box: Box
    side: str

    @property
    def center_y(self) -> float:
        return self.box[1] + self.box[3] / 2


@dataclass(frozen=True)
class PageLayout:
    content: Box
    gutter: int | None
    lines: tuple[TextLine, ...]  # top to bottom, both columns
    text_height: float

    def side(self, side: str) -> list[TextLine]:
        return [line for line in self.lines if line.side == side]


def union(boxes: list[Box]) -> Box:
    """The box around boxes (x, y, w, h)."""
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[0] + b[2] for b in boxes), max(b[1] + b[3] for b in boxes)
    return x0, y0, x1 - x0, y1 - y0


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of each run of True values."""
    padded = np.concatenate(([False], mask, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def content_box(binary: np.ndarray, text_height: float) -> Box:
    """The area holding the text, ignoring stray specks near the edges."""
    h, w = binary.shape
    min_ink = max(2.0, text_height * 0.5)
    rows = np.flatnonzero(np.count_nonzero(binary, axis=1) >= min_ink)
    cols = np.flatnonzero(np.count_nonzero(binary, axis=0) >= min_ink)
    if len(rows) == 0 or len(cols) == 0:
        return 0, 0, w, h
    return int(cols[0]), int(rows[0]), int(cols[-1] - cols[0] + 1), int(rows[-1] - rows[0] + 1)


def find_gutter(
    binary: np.ndarray, content: Box, rules_v_x: list[int], text_height: float
) -> int | None:
    """The x of the boundary between the French (left) and Arabic (right) columns: a ruled
    line near the middle, or the x near the middle crossed by the fewest rows of ink (a
    stamp or a long line may cross a gutter; most lines of a one-column page do). None
    when no x is clear enough (a page in one column)."""
    x, y, w, h = content
    lo, hi = x + int(w * 0.3), x + int(w * 0.7)
    near_middle = [rx for rx in rules_v_x if lo <= rx <= hi]
    if near_middle:
        middle = x + w / 2
        return int(min(near_middle, key=lambda rx: abs(rx - middle)))
    if hi - lo < 3 or h < 1:
        return None
    reach = max(1, int(text_height * 0.3))
    # The band reaches `reach` beyond [lo, hi) on each side, clipped to the image (on an image
    # narrower than that, slicing from a negative x left nothing to take the minimum of).
    left, right = max(0, lo - reach), min(binary.shape[1], hi + reach)
    middle_band = binary[y : y + h, left:right]
    spread = cv2.dilate(middle_band, np.ones((1, 2 * reach + 1), np.uint8))
    spread = spread[:, lo - left : hi - left]
    rows = np.count_nonzero(spread, axis=0)
    best = int(rows.min())
    if best > 0.2 * h:
        return None
    # The centre of the stretch as clear as the clearest x.
    clear = _runs(rows <= best + max(2, 0.01 * h))
    start, end = max(clear, key=lambda r: r[1] - r[0])
    return lo + (start + end) // 2


def line_pitch(profile: np.ndarray, text_height: float) -> float | None:
    """The distance between consecutive text lines, from the autocorrelation of the row
    ink profile; it holds even where lines touch. Each row is first divided by the
    strongest row near it, so that a one-word line counts as much as a full one. None for
    fewer than two lines."""
    ink = profile.astype(np.float32).reshape(-1, 1)
    reach = max(3, int(text_height * 4) | 1)
    local_max = cv2.dilate(ink, np.ones((reach, 1), np.uint8))
    p = (ink / np.maximum(local_max, 1.0)).ravel().astype(np.float64)
    p -= p.mean()
    n = len(p)
    lo, hi = int(text_height * 1.2), min(n - 1, int(text_height * 6))
    if hi <= lo + 2:
        return None
    spectrum = np.fft.rfft(p, 2 * n)
    ac = np.fft.irfft(spectrum * np.conj(spectrum))[:n]
    window = ac[lo:hi]
    if window.max() <= 0:
        return None
    # The first clear peak: later peaks are multiples of the pitch, and may be higher
    # where long and short lines alternate.
    peaks = [
        i
        for i in range(1, len(window) - 1)
        if window[i] >= window[i - 1] and window[i] >= window[i + 1]
    ]
    floor = max(0.5 * window.max(), 0.1 * ac[0])
    strong = [i for i in peaks if window[i] >= floor]
    return float(lo + (strong[0] if strong else int(np.argmax(window))))


def find_lines(
    binary: np.ndarray, text_height: float, faint: np.ndarray | None = None
) -> list[Box]:
    """Text lines of one column image (text = 255), as boxes in that image's pixels; each
    widened over the `faint` ink (same pixels) that continues it."""
    if binary.size == 0:
        return []
    th = max(text_height, 4.0)
    profile = np.count_nonzero(binary, axis=1)
    pitch = line_pitch(profile, th) or th * 2
    bands = _attach_small(_runs(profile > 0), profile, pitch)
    out: list[Box] = []
    for top, bottom in bands:
        for top2, bottom2 in _split_band(profile, top, bottom, pitch):
            box = _line_box(binary, top2, bottom2, th, faint)
            if box is not None:
                out.append(box)
    return out


def _merge_close(runs: list[tuple[int, int]], gap: int) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in runs:
        if merged and start - merged[-1][1] <= gap:
            merged[-1][1] = end
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def _attach_small(
    runs: list[tuple[int, int]], profile: np.ndarray, pitch: float
) -> list[tuple[int, int]]:
    """Join dots, marks and broken-off strokes (bands much shorter than a line) to the
    nearest band, never two full lines to each other."""
    small = pitch * 0.45
    bands = [list(r) for r in runs]
    changed = True
    while changed and len(bands) > 1:
        changed = False
        for i, (top, bottom) in enumerate(bands):
            if bottom - top >= small:
                continue
            gaps = []
            if i > 0:
                gaps.append((top - bands[i - 1][1], i - 1))
            if i + 1 < len(bands):
                gaps.append((bands[i + 1][0] - bottom, i + 1))
            gap, j = min(gaps)
            merged = (min(top, bands[j][0]), max(bottom, bands[j][1]))
            if gap <= pitch * 0.4 and merged[1] - merged[0] <= pitch * 1.3:
                bands[j] = list(merged)
                del bands[i]
                changed = True
                break
    return [(a, b) for a, b in bands]


def _split_band(profile: np.ndarray, top: int, bottom: int, pitch: float) -> list[tuple[int, int]]:
    """Cut a band holding several touching lines into one band a line, each cut at the
    weakest row near where the line pitch puts it."""
    count = round((bottom - top) / pitch)
    if count <= 1:
        return [(top, bottom)]
    cuts = [top]
    for k in range(1, count):
        expected = top + (bottom - top) * k / count
        lo = int(max(cuts[-1] + pitch * 0.5, expected - pitch * 0.35))
        hi = int(min(bottom - pitch * 0.5, expected + pitch * 0.35))
        if hi <= lo:
            continue
        cuts.append(lo + int(np.argmin(profile[lo:hi])))
    cuts.append(bottom)
    return list(itertools.pairwise(cuts))


def _line_box(
    binary: np.ndarray, top: int, bottom: int, th: float, faint: np.ndarray | None = None
) -> Box | None:
    """The box of the ink between two rows, without specks lying far from the words;
    None when the band holds too little ink to be text."""
    band = binary[top:bottom]
    cols = np.count_nonzero(band, axis=0)
    groups = _merge_close(_runs(cols > 0), gap=int(th * 3))
    kept = [
        (a, b)
        for a, b in groups
        if cols[a:b].sum() >= th * th * 0.3 and not _rule_piece(band[:, a:b], th)
    ]
    if not kept or bottom - top < th * 0.45:
        return None
    x0, x1 = kept[0][0], kept[-1][1]
    rows = np.flatnonzero(np.count_nonzero(band[:, x0:x1], axis=1))
    y0, y1 = top + int(rows[0]), top + int(rows[-1]) + 1
    if faint is not None:
        x0, x1 = _widen_over_faint(faint[top:bottom], x0, x1, th)
    return int(x0), y0, int(x1 - x0), int(y1 - y0)


def _widen_over_faint(faint: np.ndarray, x0: int, x1: int, th: float) -> tuple[int, int]:
    """A line's [x0, x1) widened over the faint ink beside it, when a word's worth of it
    starts within a word gap (three letters' height: a colon may have faded too) on either
    side: a value faded beside its label (the Arabic value left of its label, the French
    right). The faint rim of the line's own strokes is passed over: it would join the line
    to any speck or piece of rule near it."""
    ink = np.count_nonzero(faint, axis=0)
    gap, rim = int(th * 3), max(1, int(th * 0.25))

    def word(a: int, b: int) -> bool:  # wider than a piece of rule, a letter's ink
        return b - a >= th * 0.5 and ink[a:b].sum() >= th * th * 0.3

    start = min(len(ink), x1 + rim)
    right = _merge_close(_runs(ink[start:] > 0), gap)
    if right and right[0][0] <= gap and word(start + right[0][0], start + right[0][1]):
        x1 = start + right[0][1]
    end = max(0, x0 - rim)
    left = _merge_close(_runs(ink[:end] > 0), gap)
    if left and end - left[-1][1] <= gap and word(*left[-1]):
        x0 = left[-1][0]
    return x0, x1


def _rule_piece(group: np.ndarray, th: float) -> bool:
    """Whether a group of columns apart from the words is a piece of a vertical rule that
    cleanup left (a thin one, broken or slanted): narrow, and inked on nearly every row of
    the band. Kept in a line's box, it stretched the line to the whole band, and the line,
    scaled to the reading height by its box, was read at a third of its size."""
    if group.shape[1] > max(3, int(th * 0.25)):
        return False
    return np.count_nonzero(group.any(axis=1)) >= 0.9 * group.shape[0]


def analyse(page: CleanPage, *, columns: bool = True) -> PageLayout:
    """Find the columns and the text lines of a cleaned page. With `columns`, a page with a
    gutter is read as French left / Arabic right; lines of a page without one (or with
    `columns=False`) have no side ("")."""
    binary, th = page.binary, page.text_height or 20.0
    content = content_box(binary, th)
    gutter = find_gutter(binary, content, [r.x0 for r in page.rules_v], th) if columns else None
    x, y, w, h = content
    spans = [("", x, x + w)] if gutter is None else [("fr", x, gutter), ("ar", gutter, x + w)]
    lines: list[TextLine] = []
    for side, x0, x1 in spans:
        column, faint, lo = binary[y : y + h, x0:x1], None, x0
        if page.faint is not None:
            # Faded values may reach past the content the page binary sees: the faint ink is
            # read out to the column's edge (the page's, or the gutter).
            lo = 0 if side != "ar" else x0
            hi = binary.shape[1] if side != "fr" else x1
            column = np.zeros((h, hi - lo), np.uint8)
            column[:, x0 - lo : x1 - lo] = binary[y : y + h, x0:x1]
            faint = page.faint[y : y + h, lo:hi]
        for bx, by, bw, bh in find_lines(column, th, faint):
            lines.append(TextLine((lo + bx, y + by, bw, bh), side))
    lines.sort(key=lambda line: (line.center_y, line.side))
    return PageLayout(content, gutter, tuple(lines), th)
