"""The audit log: every change to the registry appended as one row, never altered.

The caller owns the transaction, so a change and its audit row commit or fail together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from registry_loader.models import AuditRow, utcnow


@dataclass(frozen=True)
class AuditEntry:
    """One change: who did what, when, to which act and field, from what to what."""

    at: datetime
    actor: str
    action: str
    act_id: str | None = None
    key: str | None = None
    old_value: str | None = None
    new_value: str | None = None
    detail: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "act_id": self.act_id,
            "key": self.key,
            "old_value": self.old_value,
            "new_value": self.new_value,
            "detail": self.detail,
        }


def record(
    session: Session,
    actor: str,
    action: str,
    *,
    act_id: str | None = None,
    key: str | None = None,
    old_value: str | None = None,
    new_value: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one change to the log (in the caller's transaction)."""
    record_many(
        session,
        [
            AuditEntry(
                at=utcnow(),
                actor=actor,
                action=action,
                act_id=act_id,
                key=key,
                old_value=old_value,
                new_value=new_value,
                detail=detail,
            )
        ],
    )


def record_many(session: Session, entries: list[AuditEntry]) -> None:
    """Append several changes in one statement (bulk loads)."""
    if entries:
        # The Table, not the class: a Core executemany, without the ORM's bookkeeping.
        session.execute(insert(AuditRow.__table__), [vars(entry) for entry in entries])


def history(session: Session, act_id: str) -> list[AuditEntry]:
    """Every change recorded for one act, oldest first."""
    rows = session.scalars(select(AuditRow).where(AuditRow.act_id == act_id).order_by(AuditRow.id))
    return [
        AuditEntry(
            at=row.at,
            actor=row.actor,
            action=row.action,
            act_id=row.act_id,
            key=row.key,
            old_value=row.old_value,
            new_value=row.new_value,
            detail=row.detail,
        )
        for row in rows
    ]
