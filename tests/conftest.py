"""Fixtures for every test folder.

Databases: a test that takes `registry_url` (or its alias `db_url`, or `registry`, `session`)
runs on SQLite (a fresh file) and, when CIVREG_TEST_PG_URL is set, on PostgreSQL too (its
public schema dropped and recreated for each test). `sqlite_url` is a fresh SQLite file alone
(for tests whose subject is not the database); `pg_url` is PostgreSQL alone, skipped without
CIVREG_TEST_PG_URL. `make_act` and `make_page` build acts and pages as the pipeline
gives them.

Prefect: nothing here starts Prefect. Flow tests ask for the session-scoped `prefect_harness`
(`@pytest.mark.usefixtures("prefect_harness")`, or as an argument: it is the server's API
URL): one temporary server for the whole session, 10-20 s to start, then 1-2 s a flow run.
Test a task's logic through `task.fn(...)` instead.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

# The project's packages are imported where used, so that one that fails to import fails
# only the tests that need it, not the collection of every folder.
if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from records import Act, Source
    from registry_loader.db import Registry
    from registry_loader.load import PageInfo

PG_ENV = "CIVREG_TEST_PG_URL"  # e.g. postgresql+psycopg://civreg:civreg@127.0.0.1:5432/civreg_test
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get(PG_ENV) else [])

PREFECT_OFFLINE = {"PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}
# Set at import too: Prefect reads its settings once, when first imported, which a test
# module may do while being collected, before any fixture runs.
os.environ.update(PREFECT_OFFLINE)


@pytest.fixture(scope="session", autouse=True)
def prefect_offline() -> Iterator[None]:
    """No telemetry from Prefect or its temporary servers (there is no network anyway)."""
    with pytest.MonkeyPatch.context() as patch:
        for key, value in PREFECT_OFFLINE.items():
            patch.setenv(key, value)
        yield


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[str]:
    """Flows run against one temporary Prefect server and database for the session. Yields
    the server's API URL: a subprocess given it as PREFECT_API_URL starts no server of its own.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PREFECT_LOGGING_LEVEL", os.environ.get("PREFECT_LOGGING_LEVEL", "WARNING"))
        from prefect.settings import PREFECT_API_URL
        from prefect.testing.utilities import prefect_test_harness

        # Prefect's default 30 s is tight on a busy 2-core machine; CI sets more.
        timeout = int(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90"))
        with prefect_test_harness(server_startup_timeout=timeout):
            yield str(PREFECT_API_URL.value())


# --- databases -----------------------------------------------------------------------------


def sqlite_file_url(folder: Path, name: str = "civreg.db") -> str:
    return f"sqlite:///{folder / name}"


def reset_postgres(url: str) -> str:
    """Empty the test database (its public schema) and return its URL."""
    database = make_url(url).database or ""
    if "test" not in database:  # the schema is dropped: never on a database that matters
        raise pytest.UsageError(f"{PG_ENV} must name a test database (with 'test' in its name)")
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            # A connection an earlier test left open would make the drop wait for ever.
            conn.exec_driver_sql("SET LOCAL lock_timeout = '20s'")
            conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
    finally:
        engine.dispose()
    return url


@pytest.fixture(params=BACKENDS)
def registry_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a SQLite file, or the emptied PostgreSQL test database."""
    if request.param == "sqlite":
        return sqlite_file_url(tmp_path)
    return reset_postgres(os.environ[PG_ENV])


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """An empty SQLite registry, for tests whose subject is not the database."""
    return sqlite_file_url(tmp_path)


@pytest.fixture
def db_url(registry_url: str) -> str:
    """Another name of `registry_url`."""
    return registry_url


@pytest.fixture
def pg_url() -> str:
    """The emptied PostgreSQL test database; skips the test without CIVREG_TEST_PG_URL."""
    if not os.environ.get(PG_ENV):
        pytest.skip(f"{PG_ENV} is not set")
    return reset_postgres(os.environ[PG_ENV])


@pytest.fixture
def registry(registry_url: str) -> Iterator[Registry]:
    from registry_loader.db import open_registry

    with open_registry(registry_url) as opened:
        yield opened


@pytest.fixture
def session(registry: Registry) -> Iterator[Session]:
    with registry.session() as opened:
        yield opened


# --- acts and pages --------------------------------------------------------------------------


def birth_act(
    number: str | None = "12",
    *,
    confidence: float = 0.95,
    commune_fr: str | None = "Sefrou",
    commune_ar: str | None = "صفرو",
    year: int | str | None = 1995,
    act_type: str = "birth",
    status: str | None = None,
    source: Source | None = None,
    notes: tuple[str, ...] = (),
    **values: str | tuple[str, float],
) -> Act:
    """A birth act as extraction gives it; `values` add fields (value or (value, confidence)).
    Without `status`, the act is routed the way the pipeline routes it."""
    from records import Act, FieldValue, MarginalNote
    from validation.routing import route

    fields: dict[str, FieldValue] = {"act_type": FieldValue(act_type, confidence)}
    register = {
        "register_year": year,
        "commune_fr": commune_fr,
        "commune_ar": commune_ar,
        "act_number": number,
    }
    fields.update({k: FieldValue(str(v), confidence) for k, v in register.items() if v is not None})
    defaults = {
        "given_name_fr": "Mohamed",
        "given_name_ar": "محمد",
        "family_name_fr": "Alaoui",
        "family_name_ar": "العلوي",
        "sex": "M",
        "birth_date": "1995-03-15",
    }
    for key, value in {**defaults, **values}.items():
        text, conf = value if isinstance(value, tuple) else (value, confidence)
        side = key[-2:] if key[-3:] in ("_ar", "_fr") else None
        fields[key] = FieldValue(text, conf, raw=text, engine="tesseract/test", side=side)
    act = Act(
        fields=fields,
        source=source,
        marginal_notes=[MarginalNote(text, 0.8, lang="fr") for text in notes],
    )
    act.status = status or route(act)
    return act


def page_info(name: str = "sefrou_1995_p012.png", page_no: int = 1, **extra: object) -> PageInfo:
    """A page whose file's sha256 is derived from its name (one name, one file)."""
    from registry_loader.load import PageInfo

    return PageInfo(
        file_name=name,
        file_path=f"/scans/{name}",
        sha256=hashlib.sha256(name.encode()).hexdigest(),
        page_no=page_no,
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture
def make_act() -> Callable[..., Act]:
    return birth_act


@pytest.fixture
def make_page() -> Callable[..., PageInfo]:
    return page_info
