"""Fixtures of the web tests: `web`, a registry holding the sample page's two acts and one
account of each role, the app over it with a clock the tests move, and a client
(helpers in web_helpers.py). Databases come from tests/conftest.py (SQLite, and PostgreSQL
with CIVREG_TEST_PG_URL)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from web_helpers import CHEAP_HASHER_PARAMETERS, SCAN, Clock, Web, add_users, load_sample

from civreg.web import create_app
from registry_loader import accounts
from registry_loader.db import Registry, open_registry


@pytest.fixture(autouse=True)
def cheap_hasher(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "HASHER", PasswordHasher(**CHEAP_HASHER_PARAMETERS))


def serve_sample(registry: Registry, url: str, tmp_path: Path) -> Iterator[Web]:
    scans = tmp_path / "scans"
    scans.mkdir()
    scan = Path(shutil.copy(SCAN, scans / SCAN.name))
    acts = load_sample(registry, scan)
    add_users(registry)
    clock = Clock()
    with TestClient(create_app(registry, clock=clock)) as client:
        yield Web(registry, url, clock, client, scan, acts)


@pytest.fixture
def web(registry: Registry, registry_url: str, tmp_path: Path) -> Iterator[Web]:
    """On SQLite, and on PostgreSQL too with CIVREG_TEST_PG_URL: for tests of what the
    database does (roles, locks, transactions, the API's changes)."""
    yield from serve_sample(registry, registry_url, tmp_path)


@pytest.fixture
def sqlite_web(sqlite_url: str, tmp_path: Path) -> Iterator[Web]:
    """On SQLite only: for tests whose subject is not the database (pages, images, the
    browser, sessions)."""
    with open_registry(sqlite_url) as registry:
        yield from serve_sample(registry, sqlite_url, tmp_path)
