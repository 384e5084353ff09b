"""SQLite: new vocabulary terms and search documents reach their FTS5 tables by one
INSERT ... SELECT after each batch of rows (`names_index.add_to_full_text`) instead of a
trigger a row, which made each search document cost ~25 us more to insert. The FTS5
tables keep what they hold; the triggers that delete and update stay. PostgreSQL: nothing
(its indexes are GIN indexes).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TRIGGERS = {
    "name_terms_ai": "CREATE TRIGGER name_terms_ai AFTER INSERT ON name_terms BEGIN "
    "INSERT INTO name_terms_fts(rowid, folded) VALUES (new.id, new.folded); END",
    "act_names_ai": "CREATE TRIGGER act_names_ai AFTER INSERT ON act_names BEGIN "
    "INSERT INTO act_names_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
}


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in _TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for create in _TRIGGERS.values():
            op.execute(create)
