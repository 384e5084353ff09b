"""The generator's name pools: given names, family names and places, in Arabic and French."""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path

NAMES_DIR = Path(__file__).with_name("names")


@dataclass(frozen=True)
class Name:
    """An Arabic name (logical order, no vowel marks) and its French spellings, commonest first."""

    ar: str
    fr: tuple[str, ...]

    def spell(self, rng: random.Random) -> str:
        """One French spelling, the first ones more often."""
        weights = [2.0**-i for i in range(len(self.fr))]
        return rng.choices(self.fr, weights)[0]


@dataclass(frozen=True)
class Place(Name):
    """A commune or town, with its country code (MA, DZ, TN)."""

    country: str = ""


@dataclass(frozen=True)
class Pools:
    male: tuple[Name, ...]
    female: tuple[Name, ...]
    family: tuple[Name, ...]
    places: tuple[Place, ...]

    def places_in(self, country: str) -> tuple[Place, ...]:
        return tuple(p for p in self.places if p.country == country)


def _rows(file_name: str) -> list[list[str]]:
    lines = (NAMES_DIR / file_name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def _spellings(cell: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s.strip() for s in cell.split("|") if s.strip()))


@cache
def load_pools() -> Pools:
    """Read names/*.tsv (cached)."""

    def names(file_name: str) -> tuple[Name, ...]:
        return tuple(Name(row[0], _spellings(row[1])) for row in _rows(file_name))

    places = tuple(Place(r[0], _spellings(r[1]), r[2].strip()) for r in _rows("places.tsv"))
    return Pools(names("male.tsv"), names("female.tsv"), names("family.tsv"), places)
