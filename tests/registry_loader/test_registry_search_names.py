"""Search by name across scripts, spellings and typos; name parts; the index kept in step."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from registry_loader.fields import document, read
from registry_loader.load import load_page
from registry_loader.models import ActNamesRow, ActRow
from registry_loader.names_index import index_missing
from registry_loader.search import search


def found(hits) -> list[str | None]:
    return [hit.act.act_number for hit in hits]


@pytest.fixture
def load(session, make_page):
    pages = iter(range(1, 1000))

    def load_acts(*acts) -> None:
        load_page(session, make_page(page_no=next(pages)), list(acts))

    return load_acts


def french_only(make_act, number: str, given: str, family: str = "Alaoui", **more):
    act = make_act(number, given_name_fr=given, family_name_fr=family, **more)
    del act.fields["given_name_ar"], act.fields["family_name_ar"]
    return act


def arabic_only(make_act, number: str, given: str, family: str = "العلوي", **more):
    act = make_act(number, given_name_ar=given, family_name_ar=family, **more)
    del act.fields["given_name_fr"], act.fields["family_name_fr"]
    return act


@pytest.mark.parametrize("spelling", ["Mohamed", "Mohammed", "Mhamed"])
def test_an_arabic_name_finds_its_french_spellings(session, load, make_act, spelling):
    load(french_only(make_act, "1", spelling), french_only(make_act, "2", "Rachid"))
    assert found(search(session, "محمد العلوي")) == ["1"]


@pytest.mark.parametrize("query", ["Mohamed", "Mohammed", "Mhamed", "MOHAMED"])
def test_french_spellings_find_the_arabic_name(session, load, make_act, query):
    load(arabic_only(make_act, "1", "محمد"), arabic_only(make_act, "2", "رشيد"))
    assert found(search(session, f"{query} Alaoui")) == ["1"]


@pytest.mark.parametrize("query", ["Fatima Zahra", "Fatima-Zohra", "Fatimazahra", "فاطمة الزهراء"])
def test_a_compound_given_name_is_found_however_it_is_written(session, load, make_act, query):
    load(
        french_only(make_act, "1", "Fatima Zohra"),
        arabic_only(make_act, "2", "فاطمة الزهراء"),
        french_only(make_act, "3", "Khadija"),
    )
    assert sorted(found(search(session, query))) == ["1", "2"]


def test_a_family_name_written_in_two_words_or_one_is_the_same(session, load, make_act):
    load(make_act("1", family_name_fr="Ben Jelloun"), make_act("2", family_name_fr="Benjelloun"))
    assert sorted(found(search(session, "Benjelloun"))) == ["1", "2"]
    assert sorted(found(search(session, "ben jelloun"))) == ["1", "2"]


def test_a_typo_in_a_latin_name_still_finds_the_act(session, load, make_act):
    load(make_act("1", family_name_fr="Bennani"), make_act("2"))
    hits = search(session, "Mohamed Benanni")
    assert found(hits) == ["1"]
    assert found(search(session, "Mohamed Bennnani")) == ["1"]


def test_a_typo_in_the_query_finds_the_act_written_in_the_other_script(session, load, make_act):
    load(arabic_only(make_act, "1", "محمد", "بناني"), arabic_only(make_act, "2", "رشيد", "بناني"))
    assert found(search(session, "Mohamef Bennani")) == ["1"]


def test_an_arabic_query_ignores_hamza_ta_marbuta_marks_and_tatweel(session, load, make_act):
    load(arabic_only(make_act, "1", "فاطمة", "الإدريسي"))
    assert found(search(session, "فاطمه الادريسي")) == ["1"]
    assert found(search(session, "فَاطِمَة الإدريـسي")) == ["1"]


def test_the_exact_spelling_ranks_above_a_variant_above_another_script(session, load, make_act):
    load(
        french_only(make_act, "1", "Mhamed"),
        french_only(make_act, "2", "Mohamed"),
        arabic_only(make_act, "3", "محمود"),
    )
    hits = search(session, "Mohamed Alaoui")
    assert found(hits)[:2] == ["2", "1"]
    assert hits[0].score > hits[1].score
    assert hits[0].why[0] == "mohamed: exact match on given_name_fr"
    assert hits[1].why[0] == "mohamed: spelling variant match on given_name_fr"


def test_a_cross_script_hit_says_so(session, load, make_act):
    load(french_only(make_act, "1", "Mohamed"))
    (hit,) = search(session, "محمد")
    assert hit.why == ["محمد: transliteration match on given_name_fr"]


def test_other_names_with_a_like_skeleton_are_not_found(session, load, make_act):
    load(make_act("1", given_name_fr="Ahmed", given_name_ar="أحمد"))
    assert search(session, "محمد") == []
    assert search(session, "Mohamed") == []


def test_name_parts_match_only_their_own_field(session, load, make_act):
    load(
        make_act("1", given_name_fr="Ali", given_name_ar="علي", father_name_fr="Omar"),
        make_act("2", given_name_fr="Omar", given_name_ar="عمر", father_name_fr="Ali"),
    )
    assert found(search(session, given="Omar")) == ["2"]
    assert found(search(session, father="Omar")) == ["1"]
    assert found(search(session, "Alaoui", father="علي")) == ["2"]


def test_mother_and_family_parts_combine(session, load, make_act):
    load(
        make_act("1", mother_name_fr="Fatima Bennani"),
        make_act("2", mother_name_fr="Khadija Bennani"),
    )
    assert found(search(session, family="Alaoui", mother="Fatima")) == ["1"]


def test_filters_apply_to_name_searches(session, load, make_act):
    load(
        make_act("1", year=1990),
        make_act("2", year=1995, act_type="death"),
        make_act("3", year=1995, commune_fr="Azrou", commune_ar="أزرو"),
    )
    assert found(search(session, "محمد", years=(1994, 1996), act_type="birth")) == ["3"]
    assert found(search(session, "Mohamed", commune="صفرو")) == ["1", "2"]


def test_an_act_number_with_commune_and_year_is_an_exact_look_up(session, load, make_act):
    load(make_act("7", year=1995), make_act("7", year=1996))
    load(make_act("7", commune_fr="Fes", commune_ar="فاس"))
    hits = search(session, "7", commune="Sefrou", years=(1995, 1995))
    assert [(h.act.register_year, h.act.value("commune_fr")) for h in hits] == [(1995, "Sefrou")]


def test_a_reviewers_correction_is_found_at_once(session, load, make_act):
    load(make_act("1", given_name_fr="Mohamd"))
    row = session.scalar(select(ActRow))
    fields = read(row.fields)  # as review.py does
    fields["given_name_fr"].value = "Rachid"
    row.fields = document(fields)
    session.commit()
    assert found(search(session, "Rachid", given="Rachid")) == ["1"]
    assert search(session, "Mohamd", given="Mohamd") == [] or all(
        "given_name_fr" not in why for h in search(session, "Mohamd") for why in h.why
    )


def test_acts_without_a_search_document_get_one(session, load, make_act):
    load(make_act("1"), make_act("2", given_name_fr="Rachid", given_name_ar="رشيد"))
    session.execute(delete(ActNamesRow))
    session.commit()
    assert search(session, "Rachid") == []
    assert index_missing(session) == 2
    assert found(search(session, "Rachid")) == ["2"]


def test_a_query_matching_nothing_in_the_vocabulary_finds_nothing(session, load, make_act):
    load(make_act("1"))
    assert search(session, "Zzyzx") == []
    assert search(session, "Mohamed Zzyzx") == []


def test_acts_stored_before_the_search_index_are_indexed_on_open(db_url, make_act, make_page):
    from alembic import command

    from registry_loader.db import alembic_config, open_registry

    with open_registry(db_url) as registry:
        with registry.session() as session:
            load_page(session, make_page(), [make_act("1", given_name_fr="Rachid")])
        with registry.engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0002")
    with open_registry(db_url) as registry, registry.session() as session:
        assert found(search(session, "Rachid")) == ["1"]


def test_the_vocabulary_counts_the_acts_using_each_term(session, load, make_act):
    from registry_loader.models import NameTermRow

    load(make_act("1"), make_act("2"), make_act("3", given_name_fr="Mhamed"))
    counts = dict(session.execute(select(NameTermRow.term, NameTermRow.acts)).all())
    assert (counts["mohamed"], counts["mhamed"], counts["محمد"]) == (2, 1, 3)


def test_a_document_holds_each_term_by_role_and_once_without(session, load, make_act):
    from registry_loader.models import NameTermRow

    load(make_act("1", given_name_fr="Mohamed", father_name_fr="Mohamed Alaoui"))
    ids = dict(session.execute(select(NameTermRow.term, NameTermRow.id)).all())
    tokens = session.scalar(select(ActNamesRow.tokens)).split()
    mohamed = ids["mohamed"]
    assert {f"g{mohamed}", f"p{mohamed}"} <= set(tokens)
    assert tokens.count(f"t{mohamed}") == 1
    assert {t[1:] for t in tokens if t[0] == "t"} == {t[1:] for t in tokens if t[0] in "gfpm"}


def test_any_role_is_asked_of_the_index_as_one_token_a_term():
    from registry_loader.search import index_tokens

    assert sorted(index_tokens(["g1", "f1", "p1", "m1", "g2", "f2"])) == ["f2", "g2", "t1"]
    assert index_tokens(["g1", "m1"]) == ["g1", "m1"]


def test_documents_written_before_role_less_tokens_get_them(db_url, make_act, make_page):
    from alembic import command

    from registry_loader.db import alembic_config, open_registry

    with open_registry(db_url) as registry:
        with registry.session() as session:
            load_page(session, make_page(), [make_act("1", father_name_fr="Rachid Tazi")])
            written = session.scalar(select(ActNamesRow.tokens))
        with registry.engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0004")
        with registry.session() as session:
            old = session.scalar(select(ActNamesRow.tokens))
            assert old.split() == [t for t in written.split() if t[0] != "t"]
            assert search(session, "Rachid") == []  # asked as one role-less token
    with open_registry(db_url) as registry, registry.session() as session:
        assert session.scalar(select(ActNamesRow.tokens)) == written
        assert found(search(session, "Rachid")) == ["1"]


def test_acts_stored_before_and_after_migration_0006_are_found(db_url, make_act, make_page):
    from alembic import command

    from registry_loader.db import alembic_config, open_registry

    with open_registry(db_url) as registry:
        with registry.session() as session:
            load_page(session, make_page(), [make_act("1", given_name_fr="Rachid")])
        with registry.engine.begin() as conn:  # SQLite: the rows' triggers back
            command.downgrade(alembic_config(conn), "0005")
    with open_registry(db_url) as registry, registry.session() as session:
        load_page(session, make_page(page_no=2), [make_act("2", given_name_fr="Rachid Zineb")])
        assert sorted(found(search(session, "Rachid"))) == ["1", "2"]
        assert found(search(session, "Zinab")) == ["2"]  # a new term, found by its trigrams
