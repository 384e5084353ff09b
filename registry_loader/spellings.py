"""Attested spellings of name words across scripts, from arabic-name-romanizer's database
(~82,000 Arabic name units with the Latin spellings seen for them): search asks it for the
irregular spellings that spelling keys miss (فيصل / Faycal, التهامي / Thami), and scores
Arabic / Latin pairs with how often a spelling is seen (`expand.cross_score`: the
dictionary has noise, محمد: Ahmed, seen rarely). Keys are in `ocr.text.fold` form.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from functools import cache
from importlib import resources
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Indel

from ocr.text import fold

# Spellings from Maghreb and French-speaking sources, and from anywhere when seen often.
_COUNTRIES = ("MA", "DZ", "TN", "LY", "MR", "FR", "")
_MIN_COUNT_ELSEWHERE = 20
COMMON = 0.005  # least share of an Arabic name's attestations for a spelling to be common

Table = dict[str, dict[str, float]]  # folded name -> folded spelling -> share


@cache
def _tables() -> tuple[Table, Table]:
    """(Arabic -> Latin spellings, Latin -> Arabic names) with the share of each."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    path = _database()
    if path is not None:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            rows = conn.execute(
                "SELECT arabic_key, latin, count FROM units "
                f"WHERE country IN ({','.join('?' * len(_COUNTRIES))}) OR count >= ?",
                (*_COUNTRIES, _MIN_COUNT_ELSEWHERE),
            )
            for arabic, latin, count in rows:
                ar, lat = fold(arabic).replace(" ", ""), fold(latin).replace(" ", "")
                if ar and lat:
                    counts[ar][lat] += count
    to_latin: Table = {}
    to_arabic: Table = defaultdict(dict)
    for ar, spellings in counts.items():
        total = sum(spellings.values())
        to_latin[ar] = {lat: n / total for lat, n in spellings.items()}
        for lat, share in to_latin[ar].items():
            to_arabic[lat][ar] = max(share, to_arabic[lat].get(ar, 0.0))
    return to_latin, dict(to_arabic)


def _database() -> Path | None:
    try:
        path = Path(str(resources.files("arabic_name_romanizer") / "resources" / "names.sqlite3"))
    except ModuleNotFoundError:
        return None
    return path if path.is_file() else None


def other_script(word: str, script: str) -> tuple[str, ...]:
    """Folded spellings of `word` (folded, no spaces) in the other script than `script`."""
    to_latin, to_arabic = _tables()
    return tuple((to_latin if script == "ar" else to_arabic).get(word, ()))


def near(word: str, script: str, cutoff: float = 0.8, limit: int = 3) -> tuple[str, ...]:
    """Names of the dictionary in `word`'s own script one typo or so away from it (folded;
    normalised Indel similarity at least `cutoff`), for a query whose script the registry
    may not hold."""
    keys = _keys(script)
    found = process.extract(
        word, keys, scorer=Indel.normalized_similarity, score_cutoff=cutoff, limit=limit
    )
    return tuple(name for name, _, _ in found if name != word)


@cache
def _keys(script: str) -> list[str]:
    to_latin, to_arabic = _tables()
    return list(to_latin if script == "ar" else to_arabic)


def latin_spellings(arabic: str) -> dict[str, float]:
    """The attested Latin spellings of an Arabic name (folded, no spaces), with shares."""
    return _tables()[0].get(arabic, {})
