"""Persons: the acts of one person linked, others kept apart, imported ids kept."""

from __future__ import annotations

import json

from registry_loader.export import get_act, iter_acts
from registry_loader.jsonl import import_jsonl
from registry_loader.load import load_page


def persons(session, *act_ids: str) -> list[list[str]]:
    return [get_act(session, act_id).person_ids for act_id in act_ids]


def test_the_birth_and_death_acts_of_one_person_share_a_person(session, make_act, make_page):
    parents = {"father_name_fr": "Ahmed", "mother_name_fr": "Fatima"}
    birth = make_act("1", **parents)
    death = make_act("9", act_type="death", death_date="2010-01-02", **parents)
    ids = load_page(session, make_page(), [birth, death]).act_ids
    born, died = persons(session, *ids)
    assert len(born) == 1 and born == died


def test_twins_are_two_persons(session, make_act, make_page):
    first = make_act("1", given_name_fr="Hassan", given_name_ar="حسن")
    second = make_act("2", given_name_fr="Houssine", given_name_ar="حسين")
    ids = load_page(session, make_page(), [first, second]).act_ids
    one, two = persons(session, *ids)
    assert one != two


def test_other_parents_make_another_person(session, make_act, make_page):
    ids = load_page(
        session,
        make_page(),
        [make_act("1", father_name_fr="Ahmed"), make_act("2", father_name_fr="Omar")],
    ).act_ids
    one, two = persons(session, *ids)
    assert one != two


def test_one_script_is_enough_to_link(session, make_act, make_page):
    first = make_act("1")
    second = make_act("2", act_type="death", death_date="2001-01-01")
    del second.fields["given_name_ar"], second.fields["family_name_ar"]
    ids = load_page(session, make_page(), [first, second]).act_ids
    one, two = persons(session, *ids)
    assert one == two


def test_a_marriage_act_has_two_persons_husband_first(session, make_act, make_page):
    act = make_act(
        "3",
        act_type="marriage",
        husband_given_name_fr="Karim",
        husband_family_name_fr="Tazi",
        husband_birth_date="1970-01-01",
        wife_given_name_fr="Salma",
        wife_family_name_fr="Idrissi",
        wife_birth_date="1975-05-05",
    )
    (act_id,) = load_page(session, make_page(), [act]).act_ids
    (husband_wife,) = persons(session, act_id)
    assert len(husband_wife) == 2 and husband_wife[0] != husband_wife[1]


def test_imported_person_ids_are_kept(session):
    record = {
        "id": "a1",
        "status": "accepted",
        "fields": {
            "act_type": {"value": "birth"},
            "given_name_fr": {"value": "Ali"},
            "family_name_fr": {"value": "Tazi"},
            "birth_date": {"value": "1980-01-01"},
        },
        "person_ids": ["person-from-elsewhere"],
    }
    import_jsonl(session, [json.dumps(record)], "old")
    assert persons(session, "a1") == [["person-from-elsewhere"]]


def test_person_ids_are_the_same_in_two_registries_of_the_same_acts(
    session, make_act, make_page, tmp_path
):
    from registry_loader.db import open_registry

    load_page(session, make_page(), [make_act("1")])
    with open_registry(f"sqlite:///{tmp_path / 'other.db'}") as other, other.session() as s2:
        load_page(s2, make_page(), [make_act("1")])
        assert [a.person_ids for a in iter_acts(s2)] == [a.person_ids for a in iter_acts(session)]
