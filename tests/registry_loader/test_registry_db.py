from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text

from registry_loader.db import (
    DEFAULT_URL,
    RegistryError,
    alembic_config,
    begin_write,
    current_revision,
    head_revision,
    make_engine,
    mask_url,
    open_registry,
    resolve_url,
)
from registry_loader.export import iter_acts
from registry_loader.fields import entries
from registry_loader.load import load_page
from registry_loader.models import ActRow, Base, in_models

SECRET_URL = "postgresql+psycopg://civreg:s3cret-pw@127.0.0.1:1/civreg"


def test_resolve_url_prefers_the_argument(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIVREG_DB", "sqlite:///env.db")
    assert resolve_url("sqlite:///arg.db") == "sqlite:///arg.db"


def test_resolve_url_falls_back_to_civreg_db(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIVREG_DB", "sqlite:///env.db")
    assert resolve_url(None) == "sqlite:///env.db"


def test_resolve_url_defaults_to_a_file_in_the_current_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CIVREG_DB", raising=False)
    assert resolve_url(None) == DEFAULT_URL == "sqlite:///civreg.db"


def test_open_registry_without_url_creates_civreg_db_in_the_current_folder(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.delenv("CIVREG_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    open_registry().close()
    assert (tmp_path / "civreg.db").is_file()


def test_open_registry_migrates_an_empty_database_to_head(db_url: str) -> None:
    with open_registry(db_url) as registry:
        assert current_revision(registry.engine) == head_revision() is not None
        assert {
            "acts",
            "field_readings",
            "pages",
            "registers",
            "act_sources",
            "marginal_notes",
        } <= set(inspect(registry.engine).get_table_names())


def test_reopening_a_registry_keeps_its_acts(db_url: str, make_act, make_page) -> None:
    with open_registry(db_url) as registry, registry.session() as session:
        load_page(session, make_page(), [make_act()])
    with open_registry(db_url) as registry, registry.session() as session:
        assert session.scalar(text("SELECT count(*) FROM acts")) == 1


def test_migrations_match_the_models(registry) -> None:
    with registry.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": in_models}
        )
        assert compare_metadata(context, Base.metadata) == []


def test_downgrade_to_base_then_upgrade_again_restores_the_schema(registry) -> None:
    with registry.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "base")
    assert "acts" not in inspect(registry.engine).get_table_names()
    with registry.engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    assert "acts" in inspect(registry.engine).get_table_names()


def test_field_documents_survive_a_downgrade_to_field_rows_and_back(
    db_url: str, make_act, make_page
) -> None:
    act = make_act(family_name_fr=("Alaoui", 0.61), given_name_ar="محمد")
    with open_registry(db_url) as registry, registry.session() as session:
        load_page(session, make_page(), [act])
        before = [a.to_json(provenance=True) for a in iter_acts(session)]
        stored = session.scalar(select(ActRow.fields))
        session.rollback()  # end the read: PostgreSQL's ALTER TABLE would wait for it
        with registry.engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0003")
        with registry.engine.connect() as conn:
            rows = conn.execute(text("SELECT key, value, set_by FROM field_values")).all()
        assert ("family_name_fr", "Alaoui", "ocr") in rows and len(rows) == len(act.fields)
    with open_registry(db_url) as registry, registry.session() as session:  # upgrades again
        assert [a.to_json(provenance=True) for a in iter_acts(session)] == before
        again, first = entries(session.scalar(select(ActRow.fields))), entries(stored)
        assert again.keys() == first.keys()
        assert [e["at"][:19] for e in again.values()] == [e["at"][:19] for e in first.values()]


def test_a_bulk_transaction_does_not_wait_for_the_disk_and_others_do(registry) -> None:
    postgres = registry.engine.dialect.name == "postgresql"
    show = "SHOW synchronous_commit" if postgres else "PRAGMA synchronous"
    relaxed, strict = ("off", "on") if postgres else (1, 2)  # SQLite: NORMAL, FULL
    for bulk, expected in ((True, relaxed), (False, strict)):
        with registry.session() as session:
            begin_write(session, bulk=bulk)
            assert session.execute(text(show)).scalar() == expected
            session.rollback()


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 't.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    engine.dispose()


def test_sqlite_ddl_is_transactional(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 't.db'}")
    with engine.connect() as conn:
        conn.begin()
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        conn.rollback()
        assert "t" not in inspect(conn).get_table_names()
    engine.dispose()


def test_mask_url_hides_the_password() -> None:
    masked = mask_url(SECRET_URL)
    assert "s3cret-pw" not in masked and "***" in masked


def test_registry_repr_hides_the_password() -> None:
    registry = open_registry(SECRET_URL, migrate=False)  # no connection is made
    assert "s3cret-pw" not in repr(registry) and "civreg:***@" in registry.url


def test_a_database_that_cannot_be_reached_raises_without_the_password() -> None:
    with pytest.raises(RegistryError) as raised:
        open_registry(SECRET_URL)
    assert "s3cret-pw" not in str(raised.value)
    assert "127.0.0.1:1" in str(raised.value)
