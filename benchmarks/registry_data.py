"""Realistic structured acts for the registry benchmark, in the export format.

Names come from `sample_scans/names/*.tsv` (Arabic, then French spellings, most frequent
first), drawn with Zipf-like frequencies: families share family names, children their
parents' names, twins a birth date; French spellings vary (Mohamed, Mohammed, Mhamed), a few
names carry a typo or an OCR slip, a few acts have names on one side only. Some of those
born die later in the set (a death act of the same person), some marry.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

NAMES = Path(__file__).resolve().parent.parent / "sample_scans" / "names"
FIRST_YEAR, LAST_YEAR = 1930, 2020
_DOT_SIBLINGS = ("بتثن", "جحخ", "دذ", "رز", "سش", "صض", "طظ", "عغ", "فق")


@dataclass(frozen=True)
class Name:
    ar: str
    fr: tuple[str, ...]  # most frequent spelling first


def read_names(kind: str) -> list[Name]:
    out = []
    for line in (NAMES / f"{kind}.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        parts = line.split("\t")
        out.append(Name(parts[0].strip(), tuple(s.strip() for s in parts[1].split("|"))))
    return out


@dataclass
class Person:
    given: Name
    family: Name
    sex: str
    birth: date
    father: Name | None = None  # given name
    grandfather: Name | None = None
    mother: tuple[Name, Name] | None = None  # given, family


@dataclass
class Target:
    """What a query needs to know of an act."""

    id: str
    act_type: str
    commune: Name
    year: int
    number: str
    person: Person
    sides: str  # "both", "ar", "fr"


@dataclass
class Generator:
    seed: int
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.male, self.female = read_names("male"), read_names("female")
        self.family = read_names("family")
        self.places = read_names("places")
        self.by_arabic = {name.ar: name for name in (*self.male, *self.female, *self.family)}
        self.place_index = {name.ar: i for i, name in enumerate(self.places)}
        self.numbers: dict[tuple[int, str, int], int] = defaultdict(int)
        self.count = 0

    def zipf(self, items: list[Any], s: float = 1.0) -> Any:
        # Inverse-CDF of a Zipf-like law over the list's order, cached per list size.
        n = len(items)
        weights = self.__dict__.setdefault(("w", n, s), [1 / (i + 1) ** s for i in range(n)])
        return self.rng.choices(items, weights=weights)[0]

    def spelling(self, name: Name) -> str:
        if len(name.fr) == 1 or self.rng.random() < 0.6:
            return name.fr[0]
        return self.rng.choice(name.fr[1:])

    def typo(self, text: str) -> str:
        """One letter substituted, dropped, doubled or swapped (not the first)."""
        if len(text) < 4:
            return text
        i = self.rng.randrange(1, len(text) - 1)
        kind = self.rng.randrange(4)
        if kind == 0:
            return text[:i] + self.rng.choice("aeioubdhklmnrst") + text[i + 1 :]
        if kind == 1:
            return text[:i] + text[i + 1 :]
        if kind == 2:
            return text[:i] + text[i] + text[i:]
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]

    def slip(self, text: str) -> str:
        """An Arabic letter read as its dot sibling."""
        spots = [(i, g) for i, ch in enumerate(text) for g in _DOT_SIBLINGS if ch in g]
        if not spots:
            return text
        i, group = self.rng.choice(spots)
        return text[:i] + self.rng.choice([c for c in group if c != text[i]]) + text[i + 1 :]

    def person(self, sex: str, family: Name, birth: date, parents: Person | None) -> Person:
        given = self.zipf(self.male if sex == "M" else self.female)
        if parents is not None:
            return Person(
                given, family, sex, birth, parents.father, parents.grandfather, parents.mother
            )
        father = self.zipf(self.male)
        grandfather = self.zipf(self.male) if self.rng.random() < 0.3 else None
        mother = (self.zipf(self.female), self.zipf(self.family))
        return Person(given, family, sex, birth, father, grandfather, mother)

    def households(self) -> Iterator[tuple[Name, list[Person]]]:
        """Families: a commune, parents, one to seven children (twins now and then)."""
        while True:
            commune = self.zipf(self.places, 0.8)
            family = self.zipf(self.family, 0.9)
            first = date(self.rng.randint(FIRST_YEAR, LAST_YEAR), 1, 1)
            parents = self.person("M", family, first, None)
            children = []
            birth = first + timedelta(days=self.rng.randrange(365))
            for _ in range(self.rng.choice((1, 2, 2, 3, 3, 4, 5, 7))):
                sex = self.rng.choice("MF")
                children.append(self.person(sex, family, birth, parents))
                if self.rng.random() < 0.02:  # twins
                    children.append(self.person(self.rng.choice("MF"), family, birth, parents))
                birth += timedelta(days=self.rng.randint(300, 1500))
                if birth.year > LAST_YEAR:
                    break
            yield commune, children

    def number(self, commune: Name, act_type: str, year: int) -> str:
        key = (self.place_index[commune.ar], act_type, year)
        self.numbers[key] += 1
        return str(self.numbers[key])

    def acts(self, n: int) -> Iterator[tuple[dict[str, Any], Target]]:
        """`n` acts (births, deaths of some of those born, marriages) with their targets."""
        made = 0
        for commune, children in self.households():
            for child in children:
                if made >= n:
                    return
                yield self.act("birth", commune, child.birth.year, child)
                made += 1
                if made < n and self.rng.random() < 0.25:
                    died = child.birth + timedelta(days=self.rng.randint(1, 30000))
                    if died.year <= LAST_YEAR:
                        yield self.act("death", commune, died.year, child, died=died)
                        made += 1
                if made < n and child.sex == "M" and self.rng.random() < 0.12:
                    year = min(LAST_YEAR, child.birth.year + self.rng.randint(20, 35))
                    wife = self.person("F", self.zipf(self.family, 0.9), child.birth, None)
                    yield self.act("marriage", commune, year, child, spouse=wife)
                    made += 1

    def act(
        self,
        act_type: str,
        commune: Name,
        year: int,
        person: Person,
        *,
        died: date | None = None,
        spouse: Person | None = None,
        sides: str | None = None,
        clean: bool = False,
    ) -> tuple[dict[str, Any], Target]:
        """One act in the export format; `clean`: no typo or slip in its names."""
        self.count += 1
        act_id = f"act{self.count:08d}"
        number = self.number(commune, act_type, year)
        if sides is None:
            roll = self.rng.random()
            sides = "fr" if roll < 0.02 else "ar" if roll < 0.04 else "both"
        values: dict[str, str] = {
            "act_type": act_type,
            "register_year": str(year),
            "commune_ar": commune.ar,
            "commune_fr": commune.fr[0],
            "act_number": number,
        }
        if act_type == "marriage":
            assert spouse is not None
            self.names(values, "husband_", person, sides, parents=False, clean=clean)
            self.names(values, "wife_", spouse, sides, parents=False, clean=clean)
            values["husband_birth_date"] = person.birth.isoformat()
            values["wife_birth_date"] = spouse.birth.isoformat()
            values["marriage_date"] = date(year, self.rng.randint(1, 12), 1).isoformat()
            values["marriage_place_ar"], values["marriage_place_fr"] = commune.ar, commune.fr[0]
        else:
            self.names(values, "", person, sides, parents=True, clean=clean)
            values["sex"] = person.sex
            values["birth_date"] = person.birth.isoformat()
            values["birth_place_ar"], values["birth_place_fr"] = commune.ar, commune.fr[0]
            if died is not None:
                values["death_date"] = died.isoformat()
                values["death_place_ar"], values["death_place_fr"] = commune.ar, commune.fr[0]
        values["drawn_up_date"] = date(year, 12, 28).isoformat()
        values["officer_name_ar"], values["officer_name_fr"] = "عبد الله الحسني", "Abdellah Hassani"
        fields = {
            key: {"value": value, "confidence": round(self.rng.uniform(0.9, 0.995), 4)}
            for key, value in values.items()
        }
        record = {
            "id": act_id,
            "status": "accepted" if self.rng.random() < 0.8 else "needs_review",
            "source": {
                "file": f"{commune.fr[0].lower()}_{year}_{act_type}.pdf",
                "page": int(number) // 3 + 1,
                "bbox": [40, 120, 1100, 600],
            },
            "fields": fields,
            "marginal_notes": [],
        }
        target = Target(act_id, act_type, commune, year, number, person, sides)
        return record, target

    def names(
        self,
        values: dict[str, str],
        prefix: str,
        person: Person,
        sides: str,
        parents: bool,
        clean: bool = False,
    ) -> None:
        parts: list[tuple[str, Name, str | None]] = [
            (f"{prefix}given_name", person.given, None),
            (f"{prefix}family_name", person.family, None),
        ]
        if parents and person.father is not None and person.mother is not None:
            grand = person.grandfather
            parts.append(("father_name", person.father, grand.ar if grand else None))
            parts.append(("mother_name", person.mother[0], person.mother[1].ar))
        for key, name, extra in parts:
            ar, fr = name.ar, self.spelling(name)
            if extra is not None:
                other = self.other_spelling(extra)
                joiner = ("بن", "ben") if key == "father_name" else ("", "")
                ar = " ".join(p for p in (ar, joiner[0], extra) if p)
                fr = " ".join(p for p in (fr, joiner[1], other) if p)
            if not clean and self.rng.random() < 0.03:
                fr = self.typo(fr)
            if not clean and self.rng.random() < 0.02:
                ar = self.slip(ar)
            if sides in ("both", "ar"):
                values[f"{key}_ar"] = ar
            if sides in ("both", "fr"):
                values[f"{key}_fr"] = fr

    def other_spelling(self, arabic: str) -> str:
        name = self.by_arabic.get(arabic)
        return self.spelling(name) if name else ""
