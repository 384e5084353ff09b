"""Registry fixtures: each test that takes `db_url` (or `registry`, `session`) runs on SQLite
(a fresh file) and, when CIVREG_TEST_PG_URL is set, on PostgreSQL too (the schema is
dropped and recreated for each test). Written to move to tests/conftest.py unchanged.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from records import Act, FieldValue, MarginalNote, Source
from registry_loader.db import Registry, open_registry
from registry_loader.load import PageInfo
from validation.routing import route

PG_ENV = "CIVREG_TEST_PG_URL"  # e.g. postgresql+psycopg://civreg:civreg@127.0.0.1:5432/civreg_test
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get(PG_ENV) else [])


def sqlite_url(folder: Path, name: str = "civreg.db") -> str:
    return f"sqlite:///{folder / name}"


def reset_postgres(url: str) -> str:
    """Empty the test database (its public schema) and return its URL."""
    database = make_url(url).database or ""
    if "test" not in database:  # the schema is dropped: never on a database that matters
        raise pytest.UsageError(f"{PG_ENV} must name a test database (with 'test' in its name)")
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
    finally:
        engine.dispose()
    return url


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a SQLite file, or the emptied PostgreSQL test database."""
    if request.param == "sqlite":
        return sqlite_url(tmp_path)
    return reset_postgres(os.environ[PG_ENV])


@pytest.fixture
def pg_url() -> str:
    """The emptied PostgreSQL test database; skips the test without CIVREG_TEST_PG_URL."""
    if not os.environ.get(PG_ENV):
        pytest.skip(f"{PG_ENV} is not set")
    return reset_postgres(os.environ[PG_ENV])


@pytest.fixture
def registry(db_url: str) -> Iterator[Registry]:
    with open_registry(db_url) as opened:
        yield opened


@pytest.fixture
def session(registry: Registry) -> Iterator[Session]:
    with registry.session() as opened:
        yield opened


def birth_act(
    number: str | None = "12", *, confidence: float = 0.95, commune_fr: str | None = "Sefrou",
    commune_ar: str | None = "صفرو", year: int | str | None = 1995, act_type: str = "birth",
    status: str | None = None, source: Source | None = None, notes: tuple[str, ...] = (),
    **values: str | tuple[str, float],
) -> Act:
    """A birth act as extraction gives it; `values` add fields (value or (value, confidence)).
    Without `status`, the act is routed the way the pipeline routes it."""
    fields: dict[str, FieldValue] = {"act_type": FieldValue(act_type, confidence)}
    register = {"register_year": year, "commune_fr": commune_fr, "commune_ar": commune_ar,
                "act_number": number}
    fields.update(
        {k: FieldValue(str(v), confidence) for k, v in register.items() if v is not None}
    )
    defaults = {"given_name_fr": "Mohamed", "given_name_ar": "محمد", "family_name_fr": "Alaoui",
                "family_name_ar": "العلوي", "sex": "M", "birth_date": "1995-03-15"}
    for key, value in {**defaults, **values}.items():
        text, conf = value if isinstance(value, tuple) else (value, confidence)
        side = key[-2:] if key[-3:] in ("_ar", "_fr") else None
        fields[key] = FieldValue(text, conf, raw=text, engine="tesseract/test", side=side)
    act = Act(
        fields=fields, source=source,
        marginal_notes=[MarginalNote(text, 0.8, lang="fr") for text in notes],
    )
    act.status = status or route(act)
    return act


def page_info(name: str = "sefrou_1995_p012.png", page_no: int = 1, **extra: object) -> PageInfo:
    """A page whose file's sha256 is derived from its name (one name, one file)."""
    return PageInfo(
        file_name=name, file_path=f"/scans/{name}",
        sha256=hashlib.sha256(name.encode()).hexdigest(), page_no=page_no,
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture
def make_act() -> Callable[..., Act]:
    return birth_act


@pytest.fixture
def make_page() -> Callable[..., PageInfo]:
    return page_info
