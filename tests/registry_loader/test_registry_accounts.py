"""Accounts: Argon2id hashes, password checks, names and roles, audit."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError
from argon2.profiles import RFC_9106_LOW_MEMORY
from sqlalchemy import select

from registry_loader import accounts
from registry_loader.models import AuditRow, UserRow

PASSWORD = "correct horse battery"
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def cheap_hasher(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id all the same, with parameters that take a millisecond."""
    monkeypatch.setattr(accounts, "HASHER", CHEAP)


def test_the_default_hasher_is_argon2id_with_rfc_9106_parameters() -> None:
    hasher = PasswordHasher()  # what the module uses outside tests
    assert hasher.type is Type.ID
    assert hasher.memory_cost == RFC_9106_LOW_MEMORY.memory_cost >= 19 * 1024
    assert hasher.time_cost >= 2


def test_a_new_user_has_an_argon2id_hash_never_the_password(session) -> None:
    account = accounts.create_user(session, "amina", "reviewer", PASSWORD, actor="cli:root")

    row = session.scalar(select(UserRow).where(UserRow.name == "amina"))
    assert account == accounts.Account("amina", "reviewer", True)
    assert row.password_hash.startswith("$argon2id$")
    assert PASSWORD not in row.password_hash
    assert row.active


def test_authenticate_accepts_the_right_password_only(session) -> None:
    accounts.create_user(session, "amina", "reviewer", PASSWORD, actor="cli:root")

    assert accounts.authenticate(session, "amina", PASSWORD) == accounts.Account(
        "amina", "reviewer"
    )
    assert accounts.authenticate(session, "amina", PASSWORD + "!") is None
    assert accounts.authenticate(session, "amina", "") is None
    assert accounts.authenticate(session, "nobody", PASSWORD) is None


def test_a_disabled_account_cannot_log_in(session) -> None:
    accounts.create_user(session, "amina", "reviewer", PASSWORD, actor="cli:root")
    session.scalar(select(UserRow).where(UserRow.name == "amina")).active = False
    session.commit()

    assert accounts.authenticate(session, "amina", PASSWORD) is None
    assert accounts.get_account(session, "amina") == accounts.Account("amina", "reviewer", False)


def test_a_weaker_hash_is_upgraded_at_the_next_login(session, monkeypatch) -> None:
    accounts.create_user(session, "amina", "reviewer", PASSWORD, actor="cli:root")
    stronger = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    monkeypatch.setattr(accounts, "HASHER", stronger)

    assert accounts.authenticate(session, "amina", PASSWORD) is not None

    stored = session.scalar(select(UserRow.password_hash).where(UserRow.name == "amina"))
    assert not stronger.check_needs_rehash(stored)
    assert accounts.authenticate(session, "amina", PASSWORD) is not None


@pytest.mark.parametrize(
    ("name", "role", "password", "message"),
    [
        ("amina", "superuser", PASSWORD, "unknown role"),
        ("", "clerk", PASSWORD, "bad user name"),
        ("a b", "clerk", PASSWORD, "bad user name"),
        ("../x", "clerk", PASSWORD, "bad user name"),
        ("amina", "clerk", "short", "at least 10"),
    ],
)
def test_bad_names_roles_and_passwords_are_refused(
    session, name: str, role: str, password: str, message: str
) -> None:
    with pytest.raises(accounts.AccountError, match=message):
        accounts.create_user(session, name, role, password, actor="cli:root")
    assert session.scalar(select(UserRow.id)) is None


def test_a_name_is_taken_once(session) -> None:
    accounts.create_user(session, "amina", "reviewer", PASSWORD, actor="cli:root")
    with pytest.raises(accounts.AccountError, match="exists already"):
        accounts.create_user(session, "amina", "clerk", PASSWORD + "2", actor="cli:root")
    assert accounts.get_account(session, "amina").role == "reviewer"


def test_creating_a_user_is_audited_without_the_password(session) -> None:
    accounts.create_user(session, "amina", "reviewer", PASSWORD, actor="cli:root")

    rows = session.scalars(select(AuditRow)).all()
    assert [(r.actor, r.action, r.new_value, r.detail) for r in rows] == [
        ("cli:root", "user.created", "amina", {"role": "reviewer"})
    ]
    assert all(PASSWORD not in str(vars(r)) for r in rows)


def test_a_corrupt_stored_hash_fails_closed(session) -> None:
    accounts.create_user(session, "amina", "reviewer", PASSWORD, actor="cli:root")
    session.scalar(select(UserRow).where(UserRow.name == "amina")).password_hash = "plain"
    session.commit()
    with pytest.raises(InvalidHashError):
        CHEAP.verify("plain", PASSWORD)  # what argon2 says of it...
    assert accounts.authenticate(session, "amina", PASSWORD) is None  # ...and we refuse
