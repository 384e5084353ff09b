"""How values are written on a page: digits, date forms, month names (register-forms.md)."""

from __future__ import annotations

import datetime as dt
import unicodedata

WESTERN_TO_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
INDIC_TO_WESTERN = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")

FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
ARABIC_MONTHS = {
    "MA": (
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "ماي",
        "يونيو",
        "يوليوز",
        "غشت",
        "شتنبر",
        "أكتوبر",
        "نونبر",
        "دجنبر",
    ),
    "DZ": (
        "جانفي",
        "فيفري",
        "مارس",
        "أفريل",
        "ماي",
        "جوان",
        "جويلية",
        "أوت",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ),
}
ARABIC_MONTHS["TN"] = ARABIC_MONTHS["DZ"]
HIJRI_MONTHS = (
    "محرم",
    "صفر",
    "ربيع الأول",
    "ربيع الثاني",
    "جمادى الأولى",
    "جمادى الآخرة",
    "رجب",
    "شعبان",
    "رمضان",
    "شوال",
    "ذو القعدة",
    "ذو الحجة",
)

FRENCH_DATE_STYLES = ("slash", "dash", "text")
ARABIC_DATE_STYLES = ("text", "slash")


def with_digits(text: str, system: str) -> str:
    """Text with its Western digits written in `system` ('western' or 'indic')."""
    return text.translate(WESTERN_TO_INDIC) if system == "indic" else text


def western_digits(text: str) -> str:
    return text.translate(INDIC_TO_WESTERN)


def french_date(day: dt.date, style: str) -> str:
    """'15/03/1995', '15-03-1995' or '15 mars 1995'."""
    if style == "text":
        return f"{day.day} {FRENCH_MONTHS[day.month - 1]} {day.year}"
    sep = "/" if style == "slash" else "-"
    return f"{day.day:02d}{sep}{day.month:02d}{sep}{day.year}"


def arabic_date(day: dt.date, style: str, country: str) -> str:
    """'15 مارس 1995' (month names of the country) or '15/03/1995'."""
    if style == "text":
        return f"{day.day} {ARABIC_MONTHS[country][day.month - 1]} {day.year}"
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def hijri_date(ymd: tuple[int, int, int]) -> str:
    """'14 شوال 1415'."""
    return f"{ymd[2]} {HIJRI_MONTHS[ymd[1] - 1]} {ymd[0]}"


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", kept)


def french_label(label: str, case: str) -> str:
    """A French label as a register model prints it: 'normal', 'upper' ('PRENOM') or 'noaccent'."""
    if case == "upper":
        return strip_accents(label).upper()
    if case == "noaccent":
        return strip_accents(label)
    return label
