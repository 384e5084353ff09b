"""The audit log: changes appended in order, read back per act, never altered."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from registry_loader import audit


def test_history_gives_one_acts_changes_oldest_first(session) -> None:
    audit.record(
        session,
        "reviewer:amina",
        "field.changed",
        act_id="a1",
        key="given_name_fr",
        old_value="Mohamd",
        new_value="Mohamed",
    )
    audit.record(session, "reviewer:amina", "act.approved", act_id="a1")
    audit.record(session, "ocr", "act.created", act_id="a2")
    session.commit()

    entries = audit.history(session, "a1")

    assert [(e.action, e.key, e.old_value, e.new_value) for e in entries] == [
        ("field.changed", "given_name_fr", "Mohamd", "Mohamed"),
        ("act.approved", None, None, None),
    ]
    assert entries[0].actor == "reviewer:amina"
    assert entries[0].at <= entries[1].at
    assert entries[0].to_json()["at"].startswith(str(entries[0].at.year))


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"])
def test_the_log_refuses_updates_and_deletes(session, statement: str) -> None:
    audit.record(session, "ocr", "act.created", act_id="a1")
    session.commit()

    with pytest.raises(DBAPIError, match="append-only"):
        session.execute(text(statement))
    session.rollback()

    assert [e.actor for e in audit.history(session, "a1")] == ["ocr"]
