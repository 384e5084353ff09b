"""Bulk imports store what one-at-a-time stores would, and keep the audit log."""

from __future__ import annotations

import gc
import json

import pytest
from sqlalchemy import func, select, text

from registry_loader import audit, jsonl
from registry_loader.db import missing_indexes, open_registry
from registry_loader.export import iter_acts
from registry_loader.jsonl import import_jsonl
from registry_loader.models import (
    DEFERRED_INDEXES,
    FTS_TABLES,
    ActRow,
    ActSourceRow,
    AuditRow,
    NameTermRow,
)
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


def test_acts_parsed_in_workers_that_go_one_at_a_time_read_their_lines(session, tmp_path):
    lines = records(6)
    again = json.loads(lines[1])
    again["id"] = "a2-again"  # a second reading of a2: its identity is stored
    lines += ["\ufeff" + lines[2] + "  \n", json.dumps(again, ensure_ascii=False) + "\n"]
    result = import_jsonl(session, lines, "old", workers=2)
    with open_registry(f"sqlite:///{tmp_path / 'one.db'}") as other, other.session() as one:
        serial = import_jsonl(one, lines, "old")
        assert [a.to_json() for a in iter_acts(one)] == [a.to_json() for a in iter_acts(session)]
    assert (result.acts_new, result.acts_corroborated, result.skipped) == (6, 1, 1)
    assert (serial.acts_new, serial.acts_corroborated, serial.skipped) == (6, 1, 1)


@pytest.mark.parametrize(("workers", "paused"), [(2, True), (1, False)])
def test_a_parallel_import_pauses_the_garbage_collector_while_it_runs(
    session, monkeypatch, workers, paused
):
    enabled_in_batches = []
    batch_of = jsonl._import_batch

    def spy(*args):
        enabled_in_batches.append(gc.isenabled())
        batch_of(*args)

    monkeypatch.setattr(jsonl, "_import_batch", spy)
    import_jsonl(session, records(5), "old", workers=workers)
    assert enabled_in_batches == [not paused]
    assert gc.isenabled()


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


# --- secondary indexes built after the rows of an import into an empty registry -----------


def deferred_present(session) -> set[str]:
    """The deferred indexes the database holds now."""
    return DEFERRED_INDEXES - {index.name for index in missing_indexes(session.connection())}


def indexes_when_called(monkeypatch, name: str) -> list[set[str]]:
    """The deferred indexes present each time the imports to come call `jsonl.<name>`."""
    present: list[set[str]] = []
    called = getattr(jsonl, name)

    def spy(session, *args):
        present.append(deferred_present(session))
        called(session, *args)

    monkeypatch.setattr(jsonl, name, spy)
    return present


def indexes_of_each_batch(monkeypatch) -> list[set[str]]:
    """The deferred indexes present as each batch of the imports to come begins."""
    return indexes_when_called(monkeypatch, "_import_batch")


def test_an_import_into_an_empty_registry_builds_its_indexes_after_its_rows(
    session, tmp_path, monkeypatch
):
    present_while_loading = indexes_of_each_batch(monkeypatch)
    lines = records(50)
    import_jsonl(session, lines, "old", batch=10)
    assert present_while_loading[0] == DEFERRED_INDEXES  # the first batch: not yet known big
    assert present_while_loading[1:] == [set()] * 4
    assert deferred_present(session) == DEFERRED_INDEXES
    with open_registry(f"sqlite:///{tmp_path / 'one.db'}") as other, other.session() as one:
        import_jsonl(one, lines, "old", batch=1000)  # one batch, not a full one: no deferring
        assert [a.to_json() for a in iter_acts(one)] == [a.to_json() for a in iter_acts(session)]
        assert rows(one) == rows(session)


def test_a_registry_that_holds_acts_keeps_its_indexes_during_an_import(session, monkeypatch):
    import_jsonl(session, records(3), "old")
    present_while_loading = indexes_of_each_batch(monkeypatch)
    import_jsonl(session, records(40)[3:], "more", batch=10)
    assert present_while_loading == [DEFERRED_INDEXES] * 4


def test_an_act_a_batch_cannot_take_is_stored_once_the_indexes_are_built(session, monkeypatch):
    lines = records(30)
    again = json.loads(lines[0])
    again["id"] = "copy-of-a1"  # the identity of a1, in the third batch: one at a time
    lines.insert(25, json.dumps(again, ensure_ascii=False))
    present_when_stored = indexes_when_called(monkeypatch, "_store_one")
    result = import_jsonl(session, lines, "old", batch=10)
    assert (result.acts_new, result.acts_corroborated) == (30, 1)
    assert present_when_stored == [DEFERRED_INDEXES]


def test_a_record_imported_again_while_the_digests_index_is_dropped_is_skipped(
    session, monkeypatch
):
    lines = records(30)
    again = json.loads(lines[2])
    del again["id"]  # known by its record only: no id, no act number
    del again["fields"]["act_number"]
    lines[2] = json.dumps(again, ensure_ascii=False)
    lines.insert(25, lines[2])  # the same record, in the third batch
    present_when_stored = indexes_when_called(monkeypatch, "_store_one")
    result = import_jsonl(session, lines, "old", batch=10)
    assert (result.acts_new, result.skipped) == (30, 1)
    assert present_when_stored == [DEFERRED_INDEXES]  # looked up once its index was built
    assert session.scalar(select(func.count()).select_from(ActSourceRow)) == 30


def test_an_import_that_fails_midway_builds_the_indexes_it_dropped(session, monkeypatch):
    batch_of, calls = jsonl._import_batch, []

    def failing(*args):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        batch_of(*args)

    monkeypatch.setattr(jsonl, "_import_batch", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        import_jsonl(session, records(50), "old", batch=10)
    assert deferred_present(session) == DEFERRED_INDEXES
    assert session.scalar(select(func.count()).select_from(ActRow)) == 20  # two batches kept


def test_opening_a_registry_builds_the_indexes_a_killed_import_left_unbuilt(registry_url):
    from registry_loader.db import drop_deferred_indexes

    with open_registry(registry_url) as registry, registry.session() as session:
        drop_deferred_indexes(session.connection())
        session.commit()  # as an import killed between its batches leaves it
        assert deferred_present(session) == set()
    with open_registry(registry_url) as registry, registry.session() as session:
        assert deferred_present(session) == DEFERRED_INDEXES
