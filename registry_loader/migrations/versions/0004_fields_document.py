"""An act's field values as one JSON document on the act (`acts.fields`) instead of one
`field_values` row a field: see `registry_loader/fields.py` for why.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from registry_loader.fields import StoredField, document, read

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
COMMUNE_WHERE = "key IN ('commune_ar', 'commune_fr')"
_BATCH = 5000  # acts a round

_ACTS = sa.table("acts", sa.column("id", sa.String()), sa.column("fields", sa.JSON()))
_VALUES = sa.table(
    "field_values",
    sa.column("id", BIG_ID),
    sa.column("act_id", sa.String()),
    sa.column("key", sa.String()),
    sa.column("value", sa.Text()),
    sa.column("norm", sa.Text()),
    sa.column("folded", sa.Text()),
    sa.column("confidence", sa.Float()),
    sa.column("raw", sa.Text()),
    sa.column("box", sa.JSON()),
    sa.column("side", sa.String()),
    sa.column("engine", sa.String()),
    sa.column("notes", sa.JSON()),
    sa.column("page_id", BIG_ID),
    sa.column("set_by", sa.String()),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    op.add_column("acts", sa.Column("fields", sa.JSON(), nullable=False, server_default="{}"))
    conn = op.get_bind()
    last = ""
    while True:
        ids = list(
            conn.scalars(
                sa.select(_ACTS.c.id).where(_ACTS.c.id > last).order_by(_ACTS.c.id).limit(_BATCH)
            )
        )
        if not ids:
            break
        last = ids[-1]
        docs: dict[str, dict[str, StoredField]] = defaultdict(dict)
        for row in conn.execute(sa.select(_VALUES).where(_VALUES.c.act_id.in_(ids))):
            docs[row.act_id][row.key] = StoredField(
                value=row.value,
                confidence=row.confidence,
                raw=row.raw,
                box=row.box,
                side=row.side,
                engine=row.engine,
                notes=list(row.notes or ()),
                page_id=row.page_id,
                set_by=row.set_by,
                at=_iso(row.updated_at),
            )
        if docs:
            conn.execute(
                _ACTS.update().where(_ACTS.c.id == sa.bindparam("act_id")),
                [{"act_id": a, "fields": document(fields)} for a, fields in docs.items()],
            )
    op.drop_index("ix_field_values_commune", table_name="field_values")
    op.drop_table("field_values")


def downgrade() -> None:
    op.create_table(
        "field_values",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("act_id", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("norm", sa.Text(), nullable=False),
        sa.Column("folded", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=True),
        sa.Column("box", sa.JSON(), nullable=True),
        sa.Column("side", sa.String(16), nullable=True),
        sa.Column("engine", sa.String(), nullable=True),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.Column("page_id", BIG_ID, nullable=True),
        sa.Column("set_by", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_field_values"),
        sa.ForeignKeyConstraint(
            ["act_id"], ["acts.id"], name="fk_field_values_act_id_acts", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["page_id"], ["pages.id"], name="fk_field_values_page_id_pages"),
        sa.UniqueConstraint("act_id", "key", name="uq_field_values_act_id_key"),
    )
    op.create_index(
        "ix_field_values_commune",
        "field_values",
        ["key", "folded"],
        sqlite_where=sa.text(COMMUNE_WHERE),
        postgresql_where=sa.text(COMMUNE_WHERE),
    )
    from ocr.text import fold, normalize

    conn = op.get_bind()
    now = datetime.now().astimezone()
    rows: list[dict[str, Any]] = []
    for act_id, doc in conn.execute(sa.select(_ACTS.c.id, _ACTS.c.fields)).all():
        for key, f in read(doc).items():
            rows.append(
                dict(
                    act_id=act_id,
                    key=key,
                    value=f.value,
                    norm=normalize(f.value),
                    folded=fold(f.value),
                    confidence=f.confidence,
                    raw=f.raw,
                    box=f.box,
                    side=f.side,
                    engine=f.engine,
                    notes=f.notes,
                    page_id=f.page_id,
                    set_by=f.set_by,
                    updated_at=datetime.fromisoformat(f.at) if f.at else now,
                )
            )
            if len(rows) >= _BATCH:
                conn.execute(_VALUES.insert(), rows)
                rows = []
    if rows:
        conn.execute(_VALUES.insert(), rows)
    op.execute("ALTER TABLE acts DROP COLUMN fields")  # SQLite has it since 3.35


def _iso(when: datetime | str | None) -> str | None:
    if when is None:
        return None
    return when.isoformat() if isinstance(when, datetime) else str(when)
