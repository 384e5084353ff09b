"""Drawing a clean register page: two ink layers (printed form, written entries) and act boxes."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from sample_scans import fonts
from sample_scans.content import Cell, PageContent, Row

PAPER_MM = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
FORM, ENTRY = 0, 1  # layers


def page_size(paper: str, dpi: int) -> tuple[int, int]:
    """(width, height) in pixels."""
    w_mm, h_mm = PAPER_MM[paper]
    return round(w_mm / 25.4 * dpi), round(h_mm / 25.4 * dpi)


@dataclass(frozen=True)
class RenderedPage:
    """Ink coverage (0-255) of the printed form and of the entries, and where each act is."""

    form: np.ndarray
    entries: np.ndarray
    act_boxes: tuple[tuple[int, int, int, int], ...]  # (x, y, w, h)
    dpi: int


@dataclass(frozen=True)
class _Seg:
    text: str
    family: str
    layer: int
    bold: bool = False


@dataclass(frozen=True)
class _Geometry:
    dpi: int
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    gutter: float

    def mm(self, value: float) -> float:
        return value * self.dpi / 25.4

    @property
    def col_width(self) -> float:
        return (self.width - self.left - self.right - self.gutter) / 2

    def columns(self, inset: float) -> tuple[tuple[float, float], tuple[float, float]]:
        """(x0, x1) of the French (left) and Arabic (right) columns."""
        fr = (self.left + inset, self.left + self.col_width - inset / 2)
        ar = (self.width - self.right - self.col_width + inset / 2, self.width - self.right - inset)
        return fr, ar


def _font(seg: _Seg, size: int, rtl: bool):
    return fonts.load_font(seg.family, round(size * fonts.size_factor(seg.family, rtl)), seg.bold)


def _resolved(text: str, family: str) -> str:
    """The family itself, or the fallback for a word it has no glyphs for."""
    return family if fonts.supports(family, text) else fonts.FALLBACK_FAMILY


def _measure(seg: _Seg, size: int, rtl: bool) -> float:
    font = _font(seg, size, rtl)
    if rtl and fonts.HAS_RAQM:
        return font.getlength(seg.text, direction="rtl", language="ar")
    return font.getlength(fonts.visual_order(seg.text) if rtl else seg.text)


def _wrap(segs: list[_Seg], size: int, width: float, rtl: bool, indent: float) -> list[list[_Seg]]:
    """Greedy word wrap; each line is a list of runs (segments of one font and layer)."""
    tokens = [
        _Seg(word, _resolved(word, s.family), s.layer, s.bold)
        for s in segs
        for word in re.findall(r"\S+\s*|\s+", s.text)
    ]
    lines: list[list[_Seg]] = [[]]
    used = 0.0
    for tok in tokens:
        w = _measure(tok, size, rtl)
        limit = width - (indent if len(lines) > 1 else 0)
        if lines[-1] and used + w > limit and tok.text.strip():
            lines.append([])
            used = 0.0
        if not lines[-1] and not tok.text.strip():
            continue
        lines[-1].append(tok)
        used += w
    merged: list[list[_Seg]] = []
    for line in lines:
        runs: list[_Seg] = []
        for tok in line:
            if runs and (runs[-1].family, runs[-1].layer, runs[-1].bold) == (
                tok.family,
                tok.layer,
                tok.bold,
            ):
                runs[-1] = _Seg(runs[-1].text + tok.text, tok.family, tok.layer, tok.bold)
            else:
                runs.append(tok)
        if runs:
            runs[-1] = _Seg(runs[-1].text.rstrip(), runs[-1].family, runs[-1].layer, runs[-1].bold)
        merged.append(runs)
    return [line for line in merged if line]


class _Painter:
    """Draws runs of text and rules onto the two layers."""

    def __init__(self, size: tuple[int, int], rng: random.Random, jitter: float) -> None:
        self.layers = [Image.new("L", size, 0), Image.new("L", size, 0)]
        self.draws = [ImageDraw.Draw(layer) for layer in self.layers]
        self.rng = rng
        self.jitter = jitter

    def line_of_text(
        self,
        runs: list[_Seg],
        size: int,
        x0: float,
        x1: float,
        baseline: float,
        rtl: bool,
        indent: float = 0.0,
    ) -> None:
        x = x1 - indent if rtl else x0 + indent
        for run in runs:
            w = _measure(run, size, rtl)
            dx = dy = 0.0
            if run.layer == ENTRY and self.jitter:
                dy = self.rng.gauss(0, self.jitter * size)
                dx = self.rng.uniform(-0.2, 0.2) * size * self.jitter * 5
            left = x - w if rtl else x
            font = _font(run, size, rtl)
            draw = self.draws[run.layer]
            pos = (left + dx, baseline + dy)
            if rtl and fonts.HAS_RAQM:
                draw.text(
                    pos, run.text, font=font, fill=255, anchor="ls", direction="rtl", language="ar"
                )
            elif rtl:
                draw.text(pos, fonts.visual_order(run.text), font=font, fill=255, anchor="ls")
            else:
                draw.text(pos, run.text, font=font, fill=255, anchor="ls")
            x = x - w if rtl else x + w

    def rule(self, xy: tuple[float, float, float, float], width: int, fill: int = 255) -> None:
        self.draws[FORM].line([round(v) for v in xy], fill=fill, width=width)

    def box(self, xy: tuple[float, float, float, float], width: int) -> None:
        self.draws[FORM].rectangle([round(v) for v in xy], outline=255, width=width)


def _cell_segments(cell: Cell, label_font: str, value_font: str, kind: str) -> list[_Seg]:
    if kind == "header":
        return [_Seg(cell.label, label_font, FORM)]
    segs = []
    if cell.label:
        segs += [_Seg(cell.label, label_font, FORM), _Seg(cell.sep, label_font, FORM)]
    if cell.value:
        segs.append(_Seg(cell.value, value_font, ENTRY))
    return segs


@dataclass(frozen=True)
class _Scale:
    size: int  # font size in px
    line: float  # line height in px


def _layout_rows(
    rows: tuple[Row, ...],
    page: PageContent,
    geo: _Geometry,
    scale: _Scale,
    inset: float,
    header: bool,
):
    """[(row, ar_lines, fr_lines, height)] for a block of rows."""
    st = page.register.model.style
    (fx0, fx1), (ax0, ax1) = geo.columns(inset)
    out = []
    for row in rows:
        size = round(scale.size * (1.08 if header else 1.0))
        indent = scale.size * 1.2 if row.kind == "note" else 0.0
        ar_lines: list[list[_Seg]] = []
        fr_lines: list[list[_Seg]] = []
        if row.ar is not None:
            segs = _cell_segments(row.ar, st.ar_font, st.ar_value_font, row.kind)
            ar_lines = _wrap(segs, size, ax1 - ax0 - indent, True, scale.size * 1.2)
        if row.fr is not None:
            segs = _cell_segments(row.fr, st.lat_font, st.lat_value_font, row.kind)
            fr_lines = _wrap(segs, size, fx1 - fx0 - indent, False, scale.size * 1.2)
        n = max(len(ar_lines), len(fr_lines), 1)
        out.append((row, ar_lines, fr_lines, n * scale.line * (1.05 if header else 1.0), size))
    return out


def _bold_header(page: PageContent, row_index: int) -> bool:
    st = page.register.model.style
    return st.header_bold and row_index in (0, len(page.header) - 3)


def _heights(page: PageContent, geo: _Geometry, scale: _Scale, inset: float) -> float:
    total = sum(h for *_, h, _ in _layout_rows(page.header, page, geo, scale, 0, True))
    total += scale.line
    for act in page.acts:
        total += sum(h for *_, h, _ in _layout_rows(act.rows, page, geo, scale, inset, False))
        total += scale.line * 1.2 + 2 * inset
    return total


def render_page(page: PageContent, dpi: int, rng: random.Random) -> RenderedPage:
    """Draw a page at dpi; rng varies margins and the jitter of typed values."""
    reg = page.register
    st = reg.model.style
    width, height = page_size(reg.paper, dpi)
    mm = dpi / 25.4
    geo = _Geometry(
        dpi,
        width,
        height,
        left=rng.uniform(14, 22) * mm,
        right=rng.uniform(12, 18) * mm,
        top=rng.uniform(10, 18) * mm,
        bottom=10 * mm,
        gutter=rng.uniform(6, 12) * mm,
    )
    boxed = st.separator == "box"
    inset = geo.mm(2.5) if boxed else 0.0
    factor = 1.0
    while True:
        size = max(6, round(st.pt * factor * dpi / 72))
        scale = _Scale(size, size * st.spacing * (1.0 if factor > 0.8 else factor / 0.8))
        if _heights(page, geo, scale, inset) <= height - geo.top - geo.bottom or factor < 0.55:
            break
        factor *= 0.95
    painter = _Painter((width, height), rng, st.typed_jitter)
    rule_w = max(1, round(geo.mm(0.25)))
    ledger_w = max(1, round(geo.mm(0.12)))
    ascent = scale.size * 0.95
    y = geo.top
    for i, (_, ar_lines, fr_lines, h, size) in enumerate(
        _layout_rows(page.header, page, geo, scale, 0, True)
    ):
        bold = _bold_header(page, i)
        (fx0, fx1), (ax0, ax1) = geo.columns(0)
        for k, runs in enumerate(ar_lines):
            runs = [_Seg(r.text, r.family, r.layer, bold) for r in runs]
            painter.line_of_text(runs, size, ax0, ax1, y + ascent + k * scale.line, True)
        for k, runs in enumerate(fr_lines):
            runs = [_Seg(r.text, r.family, r.layer, bold) for r in runs]
            painter.line_of_text(runs, size, fx0, fx1, y + ascent + k * scale.line, False)
        y += h
    y += scale.line * 0.5
    x_left, x_right = geo.left, width - geo.right
    if not boxed:
        painter.rule((x_left, y, x_right, y), rule_w)
    y += scale.line * 0.5
    boxes = []
    (fx0, fx1), (ax0, ax1) = geo.columns(inset)
    for act in page.acts:
        top = y
        y += inset + scale.line * 0.2
        laid_out = _layout_rows(act.rows, page, geo, scale, inset, False)
        for row, ar_lines, fr_lines, h, size in laid_out:
            indent = scale.size * 1.2 if row.kind == "note" else 0.0
            for k in range(max(len(ar_lines), len(fr_lines))):
                baseline = y + ascent + k * scale.line
                if k < len(ar_lines):
                    painter.line_of_text(
                        ar_lines[k],
                        size,
                        ax0,
                        ax1,
                        baseline,
                        True,
                        indent + (scale.size * 1.2 if k else 0),
                    )
                if k < len(fr_lines):
                    painter.line_of_text(
                        fr_lines[k],
                        size,
                        fx0,
                        fx1,
                        baseline,
                        False,
                        indent + (scale.size * 1.2 if k else 0),
                    )
                if st.ledger:
                    ly = baseline + scale.size * 0.3
                    painter.rule((fx0, ly, fx1, ly), ledger_w, 170)
                    painter.rule((ax0, ly, ax1, ly), ledger_w, 170)
            y += h
        y += inset + scale.line * 0.4
        bottom = y
        if boxed:
            painter.box((x_left, top, x_right, bottom), rule_w)
        else:
            painter.rule((x_left, bottom, x_right, bottom), rule_w)
        if st.vertical_rule:
            mid = (fx1 + ax0) / 2
            painter.rule((mid, top + inset, mid, bottom - inset), max(1, rule_w - 1))
        boxes.append((round(x_left), round(top), round(x_right - x_left), round(bottom - top)))
        y += scale.line * (0.8 if boxed else 0.6)
    form, entries = (np.asarray(layer) for layer in painter.layers)
    return RenderedPage(form, entries, tuple(boxes), dpi)
