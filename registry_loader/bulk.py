"""Insert many new acts at once: the rows `store._insert` writes for one act, for a batch,
a few statements a table (COPY on PostgreSQL, executemany on SQLite).

Only for acts known to be new (their id, record and identity are not stored, and no other
act of the batch shares them): the caller (`jsonl.py`) sends the others through
`store.store_act`, which corroborates. The caller owns the transaction.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, insert, select, tuple_, update
from sqlalchemy.orm import Session

from records import Act
from registry_loader.audit import AuditEntry, record_many
from registry_loader.fields import dumps, entry_of, ordered
from registry_loader.models import (
    ActRow,
    ActSourceRow,
    FieldReadingRow,
    MarginalNoteRow,
    RegisterRow,
    utcnow,
)
from registry_loader.names_index import cached_fold as fold
from registry_loader.names_index import cached_normalize as normalize
from registry_loader.names_index import index_acts
from registry_loader.persons import ActPersons, link_persons
from registry_loader.store import (
    Identity,
    Origin,
    Stored,
    first_readings,
    number_key,
    stamp,
    year_of,
)

_CHUNK = 500
_OR_CHUNK = 200
_REGISTER_COLUMNS = (
    RegisterRow.id,
    RegisterRow.commune_key,
    RegisterRow.act_type,
    RegisterRow.year,
    RegisterRow.commune_ar,
    RegisterRow.commune_fr,
)


@dataclass
class _Register:
    id: int
    commune_key: str
    act_type: str
    year: int
    commune_ar: str | None
    commune_fr: str | None


class Registers:
    """The registers of an import, looked up once and created as acts need them."""

    def __init__(self) -> None:
        self._by_identity: dict[tuple[str, str, int], _Register] = {}
        self._by_arabic: dict[tuple[str, int, str], str | None] = {}

    def identities(self, session: Session, acts: Sequence[Act]) -> list[Identity]:
        """The identity of each act, as `store.identity_of` gives it, with one query for
        the registers of the whole batch (acts earlier in the batch count, as they would
        one at a time)."""
        wanted = []
        for act in acts:
            act_type, year = _type(act), year_of(act)
            ar = act.value("commune_ar")
            if ar and act_type and year is not None:
                wanted.append((act_type, year, fold(ar)))
        self._load_arabic(session, [w for w in dict.fromkeys(wanted) if w not in self._by_arabic])
        out = []
        for act in acts:
            act_type, year = _type(act), year_of(act)
            ar, fr = act.value("commune_ar"), act.value("commune_fr")
            ar_key = fold(ar) if ar else None
            key = None
            if ar_key and act_type and year is not None:
                key = self._by_arabic.get((act_type, year, ar_key))
            key = key or (fold(fr) if fr else None) or ar_key or None
            identity = Identity(key, act_type or None, year, number_key(act.act_number))
            if ar_key and act_type and year is not None and key:
                self._by_arabic.setdefault((act_type, year, ar_key), key)
            out.append(identity)
        return out

    def _load_arabic(self, session: Session, wanted: list[tuple[str, int, str]]) -> None:
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            rows = session.execute(
                select(
                    RegisterRow.act_type,
                    RegisterRow.year,
                    RegisterRow.commune_ar_key,
                    RegisterRow.commune_key,
                )
                .where(
                    tuple_(RegisterRow.act_type, RegisterRow.year, RegisterRow.commune_ar_key).in_(
                        chunk
                    )
                )
                .order_by(RegisterRow.id.desc())  # the first register wins: set last
            )
            for act_type, year, ar_key, key in rows:
                self._by_arabic[(act_type, year, ar_key)] = key
        for item in wanted:
            self._by_arabic.setdefault(item, None)

    def register_ids(
        self, session: Session, acts: Sequence[Act], identities: Sequence[Identity]
    ) -> list[int | None]:
        """The register of each act, created when new (as `store._register` does)."""
        keys = [
            (i.commune_key, i.act_type, i.register_year)
            for i in identities
            if None not in (i.commune_key, i.act_type, i.register_year)
        ]
        missing = [k for k in dict.fromkeys(keys) if k not in self._by_identity]
        for start in range(0, len(missing), _CHUNK):
            chunk = missing[start : start + _CHUNK]
            for row in session.execute(
                select(*_REGISTER_COLUMNS).where(
                    tuple_(RegisterRow.commune_key, RegisterRow.act_type, RegisterRow.year).in_(
                        chunk
                    )
                )
            ):
                self._by_identity[(row.commune_key, row.act_type, row.year)] = _Register(*row)
        new: dict[tuple, dict[str, Any]] = {}
        for act, identity in zip(acts, identities, strict=True):
            key = (identity.commune_key, identity.act_type, identity.register_year)
            if None in key or key in self._by_identity:
                continue
            ar, fr = act.value("commune_ar"), act.value("commune_fr")
            if key not in new:
                new[key] = dict(
                    commune_key=key[0],
                    act_type=key[1],
                    year=key[2],
                    commune_ar=ar,
                    commune_fr=fr,
                    commune_ar_key=fold(ar) if ar else None,
                )
            else:  # a later act may bring the commune line the first one lacked
                row = new[key]
                if row["commune_ar"] is None and ar:
                    row.update(commune_ar=ar, commune_ar_key=fold(ar))
                if row["commune_fr"] is None and fr:
                    row["commune_fr"] = fr
        if new:
            stmt = insert(RegisterRow).returning(*_REGISTER_COLUMNS)
            for row in session.execute(stmt, list(new.values())):
                self._by_identity[(row.commune_key, row.act_type, row.year)] = _Register(*row)
        out: list[int | None] = []
        for act, identity in zip(acts, identities, strict=True):
            key = (identity.commune_key, identity.act_type, identity.register_year)
            if None in key:
                out.append(None)
                continue
            register = self._by_identity[key]  # type: ignore[index]
            self._fill(session, register, act.value("commune_ar"), act.value("commune_fr"))
            out.append(register.id)
        return out

    @staticmethod
    def _fill(session: Session, register: _Register, ar: str | None, fr: str | None) -> None:
        """Give the register the commune line it lacked."""
        changes: dict[str, Any] = {}
        if register.commune_ar is None and ar:
            changes.update(commune_ar=ar, commune_ar_key=fold(ar))
            register.commune_ar = ar
        if register.commune_fr is None and fr:
            changes.update(commune_fr=fr)
            register.commune_fr = fr
        if changes:
            session.execute(update(RegisterRow).where(RegisterRow.id == register.id), changes)

    def forget(self) -> None:
        """Drop what was learnt in a transaction that rolled back."""
        self._by_identity.clear()
        self._by_arabic.clear()


def existing_identities(session: Session, identities: Iterable[Identity]) -> set[tuple]:
    """The complete identities among these that an act already has."""
    wanted = list(
        dict.fromkeys(
            (i.commune_key, i.act_type, i.register_year, i.act_number)
            for i in identities
            if i.complete
        )
    )
    found: set[tuple] = set()
    mark = "%s" if session.get_bind().dialect.name == "postgresql" else "?"
    columns = ("commune_key", "act_type", "register_year", "act_number")
    probe = "(" + " AND ".join(f"{column} = {mark}" for column in columns) + ")"
    for start in range(0, len(wanted), _OR_CHUNK):
        chunk = wanted[start : start + _OR_CHUNK]
        # OR of equalities, not a row-value IN: SQLite probes the identity index for each
        # (an IN of row values scans it); written out: building it as SQLAlchemy
        # expressions costs more than the query.
        sql = (
            "SELECT commune_key, act_type, register_year, act_number FROM acts WHERE "
            + " OR ".join([probe] * len(chunk))
        )
        params = tuple(value for key in chunk for value in key)
        found.update(tuple(row) for row in session.connection().exec_driver_sql(sql, params))
    return found


def insert_acts(
    session: Session,
    acts: Sequence[Act],
    identities: Sequence[Identity],
    register_ids: Sequence[int | None],
    origins: Sequence[Origin],
) -> list[Stored]:
    """Insert these new acts with everything `store._insert` writes for one."""
    now = utcnow()
    at = stamp()
    writer = _Writer(session, now)
    act_rows, reading_rows, source_rows, note_rows = [], [], [], []
    docs, persons, entries, stored = [], [], [], []
    for act, identity, register_id, origin in zip(
        acts, identities, register_ids, origins, strict=True
    ):
        act_id = act.id or uuid.uuid4().hex
        source = act.source
        source_file = origin.file_name or (source.file if source else None)
        source_page = origin.page_no or (source.page if source else None)
        bbox = _box(source.bbox) if source else None
        act_rows.append(
            (
                act_id,
                register_id,
                identity.act_type,
                identity.register_year,
                identity.commune_key,
                identity.act_number,
                act.status,
                act.min_confidence(),
                writer.json([issue.to_json() for issue in act.issues]),
                origin.page_id,
                source_file,
                source_page,
                writer.json(bbox),
                writer.now,
                writer.now,
                dumps(_document(act, origin, at)),
            )
        )
        source_rows.append(
            (
                act_id,
                origin.page_id,
                source_file,
                source_page,
                writer.json(bbox),
                origin.kind,
                origin.record_sha256,
                writer.now,
            )
        )
        for key, fv in first_readings(act, origin):
            reading_rows.append(
                (
                    act_id,
                    key,
                    origin.page_id,
                    origin.kind,
                    fv.value,
                    fv.confidence,
                    fv.raw,
                    writer.json(_box(fv.box)),
                    fv.side,
                    fv.engine,
                    writer.now,
                )
            )
        for note in act.marginal_notes:
            note_rows.append(
                (
                    act_id,
                    note.text,
                    note.lang,
                    note.confidence,
                    writer.json(_box(note.box)),
                    origin.page_id,
                )
            )
        values = {key: fv.value for key, fv in act.fields.items()}
        docs.append((act_id, values, identity.act_type, identity.register_year))
        persons.append(ActPersons(act_id, identity.act_type, values, act.person_ids))
        where = f"{origin.file_name} p.{origin.page_no}" if origin.file_name else origin.kind
        entries.append(
            AuditEntry(
                now,
                origin.set_by,
                "act.created",
                act_id,
                new_value=act.status,
                detail={"source": where},
            )
        )
        stored.append(Stored(act_id=act_id, corroborated=False, status=act.status))
    writer.insert(ActRow.__table__, _ACT_COLUMNS, act_rows)
    writer.insert(FieldReadingRow.__table__, _READING_COLUMNS, reading_rows)
    writer.insert(ActSourceRow.__table__, _SOURCE_COLUMNS, source_rows)
    writer.insert(MarginalNoteRow.__table__, _NOTE_COLUMNS, note_rows)
    index_acts(session, docs)
    link_persons(session, persons)
    record_many(session, entries)
    return stored


_ACT_COLUMNS = (
    "id",
    "register_id",
    "act_type",
    "register_year",
    "commune_key",
    "act_number",
    "status",
    "min_confidence",
    "issues",
    "page_id",
    "source_file",
    "source_page",
    "source_bbox",
    "created_at",
    "updated_at",
    "fields",
)
_READING_COLUMNS = (
    "act_id",
    "key",
    "page_id",
    "origin",
    "value",
    "confidence",
    "raw",
    "box",
    "side",
    "engine",
    "created_at",
)
_SOURCE_COLUMNS = (
    "act_id",
    "page_id",
    "file_name",
    "page_no",
    "bbox",
    "origin",
    "record_sha256",
    "created_at",
)
_NOTE_COLUMNS = ("act_id", "text", "lang", "confidence", "box", "page_id")


class _Writer:
    """Rows as the database driver takes them, and the fastest way to send them."""

    def __init__(self, session: Session, now: Any) -> None:
        self.session = session
        self.dialect = session.get_bind().dialect
        self.postgres = self.dialect.name == "postgresql"
        stamp = ActRow.__table__.c.created_at.type.dialect_impl(self.dialect)
        processor = stamp.bind_processor(self.dialect)
        self.now = processor(now) if processor and not self.postgres else now

    normalize = staticmethod(normalize)
    fold = staticmethod(fold)

    @staticmethod
    def json(value: Any) -> str | None:
        if value is None:
            return None
        return "[]" if value == [] else json.dumps(value, ensure_ascii=False)

    def insert(self, table: Table, columns: Sequence[str], rows: list[tuple]) -> None:
        if not rows:
            return
        names = ", ".join(columns)
        if self.postgres:
            raw = self.session.connection().connection.dbapi_connection
            with (
                raw.cursor() as cursor,
                cursor.copy(  # type: ignore[union-attr]
                    f"COPY {table.name} ({names}) FROM STDIN"
                ) as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join("?" * len(columns))
        self.session.connection().exec_driver_sql(
            f"INSERT INTO {table.name} ({names}) VALUES ({marks})", rows
        )


def _document(act: Act, origin: Origin, at: str) -> dict[str, Any]:
    return {
        key: entry_of(fv, origin.set_by, origin.page_id, at)
        for key, fv in ordered(act.fields).items()
    }


def _type(act: Act) -> str | None:
    return normalize(act.act_type) if act.act_type else None


def _box(box: Any) -> list[int] | None:
    return list(box) if box else None
