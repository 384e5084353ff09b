"""Field extraction: from OCR'd lines of a page to the header and the acts, label-anchored.

Lines are classified by their printed label (`pipeline.labels`). An act starts at its act
number line, on either side; lines above the first act are the page header. Within an act
each side is read top to bottom, following marriage sections (husband, wife) and the
marginal-notes block. Every value becomes a reading (`FieldValue`) with its side, raw text,
box and a confidence; reconciling the two sides is validation's job.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ocr.engine import OcrLine
from ocr.text import fold, script_of, to_western_digits
from pipeline import values
from pipeline.labels import LineClass, RegisterModel, classify, classify_by_partner
from pipeline.layout import union
from records import FieldValue, MarginalNote
from records.fields import ACT_KEYS, ACT_TYPES, hijri_key

Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class ReadLine:
    """An OCR'd line of a page: where it is (cleaned-page pixels), its column, what was read."""

    box: Box
    side: str
    ocr: OcrLine
    origin: tuple[int, int] = (0, 0)  # where the image that was read starts on the page
    scale: float = 1.0  # how much that image was enlarged for OCR
    # An Arabic line holding a number or a date read again by a model that knows the
    # Arabic-Indic digits (`pipeline.read.DIGIT_LANG`); None when not read again.
    digits: OcrLine | None = None

    def to_page(self, box: Box) -> Box:
        """A box in the OCR'd image as cleaned-page pixels."""
        x, y, w, h = box
        s = self.scale
        return (
            self.origin[0] + round(x / s),
            self.origin[1] + round(y / s),
            round(w / s),
            round(h / s),
        )

    @property
    def tokens(self) -> list[str]:
        words = [w.text for w in self.ocr.words]
        return words if words else self.ocr.text.split()

    @property
    def center_y(self) -> float:
        return self.box[1] + self.box[3] / 2


@dataclass
class ActDraft:
    """The readings of one act on one page, before validation."""

    readings: dict[str, list[FieldValue]] = field(default_factory=dict)
    notes: list[MarginalNote] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)  # lines no label explained

    def add(self, key: str, reading: FieldValue) -> None:
        self.readings.setdefault(key, []).append(reading)


@dataclass
class PageDraft:
    header: dict[str, list[FieldValue]]
    acts: list[ActDraft]
    unread: list[str]
    labels: int = 0  # lines whose label was recognised


def value_text(line: ReadLine, label: LineClass) -> str:
    """What a field line reads after its label."""
    return " ".join(t for t in [label.value_head, *line.tokens[label.value_start :]] if t)


@dataclass
class ValueSpan:
    """The value part of a field line, and of the lines it wraps onto."""

    text: str
    confidences: list[float]
    boxes: list[Box]  # cleaned-page pixels
    raw: list[str]  # whole lines as OCR read them
    digits: list[OcrLine] = field(default_factory=list)  # the lines' digit readings, if any

    @classmethod
    def of(cls, line: ReadLine, label: LineClass) -> ValueSpan:
        words = line.ocr.words
        tokens = line.tokens
        text = value_text(line, label)
        digits = [line.digits] if line.digits and line.digits.text else []
        if words and len(words) == len(tokens):
            value_words = list(words[label.value_start :])
            # A value cut from the label's own token (":34") shares that token's confidence.
            if label.value_head and label.value_start > 0:
                value_words.insert(0, words[label.value_start - 1])
            if value_words:
                return cls(
                    text,
                    [w.confidence for w in value_words],
                    [line.to_page(w.box) for w in value_words],
                    [line.ocr.text],
                    digits,
                )
        return cls(text, [line.ocr.confidence], [line.box], [line.ocr.text], digits)

    def extend(self, line: ReadLine) -> None:
        self.text = f"{self.text} {line.ocr.text}".strip()
        self.confidences.extend([w.confidence for w in line.ocr.words] or [line.ocr.confidence])
        self.boxes.append(line.box)
        self.raw.append(line.ocr.text)
        if line.digits and line.digits.text:
            self.digits.append(line.digits)

    @property
    def confidence(self) -> float:
        """Mean word confidence, held down by the weakest word."""
        mean = sum(self.confidences) / len(self.confidences)
        return min(mean, min(self.confidences) + 0.15)

    @property
    def box(self) -> Box:
        return union(self.boxes)


def _continues(line: ReadLine, previous: ReadLine, key: str, line_height: float) -> bool:
    """Whether an unlabelled line carries on the value of the field line above it: close
    below it, and (for text values) legible, in the same script and without a label
    separator (a `label : value` line whose label was misread is another field)."""
    gap = line.box[1] - (previous.box[1] + previous.box[3])
    if gap > line_height * 1.5:
        return False
    if key.endswith(("_date", "_hijri")):
        return any(ch.isdigit() for ch in to_western_digits(line.ocr.text))
    return (
        line.ocr.confidence >= 0.6
        and script_of(line.ocr.text) == line.side
        and not any(ch in LABEL_SEPARATORS for ch in line.ocr.text)
    )


LABEL_SEPARATORS = frozenset(":：")


def _parse(key: str, text: str, side: str) -> list[tuple[str, values.Parsed]]:
    """Parse a value for `key` into (key, parsed) pairs: an Arabic date line yields the
    Gregorian date and, where the act model has one, the Hijri date."""
    if key in ("act_number", "register_year", "page"):
        parsed = values.parse_number(text)
        # Acts, pages and years are counted from 1: a 0 is a misreading (Page 0 for 5).
        return [(key, parsed)] if parsed and parsed.value != "0" else []
    if key == "sex":
        parsed = values.parse_sex(text)
        return [(key, parsed)] if parsed else []
    if key.endswith("_date"):
        if side == "ar":
            gregorian, hijri = values.parse_arabic_date_line(text)
            out = [(key, gregorian)] if gregorian else []
            if hkey := hijri_key(key):
                # A Hijri date whose year is unreadable still gives its day and month, for
                # the Gregorian date of the act to complete or drop (validation.rules).
                hijri = hijri or values.parse_hijri_day_month(text)
                if hijri:
                    out.append((hkey, hijri))
            return out
        parsed = values.parse_gregorian_date(text)
        return [(key, parsed)] if parsed else []
    cleaned = values.clean_name(text)
    return [(key, values.Parsed(cleaned, 1.0))] if cleaned else []


class _Reader:
    """Turns classified lines into readings; one instance per page."""

    def __init__(
        self,
        model: RegisterModel,
        engine: str,
        locate: Callable[[Box], Box],
        latin_numbers: bool = True,
    ):
        self.model = model
        self.engine = engine
        self.locate = locate
        # False on a page whose French column writes its numbers in Arabic-Indic digits,
        # which the Latin model cannot read (`latin_reads_indic`).
        self.latin_numbers = latin_numbers

    def readings(
        self, key: str, line: ReadLine, cls: LineClass, span: ValueSpan | None = None
    ) -> list[tuple[str, FieldValue]]:
        if line.side == "fr" and not self.latin_numbers and _is_numeric(key):
            return []
        span = span or ValueSpan.of(line, cls)
        found = {
            k: _Candidate(p, span.confidence, line.ocr.lang)
            for k, p in _parse(key, span.text, line.side)
        }
        if span.digits and _is_numeric(key):
            text = _value_text([d.text for d in span.digits], line.side, self.model)
            text, misread = values.read_indic_digits(text)
            confidence = sum(d.confidence for d in span.digits) / len(span.digits)
            for k, parsed in _parse(key, text, line.side):
                if misread:
                    parsed = parsed.penalised(
                        values.DIGIT_LETTER, "Arabic-Indic digits the digit model misreads"
                    )
                found[k] = _with_digits(found.get(k), _Candidate(parsed, confidence, "digits"))
        out = []
        for out_key, cand in found.items():
            confidence = cand.confidence * cand.parsed.certainty * min(1.0, cls.score + 0.1)
            notes = [f"repaired: {r}" for r in cand.parsed.repaired] + cand.notes
            out.append(
                (
                    out_key,
                    FieldValue(
                        value=cand.parsed.value,
                        confidence=round(confidence, 4),
                        raw="\n".join(span.raw),
                        box=self.locate(span.box),
                        side=line.side,
                        engine=f"{self.engine}/{cand.how}/{line.ocr.mode}",
                        notes=notes,
                    ),
                )
            )
        return out


@dataclass
class _Candidate:
    parsed: values.Parsed
    confidence: float
    how: str  # the model that read it: "ara", "fra", "digits" or "ara+digits"
    notes: list[str] = field(default_factory=list)


def _with_digits(main: _Candidate | None, digits: _Candidate) -> _Candidate:
    """One reading of a number from the line's two readings. Measured on generated Arabic
    lines, the digit model is right more often than the Arabic one where they differ;
    where they agree, the value is surer than either model alone says."""
    if main is None:
        return digits
    # A Hijri day and month without the year (values.parse_hijri_day_month) never
    # replaces a whole date the other model read.
    main_partial, digits_partial = (_day_month(c.parsed.value) for c in (main, digits))
    if main_partial != digits_partial:
        return digits if main_partial else main
    if main.parsed.value == digits.parsed.value:
        best = max(main.confidence, digits.confidence)
        return _Candidate(main.parsed, 1 - (1 - best) * 0.5, "ara+digits", main.notes)
    note = f"the Arabic model read {main.parsed.value!r}, the digit model {digits.parsed.value!r}"
    return _Candidate(digits.parsed, digits.confidence * 0.5, "digits", [note])


def _day_month(value: str) -> bool:
    return len(value) == 5 and value[2] == "-"


def _is_numeric(key: str) -> bool:
    return key in ("act_number", "register_year", "page") or key.endswith(("_date", "_hijri"))


def _value_text(lines: list[str], side: str, model: RegisterModel) -> str:
    """The value part of a field's lines as another model read them: after the label."""
    tokens = " ".join(lines).split()
    cls = classify(tokens, side, model)
    if cls is None:
        return " ".join(tokens)
    return " ".join(t for t in [cls.value_head, *tokens[cls.value_start :]] if t)


def _key(base: str, side: str, section: str | None, model: RegisterModel) -> str:
    key = base
    if section and base in model.prefixed:
        key = f"{section}_{base}"
    if f"{key}_{side}" in _SCRIPTED:
        key = f"{key}_{side}"
    return key


_SCRIPTED = frozenset(k for keys in ACT_KEYS.values() for k in keys if k[-3:] in ("_ar", "_fr"))


def _classified(
    lines: list[ReadLine], model: RegisterModel, line_height: float
) -> list[tuple[ReadLine, LineClass | None]]:
    """Each line with its class; a line whose label OCR garbled takes the field of its
    row's line on the other side (`labels.classify_by_partner`)."""
    items = [(line, classify(line.tokens, line.side, model)) for line in lines]
    fields = [(line, cls) for line, cls in items if cls is not None and cls.kind == "field"]
    out = []
    for line, cls in items:
        if line.side in ("ar", "fr") and (cls is None or cls.score < 1.0):
            near = [
                (abs(other.center_y - line.center_y), other_cls)
                for other, other_cls in fields
                if other.side not in (line.side, "")
            ]
            gap, partner = min(near, key=lambda n: n[0], default=(line_height, None))
            if partner is not None and gap < line_height * 0.5:
                cls = classify_by_partner(line.tokens, line.side, model, partner, cls) or cls
        out.append((line, cls))
    return out


def _opens_act(line: ReadLine, cls: LineClass | None) -> bool:
    """An act-number line holds its label and a number (or nothing legible), no more: a
    marginal note that cites another act ("acte n° 707 à Tiaret") does not open an act.
    A number OCR cut in two (`0 38`) still opens one, though it is no value."""
    if cls is None or cls.kind != "field" or cls.target != "act_number":
        return False
    words = [w for w in ValueSpan.of(line, cls).text.split() if any(c.isalnum() for c in w)]
    return len(words) <= 3 and all(values.parse_number(w) is not None for w in words)


def _act_starts(items: list[tuple[ReadLine, LineClass | None]], line_height: float) -> list[float]:
    """Top y of each act: its act-number line on either side (the two sides' lines of one
    act number lie at about the same height). A start followed by fewer than three
    labelled field lines before the next one is no act and is dropped."""
    tops = sorted(line.box[1] for line, cls in items if _opens_act(line, cls))
    starts: list[float] = []
    for top in tops:
        if not starts or top - starts[-1] > line_height * 1.5:
            starts.append(top)

    def fields_between(a: float, b: float) -> int:
        return sum(
            1
            for line, cls in items
            if cls is not None and cls.kind == "field" and a - line_height <= line.box[1] < b
        )

    kept = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else float("inf")
        if fields_between(start, end) >= 4:  # the act number's own lines and three more
            kept.append(start)
    return kept


def extract_page(
    lines: list[ReadLine],
    model: RegisterModel,
    *,
    line_height: float,
    engine: str = "ocr",
    locate: Callable[[Box], Box] = lambda box: box,
) -> PageDraft:
    """Split a page's OCR'd lines into header readings and act drafts."""
    items = _classified(sorted(lines, key=lambda line: line.box[1]), model, line_height)
    starts = _act_starts(items, line_height)
    margin = line_height * 0.6
    reader = _Reader(model, engine, locate, not latin_reads_indic(items))

    header_items = [it for it in items if not starts or it[0].box[1] < starts[0] - margin]
    header, unread = _read_header(header_items, reader)

    acts: list[ActDraft] = []
    for i, start in enumerate(starts):
        end = starts[i + 1] - margin if i + 1 < len(starts) else float("inf")
        members = [it for it in items if start - margin <= it[0].box[1] < end]
        acts.append(_read_act(members, reader, line_height))
    labels = sum(1 for _, cls in items if cls is not None)
    return PageDraft(header=header, acts=acts, unread=unread, labels=labels)


# What the Latin model makes of Arabic-Indic digits (٣ F, ٤ € or £, ٧ V, ٨ A or \\, ٠ + or
# a colon): such a character against a digit, a date separator or another of them. Measured
# on the French number and date values of 391 generated pages (five sets): in 155 of the
# 203 values of the 22 pages that write them so, in 8 of 3577 on the others; by the rule of
# `latin_reads_indic`, every one of the 22 pages and none of the 369 others.
_INDIC_AS_LATIN = r"\\:AFY€+VT£#"
_INDIC_IN_LATIN = re.compile(
    rf"[{_INDIC_AS_LATIN}](?=[\d/\-{_INDIC_AS_LATIN}])|(?<=[\d/\-{_INDIC_AS_LATIN}])[{_INDIC_AS_LATIN}]"
)


def latin_reads_indic(items: list[tuple[ReadLine, LineClass | None]]) -> bool:
    """Whether the page's French column writes its numbers in Arabic-Indic digits: three
    of its number and date values or more, and a third of them at least, show what the
    Latin model makes of those digits (at most 2 of 14 on a page of Western digits)."""
    values = [
        value_text(line, cls)
        for line, cls in items
        if line.side == "fr" and cls is not None and labels_number(cls)
    ]
    hits = sum(1 for value in values if _INDIC_IN_LATIN.search(value))
    return hits >= 3 and hits * 3 >= len(values)


def labels_number(cls: LineClass) -> bool:
    """Whether a line's label is that of a date, an act number, the year or the page."""
    if cls.kind == "header":
        return cls.target in ("year", "page")
    return cls.kind == "field" and (cls.target == "act_number" or cls.target.endswith("date"))


def _read_header(
    items: list[tuple[ReadLine, LineClass | None]], reader: _Reader
) -> tuple[dict[str, list[FieldValue]], list[str]]:
    header: dict[str, list[FieldValue]] = {}
    unread: list[str] = []

    def add(key: str, reading: FieldValue) -> None:
        header.setdefault(key, []).append(reading)

    for line, cls in items:
        if cls is None:
            unread.append(line.ocr.text)
        elif cls.kind == "register_type" and cls.target in ACT_TYPES:
            add(
                "act_type",
                FieldValue(
                    value=cls.target,
                    confidence=round(line.ocr.confidence * cls.score, 4),
                    raw=line.ocr.text,
                    box=reader.locate(line.box),
                    side=line.side,
                    engine=f"{reader.engine}/{line.ocr.lang}/{line.ocr.mode}",
                ),
            )
        elif cls.kind == "header":
            key = {"commune": f"commune_{line.side}", "year": "register_year", "page": "page"}[
                cls.target
            ]
            for out_key, reading in reader.readings(key, line, cls):
                add(out_key, reading)
        elif cls.kind == "country":
            add("country", FieldValue(value=cls.target, confidence=cls.score, side=line.side))
    return header, unread


_Field = tuple[str, ReadLine, LineClass, ValueSpan]  # key, first line, label, value so far


def _finish(act: ActDraft, reader: _Reader, field: _Field | None) -> None:
    if field is not None:
        key, first, label, span = field
        for out_key, reading in reader.readings(key, first, label, span):
            act.add(out_key, reading)


SPOUSES = ("husband", "wife")  # the order of a marriage act's sections


def _spouse_sections(
    items: list[tuple[ReadLine, LineClass | None]],
) -> list[tuple[ReadLine, LineClass | None]]:
    """Two sections of one spouse on one side of an act are the husband's then the wife's:
    الزوج and الزوجة differ by one letter, which a doubtful reading adds or loses."""
    items = list(items)
    for side in ("ar", "fr"):
        sections = [
            i
            for i, (line, cls) in enumerate(items)
            if line.side == side and cls is not None and cls.kind == "section"
        ]
        targets = [items[i][1].target for i in sections]  # type: ignore[union-attr]
        if len(sections) == 2 and targets[0] == targets[1] and targets[0] in SPOUSES:
            for i, target in zip(sections, SPOUSES, strict=True):
                line, cls = items[i]
                items[i] = (line, replace(cls, target=target))  # type: ignore[arg-type]
    return items


def _opening_section(
    items: list[tuple[ReadLine, LineClass | None]], side: str, model: RegisterModel
) -> str | None:
    """`husband` when a side's first section is the wife's and fields a section prefixes
    come before it (the husband's label was misread: اليج for الزوج), else None."""
    for line, cls in items:
        if line.side != side or cls is None:
            continue
        if cls.kind == "section":
            return None
        if cls.kind == "field" and cls.target in model.prefixed:
            break
    else:
        return None
    sections = [c.target for ln, c in items if ln.side == side and c and c.kind == "section"]
    return SPOUSES[0] if sections[:1] == [SPOUSES[1]] else None


def _read_act(
    items: list[tuple[ReadLine, LineClass | None]], reader: _Reader, line_height: float
) -> ActDraft:
    act = ActDraft()
    model = reader.model
    items = _spouse_sections(items)
    for side in ("ar", "fr"):
        section = _opening_section(items, side, model)
        in_notes = False
        field: _Field | None = None
        last: ReadLine | None = None  # the field's last line so far
        for line, cls in (it for it in items if it[0].side == side):
            act.boxes.append(line.box)
            wraps = cls is None and field is not None and last is not None and not in_notes
            if wraps and _continues(line, last, field[0], line_height):
                field[3].extend(line)
                last = line
                continue
            _finish(act, reader, field)
            field = last = None
            if cls is not None and cls.kind == "notes":
                in_notes = True
                span = ValueSpan.of(line, cls)
                _add_note(act, span.text, span.confidence, side, model)
            elif cls is not None and cls.kind == "section":
                section = cls.target
                in_notes = False
            elif cls is not None and cls.kind == "field" and not in_notes:
                key = _key(cls.target, side, section, model)
                field, last = (key, line, cls, ValueSpan.of(line, cls)), line
            elif in_notes:
                _add_note(act, line.ocr.text, line.ocr.confidence, side, model)
            else:
                act.unread.append(line.ocr.text)
        _finish(act, reader, field)
    return act


def _add_note(act: ActDraft, text: str, confidence: float, side: str, model: RegisterModel) -> None:
    cleaned = values.clean_text(text)
    if not cleaned or fold(cleaned) in model.no_notes[side]:
        return
    act.notes.append(MarginalNote(text=cleaned, confidence=round(confidence, 4), lang=side))


def infer_act_type(readings: dict[str, list[FieldValue]]) -> str:
    """The act type its fields imply, for pages whose header did not say."""
    if any(k.startswith(("husband_", "wife_", "marriage_")) for k in readings):
        return "marriage"
    if any(k.startswith("death_") for k in readings):
        return "death"
    return "birth"
