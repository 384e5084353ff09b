"""`civreg import` as operators run it, in a real process: killed mid-batch, then run again.

The subprocesses talk to the session's Prefect test server (PREFECT_API_URL), as a
production batch talks to a real server; that spares each ~10 s of starting its own.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from flows_helpers import MEKNES, P039, P040, exported, identities, identity

pytestmark = pytest.mark.slow

CIVREG = Path(sys.executable).with_name("civreg")
PAGES = (P039, P040, MEKNES)  # read in this order (a batch is sorted) with --workers 1


def civreg_env(api_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "CIVREG_DB"}
    env.update(
        PREFECT_API_URL=api_url,
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        PREFECT_LOGGING_LEVEL="WARNING",
    )
    return env


def loaded_pages(db: Path) -> int:
    """Pages the registry holds as loaded (0 while its schema does not exist yet)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM pages WHERE status = 'loaded'").fetchone()[0]
    except sqlite3.OperationalError:  # no file or no table yet
        return 0


def kill_after_first_page(cmd: list[str], env: dict[str, str], db: Path, limit: float) -> int:
    """Start `cmd`, SIGKILL it (and its process group) once a page is loaded; the pages
    loaded when it died."""
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    deadline = time.monotonic() + limit
    try:
        while loaded_pages(db) == 0:
            if proc.poll() is not None:
                pytest.fail(f"civreg import ended before it was killed: {proc.stderr.read()!r}")
            if time.monotonic() > deadline:
                pytest.fail(f"no page loaded within {limit} s")
            time.sleep(0.05)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL, "the import finished before the kill"
    return loaded_pages(db)


def test_an_import_killed_mid_batch_then_run_again_loads_every_act_once(
    prefect_harness, generated_pages, tmp_path, reference_reads
):
    db = tmp_path / "civreg.db"
    paths = [str(generated_pages / name) for name in PAGES]
    cmd = [str(CIVREG), "import", *paths, "--db", f"sqlite:///{db}", "--json", "--workers", "1"]
    env = civreg_env(prefect_harness)

    before = kill_after_first_page(cmd, env, db, limit=120)
    assert 1 <= before < len(PAGES), f"{before} pages loaded at the kill: not mid-batch"

    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout.strip().splitlines()[-1])
    expected = sorted((identity(a) for n in PAGES for a in reference_reads[n]["acts"]), key=repr)
    assert summary["pages_done_before"] == before
    assert (summary["pages"], summary["failed"], summary["acts"]) == (3, [], len(expected))
    assert identities(exported(f"sqlite:///{db}")) == expected
