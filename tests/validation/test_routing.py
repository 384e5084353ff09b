"""Routing: which acts enter the registry unseen and which wait for a reviewer."""

from __future__ import annotations

import pytest

from records import Act, FieldValue, Issue
from validation.routing import IDENTITY_KEYS, accept_threshold, route

IDENTITY = {
    "act_type": "birth",
    "register_year": "1995",
    "act_number": "12",
    "commune_fr": "Sefrou",
    "commune_ar": "صفرو",
}


def act_of(conf: float = 0.95, drop: tuple[str, ...] = (), **values: str) -> Act:
    fields = {
        k: v for k, v in {**IDENTITY, "given_name_fr": "Mohamed", **values}.items() if k not in drop
    }
    return Act(fields={k: FieldValue(v, conf) for k, v in fields.items()})


def test_a_confident_act_with_its_identity_is_accepted():
    assert route(act_of()) == "accepted"


@pytest.mark.parametrize("key", IDENTITY_KEYS)
def test_an_act_without_its_identity_needs_review(key: str):
    assert route(act_of(drop=(key,))) == "needs_review"


def test_an_act_without_a_commune_needs_review_and_one_commune_is_enough():
    assert route(act_of(drop=("commune_fr", "commune_ar"))) == "needs_review"
    assert route(act_of(drop=("commune_fr",))) == "accepted"
    assert route(act_of(drop=("commune_ar",))) == "accepted"


def test_an_empty_identity_value_counts_as_missing():
    assert route(act_of(act_number="")) == "needs_review"


def test_a_blocking_issue_sends_the_act_to_review_whatever_its_confidence():
    act = act_of(conf=0.999)
    act.issues.append(Issue("implausible_text", "digits", ("given_name_fr",), blocking=True))
    assert route(act) == "needs_review"


def test_an_issue_that_does_not_block_leaves_the_decision_to_confidence():
    act = act_of()
    act.issues.append(Issue("names_disagree", "differ", ("given_name_fr",)))
    assert route(act) == "accepted"


def test_one_field_under_the_threshold_sends_the_act_to_review():
    act = act_of()
    act.fields["given_name_fr"].confidence = accept_threshold() - 0.01
    assert route(act) == "needs_review"
    act.fields["given_name_fr"].confidence = accept_threshold()
    assert route(act) == "accepted"


def test_the_threshold_can_be_given():
    assert route(act_of(conf=0.6), accept=0.5) == "accepted"
    assert route(act_of(conf=0.6), accept=0.7) == "needs_review"


def test_the_threshold_is_read_from_the_configuration():
    assert 0.0 < accept_threshold() < 1.0


def test_a_rejected_act_stays_rejected():
    act = act_of()
    act.status = "rejected"
    assert route(act) == "rejected"


def test_an_act_without_fields_needs_review():
    assert route(Act()) == "needs_review"
