"""Random register pages: what is written on each line, and the ground truth it stands for."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from records.fields import ACT_KEYS
from sample_scans.calendars import hijri_as_written, hijri_iso
from sample_scans.model import NOTHING_AR, NOTHING_FR, RegisterModel, draw_model
from sample_scans.names import Name, Place, Pools
from sample_scans.notes import NoteContext, draw_notes
from sample_scans.writing import arabic_date, french_date, french_label, hijri_date, with_digits

COUNTRY_LINES = {
    "MA": ("المملكة المغربية", "Royaume du Maroc"),
    "DZ": (
        "الجمهورية الجزائرية الديمقراطية الشعبية",
        "République Algérienne Démocratique et Populaire",
    ),
    "TN": ("الجمهورية التونسية", "République Tunisienne"),
}
MINISTRY_LINES = {
    "MA": ("وزارة الداخلية", "Ministère de l'Intérieur"),
    "DZ": (
        "وزارة الداخلية والجماعات المحلية",
        "Ministère de l'Intérieur et des Collectivités Locales",
    ),
    "TN": ("وزارة الداخلية", "Ministère de l'Intérieur"),
}
REGISTER_TITLES = {
    "birth": ("سجل الولادات", "Registre des naissances"),
    "death": ("سجل الوفيات", "Registre des décès"),
    "marriage": ("سجل عقود الزواج", "Registre des mariages"),
}
SEX_WORDS = {"M": ("ذكر", "Masculin"), "F": ("أنثى", "Féminin")}
# Lines an act of each type has, counted for the page budget (marginal notes count two).
ROW_BUDGET = {"A4": 46, "A3": 72}


@dataclass(frozen=True)
class Cell:
    """One side of a printed line: label, separator and value ('' where there is none)."""

    label: str
    sep: str
    value: str


@dataclass(frozen=True)
class Row:
    """A line of the page: kind 'header', 'field', 'section', 'notes' or 'note'."""

    kind: str
    ar: Cell | None
    fr: Cell | None


@dataclass(frozen=True)
class Act:
    number: int
    rows: tuple[Row, ...]
    fields: dict[str, str]
    notes_ar: tuple[str, ...]
    notes_fr: tuple[str, ...]


@dataclass(frozen=True)
class Register:
    """One register: a commune's book of one act type for one year, in one model."""

    country: str
    commune: Place
    commune_fr: str  # the French spelling its header uses
    act_type: str
    year: int
    paper: str  # 'A4' or 'A3'
    model: RegisterModel
    officer_ar: str
    officer_fr: str
    total_acts: int  # about how many acts the year holds, to spread dates over it


@dataclass(frozen=True)
class PageContent:
    register: Register
    page_number: int
    header: tuple[Row, ...]
    acts: tuple[Act, ...]

    def register_fields(self) -> dict[str, str]:
        reg = self.register
        return {
            "act_type": reg.act_type,
            "register_year": str(reg.year),
            "commune_ar": reg.commune.ar,
            "commune_fr": reg.commune_fr,
            "page": str(self.page_number),
        }


def _fr_name(name: Name, rng: random.Random, upper: bool = False) -> str:
    spelled = name.spell(rng)
    return spelled.upper() if upper else spelled


def draw_register(rng: random.Random, pools: Pools, act_type: str) -> tuple[Register, int]:
    """A new register of act_type and the page to start at (a register page number)."""
    countries = ("DZ", "TN") if act_type == "marriage" else ("MA", "DZ", "TN")
    country = rng.choices(countries, (3, 2, 1.5)[: len(countries)])[0]
    commune = rng.choice(pools.places_in(country))
    year = rng.randint(1950, 2024) if rng.random() < 0.8 else rng.randint(1915, 1949)
    model = draw_model(rng, act_type)
    officer_given = rng.choice(pools.male if year < 1990 or rng.random() < 0.7 else pools.female)
    officer_family = rng.choice(pools.family)
    family_fr = _fr_name(officer_family, rng, model.fr_family_upper)
    page = min(int(rng.expovariate(1 / 40)) + 1, 250)
    register = Register(
        country=country,
        commune=commune,
        commune_fr=commune.fr[0] if rng.random() < 0.85 else commune.spell(rng),
        act_type=act_type,
        year=year,
        paper="A3" if rng.random() < 0.12 else "A4",
        model=model,
        officer_ar=f"{officer_given.ar} {officer_family.ar}",
        officer_fr=f"{officer_given.spell(rng)} {family_fr}",
        total_acts=max(rng.randint(250, 500), int(page * 2.6) + 20),
    )
    return register, page


def _header(rng: random.Random, reg: Register, page: int) -> tuple[Row, ...]:
    m = reg.model
    fr_case = "upper" if m.labels_fr["notes"].isupper() else "normal"
    lines = [COUNTRY_LINES[reg.country]]
    if rng.random() < 0.5:
        lines.append(MINISTRY_LINES[reg.country])
    lines += [
        (
            f"الجماعة{m.sep_ar}{reg.commune.ar}",
            f"{french_label('Commune', fr_case)}{m.sep_fr}{reg.commune_fr}",
        ),
        REGISTER_TITLES[reg.act_type],
        (f"لسنة {reg.year}", f"Année {reg.year}"),
        (f"صفحة {page}", f"Page {page}"),
    ]
    lines = [(with_digits(ar, m.ar_digits), with_digits(fr, m.fr_digits)) for ar, fr in lines]
    return tuple(Row("header", Cell(ar, "", ""), Cell(fr, "", "")) for ar, fr in lines)


@dataclass
class _Line:
    """A field line before layout: the written values and the truth they carry."""

    ar: str
    fr: str
    fields: dict[str, str]


def _date_line(
    rng: random.Random, reg: Register, key: str, day: dt.date, hijri_key: str | None
) -> _Line:
    m = reg.model
    ar = arabic_date(day, m.ar_date_style, reg.country)
    fields = {key: day.isoformat()}
    if hijri_key and rng.random() < m.hijri_rate:
        shift = rng.choices((0, -1, 1), (0.7, 0.15, 0.15))[0]
        hijri = hijri_as_written(day, shift)
        ar += f" الموافق {hijri_date(hijri)}"
        fields[hijri_key] = hijri_iso(hijri)
    return _Line(ar, french_date(day, m.fr_date_style), fields)


def _name_lines(
    rng: random.Random, reg: Register, prefix: str, given: Name, family: Name
) -> dict[str, _Line]:
    given_fr = _fr_name(given, rng)
    family_fr = _fr_name(family, rng, reg.model.fr_family_upper)
    return {
        f"{prefix}given_name": _Line(
            given.ar,
            given_fr,
            {f"{prefix}given_name_ar": given.ar, f"{prefix}given_name_fr": given_fr},
        ),
        f"{prefix}family_name": _Line(
            family.ar,
            family_fr,
            {f"{prefix}family_name_ar": family.ar, f"{prefix}family_name_fr": family_fr},
        ),
    }


def _parent_lines(rng: random.Random, pools: Pools, reg: Register, family: Name) -> dict:
    m = reg.model
    ben, bent = ("Ben", "Bent") if m.ben_capital else ("ben", "bent")
    father = rng.choice(pools.male)
    father_ar, father_fr = father.ar, _fr_name(father, rng)
    form = rng.choices(("given", "chain", "family"), (0.5, 0.35, 0.15))[0]
    if form == "chain":
        grand = rng.choice(pools.male)
        father_ar += f" بن {grand.ar}"
        father_fr += f" {ben} {_fr_name(grand, rng)}"
    elif form == "family":
        father_ar += f" {family.ar}"
        father_fr += f" {_fr_name(family, rng, m.fr_family_upper)}"
    mother = rng.choice(pools.female)
    mother_ar, mother_fr = mother.ar, _fr_name(mother, rng)
    form = rng.choices(("given", "family", "chain"), (0.3, 0.45, 0.25))[0]
    if form == "chain":
        her_father = rng.choice(pools.male)
        mother_ar += f" بنت {her_father.ar}"
        mother_fr += f" {bent} {_fr_name(her_father, rng)}"
    elif form == "family":
        her_family = rng.choice(pools.family)
        mother_ar += f" {her_family.ar}"
        mother_fr += f" {_fr_name(her_family, rng, m.fr_family_upper)}"
    return {
        "father_name": _Line(
            father_ar, father_fr, {"father_name_ar": father_ar, "father_name_fr": father_fr}
        ),
        "mother_name": _Line(
            mother_ar, mother_fr, {"mother_name_ar": mother_ar, "mother_name_fr": mother_fr}
        ),
    }


def _place_line(rng: random.Random, pools: Pools, reg: Register, key: str, local: float) -> _Line:
    if rng.random() < local:
        ar, fr = reg.commune.ar, reg.commune_fr
    else:
        place = rng.choice(pools.places_in(reg.country))
        ar, fr = place.ar, place.spell(rng)
    return _Line(ar, fr, {f"{key}_ar": ar, f"{key}_fr": fr})


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def _act_lines(
    rng: random.Random, pools: Pools, reg: Register, number: int
) -> tuple[dict[str, _Line], NoteContext]:
    """Every line of one act, keyed by row key, and what its marginal notes need."""
    m = reg.model
    year_start = dt.date(reg.year, 1, 1)
    frac = min(number / reg.total_acts, 0.995)
    drawn_up = year_start + _days(int(frac * 364) + rng.randint(0, 1))
    drawn_up = min(drawn_up, dt.date(reg.year, 12, 31))
    written = str(number)
    if rng.random() < m.pad_rate:
        written = written.zfill(m.pad_width)
    lines = {
        "act_number": _Line(written, written, {"act_number": str(number)}),
        "drawn_up_date": None,
        "officer_name": _Line(
            reg.officer_ar,
            reg.officer_fr,
            {"officer_name_ar": reg.officer_ar, "officer_name_fr": reg.officer_fr},
        ),
    }
    if reg.act_type == "marriage":
        event = drawn_up - _days(rng.choices((0, rng.randint(1, 10)), (0.7, 0.3))[0])
        sex, birth = "M", None
        spouses = (("husband_", pools.male, (20, 45)), ("wife_", pools.female, (17, 38)))
        for prefix, pool, ages in spouses:
            lines |= _name_lines(rng, reg, prefix, rng.choice(pool), rng.choice(pools.family))
            born = event - _days(rng.randint(ages[0] * 365, ages[1] * 365))
            lines[f"{prefix}birth_date"] = _date_line(rng, reg, f"{prefix}birth_date", born, None)
        lines["marriage_date"] = _date_line(rng, reg, "marriage_date", event, "marriage_date_hijri")
        lines["marriage_place"] = _place_line(rng, pools, reg, "marriage_place", 0.85)
    else:
        sex = rng.choice("MF")
        given = rng.choice(pools.male if sex == "M" else pools.female)
        family = rng.choice(pools.family)
        lines |= _name_lines(rng, reg, "", given, family)
        lines["sex"] = _Line(*SEX_WORDS[sex], {"sex": sex})
        lines |= _parent_lines(rng, pools, reg, family)
        if reg.act_type == "birth":
            delay = rng.choices((rng.randint(0, 10), rng.randint(11, 30)), (0.8, 0.2))[0]
            birth = drawn_up - _days(delay)
            lines["birth_date"] = _date_line(rng, reg, "birth_date", birth, "birth_date_hijri")
            lines["birth_place"] = _place_line(rng, pools, reg, "birth_place", 0.7)
        else:
            delay = rng.choices((rng.randint(0, 3), rng.randint(4, 30)), (0.85, 0.15))[0]
            event = drawn_up - _days(delay)
            age_days = int(rng.triangular(0, 100, 72) * 365.25) + rng.randint(0, 364)
            birth = event - _days(age_days)
            lines["death_date"] = _date_line(rng, reg, "death_date", event, "death_date_hijri")
            lines["death_place"] = _place_line(rng, pools, reg, "death_place", 0.6)
            if rng.random() < 0.55:
                lines["birth_date"] = _date_line(rng, reg, "birth_date", birth, "birth_date_hijri")
    lines["drawn_up_date"] = _Line(
        arabic_date(drawn_up, m.ar_date_style, reg.country),
        french_date(drawn_up, m.fr_date_style),
        {"drawn_up_date": drawn_up.isoformat()},
    )
    context = NoteContext(
        act_type=reg.act_type,
        sex=sex,
        birth=birth,
        drawn_up=drawn_up,
        country=reg.country,
        commune=reg.commune,
        ar_date_style=m.ar_date_style,
        fr_date_style=m.fr_date_style,
        fr_upper_family=m.fr_family_upper,
    )
    return lines, context


def _label_key(row_key: str) -> str:
    for role in ("husband_", "wife_"):
        if row_key.startswith(role):
            return row_key[len(role) :]
    return row_key


def _cells(m: RegisterModel, row_key: str, line: _Line) -> tuple[Cell, Cell]:
    key = _label_key(row_key)
    ar = Cell(m.labels_ar[key], m.sep_ar, with_digits(line.ar, m.ar_digits))
    fr = Cell(m.labels_fr[key], m.sep_fr, with_digits(line.fr, m.fr_digits))
    return ar, fr


def draw_act(rng: random.Random, pools: Pools, reg: Register, number: int) -> Act:
    """One act: its printed rows and its ground truth fields and notes."""
    m = reg.model
    lines, context = _act_lines(rng, pools, reg, number)
    rows: list[Row] = []
    fields: dict[str, str] = {}
    present = [k for k in m.order if k in ("husband", "wife") or lines.get(k)]
    field_keys = [k for k in present if k not in ("husband", "wife")]
    missing_fr = rng.choice(field_keys) if rng.random() < m.missing_fr_rate else None
    for key in present:
        if key in ("husband", "wife"):
            ar_label, fr_label = m.labels_ar[key], m.labels_fr[key]
            rows.append(
                Row(
                    "section",
                    Cell(ar_label, m.sep_ar.rstrip(), ""),
                    Cell(fr_label, m.sep_fr.rstrip(), ""),
                )
            )
            continue
        line = lines[key]
        ar, fr = _cells(m, key, line)
        line_fields = line.fields
        if key == missing_fr:
            fr = None
            line_fields = {k: v for k, v in line_fields.items() if not k.endswith("_fr")}
        rows.append(Row("field", ar, fr))
        fields |= line_fields
    notes = draw_notes(rng, context, pools)
    nothing = not notes and m.write_nothing
    rows.append(
        Row(
            "notes",
            Cell(m.labels_ar["notes"], m.sep_ar, NOTHING_AR if nothing else ""),
            Cell(m.labels_fr["notes"], m.sep_fr, NOTHING_FR if nothing else ""),
        )
    )
    for note in notes:
        rows.append(
            Row(
                "note",
                Cell("", "", with_digits(note.ar, m.ar_digits)),
                Cell("", "", with_digits(note.fr, m.fr_digits)),
            )
        )
    assert set(fields) <= set(ACT_KEYS[reg.act_type]), set(fields) - set(ACT_KEYS[reg.act_type])
    return Act(number, tuple(rows), fields, tuple(n.ar for n in notes), tuple(n.fr for n in notes))


def _cost(act: Act) -> int:
    return len(act.rows) + sum(r.kind == "note" for r in act.rows) + 1


def draw_page(
    rng: random.Random, pools: Pools, reg: Register, page: int, first_act: int
) -> PageContent:
    """A register page with 1-3 acts numbered from first_act."""
    weights = (0.35, 0.55, 0.1) if reg.act_type == "marriage" else (0.2, 0.4, 0.4)
    count = rng.choices((1, 2, 3), weights)[0]
    acts: list[Act] = []
    budget = ROW_BUDGET[reg.paper]
    for i in range(count):
        act = draw_act(rng, pools, reg, first_act + i)
        if acts and _cost(act) > budget:
            break
        acts.append(act)
        budget -= _cost(act)
    return PageContent(reg, page, _header(rng, reg, page), tuple(acts))
