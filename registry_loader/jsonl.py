"""Bulk import of acts in the export format (`.jsonl`: one `Act.to_json()` object a line).

Idempotent: an act whose id is stored, or a record imported before, is skipped; an act
whose identity is stored corroborates it, as a second scan would. Bad records are reported
with their line number and the reason; the others load.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from records import ACT_TYPES, ALL_KEYS, STATUSES, Act
from registry_loader.db import begin_write
from registry_loader.models import ActRow, ActSourceRow
from registry_loader.store import Counts, Origin, store_act, year_of

BATCH = 500  # acts a transaction


@dataclass(frozen=True)
class LineError:
    line: int
    reason: str


@dataclass
class ImportResult(Counts):
    skipped: int = 0  # already in the registry: same id, or the same record imported before
    errors: list[LineError] = field(default_factory=list)

    @property
    def acts(self) -> int:
        return self.acts_new + self.acts_corroborated


def import_jsonl(
    session: Session,
    lines: Iterable[str],
    source_name: str,
    *,
    prepare: Callable[[Act], Act] | None = None,
    accept: float | None = None,
    batch: int = BATCH,
) -> ImportResult:
    """Import the acts of a `.jsonl` stream and commit.

    `prepare` (e.g. validation and routing) is applied to each act before it is stored;
    a ValueError it raises rejects that line with its message as the reason.
    """
    errors: list[LineError] = []

    def acts() -> Iterator[tuple[int, Act]]:
        for number, parsed in parse_jsonl(lines):
            if isinstance(parsed, LineError):
                errors.append(parsed)
                continue
            if prepare is not None:
                try:
                    parsed = prepare(parsed)
                except ValueError as exc:
                    errors.append(LineError(number, str(exc)))
                    continue
            yield number, parsed

    result = _import(session, acts(), source_name, accept=accept, batch=batch)
    result.errors = sorted(errors + result.errors, key=lambda e: e.line)
    return result


def import_acts(
    session: Session,
    acts: Iterable[Act],
    source_name: str,
    *,
    accept: float | None = None,
    batch: int = BATCH,
) -> ImportResult:
    """Import acts (the caller validated them) and commit; errors number acts from 1."""
    return _import(session, enumerate(acts, start=1), source_name, accept=accept, batch=batch)


def parse_jsonl(lines: Iterable[str]) -> Iterator[tuple[int, Act | LineError]]:
    """(line number, act or the reason it is unusable) for each non-blank line."""
    for number, line in enumerate(lines, start=1):
        text = line.strip().lstrip("\ufeff")
        if not text:
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            yield number, LineError(number, f"not JSON: {exc}")
            continue
        if not isinstance(data, dict):
            yield number, LineError(number, f"not a JSON object but {type(data).__name__}")
            continue
        try:
            act = Act.from_json(data)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            yield number, LineError(number, f"not an act: {type(exc).__name__} {exc}")
            continue
        problems = check_act(act)
        yield number, (LineError(number, "; ".join(problems)) if problems else act)


def check_act(act: Act) -> list[str]:
    """What makes `act` unfit to store (empty when it is fit)."""
    problems = []
    if act.status not in STATUSES:
        problems.append(f"unknown status {act.status!r}")
    if act.act_type is not None and act.act_type not in ACT_TYPES:
        problems.append(f"unknown act_type {act.act_type!r}")
    if act.value("register_year") is not None and year_of(act) is None:
        problems.append(f"register_year {act.value('register_year')!r} is not a year")
    unknown = sorted(set(act.fields) - set(ALL_KEYS))
    if unknown:
        problems.append(f"unknown field keys {', '.join(unknown)}")
    bad = sorted(k for k, fv in act.fields.items() if not 0.0 <= fv.confidence <= 1.0)
    if bad:
        problems.append(f"confidence outside [0, 1] for {', '.join(bad)}")
    if act.id is not None and not (isinstance(act.id, str) and act.id.strip()):
        problems.append(f"id {act.id!r} is not a non-empty string")
    return problems


def record_digest(act: Act) -> str:
    """sha256 of the record's content: the same record imported twice is seen as such."""
    text = json.dumps(act.to_json(provenance=True), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _import(
    session: Session,
    acts: Iterable[tuple[int, Act]],
    source_name: str,
    *,
    accept: float | None,
    batch: int,
) -> ImportResult:
    result = ImportResult()
    kind = f"import:{source_name}"
    pending = 0
    try:
        for number, act in acts:
            begin_write(session)
            digest = record_digest(act)
            known_status = _known_status(session, act.id, digest)
            if known_status is not None:
                # Counted with its status as the registry holds it: a rerun's summary says
                # what the file holds, not only what changed.
                result.skipped += 1
                setattr(result, known_status, getattr(result, known_status) + 1)
                continue
            origin = Origin(kind=kind, set_by=kind, record_sha256=digest)
            try:
                with session.begin_nested():
                    stored = store_act(session, act, origin, accept=accept)
            except SQLAlchemyError as exc:
                reason = getattr(exc, "orig", None) or exc
                result.errors.append(LineError(number, f"not stored: {reason}"))
                continue
            result.add(stored)
            pending += 1
            if pending >= batch:
                session.commit()
                pending = 0
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return result


def _known_status(session: Session, act_id: str | None, digest: str) -> str | None:
    """The status of the act already holding this record (same id, or the same record
    imported before), or None when the record is new."""
    if act_id is not None and (row := session.get(ActRow, act_id)) is not None:
        return row.status
    return session.scalar(
        select(ActRow.status)
        .join(ActSourceRow, ActSourceRow.act_id == ActRow.id)
        .where(ActSourceRow.record_sha256 == digest)
        .limit(1)
    )
