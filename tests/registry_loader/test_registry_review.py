"""Review: the queue, the lock with its expiry, corrections, approval, rejection, audit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from records import Issue
from registry_loader import audit, review
from registry_loader.export import get_act, iter_acts
from registry_loader.load import load_page
from registry_loader.search import search
from validation.calibration import calibrate

T0 = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
THRESHOLD = 0.75


def store(session, make_page, acts, name="sefrou_1995_p012.png") -> list[str]:
    return load_page(session, make_page(name), list(acts)).act_ids


def waiting(make_act, number: str, confidence: float, *issues: Issue, **values):
    """A birth act whose Arabic given name was read with `confidence`."""
    act = make_act(number, given_name_ar=("محمد", confidence), **values)
    act.issues = list(issues)
    act.status = "needs_review"
    return act


def by_people(session, act_id: str) -> list[audit.AuditEntry]:
    """The act's audit entries written by reviewers and admins (loads write their own)."""
    return [
        e for e in audit.history(session, act_id) if e.actor.startswith(("reviewer:", "admin:"))
    ]


NAMES = Issue("names_disagree", "'محمد' and 'Mohamed' do not look alike", ("given_name_ar",))


@pytest.fixture
def three(session, make_act, make_page) -> list[str]:
    """Acts 1 (0.6, names disagree), 2 (0.3), 3 (accepted)."""
    return store(
        session,
        make_page,
        [
            waiting(make_act, "1", 0.6, NAMES),
            waiting(make_act, "2", 0.3),
            make_act("3", status="accepted"),
        ],
    )


# --- the queue ------------------------------------------------------------------------------


def test_the_queue_lists_waiting_acts_least_confident_first(session, three) -> None:
    items = review.queue(session, threshold=THRESHOLD)

    assert [i.act_number for i in items] == ["2", "1"]
    assert items[0].min_confidence == pytest.approx(0.3)
    assert items[0].reasons == ("low_confidence",)
    assert items[1].reasons == ("names_disagree", "low_confidence")
    assert items[0].commune == "Sefrou" and "Mohamed" in items[0].name


def test_the_queue_filters_by_reason_and_register(session, make_act, make_page, three) -> None:
    oujda_act = waiting(make_act, "9", 0.5, commune_fr="Oujda", commune_ar="وجدة")
    store(session, make_page, [oujda_act], "oujda_1995_p001.png")

    by_rule = review.queue(session, reason="names_disagree", threshold=THRESHOLD)
    assert [i.act_number for i in by_rule] == ["1"]
    registers, reasons = review.queue_filters(session)
    assert reasons == ["names_disagree", "low_confidence"]
    assert sorted((r.label, r.waiting) for r in registers) == [
        ("Oujda · birth · 1995", 1),
        ("Sefrou · birth · 1995", 2),
    ]
    oujda = next(r.id for r in registers if r.label.startswith("Oujda"))
    assert [i.act_number for i in review.queue(session, register_id=oujda)] == ["9"]
    assert review.queue(session, reason="sides_disagree") == []
    with pytest.raises(review.BadChange):
        review.queue(session, reason="x%' OR 1=1 --")


def test_claim_next_skips_acts_another_reviewer_holds(session, three) -> None:
    first = review.claim_next(session, "amina", now=T0)
    second = review.claim_next(session, "rachid", now=T0)

    assert get_act(session, first.act_id).act_number == "2"
    assert get_act(session, second.act_id).act_number == "1"
    assert review.claim_next(session, "karim", now=T0) is None
    # amina is offered her own act again
    assert review.claim_next(session, "amina", now=T0).act_id == first.act_id


# --- the lock -------------------------------------------------------------------------------


def test_a_claimed_act_is_locked_for_others_until_it_expires(session, three) -> None:
    act_id = three[1]
    lock = review.claim(session, act_id, "amina", now=T0)
    assert lock.until == T0 + review.LOCK_TTL

    with pytest.raises(review.Locked) as held:
        review.claim(session, act_id, "rachid", now=T0 + timedelta(minutes=14))
    assert held.value.holder == "amina"
    with pytest.raises(review.Locked):
        review.correct(session, act_id, "rachid", {"given_name_fr": "X"}, now=T0)

    later = T0 + review.LOCK_TTL + timedelta(seconds=1)
    assert review.claim(session, act_id, "rachid", now=later).holder == "rachid"


def test_each_change_renews_the_holders_lock(session, three) -> None:
    act_id = three[1]
    review.claim(session, act_id, "amina", now=T0)
    review.correct(
        session, act_id, "amina", {"given_name_fr": "Mohammed"}, now=T0 + timedelta(minutes=10)
    )

    with pytest.raises(review.Locked):
        review.claim(session, act_id, "rachid", now=T0 + timedelta(minutes=20))


def test_only_the_holder_or_an_admin_releases_a_live_lock(session, three) -> None:
    act_id = three[1]
    review.claim(session, act_id, "amina", now=T0)

    with pytest.raises(review.Locked):
        review.release(session, act_id, "rachid", now=T0)
    assert review.release(session, act_id, "boss", force=True, now=T0)
    assert review.claim(session, act_id, "rachid", now=T0).holder == "rachid"
    assert review.release(session, act_id, "rachid", now=T0)
    assert not review.release(session, act_id, "rachid", now=T0)

    released = [e for e in by_people(session, act_id) if e.action == "lock.released"]
    assert [(e.actor, e.old_value) for e in released] == [("admin:boss", "amina")]


# --- corrections ----------------------------------------------------------------------------


def test_a_correction_is_a_reviewers_value_and_is_audited(session, three) -> None:
    act_id = three[1]
    changes = review.correct(
        session, act_id, "amina", {"given_name_ar": "  محمّد ", "given_name_fr": "Mohamed"}, now=T0
    )

    assert changes == [review.Change("given_name_ar", "محمد", "محمّد")]  # Mohamed was right
    value = get_act(session, act_id).fields["given_name_ar"]
    assert (value.value, value.confidence, value.engine) == ("محمّد", 1.0, "reviewer:amina")
    entries = by_people(session, act_id)
    assert [(e.actor, e.action, e.key, e.old_value, e.new_value) for e in entries] == [
        ("reviewer:amina", "field.changed", "given_name_ar", "محمد", "محمّد")
    ]
    assert review.as_utc(entries[0].at) == T0
    # the corrected value is searchable (normalised and folded forms kept in step)
    assert [h.act.id for h in search(session, "محمد", include_rejected=True)][0:3]


def test_a_reviewers_value_survives_recalibration(session, three) -> None:
    act_id = three[1]
    review.correct(session, act_id, "amina", {"given_name_ar": "أحمد"}, now=T0)
    act = get_act(session, act_id)

    calibrate(act)

    assert act.fields["given_name_ar"].confidence == 1.0


def test_a_reviewers_value_is_kept_when_another_scan_of_the_act_comes(
    session, make_act, make_page, three
) -> None:
    act_id = three[1]
    review.correct(session, act_id, "amina", {"given_name_fr": "Mohammed"}, now=T0)

    store(session, make_page, [make_act("2", given_name_fr=("Mahmoud", 0.99))], "court_copy.png")

    assert get_act(session, act_id).fields["given_name_fr"].value == "Mohammed"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"nickname": "x"}, "unknown field"),
        ({"birth_date": "15/03/1995"}, "YYYY-MM-DD"),
        ({"birth_date": "1995-02-30"}, "not a date"),
        ({"sex": "X"}, "M or F"),
        ({"register_year": "95"}, "digits"),
        ({"given_name_fr": 7}, "text"),
    ],
)
def test_bad_values_are_refused_and_nothing_changes(session, three, changes, message) -> None:
    act_id = three[1]
    with pytest.raises(review.BadChange, match=message):
        review.correct(session, act_id, "amina", {"given_name_fr": "Ahmed", **changes}, now=T0)

    assert get_act(session, act_id).fields["given_name_fr"].value == "Mohamed"
    assert by_people(session, act_id) == []


def test_dates_and_numbers_are_stored_with_western_digits(session, three) -> None:
    act_id = three[1]
    review.correct(
        session, act_id, "amina", {"birth_date": "١٩٩٥-٠٣-١٥", "act_number": "٢٠"}, now=T0
    )
    act = get_act(session, act_id)
    assert (act.value("act_number"), act.value("birth_date")) == ("20", "1995-03-15")
    # the birth date was already right: Arabic-Indic digits change nothing
    assert [e.key for e in by_people(session, act_id)] == ["act_number"]


def test_correcting_the_number_moves_the_acts_identity(session, three) -> None:
    act_id = three[1]
    review.correct(session, act_id, "amina", {"act_number": "20"}, now=T0)
    assert [h.act.id for h in search(session, "20")] == [act_id]

    with pytest.raises(review.Conflict, match="already has this commune"):
        review.correct(session, act_id, "amina", {"act_number": "3"}, now=T0)
    assert get_act(session, act_id).act_number == "20"


# --- approval and rejection -----------------------------------------------------------------


def test_approval_accepts_the_act_with_every_field_confirmed(session, three) -> None:
    act_id = three[1]
    review.claim(session, act_id, "amina", now=T0)
    review.approve(session, act_id, "amina", {"given_name_ar": "محمّد"}, now=T0)

    act = get_act(session, act_id)
    assert act.status == "accepted"
    assert {fv.confidence for fv in act.fields.values()} == {1.0}
    assert {fv.engine for fv in act.fields.values()} == {"reviewer:amina"}
    view = review.act_view(session, act_id)
    assert (view.reviewed_by, view.reviewed_at, view.locked_by) == ("amina", T0, None)
    assert [e.action for e in by_people(session, act_id)] == ["field.changed", "act.approved"]
    approved = by_people(session, act_id)[-1]
    assert approved.detail["corrected"] == ["given_name_ar"]
    assert "family_name_fr" in approved.detail["confirmed"]
    assert act_id in {a.id for a in iter_acts(session, "accepted")}
    assert act_id not in {i.act_id for i in review.queue(session)}
    with pytest.raises(review.Conflict, match="accepted already"):
        review.approve(session, act_id, "amina", now=T0)


def test_approval_needs_the_acts_identity(session, make_act, make_page) -> None:
    act = make_act(None)  # no act number read
    act.status = "needs_review"
    [act_id] = store(session, make_page, [act])

    with pytest.raises(review.BadChange, match="act_number"):
        review.approve(session, act_id, "amina", now=T0)
    assert get_act(session, act_id).status == "needs_review"

    review.approve(session, act_id, "amina", {"act_number": "44"}, now=T0)
    assert get_act(session, act_id).status == "accepted"


def test_a_held_act_cannot_be_approved_by_another(session, three) -> None:
    review.claim(session, three[0], "amina", now=T0)
    with pytest.raises(review.Locked):
        review.approve(session, three[0], "rachid", now=T0)
    assert get_act(session, three[0]).status == "needs_review"


def test_rejection_keeps_the_act_out_with_its_reason(session, three) -> None:
    act_id = three[0]
    with pytest.raises(review.BadChange, match="reason"):
        review.reject(session, act_id, "amina", "   ", now=T0)

    review.reject(session, act_id, "amina", "page torn: act unreadable", now=T0)

    view = review.act_view(session, act_id)
    assert (view.act.status, view.reject_reason, view.reviewed_by) == (
        "rejected",
        "page torn: act unreadable",
        "amina",
    )
    [entry] = by_people(session, act_id)
    assert (entry.action, entry.old_value, entry.new_value) == (
        "act.rejected",
        "needs_review",
        "rejected",
    )
    assert entry.detail == {"reason": "page torn: act unreadable"}
    assert search(session, "1") == []
    with pytest.raises(review.Conflict):
        review.correct(session, act_id, "amina", {"given_name_fr": "X"}, now=T0)


def test_the_act_view_says_why_each_field_is_flagged(session, three) -> None:
    view = review.act_view(session, three[0], threshold=THRESHOLD)

    assert set(view.flagged) == {"given_name_ar"}
    assert view.flagged["given_name_ar"] == [
        NAMES.message,
        "confidence 0.60 is below 0.75",
    ]
    assert view.register == "Sefrou · birth · 1995"
    assert review.act_view(session, "nope") is None
