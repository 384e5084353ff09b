"""Helpers of the web tests: the sample registry (the two acts of a committed sample page as
the pipeline read them, `data/*.acts.jsonl`, frozen so that these tests never depend on
OCR), one account of each role, a clock the tests move, logging in."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from pipeline.load import file_sha256
from records import Act
from registry_loader import accounts
from registry_loader.db import Registry
from registry_loader.load import PageInfo, load_page

ROOT = Path(__file__).resolve().parents[2]
SCAN = ROOT / "sample_scans" / "pages" / "ma_tanger_1972_death_p013.png"
ACTS = Path(__file__).resolve().parent / "data" / "ma_tanger_1972_death_p013.acts.jsonl"
PASSWORD = "a long test password"
USERS = {"root": "admin", "olga": "operator", "amina": "reviewer", "rachid": "reviewer",
         "claire": "clerk"}  # fmt: skip
# Argon2id as in production, with parameters that take a millisecond, not 0.3 s.
CHEAP_HASHER_PARAMETERS = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}
# Now, to the minute: the times the app writes agree with those the loads write.
T0 = datetime.now(UTC).replace(second=0, microsecond=0)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Web:
    registry: Registry
    url: str
    clock: Clock
    client: TestClient
    scan: Path  # the registry's copy of the sample page
    acts: dict[str, str] = field(default_factory=dict)  # act number -> act id

    def new_client(self) -> TestClient:
        return TestClient(self.client.app)


def load_sample(registry: Registry, scan: Path) -> dict[str, str]:
    """Load the frozen reading of the sample page as if `scan` had been imported."""
    acts = [
        Act.from_json(json.loads(line)) for line in ACTS.read_text(encoding="utf-8").splitlines()
    ]
    page = PageInfo(
        file_name=scan.name,
        file_path=str(scan),
        sha256=file_sha256(scan),
        page_no=1,
        width=1654,
        height=2339,
    )
    with registry.session() as session:
        ids = load_page(session, page, acts).act_ids
    return {act.act_number: act_id for act, act_id in zip(acts, ids, strict=True)}


def add_users(registry: Registry) -> None:
    with registry.session() as session:
        for name, role in USERS.items():
            accounts.create_user(session, name, role, PASSWORD, actor="test")


def auth(name: str) -> tuple[str, str]:
    return name, PASSWORD


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def login(client: TestClient, name: str, password: str = PASSWORD) -> str:
    """Log in through the form; returns the session's CSRF token (from a page's form)."""
    form = client.get("/login")
    token = re.search(r'name="login_csrf" value="([^"]+)"', form.text).group(1)
    response = client.post(
        "/login",
        data={"name": name, "password": password, "login_csrf": token, "next": "/search"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    page = client.get("/search")
    return CSRF.search(page.text).group(1)
