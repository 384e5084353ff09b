"""A register model: the printed form of one register (labels, line order, writing habits, look).

Drawn once per register, so it is consistent within a register and varies across registers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from sample_scans import fonts
from sample_scans.writing import ARABIC_DATE_STYLES, FRENCH_DATE_STYLES, french_label

# Row keys (one printed line each) -> label variants (Arabic, French), from register-forms.md.
AR_LABELS: dict[str, tuple[str, ...]] = {
    "act_number": ("رسم عدد", "رقم الرسم"),
    "given_name": ("الاسم الشخصي",),
    "family_name": ("الاسم العائلي",),
    "sex": ("الجنس",),
    "birth_date": ("تاريخ الازدياد", "تاريخ الولادة"),
    "birth_place": ("مكان الازدياد", "مكان الولادة"),
    "father_name": ("اسم الأب", "الأب"),
    "mother_name": ("اسم الأم", "الأم"),
    "death_date": ("تاريخ الوفاة",),
    "death_place": ("مكان الوفاة",),
    "marriage_date": ("تاريخ الزواج", "تاريخ عقد الزواج"),
    "marriage_place": ("مكان الزواج",),
    "husband": ("الزوج",),
    "wife": ("الزوجة",),
    "drawn_up_date": ("حرر بتاريخ",),
    "officer_name": ("ضابط الحالة المدنية",),
    "notes": ("بيانات هامشية",),
}
FR_LABELS: dict[str, tuple[str, ...]] = {
    "act_number": ("Acte n°", "N° de l'acte"),
    "given_name": ("Prénom", "Prénom(s)"),
    "family_name": ("Nom",),
    "sex": ("Sexe",),
    "birth_date": ("Date de naissance", "Né(e) le"),
    "birth_place": ("Lieu de naissance",),
    "father_name": ("Père", "Nom du père"),
    "mother_name": ("Mère", "Nom de la mère"),
    "death_date": ("Date du décès", "Décédé(e) le"),
    "death_place": ("Lieu du décès",),
    "marriage_date": ("Date du mariage",),
    "marriage_place": ("Lieu du mariage",),
    "husband": ("Époux",),
    "wife": ("Épouse",),
    "drawn_up_date": ("Dressé le",),
    "officer_name": ("L'officier de l'état civil",),
    "notes": ("Mentions marginales",),
}
SEPARATORS = (" : ", ": ", " :")
NOTHING_AR, NOTHING_FR = "لا شيء", "Néant"

# Line order of the body of an act, before the marginal notes.
BASE_ORDER: dict[str, tuple[str, ...]] = {
    "birth": (
        "act_number",
        "given_name",
        "family_name",
        "sex",
        "birth_date",
        "birth_place",
        "father_name",
        "mother_name",
        "drawn_up_date",
        "officer_name",
    ),
    "death": (
        "act_number",
        "given_name",
        "family_name",
        "sex",
        "death_date",
        "death_place",
        "birth_date",
        "father_name",
        "mother_name",
        "drawn_up_date",
        "officer_name",
    ),
    "marriage": (
        "act_number",
        "husband",
        "husband_given_name",
        "husband_family_name",
        "husband_birth_date",
        "wife",
        "wife_given_name",
        "wife_family_name",
        "wife_birth_date",
        "marriage_date",
        "marriage_place",
        "drawn_up_date",
        "officer_name",
    ),
}

INKS = {
    "black": (22, 22, 26),
    "blue": (25, 40, 110),
    "brown": (70, 45, 25),
    "violet": (60, 30, 90),
}


@dataclass(frozen=True)
class RenderStyle:
    """How the register's pages look."""

    ar_font: str
    lat_font: str
    ar_value_font: str  # the values may be typed in another font than the printed labels
    lat_value_font: str
    pt: float  # text size in points
    spacing: float  # line height / font size
    separator: str  # 'rule' between acts or 'box' around each act
    vertical_rule: bool
    ledger: bool  # ruled line under each text line
    header_bold: bool
    form_ink: tuple[int, int, int]  # printed labels, rules, header
    entry_ink: tuple[int, int, int]  # values and notes
    paper: tuple[int, int, int]
    typed_jitter: float  # baseline jitter of values, as a fraction of the font size


@dataclass(frozen=True)
class RegisterModel:
    """Labels and writing habits of one register."""

    labels_ar: dict[str, str]
    labels_fr: dict[str, str]
    sep_ar: str
    sep_fr: str
    order: tuple[str, ...]
    fr_date_style: str
    ar_date_style: str
    ar_digits: str  # 'western' or 'indic'
    fr_digits: str
    hijri_rate: float  # share of Arabic date lines that also give the Hijri date
    pad_width: int  # act numbers written with leading zeros to this width ('045'); 0: never
    pad_rate: float
    fr_family_upper: bool  # 'ALAOUI' rather than 'Alaoui' in French name values
    ben_capital: bool  # 'Ahmed Ben Mohamed' rather than 'Ahmed ben Mohamed'
    write_nothing: bool  # 'لا شيء' / 'Néant' when an act has no marginal note
    missing_fr_rate: float  # share of acts with one French line left out
    style: RenderStyle


def _order(rng: random.Random, act_type: str) -> tuple[str, ...]:
    """The base line order, slightly varied the way register models differ."""
    order = list(BASE_ORDER[act_type])

    def swap(a: str, b: str) -> None:
        i, j = order.index(a), order.index(b)
        order[i], order[j] = order[j], order[i]

    if act_type in ("birth", "death") and rng.random() < 0.35:
        swap("given_name", "family_name")
    if act_type == "birth" and rng.random() < 0.3:
        order.remove("sex")
        order.insert(order.index("birth_place") + 1, "sex")
    if act_type == "death" and rng.random() < 0.4:
        order.remove("birth_date")
        order.insert(order.index("death_date"), "birth_date")
    if act_type == "marriage" and rng.random() < 0.4:
        for key in ("marriage_place", "marriage_date"):
            order.remove(key)
            order.insert(1, key)
    if act_type == "marriage" and rng.random() < 0.3:
        for role in ("husband", "wife"):
            swap(f"{role}_given_name", f"{role}_family_name")
    return tuple(order)


def _labels(rng: random.Random, hamza: bool, fr_case: str) -> tuple[dict, dict]:
    ar = {k: rng.choice(v) for k, v in AR_LABELS.items()}
    if hamza:
        ar = {k: v.replace("الاسم", "الإسم") for k, v in ar.items()}
    fr = {k: french_label(rng.choice(v), fr_case) for k, v in FR_LABELS.items()}
    return ar, fr


def _style(rng: random.Random) -> RenderStyle:
    ar_font = rng.choices(fonts.ARABIC_FAMILIES, (5, 3, 2, 1, 2, 2, 2, 2))[0]
    lat_font = rng.choice(fonts.LATIN_FAMILIES)
    typed = rng.random() < 0.35
    ink = rng.choices(list(INKS), (6, 3, 1, 0.5))[0]
    entry_ink = ink if rng.random() < 0.6 else rng.choice(("black", "blue"))
    paper = rng.choice(((255, 255, 255), (252, 250, 240), (247, 242, 222), (242, 236, 212)))
    return RenderStyle(
        ar_font=ar_font,
        lat_font=lat_font,
        ar_value_font=rng.choice(("KacstOffice", "DejaVu Sans")) if typed else ar_font,
        lat_value_font=rng.choice(fonts.TYPED_FAMILIES) if typed else lat_font,
        pt=rng.uniform(10, 12),
        spacing=rng.uniform(1.45, 1.75),
        separator=rng.choice(("rule", "box")),
        vertical_rule=rng.random() < 0.45,
        ledger=rng.random() < 0.3,
        header_bold=rng.random() < 0.6,
        form_ink=INKS[ink],
        entry_ink=INKS[entry_ink],
        paper=paper,
        typed_jitter=rng.uniform(0.02, 0.07) if typed else 0.0,
    )


def draw_model(rng: random.Random, act_type: str) -> RegisterModel:
    """A random register model for an act type."""
    fr_case = rng.choices(("normal", "upper", "noaccent"), (0.75, 0.1, 0.15))[0]
    labels_ar, labels_fr = _labels(rng, rng.random() < 0.3, fr_case)
    sep = rng.choices(SEPARATORS, (0.6, 0.3, 0.1))[0]
    fr_digits = "indic" if rng.random() < 0.03 else "western"
    fr_date_style = rng.choices(FRENCH_DATE_STYLES, (0.5, 0.15, 0.35))[0]
    if fr_digits == "indic" and fr_date_style == "dash":
        # '-' does not hold Arabic-Indic numbers together: bidi would show the year first.
        fr_date_style = "slash"
    return RegisterModel(
        labels_ar=labels_ar,
        labels_fr=labels_fr,
        sep_ar=sep if rng.random() < 0.7 else rng.choice(SEPARATORS),
        sep_fr=sep,
        order=_order(rng, act_type),
        fr_date_style=fr_date_style,
        ar_date_style=rng.choices(ARABIC_DATE_STYLES, (0.65, 0.35))[0],
        ar_digits="indic" if rng.random() < 0.3 else "western",
        fr_digits=fr_digits,
        hijri_rate=rng.choices((0.0, 0.8, 0.95, 1.0), (0.12, 0.3, 0.3, 0.28))[0],
        pad_width=rng.choice((3, 4)),
        pad_rate=rng.choice((0.0, 0.0, 0.3, 1.0)),
        fr_family_upper=rng.random() < 0.35,
        ben_capital=rng.random() < 0.4,
        write_nothing=rng.random() < 0.75,
        missing_fr_rate=rng.choice((0.0, 0.1, 0.2)),
        style=_style(rng),
    )
