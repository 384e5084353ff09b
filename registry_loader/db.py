"""Open the registry database: resolve its URL, configure the engine, migrate to head."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, Index, create_engine, event, func, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from registry_loader.models import DEFERRED_INDEXES, FTS_TABLES, Base

DEFAULT_URL = "sqlite:///civreg.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_S = 30
SQLITE_CACHE_KIB = 65536
SQLITE_BULK_CACHE_KIB = 524288
# Any constant will do: it only has to be the same in every process migrating one database.
_PG_MIGRATION_LOCK = 0x43495652  # "CIVR"
# Execution option asking the SQLite `begin` hook for BEGIN IMMEDIATE (see `begin_write`).
_IMMEDIATE = "civreg_sqlite_immediate"
_BULK = "civreg_sqlite_bulk"
# Revisions whose acts have no search documents yet (0003 made the index).
_BEFORE_SEARCH_INDEX = frozenset({"0001", "0002"})


class RegistryError(Exception):
    """The registry database cannot be opened or migrated."""


@dataclass
class Registry:
    """An open registry: the engine and a session factory bound to it."""

    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def url(self) -> str:
        """The URL with its password masked, safe to print or log."""
        return mask_url(self.engine.url)

    def session(self) -> Session:
        return self.sessions()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Registry({self.url!r})"


def resolve_url(url: str | None) -> str:
    """The database URL: the argument, else `$CIVREG_DB`, else civreg.db in the current folder."""
    return url or os.environ.get("CIVREG_DB") or DEFAULT_URL


def mask_url(url: Any) -> str:
    """The URL as text with its password replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL at all: say nothing of what it held
        return "<invalid database URL>"


def open_registry(url: str | None = None, *, migrate: bool = True) -> Registry:
    """Open the registry at `url` (see `resolve_url`), creating or migrating its schema to
    head and building the indexes a killed bulk import left unbuilt."""
    resolved = resolve_url(url)
    try:
        engine = make_engine(resolved)
    except (SQLAlchemyError, ValueError, ImportError) as exc:
        raise RegistryError(f"cannot open registry {mask_url(resolved)}: {exc}") from None
    try:
        if migrate:
            upgrade_to_head(engine)
            with engine.begin() as conn:
                restore_indexes(conn)  # an import killed before it built them again
    except SQLAlchemyError as exc:
        engine.dispose()
        reason = getattr(exc, "orig", None) or exc
        raise RegistryError(f"cannot open registry {mask_url(resolved)}: {reason}") from None
    from registry_loader.expand import clear_cache

    clear_cache()  # search's remembered expansions may be of another database at this URL
    return Registry(engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))


def _json(value: Any) -> str:
    # Arabic as itself, not \uXXXX escapes: a third of the size.
    return json.dumps(value, ensure_ascii=False)


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL, a busy timeout, foreign keys and real transactions."""
    sa_url = make_url(url)
    if sa_url.get_backend_name() != "sqlite":
        return create_engine(sa_url, pool_pre_ping=True, json_serializer=_json)
    engine = create_engine(
        sa_url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S}, json_serializer=_json
    )
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Python's sqlite3 (before 3.12's `autocommit`) opens transactions itself and never
    # before DDL; take that over so that migrations are atomic and savepoints work
    # (SQLAlchemy's documented pysqlite recipe, completed by `_sqlite_on_begin`).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # 64 MiB of page cache (the default is 2 MiB): index pages of a large registry stay in
    # memory while loading and searching.
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cursor.close()


def _sqlite_on_begin(conn: Connection) -> None:
    options = conn.get_execution_options()
    # A bulk load's commits wait for the WAL write, not for the disk: safe from corruption,
    # though a power cut may undo its last batches (the load is idempotent: run it again).
    bulk = bool(options.get(_BULK))
    conn.exec_driver_sql(f"PRAGMA synchronous={'NORMAL' if bulk else 'FULL'}")
    # A bulk load copies its WAL into the database every 256 MiB, not every 4 MiB (pages
    # written many times in between are copied once), and keeps 512 MiB of pages in
    # memory: the index pages of a large registry it inserts into at random places
    # (record digests, person keys).
    conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint={65536 if bulk else 1000}")
    if bulk:
        conn.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_BULK_CACHE_KIB}")
    conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get(_IMMEDIATE) else "BEGIN")


def begin_write(session: Session, *, bulk: bool = False) -> None:
    """Start the session's transaction as a writer.

    On SQLite a deferred transaction that reads then writes fails at once (SQLITE_BUSY,
    no waiting) when another writer committed in between; BEGIN IMMEDIATE takes the write
    lock first and waits for it. Does nothing if the session is already in a transaction.
    `bulk`: a bulk load's transaction, whose commit does not wait for the disk (see
    `_sqlite_on_begin`; on PostgreSQL `synchronous_commit` off: a crash may undo its last
    batches, never corrupt anything, and the load is idempotent).
    """
    if session.in_transaction():
        return
    if session.get_bind().dialect.name != "sqlite":
        if bulk and session.get_bind().dialect.name == "postgresql":
            session.execute(text("SET LOCAL synchronous_commit = off"))
        return
    session.connection(execution_options={_IMMEDIATE: True, _BULK: bulk})


def refresh_after_import(engine: Engine) -> None:
    """After a bulk import: the planner's statistics (ANALYZE); on PostgreSQL, the
    visibility map and hint bits that rows written by COPY lack (VACUUM): without them a
    search's first reads of each page write it back, and the planner misjudges the index
    (at 1M acts: search p95 0.9 s before, 0.28 s after, the same code); on SQLite, each
    full-text index merged into one segment ('optimize'), as a bulk load leaves a dozen
    or more that every token looked up is sought in (at 1M acts: 5 s, search p95 -20 %)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM (ANALYZE)"))
    else:
        with engine.begin() as conn:
            for table in FTS_TABLES:
                conn.execute(text(f"INSERT INTO {table}({table}) VALUES ('optimize')"))
            conn.execute(text("ANALYZE"))


def _deferred() -> list[Index]:
    return [
        ix for t in Base.metadata.sorted_tables for ix in t.indexes if ix.name in DEFERRED_INDEXES
    ]


def drop_deferred_indexes(conn: Connection) -> None:
    """Drop the indexes a bulk load into an empty registry builds after its rows
    (`models.DEFERRED_INDEXES`); `restore_indexes` builds them."""
    for index in _deferred():
        index.drop(conn, checkfirst=True)


def missing_indexes(conn: Connection) -> list[Index]:
    """The deferred indexes the database does not hold now."""
    deferred = _deferred()
    tables = sorted({index.table.name for index in deferred})  # type: ignore[union-attr]
    found = inspect(conn).get_multi_indexes(filter_names=tables)
    present = {index["name"] for indexes in found.values() for index in indexes}
    return [index for index in deferred if index.name not in present]


def restore_indexes(conn: Connection) -> int:
    """Build the deferred indexes that are missing; how many were."""
    missing = missing_indexes(conn)
    for index in missing:
        index.create(conn)
    return len(missing)


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for the packaged migrations (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def upgrade_to_head(engine: Engine) -> None:
    """Create or migrate the schema to head, once even when several processes start together."""
    head = head_revision()
    if current_revision(engine) == head:
        return
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn = conn.execution_options(**{_IMMEDIATE: True})
        with conn.begin():
            if engine.dialect.name == "postgresql":
                conn.execute(select(func.pg_advisory_xact_lock(_PG_MIGRATION_LOCK)))
            # Under the lock: another process may have migrated while we waited.
            before = MigrationContext.configure(conn).get_current_revision()
            if before == head:
                return
            command.upgrade(alembic_config(conn), "head")
    if before in _BEFORE_SEARCH_INDEX:
        from registry_loader.names_index import index_missing

        with Session(engine) as session:
            index_missing(session)
