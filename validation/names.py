"""Do an Arabic and a French value write the same name? (given names, family names, `بن`
chains, places)

`transliteration_score(arabic, latin)` in [0, 1] prices the cheapest way to write `latin`
from `arabic`, in letters, and scores each aligned word group 1 - cost / (letters + 1):

- Each Arabic letter may be written by any of its French-style spellings for free (ش: ch, sh;
  ج: j, dj, g; و: ou, o, w; ة: a; `ال`: el, al, l, nothing, or e/a before a doubled sun
  letter: Ettazi, Ezzahra). Short vowels the Arabic does not write cost little, a doubled
  Latin consonant (shadda) almost nothing, a final a/i/o the Arabic lacks a full letter
  (Karim / كريمة, Driss / الإدريسي are other names).
- OCR slips cost 0.4 of a letter: an Arabic letter read as its dot sibling (ح/ج/خ, ب/ت/ن…), a
  Latin look-alike (rn for m, c for e, l or 1 for i, h for b…). Any other wrong, missing or
  extra letter costs one.
- Multi-word values are aligned word group to word group (بن جلون / Benjelloun, العلوي /
  El Alaoui); a particle (بن, بنت, ولد, ايت / ben, bent, ould, ait, el) written on one side
  only costs half a letter. The score is the worst group's, so one wrong or missing name in
  a chain makes the chain disagree.
- arabic-name-romanizer's attested spellings of a word group (cached) lower the cost of an
  irregular spelling the rules price high (بيير / Pierre, بالطيب / Bettaieb): the Latin's
  edit distance to the spelling. Only spellings the romanizer weighs at least
  ATTESTED_WEIGHT and the rules find plausible count: its dictionary has noise (محمد: Ahmed).

Costs are cached per (Arabic group, Latin group) and scores per pair: a pair costs ~25 µs
once seen, ~40 µs when only its words were seen, ~0.4 ms cold (plus the romanizer's ~30 ms
per new word group, once).

`AGREE` was measured on tests/validation/name_pairs.tsv: 281 true pairs (clean, and with
one OCR slip on either side), 66 false pairs that look alike (other names, the other gender,
a name dropped) and 300 random mismatches. At 0.85: 0.7 % of true pairs disagree (Sousse,
a French exonym; Mustaoha), 9 % of the look-alike false pairs agree (محمد / Mahmoud, حسن /
Houssine, سعاد / Saad: vowels the rules cannot tell apart), no random mismatch agrees. On
2,485 attested Maghreb spellings from the romanizer's data (rules only, dictionary off):
1.5 % disagree (mostly non-Arab names: Michael, Jacqueline) and 0.23 % of 3,000 random
mismatches agree. Lower thresholds trade look-alike false pairs for OCR tolerance: at 0.80
no true pair disagrees but 56 % of look-alikes agree.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from rapidfuzz.distance import Levenshtein

from ocr.text import normalize, strip_accents

# "Same name" from this score up: measured, see the module docstring.
AGREE = 0.85

# --- Costs (in letters) -----------------------------------------------------------------
VOWEL = 0.1  # a short vowel the Arabic does not write
FINAL_E = 0.1  # French mute e: Othmane, Hocine
GEMINATE = 0.05  # a doubled Latin consonant (shadda)
OCR_SLIP = 0.4  # a letter read as its look-alike, on either side
LONG_VOWEL_DROPPED = 0.8  # و or ي not written: rare in French spellings
ALEF_DROPPED = 0.3  # medial ا not written: Fatma, Tlemcen
MISS = 1.0  # a wrong, missing or extra letter (also a final a/i/o the Arabic lacks)
PARTICLE = 0.5  # a particle written on one side only
ATTESTED_WEIGHT = 0.1  # least arabic-name-romanizer score for a spelling to count

_VOWELS = frozenset("aeiouy")
# Latin characters OCR reads for a vowel (c for e, l or 1 for i, 0 for o, v for u).
_VOWEL_LOOKALIKES = frozenset("cl10!|v")
# Latin OCR look-alikes: a spelling is also accepted with one of them, at OCR_SLIP.
_LATIN_SLIPS = (
    ("m", "rn"),
    ("d", "cl"),
    ("w", "vv"),
    ("n", "ri"),
    ("h", "li"),
    ("l", "1"),
    ("i", "l"),
    ("i", "1"),
    ("i", "j"),
    ("o", "0"),
    ("e", "c"),
    ("u", "v"),
    ("h", "b"),
    ("b", "h"),
    ("n", "u"),
    ("u", "n"),
    ("t", "f"),
    ("f", "t"),
    ("s", "5"),
    ("b", "8"),
    ("g", "q"),
)

# French-style spellings of each Arabic letter, with their cost (0 unless given).
_SPELLINGS: dict[str, dict[str, float]] = {
    "ا": {"a": 0, "e": 0, "aa": 0, "": ALEF_DROPPED},
    "أ": {"a": 0, "e": 0, "o": 0, "ou": 0, "i": 0, "": ALEF_DROPPED},
    "إ": {"i": 0, "e": 0, "": ALEF_DROPPED},
    "آ": {"a": 0, "aa": 0},
    "ء": {"": 0, "a": 0, "e": 0},
    "ئ": {"i": 0, "y": 0, "ei": 0, "": 0},
    "ؤ": {"ou": 0, "o": 0, "u": 0, "": 0},
    "ب": {"b": 0},
    "ت": {"t": 0, "th": 0},
    "ث": {"t": 0, "th": 0, "s": 0},
    "ج": {"j": 0, "dj": 0, "g": 0},
    "ح": {"h": 0},
    "خ": {"kh": 0, "h": 0, "x": 0},
    "د": {"d": 0, "dh": 0},
    "ذ": {"d": 0, "dh": 0, "z": 0},
    "ر": {"r": 0},
    "ز": {"z": 0},
    "س": {"s": 0, "ss": 0, "c": 0},
    "ش": {"ch": 0, "sh": 0, "sch": 0},
    "ص": {"s": 0, "ss": 0, "c": 0},
    "ض": {"d": 0, "dh": 0},
    "ط": {"t": 0, "th": 0},
    "ظ": {"z": 0, "dh": 0, "d": 0},
    "ع": {"": 0, "a": 0, "e": 0, "o": 0, "ou": 0, "i": 0, "aa": 0},
    "غ": {"gh": 0, "g": 0, "rh": 0, "r": 0},
    "ف": {"f": 0, "ph": 0},
    "ق": {"k": 0, "q": 0, "g": 0, "gh": 0, "kk": 0, "c": 0, "cc": 0},  # gh: Bougherra
    "ك": {"k": 0, "c": 0, "ck": 0, "g": 0},
    "ل": {"l": 0},
    "م": {"m": 0},
    "ن": {"n": 0},
    "ه": {"h": 0, "": OCR_SLIP},
    "و": {"ou": 0, "o": 0, "u": 0, "w": 0, "oo": 0, "": LONG_VOWEL_DROPPED},
    "ي": {
        "i": 0,
        "y": 0,
        "ai": 0,
        "ay": 0,
        "ei": 0,
        "ey": 0,
        "ie": 0,
        "e": 0,
        "ee": 0,
        "": LONG_VOWEL_DROPPED,
    },
    "ى": {"a": 0, "i": 0, "y": 0, "": OCR_SLIP},
    "ة": {"a": 0, "ah": 0, "t": 0},
    "ڤ": {"v": 0},
    "پ": {"p": 0},
    "ڭ": {"g": 0},
    "گ": {"g": 0},
}
_INITIAL: dict[str, dict[str, float]] = {  # at the start of a word
    "ا": {"i": 0, "o": 0, "ou": 0, "": 0},  # ابراهيم: Brahim
    "إ": {"": 0},  # إدريس: Driss
    "أ": {"": LONG_VOWEL_DROPPED},
    "و": {"w": 0, "ou": 0, "oua": 0},
    "ي": {"y": 0, "ya": 0, "yo": 0, "you": 0},
}
_FINAL: dict[str, dict[str, float]] = {  # at the end of a word
    "ه": {"a": 0.2, "e": 0.2, "ha": 0, "ou": 0.2},  # ة without its dots; Taha, Abdou
    "ي": {"": MISS, "e": MISS},  # the nisba ي is written i or y: Alaoui, Idrissi
}
# ال; e/a before a doubled sun letter: Ettazi; "ech" before ش doubled as "chch": Echchami.
_ARTICLE = {"el": 0, "al": 0, "l": 0, "": 0, "e": 0, "a": 0, "il": 0, "ech": GEMINATE}

# Arabic letters that differ only by dots (or hamza): OCR reads one for another. At the end of
# a word ن and ي have their own shapes, so only ب ت ث stay look-alikes there.
_DOT_SIBLINGS = ("بتثني", "جحخ", "دذ", "رز", "سش", "صض", "طظ", "عغ", "فق", "هة", "ىي", "اأإآ", "وؤ")
_FINAL_DOT_SIBLINGS = ("بتث", *_DOT_SIBLINGS[1:])

_PARTICLES_AR = frozenset({"بن", "ابن", "بنت", "ولد", "ايت", "آيت", "أيت", "ال"})
_PARTICLES_FR = frozenset({"ben", "bin", "ibn", "bent", "bint", "ould", "ait", "el", "al", "b"})

_ARABIC_LETTERS = re.compile("[\u0621-\u064a\u0671-\u06d3]+")
_LATIN_SPLIT = re.compile(r"[^a-z0-9!|]+")


# --- Preparing both sides ----------------------------------------------------------------


_PERSIAN_FORMS = str.maketrans("یکٱ", "يكا")  # Tesseract's ara model sometimes emits these


def _arabic_words(text: str) -> tuple[str, ...]:
    return tuple(_ARABIC_LETTERS.findall(normalize(text).translate(_PERSIAN_FORMS)))


def _latin_words(text: str) -> tuple[str, ...]:
    text = strip_accents(normalize(text)).replace("'", "").replace("’", "")
    return tuple(w for w in _LATIN_SPLIT.split(text) if any(c.isalpha() for c in w))


@cache
def _sibling_spellings(letter: str, final: bool) -> frozenset[str]:
    for group in _FINAL_DOT_SIBLINGS if final else _DOT_SIBLINGS:
        if letter in group:
            return frozenset(
                sp for other in group if other != letter for sp in _SPELLINGS.get(other, {}) if sp
            )
    return frozenset()


def _with_slips(spellings: dict[str, float]) -> dict[str, float]:
    out = dict(spellings)
    for spelling, cost in spellings.items():
        for right, slip in _LATIN_SLIPS:
            if right in spelling:
                out.setdefault(spelling.replace(right, slip, 1), cost + OCR_SLIP)
    return out


Unit = tuple[tuple[tuple[str, float], ...], float]  # (spelling, cost) choices, cost to drop


@cache
def _units(word: str) -> tuple[Unit, ...]:
    """The Arabic word as units to spell: the article, then one unit a letter."""
    units: list[Unit] = []
    letters = word
    if word.startswith("ال") and len(word) > 3:
        units.append((tuple(_ARTICLE.items()), 0.0))
        letters = word[2:]
    for i, letter in enumerate(letters):
        spellings = dict(_SPELLINGS.get(letter, {}))
        if i == 0 and not units:
            spellings.update(_INITIAL.get(letter, {}))
        final = i == len(letters) - 1
        if final:
            spellings.update(_FINAL.get(letter, {}))
        for sp in _sibling_spellings(letter, final):
            spellings.setdefault(sp, OCR_SLIP)
        drop = spellings.pop("", MISS)
        choices = sorted(_with_slips(spellings).items(), key=lambda kv: (kv[1], -len(kv[0])))
        units.append((tuple(choices), drop))
    return tuple(units)


def _size(words: tuple[str, ...]) -> int:
    """Letters of an Arabic word group, the article counting as one."""
    return sum(len(w) - 1 if w.startswith("ال") and len(w) > 3 else len(w) for w in words)


# --- Spelling one word group -------------------------------------------------------------


def _insert_cost(latin: str, j: int, at_start: bool) -> float:
    """Cost of a Latin letter that spells no Arabic letter."""
    ch = latin[j]
    if ch in _VOWELS:
        if at_start:  # an Arabic word never starts with a short vowel
            return MISS
        if j == len(latin) - 1:  # a final a/i/o is an Arabic letter (ة, ي, ى), e is mute
            return FINAL_E if ch == "e" else MISS
        return VOWEL
    if j and latin[j - 1] == ch:
        return GEMINATE
    if ch in _VOWEL_LOOKALIKES:
        return OCR_SLIP
    return MISS


@lru_cache(maxsize=200_000)
def _rule_cost(words: tuple[str, ...], latin: str) -> float:
    """Cheapest cost of spelling `latin` (no spaces) from the Arabic words, by the rules."""
    units = [u for w in words for u in _units(w)]
    n, m = len(units), len(latin)
    inf = float("inf")
    # cost[i][j]: first i Arabic units spelled by latin[:j]
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        row = cost[i]
        for j in range(m + 1):
            here = row[j]
            if here == inf:
                continue
            if j < m:  # a Latin letter with no Arabic counterpart
                extra = here + _insert_cost(latin, j, i == 0)
                if extra < row[j + 1]:
                    row[j + 1] = extra
            if i == n:
                continue
            choices, drop = units[i]
            nxt = cost[i + 1]
            if here + drop < nxt[j]:  # the Arabic letter not written
                nxt[j] = here + drop
            for spelling, c in choices:
                if latin.startswith(spelling, j):
                    k = j + len(spelling)
                    if here + c < nxt[k]:
                        nxt[k] = here + c
            if j < m and here + MISS < nxt[j + 1]:  # written with a wrong letter
                nxt[j + 1] = here + MISS
    return cost[n][m]


@cache
def _attested(words: tuple[str, ...]) -> tuple[str, ...]:
    """Spellings arabic-name-romanizer attests for the word group, kept when it gives them
    some weight and the rules find them plausible (its dictionary has noise: محمد: Ahmed)."""
    if len(words) > 2:
        return ()
    from arabic_name_romanizer import transliterate  # loads its model: only when needed

    size = _size(words)
    out = []
    for cand in transliterate(" ".join(words), top_k=8, country="MA"):
        latin = "".join(_latin_words(cand.text))
        if cand.score >= ATTESTED_WEIGHT and latin and _rule_cost(words, latin) <= 0.35 * size:
            out.append(latin)
    return tuple(out)


@lru_cache(maxsize=200_000)
def _group_cost(words: tuple[str, ...], latin: str) -> float:
    """Cost of spelling `latin` from the Arabic word group: by the rules, or as an edit of a
    spelling the dictionary attests."""
    size = _size(words)
    if not size * 0.5 - 2 <= len(latin) <= size * 3 + 4:
        return float("inf")
    best = _rule_cost(words, latin)
    # Attested spellings pass the rules at 0.35 a letter, so past 0.6 a letter the Latin
    # is too far from all of them to reach AGREE: no need to ask the dictionary.
    if 0 < best <= 0.6 * (size + 1):
        for spelling in _attested(words):
            best = min(best, float(Levenshtein.distance(latin, spelling, score_cutoff=int(best))))
    return best


# --- Aligning word groups ----------------------------------------------------------------


def _latin_skip(word: str) -> float:
    return PARTICLE if word in _PARTICLES_FR else float(len(word))


def _arabic_skip(word: str) -> float:
    return PARTICLE if word in _PARTICLES_AR else float(_size((word,)))


def _group_score(cost: float, size: float) -> float:
    # One more than the letters: a slip in a three-letter name (علي) still leaves 0.83.
    return max(0.0, 1.0 - cost / (size + 1))


# (cost, size, is_name) of one aligned group: is_name False for a particle, which counts in
# the whole but is no name of its own; size 0 for a particle written on one side only.
Step = tuple[float, float, bool]


def _alignment(ar: tuple[str, ...], fr: tuple[str, ...]) -> list[Step]:
    """The steps of the cheapest monotone alignment of Arabic and Latin word groups."""
    n, m = len(ar), len(fr)
    inf = float("inf")
    best: list[list[float]] = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, Step] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0

    def relax(i: int, j: int, frm: tuple[int, int], step: Step) -> None:
        cost = best[frm[0]][frm[1]] + step[0]
        if cost < best[i][j]:
            best[i][j] = cost
            back[i][j] = (*frm, step)

    for i in range(n + 1):
        for j in range(m + 1):
            if best[i][j] == inf:
                continue
            if i < n:
                skip = _arabic_skip(ar[i])
                relax(i + 1, j, (i, j), (skip, 0.0 if skip == PARTICLE else skip, True))
            if j < m:
                skip = _latin_skip(fr[j])
                relax(i, j + 1, (i, j), (skip, 0.0 if skip == PARTICLE else skip, True))
            # One word against several or several against one (بن جلون / Benjelloun,
            # العلوي / El Alaoui); never several against several, which would let a wrong
            # name hide inside a longer group.
            for a in range(1, min(3, n - i) + 1):
                words = ar[i : i + a]
                for b in range(1, min(3 if a == 1 else 1, m - j) + 1):
                    cost = _group_cost(words, "".join(fr[j : j + b]))
                    if cost < inf:
                        is_name = a > 1 or words[0] not in _PARTICLES_AR
                        relax(i + a, j + b, (i, j), (cost, float(_size(words)), is_name))
    steps: list[Step] = []
    i, j = n, m
    while (i, j) != (0, 0):
        link = back[i][j]
        if link is None:
            return [(inf, 1.0, True)]
        i, j, step = link
        steps.append(step)
    return steps


@lru_cache(maxsize=100_000)
def _score(ar: tuple[str, ...], fr: tuple[str, ...]) -> float:
    steps = _alignment(ar, fr)
    total_cost = sum(c for c, _, _ in steps)
    total_size = sum(size for _, size, _ in steps) or 1.0
    whole = _group_score(total_cost, total_size + len(steps) - 1)
    worst = min((_group_score(c, size) for c, size, name in steps if size and name), default=1.0)
    return min(whole, worst)


def transliteration_score(arabic: str, latin: str) -> float:
    """How well `latin` can be a French-style transliteration of `arabic`, in [0, 1]:
    1 for a regular spelling, about 0.9 with one OCR slip, below `AGREE` for another name.
    Every word group counts: one wrong name in a `بن` chain makes the chain disagree."""
    ar, fr = _arabic_words(arabic), _latin_words(latin)
    if not ar or not fr:
        return 0.0
    return _score(ar, fr)


def names_agree(arabic: str, latin: str) -> bool:
    """True when `latin` reads as a transliteration of `arabic` (score at least `AGREE`)."""
    return transliteration_score(arabic, latin) >= AGREE
