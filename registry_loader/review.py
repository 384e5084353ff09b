"""Review of the acts that wait for a reviewer: the queue, the lock, corrections, approval,
rejection, and the scans a reviewer looks at.

A reviewer holds an act while working on it: a lock with an expiry (`LOCK_TTL`, renewed by
every change) so that two people never edit one act. Every function that changes an act
takes the time as `now` (default: the clock), so that tests can move time on, checks the
lock, writes its audit rows and commits, all in one transaction.

A value a reviewer typed or confirmed gets confidence 1.0 and `engine`/`set_by`
"reviewer:<name>": calibration skips it and a later scan of the act never overwrites it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Text, cast, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ocr.text import to_western_digits
from records import ACT_TYPES, ALL_KEYS, Act, FieldValue, Issue
from records.fields import GREGORIAN_DATE_KEYS, HIJRI_DATE_KEYS, script_of_key
from registry_loader import audit
from registry_loader.db import begin_write
from registry_loader.export import ACT_ORDER, get_act
from registry_loader.fields import StoredField, document, read
from registry_loader.fields import values as field_values
from registry_loader.models import ActRow, PageRow, RegisterRow, utcnow
from registry_loader.store import _register, identity_of, stamp
from validation.routing import IDENTITY_KEYS, accept_threshold

LOCK_TTL = timedelta(minutes=15)
LOW_CONFIDENCE = "low_confidence"  # the queue's reason for acts without a named issue
MAX_VALUE = 300
MAX_REASON = 2000
_RULE = re.compile(r"[a-z][a-z0-9_]{0,63}")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# What the queue shows as an act's name: the subject's, or the spouses'.
_NAME_KEYS = (
    "given_name_fr",
    "family_name_fr",
    "husband_family_name_fr",
    "wife_family_name_fr",
    "given_name_ar",
    "family_name_ar",
    "husband_family_name_ar",
    "wife_family_name_ar",
)


class ReviewError(Exception):
    """A review action that cannot be done; the message says why."""


class ActNotFound(ReviewError):
    pass


class Locked(ReviewError):
    """Another reviewer holds the act."""

    def __init__(self, act_id: str, holder: str, until: datetime) -> None:
        self.act_id, self.holder, self.until = act_id, holder, until
        super().__init__(f"act {act_id} is being reviewed by {holder} until {until:%H:%M} UTC")


class Conflict(ReviewError):
    """The act is not in a state that allows the action (already accepted, identity taken)."""


class BadChange(ReviewError):
    """A correction or a reason that is not acceptable as given."""


@dataclass(frozen=True)
class Lock:
    act_id: str
    holder: str
    until: datetime


@dataclass(frozen=True)
class Change:
    key: str
    old: str | None
    new: str


@dataclass(frozen=True)
class QueueItem:
    """One act of the review queue, as the queue page lists it."""

    act_id: str
    act_type: str | None
    register_year: int | None
    commune: str | None
    act_number: str | None
    name: str
    min_confidence: float
    reasons: tuple[str, ...]
    locked_by: str | None
    locked_until: datetime | None
    source_file: str | None
    source_page: int | None


@dataclass(frozen=True)
class RegisterOption:
    id: int
    label: str
    waiting: int


@dataclass(frozen=True)
class ActView:
    """An act with what the review and detail pages show beside its fields."""

    act: Act
    page_id: int | None
    field_pages: dict[str, int | None]
    flagged: dict[str, list[str]]  # key -> why it needs a look, for the keys that do
    threshold: float
    locked_by: str | None = None
    locked_until: datetime | None = None
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    reject_reason: str | None = None
    register: str | None = None
    act_issues: list[Issue] = field(default_factory=list)  # issues that name no field

    def locked_for(self, user: str, now: datetime | None = None) -> bool:
        """Whether someone else than `user` holds the act now."""
        return bool(
            self.locked_by
            and self.locked_by != user
            and self.locked_until
            and as_utc(self.locked_until) > as_utc(now or utcnow())
        )


@dataclass(frozen=True)
class ScanRef:
    """A page of a scanned file as the pages table records it."""

    page_id: int
    path: str
    sha256: str
    page_no: int
    file_name: str


# --- time and transactions ---------------------------------------------------------------


def as_utc(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes: the registry stores UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def reviewer_tag(name: str) -> str:
    return f"reviewer:{name}"


@contextmanager
def _write(session: Session) -> Iterator[None]:
    begin_write(session)
    try:
        yield
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict("another act has the same identity (commune, type, year, number)") from None
    except BaseException:
        session.rollback()
        raise


def _log(session: Session, now: datetime, actor: str, action: str, **what: Any) -> None:
    """Append one change to the audit log, at the review's time."""
    audit.record_many(session, [audit.AuditEntry(at=now, actor=actor, action=action, **what)])


def _act_for_update(session: Session, act_id: str) -> ActRow:
    row = session.get(ActRow, act_id, with_for_update=True, populate_existing=True)
    if row is None:
        raise ActNotFound(f"no act {act_id!r}")
    return row


def _hold(row: ActRow, reviewer: str, now: datetime, ttl: timedelta = LOCK_TTL) -> Lock:
    """Take or renew the lock on `row` for `reviewer`; Locked if another holds it."""
    if (
        row.locked_by
        and row.locked_by != reviewer
        and row.locked_until
        and as_utc(row.locked_until) > now
    ):
        raise Locked(row.id, row.locked_by, as_utc(row.locked_until))
    row.locked_by, row.locked_until = reviewer, now + ttl
    return Lock(row.id, reviewer, row.locked_until)


def _unlock(row: ActRow) -> None:
    row.locked_by, row.locked_until = None, None


# --- the queue ----------------------------------------------------------------------------


def queue(
    session: Session,
    *,
    register_id: int | None = None,
    reason: str | None = None,
    limit: int = 50,
    offset: int = 0,
    available_to: str | None = None,
    now: datetime | None = None,
    threshold: float | None = None,
) -> list[QueueItem]:
    """Acts waiting for review, least confident first (ties in register and number order).

    `reason` is a validation rule ("names_disagree"...) or LOW_CONFIDENCE; `available_to`
    leaves out acts that another reviewer holds."""
    threshold = accept_threshold(threshold)
    stmt = (
        select(
            ActRow.id,
            ActRow.act_type,
            ActRow.register_year,
            ActRow.act_number,
            ActRow.min_confidence,
            ActRow.issues,
            ActRow.locked_by,
            ActRow.locked_until,
            ActRow.source_file,
            ActRow.source_page,
            RegisterRow.commune_fr,
            RegisterRow.commune_ar,
        )
        .outerjoin(RegisterRow, RegisterRow.id == ActRow.register_id)
        .where(ActRow.status == "needs_review", *_queue_filters(register_id, reason, threshold))
        .order_by(ActRow.min_confidence.asc(), *ACT_ORDER)
        .limit(max(0, limit))
        .offset(max(0, offset))
    )
    if available_to is not None:
        stmt = stmt.where(
            or_(
                ActRow.locked_by.is_(None),
                ActRow.locked_by == available_to,
                ActRow.locked_until <= as_utc(now or utcnow()),
            )
        )
    rows = session.execute(stmt).all()
    names = _names(session, [row.id for row in rows])
    return [
        QueueItem(
            act_id=row.id,
            act_type=row.act_type,
            register_year=row.register_year,
            commune=row.commune_fr or row.commune_ar,
            act_number=row.act_number,
            name=names.get(row.id, ""),
            min_confidence=row.min_confidence,
            reasons=_reasons(row.issues, row.min_confidence, threshold),
            locked_by=row.locked_by,
            locked_until=as_utc(row.locked_until) if row.locked_until else None,
            source_file=row.source_file,
            source_page=row.source_page,
        )
        for row in rows
    ]


def _queue_filters(register_id: int | None, reason: str | None, threshold: float) -> list[Any]:
    filters: list[Any] = []
    if register_id is not None:
        filters.append(ActRow.register_id == register_id)
    if reason == LOW_CONFIDENCE:
        filters.append(ActRow.min_confidence < threshold)
    elif reason:
        if not _RULE.fullmatch(reason):
            raise BadChange(f"unknown reason {reason!r}")
        # Issues are stored as JSON text of {"rule": ..., ...} objects on both databases.
        pattern = '%"rule": "' + reason.replace("_", "\\_") + '"%'
        filters.append(cast(ActRow.issues, Text).like(pattern, escape="\\"))
    return filters


def _reasons(issues: list[Any] | None, min_confidence: float, threshold: float) -> tuple[str, ...]:
    rules = [issue.get("rule", "?") for issue in issues or [] if isinstance(issue, dict)]
    if min_confidence < threshold:
        rules.append(LOW_CONFIDENCE)
    return tuple(dict.fromkeys(rules))


def _names(session: Session, act_ids: list[str]) -> dict[str, str]:
    values = {
        act_id: field_values(doc)
        for act_id, doc in session.execute(
            select(ActRow.id, ActRow.fields).where(ActRow.id.in_(act_ids))
        )
    }
    out = {}
    for act_id, keys in values.items():
        latin = " ".join(v for k in _NAME_KEYS[:4] if (v := keys.get(k)))
        arabic = " ".join(v for k in _NAME_KEYS[4:] if (v := keys.get(k)))
        out[act_id] = " · ".join(part for part in (latin, arabic) if part)
    return out


def queue_filters(session: Session) -> tuple[list[RegisterOption], list[str]]:
    """The registers that have acts waiting (with how many) and the reasons acts wait for."""
    registers = [
        RegisterOption(
            id=row.id,
            label=f"{row.commune_fr or row.commune_ar or '?'} · {row.act_type} · {row.year}",
            waiting=row.waiting,
        )
        for row in session.execute(
            select(
                RegisterRow.id,
                RegisterRow.commune_fr,
                RegisterRow.commune_ar,
                RegisterRow.act_type,
                RegisterRow.year,
                func.count(ActRow.id).label("waiting"),
            )
            .join(ActRow, ActRow.register_id == RegisterRow.id)
            .where(ActRow.status == "needs_review")
            .group_by(RegisterRow.id)
            .order_by(RegisterRow.commune_key, RegisterRow.act_type, RegisterRow.year)
        )
    ]
    rules: set[str] = set()
    for issues in session.scalars(select(ActRow.issues).where(ActRow.status == "needs_review")):
        rules.update(i["rule"] for i in issues or [] if isinstance(i, dict) and "rule" in i)
    return registers, [*sorted(rules), LOW_CONFIDENCE]


def claim_next(
    session: Session,
    reviewer: str,
    *,
    register_id: int | None = None,
    reason: str | None = None,
    now: datetime | None = None,
) -> Lock | None:
    """Claim the first act of the queue (with these filters) that nobody else holds."""
    now = as_utc(now or utcnow())
    for _ in range(5):  # another reviewer may claim the same act between the query and us
        items = queue(
            session,
            register_id=register_id,
            reason=reason,
            limit=10,
            available_to=reviewer,
            now=now,
        )
        session.rollback()  # end the read: claims write
        if not items:
            return None
        for item in items:
            try:
                return claim(session, item.act_id, reviewer, now=now)
            except (Locked, ActNotFound):
                continue
    return None


# --- the lock -----------------------------------------------------------------------------


def claim(
    session: Session,
    act_id: str,
    reviewer: str,
    *,
    now: datetime | None = None,
    ttl: timedelta = LOCK_TTL,
) -> Lock:
    """Take (or renew) the act for `reviewer` until now + ttl; Locked if another holds it."""
    now = as_utc(now or utcnow())
    with _write(session):
        lock = _hold(_act_for_update(session, act_id), reviewer, now, ttl)
    return lock


def release(
    session: Session, act_id: str, user: str, *, force: bool = False, now: datetime | None = None
) -> bool:
    """Give the act up. Only its holder may, unless `force` (an admin: audited) or the lock
    has expired. Returns whether there was a lock to release."""
    now = as_utc(now or utcnow())
    with _write(session):
        row = _act_for_update(session, act_id)
        if row.locked_by is None:
            return False
        live = row.locked_until is not None and as_utc(row.locked_until) > now
        if row.locked_by != user:
            if live and not force:
                raise Locked(row.id, row.locked_by, as_utc(row.locked_until))
            _log(
                session,
                now,
                f"admin:{user}" if force else reviewer_tag(user),
                "lock.released",
                act_id=row.id,
                old_value=row.locked_by,
                detail={"locked_until": as_utc(row.locked_until).isoformat() if live else None},
            )
        _unlock(row)
    return True


# --- changes ------------------------------------------------------------------------------


def clean_value(key: str, value: Any) -> str:
    """A reviewer's value as stored: spaces collapsed, digits Western where the kind is a
    number or a date, checked against the key's kind. BadChange when it does not fit."""
    if key not in ALL_KEYS:
        raise BadChange(f"unknown field {key!r}")
    if not isinstance(value, str):
        raise BadChange(f"{key}: the value must be text")
    text = unicodedata.normalize("NFC", " ".join(value.split()))
    if len(text) > MAX_VALUE:
        raise BadChange(f"{key}: at most {MAX_VALUE} characters")
    if not text or script_of_key(key):
        return text
    if key in GREGORIAN_DATE_KEYS or key in HIJRI_DATE_KEYS:
        text = to_western_digits(text)
        match = _ISO_DATE.fullmatch(text)
        if not match:
            raise BadChange(f"{key}: a date is written YYYY-MM-DD, not {text!r}")
        year, month, day = (int(part) for part in match.groups())
        if key in GREGORIAN_DATE_KEYS:
            try:
                date(year, month, day)
            except ValueError:
                raise BadChange(f"{key}: {text} is not a date") from None
        elif not (1 <= month <= 12 and 1 <= day <= 30):
            raise BadChange(f"{key}: {text} is not a Hijri date")
        return text
    if key in ("act_number", "page", "register_year"):
        text = to_western_digits(text)
        if not text.isdigit() or (key == "register_year" and len(text) != 4):
            raise BadChange(f"{key}: digits only, not {text!r}")
        return text
    if key == "act_type":
        if text.lower() not in ACT_TYPES:
            raise BadChange(f"act_type is one of {', '.join(ACT_TYPES)}, not {text!r}")
        return text.lower()
    if key == "sex":
        if text.upper() not in ("M", "F"):
            raise BadChange(f"sex is M or F, not {text!r}")
        return text.upper()
    return text


def _apply(
    session: Session, row: ActRow, reviewer: str, changes: Mapping[str, Any], now: datetime
) -> list[Change]:
    """Write the reviewer's values of the changed fields, audit each, keep the act's
    identity and minimum confidence in step."""
    cleaned = {key: clean_value(key, value) for key, value in changes.items()}
    fields = read(row.fields)
    tag = reviewer_tag(reviewer)
    at = stamp()
    done: list[Change] = []
    for key, value in cleaned.items():
        cur = fields.get(key)
        old = cur.value if cur is not None else None
        if old == value:
            continue  # a confirmation, not a change: approval records it
        if cur is None:
            cur = StoredField(value, 1.0, side=script_of_key(key), page_id=row.page_id)
            fields[key] = cur
        cur.value, cur.confidence, cur.engine, cur.set_by, cur.at = value, 1.0, tag, tag, at
        cur.notes = [*(cur.notes or []), f"corrected by {tag} (was {old!r})"]
        _log(
            session,
            now,
            tag,
            "field.changed",
            act_id=row.id,
            key=key,
            old_value=old,
            new_value=value,
        )
        done.append(Change(key, old, value))
    if any(
        change.key in ("act_type", "register_year", "commune_ar", "commune_fr", "act_number")
        for change in done
    ):
        _reidentify(session, row, fields)
    row.fields = document(fields)
    row.min_confidence = min((f.confidence for f in fields.values()), default=0.0)
    row.updated_at = now
    session.flush()
    return done


def _reidentify(session: Session, row: ActRow, fields: dict[str, StoredField]) -> None:
    """A corrected commune, type, year or number changes the act's identity (and register)."""
    act = Act(fields={key: FieldValue(f.value) for key, f in fields.items()})
    identity = identity_of(session, act)
    if identity.complete:
        other = session.scalar(
            select(ActRow.id).where(
                ActRow.id != row.id,
                ActRow.commune_key == identity.commune_key,
                ActRow.act_type == identity.act_type,
                ActRow.register_year == identity.register_year,
                ActRow.act_number == identity.act_number,
            )
        )
        if other is not None:
            raise Conflict(
                f"act {other} already has this commune, type, year and number: "
                "reject this one as a duplicate, or correct it"
            )
    register = _register(session, act, identity)
    row.register_id = register.id if register else None
    row.commune_key, row.act_type = identity.commune_key, identity.act_type
    row.register_year, row.act_number = identity.register_year, identity.act_number


def correct(
    session: Session,
    act_id: str,
    reviewer: str,
    changes: Mapping[str, Any],
    *,
    now: datetime | None = None,
) -> list[Change]:
    """Set the values of some fields (holding the act for `reviewer`); returns what changed."""
    now = as_utc(now or utcnow())
    with _write(session):
        row = _act_for_update(session, act_id)
        if row.status == "rejected":
            raise Conflict(f"act {act_id} is rejected: approve it to take it back first")
        _hold(row, reviewer, now)
        done = _apply(session, row, reviewer, changes, now)
    return done


def approve(
    session: Session,
    act_id: str,
    reviewer: str,
    changes: Mapping[str, Any] | None = None,
    *,
    now: datetime | None = None,
) -> list[Change]:
    """Apply `changes`, confirm every other field, and accept the act into the registry."""
    now = as_utc(now or utcnow())
    tag = reviewer_tag(reviewer)
    with _write(session):
        row = _act_for_update(session, act_id)
        if row.status == "accepted":
            raise Conflict(f"act {act_id} is accepted already")
        _hold(row, reviewer, now)
        done = _apply(session, row, reviewer, changes or {}, now)
        fields = read(row.fields)
        missing = [k for k in IDENTITY_KEYS if not (k in fields and fields[k].value)]
        if not any(k in fields and fields[k].value for k in ("commune_fr", "commune_ar")):
            missing.append("commune_fr")
        if missing:
            raise BadChange(f"fill in {', '.join(missing)} before approving: the act's identity")
        confirmed = []
        at = stamp()
        for key, fv in fields.items():
            if fv.confidence < 1.0 or not fv.set_by.startswith("reviewer"):
                fv.confidence, fv.engine, fv.set_by, fv.at = 1.0, tag, tag, at
                fv.notes = [*(fv.notes or []), f"confirmed by {tag}"]
                confirmed.append(key)
        row.fields = document(fields)
        _log(
            session,
            now,
            tag,
            "act.approved",
            act_id=row.id,
            old_value=row.status,
            new_value="accepted",
            detail={"corrected": [c.key for c in done], "confirmed": confirmed},
        )
        row.status, row.min_confidence, row.reject_reason = "accepted", 1.0, None
        row.reviewed_by, row.reviewed_at, row.updated_at = reviewer, now, now
        _unlock(row)
    return done


def reject(
    session: Session, act_id: str, reviewer: str, reason: str, *, now: datetime | None = None
) -> None:
    """Keep the act out of the registry, with the reviewer's reason."""
    now = as_utc(now or utcnow())
    reason = " ".join((reason or "").split())
    if not reason:
        raise BadChange("a rejection needs a reason")
    if len(reason) > MAX_REASON:
        raise BadChange(f"the reason has at most {MAX_REASON} characters")
    with _write(session):
        row = _act_for_update(session, act_id)
        if row.status == "rejected":
            raise Conflict(f"act {act_id} is rejected already")
        _hold(row, reviewer, now)
        _log(
            session,
            now,
            reviewer_tag(reviewer),
            "act.rejected",
            act_id=row.id,
            old_value=row.status,
            new_value="rejected",
            detail={"reason": reason},
        )
        row.status, row.reject_reason = "rejected", reason
        row.reviewed_by, row.reviewed_at, row.updated_at = reviewer, now, now
        _unlock(row)


# --- what the pages show ------------------------------------------------------------------


def act_view(session: Session, act_id: str, *, threshold: float | None = None) -> ActView | None:
    """The act with its review state, the page of each field and why fields are flagged."""
    act = get_act(session, act_id)
    if act is None:
        return None
    threshold = accept_threshold(threshold)
    row = session.get(ActRow, act_id, populate_existing=True)
    assert row is not None
    field_pages = {key: f.page_id for key, f in read(row.fields).items()}
    flagged: dict[str, list[str]] = {}
    for key, fv in act.fields.items():
        why = [issue.message for issue in act.issues if key in issue.fields]
        if fv.confidence < threshold:
            why.append(f"confidence {fv.confidence:.2f} is below {threshold:.2f}")
        if why:
            flagged[key] = why
    register = session.get(RegisterRow, row.register_id) if row.register_id else None
    return ActView(
        act=act,
        page_id=row.page_id,
        field_pages=field_pages,
        flagged=flagged,
        threshold=threshold,
        locked_by=row.locked_by,
        locked_until=as_utc(row.locked_until) if row.locked_until else None,
        reviewed_by=row.reviewed_by,
        reviewed_at=as_utc(row.reviewed_at) if row.reviewed_at else None,
        reject_reason=row.reject_reason,
        register=(
            f"{register.commune_fr or register.commune_ar} · {register.act_type} · {register.year}"
            if register
            else None
        ),
        act_issues=[issue for issue in act.issues if not set(issue.fields) & set(act.fields)],
    )


def page_scan(session: Session, page_id: int) -> ScanRef | None:
    """The scanned file of a page recorded in the pages table."""
    row = session.get(PageRow, page_id)
    return _scan(row) if row is not None else None


def scan_by_name(session: Session, file_name: str, page_no: int = 1) -> ScanRef | None:
    """A recorded page by its file's base name (as exports give `source.file`)."""
    row = session.scalar(
        select(PageRow)
        .where(PageRow.file_name == file_name, PageRow.page_no == page_no)
        .order_by(PageRow.id)
        .limit(1)
    )
    return _scan(row) if row is not None else None


def act_region(session: Session, act_id: str) -> tuple[ScanRef, list[int] | None] | None:
    """The page an act was read from and its box there (None: the whole page)."""
    row = session.execute(
        select(ActRow.page_id, ActRow.source_bbox).where(ActRow.id == act_id)
    ).first()
    if row is None or row.page_id is None:
        return None
    scan = page_scan(session, row.page_id)
    return (scan, list(row.source_bbox) if row.source_bbox else None) if scan else None


def field_region(session: Session, act_id: str, key: str) -> tuple[ScanRef, list[int]] | None:
    """The page a field's current value was read from and its box there."""
    doc = session.scalar(select(ActRow.fields).where(ActRow.id == act_id))
    entry = read(doc).get(key)
    if entry is None or entry.page_id is None or not entry.box:
        return None
    scan = page_scan(session, entry.page_id)
    return (scan, list(entry.box)) if scan else None


def _scan(row: PageRow) -> ScanRef:
    return ScanRef(row.id, row.file_path, row.file_sha256, row.page_no, row.file_name)
