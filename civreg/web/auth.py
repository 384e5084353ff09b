"""Who is calling, and may they: HTTP Basic or the session cookie, roles, CSRF.

Every route depends on `require(...)`. Any request that changes something (a method other
than GET/HEAD/OPTIONS) is refused when the browser says it comes from another site
(`Origin`, `Sec-Fetch-Site`): that covers Basic credentials a browser may have cached.
A session-cookie request must also carry the session's CSRF token, in the `X-CSRF-Token`
header or the `csrf_token` form field. Scripts using HTTP Basic send neither header and
need no token.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from civreg.web.security import same_token
from registry_loader.accounts import ROLES, Account, authenticate, get_account

if TYPE_CHECKING:
    from civreg.web.app import WebState

COOKIE = "civreg_session"
LOGIN_COOKIE = "civreg_login"  # the login form's own CSRF token (double submit)
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ALL_ROLES = ROLES
REVIEWERS = ("reviewer", "admin")


@dataclass(frozen=True)
class User:
    name: str
    role: str
    via: str  # "session" or "basic"
    csrf: str | None = None  # the session's CSRF token, for the pages' forms

    @property
    def reviews(self) -> bool:
        return self.role in REVIEWERS

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class AuthError(Exception):
    """401 (who are you?), 403 (not you), 429 (too many failed logins)."""

    def __init__(self, status: int, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.retry_after = status, message, retry_after


def state_of(request: Request) -> WebState:
    return request.app.state.web


def client_address(request: Request) -> str:
    return request.client.host if request.client else "?"


def require(*roles: str) -> Callable[[Request], Awaitable[User]]:
    """A dependency giving the calling user, who must have one of `roles`."""
    unknown = set(roles) - set(ALL_ROLES)
    assert not unknown, f"unknown roles {unknown}"

    async def dependency(request: Request) -> User:
        user = await current_user(request)
        if user.role not in roles:
            raise AuthError(403, f"the {user.role} role may not do this")
        return user

    return dependency


async def current_user(request: Request) -> User:
    state = state_of(request)
    if request.method not in SAFE_METHODS:
        check_origin(request)
    header = request.headers.get("authorization")
    if header is not None:
        return await run_in_threadpool(_basic_user, state, header, client_address(request))
    token = request.cookies.get(COOKIE)
    if token:
        session = state.sessions.get(token)
        if session is not None:
            account = await run_in_threadpool(_account, state, session.user)
            if account is not None and account.active:
                if request.method not in SAFE_METHODS:
                    await check_csrf(request, session.csrf)
                return User(account.name, account.role, "session", session.csrf)
            state.sessions.drop(token)  # the account was disabled since
    raise AuthError(401, "authentication required")


def _account(state: WebState, name: str) -> Account | None:
    with state.registry.session() as session:
        return get_account(session, name)


def _basic_user(state: WebState, header: str, address: str) -> User:
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        raise AuthError(401, "only HTTP Basic or the session cookie are accepted")
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
        name, sep, password = decoded.partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise AuthError(401, "malformed Basic credentials") from None
    if not sep or not name:
        raise AuthError(401, "malformed Basic credentials")
    account = check_password(state, name, password, address)
    return User(account.name, account.role, "basic")


def check_password(state: WebState, name: str, password: str, address: str) -> Account:
    """The active account of `name` if `password` is right; throttled per name and address."""
    wait = state.throttle.wait(name, address)
    if wait:
        raise AuthError(429, "too many failed logins: try again later", retry_after=wait)
    if state.credentials.known(name, password):
        account = _account(state, name)
        if account is not None and account.active:
            return account
    with state.registry.session() as session:
        account = authenticate(session, name, password)
    if account is None:
        state.throttle.failed(name, address)
        raise AuthError(401, "wrong user name or password")
    state.throttle.succeeded(name, address)
    state.credentials.remember(name, password)
    return account


def check_origin(request: Request) -> None:
    """Refuse a request a browser made on another site's behalf."""
    site = request.headers.get("sec-fetch-site")
    origin = request.headers.get("origin")
    if site is not None and site not in ("same-origin", "none"):
        raise AuthError(403, "cross-site request refused")
    if origin is not None and (
        origin == "null" or urlsplit(origin).netloc != request.headers.get("host")
    ):
        raise AuthError(403, "cross-origin request refused")


async def check_csrf(request: Request, expected: str) -> None:
    given = request.headers.get(CSRF_HEADER)
    content_type = request.headers.get("content-type", "")
    if given is None and content_type.startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not same_token(given, expected):
        raise AuthError(403, "missing or wrong CSRF token: reload the page")
