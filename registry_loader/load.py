"""Load the acts read from one scanned page: one transaction a page, idempotent."""

from __future__ import annotations

import random
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from records import Act
from registry_loader.db import begin_write
from registry_loader.models import ActRow, ActSourceRow, PageRow, utcnow
from registry_loader.store import Counts, Origin, identity_of, store_act

# A page load that loses a race (another worker inserted the same page, act or register
# first; a deadlock) is rolled back and run again: the next run sees the winner's rows.
ATTEMPTS = 3


@dataclass(frozen=True)
class PageInfo:
    """One page of one scanned file. A page is known by its file's sha256 and its number."""

    file_name: str  # base name, as exports show it
    file_path: str  # as given to the import
    sha256: str
    page_no: int  # from 1 within the file
    width: int | None = None
    height: int | None = None
    register_page: str | None = None  # the page number printed in the register's header


@dataclass(kw_only=True)
class LoadResult(Counts):
    page_id: int
    already_loaded: bool = False
    act_ids: list[str] = field(default_factory=list)


def page_is_loaded(session: Session, sha256: str, page_no: int) -> bool:
    """True when this page was loaded already (a failed page is not loaded)."""
    status = session.scalar(
        select(PageRow.status).where(PageRow.file_sha256 == sha256, PageRow.page_no == page_no)
    )
    return status == "loaded"


def acts_of_pages(session: Session, sha256s: Iterable[str]) -> list[str]:
    """The status of every act read from a page of these files (each act once)."""
    read_from = (
        select(ActSourceRow.act_id)
        .join(PageRow, PageRow.id == ActSourceRow.page_id)
        .where(PageRow.file_sha256.in_(list(sha256s)))
    )
    return list(session.scalars(select(ActRow.status).where(ActRow.id.in_(read_from))))


def load_page(
    session: Session, page: PageInfo, acts: list[Act], *, accept: float | None = None
) -> LoadResult:
    """Store the acts read from `page` and commit, in one transaction.

    A page already loaded adds nothing. A new act is inserted with the status it comes
    with (the caller routed it); an act whose identity is stored already is corroborated
    (see `store.store_act`) and re-routed with `accept` (default: thresholds.toml).
    Commits or rolls back the session: pass one with no other work pending.
    """
    for attempt in range(1, ATTEMPTS + 1):
        begin_write(session)
        try:
            result = _load(session, page, acts, accept)
            session.commit()
            return result
        except DBAPIError as exc:
            session.rollback()
            if attempt == ATTEMPTS or not lost_race(exc):
                raise
            time.sleep(random.uniform(0, 0.05 * attempt))  # let the winner finish
        except BaseException:
            session.rollback()
            raise
    raise AssertionError("unreachable")


def lost_race(exc: DBAPIError) -> bool:
    """An error that another attempt avoids: a unique key another worker took first, a
    deadlock or serialization failure, a lock wait that timed out (SQLite)."""
    if getattr(exc.orig, "sqlstate", None) in ("23505", "40001", "40P01"):  # PostgreSQL
        return True
    message = str(exc.orig)
    return "UNIQUE constraint failed" in message or "database is locked" in message


def _load(session: Session, page: PageInfo, acts: list[Act], accept: float | None) -> LoadResult:
    row = _page_row(session, page)
    if row.status == "loaded":
        return LoadResult(page_id=row.id, already_loaded=True)
    row.status, row.error, row.loaded_at = "loaded", None, utcnow()
    session.flush()
    result = LoadResult(page_id=row.id)
    origin = Origin(
        kind="scan", set_by="ocr", page_id=row.id, file_name=page.file_name, page_no=page.page_no
    )
    # Every worker stores acts (and so takes their row locks) in one global order, the
    # identities': two pages holding the same acts in another order cannot deadlock.
    keyed = sorted(enumerate(acts), key=lambda item: identity_of(session, item[1]).order())
    ids = [""] * len(acts)
    for i, act in keyed:
        stored = store_act(session, act, origin, accept=accept)
        ids[i] = stored.act_id
        result.add(stored)
    result.act_ids = ids
    return result


def record_failed_page(session: Session, page: PageInfo, error: str) -> bool:
    """Record that `page` could not be read, and commit. A loaded page stays loaded
    (returns False); a later successful `load_page` replaces the failure."""
    begin_write(session)
    try:
        row = _page_row(session, page)
        if row.status == "loaded":
            session.rollback()
            return False
        row.status, row.error, row.loaded_at = "failed", error, utcnow()
        session.commit()
        return True
    except BaseException:
        session.rollback()
        raise


def _page_row(session: Session, page: PageInfo) -> PageRow:
    """The stored row of `page`, or a new one (pending, status unset) with its details."""
    row = session.scalar(
        select(PageRow)
        .where(PageRow.file_sha256 == page.sha256, PageRow.page_no == page.page_no)
        .with_for_update()
    )
    if row is None:
        row = PageRow(file_sha256=page.sha256, page_no=page.page_no)
        session.add(row)
    elif row.status == "loaded":
        return row
    row.file_name, row.file_path = page.file_name, page.file_path
    row.width, row.height, row.register_page = page.width, page.height, page.register_page
    return row
