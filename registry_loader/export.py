"""Read acts back out of the registry as `records.Act`, in a stable order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Row, bindparam, func, select
from sqlalchemy.orm import Session

from records import STATUSES, Act, Issue, MarginalNote, Source
from registry_loader.fields import entries, field_value
from registry_loader.models import ActRow, MarginalNoteRow
from registry_loader.persons import persons_of

CHUNK = 500

# Register (commune, type, year), then act number in numeric order (digit strings without
# leading zeros sort by length, then by text), then id. Content, not insertion order:
# two databases holding the same acts export them in the same order.
ACT_ORDER = (
    ActRow.commune_key.asc().nulls_last(),
    ActRow.act_type.asc().nulls_last(),
    ActRow.register_year.asc().nulls_last(),
    func.length(ActRow.act_number).asc().nulls_last(),
    ActRow.act_number.asc(),
    ActRow.id.asc(),
)

# Plain columns, not ORM objects: building Acts from rows is several times faster.
_ACT_COLUMNS = (
    ActRow.id,
    ActRow.status,
    ActRow.issues,
    ActRow.source_file,
    ActRow.source_page,
    ActRow.source_bbox,
    ActRow.fields,
)
_NOTE_COLUMNS = (
    MarginalNoteRow.act_id,
    MarginalNoteRow.text,
    MarginalNoteRow.confidence,
    MarginalNoteRow.lang,
    MarginalNoteRow.box,
)
# Built once (building a statement cost more than running it for the 20 acts of a search).
_IDS = bindparam("ids", expanding=True)
_ACTS_BY_ID = select(*_ACT_COLUMNS).where(ActRow.id.in_(_IDS))
_NOTES_OF = (
    select(*_NOTE_COLUMNS).where(MarginalNoteRow.act_id.in_(_IDS)).order_by(MarginalNoteRow.id)
)


def iter_acts(session: Session, status: str = "all", *, chunk: int = CHUNK) -> Iterator[Act]:
    """Every act (or those of one status) in register and act-number order, streamed a
    chunk at a time: one query for the acts, then one for the fields and one for the notes
    of each chunk."""
    stmt = select(*_ACT_COLUMNS).order_by(*ACT_ORDER)
    if status != "all":
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}: one of all, {', '.join(STATUSES)}")
        stmt = stmt.where(ActRow.status == status)
    for rows in session.execute(stmt.execution_options(yield_per=chunk)).partitions():
        yield from _acts(session, rows)


def get_act(session: Session, act_id: str) -> Act | None:
    return get_acts(session, [act_id]).get(act_id)


def get_acts(session: Session, act_ids: Iterable[str]) -> dict[str, Act]:
    """The acts with these ids (those that exist), by id."""
    ids = list(dict.fromkeys(act_ids))
    acts: dict[str, Act] = {}
    for start in range(0, len(ids), CHUNK):
        rows = session.execute(_ACTS_BY_ID, {"ids": ids[start : start + CHUNK]}).all()
        acts.update((act.id, act) for act in _acts(session, rows))
    return acts


def _acts(session: Session, rows: Sequence[Row[Any]]) -> list[Act]:
    """The `records.Act`s of these act rows; their fields in the canonical key order."""
    ids = [row.id for row in rows]
    notes: dict[str, list[Row[Any]]] = defaultdict(list)
    for n in session.execute(_NOTES_OF, {"ids": ids}):
        notes[n.act_id].append(n)
    persons = persons_of(session, ids)
    return [
        Act(
            fields={key: field_value(entry) for key, entry in entries(row.fields).items()},
            source=(
                Source(file=row.source_file, page=row.source_page or 1, bbox=_box(row.source_bbox))
                if row.source_file
                else None
            ),
            marginal_notes=[
                MarginalNote(text=n.text, confidence=n.confidence, lang=n.lang, box=_box(n.box))
                for n in notes[row.id]
            ],
            issues=[Issue.from_json(i) for i in row.issues or []],
            status=row.status,
            id=row.id,
            person_ids=persons.get(row.id, []),
        )
        for row in rows
    ]


def _box(value: Any) -> tuple[int, int, int, int] | None:
    return tuple(value) if value else None  # type: ignore[return-value]
