"""Expand one word of a search query into the vocabulary terms it may mean, with scores.

Candidates come from the database's own indexes on `name_terms`: the same folded form, the
same spelling key in either script (`ocr.text.name_skeletons`), the spellings
arabic-name-romanizer attests (`spellings.py`), terms that start with the word, and
trigram-close terms (FTS5 trigram table on SQLite, pg_trgm on PostgreSQL); a close term
(a typo corrected) leads on to the terms of its spelling key in the other script. Scores:

- same script: 1 exact, 0.97 the same folded form (accents, hamza, case), 0.8 a longer
  name starting with the word, else the normalised Indel similarity of the folded forms
  (+0.1, at most 0.95, when a spelling key of 3 classes or more agrees: Mohamed / Mhamed);
- other script (`cross_score`): 1 for a spelling commonly attested for the Arabic name
  (محمد / Mohamed, فيصل / Faycal); with the same spelling key of three classes or more,
  0.7 + 0.3 x the similarity to the closest common spelling (محمد / Mhamed 0.98, محمد /
  Mahmoud 0.87) or, for a name the dictionary does not know, to its letter-by-letter
  rendering (`rough_latin`); with a key of two classes, 0.6 + 0.4 x it; otherwise (a
  one-class key says little: علي, ليلى: "L") 0.95 x the similarity to a common spelling
  (a typo: Mohamef 0.81).

`validation.names.transliteration_score` is finer but runs the romanizer's neural model on
each new Arabic word (~25 ms): too slow for interactive search over a large vocabulary.
Terms scoring under `MIN_SCORE` are dropped; a word keeps its `MAX_TERMS` best in each
script.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from rapidfuzz.distance import Indel
from sqlalchemy import Row, bindparam, text
from sqlalchemy.orm import Session

from ocr.text import fold, name_skeletons, name_words, script_of
from registry_loader.names_index import index_scans
from registry_loader.spellings import COMMON, latin_spellings, near, other_script

MIN_SCORE = 0.8
MAX_TERMS = 40  # a script
MAX_PREFIXES = 5
EXACT, FOLDED, PREFIX = 1.0, 0.97, 0.8
KEY_BONUS, KEY_CAP = 0.1, 0.95
HOP = 0.8  # a same-script term this close leads on to its spelling key in the other script
_PREFIX_LIMIT = 20
_TRIGRAM_LIMIT = 40
_TRIGRAM_CANDIDATES = 300  # SQLite: counted, not ranked: more of them
_KEY_LIMIT = 500


class Match(NamedTuple):
    """A vocabulary term a query word may mean."""

    term: str
    score: float
    kind: str  # exact, folded, prefix, spelling variant, similar spelling, transliteration
    acts: int = 0  # documents that held the term: to keep common spellings over misreadings


@dataclass(frozen=True)
class _Query:
    term: str  # `normalize` form, words joined
    folded: str  # no spaces
    script: str
    keys: frozenset[str]

    @classmethod
    def of(cls, phrase: str) -> _Query | None:
        words = name_words(phrase)
        term = "".join(words)
        folded = fold(term).replace(" ", "")
        if not folded:
            return None
        keys = frozenset(name_skeletons(" ".join(words)))
        return cls(term, folded, script_of(term) or "fr", keys)

    @classmethod
    def of_row(cls, row: Row) -> _Query:
        keys = frozenset(k for k in (row.skeleton, row.skeleton_alt) if k)
        return cls(row.term, row.folded.replace(" ", ""), row.script, keys)


def vocabulary_version(session: Session) -> tuple[str, int, str]:
    """Changes whenever terms are added (they are never removed or changed): the key under
    which expansions are remembered."""
    last = session.execute(_LAST_TERM).first()
    url = session.get_bind().url.render_as_string(hide_password=True)
    return (url, last.id, last.term) if last else (url, 0, "")


_LAST_TERM = text("SELECT id, term FROM name_terms ORDER BY id DESC LIMIT 1")


def clear_cache() -> None:
    """Forget every expansion (a registry opened anew may be another database)."""
    _CACHE.clear()


_CACHE: dict[tuple, tuple[tuple, ...]] = {}
_CACHE_SIZE = 50_000


def expand(
    session: Session, alternatives: list[str], version: tuple | None = None
) -> dict[int, Match]:
    """Term id -> match for a query word; `alternatives[0]` is the word, the others the
    word joined with a neighbour (looked up by folded form and spelling key only).
    With a `vocabulary_version`, expansions are remembered until the vocabulary grows."""
    best: dict[int, Match] = {}
    for i, phrase in enumerate(alternatives):
        for term_id, match in _expand_phrase(session, phrase, i == 0, version).items():
            if term_id not in best or match.score > best[term_id].score:
                best[term_id] = match
    # Longer names that start with the word (or hold it joined to a neighbour's name) are
    # many and weak: the shortest few only.
    prefixes = sorted(
        (m for m in best.items() if m[1].kind == "prefix"), key=lambda m: len(m[1].term)
    )
    for term_id, _ in prefixes[MAX_PREFIXES:]:
        del best[term_id]
    # The best of each script apart: a large registry holds many misspellings in the
    # query's own script, which must not crowd out the other script's spellings.
    ranked = sorted(best.items(), key=lambda item: -_keep(item[1]))
    kept: dict[int, Match] = {}
    for same in (True, False):
        mine = [item for item in ranked if (item[1].kind != "transliteration") == same]
        kept.update(mine[:MAX_TERMS])
    return kept


def _expand_phrase(
    session: Session, phrase: str, thorough: bool, version: tuple | None
) -> dict[int, Match]:
    key = (version, phrase, thorough)
    if version is not None and (cached := _CACHE.get(key)) is not None:
        return {term_id: Match(*rest) for term_id, *rest in cached}
    query = _Query.of(phrase)
    matches = {} if query is None else _expand(session, query, thorough=thorough)
    if version is not None:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.clear()
        # Plain tuples, which the garbage collector stops tracking: a server remembers
        # tens of thousands of matches, and every full collection walked them (~40 ms).
        _CACHE[key] = tuple((term_id, *match) for term_id, match in matches.items())
    return matches


def _expand(session: Session, query: _Query, *, thorough: bool) -> dict[int, Match]:
    rows: dict[int, Row] = {}
    with index_scans(session):
        for stmt, params in _lookups(session, query, thorough):
            result = session.execute(stmt, params).all()
            if stmt is _TRIGRAMS_PG or params.get("n") == _TRIGRAM_CANDIDATES:
                result = _closest(query.folded, result)
            rows.update((row.id, row) for row in result)
    found: dict[int, Match] = {}
    hops: list[tuple[_Query, float]] = []  # close same-script terms with another key
    for row in rows.values():
        match = _score(query, row)
        if match is None:
            continue
        found[row.id] = match
        if row.script == query.script and match.score >= HOP:
            corrected = _Query.of_row(row)
            if corrected.keys - query.keys:
                hops.append((corrected, match.score))
    if hops:
        by_key: dict[str, list[tuple[_Query, float]]] = {}
        for hop in hops:
            for key in hop[0].keys - query.keys:
                by_key.setdefault(key, []).append(hop)
        params = {"keys": sorted(by_key), "script": query.script, "n": _KEY_LIMIT}
        for row in session.execute(_BY_KEYS[False], params):
            row_keys = {row.skeleton, row.skeleton_alt}
            tried: set[int] = set()
            for key in row_keys:
                for corrected, via in by_key.get(key, ()):  # type: ignore[arg-type]
                    current = found.get(row.id)
                    if id(corrected) in tried or (current and current.score >= via):
                        continue  # a hop scores at most `via`
                    tried.add(id(corrected))
                    score = via * cross_score(corrected, row.term, row.folded, row_keys)
                    if score >= MIN_SCORE and (current is None or score > current.score):
                        found[row.id] = Match(row.term, score, "transliteration", row.acts)
    return found


# The look-ups, written once: plain statements with bound (expanding) parameters compile
# once, where building them with the expression language cost more than running them.
_SELECT = "SELECT id, term, folded, script, skeleton, skeleton_alt, acts FROM name_terms"
_EXACT = text(f"{_SELECT} WHERE folded IN :folded").bindparams(bindparam("folded", expanding=True))
_BY_KEYS = {
    same: text(
        f"{_SELECT} WHERE (skeleton IN :keys OR skeleton_alt IN :keys) "
        f"AND script {'=' if same else '!='} :script ORDER BY acts DESC LIMIT :n"
    ).bindparams(bindparam("keys", expanding=True))
    for same in (False, True)
}
_PREFIX = text(f"{_SELECT} WHERE folded > :low AND folded < :high LIMIT :n")
_TRIGRAMS_PG = text(f"{_SELECT} WHERE folded % :folded ORDER BY folded <-> :folded LIMIT :n")


def _lookups(session: Session, query: _Query, thorough: bool) -> list[tuple[Any, dict]]:
    """Statements and parameters for the candidate terms: by folded form and attested
    spelling (never cut), by spelling key (the other script's first, each cut at
    `_KEY_LIMIT`); then (thorough) by prefix and by trigrams."""
    exact = [query.folded]
    if thorough:
        # Spellings the dictionary attests, of the word or, for a word it does not know,
        # of a name one typo from it (`near`: ~2 ms, and a known name's neighbours are
        # other names: Hamid / Hamed).
        known = other_script(query.folded, query.script)
        exact += known
        if not known:
            for name in near(query.folded, query.script):
                exact += other_script(name, query.script)
    lookups: list[tuple[Any, dict]] = [(_EXACT, {"folded": list(dict.fromkeys(exact))})]
    if query.keys:
        keys = sorted(query.keys)
        for same in (False, True):
            params = {"keys": keys, "script": query.script, "n": _KEY_LIMIT}
            lookups.append((_BY_KEYS[same], params))
    if thorough and len(query.folded) >= 3:
        upper = query.folded[:-1] + chr(ord(query.folded[-1]) + 1)
        lookups.append((_PREFIX, {"low": query.folded, "high": upper, "n": _PREFIX_LIMIT}))
        lookups.append(_trigram_lookup(session, query.folded))
    return lookups


def _keep(match: Match) -> float:
    """Which matches a word keeps: by score, a common spelling a little ahead of a rare one
    (a misreading of a common name may score as high as a rare, right spelling)."""
    return match.score + 0.03 * math.log10(1 + match.acts)


def _trigram_lookup(session: Session, folded: str) -> tuple[Any, dict]:
    """The terms sharing the most trigrams with `folded`, through the trigram index.

    SQLite: the terms of each trigram from the FTS5 table, counted (ties: the older
    term, usually the more common); ranking them with bm25 instead (`ORDER BY rank`) cost
    10-20 ms a word with 130,000 terms, counting 2-5 ms. PostgreSQL: pg_trgm's `%` and
    `<->`."""
    if session.get_bind().dialect.name == "postgresql":
        return _TRIGRAMS_PG, {"folded": folded, "n": _TRIGRAM_LIMIT}
    grams = list(dict.fromkeys(folded[i : i + 3] for i in range(len(folded) - 2)))
    params: dict[str, Any] = {f"g{i}": f'"{g}"' for i, g in enumerate(grams)}
    params["n"] = _TRIGRAM_CANDIDATES
    return _trigrams_sqlite(len(grams)), params


def _closest(folded: str, rows: list[Row]) -> list[Row]:
    """The `_TRIGRAM_LIMIT` rows closest to `folded` (the more used first among equals)."""
    similarity = Indel.normalized_similarity
    scored = sorted(
        rows, key=lambda row: (-similarity(folded, row.folded.replace(" ", "")), -row.acts)
    )
    return scored[:_TRIGRAM_LIMIT]


@lru_cache(maxsize=64)
def _trigrams_sqlite(count: int) -> Any:
    each = " UNION ALL ".join(
        f"SELECT rowid AS id FROM name_terms_fts WHERE name_terms_fts MATCH :g{i}"
        for i in range(count)
    )
    return text(
        f"{_SELECT} WHERE id IN (SELECT id FROM ({each}) GROUP BY id "
        "ORDER BY count(*) DESC, id LIMIT :n)"
    )


def _score(query: _Query, row: Row) -> Match | None:
    if row.script != query.script:
        keys = {row.skeleton, row.skeleton_alt}
        score = cross_score(query, row.term, row.folded.replace(" ", ""), keys)
        return Match(row.term, score, "transliteration", row.acts) if score >= MIN_SCORE else None
    if row.term == query.term:
        return Match(row.term, EXACT, "exact", row.acts)
    if row.folded == query.folded:
        return Match(row.term, FOLDED, "folded", row.acts)
    if len(query.folded) >= 3 and row.folded.startswith(query.folded):
        return Match(row.term, PREFIX, "prefix", row.acts)
    similarity = Indel.normalized_similarity(query.folded, row.folded)
    if _strong_keys(query.keys & {row.skeleton, row.skeleton_alt}):
        score, kind = min(KEY_CAP, similarity + KEY_BONUS), "spelling variant"
    else:
        score, kind = similarity, "similar spelling"
    return Match(row.term, score, kind, row.acts) if score >= MIN_SCORE else None


def cross_score(query: _Query, other: str, other_folded: str, other_keys: set) -> float:
    """How well a term of the other script writes the same name (see the module doc)."""
    if query.script == "ar":
        arabic, latin = query.folded, other_folded
    else:
        arabic, latin = other_folded, query.folded
    attested, common, closest = _closeness(arabic, latin)
    if attested:
        return 1.0
    shared = max((len(key) for key in query.keys & other_keys if key), default=0)
    if shared >= 3:
        return 0.7 + 0.3 * closest
    if shared == 2:  # two consonant classes: weaker evidence (Werghi / الورغي: "RK")
        return 0.6 + 0.4 * closest
    # No key, or one of a single class, which half the names share (علي, ليلى: "L").
    return 0.95 * closest if common else 0.0


@lru_cache(maxsize=200_000)
def _closeness(arabic: str, latin: str) -> tuple[bool, bool, float]:
    """(`latin` is a common spelling of `arabic`, `arabic` has common spellings, the
    similarity of `latin` to the closest of them or else to `rough_latin(arabic)`)."""
    spellings = latin_spellings(arabic)
    if spellings.get(latin, 0.0) >= COMMON:
        return True, True, 1.0
    common = [s for s, share in spellings.items() if share >= COMMON]
    references = common or rough_latin(arabic)  # a name the dictionary does not know
    closest = max(Indel.normalized_similarity(latin, s) for s in references)
    return False, bool(common), closest


_ROUGH = str.maketrans(
    {
        "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ء": "", "ؤ": "ou", "ئ": "i",
        "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d",
        "ذ": "dh", "ر": "r", "ز": "z", "س": "s", "ش": "ch", "ص": "s", "ض": "d",
        "ط": "t", "ظ": "dh", "ع": "a", "غ": "gh", "ف": "f", "ق": "k", "ك": "k",
        "ل": "l", "م": "m", "ن": "n", "ه": "h", "و": "ou", "ي": "i", "ى": "a", "ة": "a",
    }
)  # fmt: skip


@lru_cache(maxsize=100_000)
def rough_latin(arabic: str) -> tuple[str, ...]:
    """Letter-by-letter French renderings of an Arabic name (folded): with and without
    its article. Crude, short vowels unwritten, but close enough to rank candidates of a
    name the dictionary does not know (الورغي: ourghi, elourghi ~ Werghi)."""
    out = [arabic.translate(_ROUGH)]
    if arabic.startswith("ال") and len(arabic) > 3:
        out += [arabic[2:].translate(_ROUGH), "el" + arabic[2:].translate(_ROUGH)]
    return tuple(out)


def _strong_keys(shared: Iterable[str | None]) -> bool:
    """Some shared spelling key of three consonant classes or more."""
    return any(key and len(key) >= 3 for key in shared)
