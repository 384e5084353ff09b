from __future__ import annotations

import pytest
from sqlalchemy import event

from records import Issue, Source
from registry_loader.export import get_act, iter_acts
from registry_loader.load import load_page


def numbers(acts) -> list[str | None]:
    return [act.act_number for act in acts]


def test_acts_come_out_in_numeric_act_number_order(session, make_act, make_page):
    load_page(session, make_page(), [make_act("10"), make_act("9"), make_act("100")])
    assert numbers(iter_acts(session)) == ["9", "10", "100"]


def test_acts_come_out_grouped_by_register(session, make_act, make_page):
    acts = [
        make_act("1", year=1996),
        make_act("2", year=1995),
        make_act("1", year=1995),
        make_act("1", commune_fr="Azrou", commune_ar="أزرو"),
    ]
    load_page(session, make_page(), acts)
    assert [(a.value("commune_fr"), a.register_year, a.act_number) for a in iter_acts(session)] == [
        ("Azrou", 1995, "1"),
        ("Sefrou", 1995, "1"),
        ("Sefrou", 1995, "2"),
        ("Sefrou", 1996, "1"),
    ]


def test_acts_without_a_number_come_last_in_their_register(session, make_act, make_page):
    load_page(session, make_page(), [make_act(None), make_act("3")])
    assert numbers(iter_acts(session)) == ["3", None]


def test_iter_acts_keeps_only_the_status_asked_for(session, make_act, make_page):
    load_page(session, make_page(), [make_act("1"), make_act("2", confidence=0.5)])
    assert numbers(iter_acts(session, "needs_review")) == ["2"]
    assert numbers(iter_acts(session, "accepted")) == ["1"]
    assert numbers(iter_acts(session, "all")) == ["1", "2"]


def test_iter_acts_refuses_an_unknown_status(session):
    with pytest.raises(ValueError, match="unknown status"):
        list(iter_acts(session, "pending"))


def test_iter_acts_query_count_does_not_grow_with_the_acts(registry, make_act, make_page):
    with registry.session() as session:
        load_page(session, make_page(), [make_act(str(n)) for n in range(1, 31)])
    statements: list[str] = []
    event.listen(
        registry.engine,
        "before_cursor_execute",
        lambda conn, cursor, sql, *args: statements.append(sql),
    )
    with registry.session() as session:
        assert len(list(iter_acts(session, chunk=10))) == 30
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= 1 + 3 * 3  # the acts, then fields, notes and persons once a chunk


def test_get_act_returns_fields_notes_source_issues_status_and_id(session, make_act, make_page):
    act = make_act("12", source=Source("x.png", 1, (1, 2, 3, 4)), notes=("Marié le 1/2/2020",))
    act.issues.append(Issue("hijri_mismatch", "dates differ by 3 days", ("birth_date",)))
    act_id = load_page(session, make_page("p.png"), [act]).act_ids[0]
    stored = get_act(session, act_id)
    assert stored.id == act_id and stored.status == act.status
    assert {k: (f.value, f.confidence) for k, f in stored.fields.items()} == {
        k: (f.value, f.confidence) for k, f in act.fields.items()
    }
    assert [n.text for n in stored.marginal_notes] == ["Marié le 1/2/2020"]
    assert stored.source == Source("p.png", 1, (1, 2, 3, 4))
    assert stored.issues == act.issues and len(stored.person_ids) == 1  # the one born


def test_get_act_keeps_the_provenance_of_each_value(session, make_act, make_page):
    act_id = load_page(session, make_page(), [make_act()]).act_ids[0]
    field = get_act(session, act_id).fields["given_name_ar"]
    assert (field.raw, field.engine, field.side) == ("محمد", "tesseract/test", "ar")


def test_get_act_of_an_unknown_id_is_none(session):
    assert get_act(session, "no-such-act") is None


def test_exported_fields_follow_the_canonical_key_order(session, make_act, make_page):
    act_id = load_page(session, make_page(), [make_act(birth_date="1995-03-15")]).act_ids[0]
    keys = list(get_act(session, act_id).fields)
    assert keys[:4] == ["act_type", "register_year", "commune_ar", "commune_fr"]
    assert keys.index("given_name_ar") < keys.index("birth_date")
