"""The calibration (reliability) curve: predicted confidence against the share found right.

Fields are put in bins of predicted confidence; each bin gives its count, its mean
prediction and the share of its fields that were right. A calibrated confidence lies on
the diagonal. `draw` renders the curves with Pillow (no plotting library needed): one
curve a set of fields (e.g. the calibration pages and held-out pages), the count of each
bin written at its point, the diagonal and the acceptance threshold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

# Finer bins near 1, where the acceptance threshold and most fields lie.
EDGES = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 1.0)
COLOURS = ((31, 119, 180), (214, 39, 40), (44, 160, 44), (148, 103, 189), (255, 127, 14))
THRESHOLD_COLOUR = (230, 120, 0)
_FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
)


@dataclass(frozen=True)
class Bin:
    low: float
    high: float
    count: int
    predicted: float  # mean predicted confidence of the bin's fields
    observed: float  # share of the bin's fields that were right


def bins(
    predicted: Sequence[float], right: Sequence[bool], edges: Sequence[float] = EDGES
) -> list[Bin]:
    """The non-empty bins of `predicted` (the last bin includes 1.0)."""
    p = np.asarray(predicted, dtype=float)
    ok = np.asarray(right, dtype=float)
    index = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, len(edges) - 2)
    out = []
    for i in range(len(edges) - 1):
        mask = index == i
        if mask.any():
            out.append(
                Bin(
                    edges[i],
                    edges[i + 1],
                    int(mask.sum()),
                    float(p[mask].mean()),
                    float(ok[mask].mean()),
                )
            )
    return out


def _font(size: int) -> ImageFont.ImageFont:
    for path in _FONT_PATHS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default()


def draw(
    curves: Mapping[str, Sequence[Bin]],
    threshold: float | None = None,
    title: str = "Calibration",
    zoom: float | None = 0.9,
) -> Image.Image:
    """The reliability diagram of `curves` (label -> bins) with the threshold line; with
    `zoom`, a second panel shows [zoom, 1] on both axes, where most fields lie."""
    panels = [panel(curves, threshold, title, 0.0)]
    if zoom is not None:
        panels.append(panel(curves, threshold, f"the same, from {zoom}", zoom))
    image = Image.new("RGB", (sum(p.width for p in panels), panels[0].height), "white")
    x = 0
    for one in panels:
        image.paste(one, (x, 0))
        x += one.width
    return image


def panel(
    curves: Mapping[str, Sequence[Bin]],
    threshold: float | None,
    title: str,
    low: float = 0.0,
    size: tuple[int, int] = (760, 700),
) -> Image.Image:
    """One reliability panel over [low, 1] on both axes."""
    width, height = size
    left, right, top, bottom = 70, 30, 60, 130
    plot_w, plot_h = width - left - right, height - top - bottom
    image = Image.new("RGB", size, "white")
    pen = ImageDraw.Draw(image)
    font, small = _font(16), _font(12)
    span = 1.0 - low

    def xy(x: float, y: float) -> tuple[float, float]:
        x, y = min(max(x, low), 1.0), min(max(y, low), 1.0)
        return left + (x - low) / span * plot_w, top + (1 - (y - low) / span) * plot_h

    for tick in np.linspace(low, 1.0, 11):
        x, y = xy(tick, tick)
        pen.line([(x, top), (x, top + plot_h)], fill=(235, 235, 235))
        pen.line([(left, y), (left + plot_w, y)], fill=(235, 235, 235))
        label = f"{tick:.2f}" if low else f"{tick:.1f}"
        pen.text((x, top + plot_h + 6), label, fill="black", font=small, anchor="mt")
        pen.text((left - 8, y), label, fill="black", font=small, anchor="rm")
    pen.rectangle([left, top, left + plot_w, top + plot_h], outline="black")
    pen.line([xy(low, low), xy(1, 1)], fill=(150, 150, 150), width=1)
    pen.text((width / 2, 12), title, fill="black", font=font, anchor="mt")
    pen.text(
        (left + plot_w / 2, top + plot_h + 26),
        "predicted confidence (bin mean)",
        fill="black",
        font=small,
        anchor="mt",
    )
    pen.text(
        (10, top - 24),
        "share right (points below the lower edge are drawn on it)",
        fill="black",
        font=small,
    )

    if threshold is not None and threshold >= low:
        x, _ = xy(threshold, low)
        pen.line([(x, top), (x, top + plot_h)], fill=THRESHOLD_COLOUR, width=3)
        near_right = threshold - low > 0.7 * span
        pen.text(
            (x - 4 if near_right else x + 4, top + 4),
            f"threshold {threshold:.3f}",
            fill=THRESHOLD_COLOUR,
            font=small,
            anchor="ra" if near_right else "la",
        )

    legend_y = top + plot_h + 50
    for n, (label, curve) in enumerate(curves.items()):
        colour = COLOURS[n % len(COLOURS)]
        shown = [b for b in curve if b.high > low]
        points = [xy(b.predicted, b.observed) for b in shown]
        if len(points) > 1:
            pen.line(points, fill=colour, width=3)
        for b, (x, y) in zip(shown, points, strict=True):
            pen.ellipse([x - 5, y - 5, x + 5, y + 5], fill=colour)
            # Counts above the points of the first curve, below those of the others.
            above = n == 0
            pen.text(
                (x, y + (-9 if above else 9)),
                str(b.count),
                fill=colour,
                font=small,
                anchor="mb" if above else "mt",
            )
        total = sum(b.count for b in curve)
        pen.rectangle([left, legend_y + 22 * n, left + 14, legend_y + 22 * n + 14], fill=colour)
        pen.text(
            (left + 22, legend_y + 22 * n), f"{label} ({total} fields)", fill="black", font=font
        )
    return image
