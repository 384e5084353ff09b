"""Turn a value as OCR read it into its normalised form (register-forms.md, last column).

Each parser returns None when it cannot read a value, otherwise a `Parsed`: the value, a
certainty in (0, 1] and the repairs it made. The certainty is 1.0 for a clean read and the
product of one factor per repair otherwise (the constants below); it is a relative measure
for the confidence model to combine, not yet a calibrated probability.

Edge debris (`| [ ] : ،` and the like around the value) is removed without a repair; what
lies inside the value is a repair. Month names are data (`configs/months.toml`).
"""

from __future__ import annotations

import datetime
import itertools
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache

from rapidfuzz.distance import Levenshtein

import configs
from ocr.text import fold, normalize
from records.fields import EARLIEST_YEAR

# Certainty factors, one per repair (multiplied together).
MONTH_EDIT = 0.85  # each edit between the OCR'd month and its nearest known spelling
DIGIT_LETTER = 0.9  # a letter read as a digit in a digit run: O/o -> 0, l/I -> 1
SPACING = 0.95  # a space missing between a number and a month, or a number split in two
NOISE = 0.95  # stray punctuation or a one-letter fragment inside the value
EXTRA_WORD = 0.85  # a word or number that belongs to no part of the value
BARE_SEPARATORS = 0.95  # a numeric date with spaces between its parts, not / - .
TWO_DIGIT_YEAR = 0.7  # the century was inferred
FUZZY_SEX = 0.85  # each edit between the OCR'd word and ذكر / Masculin / ...

GREGORIAN_YEARS = (EARLIEST_YEAR, 2100)
# The Hijri years of the same span (1780 begins in 1193 AH; 1529 is past 2100): the two
# ranges do not overlap, so a year alone tells the calendar.
HIJRI_YEARS = (1193, 1529)


@dataclass(frozen=True)
class Parsed:
    """A normalised value, how sure the parse is (0-1], and what had to be repaired."""

    value: str
    certainty: float = 1.0
    repaired: tuple[str, ...] = ()

    def penalised(self, factor: float, reason: str) -> Parsed:
        return replace(self, certainty=self.certainty * factor, repaired=(*self.repaired, reason))


# --- Text preparation shared by the parsers ----------------------------------------------

_LETTER = r"[^\W\d_]"
_SEPARATORS = "/-.\\"
_DIGIT_LIKE = re.compile(r"[0-9oil]+")  # after case folding: O -> o, I -> i
_DIGIT_FIX = str.maketrans("oil", "011")
_NOISE = re.compile(rf"[^\w\s{re.escape(_SEPARATORS)}]|_")
_TOKEN = re.compile(rf"(?P<num>\d+)|(?P<word>{_LETTER}+)|(?P<sep>[{re.escape(_SEPARATORS)}])")
_SOFT = str.maketrans("°º'’", "    ")  # n°, l'an: part of the writing, not noise
# How the Persian digit model (`pipeline.read.DIGIT_LANG`) misreads the Arabic-Indic digits
# Persian writes otherwise (٤ ٥ ٦; Persian ۴ ۵ ۶), measured by benchmarks/digits.py on date
# lines in the eight Arabic fonts of sample_scans.fonts:
# - the four read as its six, ۶ (34 of 79 fours; 2 of 45 sixes are), as a colon inside a
#   year (۱:۳۹ for ١٤٣٩), or as the Arabic semicolon alone before a month's name (؛ شعبان);
# - in a number written in Arabic-Indic digits, the six read as a Western 7 or 5 and the five
#   as a Western 9 (Arabic-Indic sevens, fives and nines come out in Persian digits).
# (The Arabic model's colon is as often a zero.)
_PERSIAN_SIX = "\u06f6"
_INDIC_FOUR = (
    re.compile(r"(?<![\d:])(?P<a>\d):(?P<b>\d\d)(?![\d:])"),
    re.compile(r"(?<![\d:])(?P<a>\d\d):(?P<b>\d)(?![\d:])"),
    re.compile(r"(?<!\S)(?P<a>)؛(?P<b>)(?=\s+[^\W\d_])"),
)
# Eastern digits that say a number is written in them: not the one, which is the Western
# one's shape (a Western 199 comes out as ۱99).
_EASTERN_DIGITS = frozenset("٠٢٣٤٥٦٧٨٩۰۲۳۴۵۶۷۸۹")
_WESTERN_IN_INDIC = str.maketrans("759", "665")
_NUMBER = re.compile(r"\d+")


def read_indic_digits(text: str) -> tuple[str, int]:
    """The digit model's reading with the Arabic-Indic digits it misread put back; how many."""
    eastern = sum(ch in _EASTERN_DIGITS for ch in text)
    indic_line = eastern > sum("0" <= ch <= "9" for ch in text)
    found = text.count(_PERSIAN_SIX)
    text = text.replace(_PERSIAN_SIX, "4")

    def western_in_indic(m: re.Match[str]) -> str:
        nonlocal found
        run = m.group()
        if not (indic_line or any(ch in _EASTERN_DIGITS for ch in run)):
            return run
        fixed = run.translate(_WESTERN_IN_INDIC)
        found += sum(a != b for a, b in zip(run, fixed, strict=True))
        return fixed

    text = _NUMBER.sub(western_in_indic, text)
    for pattern in _INDIC_FOUR:
        text, n = pattern.subn(r"\g<a>4\g<b>", text)
        found += n
    return text, found


_ORDINALS = frozenset({"er", "re", "ere", "eme", "e"})  # 1er, 1re, 1ère


@dataclass(frozen=True)
class _Tok:
    kind: str  # "num", "word" or "sep"
    text: str
    glued: bool  # written against the previous token, without a space


Repair = tuple[str, float]  # what was repaired, its certainty factor


def _prepare(text: str) -> tuple[list[_Tok], list[Repair]]:
    """Tokens of an OCR'd value, and the repairs made on the way (digit letters, noise)."""
    repairs: list[Repair] = []
    text = normalize(text).translate(_SOFT)

    def fix_digits(m: re.Match[str]) -> str:
        run = m.group()
        before = text[m.start() - 1] if m.start() else " "
        after = text[m.end()] if m.end() < len(text) else " "
        # Only a run standing alone: "15octobre" keeps its o, "l5" becomes 15.
        if run.isdigit() or not any(c.isdigit() for c in run):
            return run
        if before.isalpha() or after.isalpha():
            return run
        fixed = run.translate(_DIGIT_FIX)
        repairs.append((f"digits {run!r} read as {fixed}", DIGIT_LETTER))
        return fixed

    text = _DIGIT_LIKE.sub(fix_digits, text)
    text = text.strip(" " + _SEPARATORS + "".join(set(_NOISE.findall(text))))
    if _NOISE.search(text):
        repairs.append(("stray punctuation removed", NOISE))
    text = _NOISE.sub(" ", text)
    tokens: list[_Tok] = []
    end = -1
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or ""
        tokens.append(_Tok(kind, m.group(), m.start() == end))
        end = m.end()
    return tokens, repairs


# --- Month names -------------------------------------------------------------------------


_PERSIAN_FORMS = str.maketrans("یکٱ", "يكا")  # Tesseract's ara model sometimes emits these


def _key(text: str) -> str:
    return fold(text.translate(_PERSIAN_FORMS)).replace(" ", "")


@cache
def _month_table(calendar: str) -> dict[str, int]:
    """Folded spelling -> month number, for "gregorian" or "hijri"."""
    data = configs.load("months.toml")[calendar]
    return {_key(name): int(month) for month, names in data.items() for name in names}


@cache
def _ignored_words() -> frozenset[str]:
    return frozenset(_key(w) for w in configs.load("months.toml")["words"]["ignore"])


def _allowed_edits(spelling: str) -> int:
    if len(spelling) <= 3:  # mai, ماي, أوت, رجب: too short to correct safely
        return 0
    return 1 if len(spelling) <= 8 else 2


def _match_month(words: list[str], calendars: tuple[str, ...]) -> tuple[str, int, int] | None:
    """(calendar, month, edits) for the words of a month name; None if unknown or ambiguous."""
    key = _key("".join(words))
    if not key:
        return None
    # "rn" read for "m" is Tesseract's classic Latin slip: one correction, not two.
    tries = {key: 0} if "rn" not in key else {key: 0, key.replace("rn", "m"): 1}
    for t, extra in tries.items():
        for calendar in calendars:
            if t in _month_table(calendar):
                return calendar, _month_table(calendar)[t], extra
    best: dict[tuple[str, int], int] = {}  # fewest edits to any spelling of each month
    limits: dict[tuple[str, int], int] = {}
    for calendar in calendars:
        for spelling, month in _month_table(calendar).items():
            limit = _allowed_edits(spelling)
            if limit == 0:
                continue
            edits = min(
                extra + Levenshtein.distance(t, spelling, score_cutoff=_FAR)
                for t, extra in tries.items()
            )
            if edits < best.get((calendar, month), 99):
                best[(calendar, month)] = edits
                limits[(calendar, month)] = limit
    if not best:
        return None
    ranked = sorted(best.items(), key=lambda item: item[1])
    (winner, fewest), runner_up = ranked[0], ranked[1][1] if len(ranked) > 1 else 99
    if fewest > limits[winner] + 1 or runner_up == fewest:  # e.g. "juln": juin or juil
        return None
    # One edit more than a spelling's own allowance only for a long spelling that no other
    # month comes as close to ("ذو الخية" is 2 edits from ذو الحجة, 3 from ذو القعدة).
    # The date is checked against the other calendar or the other side after.
    if fewest > limits[winner] and (
        len(_shortest_spelling(*winner)) < LONG_MONTH or runner_up < fewest + MARGIN
    ):
        return None
    calendar, month = winner
    return calendar, month, fewest


# A month spelling this long (folded, without spaces) may be matched with one edit more
# than `_allowed_edits` gives, when every other month is at least MARGIN edits further.
LONG_MONTH = 6
MARGIN = 1
# Every month's distance is counted up to one cap beyond any accepted match (3 edits at
# most), so that the runner-up is a true distance and not a short spelling's own cut-off.
_FAR = 5


@cache
def _shortest_spelling(calendar: str, month: int) -> str:
    return min((s for s, m in _month_table(calendar).items() if m == month), key=len)


# --- Dates -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Date:
    calendar: str  # "gregorian" or "hijri"
    parsed: Parsed
    start: int  # token span in the value
    end: int


def _year(digits: str, latest_year: int) -> tuple[int, list[str]]:
    """A year from four digits, or from two with the century inferred (the latest year not
    after `latest_year`)."""
    if len(digits) == 4:
        return int(digits), []
    century = latest_year - latest_year % 100
    year = century + int(digits)
    if year > latest_year:
        year -= 100
    return year, [f"two-digit year {digits} read as {year}"]


def _make_date(
    day: str, month: int, year: str, calendar: str | None, latest_year: int
) -> tuple[str, str, list[str]] | None:
    """(calendar, ISO value, repairs) when day/month/year is a possible date, else None.
    `calendar` None: decided by the year's range (Hijri years never reach 1780)."""
    if len(day) > 2 or len(year) not in (2, 4):
        return None
    if len(year) == 2 and calendar == "hijri":
        return None
    y, repairs = _year(year, latest_year)
    d = int(day)
    if calendar is None:
        calendar = "hijri" if HIJRI_YEARS[0] <= y <= HIJRI_YEARS[1] else "gregorian"
    if calendar == "hijri":
        if not (HIJRI_YEARS[0] <= y <= HIJRI_YEARS[1] and 1 <= month <= 12 and 1 <= d <= 30):
            return None
    else:
        if not GREGORIAN_YEARS[0] <= y <= GREGORIAN_YEARS[1]:
            return None
        try:
            datetime.date(y, month, d)
        except ValueError:
            return None
    return calendar, f"{y:04d}-{month:02d}-{d:02d}", repairs


def _spans(toks: list[_Tok], a: int, b: int, used_until: int) -> list[tuple[int, int, str]]:
    """(start, end, repair) token spans to try for a date whose day and year are tokens a
    and b: first with a number split by a stray space joined back ("1 5 mars", "mars 19 95")."""
    day, year = toks[a].text, toks[b].text
    before = toks[a - 1] if a > used_until + 1 else None
    after = toks[b + 1] if b + 1 < len(toks) else None
    spans = []
    if before and before.kind == "num" and len(before.text + day) == 2:
        spans.append((a - 1, b, "space inside the day removed"))
    if after and after.kind == "num" and len(year) < 4 and len(year + after.text) == 4:
        spans.append((a, b + 1, "space inside the year removed"))
    return [*spans, (a, b, "")]


def _named_dates(toks: list[_Tok], latest_year: int) -> list[_Date]:
    """Dates written with a month name: day, month, year (or year, month, day)."""
    nums = [i for i, t in enumerate(toks) if t.kind == "num"]
    found: list[_Date] = []
    used_until = -1
    for a, b in itertools.pairwise(nums):
        if a <= used_until:
            continue
        words = [t.text for t in toks[a + 1 : b] if t.kind == "word"]
        month_words = [w for w in words if _key(w) not in _ignored_words()]
        match = _match_month(month_words, ("gregorian", "hijri")) if month_words else None
        if match is None:
            continue
        calendar, month, edits = match
        made = None
        for start, end, split in _spans(toks, a, b, used_until):  # noqa: B007 (used after)
            first = "".join(t.text for t in toks[start : a + 1])
            last = "".join(t.text for t in toks[b : end + 1])
            if len(first) == 4 and len(last) <= 2:
                first, last = last, first  # year first: RTL reversal or a yyyy-month-dd form
            made = _make_date(first, month, last, calendar, latest_year)
            if made:
                break
        if made is None:
            continue
        calendar, value, repairs = made
        factor = TWO_DIGIT_YEAR if repairs else 1.0
        if split:
            repairs.append(split)
            factor *= SPACING
        if edits:
            repairs.append(f"month {' '.join(month_words)!r} read with {edits} correction(s)")
            factor *= MONTH_EDIT**edits
        if any(
            toks[i].glued and {toks[i].kind, toks[i - 1].kind} == {"num", "word"}
            for i in range(a + 1, b + 1)
        ):
            repairs.append("missing space restored")
            factor *= SPACING
        found.append(_Date(calendar, Parsed(value, factor, tuple(repairs)), start, end))
        used_until = end
    return found


def _numeric_dates(toks: list[_Tok], latest_year: int, taken: set[int]) -> list[_Date]:
    """Dates written in digits: 15/03/1995, 15-03-95, 1995-03-15, 15 03 1995."""
    found: list[_Date] = []
    i = 0
    while i < len(toks):
        if toks[i].kind != "num" or i in taken:
            i += 1
            continue
        parts, seps, j = [i], [], i + 1
        while len(parts) < 3 and j < len(toks):
            if toks[j].kind == "sep" and j + 1 < len(toks) and toks[j + 1].kind == "num":
                seps.append(toks[j].text)
                parts.append(j + 1)
                j += 2
            elif toks[j].kind == "num":
                seps.append(" ")
                parts.append(j)
                j += 1
            else:
                break
        if len(parts) < 3 or taken & set(range(i, j)):
            i += 1
            continue
        d, m, y = (toks[p].text for p in parts)
        if len(d) == 4:
            d, y = y, d
        made = _make_date(d, int(m), y, None, latest_year) if len(m) <= 2 else None
        if made is None:
            i += 1
            continue
        calendar, value, repairs = made
        factor = TWO_DIGIT_YEAR if repairs else 1.0
        if " " in seps:
            repairs.append("date parts separated by spaces only")
            factor *= BARE_SEPARATORS
        found.append(_Date(calendar, Parsed(value, factor, tuple(repairs)), i, j - 1))
        i = j
    return found


def _scan_dates(
    text: str, latest_year: int | None
) -> tuple[list[_Date], list[tuple[int, _Tok]], list[Repair]]:
    """Every date in `text`, the tokens that belong to none (with their index) and the
    text-level repairs."""
    toks, repairs = _prepare(text)
    # "1er": the ordinal is part of the day, "ler" is OCR's 1er.
    cleaned: list[_Tok] = []
    for i, t in enumerate(toks):
        if t.kind == "word" and _key(t.text) in _ORDINALS and cleaned and cleaned[-1].text == "1":
            continue
        if t.kind == "word" and t.text in ("ler", "ier"):
            repairs.append((f"{t.text!r} read as 1er", DIGIT_LETTER))
            t = _Tok("num", "1", t.glued)
        if t.text == _HA and _names_month(toks[i + 1 : i + 3]):
            # The Arabic-Indic five (٥) is a ring, which the Arabic model reads as ه.
            repairs.append((f"{_HA!r} read as 5", DIGIT_LETTER))
            t = _Tok("num", "5", t.glued)
        cleaned.append(t)
    latest = latest_year if latest_year is not None else datetime.date.today().year
    dates = _named_dates(cleaned, latest)
    taken = {i for d in dates for i in range(d.start, d.end + 1)}
    dates += _numeric_dates(cleaned, latest, taken)
    dates.sort(key=lambda d: d.start)
    taken = {i for d in dates for i in range(d.start, d.end + 1)}
    leftover = [
        (i, t)
        for i, t in enumerate(cleaned)
        if i not in taken and t.kind != "sep" and _key(t.text) not in _ignored_words()
    ]
    return dates, leftover, repairs


_HA = "ه"


def _names_month(toks: list[_Tok]) -> bool:
    """Whether these tokens start with a month's name (one or two words)."""
    words = [t.text for t in itertools.takewhile(lambda t: t.kind == "word", toks)]
    calendars = ("gregorian", "hijri")
    return any(_match_month(words[:n], calendars) for n in (1, 2) if len(words) >= n)


def _with_text_repairs(parsed: Parsed, repairs: list[Repair], leftover: list[_Tok]) -> Parsed:
    for reason, factor in repairs:
        parsed = parsed.penalised(factor, reason)
    for t in leftover:
        if len(t.text) == 1 and t.kind == "word":
            parsed = parsed.penalised(NOISE, f"stray {t.text!r} ignored")
        else:
            parsed = parsed.penalised(EXTRA_WORD, f"unexplained {t.text!r} ignored")
    return parsed


def _single_date(text: str, calendar: str, latest_year: int | None) -> Parsed | None:
    dates, leftover, repairs = _scan_dates(text, latest_year)
    mine = [d for d in dates if d.calendar == calendar]
    if len(mine) != 1:
        return None
    return _with_text_repairs(mine[0].parsed, repairs, [t for _, t in leftover])


def parse_gregorian_date(text: str, *, latest_year: int | None = None) -> Parsed | None:
    """ISO `YYYY-MM-DD` from `15/03/1995`, `15 mars 1995`, `1er mars 1995`, `15 مارس 1995`...

    Years 1780-2100. A two-digit year takes the latest century not after `latest_year`
    (default: this year; pass the register year when known). An impossible date, no date or
    two Gregorian dates give None; a Hijri reading beside it is allowed and ignored.
    """
    return _single_date(text, "gregorian", latest_year)


def parse_hijri_date(text: str) -> Parsed | None:
    """Hijri `YYYY-MM-DD` from `14 شوال 1415`, `14 شوال 1415 هـ`, `14/10/1415`.

    Day 1-30 (whether the month has 30 days is the calendar check's business), years
    HIJRI_YEARS.
    """
    return _single_date(text, "hijri", None)


def parse_arabic_date_line(
    text: str, *, latest_year: int | None = None
) -> tuple[Parsed | None, Parsed | None]:
    """(Gregorian, Hijri) from an Arabic date line `15 مارس 1995 الموافق 14 شوال 1415`.

    Each reading is recognised by its month name (or, in digits, by its year's range), not
    by `الموافق`, which OCR may garble: words between the two readings are not penalised.
    Either part may be None. With two readings of one calendar, the first is taken.
    """
    dates, leftover, repairs = _scan_dates(text, latest_year)
    greg = next((d for d in dates if d.calendar == "gregorian"), None)
    hijri = next((d for d in dates if d.calendar == "hijri"), None)
    if greg and hijri:  # what lies between the two readings is their connector
        lo, hi = sorted((greg, hijri), key=lambda d: d.start)
        leftover = [(i, t) for i, t in leftover if not lo.end < i < hi.start]
    extra = [t for _, t in leftover]
    return (
        _with_text_repairs(greg.parsed, repairs, extra) if greg else None,
        _with_text_repairs(hijri.parsed, repairs, extra) if hijri else None,
    )


def names_hijri_month(text: str) -> bool:
    """Whether the text holds a Hijri month's name (one or two words), or the second word
    of a two-word one: the wrapped end of an Arabic date line (`جمادى الآخرة ١٤٤٣`,
    `الأولى ١٣١٣`)."""
    words = [t.text for t in _prepare(text)[0] if t.kind == "word"]
    if any(_key(w) in _hijri_month_ends() for w in words):
        return True
    return any(
        _match_month(words[i : i + n], ("hijri",))
        for i in range(len(words))
        for n in (1, 2)
        if i + n <= len(words)
    )


@cache
def _hijri_month_ends() -> frozenset[str]:
    """The last words of the two-word Hijri month names (الأول, الآخرة, القعدة...)."""
    names = [n for ns in configs.load("months.toml")["hijri"].values() for n in ns]
    return frozenset(_key(n.split()[-1]) for n in names if len(n.split()) > 1)


def parse_hijri_day_month(text: str) -> Parsed | None:
    """`MM-DD` of a Hijri date whose year could not be read (`14 شوال 1/ل٤`): a day of one
    or two digits followed by a Hijri month name. The year is for the Gregorian date of
    the same line to tell (validation.correct.hijri_by_day_month). None when the line
    holds no such pair; call it only when `parse_arabic_date_line` found no Hijri date."""
    toks, _ = _prepare(text)
    for i, tok in enumerate(toks):
        if tok.kind != "num" or len(tok.text) > 2 or not 1 <= int(tok.text) <= 30:
            continue
        words: list[str] = []
        for t in toks[i + 1 : i + 3]:
            if t.kind != "word":
                break
            if _key(t.text) not in _ignored_words():
                words.append(t.text)
        for n in (2, 1):
            match = _match_month(words[:n], ("hijri",)) if len(words) >= n else None
            if match:
                _, month, edits = match
                return Parsed(f"{month:02d}-{int(tok.text):02d}", MONTH_EDIT**edits)
    return None


# --- Sex, numbers, text ------------------------------------------------------------------

_SEX_WORDS = {
    "ذكر": "M",
    "انثي": "F",
    "masculin": "M",
    "feminin": "F",
    "masc": "M",
    "fem": "F",
    "homme": "M",
    "femme": "F",
    "garcon": "M",
    "fille": "F",
}
_SEX_LETTERS = {"m": "M", "h": "M", "f": "F"}


def _sex_of(word: str) -> tuple[str, int] | None:
    if word in _SEX_LETTERS:
        return _SEX_LETTERS[word], 0
    if len(word) < 3:
        return None
    if word in _SEX_WORDS:
        return _SEX_WORDS[word], 0
    limit = 1 if len(word) <= 5 else 2
    hits = {
        (sex, Levenshtein.distance(word, w, score_cutoff=limit)) for w, sex in _SEX_WORDS.items()
    }
    hits = {(sex, d) for sex, d in hits if d <= limit}
    if not hits:
        return None
    fewest = min(d for _, d in hits)
    sexes = {sex for sex, d in hits if d == fewest}
    return (sexes.pop(), fewest) if len(sexes) == 1 else None


def parse_sex(text: str) -> Parsed | None:
    """`M` or `F` from ذكر / أنثى, Masculin / Féminin, M / H / F (case, accents, hamza and
    one or two OCR slips tolerated). Words that disagree give None."""
    words = fold(text).split()
    found: list[tuple[str, int]] = []
    extra: list[str] = []
    for w in words:
        hit = _sex_of(w)
        if hit:
            found.append(hit)
        else:
            extra.append(w)
    if not found or len({sex for sex, _ in found}) > 1:
        return None
    sex, edits = min(found, key=lambda h: h[1])
    parsed = Parsed(sex)
    if edits:
        parsed = parsed.penalised(FUZZY_SEX**edits, f"{edits} correction(s) in the word")
    return _with_text_repairs(parsed, [], [_Tok("word", w, False) for w in extra])


_NUMBER_WORDS = frozenset(
    _key(w)
    for w in (
        "n",
        "no",
        "nº",
        "num",
        "numero",
        "acte",
        "page",
        "p",
        "annee",
        "registre",
        "رقم",
        "عدد",
        "رسم",
        "الرسم",
        "صفحة",
        "الصفحة",
        "سنة",
        "لسنة",
        "السنة",
    )
)


def parse_number(text: str) -> Parsed | None:
    """The digits of an act, page or year number, without leading zeros: `N° 0123` -> 123.

    Tolerates `n°`, `No`, `رقم`, `عدد`, stray punctuation, Arabic-Indic digits and O/l read
    for 0/1 inside the number. Two separate numbers, or none, give None.
    """
    toks, repairs = _prepare(text)
    nums = [t for t in toks if t.kind == "num"]
    if not nums and [t.text for t in toks if _key(t.text) not in _NUMBER_WORDS] == [_HA]:
        # A lone Arabic-Indic five (٥), a ring the Arabic model reads as ه (صفحة ه).
        repairs.append((f"{_HA!r} read as 5", DIGIT_LETTER))
        toks = [_Tok("num", "5", t.glued) if t.text == _HA else t for t in toks]
        nums = [t for t in toks if t.kind == "num"]
    if len(nums) != 1:
        return None
    parsed = Parsed(nums[0].text.lstrip("0") or "0")
    leftover = [t for t in toks if t.kind == "word" and _key(t.text) not in _NUMBER_WORDS]
    return _with_text_repairs(parsed, repairs, leftover)


_INVISIBLE = re.compile("[\u200b-\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff]")
# An underscore is a space OCR read on the baseline (ياسمين_بلخوجة, EL_Mahjoub).
_DEBRIS_INSIDE = re.compile(r"[|\[\]{}:_]")
_EDGE = " |[]{}<>:;.,،؛!?\"'`‘’‚‛“”„«»‹›_-–—/\\*~°"


def clean_text(text: str) -> str:
    """A name or place value without OCR debris: edge punctuation, `|[]{}`, stray colons
    and underscores, doubled spaces go; letters, inner hyphens, apostrophes, dots and balanced
    parentheses stay."""
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
    text = " ".join(_DEBRIS_INSIDE.sub(" ", text).split())
    while True:
        before = text
        text = text.strip(_EDGE)
        if text.startswith(")") or (text.startswith("(") and ")" not in text):
            text = text[1:]
        if text.endswith("(") or (text.endswith(")") and "(" not in text):
            text = text[:-1]
        if text == before:
            return text


_NAME_PUNCT = re.compile(r"[.,;:!?،؛]+")


def clean_name(text: str) -> str:
    """A name or place value: `clean_text`, then stops and commas inside made spaces (no
    name in these registers holds them: "نورة.بنت" is two words run together), words
    without a letter dropped (stamp and signature debris: "= =", "٠", "2 33"), and a lone
    letter at either end dropped ("Badr Eddine N")."""
    words = [w for w in _NAME_PUNCT.sub(" ", clean_text(text)).split() if _has_letter(w)]
    words = [_small_inside(_INNER_PAREN.sub("", _LATIN_ONE.sub("l", w))) for w in words]
    while len(words) > 1 and len(words[-1]) == 1:
        words.pop()
    while len(words) > 1 and len(words[0]) == 1:
        words.pop(0)
    return clean_text(" ".join(words))


# A 1 against Latin letters in a name is an l (E1 Mokhtar, S1imane): no name holds a digit.
_LATIN_ONE = re.compile(r"(?<=[A-Za-z])1|1(?=[a-z])")
# A parenthesis between two letters of a word is a speck (Lared)j): names hold none there.
_INNER_PAREN = re.compile(r"(?<=[^\W\d_])[()](?=[^\W\d_])")


def _small_inside(word: str) -> str:
    """A capital OCR read inside a word written small (JameL, OumkeLtoum) written small;
    one beside its own small letter (AzZiz: the letter read twice) is left for validation,
    which knows the other side's spelling."""
    return _CAPITAL_INSIDE.sub(
        lambda m: m.group() if m.group(1).lower() == m.group(2).lower() else m.group().lower(),
        word,
    )


# A small letter then a capital that no small letter of the same follows (JameL, AzZiz).
_CAPITAL_INSIDE = re.compile("([a-zß-ÿ])([A-ZÀ-Þ])")


def _has_letter(word: str) -> bool:
    return any(ch.isalpha() for ch in word)
