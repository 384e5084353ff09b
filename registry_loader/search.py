"""Search the registry: names in either script (spelling variants, transliterations, typos)
or act numbers, with filters by act type, years and commune.

A query of digits finds acts by number. Otherwise each word of the query (particles such
as ben, bent, el, بن aside) is *expanded* into the vocabulary terms it may mean
(`expand.py`): the same word, its folded form, terms that start with it, terms with the
same spelling key in either script (محمد ~ Mohamed ~ Mhamed), trigram-close terms (typos)
and spellings the romanizer attests; each with a score. The database then finds the acts
whose search document holds, for every word, one of its terms (FTS5 MATCH on SQLite, a
tsquery on PostgreSQL's GIN index), the year and commune filters included (the act type,
which most documents share, is checked on the document's tokens); Python ranks those
candidates from their documents alone and reads the act rows (status, register, number)
of those that may make the cut. A commune filter that selects few acts (`FILTERED_SCAN`,
counted through the register index of `acts`) has them all ranked instead, without the
full-text index.

Ranking: a word scores its best term on the act (1 exact, 0.97 folded, below that by
spelling distance or, across scripts, attested spellings: `expand.py`), a little more on
the subject's own names than on a parent's; an act scores the mean over the words, in
(0, 1]. Ties come in register and act-number order. Candidates are fetched in rounds,
cheapest first (`_stages`: the subject's names with the best terms, any role with strong
terms, all words but one strong, everything); a later round runs only when it could still
change the top `limit`. A round with more candidates than it may fetch (`CANDIDATES` on
the subject's names, where they are all about equally good; `CANDIDATES_ANY_ROLE`
otherwise) is ranked on the first the index gives.

Cost (1M acts, SQLite): an FTS5 OR costs a step per alternative for every document it
passes, and a word has up to 80 terms in four roles; a round that ANDs a few such groups
over the whole index takes 20-70 ms. The statements are written once as text (building
them with the expression language cost more than running the small ones).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import ColumnElement, Row, TextClause, bindparam, select, text
from sqlalchemy.orm import Session

from ocr.text import fold, name_words, normalize
from records import ACT_TYPES, Act
from registry_loader.expand import Match, expand, vocabulary_version
from registry_loader.export import ACT_ORDER, get_acts
from registry_loader.models import ActRow, RegisterRow
from registry_loader.names_index import (
    ANY_ROLE,
    PARTICLES,
    ROLE_OF_KEY,
    ROLES,
    SUBJECT_ROLES,
    commune_token,
    field_terms,
    index_scans,
    role_tokens,
)
from registry_loader.store import number_key

CANDIDATES = 300
CANDIDATES_ANY_ROLE = 2000
TIES = 200  # acts tied with the last one kept read at most to order them (a read each)
FILTERED_SCAN = 500  # acts: a commune filter selecting no more has them all ranked
SUBJECT_BONUS = 0.02
BEST = 1 + SUBJECT_BONUS
TOP, STRONG = 0.97, 0.9  # the first stages use only terms scoring this or more
# Keyword arguments of `search` that name one part of a name.
PARTS = {"given": "g", "family": "f", "father": "p", "mother": "m"}


@dataclass
class SearchHit:
    act: Act
    score: float  # in (0, 1]: 1 when every word matched a subject's name exactly
    why: list[str]


@dataclass
class Word:
    """One word of the query that an act must match, and where."""

    text: str
    roles: str  # role letters it may match
    alternatives: list[str]  # the word, and with a neighbour as one (Ben Jelloun)
    matches: dict[int, Match] = field(default_factory=dict)  # term id -> match


def is_number_query(query: str) -> bool:
    text_ = normalize(query).replace(" ", "")
    return text_.isascii() and text_.isdigit()


def query_words(query: str, roles: str = "gfpm") -> list[Word]:
    """The words an act must match: particles only join their neighbours."""
    words = name_words(query)
    out = []
    for i, word in enumerate(words):
        if fold(word) in PARTICLES or not fold(word):
            continue
        alternatives = [word]
        if i > 0:
            alternatives.append(words[i - 1] + word)
        if i + 1 < len(words):
            alternatives.append(word + words[i + 1])
        out.append(Word(word, roles, alternatives))
    return out


def search(
    session: Session,
    query: str = "",
    *,
    act_type: str | None = None,
    years: tuple[int, int] | None = None,
    commune: str | None = None,
    limit: int = 20,
    include_rejected: bool = False,
    given: str | None = None,
    family: str | None = None,
    father: str | None = None,
    mother: str | None = None,
) -> list[SearchHit]:
    """Acts matching `query` (any name of the act) and the name parts given apart
    (`given`, `family`, `father`, `mother`: that name only), best first."""
    if limit <= 0:
        return []
    parts = {"given": given, "family": family, "father": father, "mother": mother}
    if is_number_query(query) and not any(parts.values()):
        return _by_number(session, query, act_type, years, commune, limit, include_rejected)
    words = query_words(query)
    for name, value in parts.items():
        if value:
            words += query_words(value, PARTS[name])
    if not words:
        return []
    version = vocabulary_version(session)
    for word in words:
        word.matches = expand(session, word.alternatives, version)
        if not word.matches:
            return []
    filters = _filters(session, act_type, years, commune)
    if filters is None:
        return []
    ranked = _rank(session, words, filters, limit, include_rejected)
    acts = get_acts(session, (act_id for act_id, _ in ranked))
    terms = [_by_term(word) for word in words]
    return [
        SearchHit(act=acts[act_id], score=score / BEST, why=_why(acts[act_id], words, terms))
        for act_id, score in ranked
    ]


# A name in each script: what a first search loads (the romanizer's tables, the name keys,
# the compiled statements) is loaded by these.
WARM_UP_QUERIES = ("محمد العلوي", "Fatima Zahra Bennani")


def warm_up(session: Session) -> None:
    """Search once in each script, so that a server's first clerk does not wait for what
    the first search loads."""
    for query in WARM_UP_QUERIES:
        search(session, query, limit=1)


def settle_heap() -> None:
    """Set what is loaded so far (modules, lexicons, the romanizer's tables) aside from
    garbage collection, after `warm_up` in a process that searches for long (the server):
    it lives as long as the process, and every full collection would walk it again (at 1M
    acts, collections of 83-170 ms landing on single searches; 33-57 ms once frozen)."""
    gc.collect()
    gc.freeze()


# --- Act numbers ----------------------------------------------------------------------------


def _by_number(
    session: Session,
    query: str,
    act_type: str | None,
    years: tuple[int, int] | None,
    commune: str | None,
    limit: int,
    include_rejected: bool,
) -> list[SearchHit]:
    """Acts with this number; with a commune, through the identity index (commune, type,
    year, number)."""
    number = number_key(query)
    filters: list[ColumnElement[bool]] = [ActRow.act_number == number]
    if act_type:
        filters.append(ActRow.act_type == normalize(act_type))
    elif commune:  # every type: lets the identity index serve the look-up
        filters.append(ActRow.act_type.in_(ACT_TYPES))
    if years:
        low, high = sorted(years)
        filters.append(ActRow.register_year.between(low, high))
    if commune:
        keys = _commune_keys(session, commune)
        if not keys:
            return []
        filters.append(ActRow.commune_key.in_(keys))
    if not include_rejected:
        filters.append(ActRow.status != "rejected")
    ids = list(session.scalars(select(ActRow.id).where(*filters).order_by(*ACT_ORDER).limit(limit)))
    acts = get_acts(session, ids)
    why = [f"act_number = {number}"]
    return [SearchHit(act=acts[i], score=1.0, why=list(why)) for i in ids if i in acts]


def _commune_keys(session: Session, commune: str) -> list[str]:
    """The commune keys of acts of this commune (either script): its folded name, and the
    keys of registers that know it by that Arabic name."""
    key = fold(commune)
    if not key:
        return []
    known = session.scalars(
        select(RegisterRow.commune_key).where(RegisterRow.commune_ar_key == key).distinct()
    )
    return list(dict.fromkeys([key, *known]))


# --- Names -----------------------------------------------------------------------------------


def _filter_tokens(
    act_type: str | None, years: tuple[int, int] | None, commune: str | None
) -> list[list[str]] | None:
    """Groups of filter tokens (one of each group must be in the document), or None when a
    filter can match nothing."""
    groups = []
    if act_type:
        groups.append([f"k{normalize(act_type)}"])
    if years:
        low, high = sorted(years)
        groups.append([f"y{year}" for year in range(low, high + 1)])
    if commune:
        token = commune_token(commune)
        if token is None:
            return None
        groups.append([token])
    return groups


@dataclass
class _Filters:
    """What the filters ask of an act: tokens of its document (one of each group), and
    the same on the act's row (its register's commune keys)."""

    groups: list[list[str]]
    act_type: str | None
    years: tuple[int, int] | None
    commune_keys: list[str] | None

    def matching(self) -> list[list[str]]:
        """The groups the full-text index looks up: all but the act type, which most
        documents share (its list is the longest of all): the act row checks it."""
        return [g for g in self.groups if not g[0].startswith("k")]


def _filters(
    session: Session, act_type: str | None, years: tuple[int, int] | None, commune: str | None
) -> _Filters | None:
    groups = _filter_tokens(act_type, years, commune)
    if groups is None:
        return None
    return _Filters(
        groups,
        normalize(act_type) if act_type else None,
        tuple(sorted(years)) if years else None,  # type: ignore[arg-type]
        _commune_keys(session, commune) if commune else None,
    )


@dataclass
class _Stage:
    """One round of candidates: the index queries (each: a word's tokens, for every
    word), and what an act left for later rounds must lack: some `weak` words with no
    token among `strong`. `narrow`: queries for the same new candidates once the acts
    matching `strong` for every word are all found (a word's weak tokens alone)."""

    queries: list[list[dict[str, float]]]
    strong: list[dict[str, float]]
    weak: int
    cap: int
    narrow: list[list[dict[str, float]]] | None = None


def _tokens(word: Word, roles_of: frozenset[str] | None, least: float) -> dict[str, float]:
    """The word's tokens (role and term) scoring `least` or more, on `roles_of` (if the
    word may match them), with their scores."""
    roles = word.roles
    if roles_of is not None:
        roles = "".join(r for r in word.roles if r in roles_of) or word.roles
    return {
        f"{role}{term}": m.score + (SUBJECT_BONUS if role in SUBJECT_ROLES else 0)
        for term, m in word.matches.items()
        if m.score >= least
        for role in roles
    }


def _stages(words: list[Word]) -> tuple[list[_Stage], list[dict[str, float]]]:
    """The rounds, cheapest first: the subject's names with the best terms (exact,
    folded, common transliterations), then with strong terms; any role with strong terms;
    all but one word strong (a weak cross-script match or a typo in one name); every
    term. And every word's tokens, which score the candidates of every round."""
    every = [_tokens(word, None, 0.0) for word in words]
    stages: list[_Stage] = []
    for roles_of, least in ((SUBJECT_ROLES, TOP), (SUBJECT_ROLES, STRONG), (None, STRONG)):
        tokens = [_tokens(word, roles_of, least) for word in words]
        if any(not t for t in tokens) or (stages and tokens == stages[-1].strong):
            continue  # a word without such a term: this round cannot find anything
        cap = CANDIDATES if roles_of is not None else CANDIDATES_ANY_ROLE
        stages.append(_Stage([tokens], tokens, 1, cap))
    strong = [_tokens(word, None, STRONG) for word in words]
    if len(words) > 1 and strong != every:
        weak = [
            {t: s for t, s in tokens.items() if t not in strong_}
            for tokens, strong_ in zip(every, strong, strict=True)
        ]
        n = range(len(words))
        alone = [w for w in n if weak[w] and all(strong[i] for i in n if i != w)]
        if alone:
            one_weak = [[every[i] if i == w else strong[i] for i in n] for w in alone]
            narrow = [[weak[i] if i == w else strong[i] for i in n] for w in alone]
            stages.append(_Stage(one_weak, strong, 2, CANDIDATES_ANY_ROLE, narrow))
    if not stages or stages[-1].queries != [every]:  # (every term strong: asked already)
        stages.append(_Stage([every], every, len(words), CANDIDATES_ANY_ROLE))
    return stages, every


def _rank(
    session: Session,
    words: list[Word],
    filters: _Filters,
    limit: int,
    include_rejected: bool,
) -> list[tuple[str, float]]:
    """(act id, score) of the best `limit` acts, best first."""
    stages, every = _stages(words)
    score = _Scorer(every)
    found: dict[str, float] = {}  # act id -> score
    acts = _Acts(session, include_rejected)
    type_token = [f"k{filters.act_type}"] if filters.act_type else None

    def add(rows: Iterable[Row]) -> None:
        for row in rows:
            if row.act_id not in found and (
                type_token is None or _holds(row.tokens.split(), [type_token])
            ):
                found[row.act_id] = score(row.tokens)

    selected = _filtered(session, filters, include_rejected)
    if selected is not None:  # a commune filter selecting few acts: rank them all
        acts.known.update((row.act_id, row) for row in selected)
        add(row for row in selected if _holds(row.tokens.split(), filters.groups))
        return [(act_id, -neg) for neg, _, act_id in acts.best(found, limit)]
    ranked: list[tuple[float, tuple, str]] = []
    first = _first_stage(stages, words, limit)
    whole: list[dict[str, float]] | None = None  # the tokens of a round found whole
    for i, stage in enumerate(stages[first:], first):
        full = False
        queries = stage.queries
        if stage.narrow and (stage.strong == whole or not all(stage.strong)):
            queries = stage.narrow  # what the strong tokens find is found already
        for query in queries:
            rows = _candidates(session, query, filters, stage.cap + 1)
            full = full or len(rows) > stage.cap
            add(rows)
        if not full and len(queries) == 1:
            whole = queries[0]
        if full and i == first > 0:  # the counts misjudged it: the rounds skipped after all
            for skipped in stages[:first]:
                for query in skipped.queries:
                    add(_candidates(session, query, filters, skipped.cap + 1))
        ranked = acts.best(found, limit)
        if full or i == len(stages) - 1:
            break
        # Could a later round bring an act above the limit-th one? Only one with some
        # words matched by none of this round's strong tokens.
        if len(ranked) >= limit and -ranked[limit - 1][0] >= _bound(stage, every):
            break
    return [(act_id, -neg) for neg, _, act_id in ranked]


def _first_stage(stages: list[_Stage], words: list[Word], limit: int) -> int:
    """The round to start from: the last one whose whole candidate set the index can
    give (within its cap), if the rounds before it cannot find `limit` acts. Each
    round's candidates are among the next one's, so the result is the same as going
    through them all; a rare name's rounds are thus one look-up instead of up to six.
    Judged by the terms' document counts (`name_terms.acts`, which never undercount):
    a query finds at most, for some word, as many documents as hold one of its terms."""
    counts = {str(term): m.acts for word in words for term, m in word.matches.items()}

    def most(stage: _Stage) -> int:
        return max(
            min(sum(counts[term] for term in {token[1:] for token in tokens}) for tokens in query)
            for query in stage.queries
        )

    first = 0
    for i, stage in enumerate(stages):
        bound = most(stage)
        if bound <= stage.cap:
            first = i
        if bound >= limit:
            break  # this round may find enough acts to end the search
    return first


class _Acts:
    """The act rows of candidates (status, register, number), read only for those that
    may make the cut: candidates come from the search documents alone, as the act rows
    are wide (their field values) and a page read each in a large registry."""

    def __init__(self, session: Session, include_rejected: bool) -> None:
        self.session, self.include_rejected = session, include_rejected
        self.known: dict[str, Row | None] = {}  # act id -> row (None: gone)

    def best(self, found: dict[str, float], limit: int) -> list[tuple[float, tuple, str]]:
        """(-score, order key, act id) of the best `limit` acts found, sorted (ties in
        register and number order, among at most `TIES` more than needed: a common name
        may tie 2,000 acts, and reading them all took up to 230 ms); rejected acts left
        out unless asked for."""
        scored = sorted(((s, a) for a, s in found.items() if s > 0), reverse=True)
        kept: list[tuple[float, str]] = []
        i = ties_end = 0
        while i < len(scored):
            if len(kept) >= limit:
                cut = sorted(s for s, _ in kept)[-limit]
                if scored[i][0] < cut or i >= ties_end:
                    break
                end = i + 1
                while end < min(len(scored), ties_end) and scored[end][0] >= cut:
                    end += 1
            else:  # the next acts needed, and (at most `TIES` of) the ties of the last one
                end = min(len(scored), i + limit - len(kept))
                ties_end = end + TIES
                while end < min(len(scored), ties_end) and scored[end][0] == scored[end - 1][0]:
                    end += 1
            batch = scored[i:end]
            self._read([a for _, a in batch if a not in self.known])
            for s, a in batch:
                row = self.known.get(a)
                if row is not None and (self.include_rejected or row.status != "rejected"):
                    kept.append((s, a))
            i = end
        if len(kept) > limit:
            cut = sorted(s for s, _ in kept)[-limit]
            kept = [(s, a) for s, a in kept if s >= cut]
        order = sorted((-s, _order_key(self.known[a]), a) for s, a in kept)  # type: ignore[arg-type]
        return order[:limit]

    def _read(self, ids: list[str]) -> None:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            self.known.update(dict.fromkeys(chunk))
            rows = self.session.execute(_ACT_ROWS, {"ids": chunk})
            self.known.update((row.act_id, row) for row in rows)


_ACT_ROWS = text(
    "SELECT id AS act_id, status, commune_key, act_type, register_year, act_number "
    "FROM acts WHERE id IN :ids"
).bindparams(bindparam("ids", expanding=True))


def _bound(stage: _Stage, every: list[dict[str, float]]) -> float:
    """The best score an act a later round finds can have: `stage.weak` of its words
    matched only by tokens outside `stage.strong`."""
    best = [max(tokens.values()) for tokens in every]
    losses = sorted(
        b - max((s for t, s in tokens.items() if t not in strong), default=0.0)
        for b, tokens, strong in zip(best, every, stage.strong, strict=True)
    )
    return (sum(best) - sum(losses[: stage.weak])) / len(best)


class _Scorer:
    """An act's score from its document: the mean over the words of their best token in
    it (0 if a word has none)."""

    def __init__(self, every: list[dict[str, float]]) -> None:
        self.words = len(every)
        self.index: dict[str, list[tuple[int, float]]] = {}
        for i, tokens in enumerate(every):
            for token, score in tokens.items():
                self.index.setdefault(token, []).append((i, score))
        self.tokens = frozenset(self.index)

    def __call__(self, document: str) -> float:
        best = [0.0] * self.words
        # The few tokens of the document that are the query's, found in one set
        # operation (a round may score 2,000 documents of some 40 tokens each).
        for token in self.tokens.intersection(role_tokens(document)):
            for i, score in self.index[token]:
                if score > best[i]:
                    best[i] = score
        return 0.0 if 0.0 in best else sum(best) / self.words


def _holds(tokens: Iterable[str], groups: Iterable[Iterable[str]]) -> bool:
    """Whether a document's tokens include one of each group."""
    present = set(tokens)
    return all(not present.isdisjoint(group) for group in groups)


def _order_key(row: Row) -> tuple:
    """ACT_ORDER in Python: register, act number numerically, id; unknown parts last."""
    number = row.act_number
    return (
        row.commune_key is None,
        row.commune_key or "",
        row.act_type is None,
        row.act_type or "",
        row.register_year is None,
        row.register_year or 0,
        number is None,
        len(number or ""),
        number or "",
        row.act_id,
    )


def _candidates(
    session: Session, stage: list[list[str]], filters: _Filters, limit: int
) -> Sequence[Row]:
    """(act id, tokens) of the first `limit` documents (in the index's order) holding a
    token of every group and the year and commune filters' (the act type is checked on
    the tokens by the caller)."""
    groups = [index_tokens(tokens) for tokens in stage] + filters.matching()
    params: dict[str, object] = {"n": limit}
    if session.get_bind().dialect.name == "postgresql":
        # One condition a word: the planner ANDs the index's bitmaps, smallest first.
        for i, group in enumerate(sorted(groups, key=len)):
            params[f"q{i}"] = " | ".join(group)
        stmt = _candidates_pg(len(groups))
    else:
        params["q"] = " AND ".join("(" + " OR ".join(group) + ")" for group in groups)
        stmt = _CANDIDATES_SQLITE
    with index_scans(session):
        return session.execute(stmt, params).all()


def index_tokens(tokens: Iterable[str]) -> list[str]:
    """A word's tokens as the index is asked for them: a term wanted in every role as its
    one role-less token (the same documents, a quarter of the alternatives)."""
    roles_of: dict[str, list[str]] = {}
    for token in tokens:
        roles_of.setdefault(token[1:], []).append(token[0])
    out = []
    for term, roles in roles_of.items():
        out += [ANY_ROLE + term] if ROLES.issubset(roles) else [role + term for role in roles]
    return out


# The full-text index drives (CROSS JOIN keeps it outermost): rows come in its order and
# the statement stops at the limit, where `act_names.id IN (MATCH ...)` first found every
# matching document.
_CANDIDATES_SQLITE = text(
    "SELECT n.act_id, n.tokens FROM act_names_fts f CROSS JOIN act_names n ON n.id = f.rowid "
    "WHERE act_names_fts MATCH :q LIMIT :n"
)


@lru_cache(maxsize=64)
def _candidates_pg(groups: int) -> TextClause:
    matches = " AND ".join(f"n.tokens_tsv @@ to_tsquery('simple', :q{i})" for i in range(groups))
    return text(f"SELECT n.act_id, n.tokens FROM act_names n WHERE {matches} LIMIT :n")


_CANDIDATE_COLUMNS = (
    "n.act_id, n.tokens, a.status, a.commune_key, a.act_type, a.register_year, a.act_number"
)


def _filtered(session: Session, filters: _Filters, include_rejected: bool) -> Sequence[Row] | None:
    """With a commune filter selecting at most `FILTERED_SCAN` acts (through the acts'
    register index), every one of them (their names are checked in Python); else None."""
    if not filters.commune_keys:
        return None
    conditions = "a.commune_key IN :keys"
    params: dict[str, object] = {"keys": filters.commune_keys, "n": FILTERED_SCAN + 1}
    if filters.act_type:
        conditions += " AND a.act_type = :act_type"
        params["act_type"] = filters.act_type
    if filters.years:
        conditions += " AND a.register_year BETWEEN :low AND :high"
        params["low"], params["high"] = filters.years
    # Counted on the register index alone (rejected acts too: a bound), then fetched.
    status = "" if include_rejected else " AND a.status != 'rejected'"
    count, select_ = _filtered_statements(conditions, status)
    if session.execute(count, params).scalar_one() > FILTERED_SCAN:
        return None
    return session.execute(select_, params).all()


@lru_cache(maxsize=16)
def _filtered_statements(conditions: str, status: str) -> tuple[TextClause, TextClause]:
    keys = bindparam("keys", expanding=True)
    count = text(
        f"SELECT count(*) FROM (SELECT 1 FROM acts a WHERE {conditions} LIMIT :n) AS s"
    ).bindparams(keys)
    select_ = text(
        f"SELECT {_CANDIDATE_COLUMNS} FROM acts a JOIN act_names n ON n.act_id = a.id "
        f"WHERE {conditions}{status}"
    ).bindparams(keys)
    return count, select_


# --- Why -------------------------------------------------------------------------------------


def _by_term(word: Word) -> dict[str, tuple[int, Match]]:
    """The word's matches by term text, with their places among its matches."""
    return {match.term: (i, match) for i, match in enumerate(word.matches.values())}


def _why(act: Act, words: list[Word], terms: list[dict[str, tuple[int, Match]]]) -> list[str]:
    """For each word, the name field it matched best and how (among equals, the word's
    first match, then the first field); `terms`: each word's matches by term text, with
    their places (`_by_term`)."""
    places: dict[str, list[tuple[str, str]]] = {}  # term text -> (key, role)
    for key, fv in act.fields.items():
        if key in ROLE_OF_KEY and fv.value:
            for term in field_terms(fv.value):
                places.setdefault(term, []).append((key, ROLE_OF_KEY[key]))
    reasons = []
    for word, by_term in zip(words, terms, strict=True):
        best: tuple[float, int, int, str, Match] | None = None
        for term, found in places.items():
            if (ranked := by_term.get(term)) is None:
                continue
            position, match = ranked
            for i, (key, role) in enumerate(found):
                if role in word.roles:
                    score = match.score + (SUBJECT_BONUS if role in SUBJECT_ROLES else 0)
                    candidate = (score, -position, -i, key, match)
                    if best is None or candidate[:3] > best[:3]:
                        best = candidate
        if best is not None:
            *_, key, match = best
            reasons.append(f"{word.text}: {match.kind} match on {key}")
    return reasons
