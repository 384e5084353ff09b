"""Many rows written through the database driver: COPY on PostgreSQL, executemany on SQLite.

SQLAlchemy's executemany handles each row's parameters in Python, which for a bulk load of
millions of rows costs more than the database's own work. Rows here are tuples as the
driver takes them: JSON columns as text, times from `db_time`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.orm import Session


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def db_time(session: Session, when: datetime) -> Any:
    """A timestamp as the driver takes it for a `DateTime(timezone=True)` column."""
    dialect = session.get_bind().dialect
    processor = DateTime(timezone=True).dialect_impl(dialect).bind_processor(dialect)
    return processor(when) if processor and not is_postgres(session) else when


def json_text(value: Any) -> str | None:
    """A JSON column's value as the driver takes it (SQL NULL for None)."""
    if value is None:
        return None
    return "[]" if value == [] else json.dumps(value, ensure_ascii=False)


def insert_rows(
    session: Session,
    table: str,
    columns: Sequence[str],
    rows: Sequence[tuple],
    *,
    ignore_duplicates: bool = False,
) -> None:
    """INSERT `rows` into `table` (in the session's transaction); `ignore_duplicates`
    skips rows whose key is stored (ON CONFLICT DO NOTHING)."""
    if not rows:
        return
    names = ", ".join(f'"{c}"' for c in columns)
    if is_postgres(session) and not ignore_duplicates:
        raw = session.connection().connection.dbapi_connection
        with (
            raw.cursor() as cursor,
            cursor.copy(  # type: ignore[union-attr]
                f"COPY {table} ({names}) FROM STDIN"
            ) as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" * len(columns))
    conflict = " ON CONFLICT DO NOTHING" if ignore_duplicates else ""
    execute_many(session, f"INSERT INTO {table} ({names}) VALUES ({marks}){conflict}", rows)


def execute_many(session: Session, sql: str, rows: Sequence[tuple]) -> None:
    """Run `sql` (with ? placeholders) once a row."""
    if rows:
        if is_postgres(session):
            sql = sql.replace("?", "%s")
        session.connection().exec_driver_sql(sql, list(rows))
