"""Calibration: validation's raw confidences made into probabilities that a value is right.

The raw confidence of a field (OCR score, parse repairs, cross-checks) ranks values well
within one kind of field but means different things across kinds: a date read on both
sides is nearly always right even when the OCR engine was unsure. A logistic map per kind,
P = sigmoid(a * logit(raw) + b), fitted on generated pages with ground truth
(`benchmarks/calibrate.py`), turns it into a probability. The parameters are data in
`configs/calibration.toml`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import configs
from records import Act

FLOOR, CEILING = 0.001, 0.999  # no machine reading is certain either way

KINDS = ("ar_text", "fr_text", "date", "hijri", "act_number", "sex", "register")


def kind_of(key: str) -> str:
    if key.endswith("_ar"):
        return "ar_text"
    if key.endswith("_fr"):
        return "fr_text"
    if key.endswith("_hijri"):
        return "hijri"
    if key.endswith("_date"):
        return "date"
    if key in ("act_number", "sex"):
        return key
    return "register"


@dataclass(frozen=True)
class Platt:
    a: float = 1.0
    b: float = 0.0

    def __call__(self, raw: float) -> float:
        raw = min(max(raw, 1e-4), 1 - 1e-4)
        z = self.a * math.log(raw / (1 - raw)) + self.b
        return min(CEILING, max(FLOOR, 1 / (1 + math.exp(-z))))


@cache
def load() -> dict[str, Platt]:
    """The fitted map of each kind (identity for a kind the file does not list)."""
    data = configs.load("calibration.toml")
    return {kind: Platt(**data.get("kinds", {}).get(kind, {})) for kind in KINDS}


def calibrate(act: Act, maps: dict[str, Platt] | None = None) -> None:
    """Turn the raw confidences of the act's machine-read fields into probabilities."""
    maps = maps or load()
    for key, value in act.fields.items():
        if value.engine and value.engine.startswith(("reviewer", "import")):
            continue
        value.confidence = round(maps[kind_of(key)](value.confidence), 4)
