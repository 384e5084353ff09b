"""Initial schema: registers, pages, acts, their sources, field values and readings, notes.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out here, not imported from models.py: a migration must not change when the
# models do.
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON(none_as_null=True)


def _id() -> sa.Column:
    return sa.Column("id", BIG_ID, nullable=False)


def _when(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "registers",
        _id(),
        sa.Column("commune_key", sa.String(), nullable=False),
        sa.Column("commune_ar_key", sa.String(), nullable=True),
        sa.Column("commune_ar", sa.String(), nullable=True),
        sa.Column("commune_fr", sa.String(), nullable=True),
        sa.Column("act_type", sa.String(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_registers"),
        sa.UniqueConstraint(
            "commune_key", "act_type", "year", name="uq_registers_commune_key_act_type_year"
        ),
    )
    op.create_index(
        "ix_registers_act_type_year_commune_ar_key",
        "registers",
        ["act_type", "year", "commune_ar_key"],
    )

    op.create_table(
        "pages",
        _id(),
        sa.Column("file_name", sa.String(), nullable=False),
        sa.Column("file_path", sa.Text(), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("page_no", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("register_page", sa.String(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        _when("loaded_at"),
        sa.PrimaryKeyConstraint("id", name="pk_pages"),
        sa.UniqueConstraint("file_sha256", "page_no", name="uq_pages_file_sha256_page_no"),
        sa.CheckConstraint("status IN ('loaded', 'failed')", name="ck_pages_status"),
    )

    op.create_table(
        "acts",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("register_id", BIG_ID, nullable=True),
        sa.Column("act_type", sa.String(), nullable=True),
        sa.Column("register_year", sa.Integer(), nullable=True),
        sa.Column("commune_key", sa.String(), nullable=True),
        sa.Column("act_number", sa.String(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("min_confidence", sa.Float(), nullable=False),
        sa.Column("issues", JSON, nullable=False),
        sa.Column("page_id", BIG_ID, nullable=True),
        sa.Column("source_file", sa.String(), nullable=True),
        sa.Column("source_page", sa.Integer(), nullable=True),
        sa.Column("source_bbox", JSON, nullable=True),
        _when("created_at"),
        _when("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_acts"),
        sa.ForeignKeyConstraint(
            ["register_id"], ["registers.id"], name="fk_acts_register_id_registers"
        ),
        sa.ForeignKeyConstraint(["page_id"], ["pages.id"], name="fk_acts_page_id_pages"),
        # The act's identity. NULLs are distinct: acts with an unknown number never collide.
        sa.UniqueConstraint(
            "commune_key",
            "act_type",
            "register_year",
            "act_number",
            name="uq_acts_commune_key_act_type_register_year_act_number",
        ),
        sa.CheckConstraint(
            "status IN ('accepted', 'needs_review', 'rejected')", name="ck_acts_status"
        ),
    )
    op.create_index("ix_acts_register_id", "acts", ["register_id"])
    op.create_index("ix_acts_page_id", "acts", ["page_id"])
    op.create_index("ix_acts_act_number", "acts", ["act_number"])
    op.create_index("ix_acts_status_min_confidence", "acts", ["status", "min_confidence"])

    op.create_table(
        "act_sources",
        _id(),
        sa.Column("act_id", sa.String(), nullable=False),
        sa.Column("page_id", BIG_ID, nullable=True),
        sa.Column("file_name", sa.String(), nullable=True),
        sa.Column("page_no", sa.Integer(), nullable=True),
        sa.Column("bbox", JSON, nullable=True),
        sa.Column("origin", sa.String(), nullable=False),
        sa.Column("record_sha256", sa.String(64), nullable=True),
        _when("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_act_sources"),
        sa.ForeignKeyConstraint(
            ["act_id"], ["acts.id"], name="fk_act_sources_act_id_acts", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["page_id"], ["pages.id"], name="fk_act_sources_page_id_pages"),
    )
    op.create_index("ix_act_sources_act_id", "act_sources", ["act_id"])
    op.create_index("ix_act_sources_page_id", "act_sources", ["page_id"])
    op.create_index("ix_act_sources_record_sha256", "act_sources", ["record_sha256"])

    op.create_table(
        "field_values",
        _id(),
        sa.Column("act_id", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("norm", sa.Text(), nullable=False),
        sa.Column("folded", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=True),
        sa.Column("box", JSON, nullable=True),
        sa.Column("side", sa.String(16), nullable=True),
        sa.Column("engine", sa.String(), nullable=True),
        sa.Column("notes", JSON, nullable=False),
        sa.Column("page_id", BIG_ID, nullable=True),
        sa.Column("set_by", sa.String(), nullable=False),
        _when("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_field_values"),
        sa.ForeignKeyConstraint(
            ["act_id"], ["acts.id"], name="fk_field_values_act_id_acts", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["page_id"], ["pages.id"], name="fk_field_values_page_id_pages"),
        sa.UniqueConstraint("act_id", "key", name="uq_field_values_act_id_key"),
    )
    op.create_index("ix_field_values_key_folded", "field_values", ["key", "folded"])

    op.create_table(
        "field_readings",
        _id(),
        sa.Column("act_id", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("page_id", BIG_ID, nullable=True),
        sa.Column("origin", sa.String(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=True),
        sa.Column("box", JSON, nullable=True),
        sa.Column("side", sa.String(16), nullable=True),
        sa.Column("engine", sa.String(), nullable=True),
        _when("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_field_readings"),
        sa.ForeignKeyConstraint(
            ["act_id"], ["acts.id"], name="fk_field_readings_act_id_acts", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["page_id"], ["pages.id"], name="fk_field_readings_page_id_pages"),
    )
    op.create_index("ix_field_readings_act_id", "field_readings", ["act_id"])
    op.create_index("ix_field_readings_page_id", "field_readings", ["page_id"])

    op.create_table(
        "marginal_notes",
        _id(),
        sa.Column("act_id", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("lang", sa.String(8), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("box", JSON, nullable=True),
        sa.Column("page_id", BIG_ID, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_marginal_notes"),
        sa.ForeignKeyConstraint(
            ["act_id"], ["acts.id"], name="fk_marginal_notes_act_id_acts", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["page_id"], ["pages.id"], name="fk_marginal_notes_page_id_pages"),
    )
    op.create_index("ix_marginal_notes_act_id", "marginal_notes", ["act_id"])


def downgrade() -> None:
    for table in (
        "marginal_notes",
        "field_readings",
        "field_values",
        "act_sources",
        "acts",
        "pages",
        "registers",
    ):
        op.drop_table(table)  # its indexes go with it
