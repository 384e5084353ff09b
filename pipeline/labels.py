"""Recognising the printed labels of a register model in OCR'd lines.

A line reads `label : value`. The label is matched against the model's variants after
`fold` (so hamza, accents and case do not matter) with a fuzzy score, because OCR drops
letters and colons. The result says what the line is (a field, a header item, a section
opening, the marginal-notes heading) and where its value starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz

import configs
from ocr.text import fold

COLONS = (":", "：", "﹕")
MIN_SCORE = 78.0  # fuzzy score (0-100) a label must reach
SHORT_LABEL = 4  # labels this short (folded) must match exactly: "Nom", "Page", "الاب"


@dataclass(frozen=True)
class Label:
    text: str  # folded
    words: int
    kind: str  # field | header | register_type | country | section | notes
    target: str  # field base name, header item, act type, country code, spouse, "notes"


@dataclass(frozen=True)
class RegisterModel:
    name: str
    labels: dict[str, tuple[Label, ...]]  # by side: "ar", "fr"
    prefixed: frozenset[str]  # field bases a marriage section prefixes
    no_notes: dict[str, tuple[str, ...]]  # folded "nothing" words of the notes block, by side


@dataclass(frozen=True)
class LineClass:
    """What a line is, with the label's score (0-1) and the index of the first value token."""

    kind: str
    target: str
    score: float
    value_start: int  # index into the tokens the line was classified from
    value_head: str = ""  # text after a colon inside the label's last token


@cache
def load_model(name: str = "maghreb") -> RegisterModel:
    data = configs.load(f"register_models/{name}.toml")
    labels: dict[str, list[Label]] = {"ar": [], "fr": []}
    groups = (
        ("fields", "field"),
        ("header", "header"),
        ("register_types", "register_type"),
        ("countries", "country"),
        ("sections", "section"),
    )
    for section, kind in groups:
        for side in ("ar", "fr"):
            for target, variants in data.get(section, {}).get(side, {}).items():
                for variant in variants:
                    folded = fold(variant)
                    labels[side].append(Label(folded, len(folded.split()), kind, target))
    notes = data.get("notes", {})
    for side in ("ar", "fr"):
        for variant in notes.get(side, []):
            folded = fold(variant)
            labels[side].append(Label(folded, len(folded.split()), "notes", "notes"))
    prefixed = frozenset(data.get("sections", {}).get("keys", {}).get("prefixed", []))
    no_notes = {
        side: tuple(fold(v) for v in notes.get(f"none_{side}", [])) for side in ("ar", "fr")
    }
    return RegisterModel(
        name=data["name"],
        labels={side: tuple(v) for side, v in labels.items()},
        prefixed=prefixed,
        no_notes=no_notes,
    )


def _score(candidate: str, label: Label) -> float:
    if len(label.text) <= SHORT_LABEL or len(candidate) <= SHORT_LABEL:
        return 100.0 if candidate == label.text else 0.0
    return fuzz.ratio(candidate, label.text)


def _best(
    candidates: list[tuple[str, int]], labels: tuple[Label, ...]
) -> tuple[Label, float, int] | None:
    """The best (label, score, tokens used) over candidate label texts; ties go to the
    longer label ("اسم الأب" over "الأب") since a longer match is less likely by chance."""
    best: tuple[Label, float, int] | None = None
    for text, used in candidates:
        for label in labels:
            score = _score(text, label)
            if best is None or (score, len(label.text)) > (best[1], len(best[0].text)):
                best = (label, score, used)
    if best is None or best[1] < MIN_SCORE:
        return None
    return best


def classify(tokens: list[str], side: str, model: RegisterModel) -> LineClass | None:
    """Classify a line given as tokens (words in reading order)."""
    if not tokens:
        return None
    labels = model.labels[side]
    folded = [fold(t) for t in tokens]

    colon = next((i for i, t in enumerate(tokens) if any(c in t for c in COLONS)), None)
    if colon is not None:
        token = tokens[colon]
        cut = min(token.index(c) for c in COLONS if c in token)
        before, after = token[:cut], token[cut + 1 :]
        label_text = " ".join([*folded[:colon], fold(before)]).strip()
        if label_text:
            found = _best([(label_text, colon + 1)], labels)
            if found:
                label, score, used = found
                return LineClass(label.kind, label.target, score / 100, used, after.strip())

    # No colon, or the text before it is no label: try the first words as the label.
    candidates = []
    for n in range(1, min(len(tokens), 6) + 1):
        text = " ".join(f for f in folded[:n] if f)
        if text:
            candidates.append((text, n))
    found = _best(candidates, labels)
    if found is None:
        return None
    label, score, used = found
    # A colon read as its own token right after the label belongs to the label.
    if used < len(tokens) and tokens[used].strip() in COLONS:
        used += 1
    return LineClass(label.kind, label.target, score / 100, used)
