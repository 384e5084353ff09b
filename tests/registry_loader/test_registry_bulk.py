"""Bulk imports store what one-at-a-time stores would, and keep the audit log."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select, text

from registry_loader import audit, jsonl
from registry_loader.db import open_registry
from registry_loader.export import iter_acts
from registry_loader.jsonl import import_jsonl
from registry_loader.models import FTS_TABLES, ActRow, ActSourceRow, AuditRow, NameTermRow
from registry_loader.search import search


def records(n: int) -> list[str]:
    given = [("محمد", "Mohamed"), ("فاطمة", "Fatima"), ("أحمد", "Ahmed")]
    out = []
    for i in range(1, n + 1):
        ar, fr = given[i % 3]
        fields = {
            "act_type": "birth",
            "register_year": str(1990 + i % 4),
            "commune_ar": "صفرو",
            "commune_fr": "Sefrou",
            "act_number": str(i),
            "given_name_ar": ar,
            "given_name_fr": fr,
            "family_name_ar": "بناني",
            "family_name_fr": "Bennani",
            "birth_date": f"{1990 + i % 4}-01-{1 + i % 28:02d}",
        }
        out.append(
            json.dumps(
                {
                    "id": f"a{i}",
                    "status": "accepted",
                    "fields": {k: {"value": v, "confidence": 0.9} for k, v in fields.items()},
                    "marginal_notes": [{"text": f"note {i}", "confidence": 0.8}] if i % 5 else [],
                },
                ensure_ascii=False,
            )
        )
    return out


def rows(session) -> list[tuple]:
    """Each act's stored field document, without the times values were set."""
    return sorted(
        (act_id, {key: {**entry, "at": None} for key, entry in doc.items()})
        for act_id, doc in session.execute(select(ActRow.id, ActRow.fields))
    )


def test_a_bulk_import_stores_what_one_act_at_a_time_stores(session, tmp_path):
    lines = records(30)
    import_jsonl(session, lines, "old", batch=1000)
    with open_registry(f"sqlite:///{tmp_path / 'one.db'}") as other, other.session() as one:
        for line in lines:  # batches of one act: the store_act path for the duplicates
            import_jsonl(one, [line], "old", batch=1)
        assert [a.to_json() for a in iter_acts(one)] == [a.to_json() for a in iter_acts(session)]
        assert rows(one) == rows(session)


def test_duplicates_within_a_batch_corroborate_instead_of_duplicating(session):
    lines = records(4)
    again = json.loads(lines[0])
    again["id"] = "copy-of-a1"
    result = import_jsonl(session, [*lines, json.dumps(again, ensure_ascii=False)], "old")
    assert (result.acts_new, result.acts_corroborated) == (4, 1)
    assert session.scalar(select(func.count()).select_from(ActSourceRow)) == 5


def test_each_imported_act_is_in_the_audit_log(session):
    import_jsonl(session, records(3), "old")
    (entry,) = audit.history(session, "a2")
    assert (entry.actor, entry.action, entry.new_value) == ("import:old", "act.created", "accepted")
    assert session.scalar(select(func.count()).select_from(AuditRow)) == 3


def test_imported_acts_are_searchable_at_once(session):
    import_jsonl(session, records(6), "old")
    assert {h.act.id for h in search(session, "فاطمة بناني")} == {"a1", "a4"}
    assert session.scalar(select(func.count()).select_from(NameTermRow)) > 0


@pytest.mark.parametrize("chunk", [2, 1000])  # 2: many more chunks than may be in flight
def test_parsing_in_worker_processes_gives_the_same_registry(session, tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(jsonl, "_PARSE_CHUNK", chunk)
    lines = records(25)
    import_jsonl(session, lines, "old", workers=2)
    with open_registry(f"sqlite:///{tmp_path / 'one.db'}") as other, other.session() as one:
        import_jsonl(one, lines, "old")
        assert [a.to_json() for a in iter_acts(one)] == [a.to_json() for a in iter_acts(session)]


def _analyzed(session) -> bool:
    """Whether the database holds planner statistics of the acts table."""
    if session.get_bind().dialect.name == "postgresql":
        sql = (
            "SELECT last_vacuum IS NOT NULL AND last_analyze IS NOT NULL"
            " FROM pg_stat_user_tables WHERE relname = 'act_names'"
        )
        return bool(session.scalar(text(sql)))
    if not session.scalar(text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")):
        return False
    return bool(session.scalar(text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'acts'")))


def _segments(session) -> list[int]:
    """SQLite: how many segments each full-text index has."""
    return [
        session.scalar(text(f"SELECT count(DISTINCT segid) FROM {table}_idx"))
        for table in FTS_TABLES
    ]


def test_a_bulk_import_refreshes_the_statistics_and_a_small_one_does_not(session):
    import_jsonl(session, records(3), "old", refresh_after=5)
    session.rollback()
    assert not _analyzed(session)
    import_jsonl(session, records(8)[3:], "old", refresh_after=5)
    session.rollback()
    assert _analyzed(session)
    if session.get_bind().dialect.name == "sqlite":  # each import wrote its own segments
        assert _segments(session) == [1, 1]
        assert {hit.act.id for hit in search(session, "Ahmed Bennani")} == {"a2", "a5", "a8"}
