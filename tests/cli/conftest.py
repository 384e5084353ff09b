"""Fixtures of the command-line tests: a runner, and a small registry of known acts
(databases come from tests/conftest.py)."""

from __future__ import annotations

import pytest
from cli_helpers import fill
from typer.testing import CliRunner


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def filled_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite registry holding ACTS (shared: tests only read it)."""
    return fill(f"sqlite:///{tmp_path_factory.mktemp('filled') / 'civreg.db'}")
