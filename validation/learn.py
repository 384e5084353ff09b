"""The lexicon grows from the registry: names of accepted acts it does not know yet.

An accepted act's name, spelt on both sides so that each transliterates the other, is
evidence of a real name and of its French spelling; `learned_names` gathers the word pairs
the lexicon lacks and `write_names` writes them as a names file (`names_learned.tsv` in the
operator's `$CIVREG_CONFIG_DIR/lexicons`), which the next run's lexicon reads like any
other. Learning is a step the operator takes (`civreg lexicon learn`), not a loop: a file to
read before it is used, and an accepted act is wrong now and then (docs/benchmarks.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TextIO

from ocr.text import fold
from records import Act
from records.fields import counterpart
from validation.correct import ARTICLES, word_starts
from validation.lexicon import PARTICLES, Lexicon
from validation.names import AGREE, transliteration_score
from validation.rules import ARABIC_TEXT_KEYS, is_place

NAMES_FILE = "names_learned.tsv"


def learned_names(acts: Iterable[Act], lexicon: Lexicon) -> Counter[tuple[str, str]]:
    """(Arabic word, French spelling) pairs of the acts' names that the lexicon lacks on
    either side, where the two sides transliterate each other word for word, with how many
    acts hold each. Places are the places file's business."""
    found: Counter[tuple[str, str]] = Counter()
    for act in acts:
        pairs = set()
        for akey in ARABIC_TEXT_KEYS:
            fkey = counterpart(akey)
            if is_place(akey) or akey not in act.fields or fkey not in act.fields:
                continue
            for arabic, latin in _word_pairs(act.fields[akey].value, act.fields[fkey].value):
                unknown = lexicon.unknown_name_words(arabic, "ar") or lexicon.unknown_name_words(
                    latin, "fr"
                )
                if unknown and transliteration_score(arabic, latin) >= AGREE:
                    pairs.add((arabic, latin.capitalize()))
        found.update(pairs)
    return found


def _word_pairs(arabic: str, latin: str) -> list[tuple[str, str]]:
    """The words of a name on both sides, paired in order; none when they do not pair one
    to one (particles and the French side's articles aside)."""
    words = [w for w in arabic.split() if fold(w) not in PARTICLES]
    starts = word_starts(words)  # عبد المومن is one name: Abdelmoumen
    a_words = [" ".join(words[i:j]) for i, j in zip(starts, [*starts[1:], len(words)], strict=True)]
    l_words = [w for w in latin.split() if fold(w) not in PARTICLES | ARTICLES]
    return list(zip(a_words, l_words, strict=True)) if len(a_words) == len(l_words) else []


def write_names(found: Counter[tuple[str, str]], out: TextIO, *, min_acts: int = 1) -> int:
    """Write the pairs held by `min_acts` acts or more as a names file (one Arabic name a
    line, its French spellings |-separated, most common first); returns how many names."""
    spellings: dict[str, Counter[str]] = {}
    for (arabic, latin), n in found.items():
        if n >= min_acts:
            spellings.setdefault(arabic, Counter())[latin] += n
    out.write("# Names learnt from accepted acts (civreg lexicon learn): check before use.\n")
    out.write("arabic\tlatin\n")
    for arabic in sorted(spellings):
        latins = [latin for latin, _ in spellings[arabic].most_common()]
        out.write(f"{arabic}\t{'|'.join(latins)}\n")
    return len(spellings)
