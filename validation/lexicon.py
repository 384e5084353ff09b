"""Lexicons: the personal names and places civreg knows, in both scripts.

Names come from arabic-name-romanizer's database (~32,000 Arabic name units with their
attested Latin spellings, from Wikidata and Algerian name registers) and from any
`configs/lexicons/names*.tsv`; places from `configs/lexicons/places*.tsv`. All keys are in
`ocr.text.fold` form, so hamza, ta marbuta, accents and case do not matter.

A lexicon is evidence, never a source of values: a name it does not know may be real, but
an OCR misreading is far more often unknown than a right reading is (measured on generated
pages: 75 % of wrong Arabic names were unknown against 4 % of right ones).
"""

from __future__ import annotations

import csv
import sqlite3
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

import configs
from ocr.text import fold, normalize

# Words that join name parts rather than being names: "ben", "bent", "ould", "ait".
PARTICLES = frozenset(
    fold(w)
    for w in ("بن", "بنت", "ولد", "ابن", "آيت", "ait", "ben", "bent", "ould", "ibn", "el", "al")
)

# Particles written against the name they precede (بنعلي, Benali).
GLUED = {"ar": (fold("بن"),), "fr": ("ben",)}


@dataclass(frozen=True)
class Place:
    arabic: str
    french: tuple[str, ...]  # official spelling first
    country: str


@dataclass
class Lexicon:
    arabic_names: set[str] = field(default_factory=set)  # folded words
    latin_names: set[str] = field(default_factory=set)  # folded words
    # Names and their attested spellings in the other script, folded both ways; a two-word
    # name under its words joined (عبدالحق: abdelhak).
    latin_of: dict[str, set[str]] = field(default_factory=dict)
    arabic_of: dict[str, set[str]] = field(default_factory=dict)
    places: dict[tuple[str, str], Place] = field(default_factory=dict)  # (side, folded) -> place
    # Words spelt with a hamza on its seat ي (وئام) and never without it (no ويام): under
    # their folded form, the spelling with ئ (its other letters as the lexicon keeps them).
    hamza_ya: dict[str, str] = field(default_factory=dict)

    def place(self, value: str, side: str) -> Place | None:
        return self.places.get((side, fold(value)))

    def nearest_place(
        self, value: str, side: str, among: Place | None = None
    ) -> tuple[Place, str] | None:
        """The place whose spelling on `side` is one edit (two for names over six letters)
        from `value`, an OCR near miss, with that spelling; None when no place is that
        close, or when two places are. `among`: only that place's spellings count (the
        other side read it: قاس is one edit from فاس and from قابس, Fès says which)."""
        key = fold(value)
        edits = 1 if len(key) <= 6 else 2
        keys = [k for (s, k), p in self.places.items() if s == side and among in (None, p)]
        found = process.extract(key, keys, scorer=Levenshtein.distance, score_cutoff=edits, limit=2)
        if not found or (len(found) == 2 and found[0][1] == found[1][1]):
            return None
        place = self.places[(side, found[0][0])]
        spellings = (place.arabic,) if side == "ar" else place.french
        return place, next(s for s in spellings if fold(s) == found[0][0])

    def spelling(self, place: Place, value: str, side: str) -> str:
        """The lexicon's spelling of `place` on `side` that `value` folds to."""
        if side == "ar":
            return place.arabic
        exact = [s for s in place.french if normalize(s) == normalize(value)]
        return next(iter(exact), next((s for s in place.french if fold(s) == fold(value)), value))

    def unknown_name_words(self, value: str, side: str) -> list[str]:
        """The words of a personal name the lexicon does not know (particles aside); a
        known name with "ben" written against it is known (بنشريف, as بنعلي is)."""
        known = self.arabic_names if side == "ar" else self.latin_names
        return [
            w
            for w in fold(value).split()
            if w not in PARTICLES
            and w not in known
            and not any(w.startswith(p) and w[len(p) :] in known for p in GLUED[side])
        ]

    def knows_place(self, value: str, side: str) -> bool:
        return self.place(value, side) is not None

    def same_place(self, arabic: str, latin: str) -> bool:
        place = self.place(arabic, "ar")
        return place is not None and place is self.place(latin, "fr")


def _romanizer_db() -> Path | None:
    try:
        path = resources.files("arabic_name_romanizer") / "resources" / "names.sqlite3"
    except ModuleNotFoundError:
        return None
    return Path(str(path)) if Path(str(path)).is_file() else None


def _add_names(lexicon: Lexicon, arabic: str, latin: str) -> None:
    a_words = [w for w in fold(arabic).split() if w not in PARTICLES]
    l_words = [w for w in fold(latin).split() if w not in PARTICLES]
    lexicon.arabic_names.update(a_words)
    lexicon.latin_names.update(l_words)
    if len(a_words) == 1 and l_words:
        # "Abdel Kader" for عبدالقادر: one spelling, the words joined.
        for spelling in ["".join(l_words)]:
            lexicon.latin_of.setdefault(a_words[0], set()).add(spelling)
            lexicon.arabic_of.setdefault(spelling, set()).add(a_words[0])
    elif len(a_words) == 2 and len(fold(arabic).split()) == 2 and l_words:
        # A two-word name (عبد الحق, تاج الدين): under its words joined, the spelling's
        # words joined with their articles (Abd El Hak: abdelhak).
        key, spelling = "".join(a_words), "".join(fold(latin).split())
        lexicon.latin_of.setdefault(key, set()).add(spelling)
        lexicon.arabic_of.setdefault(spelling, set()).add(key)


def _tsv_rows(pattern: str) -> list[list[str]]:
    """Rows of the bundled and the operator's TSV files matching `pattern`, comments and
    the header line skipped."""
    folders = [configs.BUNDLED / "lexicons"]
    if (override := configs.override_dir()) is not None:
        folders.append(override / "lexicons")
    rows = []
    for folder in folders:
        for path in sorted(folder.glob(pattern)):
            with path.open(encoding="utf-8") as f:
                lines = (line for line in f if line.strip() and not line.startswith("#"))
                for row in csv.reader(lines, delimiter="\t"):
                    if row and row[0] != "arabic":
                        rows.append(row)
    return rows


def _hamza_ya(spellings: set[str]) -> dict[str, str]:
    """The spellings with ئ whose every ئ written ي is no spelling, by folded form."""

    def plain(word: str) -> str:  # ta marbuta and alef maqsura as the names database keys them
        return word.replace("ة", "ه").replace("ى", "ي")

    written = {plain(w) for w in spellings}
    return {fold(w): w for w in spellings if "ئ" in w and plain(w.replace("ئ", "ي")) not in written}


@cache
def load() -> Lexicon:
    lexicon = Lexicon()
    spellings: set[str] = set()  # Arabic words as written (hamza kept)
    db = _romanizer_db()
    if db is not None:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            for arabic, latin in conn.execute("SELECT arabic_key, latin FROM units"):
                _add_names(lexicon, arabic, latin)
                spellings.update(arabic.split())
    for row in _tsv_rows("names*.tsv"):
        for latin in row[1].split("|") if len(row) > 1 else [""]:
            _add_names(lexicon, row[0], latin)
        spellings.update(row[0].split())
    lexicon.hamza_ya = _hamza_ya(spellings)
    for row in _tsv_rows("places*.tsv"):
        french = tuple(s.strip() for s in row[1].split("|")) if len(row) > 1 else ()
        place = Place(row[0].strip(), french, row[2].strip() if len(row) > 2 else "")
        lexicon.places.setdefault(("ar", fold(place.arabic)), place)
        for spelling in french:
            lexicon.places.setdefault(("fr", fold(spelling)), place)
    return lexicon
