"""Accounts of the web application: create them, check a password, look one up.

Passwords are hashed with Argon2id (argon2-cffi, RFC 9106's low-memory profile by default)
and never stored, logged or returned. Each function that changes something commits.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from registry_loader import audit
from registry_loader.db import begin_write
from registry_loader.models import UserRow

ROLES = ("admin", "operator", "reviewer", "clerk")
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
MIN_PASSWORD = 10
MAX_PASSWORD = 1024

# Module-level so that tests may swap in cheaper parameters; a stored hash carries its own
# parameters, and `authenticate` upgrades one weaker than HASHER's on the next login.
HASHER = PasswordHasher()
# Verified when the name is unknown, so that an unknown name takes as long as a wrong password.
_DUMMY_HASH: dict[str, str] = {}


class AccountError(ValueError):
    """An account cannot be created as asked (bad name, role or password; name taken)."""


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    active: bool = True


def check_password_policy(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"the password must have at most {MAX_PASSWORD} characters")


def create_user(session: Session, name: str, role: str, password: str, *, actor: str) -> Account:
    """Create an active account and commit; `actor` (e.g. "cli:root") goes to the audit log."""
    if not NAME_PATTERN.fullmatch(name):
        raise AccountError(
            f"bad user name {name!r}: 1-64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}: one of {', '.join(ROLES)}")
    check_password_policy(password)
    begin_write(session)
    try:
        if session.scalar(select(UserRow.id).where(UserRow.name == name)) is not None:
            raise AccountError(f"a user named {name!r} exists already")
        session.add(UserRow(name=name, role=role, password_hash=HASHER.hash(password)))
        session.flush()
        audit.record(session, actor, "user.created", new_value=name, detail={"role": role})
        session.commit()
    except IntegrityError:  # created by someone else between the check and the insert
        session.rollback()
        raise AccountError(f"a user named {name!r} exists already") from None
    except BaseException:
        session.rollback()
        raise
    return Account(name=name, role=role)


def get_account(session: Session, name: str) -> Account | None:
    """The account with this name, active or not."""
    row = session.scalar(select(UserRow).where(UserRow.name == name))
    return Account(row.name, row.role, row.active) if row is not None else None


def authenticate(session: Session, name: str, password: str) -> Account | None:
    """The active account when `password` is its password, else None (same time either way)."""
    row = session.scalar(select(UserRow).where(UserRow.name == name))
    if row is None or not row.active or len(password) > MAX_PASSWORD:
        _burn(password[:MAX_PASSWORD])
        return None
    try:
        HASHER.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    account = Account(row.name, row.role, row.active)
    if HASHER.check_needs_rehash(row.password_hash):  # hashed with weaker parameters
        session.rollback()
        begin_write(session)
        session.execute(
            update(UserRow).where(UserRow.name == name).values(password_hash=HASHER.hash(password))
        )
        session.commit()
    return account


def _burn(password: str) -> None:
    key = repr(HASHER)
    if key not in _DUMMY_HASH:
        _DUMMY_HASH[key] = HASHER.hash("not a password of anyone")
    with contextlib.suppress(VerificationError):
        HASHER.verify(_DUMMY_HASH[key], password)
