"""Validating the acts of a page: resolve readings, run every rule, route each act."""

from __future__ import annotations

import copy

from records import Act
from validation.calibration import calibrate
from validation.resolve import resolve
from validation.routing import accept_threshold, route
from validation.rules import (
    ACT_RULES,
    PAGE_KEYS,
    act_number_sequence,
    names_alike_on_the_page,
    officer_by_consensus,
    officer_by_sure_act,
)


def validate_act(act: Act) -> Act:
    """Resolve the act's readings and run the act rules; issues accumulate on the act."""
    resolve(act)
    return check_act(act)


def check_act(act: Act) -> Act:
    """Run the act rules on its resolved values."""
    for rule in ACT_RULES:
        act.issues.extend(rule(act))
    return act


# How sure (calibrated) both sides of an act's officer's name must be for it to name the
# page's officer: well above the acceptance threshold, as a sure misreading taken for the
# reference spreads to the page.
SURE_OFFICER = 0.99


def _officer_as_checked(act: Act) -> Act:
    """The act's officer's name alone, as the act rules leave it and calibrated (the act
    is not changed)."""
    fields = {k: copy.deepcopy(act.fields[k]) for k in PAGE_KEYS if k in act.fields}
    trial = check_act(Act(fields=fields))
    calibrate(trial)
    return trial


def validate_page(
    acts: list[Act], accept: float | None = None, *, calibrated: bool = True
) -> list[Act]:
    """Validate the acts read from one page and set each one's status. Without
    `calibrated`, confidences stay raw (what the calibration is fitted on)."""
    for act in acts:
        resolve(act)
    officer_by_consensus(acts)
    if len(acts) > 1:  # a lone act has no other act to name the officer to
        sure = max(SURE_OFFICER, accept_threshold(accept))
        officer_by_sure_act(acts, [_officer_as_checked(act) for act in acts], sure)
    for act in acts:
        check_act(act)
    act_number_sequence(acts)
    names_alike_on_the_page(acts)
    for act in acts:
        if calibrated:
            calibrate(act)
        act.status = route(act, accept)
    return acts
