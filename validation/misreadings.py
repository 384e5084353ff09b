"""How OCR misreads: how likely one digit of an Arabic date line is read as another (the
weight of each date a misread one may stand for), and which letters of Arabic names the
Arabic model confuses, loses or adds.

The counts are measured, not guessed: `benchmarks/digits.py --write` renders date lines in
Arabic-Indic digits in the system's Arabic fonts, reads them as civreg does (the digit model,
then `pipeline.values.read_indic_digits`) and writes how often each digit came out as each
other to `configs/digit_misreadings.toml`; `benchmarks/letters.py --write` does the same for
names and writes `configs/letter_misreadings.toml`.
"""

from __future__ import annotations

from functools import cache

import configs

MISREADINGS = configs.BUNDLED / "digit_misreadings.toml"
LETTER_MISREADINGS = configs.BUNDLED / "letter_misreadings.toml"
DIGITS = "0123456789"


@cache
def _table() -> dict[str, dict[str, float]]:
    """P(read | written) for each pair of digits, the counts smoothed by one (a confusion
    never seen is rare, not impossible)."""
    counts = configs.load(MISREADINGS.name)["arabic_indic"]
    table = {}
    for written in DIGITS:
        seen = counts.get(written, {})
        total = sum(seen.values()) + len(DIGITS)
        table[written] = {read: (seen.get(read, 0) + 1) / total for read in DIGITS}
    return table


def read_as(written: str, read: str) -> float:
    """The probability that the digit `written` (Western form) is read as `read`."""
    return _table()[written][read]


@cache
def _letter_slips() -> dict[str, frozenset[str]]:
    data = configs.load(LETTER_MISREADINGS.name)
    return {kind: frozenset(data.get(kind, {})) for kind in ("sub", "lost", "added")}


def common_slip(kind: str, letters: str) -> bool:
    """Whether the Arabic model commonly makes this slip: `kind` "sub" with the two letter
    skeletons sorted ("هٮ"), "lost" or "added" with one."""
    return letters in _letter_slips()[kind]
