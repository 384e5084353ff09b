"""The search index (name vocabulary, one search document an act) and persons; the
index of field values by folded form narrowed to the communes.

SQLite: FTS5 tables kept in step by triggers (trigram on the vocabulary, tokens on the
documents). PostgreSQL: pg_trgm (a trusted extension: the database owner may create it)
and GIN indexes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
COMMUNE_WHERE = "key IN ('commune_ar', 'commune_fr')"

_SQLITE_UP = [
    "CREATE VIRTUAL TABLE name_terms_fts USING fts5(folded, tokenize='trigram', content='')",
    "CREATE TRIGGER name_terms_ai AFTER INSERT ON name_terms BEGIN "
    "INSERT INTO name_terms_fts(rowid, folded) VALUES (new.id, new.folded); END",
    "CREATE VIRTUAL TABLE act_names_fts USING fts5("
    "tokens, content='', detail='none', columnsize=0)",
    "CREATE TRIGGER act_names_ai AFTER INSERT ON act_names BEGIN "
    "INSERT INTO act_names_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
    "CREATE TRIGGER act_names_ad AFTER DELETE ON act_names BEGIN "
    "INSERT INTO act_names_fts(act_names_fts, rowid, tokens) "
    "VALUES ('delete', old.id, old.tokens); END",
    "CREATE TRIGGER act_names_au AFTER UPDATE OF tokens ON act_names BEGIN "
    "INSERT INTO act_names_fts(act_names_fts, rowid, tokens) "
    "VALUES ('delete', old.id, old.tokens); "
    "INSERT INTO act_names_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
]
_SQLITE_DOWN = [
    "DROP TRIGGER act_names_au",
    "DROP TRIGGER act_names_ad",
    "DROP TRIGGER act_names_ai",
    "DROP TABLE act_names_fts",
    "DROP TRIGGER name_terms_ai",
    "DROP TABLE name_terms_fts",
]
_PG_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_name_terms_folded_trgm ON name_terms USING gin (folded gin_trgm_ops)",
    # A stored tsvector: the planner may scan it (small results) without parsing tokens.
    "ALTER TABLE act_names ADD COLUMN tokens_tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', tokens)) STORED",
    "CREATE INDEX ix_act_names_tokens_tsv ON act_names USING gin (tokens_tsv)",
]
_PG_DOWN = [
    "DROP INDEX ix_act_names_tokens_tsv",
    "ALTER TABLE act_names DROP COLUMN tokens_tsv",
    "DROP INDEX ix_name_terms_folded_trgm",
]


def upgrade() -> None:
    # Only the commune filter looks values up by folded form: index those alone.
    op.drop_index("ix_field_values_key_folded", table_name="field_values")
    op.create_index(
        "ix_field_values_commune",
        "field_values",
        ["key", "folded"],
        sqlite_where=sa.text(COMMUNE_WHERE),
        postgresql_where=sa.text(COMMUNE_WHERE),
    )
    op.create_table(
        "name_terms",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("term", sa.String(), nullable=False),
        sa.Column("folded", sa.String(), nullable=False),
        sa.Column("script", sa.String(2), nullable=False),
        sa.Column("skeleton", sa.String(), nullable=True),
        sa.Column("skeleton_alt", sa.String(), nullable=True),
        sa.Column("acts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_name_terms"),
        sa.UniqueConstraint("term", name="uq_name_terms_term"),
    )
    op.create_index("ix_name_terms_skeleton", "name_terms", ["skeleton"])
    op.create_index("ix_name_terms_skeleton_alt", "name_terms", ["skeleton_alt"])
    op.create_index("ix_name_terms_folded", "name_terms", ["folded"])
    op.create_table(
        "act_names",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("act_id", sa.String(), nullable=False),
        sa.Column("tokens", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_act_names"),
        sa.ForeignKeyConstraint(
            ["act_id"], ["acts.id"], name="fk_act_names_act_id_acts", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("act_id", name="uq_act_names_act_id"),
    )
    op.create_table(
        "persons",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_persons"),
    )
    op.create_table(
        "person_keys",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("person_id", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_person_keys"),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name="fk_person_keys_person_id_persons",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_person_keys_person_id", "person_keys", ["person_id"])
    op.create_table(
        "act_persons",
        sa.Column("act_id", sa.String(), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("person_id", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("act_id", "role", name="pk_act_persons"),
        sa.ForeignKeyConstraint(
            ["act_id"], ["acts.id"], name="fk_act_persons_act_id_acts", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name="fk_act_persons_person_id_persons"
        ),
    )
    op.create_index("ix_act_persons_person_id", "act_persons", ["person_id"])
    for statement in _PG_UP if op.get_bind().dialect.name == "postgresql" else _SQLITE_UP:
        op.execute(statement)
    # Acts stored before this revision get their search documents on the next open:
    # `names_index.index_missing` (called by `db.open_registry`) fills them.


def downgrade() -> None:
    for statement in _PG_DOWN if op.get_bind().dialect.name == "postgresql" else _SQLITE_DOWN:
        op.execute(statement)
    op.drop_table("act_persons")
    op.drop_table("person_keys")
    op.drop_table("persons")
    op.drop_table("act_names")
    op.drop_table("name_terms")
    op.drop_index("ix_field_values_commune", table_name="field_values")
    op.create_index("ix_field_values_key_folded", "field_values", ["key", "folded"])
