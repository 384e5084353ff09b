"""Corrections one side of an act allows on the other, and one calendar on the other.

Tesseract's Arabic model often reads a word-final ي as ى (and the reverse); the two are not
folded for an exact match because they distinguish names (register-forms.md). The French
spelling of the same name settles it: a final -i/-y is ي (العلوي / Alaoui, الطرابلسي /
Trabelsi), a final -a is ى (موسى / Moussa, منى / Mouna).
"""

from __future__ import annotations

import datetime
import itertools
import math
from collections.abc import Mapping
from itertools import pairwise

from rapidfuzz.distance import Levenshtein

from ocr.text import fold
from validation.calendars import dates_agree, gregorian_to_hijri
from validation.lexicon import PARTICLES, Lexicon
from validation.misreadings import common_slip, read_as
from validation.names import names_agree, transliteration_score

YA, ALEF_MAQSURA, HAMZA = "ي", "ى", "ء"
_I_ENDINGS = ("i", "y")
_A_ENDINGS = ("a",)
# The Arabic article is part of the word (المهدي); the French writes it apart (El Mehdi).
ARTICLES = frozenset({"el", "al", "ed", "es", "et", "ez", "en", "er", "ech", "ej"})


def latin_words(latin: str) -> list[str]:
    """The folded words of a French spelling, its articles aside (El Fassi: fassi)."""
    return [w for w, _ in _latin_words_after_article(latin)]


def _latin_words_after_article(latin: str) -> list[tuple[str, bool]]:
    """`latin_words`, each with whether an article stood before it (El Fassi: fassi, True)."""
    out: list[tuple[str, bool]] = []
    after_article = False
    for w in fold(latin).split():
        if w in ARTICLES:
            after_article = True
        else:
            out.append((w, after_article))
            after_article = False
    return out


def word_starts(words: list[str]) -> list[int]:
    """Where each word the French writes starts among the words of an Arabic name: عبد and
    ابو are one word with the next (عبد المومن: Abdelmoumen)."""
    return [i for i, w in enumerate(words) if i == 0 or fold(words[i - 1]) not in _ABD]


def final_ya(arabic: str, latin: str) -> str | None:
    """The Arabic value with its word-final ي / ى set by the French spelling of the same
    words (عبد القادر is one word: Abdelkader), or None when nothing changes or the words
    cannot be paired one to one."""
    a_words = arabic.split()
    l_words = latin_words(latin)
    starts = word_starts(a_words)
    if not a_words or len(starts) != len(l_words):
        return None
    changed = False
    for end, l_word in zip([*starts[1:], len(a_words)], l_words, strict=True):
        a_word = a_words[end - 1]  # the last of the Arabic words the French word spells
        if a_word[-1:] not in (YA, ALEF_MAQSURA) or len(a_word) < 2:
            continue
        wanted = (
            YA
            if l_word.endswith(_I_ENDINGS)
            else ALEF_MAQSURA
            if l_word.endswith(_A_ENDINGS)
            else None
        )
        if wanted and a_word[-1] != wanted:
            a_words[end - 1] = a_word[:-1] + wanted
            changed = True
    return " ".join(a_words) if changed else None


_HAMZA_ALEFS = ("أ", "إ", "آ")
_VOWELS = "aeiouy"


def stray_hamza(arabic: str, latin: str) -> str | None:
    """The Arabic value without the hamza or madda that specks put on an alef where a name
    never carries one, or None when nothing changes: a madda inside a word (بنكيرآن, لآلة:
    a name writes a bare alef there), and a hamza on the article's alef (ألشامي) where the
    French spelling shows the article (El, or the sun letter doubled: Echchami) or starts
    the word on a consonant (Tazi for ألتازي), not on the vowel of إلهام (Elham), إلياس."""
    words = arabic.split()
    l_words = _latin_words_after_article(latin)
    aligned = len(l_words) == len(words)
    out = []
    for i, word in enumerate(words):
        start = 3 if word.startswith("ال") else 1
        word = word[:start] + word[start:].replace("آ", "ا")
        if aligned and len(word) >= 5 and word[0] in _HAMZA_ALEFS and word[1] == "ل":
            spelt, article = l_words[i]
            sun = (
                len(spelt) > 4
                and spelt[0] in "ae"
                and (spelt[1] == spelt[2] or spelt[1:3] == spelt[3:5])
            )
            # (not on an l: the I of Ilham is often read l)
            if article or sun or spelt[0] not in _VOWELS + "l":
                word = "ا" + word[1:]
        out.append(word)
    fixed = " ".join(out)
    return fixed if fixed != " ".join(words) else None


def hamza_on_ya(arabic: str, lexicon: Lexicon) -> str | None:
    """The Arabic value with the hamza Tesseract drops from its seat (ئ read ي) put back
    in each word the lexicon spells only with it (ويام -> وئام; عايشة stays, عائشة and
    عايشة both being names), or None when nothing changes."""
    words = arabic.split()
    changed = False
    for i, word in enumerate(words):
        spelt = lexicon.hamza_ya.get(fold(word))
        if spelt is None or len(spelt) != len(word) or "ئ" in word:
            continue
        # One letter for one: only the seats change, the rest stays as read (ة, أ).
        words[i] = "".join(
            s if s == "ئ" and r == YA else r for r, s in zip(word, spelt, strict=True)
        )
        changed |= words[i] != word
    return " ".join(words) if changed else None


# Letters Tesseract confuses with their folded twins: compared 1:1 so that an edit script
# on the folded word can be applied to the word as read (hamza, ta marbuta kept).
_LIGHT_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي"})


def _max_edits(word: str) -> int:
    return 1 if len(word) <= 5 else 2


def _respell(read: str, target: str) -> str:
    """`read` edited into the folded `target`, keeping the letters of `read` that the edit
    leaves alone (a read ة stays ة where the folded target has ه, a read ء where folding
    drops it: ستاء / سنا -> سناء)."""
    if HAMZA in read and HAMZA not in target:
        cut = read.index(HAMZA)
        if cut and read.count(HAMZA) == 1:  # respelt around it: سنا then ء
            head = _respell(read[:cut] + read[cut + 1 :], target)
            if cut == len(read) - 1:  # a final hamza stays final: ركياء -> زكرياء
                return head + HAMZA
            return head[:cut] + HAMZA + head[cut:] if len(head) >= cut else head
    light = read.translate(_LIGHT_FOLD)
    if len(light) != len(read):
        return target
    ops = [_keep_seat(op, read, light) for op in Levenshtein.editops(light, target)]
    if read[:1] in _HAMZA_ALEFS and any(
        op == "insert" and (src == 0 or (src, target[dst], target[:2]) == (1, "ل", _ARTICLE))
        for op, src, dst in ops
    ):
        # Letters put back before a read initial أ, or the article's lam after it: the
        # hamza was a lost letter's ink (إكية -> زاكية, not زإكية; أمحجوبي -> المحجوبي).
        read = "ا" + read[1:]
    out: list[str] = []
    i = 0
    for op, src, dst in ops:
        out.append(read[i:src])
        i = src
        if op == "replace":
            out.append(target[dst])
            i += 1
        elif op == "insert":
            out.append(target[dst])
        else:  # delete
            i += 1
    out.append(read[i:])
    return "".join(out)


def _keep_seat(op: tuple[str, int, int], read: str, light: str) -> tuple[str, int, int]:
    """An edit deleting one of a letter read twice deletes the plain one, not the one with
    a hamza or madda (اإسراء -> إسراء, not اسراء)."""
    kind, src, dst = op
    if kind == "delete" and read[src] != light[src]:
        for other in (src - 1, src + 1):
            if 0 <= other < len(read) and light[other] == light[src] == read[other]:
                return kind, other, dst
    return op


def _nearest(word: str, candidates: set[str], known: set[str]) -> str | None:
    """The one candidate within a small edit distance of `word` (folded), if unique."""
    key = fold(word).replace(" ", "")
    if not key or key in candidates:
        return None
    limit = _max_edits(key)
    found = [(Levenshtein.distance(key, c, score_cutoff=limit), c) for c in candidates]
    found = sorted((d, c) for d, c in found if d <= limit)
    if not found or (len(found) > 1 and found[0][0] == found[1][0]):
        return None
    # A word the lexicon knows is changed only by one edit, never two.
    if key in known and found[0][0] > 1:
        return None
    return found[0][1]


def cross_correct(arabic: str, latin: str, lexicon: Lexicon) -> tuple[str | None, str | None]:
    """Correct a name read on one side by its spelling on the other: a word a letter or two
    off a name whose attested spelling in the other script the other side reads. Kept only
    when the corrected pair then agrees as a transliteration. Returns (new Arabic, new
    Latin), None for a side left as read."""
    latin_candidates = _spellings(fold(arabic).split(), lexicon.latin_of)
    arabic_candidates = _spellings(fold(latin).split(), lexicon.arabic_of)
    if any(w.startswith("abd") for w in fold(latin).split()):
        arabic_candidates.add(_ABD_WORD)  # Abdelouadoud: the lexicon may lack the whole
    if names_agree(arabic, latin):
        # The transliteration check forgives a word cut in two, debris after the name and
        # letters of like shapes; the spelling does not. (The Arabic is corrected here by
        # dots alone, not by any edit within one or two: the lexicon does not attest every
        # spelling, الباتول / Batoul; measured on the calibration pages. A two-word name no
        # lexicon knows, one letter off one the French spells, is corrected: عيد الله /
        # Abdellah.)
        joined = _join_cut_words(latin.split(), latin_candidates, lexicon.latin_names, arabic)
        fixed = _trim_debris(joined or latin, arabic, lexicon.latin_names) or joined
        fixed = (
            _correct_shapes((fixed or latin).split(), latin_candidates, lexicon.latin_names)
            or fixed
        )
        mended = _mend(arabic, latin, lexicon)
        words = (mended or arabic).split()
        pair = _correct_pairs(words, arabic_candidates, lexicon.latin_of)
        pair = pair or _correct_dots(words, arabic_candidates, lexicon.latin_of, _latin_keys(latin))
        pair = pair or _restore_letters(
            words, arabic_candidates, lexicon.latin_of, _latin_keys(latin), latin.split()
        )
        if pair:  # عبد اميد -> عبد حميد (a spelling the lexicon holds too) -> عبد الحميد
            pair = _mend(pair, latin, lexicon) or pair
        pair = pair or mended
        if pair and names_agree(pair, fixed or latin):
            return pair, fixed
        return (None, fixed) if fixed and names_agree(arabic, fixed) else (None, None)
    # Fragments after a name that make the pair disagree: the other side confirms the cut.
    trimmed_ar, trimmed_la = _trim_debris(arabic, latin), _trim_debris(latin, arabic)
    for cand_ar, cand_la in ((trimmed_ar, None), (None, trimmed_la), (trimmed_ar, trimmed_la)):
        if (cand_ar or cand_la) and names_agree(cand_ar or arabic, cand_la or latin):
            return cand_ar, cand_la
    mended = _mend(arabic, latin, lexicon)
    if mended and names_agree(mended, latin):
        return mended, None
    new_ar = (
        _correct_pairs(arabic.split(), arabic_candidates, lexicon.latin_of)
        or _restore_letters(
            arabic.split(), arabic_candidates, lexicon.latin_of, _latin_keys(latin), latin.split()
        )
        or _correct_words(arabic.split(), arabic_candidates, lexicon.arabic_names, arabic_side=True)
    )
    if new_ar:  # as above
        new_ar = _mend(new_ar, latin, lexicon) or new_ar
    joined = _join_cut_words(latin.split(), latin_candidates, lexicon.latin_names, arabic)
    new_la = (
        _correct_shapes((joined or latin).split(), latin_candidates, lexicon.latin_names)
        or _correct_words(
            (joined or latin).split(), latin_candidates, lexicon.latin_names, arabic_side=False
        )
        or joined
    )
    for cand_ar, cand_la in ((new_ar, None), (None, new_la), (new_ar, new_la)):
        if (cand_ar or cand_la) and names_agree(cand_ar or arabic, cand_la or latin):
            return cand_ar, cand_la
    return None, None


def _spellings(words: list[str], spellings_of: dict[str, set[str]]) -> set[str]:
    """The attested spellings in the other script of these folded words, alone and two
    by two joined (a two-word name)."""
    keys = words + [a + b for a, b in pairwise(words)]
    return {spelling for key in keys for spelling in spellings_of.get(key, ())}


def _correct_pairs(words: list[str], candidates: set[str], attested: Mapping) -> str | None:
    """The Arabic words with a two-word name no lexicon attests (عيد الرزاق) set to the
    one within an edit or two that the other side spells (عبد الرزاق), one of its words
    kept as read; None when nothing changed."""
    out, changed, i = list(words), False, 0
    while i + 1 < len(out):
        first, second = fold(out[i]), fold(out[i + 1])
        read = first + second
        # Particles join names the French writes either way (بن إبراهيم / Ben Brahim).
        unsure = read in attested or first in PARTICLES or second in PARTICLES
        target = None if unsure else _nearest(read, candidates, set())
        if target is not None and target.endswith(second) and len(target) > len(second):
            out[i] = _respell(out[i], target[: -len(second)])
        elif target is not None and target.startswith(first) and len(target) > len(first):
            out[i + 1] = _respell(out[i + 1], target[len(first) :])
        else:
            i += 1
            continue
        changed, i = True, i + 2
    return " ".join(out) if changed else None


# Arabic letters told apart by their dots alone (ب ت ث ن ي, ج ح خ, ...) and the ta marbuta
# beside ha: the skeleton (rasm) a misplaced or missing dot leaves unchanged.
_RASM = str.maketrans(
    {
        **dict.fromkeys("بتثنيىئ", "ٮ"),
        **dict.fromkeys("جحخ", "ح"),
        **dict.fromkeys("ذ", "د"),
        **dict.fromkeys("ز", "ر"),
        **dict.fromkeys("ش", "س"),
        **dict.fromkeys("ض", "ص"),
        **dict.fromkeys("ظ", "ط"),
        **dict.fromkeys("غ", "ع"),
        **dict.fromkeys("ق", "ف"),
        **dict.fromkeys("ة", "ه"),
    }
)


def rasm(text: str) -> str:
    """The letters' skeleton, dots aside (ب ت ث ن ي all ٮ)."""
    return text.translate(_RASM)


def _correct_dots(
    words: list[str], candidates: set[str], latin_of: Mapping[str, set[str]], latin: set[str]
) -> str | None:
    """The Arabic words set to the one spelling the other side gives that differs from
    them by dots alone (اتتصار / Intissar -> انتصار, بتعلي / Benali -> بنعلي); None when
    nothing changed. Tesseract's commonest Arabic slip is a dot misplaced or lost. A name
    the lexicon knows is kept when it spells it as the other side does (`latin`: the other
    side's folded words and pairs): ميارك and مبارك are both names, but Mbarek is only
    the second's spelling, Hiba only هبة's and not هية's."""
    out, changed = list(words), False
    for i, word in enumerate(words):
        key = fold(word)
        if key in PARTICLES or latin_of.get(key, set()) & latin:
            continue
        skeleton = rasm(key)
        twins = {c for c in candidates if c != key and rasm(c) == skeleton}
        if len(twins) == 1:
            out[i] = _respell(word, twins.pop())
            changed = True
    return " ".join(out) if changed else None


def _restore_letters(
    words: list[str],
    candidates: set[str],
    latin_of: Mapping[str, set[str]],
    latin: set[str],
    spelt: list[str],
) -> str | None:
    """The Arabic words set to the one spelling the other side gives that holds them with a
    letter or two more (الحمداوي read المداوي, محمد read مد: Tesseract loses letters a
    Naskh font stacks over the one before), the one that transliterates a word of `spelt`
    (the other side's words) best when several do; and without an alef the OCR put before
    an initial lam. None when nothing changed. A word is kept when the lexicon spells it as
    the other side does, as `_correct_dots`."""
    out, changed = list(words), False
    for i, word in enumerate(words):
        key = fold(word)
        if key in PARTICLES | _ABD or len(key) < 2 or latin_of.get(key, set()) & latin:
            continue
        after_abd = i > 0 and fold(words[i - 1]) in _ABD  # عبد العزيز keeps its article
        if key.startswith(_ARTICLE) and key[1:] in candidates and not after_abd:
            # An alef read before an initial lam (الطيفة / Latifa: لطيفة), not an article.
            out[i] = word[1:]
            changed = True
            continue
        fuller = [c for c in candidates if 1 <= len(c) - len(key) <= 2 and _lost_from(key, c)]
        # Several (كمال and كامل for كال): the one the other side spells best.
        scored = sorted(
            ((max(transliteration_score(c, w) for w in spelt), c) for c in fuller), reverse=True
        )
        if scored and (len(scored) == 1 or scored[0][0] > scored[1][0]):
            out[i] = _respell(word, scored[0][1])
            changed = True
    return " ".join(out) if changed else None


# Weights of the edits that make a reading of a name the spelling the other side gives:
# a dot misplaced, a letter lost or read as another the way the Arabic model commonly does
# (configs/letter_misreadings.toml); any other edit weighs 1. A letter read that is not
# written weighs 1 too: spellings of one name differ by such letters (أوعلي / وعلي).
DOT_SLIP, LOST_SLIP, SHAPE_SLIP = 0.35, 0.5, 0.6
# A letter read twice (الشرريف for الشريف, اإسراء for إسراء): the LSTM's commonest added letter.
DOUBLED_SLIP = 0.5
# A reading is taken for a misread spelling below one plain edit, and below this share of
# the spelling's length. Measured on the cached pages' Arabic names with a French side
# (10 sets, 8,963 names): 45 misreadings respelt right, none right respelt wrong at 1.0;
# at 1.2, 71 and 29 (تودة read right, respelt تودا).
MAX_SLIPS, MAX_SLIPS_SHARE = 1.0, 0.3


def misread_cost(read: str, spelt: str) -> float:
    """How likely a folded reading is a misreading of a folded spelling, as the weighed
    edits between them (0: the same word)."""

    lost = [LOST_SLIP if common_slip("lost", rasm(ch)) else 1.0 for ch in spelt]

    def replaced(a: str, b: str) -> float:
        if a == b:
            return 0.0
        ra, rb = rasm(a), rasm(b)
        if ra == rb:
            return DOT_SLIP
        return SHAPE_SLIP if common_slip("sub", "".join(sorted((ra, rb)))) else 1.0

    row = [0.0]
    for weight in lost:
        row.append(row[-1] + weight)
    for k, ch in enumerate(read):
        extra = DOUBLED_SLIP if k and read[k - 1] == ch else 1.0
        prev, row = row, [row[0] + extra]
        for j, want in enumerate(spelt):
            row.append(min(prev[j + 1] + extra, row[j] + lost[j], prev[j] + replaced(ch, want)))
    return row[-1]


def respell_by_other_side(arabic: str, latin: str, lexicon: Lexicon) -> str | None:
    """The Arabic name with each word no lexicon knows set to the spelling of the other
    side's name it is a likely misreading of (`misread_cost` below `MAX_SLIPS`: الماشمي /
    Hachemi -> الهاشمي, امداوي / Hamdaoui -> الحمداوي); when two spellings are as likely,
    the one that transliterates the other side best, or none. None when nothing changed,
    or when the result does not read as the other side's name."""
    candidates = _spellings(fold(latin).split(), lexicon.arabic_of)
    if not candidates:
        return None
    words, french = arabic.split(), latin.split()
    out = list(words)
    for i, word in enumerate(words):
        key = fold(word)
        if key in lexicon.arabic_names or key in PARTICLES or len(key) < 2:
            continue
        scored = sorted((misread_cost(key, c), c) for c in candidates)
        best_cost, best = scored[0]
        if best_cost >= min(MAX_SLIPS, MAX_SLIPS_SHARE * len(best)):
            continue
        tied = [c for cost, c in scored if cost - best_cost < 0.3]
        if len(tied) > 1:
            by_latin = sorted(
                ((max(transliteration_score(c, w) for w in french), c) for c in tied),
                reverse=True,
            )
            if by_latin[0][0] - by_latin[1][0] < 0.05:
                continue
            best = by_latin[0][1]
        out[i] = _respell(word, best)
    if out == words:
        return None
    respelt = " ".join(out)
    return respelt if names_agree(respelt, latin) else None


# Letters Tesseract's Arabic model loses: those a Naskh font stacks over the letter before
# (ح خ ج م), a tooth merged with the next one (ب ت ث ن ي), a final ة. Measured on the
# cached sets' Arabic names read with letters missing (34 of 221 wrong readings).
_LOST = frozenset("حخجمبتثنية")


def _lost_from(short: str, long: str) -> bool:
    """Whether `long` is `short` with letters of _LOST put back (same first letter)."""
    if short[0] != long[0]:
        return False
    i = 0
    for ch in long:
        if i < len(short) and ch == short[i]:
            i += 1
        elif ch not in _LOST:
            return False
    return i == len(short)


# Words an Arabic name keeps apart from the next one whatever the French writes.
_ABD_WORD = "عبد"
_ABD = frozenset({_ABD_WORD, "ابو"})
_ARTICLE = "ال"


def _mend(arabic: str, latin: str, lexicon: Lexicon) -> str | None:
    """`arabic` with its particles set by the French (`_particles`), its cut words joined
    and its Abd-names' articles put back (`_mend_arabic`); None when nothing changed."""
    particled = _particles(arabic.split(), latin)
    words = (particled or arabic).split()
    mended = _mend_arabic(words, lexicon.latin_of, _latin_keys(latin), lexicon.arabic_names)
    return mended or particled


def _mend_arabic(
    words: list[str], latin_of: Mapping[str, set[str]], latin: set[str], known: set[str]
) -> str | None:
    """The Arabic words with a word OCR cut in two joined back (المحجوب read الم حجوب, عبد
    الناصر read عبد النا صر) and the article an Abd-name lost put back (عبد حميد ->
    عبد الحميد), where the lexicon spells the result as the other side does (`latin`:
    its folded words and pairs) and not every piece is a name of its own; None when
    nothing changed."""

    def spelt(*parts: str) -> bool:
        return bool(latin_of.get(fold("".join(parts)), set()) & latin)

    out: list[str] = []
    i = 0
    while i < len(words):
        word, before = words[i], fold(out[-1]) if out else ""
        if i + 1 < len(words):
            first, second = fold(word), fold(words[i + 1])
            if (
                not {first, second} & (PARTICLES | _ABD)
                and not second.startswith(_ARTICLE)  # the article starts a word: عز الدين
                and not (_own_name(first, known) and _own_name(second, known))
                and (spelt(first, second) or (before in _ABD and spelt(before, first, second)))
            ):
                out.append(word + words[i + 1])
                i += 2
                continue
        if (
            before == _ABD_WORD
            and not fold(word).startswith(_ARTICLE)
            and spelt(before, _ARTICLE, word)
        ):
            word = _ARTICLE + word
        out.append(word)
        i += 1
    return " ".join(out) if out != words else None


# The Arabic particle a French particle writes, and the French ones for each.
_PARTICLE_OF = {"ben": "بن", "bin": "بن", "ibn": "بن", "bent": "بنت", "bint": "بنت"}


def _particles(words: list[str], latin: str) -> str | None:
    """The Arabic words with a particle misread (بت or ينث for بنت, ين for بن) set to the one the
    French writes at the same place (a name of as many words, articles aside); None when
    nothing changed."""
    l_words = latin_words(latin)
    starts = word_starts(words)  # the Arabic word of each French word
    if len(l_words) != len(starts):
        return None
    out = list(words)
    for i, l_word in zip(starts, l_words, strict=True):
        particle = _PARTICLE_OF.get(l_word)
        word = words[i]
        if particle and word != particle:
            read = fold(word)
            # A letter off, or dots misplaced (ينث for بنت).
            if Levenshtein.distance(read, particle) == 1 or rasm(read) == rasm(particle):
                out[i] = particle
    return " ".join(out) if out != words else None


def _latin_keys(latin: str) -> set[str]:
    """The folded words of a Latin name and its adjacent pairs joined (as `_spellings`
    looks them up)."""
    words = fold(latin).split()
    return set(words) | {a + b for a, b in pairwise(words)}


def _correct_words(
    words: list[str], candidates: set[str], known: set[str], *, arabic_side: bool
) -> str | None:
    if not candidates:
        return None
    out, changed = [], False
    for word in words:
        target = _nearest(word, candidates, known)
        if target is None:
            out.append(word)
            continue
        out.append(_respell(word, target) if arabic_side else _latin_case(target, word))
        changed = True
    return " ".join(out) if changed else None


# Latin letters Tesseract reads for others of like shape in printed names, and marks it
# adds: (read, meant) at a word's start, inside it, at its end.
_SHAPES: dict[str, tuple[tuple[str, str], ...]] = {
    "start": (("ll", "Il"), ("l", "I"), ("1", "I")),
    "inside": (
        *(("rn", "m"), ("vv", "w"), ("v", "w"), ("ii", "li"), ("i", "j"), ("q", "g")),
        *(("ä", "a"), ("ä", ""), ("ÿ", "y"), ("ÿ", ""), ("ïi", "i")),
    ),
    "end": (("l", "i"), ("1", "i"), ("t", "i"), ("i", "j"), ("n", "m"), ("à", "a")),
}
# Accents no French spelling of a Maghrebi name carries (Aïcha, Fès, Médéa do carry theirs).
_STRAY_MARKS = str.maketrans({"ä": "a", "à": "a", "ÿ": "y", "Ä": "A", "À": "A"})


_ARTICLE_MISREAD = frozenset({"EI", "Ei"})


def _correct_shapes(words: list[str], candidates: set[str], known: set[str]) -> str | None:
    """The Latin words no lexicon knows set to the one spelling of the other side's name
    that a slip of like shapes makes of them (llham -> Ilham, Meiri -> Mejri, Chebbl ->
    Chebbi, Naÿji -> Naji, Monqia -> Mongia), and the article read EI set right; None when
    nothing changed."""
    out, changed = list(words), False
    for i, word in enumerate(words):
        if word in _ARTICLE_MISREAD and i + 1 < len(words):
            # No name is "EI": the article El with its l read as a capital I.
            out[i], changed = "EL" if words[i + 1].isupper() else "El", True
            continue
        if fold(word) in candidates and word != (plain := word.translate(_STRAY_MARKS)):
            out[i], changed = plain, True  # Sakinà, Abdessamäd: a speck read as an accent
            continue
        # A known word is kept, unless it is one with a letter read twice (AzZiz).
        variants = _diplopia(word) if fold(word) in known else _shape_variants(word)
        found = {v for v in variants if fold(v) in candidates}
        if len({fold(v) for v in found}) == 1:
            variant = found.pop()
            out[i], changed = variant.upper() if word.isupper() else variant, True
    return " ".join(out) if changed else None


def _shape_variants(word: str) -> set[str]:
    lower = word.lower()
    variants = set()
    for read, meant in _SHAPES["start"]:
        if lower.startswith(read):
            variants.add(meant + word[len(read) :])
    for read, meant in _SHAPES["end"]:
        if lower.endswith(read):
            variants.add(word[: -len(read)] + meant)
    for read, meant in _SHAPES["inside"]:
        start = lower.find(read, 1)
        while start != -1:
            variants.add(word[:start] + meant + word[start + len(read) :])
            start = lower.find(read, start + 1)
    return variants | _diplopia(word)


def _diplopia(word: str) -> set[str]:
    """The word without a letter the LSTM read twice, in both cases (MekKki, BenjellLoun)."""
    return {
        word[:i] + word[i].lower() + word[i + 2 :]
        for i in range(1, len(word) - 1)
        if word[i] != word[i + 1] and word[i].lower() == word[i + 1].lower()
    }


def _trim_debris(value: str, twin: str, known: set[str] = frozenset(), most: int = 2) -> str | None:
    """`value` without the fragments after the name (stamp and signature debris read as
    letters: "هالة بن عمر جم", "Jalal VE"): up to `most` last words of at most three
    letters, none a particle or in `known`, while the twin has fewer words. None if none."""
    words = value.split()
    cut = 0
    while (
        cut < most
        and len(words) - cut > max(1, len(twin.split()))
        and sum(ch.isalpha() for ch in words[-1 - cut]) <= 3
        and fold(words[-1 - cut]) not in known
        and fold(words[-1 - cut]) not in _PARTICLES
    ):
        cut += 1
    return " ".join(words[:-cut]) if cut else None


# Words a French spelling may write apart or joined (Ben Moussa, Benmoussa): never joined.
_PARTICLES = ARTICLES | frozenset(
    {"ben", "bent", "bou", "ibn", "abd", "abdel", "abou", "abu", "ait", "ould", "sidi", "moulay"}
)
# Pieces no spelling writes apart: always the start of a word OCR cut (Abde lwadoud).
_CUT_STARTS = frozenset({"abde"})
# Except "Bou", which French spellings join to the name it starts (Boujemaa, Bouazza).
_NEVER_JOINED = _PARTICLES - {"bou"}
# The romanizer's units hold fragments ("na", "ji", "fi"): a piece this short is no name of
# its own that a join would merge.
_SHORTEST_NAME = 3


def _join_cut_words(
    words: list[str], candidates: set[str], known: set[str], arabic: str
) -> str | None:
    """The Latin words with those OCR cut by a space ("Sa lwa", "Abde lma lek") joined back
    where the whole is an attested spelling of the other side's name and not every piece is
    a name of its own (`known`), unless the Latin has more words than the `arabic` name
    (Kar ima / كريمة: a cut, not two names); None when nothing was joined."""
    cut = len(words) > len(word_starts(arabic.split()))
    out, i = [], 0
    while i < len(words):
        span = next(
            (
                n
                for n in (3, 2)
                if i + n <= len(words)
                and fold("".join(words[i : i + n])) in candidates
                and not any(fold(w) in _NEVER_JOINED for w in words[i : i + n])
                # Two names written apart (Fatima Zahra) are right either way.
                and (cut or not all(_own_name(fold(w), known) for w in words[i : i + n]))
            ),
            1,
        )
        if span == 1 and fold(words[i]) in _CUT_STARTS and i + 1 < len(words):
            # "Abde lwadoud": no spelling writes "Abde" apart; the cut fell after its e.
            out.append(_latin_case((words[i] + words[i + 1]).lower(), words[i]))
            i += 2
            continue
        whole = "".join(words[i : i + span])
        out.append(_latin_case(whole.lower(), words[i]) if span > 1 else whole)
        i += span
    return " ".join(out) if len(out) < len(words) else None


def _own_name(word: str, known: set[str]) -> bool:
    return word in known and len(word) >= _SHORTEST_NAME and word not in _PARTICLES


def _latin_case(spelling: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return spelling.upper()
    return spelling.capitalize() if like[:1].isupper() else spelling


# Local sighting moves a Hijri date a day or two off the tables: a day is common, two rare.
SIGHTING_SHIFTS = {-2: 0.05, -1: 0.2, 0: 0.5, 1: 0.2, 2: 0.05}


def hijri_by_gregorian(
    gregorian_iso: str, hijri_iso: str, max_digits: int = 2
) -> tuple[str, float] | None:
    """The Hijri date a Hijri reading most likely stands for, given the Gregorian date of the
    same line, and the probability that it is that one: each day the Gregorian date may be
    locally (two days either way), of the reading's month (read from its name) and differing
    from it in at most `max_digits` digits, weighed by how common its sighting shift is and
    how likely its digits are read as the reading's (validation.misreadings). A reading that
    agrees two days off the tables is likelier a misread nearer day (a six read for a four).
    None when the reading is the likeliest day, or when no day explains it."""
    try:
        gregorian = datetime.date.fromisoformat(gregorian_iso)
    except ValueError:
        return None
    read = _digits_of(hijri_iso)
    if read is None:
        return None
    weights: dict[str, float] = {}
    for shift, prior in SIGHTING_SHIFTS.items():
        y, m, d = gregorian_to_hijri(gregorian + datetime.timedelta(days=shift))
        candidate = f"{y:04d}{m:02d}{d:02d}"
        differ = sum(a != b for a, b in zip(candidate, read, strict=True))
        if differ > max_digits or candidate[4:6] != read[4:6]:
            continue
        day = f"{y:04d}-{m:02d}-{d:02d}"
        weights[day] = weights.get(day, 0.0) + prior * math.prod(
            read_as(a, b) for a, b in zip(candidate, read, strict=True)
        )
    if not weights:
        return None
    best = max(weights, key=weights.__getitem__)
    if best.replace("-", "") == read:
        return None
    return best, weights[best] / sum(weights.values())


def gregorian_by_hijri(gregorian_iso: str, hijri_iso: str) -> str | None:
    """The Gregorian date a reading one digit off in its year stands for (1920 read for
    1960: the Arabic-Indic ٢ and ٦), given the Hijri date of the same line: the one year a
    digit away with which the two dates agree. None when there is none or two, or when the
    reading already agrees."""
    read = _digits_of(gregorian_iso)
    if read is None or dates_agree(gregorian_iso, hijri_iso):
        return None
    year, rest = read[:4], gregorian_iso[4:]
    found = set()
    for i, digit in itertools.product(range(4), "0123456789"):
        candidate = year[:i] + digit + year[i + 1 :] + rest
        if digit != year[i] and dates_agree(candidate, hijri_iso):
            found.add(candidate)
    return found.pop() if len(found) == 1 else None


def hijri_by_day_month(gregorian_iso: str, month: int, day: int) -> str | None:
    """The Hijri date with this month and day among the days the Gregorian date may be
    locally (two days either way): the year the reading lacked. None when no such day."""
    try:
        gregorian = datetime.date.fromisoformat(gregorian_iso)
    except ValueError:
        return None
    for shift in range(-2, 3):
        y, m, d = gregorian_to_hijri(gregorian + datetime.timedelta(days=shift))
        if (m, d) == (month, day):
            return f"{y:04d}-{m:02d}-{d:02d}"
    return None


def _digits_of(iso: str) -> str | None:
    parts = iso.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    y, m, d = (int(p) for p in parts)
    return f"{y:04d}{m:02d}{d:02d}" if y < 10000 else None
