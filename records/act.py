"""The act record passed from extraction to validation to the registry, and its JSON form.

The JSON form is the contract of interfaces.md ("One act as JSON"); `Act.to_json` and
`Act.from_json` are the only places that know it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Box = tuple[int, int, int, int]  # x, y, width, height in pixels of the source page image


@dataclass(frozen=True)
class Source:
    """Where an act was read: the file's base name, the page in that file (from 1), the box."""

    file: str
    page: int
    bbox: Box | None = None

    def to_json(self) -> dict[str, Any]:
        bbox = list(self.bbox) if self.bbox else None
        return {"file": self.file, "page": self.page, "bbox": bbox}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Source:
        bbox = data.get("bbox")
        return cls(
            file=data["file"], page=int(data.get("page", 1)), bbox=tuple(bbox) if bbox else None
        )


@dataclass
class FieldValue:
    """One value of an act with its provenance.

    `confidence` is the estimated probability that `value` is right (1.0 once a reviewer
    confirmed or typed it). `raw` is the OCR text the value was read from, `box` where on
    the page, `side` which column ("ar", "fr", "header"), `engine` what produced it
    ("tesseract 5.5.4/ara", "import", "reviewer:NAME"). `notes` say why the confidence
    was changed by validation.
    """

    value: str
    confidence: float = 1.0
    raw: str | None = None
    box: Box | None = None
    side: str | None = None
    engine: str | None = None
    notes: list[str] = field(default_factory=list)

    def to_json(self, *, provenance: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "confidence": round(self.confidence, 4)}
        if provenance:
            out.update(
                raw=self.raw,
                box=list(self.box) if self.box else None,
                side=self.side,
                engine=self.engine,
                notes=list(self.notes),
            )
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any] | str) -> FieldValue:
        if not isinstance(data, dict):  # a bare value, as other systems may export
            return cls(value=str(data))
        box = data.get("box")
        return cls(
            value=str(data["value"]),
            confidence=float(data.get("confidence", 1.0)),
            raw=data.get("raw"),
            box=tuple(box) if box else None,
            side=data.get("side"),
            engine=data.get("engine"),
            notes=list(data.get("notes") or []),
        )


@dataclass(frozen=True)
class Issue:
    """A validation finding: which rule, a sentence for the reviewer, the fields involved.
    A blocking issue sends the act to review whatever its confidences."""

    rule: str
    message: str
    fields: tuple[str, ...] = ()
    blocking: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "message": self.message,
            "fields": list(self.fields),
            "blocking": self.blocking,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Issue:
        return cls(
            rule=data["rule"],
            message=data["message"],
            fields=tuple(data.get("fields", ())),
            blocking=bool(data.get("blocking", False)),
        )


@dataclass
class MarginalNote:
    """A note added later in the margin of an act, in one script."""

    text: str
    confidence: float = 1.0
    lang: str | None = None  # "ar" or "fr"
    box: Box | None = None

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "confidence": round(self.confidence, 4), "lang": self.lang}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MarginalNote:
        return cls(
            text=data["text"], confidence=float(data.get("confidence", 1.0)), lang=data.get("lang")
        )


@dataclass
class Act:
    """One civil-status act: its fields (register keys included) and where it was read.

    `readings` holds every reading of a key on this scan (the Arabic and the French side of
    a date, say); validation resolves them into `fields`, one current value a key.
    """

    fields: dict[str, FieldValue] = field(default_factory=dict)
    readings: dict[str, list[FieldValue]] = field(default_factory=dict)
    source: Source | None = None
    marginal_notes: list[MarginalNote] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    status: str = "needs_review"
    id: str | None = None
    person_ids: list[str] = field(default_factory=list)

    def value(self, key: str) -> str | None:
        fv = self.fields.get(key)
        return fv.value if fv is not None and fv.value != "" else None

    @property
    def act_type(self) -> str | None:
        return self.value("act_type")

    @property
    def register_year(self) -> int | None:
        year = self.value("register_year")
        return int(year) if year and year.isdigit() else None

    @property
    def act_number(self) -> str | None:
        return self.value("act_number")

    def min_confidence(self) -> float:
        return min((fv.confidence for fv in self.fields.values()), default=0.0)

    def to_json(self, *, provenance: bool = False) -> dict[str, Any]:
        """The act in the export format of interfaces.md (plus `issues`)."""
        out: dict[str, Any] = {
            "id": self.id,
            "act_type": self.act_type,
            "status": self.status,
            "register_year": self.register_year,
            "commune_ar": self.value("commune_ar"),
            "commune_fr": self.value("commune_fr"),
            "act_number": self.act_number,
            "source": self.source.to_json() if self.source else None,
            "fields": {k: fv.to_json(provenance=provenance) for k, fv in self.fields.items()},
            "marginal_notes": [n.to_json() for n in self.marginal_notes],
            "person_ids": list(self.person_ids),
            "issues": [i.to_json() for i in self.issues],
        }
        if provenance:
            out["readings"] = {
                k: [fv.to_json(provenance=True) for fv in values]
                for k, values in self.readings.items()
            }
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Act:
        """Read an act in the export format; top-level register keys fill missing fields."""
        fields = {k: FieldValue.from_json(v) for k, v in (data.get("fields") or {}).items()}
        for key in ("act_type", "register_year", "commune_ar", "commune_fr", "act_number"):
            if key not in fields and data.get(key) not in (None, ""):
                fields[key] = FieldValue(value=str(data[key]), engine="import")
        readings = {
            k: [FieldValue.from_json(v) for v in values]
            for k, values in (data.get("readings") or {}).items()
        }
        return cls(
            fields=fields,
            readings=readings,
            source=Source.from_json(data["source"]) if data.get("source") else None,
            marginal_notes=[MarginalNote.from_json(n) for n in data.get("marginal_notes") or []],
            issues=[Issue.from_json(i) for i in data.get("issues") or []],
            status=data.get("status") or "needs_review",
            id=data.get("id"),
            person_ids=list(data.get("person_ids") or []),
        )
