"""Scoring what civreg found against the ground truth of generated pages.

Independent of civreg's own processing code on purpose: values are compared after the
normalisation register-forms.md defines, implemented here again.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sample_scans.truth import TruthAct

_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
_DIGITS = {ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")}


def norm(value: str) -> str:
    """register-forms.md "Normalisation for comparison": NFC, white space collapsed, Latin
    case-folded, tatweel and vowel marks removed, Arabic-Indic digits made Western."""
    value = unicodedata.normalize("NFC", str(value))
    value = _MARKS.sub("", value).translate(_DIGITS)
    return " ".join(value.split()).casefold()


@dataclass
class Scores:
    truth_acts: int = 0
    found_acts: int = 0  # truth acts matched by an exported act
    extra_acts: int = 0  # exported acts matching no truth act
    fields: int = 0  # truth fields of the found acts... and of the missed ones
    fields_correct: int = 0
    accepted_acts: int = 0
    accepted_fields: int = 0  # fields of accepted acts that the truth has
    accepted_correct: int = 0
    review_acts: int = 0
    errors: Counter = field(default_factory=Counter)  # key -> wrong or missing count
    by_key: Counter = field(default_factory=Counter)  # key -> truth count
    accepted_errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def acts_found(self) -> float:
        return self.found_acts / self.truth_acts if self.truth_acts else 0.0

    @property
    def field_accuracy(self) -> float:
        return self.fields_correct / self.fields if self.fields else 0.0

    @property
    def accepted_precision(self) -> float:
        return self.accepted_correct / self.accepted_fields if self.accepted_fields else 1.0

    @property
    def review_rate(self) -> float:
        judged = self.accepted_acts + self.review_acts
        return self.review_acts / judged if judged else 0.0

    def key_accuracy(self) -> dict[str, float]:
        return {k: 1 - self.errors[k] / n for k, n in sorted(self.by_key.items())}


def _overlap(a: tuple[int, ...], b: tuple[int, ...] | list[int] | None) -> float:
    """Intersection over the smaller box."""
    if not b:
        return 0.0
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    w = max(0, min(ax + aw, bx + bw) - max(ax, bx))
    h = max(0, min(ay + ah, by + bh) - max(ay, by))
    smaller = min(aw * ah, bw * bh)
    return w * h / smaller if smaller else 0.0


def _identity(fields: dict[str, Any]) -> tuple[str, ...]:
    return tuple(
        norm(fields.get(k, "")) for k in ("commune_fr", "act_type", "register_year", "act_number")
    )


def _value(found: dict[str, Any], key: str) -> str | None:
    item = (found.get("fields") or {}).get(key)
    if item is None:
        return None
    return item["value"] if isinstance(item, dict) else str(item)


def match(truth: list[TruthAct], found: list[dict[str, Any]]) -> list[tuple[TruthAct, dict | None]]:
    """Pair each truth act with the exported act read from its place on its page; a truth
    act merged into an act read from another scan (the register's other copy) is paired by
    identity (commune, type, year, number)."""
    by_page: dict[tuple[str, int], list[dict]] = {}
    for act in found:
        source = act.get("source") or {}
        by_page.setdefault((source.get("file"), source.get("page")), []).append(act)
    by_identity: dict[tuple[str, ...], dict] = {}
    for act in found:
        values = {
            k: _value(act, k) or ""
            for k in ("commune_fr", "act_type", "register_year", "act_number")
        }
        by_identity.setdefault(_identity(values), act)
    used: set[int] = set()
    pairs: list[tuple[TruthAct, dict | None]] = []
    for t in truth:
        candidates = [a for a in by_page.get((t.file, t.page), []) if id(a) not in used]
        best = max(
            candidates,
            key=lambda a: _overlap(t.bbox, (a.get("source") or {}).get("bbox")),
            default=None,
        )
        if best is not None and _overlap(t.bbox, best["source"].get("bbox")) >= 0.5:
            used.add(id(best))
            pairs.append((t, best))
        else:
            pairs.append((t, by_identity.get(_identity(t.fields))))
    return pairs


def score(truth: list[TruthAct], found: list[dict[str, Any]]) -> Scores:
    """Acts found, field accuracy, precision of accepted acts' fields, review rate."""
    s = Scores(truth_acts=len(truth))
    pairs = match(truth, found)
    matched = {id(a) for _, a in pairs if a is not None}
    s.extra_acts = sum(1 for a in found if id(a) not in matched)
    counted: set[int] = set()
    for t, act in pairs:
        s.fields += len(t.fields)
        s.by_key.update(t.fields.keys())
        if act is None:
            s.errors.update(t.fields.keys())
            continue
        s.found_acts += 1
        accepted = act.get("status") == "accepted"
        first_time = id(act) not in counted
        counted.add(id(act))
        if first_time:
            s.accepted_acts += accepted
            s.review_acts += act.get("status") == "needs_review"
        for key, expected in t.fields.items():
            got = _value(act, key)
            right = got is not None and norm(got) == norm(expected)
            s.fields_correct += right
            if not right:
                s.errors[key] += 1
            if accepted and got is not None and first_time:
                s.accepted_fields += 1
                s.accepted_correct += right
                if not right:
                    s.accepted_errors.append(
                        {
                            "file": t.file,
                            "page": t.page,
                            "key": key,
                            "expected": expected,
                            "got": got,
                        }
                    )
    return s
