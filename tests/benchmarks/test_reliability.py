"""The calibration curve: bins of predicted confidence and their drawing."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.reliability import COLOURS, THRESHOLD_COLOUR, Bin, bins, draw, panel


def test_bins_count_mean_and_share_right():
    predicted = [0.05, 0.15, 0.12, 0.96, 0.97, 1.0]
    right = [False, True, False, True, True, False]
    out = bins(predicted, right)
    assert sum(b.count for b in out) == len(predicted)
    assert [(b.low, b.high, b.count) for b in out] == [
        (0.0, 0.1, 1),
        (0.1, 0.2, 2),
        (0.95, 0.98, 2),
        (0.99, 1.0, 1),  # 1.0 falls in the last bin
    ]
    assert out[1].predicted == pytest.approx(0.135)
    assert out[1].observed == pytest.approx(0.5)
    assert out[2].observed == 1.0 and out[3].observed == 0.0


def _threshold_columns(image) -> set[int]:
    pixels = np.asarray(image)
    mask = np.all(pixels == THRESHOLD_COLOUR, axis=2)
    return {int(x) for x in np.nonzero(mask.sum(axis=0) > 200)[0]}


def test_the_threshold_line_moves_with_the_threshold():
    curve = {"pages": bins([0.2, 0.5, 0.9], [False, True, True])}
    low, high = (
        _threshold_columns(panel(curve, 0.3, "t")),
        _threshold_columns(panel(curve, 0.8, "t")),
    )
    assert low and high and max(low) < min(high)


def test_the_drawing_depends_on_the_curve():
    calibrated = [Bin(i / 10, (i + 1) / 10, 50, i / 10 + 0.05, i / 10 + 0.05) for i in range(10)]
    overconfident = [Bin(b.low, b.high, b.count, b.predicted, b.predicted / 2) for b in calibrated]
    a = np.asarray(draw({"pages": calibrated}, 0.7))
    b = np.asarray(draw({"pages": overconfident}, 0.7))
    assert a.shape == b.shape and a.shape[1] > a.shape[0]  # two panels side by side
    assert (a != b).any(axis=2).sum() > 1000
    # The overconfident curve (half as often right) is drawn lower in the full panel.
    assert _mean_row(b, COLOURS[0]) > _mean_row(a, COLOURS[0]) + 50
    assert (a == np.asarray(draw({"pages": calibrated}, 0.7))).all()  # and nothing random


def _mean_row(pixels: np.ndarray, colour: tuple[int, int, int]) -> float:
    full_panel = pixels[:, : pixels.shape[1] // 2]
    rows, _ = np.nonzero(np.all(full_panel == colour, axis=2))
    return float(rows.mean())
