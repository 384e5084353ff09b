"""The search index: the vocabulary of name words and one search document an act.

A name field's value is cut into words (`ocr.text.name_words`); each word, and each pair of
adjacent words read as one (Ben Jelloun / Benjelloun, نور الدين / نورالدين), is a *term*
of the vocabulary (`name_terms`), stored once with its folded form and its spelling keys.
An act's document (`act_names.tokens`) lists its terms with the role they fill (`g12`:
term 12 as a given name; `f` family name, `p` father, `m` mother: lower case, as both
indexes fold case), each term once more without its role (`t12`: a search that takes any
role asks the index for one token a term instead of four, and the index's cost grows with
the tokens asked), then its filter keys: `y<year>`, `k<act type>`, `c<commune hash>`.
The database indexes the documents (FTS5 on SQLite, a GIN tsvector index on PostgreSQL)
and the vocabulary (trigrams); `search.py` queries both.

Documents are written when acts are stored (`index_acts`) and rewritten whenever a name or
commune field changes through the ORM (a session hook, so that a reviewer's correction is
found at once); `index_missing` fills those of acts stored before the index existed.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from itertools import pairwise
from typing import Any

from sqlalchemy import delete, event, inspect, select, text
from sqlalchemy.orm import Session

from ocr.text import fold, name_skeletons, name_words, normalize, script_of
from registry_loader.fields import values as field_values
from registry_loader.models import ActNamesRow, ActRow, NameTermRow
from registry_loader.rows import execute_many, insert_rows

# Name fields and the role letter of their terms in a document.
ROLE_OF_KEY: dict[str, str] = {
    f"{field}_{script}": role
    for field, role in (
        ("given_name", "g"),
        ("family_name", "f"),
        ("husband_given_name", "g"),
        ("husband_family_name", "f"),
        ("wife_given_name", "g"),
        ("wife_family_name", "f"),
        ("father_name", "p"),
        ("mother_name", "m"),
    )
    for script in ("ar", "fr")
}
SUBJECT_ROLES = frozenset("gf")
ROLES = frozenset(ROLE_OF_KEY.values())
ANY_ROLE = "t"  # a term's token without its role
COMMUNE_KEYS = ("commune_ar", "commune_fr")
# Fields whose change rewrites the act's document.
INDEXED_KEYS = frozenset(ROLE_OF_KEY) | frozenset(COMMUNE_KEYS)

# Words that join name parts: never a term alone (they would match half the registry),
# but part of the pairs read as one word (Benjelloun, Elalaoui).
PARTICLES = frozenset(
    fold(w)
    for w in (
        *("بن", "بنت", "ابن", "ولد", "ايت", "آيت", "أيت", "ال"),
        *("ben", "bent", "bin", "ibn", "ould", "ait", "el", "al", "b", "l", "d"),
    )
)

_CHUNK = 500
_TERM_CACHE = "civreg_name_terms"


@lru_cache(maxsize=200_000)
def cached_fold(value: str) -> str:
    """`ocr.text.fold`, remembered: names repeat, and bulk loads fold each of them often."""
    return fold(value)


@lru_cache(maxsize=200_000)
def cached_normalize(value: str) -> str:
    return normalize(value)


@lru_cache(maxsize=200_000)
def field_terms(value: str) -> tuple[str, ...]:
    """The terms of one name value: its words but particles, then adjacent pairs joined."""
    words = name_words(value)
    terms = [w for w in words if cached_fold(w) not in PARTICLES]
    terms += [a + b for a, b in pairwise(words)]
    return tuple(dict.fromkeys(terms))


@contextmanager
def add_to_full_text(session: Session, table: str, column: str) -> Iterator[None]:
    """On SQLite, add the rows inserted into `table` inside to its FTS5 table
    (`<table>_fts`, indexing `column`), by one INSERT ... SELECT after them: a trigger a
    row made FTS5 ~5 times slower (a search document 31 -> 6 us, its row included).
    Rows get ids above the largest before them: the caller's transaction writes alone."""
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    conn = session.connection()
    last = conn.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {table}").scalar_one()
    yield
    conn.exec_driver_sql(
        f"INSERT INTO {table}_fts(rowid, {column}) SELECT id, {column} FROM {table} WHERE id > ?",
        (last,),
    )


@contextmanager
def index_scans(session: Session) -> Iterator[None]:
    """On PostgreSQL, steer the planner to bitmap scans of the search indexes for the
    statements run inside: it prices a tsquery of many alternatives, or a trigram `%`, as
    unselective and walks the whole table (or a whole b-tree), evaluating the operator row
    by row: 10-100 times slower. Set for the session's transaction, put back after."""
    if session.get_bind().dialect.name != "postgresql":
        yield
        return
    for setting in _BITMAP_ONLY:
        session.execute(text(f"SET LOCAL {setting} = off"))
    try:
        yield
    finally:
        for setting in _BITMAP_ONLY:
            session.execute(text(f"SET LOCAL {setting} TO DEFAULT"))


_BITMAP_ONLY = ("enable_seqscan", "enable_indexscan")


@lru_cache(maxsize=10_000)
def commune_token(name: str) -> str | None:
    """The filter token of a commune name (either script), or None for an empty name."""
    key = cached_fold(name)
    return "c" + hashlib.blake2b(key.encode(), digest_size=6).hexdigest() if key else None


def filter_tokens(
    act_type: str | None, year: int | None, communes: Iterable[str | None]
) -> list[str]:
    tokens = [f"k{act_type}"] if act_type else []
    if year is not None:
        tokens.append(f"y{year}")
    tokens += [t for c in communes if c and (t := commune_token(c))]
    return list(dict.fromkeys(tokens))


_TERM_COLUMNS = ("term", "folded", "script", "skeleton", "skeleton_alt", "acts")


def term_row(term: str) -> dict[str, Any]:
    keys = name_skeletons(term)
    return dict(
        term=term,
        folded=fold(term),
        script=script_of(term) or "fr",
        skeleton=keys[0] if keys else None,
        skeleton_alt=keys[1] if len(keys) > 1 else None,
        acts=0,
    )


def term_ids(session: Session, terms: Iterable[str]) -> dict[str, int]:
    """The vocabulary ids of `terms`, adding the new ones (in the caller's transaction)."""
    cache: dict[str, int] = session.info.setdefault(_TERM_CACHE, {})
    wanted = [t for t in dict.fromkeys(terms) if t not in cache]
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        cache.update(_select_ids(session, chunk))
        missing = [t for t in chunk if t not in cache]
        if missing:
            # Another writer may add the same term meanwhile (PostgreSQL): theirs is as good.
            rows = [tuple(term_row(t).values()) for t in missing]
            with add_to_full_text(session, "name_terms", "folded"):
                insert_rows(session, "name_terms", _TERM_COLUMNS, rows, ignore_duplicates=True)
            cache.update(_select_ids(session, missing))
    return {t: cache[t] for t in terms}


def _select_ids(session: Session, terms: list[str]) -> dict[str, int]:
    rows = session.execute(
        select(NameTermRow.term, NameTermRow.id).where(NameTermRow.term.in_(terms))
    )
    return {term: id_ for term, id_ in rows}


def forget_terms(session: Session) -> None:
    """Forget the term ids the session has seen: after a rollback (of a savepoint, too),
    those added since may not exist any more."""
    session.info.pop(_TERM_CACHE, None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_terms(session: Session, _previous: Any) -> None:
    forget_terms(session)


NameParts = tuple[tuple[str, ...], str]


def document_parts(values: Mapping[str, str], act_type: str | None, year: int | None) -> NameParts:
    """What an act's document is made of, from its values alone: its distinct terms, and
    its document with `{i}` where the id of term i goes. Pure: bulk loads compute it in
    their parsing workers, so that the loader only formats it with the ids."""
    places: dict[str, int] = {}  # term -> its place among the act's terms, first met first
    roles: dict[str, None] = {}
    for key, value in values.items():
        if key in ROLE_OF_KEY and value:
            role = ROLE_OF_KEY[key]
            for term in field_terms(value):
                roles[f"{role}{{{places.setdefault(term, len(places))}}}"] = None
    # Role tokens, then each term once without its role, then the filters: each part its
    # own (their first letters differ), in the order first met.
    filters = filter_tokens(act_type, year, [values.get(k) for k in COMMUNE_KEYS])
    tokens = [*roles, *[f"{ANY_ROLE}{{{i}}}" for i in range(len(places))]]
    tokens += [t.replace("{", "{{").replace("}", "}}") for t in filters]
    return tuple(places), " ".join(tokens)


def documents(session: Session, acts: Sequence[tuple[str, NameParts]]) -> list[tuple[str, str]]:
    """`act_names` rows for (act id, `document_parts`), adding the new terms."""
    used: Counter[str] = Counter()
    for _, (terms, _) in acts:
        used.update(terms)
    ids = term_ids(session, used)
    number = {term: str(id_) for term, id_ in ids.items()}  # as the tokens write it
    rows = [
        (act_id, document.format(*[number[term] for term in terms]))
        for act_id, (terms, document) in acts
    ]
    _count_uses(session, Counter({ids[term]: n for term, n in used.items()}))
    return rows


def _count_uses(session: Session, used: Counter[int]) -> None:
    """Add to each term's count of documents (one statement a batch)."""
    execute_many(
        session,
        "UPDATE name_terms SET acts = acts + ? WHERE id = ?",
        [(n, t) for t, n in sorted(used.items())],
    )


def index_acts(
    session: Session,
    acts: list[tuple[str, Mapping[str, str], str | None, int | None]],
    *,
    replace: bool = False,
) -> None:
    """Write the documents of these acts (in the caller's transaction); `replace` first
    removes the ones they have."""
    parts = [(act_id, document_parts(values, t, y)) for act_id, values, t, y in acts]
    write_documents(session, parts, replace=replace)


def role_tokens(document: str) -> list[str]:
    """A document's tokens of terms in their roles: those before its role-less ones."""
    return document.split(" " + ANY_ROLE, 1)[0].split()


def write_documents(
    session: Session, acts: Sequence[tuple[str, NameParts]], *, replace: bool = False
) -> None:
    """`index_acts` from `document_parts`."""
    rows = documents(session, acts)
    if replace:
        ids = [act_id for act_id, _ in rows]
        for start in range(0, len(ids), _CHUNK):
            session.execute(
                delete(ActNamesRow).where(ActNamesRow.act_id.in_(ids[start : start + _CHUNK]))
            )
    with add_to_full_text(session, "act_names", "tokens"):
        insert_rows(session, "act_names", ("act_id", "tokens"), rows)


def reindex_acts(session: Session, act_ids: Iterable[str]) -> None:
    """Rewrite the documents of these acts from their current field values."""
    ids = list(dict.fromkeys(act_ids))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        acts = session.execute(
            select(ActRow.id, ActRow.act_type, ActRow.register_year, ActRow.fields).where(
                ActRow.id.in_(chunk)
            )
        ).all()
        index_acts(
            session,
            [(a.id, field_values(a.fields), a.act_type, a.register_year) for a in acts],
            replace=True,
        )


def index_missing(session: Session, *, batch: int = 2000) -> int:
    """Write the documents of acts that have none (stored before the index existed), and
    commit; the number of acts indexed."""
    done = 0
    while True:
        missing = list(
            session.scalars(
                select(ActRow.id)
                .where(~select(ActNamesRow.id).where(ActNamesRow.act_id == ActRow.id).exists())
                .limit(batch)
            )
        )
        if not missing:
            return done
        reindex_acts(session, missing)
        session.commit()
        done += len(missing)


# --- Keeping documents in step with ORM changes --------------------------------------------

_STALE = "civreg_stale_documents"


@event.listens_for(Session, "before_flush")
def _note_changes(session: Session, _context: Any, _instances: Any) -> None:
    stale: set[str] = session.info.setdefault(_STALE, set())
    for obj in session.dirty:
        if isinstance(obj, ActRow) and (
            _changed(obj, "act_type", "register_year") or _names_changed(obj)
        ):
            stale.add(obj.id)


def _names_changed(row: ActRow) -> bool:
    """Whether a name or commune value of the act's field document changed."""
    history = inspect(row).attrs.fields.history
    if not history.has_changes():
        return False
    old = field_values(history.deleted[0] if history.deleted else {})
    new = field_values(history.added[0] if history.added else {})
    return any(old.get(key) != new.get(key) for key in INDEXED_KEYS)


def _changed(obj: Any, *attributes: str) -> bool:
    state = inspect(obj)
    return any(state.attrs[a].history.has_changes() for a in attributes)


@event.listens_for(Session, "after_flush")
def _rewrite_stale(session: Session, _context: Any) -> None:
    stale = session.info.pop(_STALE, None)
    if stale:  # acts deleted in this flush have no document to rewrite: reindex skips them
        reindex_acts(session, stale)
