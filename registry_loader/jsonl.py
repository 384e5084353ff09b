"""Bulk import of acts in the export format (`.jsonl`: one `Act.to_json()` object a line).

Idempotent: an act whose id is stored, or a record imported before, is skipped; an act
whose identity is stored corroborates it, as a second scan would. Bad records are reported
with their line number and the reason; the others load. New acts are inserted a batch at a
time (`bulk.py`); the others go one at a time through `store.store_act`. An import into an
empty registry builds the secondary indexes after its rows (`_Deferred`).
"""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import multiprocessing.pool
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from records import ACT_TYPES, ALL_KEYS, STATUSES, Act
from registry_loader.bulk import NewAct, Registers, existing_identities, insert_new, new_act
from registry_loader.db import (
    begin_write,
    drop_deferred_indexes,
    refresh_after_import,
    restore_indexes,
)
from registry_loader.models import ActRow, ActSourceRow
from registry_loader.names_index import forget_terms
from registry_loader.store import Counts, Origin, stamp, store_act, year_of

# Acts a transaction: new ones are inserted in bulk, a few statements a table. Larger
# batches write each page of the random-keyed indexes once for more rows, flush fewer
# full-text segments and count term uses once for more acts: at 300k acts from empty, the
# loader's main process 255 us of CPU an act with 2,000, 235 with 10,000, 209-238 with 25,000.
BATCH = 25_000
BULK_ACTS = 10_000  # new acts from which an import refreshes the statistics
_IN_CHUNK = 500
T = TypeVar("T")


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
    workers: int = 1,
    refresh_after: int = BULK_ACTS,
) -> ImportResult:
    """Import the acts of a `.jsonl` stream and commit.

    `prepare` (e.g. validation and routing) is applied to each act before it is stored;
    a ValueError it raises rejects that line with its message as the reason. `workers` > 1
    parses, prepares and makes the rows of lines in that many forked processes while this
    one stores (for large files from a plain process: not from threads, not on Windows).
    A record is known again by the SHA-256 of its line (blanks and byte-order mark around
    it aside). An import adding `refresh_after` acts or more ends by refreshing the
    database's statistics and search indexes (`db.refresh_after_import`).
    """
    errors: list[LineError] = []
    job = _Job(prepare, f"import:{source_name}", stamp())
    parallel = workers > 1
    prepared = _parse_in_parallel(lines, job, workers, batch) if parallel else job.run(lines)

    def acts() -> Iterator[NewAct]:
        for parsed in prepared:
            if isinstance(parsed, LineError):
                errors.append(parsed)
            else:
                yield parsed

    with _collector_paused() if parallel else nullcontext():
        result = _import(session, acts(), job.kind, accept=accept, batch=batch)
    result.errors = sorted(errors + result.errors, key=lambda e: e.line)
    if result.acts_new >= refresh_after:
        refresh_after_import(session.get_bind())  # type: ignore[arg-type]
    return result


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while importing in parallel (from a plain process,
    as forking asks: the setting is the process's; the forked parsing workers inherit it):
    a bulk load allocates millions of objects and makes almost no cycles, and every full
    collection walked the parsed acts waiting to be stored (at 300k acts, the loader's main
    process 237 -> 199 us of CPU an act, the workers 202 -> 184)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class _Job:
    """What turns lines into `NewAct`s, in this process or in forked workers."""

    prepare: Callable[[Act], Act] | None
    kind: str  # "import:<source name>"
    at: str  # when the values are set

    def run(
        self, lines: Iterable[str], start: int = 1, *, lines_kept: bool = False
    ) -> Iterator[NewAct | LineError]:
        """`lines_kept`: the caller keeps the lines, and gives an act its own
        (`_with_lines`) unless `prepare` changed it (its text None: a record's text costs
        the loader more to unpickle than the rest of what it needs of it)."""
        for number, line in enumerate(lines, start=start):
            text = _record_text(line)
            if not text:
                continue
            digest = hashlib.sha256(text.encode()).hexdigest()
            parsed = parse_record(number, text)
            sent: str | None = None if lines_kept else text
            if isinstance(parsed, Act) and self.prepare is not None:
                try:
                    parsed = self.prepare(parsed)
                except ValueError as exc:
                    parsed = LineError(number, str(exc))
                else:
                    sent = json.dumps(parsed.to_json(provenance=True), ensure_ascii=False)
            if isinstance(parsed, LineError):
                yield parsed
            else:
                yield new_act(number, parsed, digest, sent, self.kind, self.at)


def _record_text(line: str) -> str:
    return line.strip().lstrip("\ufeff")


_JOB: _Job | None = None  # the forked workers' job
_PARSE_CHUNK = 1000


def _parse_in_parallel(
    lines: Iterable[str], job: _Job, workers: int, batch: int
) -> Iterator[NewAct | LineError]:
    global _JOB
    _JOB = job  # forked workers inherit it: nothing to pickle
    # At most a batch and two chunks a worker ahead of the loader: `imap` alone reads the
    # whole file and holds every parsed act in memory when parsing outpaces storing; less
    # than a batch leaves the workers idle while the loader stores one.
    ahead = threading.BoundedSemaphore(2 * workers + -(-batch // _PARSE_CHUNK))

    sent: dict[int, list[str]] = {}

    def chunks() -> Iterator[tuple[int, list[str]]]:
        for chunk in _line_chunks(lines, _PARSE_CHUNK):
            ahead.acquire()
            sent[chunk[0]] = chunk[1]
            yield chunk

    with _Pool(workers, context=multiprocessing.get_context("fork")) as pool:
        for start, prepared in pool.imap(_parse_chunk, chunks()):
            ahead.release()
            yield from _with_lines(prepared, start, sent.pop(start))


# A worker sends each act as the tuple of its fields: pickled and unpickled at a third
# and a half of the cost of the object (dataclass: 10 and 8 us an act, tuple: 3 and 4).
_AS_TUPLE = attrgetter(*[f.name for f in fields(NewAct)])


def _with_lines(
    prepared: list[tuple | LineError], start: int, lines: list[str]
) -> list[NewAct | LineError]:
    """The acts a worker sent (as tuples), those sent without their text given their lines
    (as read)."""
    out: list[NewAct | LineError] = []
    for item in prepared:
        if isinstance(item, tuple):
            act = NewAct(*item)
            if act.text is None:
                act.text = lines[act.number - start]
            out.append(act)
        else:
            out.append(item)
    return out


class _Pool(multiprocessing.pool.Pool):
    """A pool whose thread minding the workers wakes when one exits or the pool's state
    changes. The standard pool's also wakes while results wait unread in its queue: it
    spun while the loader's result thread read them (10 % of the main process's samples)."""

    def _get_sentinels(self) -> list:
        return [self._change_notifier._reader]  # type: ignore[attr-defined]


def _line_chunks(lines: Iterable[str], size: int) -> Iterator[tuple[int, list[str]]]:
    """Chunks of lines, each with the number of its first line."""
    start = 1
    for chunk in _batches(lines, size):
        yield start, chunk
        start += len(chunk)


def _parse_chunk(chunk: tuple[int, list[str]]) -> tuple[int, list[tuple | LineError]]:
    start, lines = chunk
    assert _JOB is not None
    made = _JOB.run(lines, start, lines_kept=True)
    return start, [_AS_TUPLE(a) if isinstance(a, NewAct) else a for a in made]


def import_acts(
    session: Session,
    acts: Iterable[Act],
    source_name: str,
    *,
    accept: float | None = None,
    batch: int = BATCH,
) -> ImportResult:
    """Import acts (the caller validated them) and commit; errors number acts from 1.
    A record is known again by `record_digest`."""
    kind, at = f"import:{source_name}", stamp()

    def made() -> Iterator[NewAct]:
        for number, act in enumerate(acts, start=1):
            text = json.dumps(act.to_json(provenance=True), ensure_ascii=False)
            new = new_act(number, act, record_digest(act), text, kind, at)
            new.fit = not check_act(act)
            yield new

    return _import(session, made(), kind, accept=accept, batch=batch)


def parse_record(number: int, text: str) -> Act | LineError:
    """The act of one line, or the reason it is unusable."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return LineError(number, f"not JSON: {exc}")
    if not isinstance(data, dict):
        return LineError(number, f"not a JSON object but {type(data).__name__}")
    try:
        act = Act.from_json(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return LineError(number, f"not an act: {type(exc).__name__} {exc}")
    problems = check_act(act)
    return LineError(number, "; ".join(problems)) if problems else act


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


@dataclass
class _Deferred:
    """Whether this import dropped the registry's secondary indexes, to build them at its
    end: an import into an empty registry that fills a whole batch (`db.DEFERRED_INDEXES`;
    measured at 1M acts on SQLite: 1,285 -> 1,593 acts/s). An act a batch cannot take
    (its identity stored, a duplicate) is stored one at a time by statements that read
    those indexes: they are built first.

    The record digests' index is among them: while it is dropped, the records stored are
    this import's (the registry was empty), known by the digests it remembers (their first
    8 bytes: a record that seems known goes one at a time, where the stored ones are read)."""

    active: bool = False
    remember: bool = False  # the digests stored: the registry was empty, its indexes not built
    digests: set[int] = field(default_factory=set)

    def drop(self, session: Session) -> None:
        begin_write(session)
        drop_deferred_indexes(session.connection())
        session.commit()
        self.active = True

    def restore(self, session: Session) -> None:
        if self.active:
            begin_write(session)
            restore_indexes(session.connection())
            self.active = self.remember = False
            self.digests.clear()

    def stored(self, acts: Iterable[NewAct]) -> None:
        """Remember the records of these acts, which this import stored (or skipped, or
        refused: one seeming known needs only be looked up)."""
        if self.remember:
            self.digests.update(_short(act.digest) for act in acts)

    def may_hold(self, act: NewAct) -> bool:
        """Whether this import may have stored the record (while the digests' index is
        dropped, the stored records are not looked up)."""
        return self.active and _short(act.digest) in self.digests


def _short(digest: str) -> int:
    return int(digest[:16], 16)


def _import(
    session: Session,
    acts: Iterable[NewAct],
    kind: str,
    *,
    accept: float | None,
    batch: int,
) -> ImportResult:
    result = ImportResult()
    registers = Registers()
    deferred, empty = _Deferred(), False
    try:
        for number, chunk in enumerate(_batches(acts, batch)):
            begin_write(session, bulk=True)
            if number == 0:
                empty = session.execute(select(ActRow.id).limit(1)).first() is None
                deferred.remember = empty
            _import_batch(session, chunk, kind, accept, registers, result, deferred)
            session.commit()
            if number == 0 and empty and len(chunk) == batch:
                deferred.drop(session)
        deferred.restore(session)
        session.commit()
    except Exception:
        session.rollback()
        try:
            deferred.restore(session)
            session.commit()
        except SQLAlchemyError:  # the next `open_registry` builds them (as after a kill)
            session.rollback()
        raise
    except BaseException:
        session.rollback()
        raise
    return result


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _import_batch(
    session: Session,
    chunk: list[NewAct],
    kind: str,
    accept: float | None,
    registers: Registers,
    result: ImportResult,
    deferred: _Deferred,
) -> None:
    """New acts of the batch in bulk; the others (a stored identity, a duplicate within
    the batch, a record the checks refuse) one at a time after them, as before."""
    digests = [] if deferred.active else [a.digest for a in chunk]
    by_id, by_digest = _known_statuses(session, [a.act_id for a in chunk], digests)
    candidates, later = [], []
    seen_ids: set[str] = set()
    seen_digests: set[str] = set()
    for act in chunk:
        known = (by_id.get(act.act_id) if act.act_id else None) or by_digest.get(act.digest)
        if known is not None:
            _skip(result, known)
        elif (
            act.act_id in seen_ids
            or act.digest in seen_digests
            or not act.fit
            or deferred.may_hold(act)
        ):
            later.append(act)
        else:
            seen_ids.add(act.act_id or "")
            seen_digests.add(act.digest)
            candidates.append(act)
    identities = registers.identities(session, candidates)
    taken = existing_identities(session, identities)
    fresh, fresh_identities = [], []
    for act, identity in zip(candidates, identities, strict=True):
        key = (identity.commune_key, identity.act_type, identity.register_year, identity.act_number)
        if identity.complete and key in taken:
            later.append(act)
        else:
            if identity.complete:
                taken.add(key)
            fresh.append(act)
            fresh_identities.append(identity)
    if fresh:
        try:
            with session.begin_nested():
                ids = registers.register_ids(session, fresh, fresh_identities)
                stored = insert_new(session, fresh, fresh_identities, ids, kind)
        except SQLAlchemyError:  # one bad record: find it, one at a time
            registers.forget()
            forget_terms(session)
            later += fresh
        else:
            for one in stored:
                result.add(one)
    if later:
        deferred.restore(session)
    for act in sorted(later, key=lambda a: a.number):
        _store_one(session, act, kind, accept, result)
    deferred.stored(chunk)


def _store_one(
    session: Session, new: NewAct, kind: str, accept: float | None, result: ImportResult
) -> None:
    known = _known_status(session, new.act_id, new.digest)
    if known is not None:
        _skip(result, known)
        return
    assert new.text is not None
    act = Act.from_json(json.loads(_record_text(new.text)))
    origin = Origin(kind=kind, set_by=kind, record_sha256=new.digest)
    try:
        with session.begin_nested():
            stored = store_act(session, act, origin, accept=accept)
    except SQLAlchemyError as exc:
        forget_terms(session)
        reason = getattr(exc, "orig", None) or exc
        result.errors.append(LineError(new.number, f"not stored: {reason}"))
        return
    result.add(stored)


def _skip(result: ImportResult, status: str) -> None:
    # Counted with its status as the registry holds it: a rerun's summary says what the
    # file holds, not only what changed.
    result.skipped += 1
    setattr(result, status, getattr(result, status) + 1)


def _known_statuses(
    session: Session, act_ids: list[str | None], digests: list[str]
) -> tuple[dict[str, str], dict[str, str]]:
    """Statuses of the stored acts with these ids, and of those holding these records."""
    ids = [i for i in act_ids if i]
    by_id: dict[str, str] = {}
    by_digest: dict[str, str] = {}
    for start in range(0, max(len(ids), len(digests)), _IN_CHUNK):
        if part := ids[start : start + _IN_CHUNK]:
            stmt = select(ActRow.id, ActRow.status).where(ActRow.id.in_(part))
            by_id.update((act_id, status) for act_id, status in session.execute(stmt))
        if part := digests[start : start + _IN_CHUNK]:
            stmt = (
                select(ActSourceRow.record_sha256, ActRow.status)
                .join(ActRow, ActSourceRow.act_id == ActRow.id)
                .where(ActSourceRow.record_sha256.in_(part))
            )
            by_digest.update((digest, status) for digest, status in session.execute(stmt))
    return by_id, by_digest


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
