"""Store one act: insert it, or corroborate the act of the same identity already stored.

Used by both page loads (`load.py`) and bulk imports (`jsonl.py`). The caller owns the
transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ocr.text import fold, normalize
from records import Act, FieldValue, Issue, MarginalNote
from registry_loader import audit
from registry_loader.fields import StoredField, box_list, document, read
from registry_loader.models import (
    ActRow,
    ActSourceRow,
    Base,
    FieldReadingRow,
    MarginalNoteRow,
    RegisterRow,
    utcnow,
)
from registry_loader.names_index import index_acts
from registry_loader.persons import ActPersons, link_persons
from validation.routing import accept_threshold, route

# Keys that belong to one paper copy, not to the act: the bureau's and the court's copy
# put the same act on different register pages.
PER_COPY_KEYS = frozenset({"page"})


@dataclass(frozen=True)
class Origin:
    """Where the readings being stored come from."""

    kind: str  # "scan" or "import:<source name>"
    set_by: str  # recorded as `set_by` on the values this origin sets
    page_id: int | None = None
    file_name: str | None = None
    page_no: int | None = None
    record_sha256: str | None = None


@dataclass(frozen=True)
class Identity:
    """commune + act type + register year + act number, in their stored forms."""

    commune_key: str | None
    act_type: str | None
    register_year: int | None
    act_number: str | None

    @property
    def complete(self) -> bool:
        return None not in (self.commune_key, self.act_type, self.register_year, self.act_number)

    def order(self) -> tuple[str, str, int, int, str]:
        """A total order of identities (numbers numerically), unknown parts first."""
        number = self.act_number or ""
        return (
            self.commune_key or "",
            self.act_type or "",
            self.register_year or 0,
            len(number),
            number,
        )


@dataclass(frozen=True)
class Stored:
    act_id: str
    corroborated: bool
    status: str


@dataclass
class Counts:
    """Acts stored by a load or an import: new or corroborated, and their statuses."""

    acts_new: int = 0
    acts_corroborated: int = 0
    accepted: int = 0
    needs_review: int = 0
    rejected: int = 0

    def add(self, stored: Stored) -> None:
        if stored.corroborated:
            self.acts_corroborated += 1
        else:
            self.acts_new += 1
        setattr(self, stored.status, getattr(self, stored.status) + 1)


def agree(c1: float, c2: float) -> float:
    """Confidence of a value two independent readings agree on."""
    return 1 - (1 - c1) * (1 - c2)


def disagree(kept: float, other: float) -> float:
    """Confidence of the kept value when another independent reading differs:
    P(kept is right | the readings differ) = c1(1-c2) / (1 - c1 c2), never above c1."""
    if kept * other >= 1:
        return kept
    return kept * (1 - other) / (1 - kept * other)


def number_key(value: str | None) -> str | None:
    """The identity form of an act number: Western digits, no leading zeros."""
    if not value:
        return None
    number = normalize(value).replace(" ", "")
    if number.isdigit():
        number = number.lstrip("0") or "0"
    return number or None


def year_of(act: Act) -> int | None:
    year = act.value("register_year")
    year = normalize(year) if year else ""
    return int(year) if year.isascii() and year.isdigit() else None


def identity_of(session: Session, act: Act) -> Identity:
    act_type = normalize(act.act_type) if act.act_type else None
    year = year_of(act)
    return Identity(
        commune_key=commune_key(
            session, act_type, year, act.value("commune_ar"), act.value("commune_fr")
        ),
        act_type=act_type or None,
        register_year=year,
        act_number=number_key(act.act_number),
    )


def commune_key(
    session: Session,
    act_type: str | None,
    year: int | None,
    commune_ar: str | None,
    commune_fr: str | None,
) -> str | None:
    """fold(commune_fr), else fold(commune_ar); but an act whose Arabic commune matches a
    known register of its type and year joins that register even when its French line is
    missing or differs, so that the two copies of an act share one identity."""
    ar_key = fold(commune_ar) if commune_ar else None
    if ar_key and act_type and year is not None:
        known = session.scalar(
            select(RegisterRow.commune_key)
            .where(
                RegisterRow.act_type == act_type,
                RegisterRow.year == year,
                RegisterRow.commune_ar_key == ar_key,
            )
            .order_by(RegisterRow.id)
            .limit(1)
        )
        if known:
            return known
    return (fold(commune_fr) if commune_fr else None) or ar_key or None


def store_act(session: Session, act: Act, origin: Origin, *, accept: float | None = None) -> Stored:
    """Insert `act`, or corroborate the stored act with its id or its identity."""
    identity = identity_of(session, act)
    row = find_act(session, act.id, identity)
    if row is None:
        return _insert(session, act, identity, origin)
    return _corroborate(session, row, act, origin, accept)


def find_act(session: Session, act_id: str | None, identity: Identity) -> ActRow | None:
    """The stored act with this id, else with this identity (locked for update)."""
    if act_id and (row := session.get(ActRow, act_id, with_for_update=True)) is not None:
        return row
    if not identity.complete:
        return None
    return session.scalar(
        select(ActRow)
        .where(
            ActRow.commune_key == identity.commune_key,
            ActRow.act_type == identity.act_type,
            ActRow.register_year == identity.register_year,
            ActRow.act_number == identity.act_number,
        )
        .with_for_update()
    )


def _register(session: Session, act: Act, identity: Identity) -> RegisterRow | None:
    if None in (identity.commune_key, identity.act_type, identity.register_year):
        return None
    row = session.scalar(
        select(RegisterRow).filter_by(
            commune_key=identity.commune_key,
            act_type=identity.act_type,
            year=identity.register_year,
        )
    )
    ar, fr = act.value("commune_ar"), act.value("commune_fr")
    if row is None:
        row = RegisterRow(
            commune_key=identity.commune_key,
            act_type=identity.act_type,
            year=identity.register_year,
            commune_ar=ar,
            commune_fr=fr,
            commune_ar_key=fold(ar) if ar else None,
        )
        session.add(row)
        session.flush()
    else:  # a later act may bring the commune line its register lacked
        if row.commune_ar is None and ar:
            row.commune_ar, row.commune_ar_key = ar, fold(ar)
        if row.commune_fr is None and fr:
            row.commune_fr = fr
    return row


def _insert(session: Session, act: Act, identity: Identity, origin: Origin) -> Stored:
    register = _register(session, act, identity)
    source = act.source
    at = stamp()
    fields = {
        key: StoredField.of(fv, origin.set_by, origin.page_id, at) for key, fv in act.fields.items()
    }
    row = ActRow(
        id=act.id or uuid.uuid4().hex,
        register_id=register.id if register else None,
        act_type=identity.act_type,
        register_year=identity.register_year,
        commune_key=identity.commune_key,
        act_number=identity.act_number,
        status=act.status,
        min_confidence=act.min_confidence(),
        issues=[issue.to_json() for issue in act.issues],
        page_id=origin.page_id,
        source_file=origin.file_name or (source.file if source else None),
        source_page=origin.page_no or (source.page if source else None),
        source_bbox=box_list(source.bbox) if source else None,
        fields=document(fields),
    )
    session.add(row)
    session.flush()
    _record(session, row.id, act, origin, first=True)
    _insert_rows(
        session, MarginalNoteRow, [_note(row.id, note, origin) for note in act.marginal_notes]
    )
    values = {key: fv.value for key, fv in act.fields.items()}
    index_acts(session, [(row.id, values, row.act_type, row.register_year)])
    link_persons(session, [ActPersons.of(row.id, row.act_type, values, act.person_ids)])
    audit.record(
        session,
        origin.set_by,
        "act.created",
        act_id=row.id,
        new_value=row.status,
        detail={"source": _where(origin)},
    )
    return Stored(act_id=row.id, corroborated=False, status=row.status)


def _corroborate(
    session: Session, row: ActRow, act: Act, origin: Origin, accept: float | None
) -> Stored:
    current = read(row.fields)
    _keep_first_readings(session, row.id, current)
    at = stamp()
    where = _where(origin)
    before = {key: fv.value for key, fv in current.items()}
    threshold = accept_threshold(accept)
    issues: list[Issue] = []
    for key, fv in act.fields.items():
        cur = current.get(key)
        if cur is None:
            current[key] = StoredField.of(fv, origin.set_by, origin.page_id, at)
        elif fv.value == "" or key in PER_COPY_KEYS:
            continue
        elif cur.set_by.startswith("reviewer"):  # a reviewer's value is never overwritten
            if normalize(cur.value) != normalize(fv.value):
                issues.append(
                    Issue(  # for the record only: the reviewer had the last word
                        "copies_disagree",
                        f"{key}: {where} reads {fv.value!r}; the reviewer's {cur.value!r} is kept",
                        (key,),
                    )
                )
        elif cur.value == "":
            _replace(cur, fv, origin, fv.confidence, at)
        elif normalize(cur.value) == normalize(fv.value):
            cur.confidence = agree(cur.confidence, fv.confidence)
            cur.notes = [*cur.notes, f"corroborated by {where}"]
            cur.at = at
        else:
            other, other_conf = cur.value, cur.confidence
            both_sure = min(cur.confidence, fv.confidence) >= threshold
            if fv.confidence > cur.confidence:
                _replace(cur, fv, origin, disagree(fv.confidence, other_conf), at)
            else:
                other, other_conf = fv.value, fv.confidence
                cur.confidence = disagree(cur.confidence, fv.confidence)
                cur.at = at
            cur.notes = [*cur.notes, f"copies disagree: {where} reads {fv.value!r}"]
            # Two sure readings that differ are the copies differing (a correction entered
            # in one only): a person reconciles them. A doubtful reading against a sure one
            # is a misreading, which the kept value's lowered confidence already weighs.
            issues.append(
                Issue(
                    "copies_disagree",
                    f"{key}: the copies read {cur.value!r} and {other!r} "
                    f"(confidence {other_conf:.2f}); {cur.value!r} is kept",
                    (key,),
                    blocking=both_sure,
                )
            )
    kept = {key: normalize(fv.value) for key, fv in current.items()}
    stored = {key: normalize(value) for key, value in before.items()}
    read_now = {key: normalize(fv.value) for key, fv in act.fields.items()}
    issues = [
        *(i for i in map(Issue.from_json, row.issues) if not _overruled(i, stored, read_now, kept)),
        *(i for i in act.issues if not _overruled(i, read_now, stored, kept)),
        *issues,
    ]
    _record(session, row.id, act, origin)
    known_notes = {
        normalize(t)
        for t in session.scalars(
            select(MarginalNoteRow.text).where(MarginalNoteRow.act_id == row.id)
        )
    }
    new_notes = []
    for note in act.marginal_notes:
        if normalize(note.text) not in known_notes:
            new_notes.append(_note(row.id, note, origin))
            known_notes.add(normalize(note.text))
    _insert_rows(session, MarginalNoteRow, new_notes)

    merged = Act(
        fields={k: FieldValue(value=v.value, confidence=v.confidence) for k, v in current.items()},
        issues=list(dict.fromkeys(issues)),
        status=row.status,
    )
    old_status = row.status
    row.fields = document(current)
    row.issues = [i.to_json() for i in merged.issues]
    row.status = route(merged, accept)
    row.min_confidence = merged.min_confidence()
    row.updated_at = utcnow()
    session.flush()
    _audit_corroboration(session, row, origin, before, current, old_status)
    return Stored(act_id=row.id, corroborated=True, status=row.status)


def _overruled(
    issue: Issue, judged: dict[str, str], other: dict[str, str], kept: dict[str, str]
) -> bool:
    """Whether an issue one copy's reading raised was about readings the merge did not
    keep: every field it names now holds the other copy's reading (which that copy's own
    checks passed or flagged), and one at least differs from the reading it judged."""
    fields = issue.fields
    return (
        bool(fields)
        and all(kept.get(f) == other.get(f) for f in fields)
        and any(judged.get(f) != kept.get(f) for f in fields)
    )


def _audit_corroboration(
    session: Session,
    row: ActRow,
    origin: Origin,
    before: dict[str, str],
    current: dict[str, StoredField],
    old_status: str,
) -> None:
    """One entry for the new reading, one a value it added or replaced, one for a new status."""
    now, actor = utcnow(), origin.set_by
    entries = [
        audit.AuditEntry(now, actor, "act.corroborated", row.id, detail={"source": _where(origin)})
    ]
    for key, fv in current.items():
        old = before.get(key)
        if old != fv.value:
            entries.append(
                audit.AuditEntry(now, actor, "field.changed", row.id, key, old, fv.value)
            )
    if row.status != old_status:
        entries.append(
            audit.AuditEntry(now, actor, "act.status_changed", row.id, None, old_status, row.status)
        )
    audit.record_many(session, entries)


def _where(origin: Origin) -> str:
    if origin.file_name:
        return f"{origin.file_name} p.{origin.page_no}"
    return origin.kind


def _insert_rows(session: Session, model: type[Base], rows: list[dict[str, Any]]) -> None:
    # A bulk INSERT of plain rows: several times faster than one ORM object a row.
    if rows:
        session.execute(insert(model.__table__), rows)


def _replace(cur: StoredField, fv: FieldValue, origin: Origin, confidence: float, at: str) -> None:
    new = StoredField.of(fv, origin.set_by, origin.page_id, at)
    new.confidence, new.notes = confidence, [*cur.notes, *fv.notes]
    vars(cur).update(vars(new))


def stamp() -> str:
    """When a value is set, as field documents record it."""
    return utcnow().isoformat(timespec="seconds")


def first_readings(act: Act, origin: Origin) -> list[tuple[str, FieldValue]]:
    """The readings to record when an act is stored for the first time: every reading of a
    scan; of an imported record, only those it lists apart from its values (its values are
    its readings: `_keep_first_readings` records them when a second reading comes)."""
    if origin.kind == "scan":
        return all_readings(act)
    return [(key, fv) for key, values in act.readings.items() for fv in values]


def all_readings(act: Act) -> list[tuple[str, FieldValue]]:
    out = []
    for key in dict.fromkeys([*act.fields, *act.readings]):
        # What validation resolved the field from (both sides of a date...), else the field.
        for fv in act.readings.get(key) or ([act.fields[key]] if key in act.fields else []):
            out.append((key, fv))
    return out


def _keep_first_readings(session: Session, act_id: str, current: dict[str, StoredField]) -> None:
    """Before a second reading changes an imported act, record its values as the readings
    they came from (an import stores them only as values: see `first_readings`)."""
    recorded = set(
        session.scalars(select(FieldReadingRow.key).where(FieldReadingRow.act_id == act_id))
    )
    rows = [
        _reading(act_id, key, fv.page_id, fv.set_by, fv)
        for key, fv in current.items()
        if key not in recorded and not fv.set_by.startswith("reviewer")
    ]
    _insert_rows(session, FieldReadingRow, rows)


def _reading(
    act_id: str,
    key: str,
    page_id: int | None,
    origin: str,
    fv: FieldValue | StoredField,
) -> dict[str, Any]:
    """A `field_readings` row."""
    return dict(
        act_id=act_id,
        key=key,
        page_id=page_id,
        origin=origin,
        value=fv.value,
        confidence=fv.confidence,
        raw=fv.raw,
        box=box_list(fv.box),  # type: ignore[arg-type]
        side=fv.side,
        engine=fv.engine,
    )


def _record(session: Session, act_id: str, act: Act, origin: Origin, first: bool = False) -> None:
    """Keep the readings and the source they came from."""
    source = act.source
    session.add(
        ActSourceRow(
            act_id=act_id,
            page_id=origin.page_id,
            file_name=origin.file_name or (source.file if source else None),
            page_no=origin.page_no or (source.page if source else None),
            bbox=box_list(source.bbox) if source else None,
            origin=origin.kind,
            record_sha256=origin.record_sha256,
        )
    )
    readings = [
        _reading(act_id, key, origin.page_id, origin.kind, fv)
        for key, fv in (first_readings(act, origin) if first else all_readings(act))
    ]
    _insert_rows(session, FieldReadingRow, readings)


def _note(act_id: str, note: MarginalNote, origin: Origin) -> dict[str, Any]:
    return dict(
        act_id=act_id,
        text=note.text,
        lang=note.lang,
        confidence=note.confidence,
        box=box_list(note.box),
        page_id=origin.page_id,
    )
