"""The JSON API of interfaces.md, plus the lock routes and `/api/me`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import JSONResponse

from civreg.web.auth import ALL_ROLES, REVIEWERS, User, require, state_of
from registry_loader import audit, review
from registry_loader.export import get_act, get_acts
from registry_loader.search import search

router = APIRouter(prefix="/api")
AnyUser = Annotated[User, Depends(require(*ALL_ROLES))]
Reviewer = Annotated[User, Depends(require(*REVIEWERS))]
Admin = Annotated[User, Depends(require("admin"))]
MAX_LIMIT = 500


def db(request: Request) -> Iterator[Any]:
    """A registry session for one request (a SQLAlchemy Session, typed loosely: only
    registry_loader imports SQLAlchemy)."""
    with state_of(request).registry.session() as session:
        yield session


Db = Annotated[Any, Depends(db)]


def error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


def review_error(exc: review.ReviewError) -> JSONResponse:
    """The HTTP answer to a review action that could not be done."""
    if isinstance(exc, review.ActNotFound):
        return error(404, str(exc))
    if isinstance(exc, review.Locked):
        return error(409, str(exc), locked_by=exc.holder, locked_until=exc.until.isoformat())
    if isinstance(exc, review.Conflict):
        return error(409, str(exc))
    return error(422, str(exc))


def parse_years(year: int | None, years: str | None) -> tuple[int, int] | None:
    if year is not None:
        return year, year
    if years:
        first, sep, last = years.partition("-")
        if not (first.strip().isdigit() and last.strip().isdigit() and sep):
            raise ValueError(f"years takes Y1-Y2, not {years!r}")
        low, high = sorted((int(first), int(last)))
        return low, high
    return None


@router.get("/me")
def me(user: AnyUser) -> dict[str, str]:
    return {"name": user.name, "role": user.role}


@router.get("/acts/search")
def search_acts(
    user: AnyUser,
    session: Db,
    q: str = "",
    type: str | None = None,
    year: int | None = None,
    years: str | None = None,
    commune: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
    given: str | None = None,
    family: str | None = None,
    father: str | None = None,
    mother: str | None = None,
) -> Any:
    """As `civreg search --json`: acts, best match first, each with its score and why;
    `given`, `family`, `father`, `mother` match that name of the act only."""
    from records import ACT_TYPES

    if type is not None and type.strip().lower() not in ACT_TYPES:
        return error(422, f"type is one of {', '.join(ACT_TYPES)}")
    try:
        span = parse_years(year, years)
    except ValueError as exc:
        return error(422, str(exc))
    parts = {"given": given, "family": family, "father": father, "mother": mother}
    parts = {name: value for name, value in parts.items() if value and value.strip()}
    if not q.strip() and not parts:
        return []
    hits = search(
        session,
        q,
        act_type=type.strip().lower() if type else None,
        years=span,
        commune=commune or None,
        limit=limit,
        **parts,
    )
    return [{**hit.act.to_json(), "score": round(hit.score, 4), "why": hit.why} for hit in hits]


@router.get("/review/queue")
def review_queue(
    user: Reviewer,
    session: Db,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
    register: int | None = None,
    reason: str | None = None,
) -> Any:
    """Acts waiting for review, least confident first: each act's JSON with the queue's
    `min_confidence`, `reasons` and lock."""
    try:
        items = review.queue(session, register_id=register, reason=reason, limit=limit)
    except review.ReviewError as exc:
        return review_error(exc)
    acts = get_acts(session, [item.act_id for item in items])
    return [
        {
            **acts[item.act_id].to_json(),
            "min_confidence": round(item.min_confidence, 4),
            "reasons": list(item.reasons),
            "locked_by": item.locked_by,
            "locked_until": item.locked_until.isoformat() if item.locked_until else None,
        }
        for item in items
        if item.act_id in acts
    ]


@router.get("/acts/{act_id}")
def act(act_id: str, user: AnyUser, session: Db) -> Any:
    found = get_act(session, act_id)
    if found is None:
        return error(404, f"no act {act_id!r}")
    return found.to_json()


def _fields(body: dict[str, Any] | None, *, required: bool) -> dict[str, Any]:
    fields = (body or {}).get("fields", None if required else {})
    if not isinstance(fields, dict) or (required and not fields):
        raise review.BadChange('the body is {"fields": {"key": "value", ...}}')
    return fields


@router.patch("/acts/{act_id}")
def correct(
    act_id: str, request: Request, user: Reviewer, session: Db, body: Annotated[Any, Body()] = None
) -> Any:
    """Correct field values; 409 when another reviewer holds the act."""
    try:
        if not isinstance(body, dict):
            raise review.BadChange('the body is {"fields": {"key": "value", ...}}')
        changes = review.correct(
            session, act_id, user.name, _fields(body, required=True), now=state_of(request).clock()
        )
    except review.ReviewError as exc:
        return review_error(exc)
    found = get_act(session, act_id)
    assert found is not None
    return {**found.to_json(), "changed": [c.key for c in changes]}


@router.post("/acts/{act_id}/approve")
def approve(
    act_id: str, request: Request, user: Reviewer, session: Db, body: Annotated[Any, Body()] = None
) -> Any:
    """Accept the act (optionally with last corrections, `{"fields": {...}}`)."""
    try:
        if body is not None and not isinstance(body, dict):
            raise review.BadChange('the body is empty or {"fields": {...}}')
        review.approve(
            session,
            act_id,
            user.name,
            _fields(body, required=False),
            now=state_of(request).clock(),
        )
    except review.ReviewError as exc:
        return review_error(exc)
    found = get_act(session, act_id)
    assert found is not None
    return found.to_json()


@router.post("/acts/{act_id}/reject")
def reject(
    act_id: str, request: Request, user: Reviewer, session: Db, body: Annotated[Any, Body()] = None
) -> Any:
    """Keep the act out of the registry; the body gives the reason: `{"reason": "..."}`."""
    reason = body.get("reason") if isinstance(body, dict) else None
    try:
        if not isinstance(reason, str):
            raise review.BadChange('the body is {"reason": "why the act is rejected"}')
        review.reject(session, act_id, user.name, reason, now=state_of(request).clock())
    except review.ReviewError as exc:
        return review_error(exc)
    found = get_act(session, act_id)
    assert found is not None
    return found.to_json()


@router.get("/acts/{act_id}/history")
def history(act_id: str, user: Reviewer, session: Db) -> Any:
    """The audit trail of the act, oldest first."""
    if get_act(session, act_id) is None:
        return error(404, f"no act {act_id!r}")
    return [entry.to_json() for entry in audit.history(session, act_id)]


@router.post("/acts/{act_id}/lock")
def claim(act_id: str, request: Request, user: Reviewer, session: Db) -> Any:
    """Hold the act for review (renews one's own lock); 409 when another reviewer holds it."""
    try:
        lock = review.claim(session, act_id, user.name, now=state_of(request).clock())
    except review.ReviewError as exc:
        return review_error(exc)
    return {"act_id": lock.act_id, "locked_by": lock.holder, "locked_until": lock.until.isoformat()}


@router.delete("/acts/{act_id}/lock")
def release(act_id: str, request: Request, user: Reviewer, session: Db) -> Any:
    """Give the act up; an admin may release anyone's lock (audited)."""
    try:
        released = review.release(
            session, act_id, user.name, force=user.is_admin, now=state_of(request).clock()
        )
    except review.ReviewError as exc:
        return review_error(exc)
    return {"act_id": act_id, "released": released}
