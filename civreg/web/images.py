"""Image routes: a recorded page, an act's region, a field's crop. Only files the pages
table records are read (see `scans.py`); every route needs a logged-in user. The routes are
plain functions: FastAPI runs them in its thread pool (image decoding, database)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from civreg.web.api import Db
from civreg.web.auth import ALL_ROLES, User, require, state_of
from civreg.web.scans import ACT_MARGIN, FIELD_MARGIN, ScanUnavailable, region
from registry_loader import review

router = APIRouter(prefix="/images")
AnyUser = Annotated[User, Depends(require(*ALL_ROLES))]
Width = Annotated[int | None, Query(ge=16, le=4000)]


def _image(
    request: Request, scan: review.ScanRef | None, area: Any = None, width: int | None = None
) -> Response:
    if scan is None:
        return JSONResponse({"error": "no such image"}, status_code=404)
    store = state_of(request).scans
    try:
        data, media_type = store.render(scan, area, width=width)
    except ScanUnavailable as exc:
        return JSONResponse({"error": str(exc)}, status_code=404)
    return Response(data, media_type=media_type, headers={"Cache-Control": "private, max-age=300"})


@router.get("/pages/{page_id}")
def page(page_id: int, request: Request, user: AnyUser, session: Db, width: Width = None):
    """A whole recorded page."""
    return _image(request, review.page_scan(session, page_id), width=width)


@router.get("/files/{file_name:path}")
def file_page(
    file_name: str,
    request: Request,
    user: AnyUser,
    session: Db,
    page: Annotated[int, Query(ge=1)] = 1,
    width: Width = None,
):
    """A page by its file's base name, as an act's `source.file` and `source.page` give it."""
    return _image(request, review.scan_by_name(session, file_name, page), width=width)


@router.get("/acts/{act_id}")
def act_image(act_id: str, request: Request, user: AnyUser, session: Db, width: Width = None):
    """The act's region of its page (the whole page when its box is unknown)."""
    found = review.act_region(session, act_id)
    if found is None:
        return _image(request, None)
    scan, box = found
    return _image(request, scan, region(box, ACT_MARGIN) if box else None, width)


@router.get("/acts/{act_id}/fields/{key}")
def field_image(act_id: str, key: str, request: Request, user: AnyUser, session: Db):
    """The crop a field's value was read from."""
    found = review.field_region(session, act_id, key)
    if found is None:
        return _image(request, None)
    scan, box = found
    return _image(request, scan, region(box, FIELD_MARGIN))
