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


def _before_colon(tokens: list[str]) -> tuple[str, int, str] | None:
    """A line's text before its first colon (folded), the index of the first token after
    the colon, and the text after it inside the colon's token; None without a colon."""
    colon = next((i for i, t in enumerate(tokens) if any(c in t for c in COLONS)), None)
    if colon is None:
        return None
    token = tokens[colon]
    cut = min(token.index(c) for c in COLONS if c in token)
    label_text = " ".join([*(fold(t) for t in tokens[:colon]), fold(token[:cut])]).strip()
    return label_text, colon + 1, token[cut + 1 :].strip()


def classify(tokens: list[str], side: str, model: RegisterModel) -> LineClass | None:
    """Classify a line given as tokens (words in reading order)."""
    if not tokens:
        return None
    labels = model.labels[side]
    folded = [fold(t) for t in tokens]

    split = _before_colon(tokens)
    if split is not None:
        label_text, used, after = split
        if label_text:
            found = _best([(label_text, used)], labels)
            if found:
                label, score, used = found
                return LineClass(label.kind, label.target, score / 100, used, after)

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


# Least fuzzy score (0-100) of a garbled label the line on the other side of its row names.
PARTNER_SCORE = 60.0


def classify_by_partner(
    tokens: list[str], side: str, model: RegisterModel, partner: LineClass, found: LineClass | None
) -> LineClass | None:
    """The class of a line whose label OCR garbled (الآأب for الأب, "الأ :") given the field
    its row's line on the other side reads (`partner`): a bilingual form writes a field's
    two labels on one row. Only a label before a colon, still near one of that field's
    labels (short ones too), and no nearer another's than the class `found` alone, if any
    (اسم الأه is as near اسم الأم as اسم الأب); None otherwise."""
    if partner.kind != "field" or (found is not None and found.target == partner.target):
        return None
    if found is not None and (found.kind != "field" or found.score >= 1.0):
        return None
    split = _before_colon(tokens)
    if split is None or not split[0]:
        return None
    label_text, used, after = split
    own = [
        lb.text for lb in model.labels[side] if lb.kind == "field" and lb.target == partner.target
    ]
    score = max((fuzz.ratio(label_text, text) for text in own), default=0.0)
    if score < PARTNER_SCORE or (found is not None and score < found.score * 100):
        return None
    return LineClass("field", partner.target, score / 100, used, after)
