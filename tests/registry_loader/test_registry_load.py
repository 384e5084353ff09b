from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from records import FieldValue, Issue, Source
from registry_loader.db import open_registry
from registry_loader.export import get_act, iter_acts
from registry_loader.fields import document, read
from registry_loader.load import acts_of_pages, load_page, page_is_loaded, record_failed_page
from registry_loader.models import ActRow, ActSourceRow, FieldReadingRow, PageRow
from registry_loader.store import agree, disagree

BUREAU, COURT = "sefrou_1995_bureau_p012.png", "sefrou_1995_court_p012.png"


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def only_act_id(session) -> str:
    return session.scalars(select(ActRow.id)).one()


def test_a_new_page_inserts_its_acts_with_their_fields_and_source(session, make_act, make_page):
    act = make_act("12", source=Source("ignored.png", 9, (10, 20, 300, 200)))
    result = load_page(session, make_page(BUREAU), [act])
    stored = get_act(session, result.act_ids[0])
    assert result.acts_new == 1 and not result.already_loaded
    assert stored.fields["given_name_fr"].value == "Mohamed"
    assert stored.fields["given_name_fr"].confidence == pytest.approx(0.95)
    assert (stored.source.file, stored.source.page, stored.source.bbox) == (
        BUREAU,
        1,
        (10, 20, 300, 200),
    )


def test_a_new_act_keeps_the_status_it_comes_with(session, make_act, make_page):
    result = load_page(session, make_page(), [make_act(status="needs_review")])
    assert get_act(session, result.act_ids[0]).status == "needs_review"


def test_new_act_ids_are_uuid4_hex(session, make_act, make_page):
    result = load_page(session, make_page(), [make_act()])
    act_id = result.act_ids[0]
    assert len(act_id) == 32 and int(act_id, 16) >= 0


def test_loading_a_page_twice_adds_nothing(session, make_act, make_page):
    load_page(session, make_page(), [make_act("12"), make_act("13")])
    again = load_page(session, make_page(), [make_act("12"), make_act("13")])
    assert again.already_loaded and again.acts_new == again.acts_corroborated == 0
    assert count(session, ActRow) == 2
    assert count(session, FieldReadingRow) == 2 * len(make_act().fields)


def test_page_is_loaded_only_after_its_load(session, make_act, make_page):
    page = make_page()
    assert not page_is_loaded(session, page.sha256, page.page_no)
    load_page(session, page, [make_act()])
    assert page_is_loaded(session, page.sha256, page.page_no)
    assert not page_is_loaded(session, page.sha256, page.page_no + 1)


def test_the_second_copy_of_an_act_corroborates_it_instead_of_duplicating_it(
    session,
    make_act,
    make_page,
):
    load_page(session, make_page(BUREAU), [make_act("12")])
    result = load_page(session, make_page(COURT), [make_act("012")])
    assert result.acts_corroborated == 1 and result.acts_new == 0
    assert count(session, ActRow) == 1
    sources = session.scalars(select(ActSourceRow.file_name).order_by(ActSourceRow.id)).all()
    assert sources == [BUREAU, COURT]


def test_arabic_indic_act_numbers_share_the_identity_of_western_ones(
    session,
    make_act,
    make_page,
):
    load_page(session, make_page(BUREAU), [make_act("12")])
    result = load_page(session, make_page(COURT), [make_act("١٢")])
    assert result.acts_corroborated == 1 and count(session, ActRow) == 1


def test_agreeing_copies_raise_the_confidence(session, make_act, make_page):
    load_page(session, make_page(BUREAU), [make_act(given_name_fr=("Mohamed", 0.8))])
    load_page(session, make_page(COURT), [make_act(given_name_fr=("MOHAMED", 0.7))])
    field = get_act(session, only_act_id(session)).fields["given_name_fr"]
    assert field.value == "Mohamed"
    assert field.confidence == pytest.approx(1 - 0.2 * 0.3)


def test_disagreeing_copies_keep_the_more_confident_value_with_lower_confidence(
    session,
    make_act,
    make_page,
):
    load_page(session, make_page(BUREAU), [make_act(family_name_fr=("Alaoui", 0.85))])
    load_page(session, make_page(COURT), [make_act(family_name_fr=("Alami", 0.95))])
    field = get_act(session, only_act_id(session)).fields["family_name_fr"]
    assert field.value == "Alami"
    assert field.confidence == pytest.approx(disagree(0.95, 0.85))
    assert field.confidence < 0.85


def test_disagreeing_copies_add_a_copies_disagree_issue(session, make_act, make_page):
    load_page(session, make_page(BUREAU), [make_act(family_name_fr=("Alaoui", 0.85))])
    load_page(session, make_page(COURT), [make_act(family_name_fr=("Alami", 0.95))])
    issues = get_act(session, only_act_id(session)).issues
    assert [(i.rule, i.fields) for i in issues] == [("copies_disagree", ("family_name_fr",))]
    assert "Alaoui" in issues[0].message and "Alami" in issues[0].message


def test_disagreement_sends_an_accepted_act_to_review(session, make_act, make_page):
    first = load_page(session, make_page(BUREAU), [make_act(family_name_fr="Alaoui")])
    assert first.accepted == 1
    second = load_page(session, make_page(COURT), [make_act(family_name_fr="Alami")])
    assert second.needs_review == 1
    assert get_act(session, only_act_id(session)).status == "needs_review"


def test_a_doubtful_copy_against_a_sure_one_is_noted_without_blocking(
    session,
    make_act,
    make_page,
):
    load_page(session, make_page(BUREAU), [make_act(family_name_fr=("Alaoui", 0.99))])
    load_page(session, make_page(COURT), [make_act(family_name_fr=("Alami", 0.3))])
    act = get_act(session, only_act_id(session))
    field = act.fields["family_name_fr"]
    assert field.value == "Alaoui" and field.confidence == pytest.approx(disagree(0.99, 0.3))
    assert [(i.rule, i.blocking) for i in act.issues] == [("copies_disagree", False)]
    assert act.status == "accepted"


def test_two_sure_copies_that_differ_block_the_act(session, make_act, make_page):
    load_page(session, make_page(BUREAU), [make_act(family_name_fr=("Alaoui", 0.99))])
    load_page(session, make_page(COURT), [make_act(family_name_fr=("Alami", 0.97))])
    act = get_act(session, only_act_id(session))
    assert [(i.rule, i.blocking) for i in act.issues] == [("copies_disagree", True)]
    assert act.status == "needs_review"


def with_issue(act, rule: str, key: str):
    """`act` with a blocking issue of `rule` about `key`, as validation would raise it."""
    act.issues.append(Issue(rule, f"{rule} on {key}", (key,), True))
    return act


def merged(session, make_page, bureau, court):
    """The act the bureau's and the court's copies make once both are loaded."""
    load_page(session, make_page(BUREAU), [bureau])
    load_page(session, make_page(COURT), [court])
    return get_act(session, only_act_id(session))


def test_an_issue_on_a_reading_the_other_copy_replaced_is_dropped(session, make_act, make_page):
    first = with_issue(make_act(father_name_fr=("Ahmed 1l", 0.2)), "plausible", "father_name_fr")
    act = merged(session, make_page, first, make_act(father_name_fr=("Ahmed", 0.99)))
    assert act.fields["father_name_fr"].value == "Ahmed"
    assert [(i.rule, i.blocking) for i in act.issues] == [("copies_disagree", False)]
    assert act.status == "accepted"


def test_an_issue_on_a_field_the_other_copy_reads_first_is_dropped(session, make_act, make_page):
    first = with_issue(make_act(), "completeness", "father_name_fr")
    act = merged(session, make_page, first, make_act(father_name_fr="Ahmed"))
    assert act.issues == [] and act.status == "accepted"


def test_an_issue_on_a_kept_reading_stays(session, make_act, make_page):
    first = with_issue(make_act(father_name_fr=("Ahmed", 0.99)), "names", "father_name_fr")
    act = merged(session, make_page, first, make_act(father_name_fr=("Ahmad", 0.4)))
    assert [i.rule for i in act.issues] == ["names", "copies_disagree"]
    assert act.status == "needs_review"


def test_an_issue_both_copies_share_grounds_stays(session, make_act, make_page):
    bureau, court = (with_issue(make_act(), "completeness", "father_name_fr") for _ in range(2))
    act = merged(session, make_page, bureau, court)
    assert [i.rule for i in act.issues] == ["completeness"] and act.status == "needs_review"


def test_corroboration_can_accept_an_act_that_waited_for_review(session, make_act, make_page):
    load_page(session, make_page(BUREAU), [make_act(confidence=0.7)])
    result = load_page(session, make_page(COURT), [make_act(confidence=0.7)])
    assert result.accepted == 1  # 1 - 0.3 * 0.3 = 0.91 >= 0.9
    assert get_act(session, only_act_id(session)).status == "accepted"


def test_a_rejected_act_stays_rejected_when_corroborated(session, make_act, make_page):
    load_page(session, make_page(BUREAU), [make_act(status="rejected")])
    result = load_page(session, make_page(COURT), [make_act()])
    assert result.rejected == 1
    assert get_act(session, only_act_id(session)).status == "rejected"


def test_a_value_set_by_a_reviewer_is_never_overwritten(session, make_act, make_page):
    load_page(session, make_page(BUREAU), [make_act(family_name_fr=("Alaoui", 0.5))])
    row = session.scalars(select(ActRow)).one()
    fields = read(row.fields)
    value = fields["family_name_fr"]
    value.value, value.confidence, value.set_by = "El Alaoui", 1.0, "reviewer:amina"
    row.fields = document(fields)
    session.commit()
    load_page(session, make_page(COURT), [make_act(family_name_fr=("Alami", 0.99))])
    field = get_act(session, only_act_id(session)).fields["family_name_fr"]
    assert (field.value, field.confidence) == ("El Alaoui", 1.0)


def test_a_copy_contradicting_a_reviewer_is_noted_without_reopening_the_act(
    session,
    make_act,
    make_page,
):
    load_page(session, make_page(BUREAU), [make_act()])
    row = session.scalars(select(ActRow)).one()
    fields = read(row.fields)
    fields["family_name_fr"].set_by = "reviewer:amina"
    row.fields = document(fields)
    session.commit()
    load_page(session, make_page(COURT), [make_act(family_name_fr="Alami")])
    act = get_act(session, only_act_id(session))
    assert [(i.rule, i.blocking) for i in act.issues] == [("copies_disagree", False)]
    assert act.status == "accepted"


def test_a_field_missing_from_the_first_copy_is_filled_by_the_second(
    session,
    make_act,
    make_page,
):
    load_page(session, make_page(BUREAU), [make_act()])
    load_page(session, make_page(COURT), [make_act(father_name_fr=("Ahmed", 0.9))])
    field = get_act(session, only_act_id(session)).fields["father_name_fr"]
    assert (field.value, field.confidence) == ("Ahmed", pytest.approx(0.9))


def test_the_register_page_of_each_copy_is_no_disagreement(session, make_act, make_page):
    load_page(session, make_page(BUREAU), [make_act(page="12")])
    load_page(session, make_page(COURT), [make_act(page="31")])
    act = get_act(session, only_act_id(session))
    assert act.issues == [] and act.fields["page"].value == "12"


def test_every_reading_of_every_copy_is_kept(session, make_act, make_page):
    load_page(session, make_page(BUREAU), [make_act(family_name_fr="Alaoui")])
    load_page(session, make_page(COURT), [make_act(family_name_fr="Alami")])
    readings = session.scalars(
        select(FieldReadingRow.value)
        .where(FieldReadingRow.key == "family_name_fr")
        .order_by(FieldReadingRow.id)
    ).all()
    assert readings == ["Alaoui", "Alami"]


def test_the_readings_an_act_was_resolved_from_are_all_kept(session, make_act, make_page):
    act = make_act()
    act.readings["birth_date"] = [
        FieldValue("1995-03-15", 0.9, side="ar"),
        FieldValue("1995-03-16", 0.6, side="fr"),
    ]
    load_page(session, make_page(), [act])
    readings = session.execute(
        select(FieldReadingRow.value, FieldReadingRow.side)
        .where(FieldReadingRow.key == "birth_date")
        .order_by(FieldReadingRow.id)
    ).all()
    assert readings == [("1995-03-15", "ar"), ("1995-03-16", "fr")]


def test_a_copy_without_the_french_commune_joins_the_act_by_its_arabic_commune(
    session,
    make_act,
    make_page,
):
    load_page(session, make_page(BUREAU), [make_act(commune_fr="Sefrou", commune_ar="صفرو")])
    result = load_page(session, make_page(COURT), [make_act(commune_fr=None, commune_ar="صفرو")])
    assert result.acts_corroborated == 1 and count(session, ActRow) == 1


def test_acts_with_an_unknown_number_are_never_merged(session, make_act, make_page):
    load_page(session, make_page(BUREAU), [make_act(None)])
    result = load_page(session, make_page(COURT), [make_act(None)])
    assert result.acts_new == 1 and count(session, ActRow) == 2


def test_acts_of_another_year_are_other_acts(session, make_act, make_page):
    load_page(session, make_page(BUREAU), [make_act("12", year=1995)])
    result = load_page(session, make_page(COURT), [make_act("12", year=1996)])
    assert result.acts_new == 1 and count(session, ActRow) == 2


def test_marginal_notes_of_both_copies_are_kept_once(session, make_act, make_page):
    load_page(session, make_page(BUREAU), [make_act(notes=("Marié le 1/2/2020",))])
    load_page(session, make_page(COURT), [make_act(notes=("Marié le 1/2/2020", "Divorcé"))])
    notes = get_act(session, only_act_id(session)).marginal_notes
    assert [n.text for n in notes] == ["Marié le 1/2/2020", "Divorcé"]


def test_load_counts_acts_by_status(session, make_act, make_page):
    acts = [make_act("1"), make_act("2", confidence=0.5), make_act("3")]
    result = load_page(session, make_page(), acts)
    assert (result.acts_new, result.accepted, result.needs_review) == (3, 2, 1)


def test_a_page_that_fails_to_load_stores_none_of_its_acts(session, make_act, make_page):
    with pytest.raises(IntegrityError):
        load_page(session, make_page(), [make_act("1"), make_act("2", status="bogus")])
    assert count(session, ActRow) == 0 and count(session, PageRow) == 0


def test_a_failed_page_is_recorded_with_its_error_and_is_not_loaded(session, make_page):
    page = make_page()
    assert record_failed_page(session, page, "OcrError: engine timed out")
    row = session.scalars(select(PageRow)).one()
    assert (row.status, row.error) == ("failed", "OcrError: engine timed out")
    assert not page_is_loaded(session, page.sha256, page.page_no)


def test_a_later_load_replaces_the_failure(session, make_act, make_page):
    record_failed_page(session, make_page(), "OcrError: engine timed out")
    result = load_page(session, make_page(), [make_act()])
    row = session.scalars(select(PageRow)).one()
    assert result.acts_new == 1 and (row.status, row.error) == ("loaded", None)


def test_a_failure_never_unloads_a_loaded_page(session, make_act, make_page):
    load_page(session, make_page(), [make_act()])
    assert not record_failed_page(session, make_page(), "late failure")
    assert session.scalars(select(PageRow.status)).one() == "loaded"


def test_acts_of_pages_gives_each_act_of_those_files_once(session, make_act, make_page):
    load_page(session, make_page(BUREAU), [make_act("1"), make_act("2", confidence=0.5)])
    load_page(session, make_page(COURT), [make_act("1")])
    load_page(session, make_page("other.png"), [make_act("3")])
    statuses = acts_of_pages(session, [make_page(BUREAU).sha256, make_page(COURT).sha256])
    assert sorted(statuses) == ["accepted", "needs_review"]


def load_together(registry, pages) -> list[Exception]:
    """Load (page, acts) pairs in threads started at the same moment; the errors raised."""
    errors: list[Exception] = []
    barrier = threading.Barrier(len(pages))

    def load(page, acts) -> None:
        try:
            barrier.wait()
            with registry.session() as session:
                load_page(session, page, acts)
        except Exception as exc:  # returned to the test
            errors.append(exc)

    threads = [threading.Thread(target=load, args=pair) for pair in pages]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_pages_with_the_same_acts_in_another_order_load_at_once(db_url, make_act, make_page):
    numbers = [str(n) for n in range(1, 7)]
    with open_registry(db_url) as registry:
        with registry.session() as session:
            load_page(
                session, make_page("first.png"), [make_act(n, confidence=0.5) for n in numbers]
            )
        for round_no in range(3):
            errors = load_together(
                registry,
                [
                    (make_page(f"x{round_no}.png"), [make_act(n, confidence=0.5) for n in numbers]),
                    (
                        make_page(f"y{round_no}.png"),
                        [make_act(n, confidence=0.5) for n in reversed(numbers)],
                    ),
                ],
            )
            assert errors == []
        with registry.session() as session:
            confidences = [act.fields["sex"].confidence for act in iter_acts(session)]
    assert confidences == pytest.approx([1 - 0.5**7] * len(numbers))


def test_two_copies_loaded_at_once_make_one_act(db_url, make_act, make_page):
    with open_registry(db_url) as registry:
        errors = load_together(
            registry, [(make_page(BUREAU), [make_act("7")]), (make_page(COURT), [make_act("7")])]
        )
        assert errors == []
        with registry.session() as session:
            assert count(session, ActRow) == 1 and count(session, ActSourceRow) == 2


def test_agree_and_disagree_follow_independent_errors():
    assert agree(0.9, 0.8) == pytest.approx(0.98)
    assert disagree(0.9, 0.9) == pytest.approx(0.09 / 0.19)
    assert disagree(0.99, 0.3) < 0.99
