"""The web application: the reviewers' and clerks' pages and the JSON API of interfaces.md.

`create_app(registry)` builds it; `civreg serve` runs it with uvicorn. Every route needs an
authenticated user (see `auth.py`): unauthenticated API and image calls get 401, pages
redirect to the login form; a role that may not use a route gets 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from civreg.web.auth import AuthError
from civreg.web.scans import ScanStore
from civreg.web.security import (
    Clock,
    CredentialCache,
    LoginThrottle,
    SessionStore,
    utc_clock,
)
from registry_loader.db import Registry

HERE = Path(__file__).resolve().parent
# Routes answering JSON (and images): a 401 there is a 401, not a redirect to the login page.
MACHINE_PREFIXES = ("/api/", "/images/", "/static/")
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "Cache-Control": "no-store",
}


@dataclass
class WebState:
    """What every request needs, held by the app (`app.state.web`)."""

    registry: Registry
    clock: Clock
    sessions: SessionStore
    throttle: LoginThrottle
    credentials: CredentialCache
    scans: ScanStore
    templates: Jinja2Templates
    secure_cookies: bool


def create_app(
    registry: Registry, *, clock: Clock = utc_clock, secure_cookies: bool = False
) -> FastAPI:
    """The app over an open registry. `clock` (UTC) drives sessions, throttling and locks;
    `secure_cookies` marks the session cookie Secure (always so over HTTPS)."""
    from civreg.web import api, images, pages

    # No OpenAPI pages: they would be routes answering without a login.
    app = FastAPI(title="civreg", docs_url=None, redoc_url=None, openapi_url=None)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([HERE / "templates", HERE / "static"]),
        autoescape=jinja2.select_autoescape(("html", "css")),
    )
    app.state.web = WebState(
        registry=registry,
        clock=clock,
        sessions=SessionStore(clock),
        throttle=LoginThrottle(clock),
        credentials=CredentialCache(clock),
        scans=ScanStore(),
        templates=Jinja2Templates(env=env),
        secure_cookies=secure_cookies,
    )
    app.include_router(api.router)
    app.include_router(images.router)
    app.include_router(pages.router)
    app.add_exception_handler(AuthError, _auth_error)  # type: ignore[arg-type]

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return app


def wants_page(request: Request) -> bool:
    return request.method in ("GET", "HEAD") and not request.url.path.startswith(MACHINE_PREFIXES)


async def _auth_error(request: Request, exc: AuthError) -> Response:
    headers = {}
    if exc.retry_after:
        headers["Retry-After"] = str(int(exc.retry_after + 0.999))
    if wants_page(request):
        if exc.status == 401:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
        state: WebState = request.app.state.web
        return state.templates.TemplateResponse(
            request,
            "error.html",
            {"title": "Not allowed", "message": exc.message, "user": None},
            status_code=exc.status,
            headers=headers,
        )
    if exc.status == 401 and request.url.path.startswith("/api/"):
        headers["WWW-Authenticate"] = 'Basic realm="civreg", charset="UTF-8"'
    return JSONResponse({"error": exc.message}, status_code=exc.status, headers=headers)
