"""An act's current field values as stored: one JSON document on the act row
(`acts.fields`), field key -> the value with its provenance.

One document an act rather than one row a field: a bulk load writes one row where it
wrote twenty (SQLite inserted about 100,000 such rows a second on this machine, so twenty
rows an act capped loading near 5,000 acts a second before anything else was written), and
an act reads back from one row. Every value still carries its raw OCR text, confidence,
box, side, engine, validation notes, page, who set it and when; the reading history stays
in `field_readings` and every change in the audit log.

Who set a value and when are mostly the same for every field of an act (the import or the
reading that created it): the document says them once, under `DEFAULTS`, and an entry
only when it differs (a reviewer's correction). Twenty repeated pairs were half of an
act's document, and SQLite then fitted one act a page where it now fits two.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from records import ALL_KEYS, FieldValue

_ORDER = {key: i for i, key in enumerate(ALL_KEYS)}
DEFAULTS = "_defaults"  # the document's set_by and at, for the entries that omit them
_SHARED = ("set_by", "at")


@dataclass
class StoredField:
    """One field's current value and provenance, as its document entry holds it."""

    value: str
    confidence: float
    raw: str | None = None
    box: list[int] | None = None
    side: str | None = None
    engine: str | None = None
    notes: list[str] = field(default_factory=list)
    page_id: int | None = None
    set_by: str = ""  # "ocr", "import:<source>", "reviewer:<name>"...
    at: str | None = None  # when it was set: ISO 8601, UTC

    @classmethod
    def of(
        cls, fv: FieldValue, set_by: str, page_id: int | None = None, at: str | None = None
    ) -> StoredField:
        return cls.from_json(entry_of(fv, set_by, page_id, at))

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> StoredField:
        return cls(
            value=data["value"],
            confidence=data["confidence"],
            raw=data.get("raw"),
            box=data.get("box"),
            side=data.get("side"),
            engine=data.get("engine"),
            notes=list(data.get("notes") or ()),
            page_id=data.get("page_id"),
            set_by=data.get("set_by", ""),
            at=data.get("at") or None,
        )

    def to_json(self) -> dict[str, Any]:
        """The document entry: empty parts left out."""
        out: dict[str, Any] = {"value": self.value, "confidence": self.confidence}
        for name in ("raw", "box", "side", "engine", "notes", "page_id", "set_by", "at"):
            if part := getattr(self, name):
                out[name] = part
        return out


def entry_of(
    fv: FieldValue, set_by: str, page_id: int | None = None, at: str | None = None
) -> dict[str, Any]:
    """The document entry of a value read (or imported) and stored by `set_by`; an imported
    value a reviewer typed stays a reviewer's value. Built as `StoredField.to_json` builds
    it, without the object: bulk loads make one a field."""
    entry: dict[str, Any] = {"value": fv.value, "confidence": fv.confidence}
    if fv.raw:
        entry["raw"] = fv.raw
    if fv.box:
        entry["box"] = box_list(fv.box)
    if fv.side:
        entry["side"] = fv.side
    if fv.engine:
        entry["engine"] = fv.engine
    if fv.notes:
        entry["notes"] = list(fv.notes)
    if page_id:
        entry["page_id"] = page_id
    entry["set_by"] = fv.engine if fv.engine and fv.engine.startswith("reviewer") else set_by
    if at:
        entry["at"] = at
    return entry


def box_list(box: Sequence[int] | None) -> list[int] | None:
    """A box as JSON columns hold it (a list; None for none)."""
    return list(box) if box else None


def field_value(entry: Mapping[str, Any]) -> FieldValue:
    """The `records.FieldValue` of a document entry."""
    box = entry.get("box")
    return FieldValue(
        value=entry["value"],
        confidence=entry["confidence"],
        raw=entry.get("raw"),
        box=tuple(box) if box else None,  # type: ignore[arg-type]
        side=entry.get("side"),
        engine=entry.get("engine"),
        notes=list(entry.get("notes") or ()),
    )


def read(document: Mapping[str, Any] | None) -> dict[str, StoredField]:
    """The fields of a stored document, in the canonical key order."""
    return {key: StoredField.from_json(entry) for key, entry in entries(document).items()}


def entries(document: Mapping[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Field key -> entry of a stored document, whole (the document's defaults filled
    in), in the canonical key order."""
    document = document or {}
    defaults = document.get(DEFAULTS)
    if not defaults:
        return ordered(document)
    return {
        key: {**defaults, **entry} for key, entry in ordered(document).items() if key != DEFAULTS
    }


def document(fields: Mapping[str, StoredField]) -> dict[str, Any]:
    """The document of these fields, in the canonical key order (assign it to
    `ActRow.fields` whole: the ORM sees a new value, not changes inside one)."""
    return pack({key: f.to_json() for key, f in ordered(fields).items()})


def pack(entries: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """A document of whole entries (in the order given): the set_by and at most of them
    share said once, under `DEFAULTS`."""
    # (set_by, at) of each entry, written out: bulk loads pack a document an act.
    pairs = {key: (entry.get("set_by"), entry.get("at")) for key, entry in entries.items()}
    shared = Counter(pairs.values())
    if not shared:
        return {}
    common, count = shared.most_common(1)[0]
    if count < 2 or common == (None, None):
        return {key: dict(entry) for key, entry in entries.items()}
    defaults = {part: value for part, value in zip(_SHARED, common, strict=True) if value}
    out: dict[str, Any] = {DEFAULTS: defaults}
    for key, entry in entries.items():
        if pairs[key] == common:
            packed = {part: value for part, value in entry.items() if part not in _SHARED}
        else:  # an entry that lacks a part the defaults have must not inherit it
            packed = dict(entry)
            for part in _SHARED:
                if part in defaults and part not in packed:
                    packed[part] = ""
        out[key] = packed
    return out


def values(document: Mapping[str, Any] | None) -> dict[str, str]:
    """Field key -> value of a stored document."""
    return {key: entry["value"] for key, entry in (document or {}).items() if key != DEFAULTS}


def ordered(items: Mapping[str, Any]) -> dict[str, Any]:
    return dict(sorted(items.items(), key=lambda item: (_ORDER.get(item[0], len(_ORDER)), item[0])))


def dumps(document: Mapping[str, Any]) -> str:
    """The document as the database stores it (for rows written without the ORM)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))
