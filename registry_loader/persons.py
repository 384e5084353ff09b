"""Persons: one person, many acts. A simple deterministic link made when acts are stored.

The subject of a birth or death act, and each spouse of a marriage act, is a person. Two
acts are about one person when, in one script, they give the same folded given and family
name, the same birth date and the same parents (a marriage act names no parents: its
spouses link with other marriage acts only). Person ids are derived from the first key
that made them, so two registries holding the same acts give them the same ids; an
imported act keeps the `person_ids` it comes with.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from registry_loader.models import ActPersonRow, PersonKeyRow, utcnow
from registry_loader.names_index import cached_fold as fold
from registry_loader.rows import db_time, insert_rows

# The persons of an act of each type: (role, prefix of their field keys).
SUBJECTS: dict[str, tuple[tuple[str, str], ...]] = {
    "birth": (("subject", ""),),
    "death": (("subject", ""),),
    "marriage": (("husband", "husband_"), ("wife", "wife_")),
}
ROLE_ORDER = {"subject": 0, "husband": 1, "wife": 2}
_CHUNK = 500


@dataclass(frozen=True)
class ActPersons:
    """What linking needs of one act: the linking keys of each of its persons."""

    act_id: str
    keys: tuple[tuple[str, tuple[str, ...]], ...]  # (role, keys) of each person, in role order
    person_ids: Sequence[str] = ()  # given by an import: kept as they are

    @classmethod
    def of(
        cls,
        act_id: str,
        act_type: str | None,
        values: Mapping[str, str],
        person_ids: Sequence[str] = (),
    ) -> ActPersons:
        return cls(act_id, persons_keys(act_type, values, len(person_ids)), person_ids)


def persons_keys(
    act_type: str | None, values: Mapping[str, str], count: int = 0
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(role, linking keys) of each person of an act (see `roles`). Pure: bulk loads
    compute it in their parsing workers."""
    return tuple(
        (role, tuple(person_keys(values, prefix))) for role, prefix in roles(act_type, count)
    )


def roles(act_type: str | None, count: int = 0) -> list[tuple[str, str]]:
    """The persons' roles and key prefixes of an act type; `count` more roles when an
    import gives more person ids than the type has subjects."""
    known = list(SUBJECTS.get(act_type or "", ()))
    return known + [(f"person{i + 1}", "") for i in range(len(known), count)]


def person_keys(values: Mapping[str, str], prefix: str) -> list[str]:
    """The linking keys of one person of an act (one a script with given name, family name
    and birth date, and every parent the act names), as hex digests."""
    birth = values.get(f"{prefix}birth_date")
    if not birth:
        return []
    named = [
        p for p in ("father", "mother") if any(values.get(f"{p}_name_{s}") for s in ["ar", "fr"])
    ]
    keys = []
    for script in ("ar", "fr"):
        given = values.get(f"{prefix}given_name_{script}")
        family = values.get(f"{prefix}family_name_{script}")
        if not (given and family):
            continue
        parents = [values.get(f"{p}_name_{script}") or "" for p in ("father", "mother")]
        if not prefix and any(not values.get(f"{p}_name_{script}") for p in named):
            continue  # a parent named only in the other script: this one cannot tell
        parts = [script, fold(given), fold(family), birth.strip()]
        parts += [fold(p) for p in parents] if not prefix else ["", ""]
        keys.append(hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40])
    return keys


def link_persons(session: Session, acts: Sequence[ActPersons]) -> dict[str, list[str]]:
    """Link each act to its persons (in the caller's transaction): the person ids of each
    act, in role order."""
    wanted = [(act, role, keys) for act in acts for role, keys in act.keys]
    known = _known_keys(session, [k for *_, keys in wanted for k in keys])
    new_persons: dict[str, None] = {}
    new_keys: dict[str, str] = {}
    links: list[tuple[str, str, str]] = []
    out: dict[str, list[str]] = defaultdict(list)
    for act, role, keys in wanted:
        index = len(out[act.act_id])
        given = act.person_ids[index] if index < len(act.person_ids) else None
        person = given or next((known[k] for k in keys if k in known), None)
        if person is None:
            seed = keys[0] if keys else f"{act.act_id}\x1f{role}"
            person = "p" + hashlib.sha256(seed.encode()).hexdigest()[:24]
        new_persons[person] = None  # those already stored are ignored
        for key in keys:
            if key not in known:  # an import's own id never steals another person's key
                known[key] = new_keys[key] = person
        links.append((act.act_id, role, person))
        out[act.act_id].append(person)
    now = db_time(session, utcnow())
    insert_rows(
        session,
        "persons",
        ("id", "created_at"),
        [(p, now) for p in new_persons],
        ignore_duplicates=True,
    )
    insert_rows(
        session,
        "person_keys",
        ("key", "person_id"),
        list(new_keys.items()),
        ignore_duplicates=True,
    )
    insert_rows(session, "act_persons", ("act_id", "role", "person_id"), links)
    return dict(out)


def _known_keys(session: Session, keys: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    unique = list(dict.fromkeys(keys))
    for start in range(0, len(unique), _CHUNK):
        rows = session.execute(
            select(PersonKeyRow.key, PersonKeyRow.person_id).where(
                PersonKeyRow.key.in_(unique[start : start + _CHUNK])
            )
        )
        found.update({k: p for k, p in rows})
    return found


_PERSONS_OF = select(ActPersonRow.act_id, ActPersonRow.role, ActPersonRow.person_id).where(
    ActPersonRow.act_id.in_(bindparam("ids", expanding=True))
)  # built once: a search reads the persons of its 20 acts


def persons_of(session: Session, act_ids: Sequence[str]) -> dict[str, list[str]]:
    """The person ids of these acts, in role order."""
    out: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for start in range(0, len(act_ids), _CHUNK):
        for act_id, role, person in session.execute(
            _PERSONS_OF, {"ids": act_ids[start : start + _CHUNK]}
        ):
            out[act_id].append((ROLE_ORDER.get(role, len(ROLE_ORDER)), role, person))
    return {a: [p for *_, p in sorted(links)] for a, links in out.items()}
