"""The registry's tables (SQLAlchemy 2 typed declarative).

Row classes end in `Row` so they never shadow the `records` dataclasses they persist.
The schema is created by the Alembic migrations in `migrations/`, which must stay in step
with these classes (a test compares them).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Row ids of the big tables may pass 2**31 in a national registry; SQLite needs INTEGER
# exactly for an auto-incrementing primary key.
BigId = BigInteger().with_variant(Integer(), "sqlite")

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    # SQL NULL for None (JSON "null" otherwise).
    type_annotation_map = {list[Any]: JSON(none_as_null=True)}  # noqa: RUF012


class RegisterRow(Base):
    """One register: a commune's acts of one type for one year (two paper copies of it)."""

    __tablename__ = "registers"
    __table_args__ = (
        UniqueConstraint("commune_key", "act_type", "year"),
        Index(None, "act_type", "year", "commune_ar_key"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    commune_key: Mapped[str] = mapped_column(String)
    # fold(commune_ar): finds the register of an act whose French commune line is missing.
    commune_ar_key: Mapped[str | None] = mapped_column(String)
    commune_ar: Mapped[str | None] = mapped_column(String)
    commune_fr: Mapped[str | None] = mapped_column(String)
    act_type: Mapped[str] = mapped_column(String)
    year: Mapped[int] = mapped_column(Integer)


class PageRow(Base):
    """One page of one scanned file, loaded or failed."""

    __tablename__ = "pages"
    __table_args__ = (
        UniqueConstraint("file_sha256", "page_no"),
        CheckConstraint("status IN ('loaded', 'failed')", name="status"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    file_name: Mapped[str] = mapped_column(String)
    file_path: Mapped[str] = mapped_column(Text)
    file_sha256: Mapped[str] = mapped_column(String(64))
    page_no: Mapped[int] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    register_page: Mapped[str | None] = mapped_column(String)
    status: Mapped[str] = mapped_column(String(16))  # "loaded" or "failed"
    error: Mapped[str | None] = mapped_column(Text)
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ActRow(Base):
    """One act. Its identity is commune + type + year + number; `act_number` holds the
    number's identity form (Western digits, no leading zeros), the field its reading."""

    __tablename__ = "acts"
    __table_args__ = (
        # NULLs are distinct in a unique constraint (SQLite and PostgreSQL alike): acts
        # whose number (or other identity part) is unknown never collide.
        UniqueConstraint("commune_key", "act_type", "register_year", "act_number"),
        Index(None, "act_number"),
        Index(None, "status", "min_confidence"),
        CheckConstraint("status IN ('accepted', 'needs_review', 'rejected')", name="status"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    register_id: Mapped[int | None] = mapped_column(ForeignKey("registers.id"), index=True)
    act_type: Mapped[str | None] = mapped_column(String)
    register_year: Mapped[int | None] = mapped_column(Integer)
    commune_key: Mapped[str | None] = mapped_column(String)
    act_number: Mapped[str | None] = mapped_column(String)
    status: Mapped[str] = mapped_column(String(16))
    min_confidence: Mapped[float] = mapped_column(Float)
    issues: Mapped[list[Any]] = mapped_column(default=list)
    # The current value of each field with its provenance (`registry_loader.fields`).
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The source shown in exports: the first scan (or imported record) of the act.
    page_id: Mapped[int | None] = mapped_column(ForeignKey("pages.id"), index=True)
    source_file: Mapped[str | None] = mapped_column(String)
    source_page: Mapped[int | None] = mapped_column(Integer)
    source_bbox: Mapped[list[Any] | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    # Review: the reviewer holding the act (a lock with expiry), who finished the review
    # and when, and a rejection's reason.
    locked_by: Mapped[str | None] = mapped_column(String)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reviewed_by: Mapped[str | None] = mapped_column(String)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reject_reason: Mapped[str | None] = mapped_column(Text)


class ActSourceRow(Base):
    """Every scan (or imported record) an act was read from: the bureau's and the court's
    copy of one act give two rows for one act."""

    __tablename__ = "act_sources"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    act_id: Mapped[str] = mapped_column(ForeignKey("acts.id", ondelete="CASCADE"), index=True)
    page_id: Mapped[int | None] = mapped_column(ForeignKey("pages.id"), index=True)
    file_name: Mapped[str | None] = mapped_column(String)
    page_no: Mapped[int | None] = mapped_column(Integer)
    bbox: Mapped[list[Any] | None] = mapped_column()
    origin: Mapped[str] = mapped_column(String)  # "scan" or "import:<source name>"
    # sha256 of an imported record: importing the same record twice adds nothing.
    record_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FieldReadingRow(Base):
    """One reading of one field from one scan or imported record; never changed."""

    __tablename__ = "field_readings"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    act_id: Mapped[str] = mapped_column(ForeignKey("acts.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String)
    page_id: Mapped[int | None] = mapped_column(ForeignKey("pages.id"), index=True)
    origin: Mapped[str] = mapped_column(String)
    value: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    raw: Mapped[str | None] = mapped_column(Text)
    box: Mapped[list[Any] | None] = mapped_column()
    side: Mapped[str | None] = mapped_column(String(16))
    engine: Mapped[str | None] = mapped_column(String)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MarginalNoteRow(Base):
    """A note in the margin of an act."""

    __tablename__ = "marginal_notes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    act_id: Mapped[str] = mapped_column(ForeignKey("acts.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    lang: Mapped[str | None] = mapped_column(String(8))
    confidence: Mapped[float] = mapped_column(Float)
    box: Mapped[list[Any] | None] = mapped_column()
    page_id: Mapped[int | None] = mapped_column(ForeignKey("pages.id"))


class UserRow(Base):
    """An account of the web application and the CLI's `user` commands."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'operator', 'reviewer', 'clerk')", name="role"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String, unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String)  # a KDF's encoded hash, never the password
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditRow(Base):
    """One change, appended and never updated or deleted (triggers refuse both)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index(None, "act_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Who: "reviewer:<name>", "ocr", "import:<source>", "cli:<user>"...
    actor: Mapped[str] = mapped_column(String)
    # What: "act.created", "field.changed", "act.approved", "act.rejected", "user.created"...
    action: Mapped[str] = mapped_column(String)
    # No foreign key: the log outlives whatever it speaks of.
    act_id: Mapped[str | None] = mapped_column(String)
    key: Mapped[str | None] = mapped_column(String)
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))


class NameTermRow(Base):
    """One word of the names the registry holds (its vocabulary), in `normalize` form, with
    its folded form and spelling-independent keys (`ocr.text.name_skeletons`). Search
    expands a query word into the terms it may mean: same fold, same key, trigram-close
    (FTS5 trigram table `name_terms_fts` on SQLite, pg_trgm GIN index on PostgreSQL)."""

    __tablename__ = "name_terms"
    __table_args__ = (Index(None, "skeleton"), Index(None, "skeleton_alt"), Index(None, "folded"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    term: Mapped[str] = mapped_column(String, unique=True)
    folded: Mapped[str] = mapped_column(String)
    script: Mapped[str] = mapped_column(String(2))  # "ar" or "fr"
    skeleton: Mapped[str | None] = mapped_column(String)
    skeleton_alt: Mapped[str | None] = mapped_column(String)
    # Search documents that held the term when written (never decreased): a spelling many
    # acts use is a name; one seen once is more likely a misreading.
    acts: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))


class ActNamesRow(Base):
    """The search document of one act: its name terms by role and its filter keys, as
    tokens (`registry_loader.names_index`). Indexed by the FTS5 table `act_names_fts` on
    SQLite; on PostgreSQL by a GIN index on the generated column `tokens_tsv`
    (`to_tsvector('simple', tokens)`), which the models leave out."""

    __tablename__ = "act_names"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    act_id: Mapped[str] = mapped_column(ForeignKey("acts.id", ondelete="CASCADE"), unique=True)
    tokens: Mapped[str] = mapped_column(Text)


class PersonRow(Base):
    """A person: the subject of one or more acts (born, died, married)."""

    __tablename__ = "persons"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PersonKeyRow(Base):
    """A linking key of a person: folded names, birth date and parents in one script.
    Two acts whose subjects share a key are about one person."""

    __tablename__ = "person_keys"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)


class ActPersonRow(Base):
    """Which person an act is about, in which role ("subject", "husband", "wife")."""

    __tablename__ = "act_persons"

    act_id: Mapped[str] = mapped_column(ForeignKey("acts.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)


# Made by migration 0003 with each database's own machinery, outside these models: FTS5
# tables (and their shadow tables) on SQLite, GIN indexes on PostgreSQL.
SEARCH_INDEX_INDEXES = frozenset({"ix_name_terms_folded_trgm", "ix_act_names_tokens_tsv"})
FTS_TABLES = ("name_terms_fts", "act_names_fts")

# Secondary indexes no statement of a bulk load reads: a load into an empty registry builds
# them once its rows are in (one sorted build each instead of an insertion at a random place
# for every row). The look-ups a load makes (identities, terms, registers) go through the
# unique constraints and the indexes not listed here; the record digests it looks up are,
# while their index is dropped, its own (`jsonl._Deferred`).
DEFERRED_INDEXES = frozenset(
    {
        "ix_acts_register_id",
        "ix_acts_page_id",
        "ix_acts_act_number",
        "ix_acts_status_min_confidence",
        "ix_act_persons_person_id",
        "ix_person_keys_person_id",
        "ix_act_sources_act_id",
        "ix_act_sources_page_id",
        "ix_act_sources_record_sha256",
        "ix_audit_log_act_id_id",
        "ix_marginal_notes_act_id",
        "ix_field_readings_act_id",
        "ix_field_readings_page_id",
        "ix_name_terms_skeleton",
        "ix_name_terms_skeleton_alt",
        "ix_name_terms_folded",
    }
)


def in_models(name: str | None, type_: str, _parent_names: Any = None) -> bool:
    """False for the search index's database-specific objects, which the models do not
    describe (an Alembic `include_name` hook: autogenerate and the schema test skip them)."""
    if name is None:
        return True
    if type_ == "table":
        return not any(name == t or name.startswith(t + "_") for t in FTS_TABLES)
    if type_ == "index":
        return name not in SEARCH_INDEX_INDEXES
    if type_ == "column":
        return name != "tokens_tsv"  # PostgreSQL's generated tsvector of act_names.tokens
    return True
