"""Routing: which acts enter the registry unseen and which wait for a reviewer."""

from __future__ import annotations

import configs
from records import Act

# Without these an act has no identity in the registry (commune + type + year + number).
IDENTITY_KEYS = ("act_type", "register_year", "act_number")


def accept_threshold(given: float | None = None) -> float:
    """`given`, or the configured acceptance threshold when None."""
    return float(configs.load("thresholds.toml")["accept"]) if given is None else given


def route(act: Act, accept: float | None = None) -> str:
    """'accepted' when the act has its identity, no blocking issue and every field clears
    the threshold, otherwise 'needs_review'. A reviewer's rejection is never undone here."""
    if act.status == "rejected":
        return "rejected"
    threshold = accept_threshold(accept)
    has_identity = all(act.value(k) for k in IDENTITY_KEYS) and (
        act.value("commune_fr") or act.value("commune_ar")
    )
    blocked = any(issue.blocking for issue in act.issues)
    if has_identity and not blocked and act.fields and act.min_confidence() >= threshold:
        return "accepted"
    return "needs_review"
