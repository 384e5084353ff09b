"""Resolving readings into values: one current value per key from what each side read.

Two readings that agree are independent evidence (the Arabic and the French column were
printed and read separately), so their confidences combine. Readings that disagree leave
the better-supported value with a confidence that says it is contested, and an issue.
A Gregorian date read differently on the two sides is settled by the Hijri date of the
same line where one is given.
"""

from __future__ import annotations

from collections import defaultdict

from ocr.text import normalize
from records import Act, FieldValue, Issue
from records.fields import hijri_key
from validation.calendars import dates_agree

MAX_CONFIDENCE = 0.995  # no machine reading is certain; 1.0 is for a reviewer's word


def combine(*confidences: float) -> float:
    """Confidence that a value is right when independent readings all gave it."""
    doubt = 1.0
    for c in confidences:
        doubt *= 1.0 - max(0.0, min(1.0, c))
    return min(MAX_CONFIDENCE, 1.0 - doubt)


def resolve_key(
    key: str, readings: list[FieldValue], hijri: FieldValue | None = None
) -> tuple[FieldValue, Issue | None]:
    """The current value of `key` from its readings, and an issue when they disagree.
    `hijri`, for a Gregorian date, is the Hijri reading of the same date: it counts as
    one more reading for the value it agrees with."""
    groups: dict[str, list[FieldValue]] = defaultdict(list)
    for reading in readings:
        groups[normalize(reading.value)].append(reading)

    def support(group: list[FieldValue]) -> float:
        confidences = _best_per_side(group)
        if hijri is not None and dates_agree(group[0].value, hijri.value):
            confidences.append(hijri.confidence)
        return combine(*confidences)

    ranked = sorted(groups.values(), key=support, reverse=True)
    best_group = ranked[0]
    best = max(best_group, key=lambda r: r.confidence)
    confidence = combine(*_best_per_side(best_group))
    notes = list(best.notes)
    issue = None
    if len(ranked) > 1:
        others = [g[0].value for g in ranked[1:]]
        against = max(support(g) for g in ranked[1:])
        # Contested: the chosen value is right only as far as the other reading is wrong.
        confidence = support(best_group) * (1.0 - against)
        notes.append(f"also read as: {', '.join(others)}")
        message = f"the two sides read {key} differently: " + ", ".join(
            repr(v) for v in [best.value, *others]
        )
        # The two columns contradict each other: a reviewer decides (the calibration would
        # lift a lowered confidence of a kind that is rarely wrong back over the threshold).
        issue = Issue("sides_disagree", message, (key,), blocking=True)
    value = FieldValue(
        value=best.value,
        confidence=round(min(confidence, MAX_CONFIDENCE), 4),
        raw=best.raw,
        box=best.box,
        side=best.side if len({r.side for r in best_group}) == 1 else "both",
        engine=best.engine,
        notes=notes,
    )
    return value, issue


def _best_per_side(readings: list[FieldValue]) -> list[float]:
    """One confidence a side: two readings from the same column are not independent."""
    best: dict[str | None, float] = {}
    for reading in readings:
        best[reading.side] = max(best.get(reading.side, 0.0), reading.confidence)
    return list(best.values())


def resolve(act: Act) -> None:
    """Fill `act.fields` from `act.readings` (values a reviewer set are kept as they are)."""
    for key, readings in act.readings.items():
        if not readings or (key in act.fields and _set_by_reviewer(act.fields[key])):
            continue
        hijri = None
        if (hkey := hijri_key(key)) and act.readings.get(hkey):
            hijri = max(act.readings[hkey], key=lambda r: r.confidence)
        value, issue = resolve_key(key, readings, hijri)
        act.fields[key] = value
        if issue:
            act.issues.append(issue)


def _set_by_reviewer(value: FieldValue) -> bool:
    return bool(value.engine and value.engine.startswith("reviewer"))
