"""Validation rules over resolved acts: calendars, the two sides, plausibility, completeness.

Every rule returns the issues it finds (all of them: the reviewer sees everything at once)
and moves the confidence of the fields involved: evidence that two independent readings
agree raises it, a failed check lowers it and says why in the field's notes.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from string import ascii_lowercase

from rapidfuzz.distance import Levenshtein

from ocr.text import fold, normalize, to_western_digits
from records import Act, FieldValue, Issue
from records.fields import (
    ACT_KEYS,
    ALL_KEYS,
    EARLIEST_YEAR,
    HIJRI_DATE_KEYS,
    counterpart,
    hijri_key,
    script_of_key,
)
from validation.calendars import dates_agree, hijri_gap_days
from validation.correct import (
    cross_correct,
    final_ya,
    gregorian_by_hijri,
    hamza_on_ya,
    hijri_by_day_month,
    hijri_by_gregorian,
    latin_words,
    respell_by_other_side,
    stray_hamza,
)
from validation.lexicon import PARTICLES
from validation.lexicon import load as load_lexicon
from validation.names import AGREE, transliteration_score
from validation.resolve import combine

# Keys an act may legitimately lack: a French line is missing now and then, the Hijri date
# is not always given, a death act gives the birth date only if known.
OPTIONAL_KEYS = frozenset(k for keys in ACT_KEYS.values() for k in keys if k.endswith("_fr")) | (
    HIJRI_DATE_KEYS
)
OPTIONAL_BY_TYPE = {"death": frozenset({"birth_date", "birth_date_hijri"})}
EVENT_KEY = {"birth": "birth_date", "death": "death_date", "marriage": "marriage_date"}
# Names, places and the commune: every key written in Arabic has a French twin.
ARABIC_TEXT_KEYS = tuple(k for k in ALL_KEYS if k.endswith("_ar"))

Rule = Callable[[Act], list[Issue]]

# How much a value the lexicons do not know keeps of its confidence (before calibration).
UNKNOWN_NAME = {"ar": 0.5, "fr": 0.7}
UNKNOWN_TWIN_KNOWN = 0.6  # and again when the other side's spelling is a known name
UNKNOWN_PLACE = 0.6
# Transliteration score (validation.names) of two spellings that render each other letter for
# letter, with no OCR slip forgiven: two misreadings, one in each script, rarely do. On the
# cached pages, of the Arabic names no lexicon knows whose French twin (unknown too) scores
# this, 21 were right and none wrong; from 0.98 (a word cut in two, or a dot slip the score
# forgives: خبيبة / Hbibba) 35 and 1; from AGREE, 35 and 8.
EXACT_TRANSLITERATION = 0.999
# A French spelling no lexicon holds that transliterates a known Arabic name this well, in
# no more words (articles aside), is mostly a spelling the lexicon lacks (Hajjouji /
# الحجوجي): on the cached pages 254 spellings scoring this were right and 15 wrong. The name
# supports it a little (the wrong ones being OCR slips the score forgives: Naïji).
SPELLING_SUPPORTED = 0.95
SPELLING_SUPPORT = 0.25


def lower(act: Act, keys: tuple[str, ...], factor: float, why: str) -> None:
    for key in keys:
        if (value := act.fields.get(key)) is not None:
            value.confidence = round(value.confidence * factor, 4)
            value.notes.append(why)


def corroborate(act: Act, a: str, b: str, weight: float = 1.0) -> None:
    """Two fields that independently confirm each other: each gains the other's support."""
    fa, fb = act.fields[a], act.fields[b]
    ca, cb = fa.confidence, fb.confidence
    fa.confidence = round(combine(ca, cb * weight), 4)
    fb.confidence = round(combine(cb, ca * weight), 4)


def support(act: Act, a: str, b: str, weight: float = 1.0) -> None:
    """Field `b` confirms field `a` (and not the other way round)."""
    fa = act.fields[a]
    fa.confidence = round(combine(fa.confidence, act.fields[b].confidence * weight), 4)


def _date(act: Act, key: str) -> dt.date | None:
    value = act.value(key)
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


_DAY_MONTH = re.compile(r"(\d\d)-(\d\d)")  # a Hijri reading without its year


def hijri_by_gregorian_date(act: Act) -> list[Issue]:
    """A Hijri date a digit or two off the Gregorian date of its line, as the French side
    reads that date, is corrected (validation.correct.hijri_by_gregorian); one whose year
    was unreadable (`MM-DD`) takes the year of the day and month read from that date
    (either side's: a day and month agree with it by chance 5 days in 354), or is
    dropped."""
    for hkey in sorted(HIJRI_DATE_KEYS & act.fields.keys()):
        gregorian = act.fields.get(hkey.removesuffix("_hijri"))
        # The French column's digits are read far better than the Arabic column's.
        french = gregorian is not None and gregorian.side in ("fr", "both")
        hijri = act.fields[hkey]
        if partial := _DAY_MONTH.fullmatch(hijri.value):
            kept = [r for r in act.readings.get(hkey, []) if not _DAY_MONTH.fullmatch(r.value)]
            if kept:
                act.readings[hkey] = kept
            else:
                act.readings.pop(hkey, None)
            month, day = (int(g) for g in partial.groups())
            full = hijri_by_day_month(gregorian.value, month, day) if gregorian else None
            if full is None:
                del act.fields[hkey]
                continue
            # A correction: it does not also confirm the date it was taken from. As sure
            # as that date, less the chance of a day misread within the five possible
            # (the Arabic line's own score says little here: its year is the part that
            # failed); the Gregorian date read on the Arabic line too: no surer than either.
            sure = gregorian.confidence if french else min(gregorian.confidence, hijri.confidence)
            _correct(hijri, full, sure, "year of the Gregorian date")
            continue
        if not french:
            continue
        if found := hijri_by_gregorian(gregorian.value, hijri.value):
            fixed, likely = found
            _correct(hijri, fixed, gregorian.confidence * likely, "the Gregorian date")
    return []


def gregorian_year_by_hijri(act: Act) -> list[Issue]:
    """A Gregorian date read on the Arabic side alone, whose year is a digit off the year
    with which the Hijri date of its line agrees, is corrected (validation.correct.
    gregorian_by_hijri): the Arabic models confuse ٢ and ٦, ٤ and ۶, and two calendars
    agreeing on a day by chance is rare."""
    for hkey in sorted(HIJRI_DATE_KEYS & act.fields.keys()):
        gregorian = act.fields.get(hkey.removesuffix("_hijri"))
        hijri = act.fields[hkey]
        if gregorian is None or gregorian.side != "ar":
            continue
        fixed = gregorian_by_hijri(gregorian.value, hijri.value)
        if fixed:
            confidence = min(gregorian.confidence, hijri.confidence)
            _correct(gregorian, fixed, confidence, "the Hijri date's year")
    return []


def drawn_up_year_by_register(act: Act) -> list[Issue]:
    """A drawn-up date read on the Arabic side alone, a digit off the register year in its
    year, is of the register year when the act's event falls in that year too (or the one
    before): an act is drawn up in its register's year, and the event's date confirms
    which year the register is."""
    drawn, year = act.fields.get("drawn_up_date"), act.register_year
    event_key = EVENT_KEY.get(act.act_type or "")
    event = _date(act, event_key) if event_key else None
    read = _date(act, "drawn_up_date")
    if drawn is None or drawn.side != "ar" or year is None or event is None or read is None:
        return []
    digits, wanted = f"{read.year:04d}", f"{year:04d}"
    if (
        not year - 1 <= event.year <= year
        or sum(a != b for a, b in zip(digits, wanted, strict=True)) != 1
    ):
        return []
    try:
        corrected = read.replace(year=year)
    except ValueError:  # 29 February
        return []
    if corrected < event:
        return []
    _correct(drawn, corrected.isoformat(), drawn.confidence, "the register year")
    return []


def hijri_agreement(act: Act) -> list[Issue]:
    """The Gregorian and Hijri dates of one line must agree within two days."""
    issues = []
    for hkey in sorted(HIJRI_DATE_KEYS & act.fields.keys()):
        gkey = hkey.removesuffix("_hijri")
        if gkey not in act.fields or _corrected(act, hkey):
            continue
        gap = hijri_gap_days(act.fields[gkey].value, act.fields[hkey].value)
        if gap is not None and abs(gap) <= 2:
            corroborate(act, gkey, hkey)
        else:
            why = (
                f"{act.value(gkey)} and the Hijri {act.value(hkey)} are {abs(gap)} days apart"
                if gap is not None
                else f"the Hijri date {act.value(hkey)} cannot be converted"
            )
            lower(act, (gkey, hkey), 0.4, why)
            # Two readings of one date that contradict each other: the calibration, fitted
            # where this is rare, would lift the lowered confidences back; a reviewer decides.
            issues.append(Issue("hijri_mismatch", why, (gkey, hkey), blocking=True))
    return issues


FRENCH_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzàâæçéèêëîïôœùûüÿ")
# Words that start a name part and never end a name: a name read ending in one was cut short.
NEVER_LAST = PARTICLES | {fold("عبد"), "abd", "abdel"}
# One letter read twice (the LSTM's "diplopia"): a diaeresis, which parts a vowel from
# another, beside its own vowel (Ismaiïl); a small letter then its own capital (AzZiz).
READ_TWICE = re.compile(
    "(?i:iï|ïi|uü|üu|eë|ëe)|" + "|".join(c + c.upper() for c in ascii_lowercase)
)


def text_plausible(act: Act) -> list[Issue]:
    """Names and places hold letters of their own script only: no digits, no Latin in an
    Arabic field, no letter French spelling never uses (OCR reads "ä" for "a"), nor one read
    twice (Ismaiïl); no name ends in a particle (Abdelmajid ben: the rest was not read)."""
    issues = []
    for key in sorted(act.fields):
        side = script_of_key(key)
        if side is None:
            continue
        value = act.fields[key].value
        problems = []
        if any(ch.isdigit() for ch in to_western_digits(value)):
            problems.append("digits")
        letters = [ch for ch in value if ch.isalpha()]
        if side == "fr" and any(ch.casefold() not in FRENCH_LETTERS for ch in letters):
            problems.append("letters French spelling does not use")
        if side == "fr" and READ_TWICE.search(value):
            problems.append("a letter read twice")
        if side == "ar" and any(ch.isascii() for ch in letters):
            problems.append("Latin letters")
        words = fold(value).split()
        if not is_place(key) and words and words[-1] in NEVER_LAST:
            problems.append(f"{value.split()[-1]!r} last: the name is cut short")
        if problems:
            why = f"{key} {value!r} holds {' and '.join(problems)}"
            lower(act, (key,), 0.3, why)
            issues.append(Issue("implausible_text", why, (key,), blocking=True))
    return issues


def final_ya_by_spelling(act: Act) -> list[Issue]:
    """Set a word-final ي / ى of an Arabic name by its French spelling (validation.correct)."""
    _respell_by_french(act, final_ya, "final ya set by the French spelling", places=True)
    return []


def _respell_by_french(
    act: Act, respell: Callable[[str, str], str | None], why: str, *, places: bool
) -> None:
    """Each Arabic text field as `respell` makes it given its French twin's value ("" when
    the act has none), with a note saying `why`; places too when `places`."""
    for akey in ARABIC_TEXT_KEYS:
        if akey in act.fields and (places or not is_place(akey)):
            value, twin = act.fields[akey], act.fields.get(counterpart(akey))
            if fixed := respell(value.value, twin.value if twin else ""):
                value.notes.append(f"{why}: {value.value!r} -> {fixed!r}")
                value.value = fixed


def hamza_by_lexicon(act: Act) -> list[Issue]:
    """Put back the hamza Tesseract drops from its seat where the lexicon spells a name
    only with it (validation.correct.hamza_on_ya)."""
    lexicon = load_lexicon()
    for key in ARABIC_TEXT_KEYS:
        if key in act.fields and not is_place(key):
            value = act.fields[key]
            if fixed := hamza_on_ya(value.value, lexicon):
                value.notes.append(f"hamza restored by the lexicon: {value.value!r} -> {fixed!r}")
                value.value = fixed
    return []


def stray_hamza_by_spelling(act: Act) -> list[Issue]:
    """Drop a hamza or madda specks put on an alef where a name has none
    (validation.correct.stray_hamza): ألشامي with Echchami, بنكيرآن."""
    _respell_by_french(act, stray_hamza, "stray hamza dropped", places=False)
    return []


CORRECTED = "corrected by the other side"
# What a value corrected by its twin keeps of the twin's confidence: it is right only if
# the twin is, and the correction was one of the few the lexicon allowed. (Not the misread
# value's own confidence, which priced the letters the correction replaced: taking the
# lower of the two kept right corrections under the threshold; review 35.5 -> 32.9 % on
# the dev pages, 45.3 -> 41.6 % and 41.0 -> 38.5 % on the calibration pages.)
CORRECTED_SHARE = 0.9


def correct_names_by_other_side(act: Act) -> list[Issue]:
    """A name misread by a letter or two on one side, whose other side reads a name the
    lexicon spells that way in this script, is corrected (validation.correct.cross_correct)."""
    lexicon = load_lexicon()
    for akey in ARABIC_TEXT_KEYS:
        fkey = counterpart(akey)
        if is_place(akey) or akey not in act.fields or fkey not in act.fields:
            continue
        fa, ff = act.fields[akey], act.fields[fkey]
        new_ar, new_fr = cross_correct(fa.value, ff.value, lexicon)
        for value, new, twin in ((fa, new_ar, ff), (ff, new_fr, fa)):
            if new is None:
                continue
            _correct(value, new, twin.confidence)
        if respelt := respell_by_other_side(fa.value, ff.value, lexicon):
            _correct(fa, respelt, ff.confidence)
    return []


def _correct(value: FieldValue, new: str, confidence: float, source: str = "") -> None:
    """Set a value to its correction, noted (from what `source`, if said), with
    `CORRECTED_SHARE` of the `confidence` of what corrected it."""
    note = f"{CORRECTED}: {value.value!r} -> {new!r}" + (f" ({source})" if source else "")
    value.notes.append(note)
    value.value = new
    value.confidence = round(confidence * CORRECTED_SHARE, 4)


def _corrected(act: Act, *keys: str) -> bool:
    return any(n.startswith(CORRECTED) for k in keys for n in act.fields[k].notes)


def is_place(key: str) -> bool:
    return "_place_" in key or key.startswith("commune_")


def snap_places(act: Act) -> list[Issue]:
    """A place read one or two letters off a place the lexicon knows, when the other side
    reads (or nearly reads) that same place, is that place: the near miss is replaced by
    the lexicon's spelling. Both sides and the lexicon must agree; nothing else is snapped."""
    lexicon = load_lexicon()
    for akey in ARABIC_TEXT_KEYS:
        fkey = counterpart(akey)
        if not is_place(akey) or akey not in act.fields or fkey not in act.fields:
            continue
        sides = ((akey, "ar"), (fkey, "fr"))
        exact = {key: lexicon.place(act.fields[key].value, side) for key, side in sides}
        found = {}
        for (key, side), (twin, _) in zip(sides, reversed(sides), strict=True):
            value = act.fields[key].value
            place = exact[key]
            if place is not None:  # hamza and madda as the lexicon writes them
                found[key] = (place, lexicon.spelling(place, value, side))
            else:
                near = lexicon.nearest_place(value, side, among=exact[twin])
                found[key] = near if near else (None, None)
        (place_a, snap_a), (place_f, snap_f) = found[akey], found[fkey]
        if place_a is None or place_a is not place_f:
            continue
        for key, spelling in ((akey, snap_a), (fkey, snap_f)):
            value = act.fields[key]
            if spelling is not None and normalize(spelling) != normalize(value.value):
                value.notes.append(
                    f"{value.value!r} is {spelling!r} misread, which the other side "
                    "confirms: snapped to the lexicon's spelling"
                )
                value.value = spelling
    return []


def lexicon_support(act: Act) -> list[Issue]:
    """Names and places the lexicons do not know are less likely read right (an OCR slip
    rarely lands on another real name). Evidence only: no value is changed."""
    lexicon = load_lexicon()
    for key in sorted(act.fields):
        side = script_of_key(key)
        if side is None:
            continue
        value = act.fields[key].value
        if is_place(key):
            if not lexicon.knows_place(value, side):
                lower(act, (key,), UNKNOWN_PLACE, f"{value!r} is not a place the lexicon knows")
        elif unknown := lexicon.unknown_name_words(value, side):
            factor = UNKNOWN_NAME[side]
            twin = act.fields.get(counterpart(key))
            if twin is not None and not lexicon.unknown_name_words(
                twin.value, "fr" if side == "ar" else "ar"
            ):
                # The other side writes a name the lexicon knows: this side misread it.
                factor *= UNKNOWN_TWIN_KNOWN
            lower(act, (key,), factor, f"not in the name lexicon: {' '.join(unknown)}")
    return []


def sides_agree(act: Act) -> list[Issue]:
    """The Arabic and French spellings of a name or place must be transliterations."""
    issues = []
    for akey in ARABIC_TEXT_KEYS:
        fkey = counterpart(akey)
        if akey not in act.fields or fkey not in act.fields:
            continue
        arabic, latin = act.fields[akey].value, act.fields[fkey].value
        if _corrected(act, akey, fkey):
            continue  # they agree by construction: no evidence either way
        lexicon = load_lexicon()
        if is_place(akey) and lexicon.same_place(arabic, latin):
            corroborate(act, akey, fkey, weight=0.5)
        elif (score := transliteration_score(arabic, latin)) >= AGREE:
            # The agreement forgives OCR slips: with a word the lexicon does not know on
            # either side (ميارك for مبارك), it is no evidence the slip is not there.
            unknown_ar = not is_place(akey) and lexicon.unknown_name_words(arabic, "ar")
            unknown_fr = not is_place(akey) and lexicon.unknown_name_words(latin, "fr")
            # A French spelling no lexicon holds that renders a known Arabic name letter for
            # letter (Hbiba / حبيبة) is a spelling the lexicon lacks, rarely a slip: on seven
            # cached sets 51 such names were right, 3 wrong (Ismaiïl, now implausible).
            exact_spelling = unknown_fr and score >= EXACT_TRANSLITERATION
            if not unknown_ar and (not unknown_fr or exact_spelling):
                corroborate(act, akey, fkey, weight=0.5)
            elif not (unknown_ar and unknown_fr):
                # A known name the other side's unknown spelling transliterates: the
                # spelling supports the name; the name a French spelling only a little,
                # where it transliterates the name closely (SPELLING_SUPPORTED).
                known, other = (fkey, akey) if unknown_ar else (akey, fkey)
                support(act, known, other, weight=0.5)
                if (
                    unknown_fr
                    and score >= SPELLING_SUPPORTED
                    and len(latin_words(latin)) <= len(arabic.split())
                ):
                    support(act, fkey, akey, weight=SPELLING_SUPPORT)
            elif score >= EXACT_TRANSLITERATION:
                # Two names no lexicon knows (Fadma, فاضمة), each the other letter for letter.
                corroborate(act, akey, fkey, weight=0.5)
        else:
            why = f"{arabic!r} and {latin!r} do not look like the same name"
            lower(act, (akey, fkey), 0.5, why)
            issues.append(Issue("names_disagree", why, (akey, fkey)))
    return issues


OLDEST_AGE = 115  # years: an older age at death is a misread date


def dates_plausible(act: Act) -> list[Issue]:
    """Dates in range and in order: the act drawn up on or after the event, the event in or
    just before the register year, spouses of age, a death after the birth at a possible
    age. Each of these contradictions is for a reviewer to settle (a late declaration only
    lowers confidence)."""
    issues: list[Issue] = []

    def flag(
        rule: str, why: str, keys: tuple[str, ...], factor: float = 0.5, blocking: bool = True
    ) -> None:
        lower(act, keys, factor, why)
        issues.append(Issue(rule, why, keys, blocking))

    today = dt.date.today()
    for key in sorted(act.fields):
        if (
            key.endswith("_date")
            and (date := _date(act, key))
            and not EARLIEST_YEAR <= date.year <= today.year
        ):
            why = f"{key} {date} is outside {EARLIEST_YEAR}-{today.year}"
            flag("date_out_of_range", why, (key,), 0.3)

    act_type = act.act_type or ""
    event_key = EVENT_KEY.get(act_type)
    event = _date(act, event_key) if event_key else None
    drawn_up = _date(act, "drawn_up_date")
    year = act.register_year
    if event and drawn_up:
        if drawn_up < event:
            flag(
                "drawn_up_before_event",
                f"drawn up {drawn_up}, before the event {event}",
                (event_key, "drawn_up_date"),
            )
        elif (drawn_up - event).days > 366:
            flag(
                "late_drawn_up",
                f"drawn up {(drawn_up - event).days} days after the event",
                (event_key, "drawn_up_date"),
                0.8,
                blocking=False,
            )
    if year and event and not year - 1 <= event.year <= year:
        flag(
            "event_outside_register_year",
            f"{event_key} {event} is not in or just before the register year {year}",
            (event_key, "register_year"),
        )
    if year and drawn_up and drawn_up.year != year:
        flag(
            "drawn_up_outside_register_year",
            f"drawn up {drawn_up}, outside the register year {year}",
            ("drawn_up_date", "register_year"),
        )

    if act_type == "death" and event and (born := _date(act, "birth_date")):
        if born > event:
            why = f"born {born}, after the death {event}"
            flag("death_before_birth", why, ("birth_date", event_key))
        elif (event - born).days / 365.25 > OLDEST_AGE:
            why = f"would have died at {(event - born).days // 365}"
            flag("age_at_death", why, ("birth_date", event_key))
    if act_type == "marriage" and event:
        for spouse in ("husband", "wife"):
            key = f"{spouse}_birth_date"
            if (born := _date(act, key)) and not 15 <= (event - born).days / 365.25 <= 100:
                flag(
                    "spouse_age",
                    f"the {spouse} would be {(event - born).days // 365} at the marriage",
                    (key, event_key),
                )
    return issues


def completeness(act: Act) -> list[Issue]:
    """Every key the act type has, or a reason to look; lines nobody read block acceptance."""
    act_type = act.act_type
    if act_type not in ACT_KEYS:
        return [Issue("unknown_act_type", f"unknown act type {act_type!r}", ("act_type",), True)]
    optional = OPTIONAL_KEYS | OPTIONAL_BY_TYPE.get(act_type, frozenset())
    missing = [k for k in ACT_KEYS[act_type] if k not in act.fields]
    required = tuple(k for k in missing if k not in optional)
    issues = []
    if required:
        issues.append(Issue("missing_field", "not read: " + ", ".join(required), required, True))
    return issues


# The checks that may settle what the two sides read differently: the value they pass and
# every other reading fails is the one printed.
SETTLING_CHECKS: tuple[Rule, ...] = (hijri_agreement, dates_plausible)


# What a number or date read in the French column keeps of its own confidence when it is
# preferred to the Arabic column's reading with no check to confirm it.
LATIN_DIGITS_SHARE = 0.9


def settle_disagreements(act: Act) -> list[Issue]:
    """A number or date the two sides read differently is settled when the value chosen
    passes the act's calendar and date checks and every other reading fails them (a 1968
    read for 1948 in an act whose other dates and register year say 1948); the value keeps
    the confidence of its own readings. Failing that, a value read in the French column
    that passes the checks is preferred to the Arabic column's readings: Tesseract's
    Arabic models misread Arabic-Indic digits far more often than `fra` misreads Latin
    ones (on the calibration pages the French reading was right in 74 of 74 such
    disagreements); it keeps LATIN_DIGITS_SHARE of its own confidence and the calibration
    prices it. Either way the issue stays for the reviewer to see but no longer blocks."""
    for n, issue in enumerate(act.issues):
        if issue.rule != "sides_disagree" or not issue.blocking or len(issue.fields) != 1:
            continue
        key = issue.fields[0]
        if key == "act_type":
            if _settle_type(act):
                act.issues[n] = Issue(
                    issue.rule, f"{issue.message} (settled by its fields)", (key,)
                )
            continue
        if not (key in ("register_year", "act_number", "page") or key.endswith("_date")):
            continue
        chosen = act.fields[key]
        readings = act.readings.get(key, [])
        others = {r.value for r in readings} - {chosen.value}
        if not others or _fails_checks(act, key, chosen.value):
            continue
        own = [r for r in readings if r.value == chosen.value]
        if all(_fails_checks(act, key, other) for other in others):
            chosen.confidence = round(
                max((r.confidence for r in own), default=chosen.confidence), 4
            )
            chosen.notes.append("settled: the other readings fail the act's date checks")
            why = "settled by the act's dates"
        elif {r.side for r in own} == {"fr"} and all(
            r.side == "ar" for r in readings if r.value != chosen.value
        ):
            best = max(r.confidence for r in own)
            chosen.confidence = round(best * LATIN_DIGITS_SHARE, 4)
            chosen.notes.append("settled: the French column's Latin digits over the Arabic's")
            why = "settled by the French column's digits"
        else:
            continue
        act.issues[n] = Issue(issue.rule, f"{issue.message} ({why})", issue.fields)
        _hijri_follows(act, key)
    return []


def _settle_type(act: Act) -> bool:
    """Settle an act type the two sides read differently (a garbled register title read
    as another type) by the fields the act holds: only one of the types read has fields
    of its own among them (a death date, a spouse's name, a birth place). The type keeps
    the confidence of its own readings."""
    readings = act.readings.get("act_type", [])
    fitting = {r.value for r in readings if _own_keys(r.value) & act.fields.keys()}
    if len(fitting) != 1:
        return False
    (value,) = fitting
    chosen = act.fields["act_type"]
    chosen.value = value
    chosen.confidence = round(max(r.confidence for r in readings if r.value == value), 4)
    chosen.notes.append("settled: the act's fields are those of its type")
    return True


def _own_keys(act_type: str) -> set[str]:
    """The field keys of `act_type` that no other type has."""
    others = {k for t, keys in ACT_KEYS.items() if t != act_type for k in keys}
    return set(ACT_KEYS.get(act_type, ())) - others


def _hijri_follows(act: Act, key: str) -> None:
    """A Hijri date corrected by the Gregorian date of its line took that date's confidence
    when the two sides still disagreed on it; once the date is settled, it takes the
    settled one's (if it still agrees with it)."""
    hkey = hijri_key(key)
    hijri = act.fields.get(hkey) if hkey else None
    gregorian = act.fields[key]
    if hijri is None or not any(n.startswith(CORRECTED) for n in hijri.notes):
        return
    if dates_agree(gregorian.value, hijri.value):
        share = round(gregorian.confidence * CORRECTED_SHARE, 4)
        hijri.confidence = max(hijri.confidence, share)


def _fails_checks(act: Act, key: str, value: str) -> bool:
    """Whether the act, with `value` for `key`, fails a blocking check that involves `key`."""
    trial = copy.deepcopy(act)
    trial.fields[key].value = value
    trial.issues = []
    return any(
        issue.blocking and key in issue.fields
        for check in SETTLING_CHECKS
        for issue in check(trial)
    )


ACT_RULES: tuple[Rule, ...] = (
    hijri_by_gregorian_date,
    gregorian_year_by_hijri,
    drawn_up_year_by_register,
    hijri_agreement,
    correct_names_by_other_side,
    final_ya_by_spelling,  # of the values as corrected: a correction spells the lexicon's ي
    hamza_by_lexicon,  # of the values as read or corrected (a correction spells ويام)
    stray_hamza_by_spelling,
    snap_places,
    text_plausible,  # of the values as corrected: Keñi the Arabic side made Kefi is fine
    lexicon_support,
    sides_agree,
    dates_plausible,
    settle_disagreements,
    completeness,
)


# Fields that name the same thing in every act of a page: the officer who drew them up.
PAGE_KEYS = ("officer_name_ar", "officer_name_fr")
# How many acts of a page must read a name alike for each reading to confirm the others.
ALIKE = 3


# A reading of the officer's name this close to the page's consensus is a misreading of it.
CONSENSUS_EDITS = 2
AS_THE_PAGE_READS = "as the page's other acts read it"


def officer_by_consensus(acts: list[Act]) -> list[Issue]:
    """The officer who drew up a page's acts is one person: a reading of the officer's
    name a letter or two off the one most of the page's other acts agree on (two at
    least, no rival as common), and less sure than they are, is that name misread
    (Youncs Belkid, Younes Belkaid twice). Run on the resolved readings, before the act
    rules, which then judge the value as corrected."""
    for key in PAGE_KEYS:
        fields = [act.fields[key] for act in acts if key in act.fields]
        counts = Counter(normalize(f.value) for f in fields).most_common(2)
        if not counts or counts[0][1] < 2 or (len(counts) == 2 and counts[1][1] == counts[0][1]):
            continue
        consensus = counts[0][0]
        alike = sorted(
            (f for f in fields if normalize(f.value) == consensus), key=lambda f: f.confidence
        )
        median = alike[len(alike) // 2]
        edits = max(CONSENSUS_EDITS, len(consensus) // 4)
        for f in fields:
            read = normalize(f.value)
            if (
                # a final ى or ي is the French spelling's to settle (final_ya_by_spelling)
                read.replace("ى", "ي") != consensus.replace("ى", "ي")
                and f.confidence < median.confidence
                and Levenshtein.distance(read, consensus, score_cutoff=edits) <= edits
            ):
                n = len(alike)
                f.notes.append(f"{f.value!r} -> {median.value!r}: {AS_THE_PAGE_READS} ({n})")
                f.value, f.confidence = median.value, median.confidence
    return []


def officer_by_sure_act(acts: list[Act], checked: list[Act], sure: float) -> list[Issue]:
    """An act of the page whose two sides name the officer alike, each at least `sure`
    (a calibrated confidence, `checked` being calibrated), says who the page's officer
    is. Another act of the page that reads one side of the name as it does names the same
    person, so its other side, missing or read otherwise (Bat ou) E+-AmtRe beside البتول
    الأمين), is that person's name misread: when less sure than the reference, or when it
    does not transliterate the side read alike (an OCR engine can be sure of a
    misreading). `checked[i]` is the officer's name of `acts[i]` as the act rules leave it
    (respelt, corrected by the other side): a side is read alike when read or so left
    alike; the value given is the reference's as left, as sure (raw) as the weaker of the
    readings. Nothing is done when the page's sure acts name different officers. Run
    after `officer_by_consensus`, before the act rules."""

    def names(act: Act) -> tuple[str, str]:
        return tuple(normalize(act.fields[k].value) if k in act.fields else "" for k in PAGE_KEYS)

    references = {
        names(trial): i
        for i, trial in enumerate(checked)
        if all(k in trial.fields and trial.fields[k].confidence >= sure for k in PAGE_KEYS)
        and _names_one(trial)
    }
    if len(references) != 1:
        return []
    ((officer, ref),) = references.items()
    as_read = names(acts[ref])
    for act, trial in zip(acts, checked, strict=True):
        if act is acts[ref]:
            continue
        own, own_read = names(trial), names(act)
        for i, key in enumerate(PAGE_KEYS):
            other = PAGE_KEYS[1 - i]
            alike = own[1 - i] == officer[1 - i] or own_read[1 - i] == as_read[1 - i]
            if other not in act.fields or not alike or own[i] == officer[i]:
                continue
            read, given = act.fields.get(key), acts[ref].fields[key]
            mine, theirs = trial.fields.get(key), checked[ref].fields[key]
            if mine and mine.value and mine.confidence >= theirs.confidence and _names_one(trial):
                continue
            value = copy.deepcopy(checked[ref].fields[key])
            value.confidence = min(given.confidence, act.fields[other].confidence)
            was = f"{read.value!r} -> " if read and read.value else ""
            value.notes = [f"{was}{value.value!r}: {AS_THE_PAGE_READS} (its other side alike)"]
            act.fields[key] = value
    return []


def _names_one(act: Act) -> bool:
    """Whether the act's two sides name the officer alike."""
    ar, fr = (act.fields.get(k) for k in PAGE_KEYS)
    return bool(ar and fr) and transliteration_score(ar.value, fr.value) >= AGREE


def names_alike_on_the_page(acts: list[Act]) -> list[Issue]:
    """The officer's name read alike in ALIKE acts of a page or more: each reading,
    made from its own pixels, confirms the others (with half their weight: one font's
    glyph may be misread alike every time), as a lexicon would that knew the name
    (an officer's name the lexicons lack is no rarer than anyone's). Readings set to
    the page's consensus (`officer_by_consensus`) are no evidence of it."""
    for key in PAGE_KEYS:
        fields = [
            act.fields[key]
            for act in acts
            if key in act.fields and not any(AS_THE_PAGE_READS in n for n in act.fields[key].notes)
        ]
        by_value = Counter(normalize(f.value) for f in fields)
        for value, count in by_value.items():
            if count < ALIKE:
                continue
            alike = [f for f in fields if normalize(f.value) == value]
            support = sorted(f.confidence for f in alike)[len(alike) // 2]  # the median
            for f in alike:
                f.confidence = round(combine(f.confidence, support * 0.5), 4)
    return []


def act_number_sequence(acts: list[Act]) -> list[Issue]:
    """Acts on one page follow each other: numbers in top-to-bottom order go up by one.
    The sequence most acts keep (number minus position) is taken as the page's; a number
    off it is suspect and goes to a reviewer, the numbers on it are confirmed a little.
    With no sequence two acts share, every number is suspect."""
    numbered = [a for a in acts if (a.act_number or "").isdigit()]
    numbered.sort(key=lambda a: a.source.bbox[1] if a.source and a.source.bbox else 0)
    if len(numbered) < 2:
        return []
    # A page scanned upside down is read turned, its acts' boxes given in the scan's own
    # pixels: bottom to top. The order the numbers follow better is the page's.
    forward = Counter(int(a.act_number) - i for i, a in enumerate(numbered))
    backward = Counter(int(a.act_number) + i for i, a in enumerate(numbered))
    if backward.most_common(1)[0][1] > forward.most_common(1)[0][1]:
        numbered.reverse()
    offsets = [int(a.act_number) - i for i, a in enumerate(numbered)]
    counts = Counter(offsets)
    offset, support = counts.most_common(1)[0]
    tied = sum(1 for c in counts.values() if c == support) > 1
    issues = []
    for act, own in zip(numbered, offsets, strict=True):
        if support >= 2 and not tied and own == offset:
            value = act.fields["act_number"]
            value.confidence = round(combine(value.confidence, 0.5), 4)
            _settle_by_sequence(act)
            continue
        numbers = [int(a.act_number) for a in numbered]
        why = f"act number {act.act_number} does not follow the others on the page ({numbers})"
        lower(act, ("act_number",), 0.5, why)
        # Calibration cannot see this rare failure in the act number's confidence:
        # a number out of sequence goes to a reviewer.
        issue = Issue("act_number_sequence", why, ("act_number",), blocking=True)
        act.issues.append(issue)
        issues.append(issue)
    return issues


def _settle_by_sequence(act: Act) -> None:
    """The act number on the page's sequence settles what the other side read off it."""
    for n, issue in enumerate(act.issues):
        if issue.rule == "sides_disagree" and issue.blocking and issue.fields == ("act_number",):
            value = act.fields["act_number"]
            value.notes.append("settled: the other reading is off the page's sequence")
            act.issues[n] = Issue(
                issue.rule, issue.message + " (settled by the page's sequence)", issue.fields
            )
