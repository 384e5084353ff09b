"""Which database a command uses (--db, then $CIVREG_DB, then ./civreg.db), and what a bad
database URL gives: a clear message, no traceback, no password."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import ACTS, fill, key_of

from civreg.cli import app

CIVREG = Path(sys.executable).with_name("civreg")
SECRET = "s3cret-Pw"


def exported_keys(result) -> list[str]:
    assert result.exit_code == 0, result.stderr
    return sorted(key_of(json.loads(line)) for line in result.stdout.splitlines())


def test_db_option_wins_over_the_environment(runner, filled_url, sqlite_url, monkeypatch):
    monkeypatch.setenv("CIVREG_DB", sqlite_url)
    assert exported_keys(runner.invoke(app, ["export", "--db", filled_url])) == sorted(ACTS)


def test_the_environment_is_used_without_db_option(runner, filled_url, monkeypatch):
    monkeypatch.setenv("CIVREG_DB", filled_url)
    assert exported_keys(runner.invoke(app, ["export"])) == sorted(ACTS)


def test_without_either_the_registry_is_civreg_db_in_the_current_folder(
    runner, tmp_path: Path, monkeypatch
):
    monkeypatch.delenv("CIVREG_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    fill(f"sqlite:///{tmp_path / 'civreg.db'}")
    assert exported_keys(runner.invoke(app, ["export"])) == sorted(ACTS)


BAD_URLS = [
    pytest.param(f"postgresql+psycopg://civreg:{SECRET}@127.0.0.1:1/civreg", id="unreachable"),
    pytest.param(f"postgresql+psycopg://civreg:{SECRET}@127.0.0.1:port/civreg", id="unparsable"),
    pytest.param(f"postgresql+nodriver://civreg:{SECRET}@127.0.0.1/civreg", id="no-driver"),
    pytest.param(f"mysql://civreg:{SECRET}@127.0.0.1/civreg", id="driver-not-installed"),
    pytest.param("sqlite:////nonexistent/folder/civreg.db", id="sqlite-no-folder"),
    pytest.param("not a url", id="not-a-url"),
]
COMMANDS = [["export"], ["search", "Mohamed"], ["import", "/nonexistent.png"]]


@pytest.mark.parametrize("url", BAD_URLS)
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_bad_db_url_gives_a_clear_error(runner, url, command):
    result = runner.invoke(app, [*command, "--db", url])
    assert result.exit_code == 2
    assert result.stderr.startswith("civreg: cannot open registry "), result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert SECRET not in result.stdout + result.stderr


def test_a_bad_db_url_from_the_environment_gives_the_same_error(runner, monkeypatch):
    monkeypatch.setenv("CIVREG_DB", f"postgresql+psycopg://civreg:{SECRET}@127.0.0.1:1/x")
    result = runner.invoke(app, ["export"])
    assert result.exit_code == 2 and "civreg: cannot open registry" in result.stderr
    assert SECRET not in result.stderr


def test_a_bad_db_url_in_a_real_process_prints_no_traceback_and_no_password():
    url = f"postgresql+psycopg://civreg:{SECRET}@127.0.0.1:1/civreg"
    done = subprocess.run(
        [str(CIVREG), "export", "--db", url], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("civreg: cannot open registry postgresql+psycopg://civreg:***@")
    assert "Traceback" not in done.stderr and SECRET not in done.stderr
