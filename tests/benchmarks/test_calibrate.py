"""The acceptance threshold the calibration benchmark picks."""

from __future__ import annotations

import pytest

from benchmarks.calibrate import choose_threshold, lower_bound


def test_the_lower_bound_is_below_the_proportion_and_closes_on_it_with_more_fields():
    assert lower_bound(995, 1000) < 0.995
    assert lower_bound(995, 1000) < lower_bound(9950, 10000) < 0.995
    assert lower_bound(10, 10) == pytest.approx(0.787, abs=0.001)


def act(confidence: float, right: bool = True, fields: int = 20) -> tuple[list, bool]:
    """An unblocked act of `fields` fields, one of them at `confidence` and `right`."""
    return [(confidence, right)] + [(0.999, True)] * (fields - 1), False


def test_the_threshold_stops_where_the_precision_cannot_be_vouched_for():
    # 400 acts right at 0.99; below, acts at 0.7 whose low field is wrong: with them, 60
    # fields of 8,300 wrong (99.3 %).
    acts = [act(0.99)] * 400 + [act(0.7, right=False, fields=5)] * 60
    threshold, precision, accepted = choose_threshold(acts, 0.995)
    assert 0.7 < threshold <= 0.99
    assert precision == 1.0 and accepted == pytest.approx(400 / 460)


def test_too_few_fields_to_bound_the_precision_accept_nothing():
    assert choose_threshold([act(0.99, fields=5)] * 3, 0.995) == (1.0, 1.0, 0.0)
