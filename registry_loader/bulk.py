"""Insert many new acts at once: the rows `store._insert` writes for one act, for a batch,
a few statements a table (COPY on PostgreSQL, executemany on SQLite).

Split in two so that a bulk load keeps both cores busy: `new_act` computes from one record
everything that needs no database (its rows as the driver takes them, the terms of its
search document, the linking keys of its persons), in the worker processes that parse the
file; `insert_new` looks up what does (registers, term and person ids) and writes a batch.

Only for acts known to be new (their id, record and identity are not stored, and no other
act of the batch shares them): the caller (`jsonl.py`) sends the others through
`store.store_act`, which corroborates. The caller owns the transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, tuple_, update
from sqlalchemy.orm import Session

from records import Act
from registry_loader.fields import box_list, dumps, entry_of, ordered, pack
from registry_loader.models import (
    ActRow,
    ActSourceRow,
    AuditRow,
    FieldReadingRow,
    MarginalNoteRow,
    RegisterRow,
    utcnow,
)
from registry_loader.names_index import NameParts, document_parts, write_documents
from registry_loader.names_index import cached_fold as fold
from registry_loader.names_index import cached_normalize as normalize
from registry_loader.persons import ActPersons, link_persons, persons_keys
from registry_loader.rows import db_time, insert_rows, is_postgres, json_text
from registry_loader.store import Identity, Origin, Stored, first_readings, number_key, year_of

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


@dataclass(slots=True)
class NewAct:
    """One record as `insert_new` needs it, computed by `new_act` from the record alone."""

    number: int  # its line (or position) in the import
    digest: str  # what tells the same record imported twice
    # The record as JSON (a line as read, blanks around it): to make the `Act` again if it
    # must go one at a time; None only on its way from a parsing worker (`jsonl._with_lines`).
    text: str | None
    act_id: str | None
    act_type: str | None  # the identity's forms: normalized type, year, number key
    year: int | None
    act_number: str | None
    commune_ar: str | None
    commune_fr: str | None
    ar_key: str | None  # folded communes
    fr_key: str | None
    status: str
    row: tuple  # acts columns from `status` to `source_bbox`, then `fields` (see _ACT_COLUMNS)
    source: tuple  # act_sources columns from `file_name` to `bbox`
    notes: list[tuple]  # marginal_notes rows without act_id and page_id
    readings: list[tuple]  # field_readings rows without act_id and page_id
    names: NameParts
    persons: tuple[tuple[str, tuple[str, ...]], ...]
    person_ids: list[str]
    fit: bool = True  # False: the checks refuse it; it goes one at a time, to say why


def new_act(number: int, act: Act, digest: str, text: str | None, kind: str, at: str) -> NewAct:
    """What inserting `act` as a new act of the import `kind` needs, but database ids."""
    act_type = normalize(act.act_type) if act.act_type else None
    year = year_of(act)
    ar, fr = act.value("commune_ar"), act.value("commune_fr")
    source = act.source
    source_file = source.file if source else None
    source_page = source.page if source else None
    bbox = json_text(box_list(source.bbox)) if source else None
    values = {key: fv.value for key, fv in act.fields.items()}
    doc = {key: entry_of(fv, kind, None, at) for key, fv in ordered(act.fields).items()}
    origin = Origin(kind=kind, set_by=kind)
    return NewAct(
        number=number,
        digest=digest,
        text=text,
        act_id=act.id,
        act_type=act_type or None,
        year=year,
        act_number=number_key(act.act_number),
        commune_ar=ar,
        commune_fr=fr,
        ar_key=fold(ar) if ar else None,
        fr_key=fold(fr) if fr else None,
        status=act.status,
        row=(
            act.status,
            act.min_confidence(),
            json_text([issue.to_json() for issue in act.issues]),
            source_file,
            source_page,
            bbox,
            dumps(pack(doc)),
        ),
        source=(source_file, source_page, bbox),
        notes=[
            (n.text, n.lang, n.confidence, json_text(box_list(n.box))) for n in act.marginal_notes
        ],
        readings=[
            (
                key,
                kind,
                fv.value,
                fv.confidence,
                fv.raw,
                json_text(box_list(fv.box)),
                fv.side,
                fv.engine,
            )
            for key, fv in first_readings(act, origin)
        ],
        names=document_parts(values, act_type or None, year),
        persons=persons_keys(act_type or None, values, len(act.person_ids)),
        person_ids=list(act.person_ids),
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

    def identities(self, session: Session, acts: Sequence[NewAct]) -> list[Identity]:
        """The identity of each act, as `store.identity_of` gives it, with one query for
        the registers of the whole batch (acts earlier in the batch count, as they would
        one at a time)."""
        wanted = [
            (a.act_type, a.year, a.ar_key)
            for a in acts
            if a.ar_key and a.act_type and a.year is not None
        ]
        self._load_arabic(session, [w for w in dict.fromkeys(wanted) if w not in self._by_arabic])
        out = []
        for a in acts:
            key = None
            by_arabic = (a.act_type, a.year, a.ar_key)
            if a.ar_key and a.act_type and a.year is not None:
                key = self._by_arabic.get(by_arabic)  # type: ignore[arg-type]
            key = key or a.fr_key or a.ar_key
            if a.ar_key and a.act_type and a.year is not None and key:
                self._by_arabic.setdefault(by_arabic, key)  # type: ignore[arg-type]
            out.append(Identity(key, a.act_type, a.year, a.act_number))
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
        self, session: Session, acts: Sequence[NewAct], identities: Sequence[Identity]
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
            ar, fr = act.commune_ar, act.commune_fr
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
            self._fill(session, register, act.commune_ar, act.commune_fr)
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
    mark = "%s" if is_postgres(session) else "?"
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


def insert_new(
    session: Session,
    acts: Sequence[NewAct],
    identities: Sequence[Identity],
    register_ids: Sequence[int | None],
    kind: str,
) -> list[Stored]:
    """Insert these new acts of the import `kind` with everything `store._insert` writes
    for one."""
    now = db_time(session, utcnow())
    detail = json_text({"source": kind})
    act_rows, source_rows, note_rows, reading_rows, audit_rows = [], [], [], [], []
    docs, persons, stored = [], [], []
    for act, identity, register_id in zip(acts, identities, register_ids, strict=True):
        act_id = act.act_id or uuid.uuid4().hex
        act_rows.append(
            (
                act_id,
                register_id,
                identity.act_type,
                identity.register_year,
                identity.commune_key,
                identity.act_number,
                *act.row,
                now,
                now,
            )
        )
        source_rows.append((act_id, *act.source, kind, act.digest, now))
        note_rows += [(act_id, *note) for note in act.notes]
        reading_rows += [(act_id, *reading, now) for reading in act.readings]
        audit_rows.append((now, kind, "act.created", act_id, act.status, detail))
        docs.append((act_id, act.names))
        persons.append(ActPersons(act_id, act.persons, act.person_ids))
        stored.append(Stored(act_id=act_id, corroborated=False, status=act.status))
    insert_rows(session, ActRow.__table__.name, _ACT_COLUMNS, act_rows)
    insert_rows(session, ActSourceRow.__table__.name, _SOURCE_COLUMNS, source_rows)
    insert_rows(session, MarginalNoteRow.__table__.name, _NOTE_COLUMNS, note_rows)
    insert_rows(session, FieldReadingRow.__table__.name, _READING_COLUMNS, reading_rows)
    write_documents(session, docs)
    link_persons(session, persons)
    insert_rows(session, AuditRow.__table__.name, _AUDIT_COLUMNS, audit_rows)
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
    "source_file",
    "source_page",
    "source_bbox",
    "fields",
    "created_at",
    "updated_at",
)
_SOURCE_COLUMNS = (
    "act_id",
    "file_name",
    "page_no",
    "bbox",
    "origin",
    "record_sha256",
    "created_at",
)
_NOTE_COLUMNS = ("act_id", "text", "lang", "confidence", "box")
_READING_COLUMNS = (
    "act_id",
    "key",
    "origin",
    "value",
    "confidence",
    "raw",
    "box",
    "side",
    "engine",
    "created_at",
)
_AUDIT_COLUMNS = ("at", "actor", "action", "act_id", "new_value", "detail")
