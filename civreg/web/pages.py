"""The server-rendered pages: login, review queue, review page, search, act details."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from civreg.web.api import Db, parse_years
from civreg.web.app import HERE, SECURITY_HEADERS
from civreg.web.auth import (
    ALL_ROLES,
    COOKIE,
    LOGIN_COOKIE,
    REVIEWERS,
    AuthError,
    User,
    check_origin,
    check_password,
    client_address,
    require,
    state_of,
)
from civreg.web.scans import ACT_MARGIN, FIELD_MARGIN, region
from civreg.web.security import new_token, same_token
from records import ACT_KEYS, ACT_TYPES, ALL_KEYS, REGISTER_KEYS, Act, FieldValue
from records.fields import script_of_key
from registry_loader import audit, review
from registry_loader.search import search
from validation.routing import accept_threshold

router = APIRouter()
AnyUser = Annotated[User, Depends(require(*ALL_ROLES))]
Reviewer = Annotated[User, Depends(require(*REVIEWERS))]
STATIC = {"app.css": "text/css", "review.js": "text/javascript"}
PAGE_SIZE = 50


def render(
    request: Request, name: str, user: User | None, status: int = 200, **context: Any
) -> Response:
    state = state_of(request)
    context.update(user=user, now=state.clock())
    return state.templates.TemplateResponse(request, name, context, status_code=status)


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _local(target: str | None) -> str:
    """Where to go after login: a path of this site only."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def _secure(request: Request) -> bool:
    return state_of(request).secure_cookies or request.url.scheme == "https"


# --- login ----------------------------------------------------------------------------------


@router.get("/login")
def login_form(request: Request, next: str = "/", error: str | None = None) -> Response:
    token, nonce = new_token(), new_token()
    response = render(
        request,
        "login.html",
        None,
        status=401 if error else 200,
        next=_local(next),
        login_csrf=token,
        error=error,
        csp_nonce=nonce,
    )
    # The login page carries its stylesheet inline (static files need a login too).
    response.headers["Content-Security-Policy"] = SECURITY_HEADERS[
        "Content-Security-Policy"
    ].replace("style-src 'self'", f"style-src 'nonce-{nonce}'")
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=900,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        path="/login",
    )
    return response


@router.post("/login")
async def login(
    request: Request,
    name: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=2000)],
    login_csrf: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    check_origin(request)
    if not same_token(login_csrf, request.cookies.get(LOGIN_COOKIE)):
        raise AuthError(403, "the login form expired: reload the page")
    state = state_of(request)
    try:
        account = await run_in_threadpool(
            check_password, state, name, password, client_address(request)
        )
    except AuthError as exc:
        if exc.status == 403:
            raise
        response = login_form(request, next, error=exc.message)
        response.status_code = exc.status
        return response
    token, _ = state.sessions.create(account.name)
    response = see_other(_local(next))
    response.set_cookie(
        COOKIE, token, httponly=True, samesite="strict", secure=_secure(request), path="/"
    )
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, user: AnyUser) -> Response:
    token = request.cookies.get(COOKIE)
    if token:
        state_of(request).sessions.drop(token)
    response = see_other("/login")
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/")
def home(user: AnyUser) -> Response:
    return see_other("/review" if user.reviews else "/search")


@router.get("/static/{name}")
def static(name: str, user: AnyUser) -> Response:
    if name not in STATIC:
        return Response("not found", status_code=404)
    return FileResponse(HERE / "static" / name, media_type=STATIC[name])


# --- review ---------------------------------------------------------------------------------


def _filters(register: int | None, reason: str | None) -> dict[str, Any]:
    return {k: v for k, v in (("register", register), ("reason", reason)) if v}


def _query(**values: Any) -> str:
    values = {k: v for k, v in values.items() if v not in (None, "")}
    return f"?{urlencode(values)}" if values else ""


@router.get("/review")
def queue_page(
    request: Request,
    user: Reviewer,
    session: Db,
    register: int | None = None,
    reason: str | None = None,
    page: int = 1,
    message: str | None = None,
) -> Response:
    page = max(1, page)
    try:
        items = review.queue(
            session,
            register_id=register,
            reason=reason,
            limit=PAGE_SIZE + 1,
            offset=(page - 1) * PAGE_SIZE,
        )
    except review.BadChange as exc:
        items, message = [], str(exc)
    registers, reasons = review.queue_filters(session)
    return render(
        request,
        "queue.html",
        user,
        items=items[:PAGE_SIZE],
        more=len(items) > PAGE_SIZE,
        page=page,
        registers=registers,
        reasons=reasons,
        register=register,
        reason=reason,
        filters=_query(**_filters(register, reason)),
        message=message,
        now_utc=state_of(request).clock(),
        threshold=accept_threshold(),
    )


@router.get("/review/next")
def next_act(
    request: Request,
    user: Reviewer,
    session: Db,
    register: int | None = None,
    reason: str | None = None,
) -> Response:
    """Claim the next act of the queue (with the same filters) and open it."""
    filters = _filters(register, reason)
    try:
        lock = review.claim_next(
            session, user.name, register_id=register, reason=reason, now=state_of(request).clock()
        )
    except review.BadChange:
        lock = None
    if lock is None:
        return see_other("/review" + _query(**filters, message="No act is waiting: well done."))
    return see_other(f"/review/acts/{lock.act_id}" + _query(**filters))


def _review_page(
    request: Request,
    user: User,
    session: Any,
    act_id: str,
    *,
    status: int = 200,
    error: str | None = None,
    typed: dict[str, str] | None = None,
    filters: dict[str, Any] | None = None,
) -> Response:
    view = review.act_view(session, act_id)
    if view is None:
        return render(request, "error.html", user, 404, title="Not found", message="No such act.")
    boxes = _highlights(view)
    return render(
        request,
        "review.html",
        user,
        status,
        view=view,
        act=view.act,
        rows=_rows(view.act),
        boxes=boxes,
        error=error,
        typed=typed or {},
        history=audit.history(session, act_id),
        filters=_query(**(filters or {})),
        filter_values=filters or {},
        script_of=script_of_key,
    )


def _rows(act: Act) -> list[tuple[str, FieldValue | None]]:
    """The act's fields, and the keys its type should have but were not read, in the
    canonical order."""
    expected = set(REGISTER_KEYS) | set(ACT_KEYS.get(act.act_type or "", ()))
    keys = [k for k in ALL_KEYS if k in act.fields or k in expected]
    keys += [k for k in act.fields if k not in keys]
    return [(key, act.fields.get(key)) for key in keys]


def _highlights(view: review.ActView) -> dict[str, str]:
    """Each field's box as CSS percentages of the act image, to outline it there."""
    bbox = view.act.source.bbox if view.act.source else None
    if not bbox:
        return {}
    ax, ay, aw, ah = region(bbox, ACT_MARGIN)
    out = {}
    for key, fv in view.act.fields.items():
        if fv.box and view.field_pages.get(key) == view.page_id:
            x, y, w, h = region(fv.box, (FIELD_MARGIN[0] // 2, FIELD_MARGIN[1] // 2))
            out[key] = ",".join(
                f"{v:.2f}"
                for v in (100 * (x - ax) / aw, 100 * (y - ay) / ah, 100 * w / aw, 100 * h / ah)
            )
    return out


@router.get("/review/acts/{act_id}")
def review_page(
    act_id: str,
    request: Request,
    user: Reviewer,
    session: Db,
    register: int | None = None,
    reason: str | None = None,
) -> Response:
    """Open an act for review: claims it, or says who holds it (409)."""
    filters = _filters(register, reason)
    try:
        review.claim(session, act_id, user.name, now=state_of(request).clock())
    except review.ActNotFound:
        return render(request, "error.html", user, 404, title="Not found", message="No such act.")
    except review.Locked as exc:
        return render(
            request, "locked.html", user, 409, act_id=act_id, holder=exc.holder, until=exc.until
        )
    return _review_page(request, user, session, act_id, filters=filters)


@router.post("/review/acts/{act_id}")
async def review_submit(act_id: str, request: Request, user: Reviewer) -> Response:
    """The review form: `decision` save, approve or reject; fields as `f.<key>`."""
    form = await request.form()
    decision = str(form.get("decision", "save"))
    register = str(form.get("register") or "") or None
    reason_filter = str(form.get("reason_filter") or "") or None
    filters = _filters(int(register) if register and register.isdigit() else None, reason_filter)
    typed = {str(k)[2:]: str(v) for k, v in form.multi_items() if str(k).startswith("f.")}
    reason = str(form.get("reason") or "")
    return await run_in_threadpool(_decide, request, user, act_id, decision, typed, reason, filters)


def _decide(
    request: Request,
    user: User,
    act_id: str,
    decision: str,
    typed: dict[str, str],
    reason: str,
    filters: dict[str, Any],
) -> Response:
    state = state_of(request)
    now = state.clock()
    with state.registry.session() as session:
        view = review.act_view(session, act_id)
        if view is None:
            return render(
                request, "error.html", user, 404, title="Not found", message="No such act."
            )
        # Only what the reviewer changed: an untouched field is confirmed, not rewritten.
        changes = {
            key: value
            for key, value in typed.items()
            if value != (view.act.fields[key].value if key in view.act.fields else "")
        }
        try:
            if decision == "approve":
                review.approve(session, act_id, user.name, changes, now=now)
            elif decision == "reject":
                review.reject(session, act_id, user.name, reason, now=now)
            elif decision == "save":
                review.correct(session, act_id, user.name, changes, now=now)
                return see_other(f"/review/acts/{act_id}" + _query(**filters))
            else:
                raise review.BadChange(f"unknown decision {decision!r}")
        except review.Locked as exc:
            return render(
                request,
                "locked.html",
                user,
                409,
                act_id=act_id,
                holder=exc.holder,
                until=exc.until,
            )
        except review.ReviewError as exc:
            status = 409 if isinstance(exc, review.Conflict) else 422
            return _review_page(
                request,
                user,
                session,
                act_id,
                status=status,
                error=str(exc),
                typed=typed,
                filters=filters,
            )
    return see_other("/review/next" + _query(**filters))


@router.post("/review/acts/{act_id}/release")
def release(act_id: str, request: Request, user: Reviewer, session: Db) -> Response:
    """Give an act up (an admin may release anyone's)."""
    try:
        review.release(
            session, act_id, user.name, force=user.is_admin, now=state_of(request).clock()
        )
    except review.Locked as exc:
        return render(
            request, "locked.html", user, 409, act_id=act_id, holder=exc.holder, until=exc.until
        )
    except review.ActNotFound:
        return render(request, "error.html", user, 404, title="Not found", message="No such act.")
    return see_other("/review")


# --- clerks' pages --------------------------------------------------------------------------


def _year_span(text: str) -> tuple[int, int] | None:
    """The search form's years: empty, a year (1995) or a span (1990-1999)."""
    if text.isdigit():
        return int(text), int(text)
    try:
        return parse_years(None, text or None)
    except ValueError:
        raise ValueError(f"years: a year (1995) or a span (1990-1999), not {text!r}") from None


@router.get("/search")
def search_page(
    request: Request,
    user: AnyUser,
    session: Db,
    q: str = "",
    type: str = "",
    years: str = "",
    commune: str = "",
) -> Response:
    error, hits = None, []
    act_type = type.strip().lower() or None
    try:
        if act_type and act_type not in ACT_TYPES:
            raise ValueError(f"type is one of {', '.join(ACT_TYPES)}")
        span = _year_span(years.strip())
        if q.strip():
            hits = search(
                session,
                q,
                act_type=act_type,
                years=span,
                commune=commune.strip() or None,
                limit=50,
            )
    except ValueError as exc:
        error = str(exc)
    return render(
        request,
        "search.html",
        user,
        422 if error else 200,
        q=q,
        type=act_type or "",
        years=years,
        commune=commune,
        hits=hits,
        error=error,
        act_types=ACT_TYPES,
    )


@router.get("/acts/{act_id}")
def act_page(act_id: str, request: Request, user: AnyUser, session: Db) -> Response:
    """An act's details and its scan; its history for reviewers and admins."""
    view = review.act_view(session, act_id)
    if view is None:
        return render(request, "error.html", user, 404, title="Not found", message="No such act.")
    return render(
        request,
        "act.html",
        user,
        view=view,
        act=view.act,
        script_of=script_of_key,
        history=audit.history(session, act_id) if user.reviews else None,
    )
