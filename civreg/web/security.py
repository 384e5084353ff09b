"""Sessions, login throttling and the short cache of checked credentials: in memory, no web
framework. Tokens are kept only as their SHA-256, never logged; the clock is injectable."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]


def utc_clock() -> datetime:
    return datetime.now(UTC)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def same_token(given: str | None, expected: str | None) -> bool:
    """Constant-time comparison of two tokens; False when either is missing."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class WebSession:
    user: str
    csrf: str
    created: datetime
    seen: datetime


class SessionStore:
    """Logged-in browsers: a random token (the cookie) to a user and a CSRF token.

    A session ends after `idle` without a request or `absolute` after login, whichever comes
    first; sessions live in this process only (a restart logs everyone out)."""

    def __init__(
        self,
        clock: Clock = utc_clock,
        *,
        idle: timedelta = timedelta(minutes=30),
        absolute: timedelta = timedelta(hours=10),
    ) -> None:
        self.clock, self.idle, self.absolute = clock, idle, absolute
        self._sessions: dict[str, WebSession] = {}
        self._lock = threading.Lock()

    def create(self, user: str) -> tuple[str, WebSession]:
        token, now = new_token(), self.clock()
        session = WebSession(user=user, csrf=new_token(), created=now, seen=now)
        with self._lock:
            self._purge(now)
            self._sessions[_digest(token)] = session
        return token, session

    def get(self, token: str) -> WebSession | None:
        """The live session of this token (its idle time starts again), else None."""
        now, key = self.clock(), _digest(token)
        with self._lock:
            session = self._sessions.get(key)
            if session is None:
                return None
            if self._expired(session, now):
                del self._sessions[key]
                return None
            session.seen = now
            return session

    def drop(self, token: str) -> None:
        with self._lock:
            self._sessions.pop(_digest(token), None)

    def _expired(self, session: WebSession, now: datetime) -> bool:
        return now - session.seen > self.idle or now - session.created > self.absolute

    def _purge(self, now: datetime) -> None:
        for key in [k for k, s in self._sessions.items() if self._expired(s, now)]:
            del self._sessions[key]


class LoginThrottle:
    """After `limit` failed logins of one name from one address within `window`, further
    attempts are refused until the oldest failure leaves the window."""

    def __init__(
        self, clock: Clock = utc_clock, *, limit: int = 5, window: timedelta = timedelta(minutes=5)
    ) -> None:
        self.clock, self.limit, self.window = clock, limit, window
        self._failures: dict[tuple[str, str], deque[datetime]] = {}
        self._lock = threading.Lock()

    def wait(self, name: str, address: str) -> float:
        """Seconds before this name may try again from this address (0: now)."""
        now = self.clock()
        with self._lock:
            failures = self._recent((name.casefold(), address), now)
            if len(failures) < self.limit:
                return 0.0
            return max(1.0, (failures[0] + self.window - now).total_seconds())

    def failed(self, name: str, address: str) -> None:
        now = self.clock()
        with self._lock:
            key = (name.casefold(), address)
            self._recent(key, now)
            self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, name: str, address: str) -> None:
        with self._lock:
            self._failures.pop((name.casefold(), address), None)

    def _recent(self, key: tuple[str, str], now: datetime) -> deque[datetime]:
        failures = self._failures.get(key, deque())
        while failures and now - failures[0] > self.window:
            failures.popleft()
        if not failures:
            self._failures.pop(key, None)
        return failures


class CredentialCache:
    """Basic-auth credentials checked recently, so that a script calling the API does not pay
    for Argon2 on every request. Holds keyed hashes (HMAC with a key of this process) only."""

    def __init__(self, clock: Clock = utc_clock, *, ttl: timedelta = timedelta(minutes=2)) -> None:
        self.clock, self.ttl = clock, ttl
        self._key = secrets.token_bytes(32)
        self._checked: dict[str, datetime] = {}
        self._lock = threading.Lock()

    def _mac(self, name: str, password: str) -> str:
        message = name.encode() + b"\0" + password.encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def known(self, name: str, password: str) -> bool:
        key, now = self._mac(name, password), self.clock()
        with self._lock:
            until = self._checked.get(key)
            if until is None or until <= now:
                self._checked.pop(key, None)
                return False
            return True

    def remember(self, name: str, password: str) -> None:
        with self._lock:
            if len(self._checked) > 10_000:
                self._checked.clear()
            self._checked[self._mac(name, password)] = self.clock() + self.ttl
