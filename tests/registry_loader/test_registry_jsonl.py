from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from records import Act, FieldValue
from registry_loader.db import open_registry
from registry_loader.export import get_act, iter_acts
from registry_loader.jsonl import import_acts, import_jsonl
from registry_loader.load import load_page
from registry_loader.models import ActRow, FieldReadingRow


def record(number: str = "12", **changes) -> dict:
    """One act in the export format, as another civreg database would write it."""
    data = {
        "id": f"act-{number}",
        "act_type": "birth",
        "status": "accepted",
        "register_year": 1995,
        "commune_ar": "صفرو",
        "commune_fr": "Sefrou",
        "act_number": number,
        "source": {"file": "sefrou_1995_p012.png", "page": 1, "bbox": [10, 20, 300, 200]},
        "fields": {
            "act_type": {"value": "birth", "confidence": 1.0},
            "register_year": {"value": "1995", "confidence": 0.99},
            "commune_ar": {"value": "صفرو", "confidence": 0.98},
            "commune_fr": {"value": "Sefrou", "confidence": 0.97},
            "act_number": {"value": number, "confidence": 0.96},
            "given_name_ar": {"value": "محمد", "confidence": 0.95},
            "given_name_fr": {"value": "Mohamed", "confidence": 0.9512},
        },
        "marginal_notes": [{"text": "Marié le 1/2/2020", "confidence": 0.9, "lang": "fr"}],
        "person_ids": [],
        "issues": [],
    }
    data.update(changes)
    return data


def lines(*records: dict) -> list[str]:
    return [json.dumps(r, ensure_ascii=False) + "\n" for r in records]


def exported(session) -> list[dict]:
    return [act.to_json() for act in iter_acts(session)]


def count_acts(session) -> int:
    return session.scalar(select(func.count()).select_from(ActRow))


def test_imported_acts_keep_their_ids_statuses_fields_and_notes(session):
    result = import_jsonl(session, lines(record("12"), record("13", status="needs_review")), "old")
    act = get_act(session, "act-12")
    assert (result.acts_new, result.accepted, result.needs_review) == (2, 1, 1)
    assert act.status == "accepted"
    assert act.fields["given_name_fr"] == FieldValue("Mohamed", 0.9512)
    assert [n.text for n in act.marginal_notes] == ["Marié le 1/2/2020"]
    assert act.source.bbox == (10, 20, 300, 200)
    assert get_act(session, "act-13").status == "needs_review"


def test_importing_the_same_file_twice_adds_nothing(session):
    import_jsonl(session, lines(record("12"), record("13")), "old")
    again = import_jsonl(session, lines(record("12"), record("13")), "old")
    assert (again.acts, again.skipped) == (0, 2)
    assert count_acts(session) == 2


def test_a_second_import_reports_the_statuses_of_the_acts_it_skipped(session):
    records = lines(record("12"), record("13", status="needs_review"), record("14", id=None))
    import_jsonl(session, records, "old")
    again = import_jsonl(session, records, "old")
    assert (again.skipped, again.accepted, again.needs_review) == (3, 2, 1)


def test_records_without_ids_imported_twice_add_nothing(session):
    records = lines(record("12", id=None), record(None, id=None, act_number=None))
    first = import_jsonl(session, records, "other-system")
    again = import_jsonl(session, records, "other-system")
    assert (first.acts_new, again.acts, again.skipped) == (2, 0, 2)
    assert count_acts(session) == 2


def test_an_act_whose_id_is_stored_is_skipped_even_if_it_differs(session):
    import_jsonl(session, lines(record("12")), "old")
    changed = record("12")
    changed["fields"]["given_name_fr"] = {"value": "Ahmed", "confidence": 0.99}
    result = import_jsonl(session, lines(changed), "old")
    assert result.skipped == 1
    assert get_act(session, "act-12").fields["given_name_fr"].value == "Mohamed"


def test_an_act_whose_identity_is_stored_is_corroborated(session, make_act, make_page):
    load_page(session, make_page(), [make_act("12", given_name_fr=("Mohamed", 0.8))])
    result = import_jsonl(session, lines(record("12", id="elsewhere-12")), "old")
    (act,) = iter_acts(session)
    assert result.acts_corroborated == 1 and count_acts(session) == 1
    assert act.id != "elsewhere-12"
    assert act.fields["given_name_fr"].confidence == pytest.approx(1 - 0.2 * (1 - 0.9512))


def test_readings_an_imported_record_lists_are_recorded_with_their_origin(session):
    listed = record("12", readings={"birth_date": [{"value": "1995-03-15", "confidence": 0.8}]})
    import_jsonl(session, lines(listed), "old-db")
    readings = session.execute(select(FieldReadingRow.key, FieldReadingRow.origin)).all()
    assert readings == [("birth_date", "import:old-db")]


def test_imported_values_become_readings_when_a_scan_corroborates_them(
    session, make_act, make_page
):
    import_jsonl(session, lines(record("12")), "old-db")
    load_page(session, make_page(), [make_act("12", given_name_fr=("Mohammed", 0.99))])
    readings = session.execute(
        select(FieldReadingRow.origin, FieldReadingRow.value)
        .where(FieldReadingRow.key == "given_name_fr")
        .order_by(FieldReadingRow.id)
    ).all()
    assert readings == [("import:old-db", "Mohamed"), ("scan", "Mohammed")]


def test_bad_lines_are_reported_with_their_number_and_the_rest_load(session):
    adoption = record("3")
    adoption["fields"]["act_type"]["value"] = "adoption"
    stream = [
        *lines(record("1")),
        "{not json\n",
        "\n",
        *lines(record("2", status="lost")),
        "[1, 2]\n",
        *lines({"fields": {"given_name_fr": {"confidence": 0.5}}}),
        *lines(adoption),
        *lines(record("4", fields={"nickname": {"value": "x", "confidence": 1}})),
        *lines(record("5")),
    ]
    result = import_jsonl(session, stream, "old")
    assert result.acts_new == 2 and count_acts(session) == 2
    assert [e.line for e in result.errors] == [2, 4, 5, 6, 7, 8]
    reasons = {e.line: e.reason for e in result.errors}
    assert "not JSON" in reasons[2]
    assert "unknown status 'lost'" in reasons[4]
    assert "not a JSON object" in reasons[5]
    assert "value" in reasons[6]
    assert "unknown act_type 'adoption'" in reasons[7]
    assert "nickname" in reasons[8]


def test_a_prepare_hook_can_refuse_a_line(session):
    def prepare(act: Act) -> Act:
        if act.act_number == "13":
            raise ValueError("birth_date after drawn_up_date")
        return act

    result = import_jsonl(session, lines(record("12"), record("13")), "old", prepare=prepare)
    assert result.acts_new == 1
    assert [(e.line, e.reason) for e in result.errors] == [(2, "birth_date after drawn_up_date")]


def test_a_record_the_database_refuses_is_reported_and_the_rest_load(session):
    acts = [
        Act.from_json(record("1")),
        Act.from_json(record("2", status="limbo")),
        Act.from_json(record("3")),
    ]
    result = import_acts(session, acts, "old")
    assert result.acts_new == 2 and [e.line for e in result.errors] == [2]
    assert count_acts(session) == 2


def test_import_commits_in_batches(session):
    result = import_jsonl(session, lines(*(record(str(n)) for n in range(1, 8))), "old", batch=3)
    assert result.acts_new == 7 and count_acts(session) == 7


def round_trip(session, target_url: str) -> list[dict]:
    """Export `session`'s acts, import them into the registry at `target_url`, export again."""
    text = [json.dumps(a, ensure_ascii=False) for a in exported(session)]
    with open_registry(target_url) as target, target.session() as other:
        result = import_jsonl(other, text, "round-trip")
        assert result.errors == [] and result.acts_new == len(text)
        return exported(other)


def fill(session, make_act, make_page) -> None:
    """Corroborated, disagreeing, rejected, unnumbered, noted and imported acts."""
    load_page(
        session,
        make_page("a.png"),
        [make_act("12", notes=("Marié le 1/2/2020",)), make_act(None, confidence=0.5)],
    )
    load_page(
        session,
        make_page("b.png"),
        [make_act("12", family_name_fr=("Alami", 0.7)), make_act("2", status="rejected")],
    )
    import_jsonl(session, lines(record("40", commune_fr=None, commune_ar="فاس")), "old")


def test_round_trip_to_sqlite_gives_the_same_acts(session, make_act, make_page, tmp_path: Path):
    fill(session, make_act, make_page)
    before = exported(session)
    assert len(before) == 4
    assert round_trip(session, f"sqlite:///{tmp_path / 'copy.db'}") == before


def test_round_trip_sqlite_postgresql_sqlite_gives_the_same_acts(
    make_act,
    make_page,
    pg_url: str,
    tmp_path: Path,
):
    with open_registry(f"sqlite:///{tmp_path / 'first.db'}") as first, first.session() as session:
        fill(session, make_act, make_page)
        before = exported(session)
    with open_registry(pg_url) as pg, pg.session() as pg_session:
        import_jsonl(pg_session, [json.dumps(a) for a in before], "sqlite")
        assert exported(pg_session) == before
        assert round_trip(pg_session, f"sqlite:///{tmp_path / 'back.db'}") == before
