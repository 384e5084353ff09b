"""A first search of the registry: names (both scripts) or act numbers, in SQL.

A query of digits finds acts by number. Any other query is cut into words; every word must
match a name field of the act, exactly (normalised), after folding, or as the start of a
folded word, in that order of rank; a match on the act's subject counts a little more than
one on a parent's name. A later version replaces the LIKE scans with FTS5 / pg_trgm.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, case, desc, func, literal, or_, select
from sqlalchemy.orm import Session

from ocr.text import fold, normalize
from records import Act
from registry_loader.export import ACT_ORDER, get_acts
from registry_loader.models import ActRow, FieldValueRow
from registry_loader.store import number_key

# Names of the act's subject(s), then of their parents, in both scripts.
SUBJECT_NAME_KEYS = tuple(
    f"{name}_{script}"
    for name in (
        "given_name",
        "family_name",
        "husband_given_name",
        "husband_family_name",
        "wife_given_name",
        "wife_family_name",
    )
    for script in ("ar", "fr")
)
PARENT_NAME_KEYS = tuple(
    f"{name}_{script}" for name in ("father_name", "mother_name") for script in ("ar", "fr")
)
NAME_KEYS = SUBJECT_NAME_KEYS + PARENT_NAME_KEYS

EXACT, FOLDED, PREFIX = 3, 2, 1
LEVEL_NAMES = {EXACT: "exact", FOLDED: "folded", PREFIX: "prefix"}
# A word's points: 2 * level, +1 on a subject's name. Exact on a parent still beats
# folded on the subject.
BEST = 2 * EXACT + 1


@dataclass
class SearchHit:
    act: Act
    score: float  # in (0, 1]: 1 when every word matched a subject's name exactly
    why: list[str]


@dataclass(frozen=True)
class Word:
    """One word of the query: its normalised form and its folded form (which punctuation
    may split: m'hamed -> "m hamed")."""

    norm: str
    folded: str


def query_words(query: str) -> list[Word]:
    words = (Word(w, fold(w)) for w in normalize(query).split())
    return [w for w in words if w.folded]


def is_number_query(query: str) -> bool:
    text = normalize(query).replace(" ", "")
    return text.isascii() and text.isdigit()


def search(
    session: Session,
    query: str,
    *,
    act_type: str | None = None,
    years: tuple[int, int] | None = None,
    commune: str | None = None,
    limit: int = 20,
    include_rejected: bool = False,
) -> list[SearchHit]:
    """Acts matching `query`, best first; ties in register and act-number order."""
    if limit <= 0:
        return []
    filters = _filters(act_type, years, commune, include_rejected)
    if is_number_query(query):
        stmt = select(ActRow.id, literal(BEST).label("points")).where(
            ActRow.act_number == number_key(query), *filters
        )
        words: list[Word] = []
    else:
        words = query_words(query)
        if not words:
            return []
        stmt = _name_query(words, filters)
    rows = session.execute(stmt.order_by(desc("points"), *ACT_ORDER).limit(limit))
    ranked = [(act_id, points) for act_id, points in rows]
    acts = get_acts(session, (act_id for act_id, _ in ranked))
    denominator = BEST * max(len(words), 1)
    return [
        SearchHit(
            act=acts[act_id],
            score=points / denominator,
            why=_why(acts[act_id], words) if words else [f"act_number = {number_key(query)}"],
        )
        for act_id, points in ranked
    ]


def _filters(
    act_type: str | None,
    years: tuple[int, int] | None,
    commune: str | None,
    include_rejected: bool,
) -> list[ColumnElement[bool]]:
    filters: list[ColumnElement[bool]] = []
    if act_type:
        filters.append(ActRow.act_type == normalize(act_type))
    if years:
        low, high = sorted(years)
        filters.append(ActRow.register_year.between(low, high))
    if commune and (key := fold(commune)):
        named = select(FieldValueRow.act_id).where(
            FieldValueRow.key.in_(("commune_ar", "commune_fr")), FieldValueRow.folded == key
        )
        filters.append(or_(ActRow.commune_key == key, ActRow.id.in_(named)))
    if not include_rejected:
        filters.append(ActRow.status != "rejected")
    return filters


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _name_query(words: list[Word], filters: list[ColumnElement[bool]]) -> Select[tuple[str, int]]:
    """act id and points of the acts where every word matches a name field."""
    fv = FieldValueRow
    norm = literal(" ") + fv.norm + literal(" ")
    folded = literal(" ") + fv.folded + literal(" ")
    starts = literal(" ") + fv.folded
    subject = case((fv.key.in_(SUBJECT_NAME_KEYS), 1), else_=0)
    matches = []
    for i, word in enumerate(words):
        exact = norm.like(f"% {_like_escape(word.norm)} %", escape="\\")
        same_fold = folded.like(f"% {_like_escape(word.folded)} %", escape="\\")
        prefix = starts.like(f"% {_like_escape(word.folded)}%", escape="\\")
        level = case((exact, EXACT), (same_fold, FOLDED), else_=PREFIX)
        matches.append(
            select(fv.act_id.label("act_id"), func.max(level * 2 + subject).label("points"))
            .where(fv.key.in_(NAME_KEYS), prefix)  # the weakest match: every match passes it
            .group_by(fv.act_id)
            .subquery(f"w{i}")
        )
    first = matches[0]
    stmt = select(ActRow.id, sum((m.c.points for m in matches[1:]), first.c.points).label("points"))
    stmt = stmt.join(first, first.c.act_id == ActRow.id)
    for m in matches[1:]:
        stmt = stmt.join(m, m.c.act_id == ActRow.id)
    return stmt.where(*filters)


def _level(word: Word, value: str) -> int:
    """The same match levels as the SQL, for one value (explains a hit)."""
    norm, folded = f" {normalize(value)} ", f" {fold(value)} "
    if f" {word.norm} " in norm:
        return EXACT
    if f" {word.folded} " in folded:
        return FOLDED
    if f" {word.folded}" in folded:
        return PREFIX
    return 0


def _why(act: Act, words: list[Word]) -> list[str]:
    """For each word, the best name field it matched and how."""
    reasons = []
    for word in words:
        scored = [
            (_level(word, fv.value) * 2 + (key in SUBJECT_NAME_KEYS), key)
            for key, fv in act.fields.items()
            if key in NAME_KEYS
        ]
        points, key = max(scored, default=(0, ""))
        if points:
            reasons.append(f"{word.norm}: {LEVEL_NAMES[points // 2]} match on {key}")
    return reasons
