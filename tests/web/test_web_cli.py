"""`civreg user add` and `civreg serve` from the command line."""

from __future__ import annotations

import gc
import importlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner
from web_helpers import PASSWORD

from civreg.cli import app
from registry_loader import accounts
from registry_loader.db import open_registry


def add(url: str, *args: str, password: str = PASSWORD):
    return CliRunner().invoke(app, ["user", "add", *args, "--db", url], input=password + "\n")


def test_user_add_reads_the_password_from_stdin_and_never_prints_it(sqlite_url: str) -> None:
    result = add(sqlite_url, "amina", "--role", "reviewer")

    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    with open_registry(sqlite_url) as registry, registry.session() as session:
        assert accounts.authenticate(session, "amina", PASSWORD).role == "reviewer"


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["amina", "--role", "king"], PASSWORD, "unknown role"),
        (["amina", "--role", "clerk"], "short", "at least 10"),
        (["a/b", "--role", "clerk"], PASSWORD, "bad user name"),
    ],
)
def test_user_add_refuses_bad_accounts(sqlite_url: str, args, password, message) -> None:
    result = add(sqlite_url, *args, password=password)

    assert result.exit_code == 2 and message in result.output
    assert password not in result.output


def test_user_add_refuses_a_name_taken(sqlite_url: str) -> None:
    assert add(sqlite_url, "amina", "--role", "reviewer").exit_code == 0
    result = add(sqlite_url, "amina", "--role", "admin")
    assert result.exit_code == 2 and "exists already" in result.output


def test_serve_warms_up_and_settles_the_heap_before_listening(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    search = importlib.import_module("registry_loader.search")  # the package's search() hides it
    seen: dict[str, int] = {}
    real_warm_up = search.warm_up
    monkeypatch.setattr(
        search, "warm_up", lambda session: seen.setdefault("warm", 1) and real_warm_up(session)
    )
    monkeypatch.setattr(
        uvicorn, "run", lambda *a, **k: seen.setdefault("frozen", gc.get_freeze_count())
    )
    try:
        result = CliRunner().invoke(app, ["serve", "--db", sqlite_url])
    finally:
        gc.unfreeze()
    assert result.exit_code == 0, result.output
    assert seen["warm"] == 1
    assert seen["frozen"] > 10_000  # the modules and tables loaded, set aside


def test_serve_answers_only_logged_in_users(sqlite_url: str) -> None:
    assert add(sqlite_url, "claire", "--role", "clerk").exit_code == 0
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    civreg = Path(sys.executable).with_name("civreg")  # the console script pip installed
    command = [str(civreg), "serve", "--db", sqlite_url]
    server = subprocess.Popen(
        [*command, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                anonymous = httpx.get(f"{base}/api/me")
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline, "serve did not start"
                time.sleep(0.1)
        assert anonymous.status_code == 401
        me = httpx.get(f"{base}/api/me", auth=("claire", PASSWORD))
        assert me.json() == {"name": "claire", "role": "clerk"}
        assert "server" not in me.headers  # uvicorn's banner is off
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0].decode()
    assert PASSWORD not in output
    assert "GET /api/me" in output  # the access log, without credentials
