"""Text normalisation for both scripts: the one module used for matching, indexing and querying.

Two levels, as register-forms.md asks:
- `normalize`: for exact comparison. NFC, white space collapsed, Latin case-folded, Arabic
  tatweel and vowel marks removed, Arabic-Indic digits made Western. Hamza forms, ta marbuta
  and alef maqsura are kept: they distinguish names.
- `fold`: for fuzzy comparison and search keys. `normalize`, then hamza forms, ta marbuta
  and alef maqsura folded, Latin accents removed, punctuation made space.
Arabic is always handled in logical order; display shaping belongs to whoever draws pixels.
"""

from __future__ import annotations

import re
import unicodedata

# Arabic-Indic (U+0660..) and Extended/Persian (U+06F0..) digits to Western.
_DIGITS = {ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")}
_DIGITS.update({ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")})

TATWEEL = "\u0640"
# Harakat, tanwin, shadda, sukun, superscript alef and Quranic marks.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_SPACE = re.compile(r"\s+")

_HAMZA_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ئ": "ي",
        "ى": "ي",
        "ة": "ه",
        "ء": "",
    }
)
_PUNCT = re.compile(r"[-‐‑–—_'’`´.,;:()\[\]{}|/\\\"«»]+")


def to_western_digits(text: str) -> str:
    return text.translate(_DIGITS)


def normalize(text: str) -> str:
    """Exact-match form: see the module docstring."""
    text = unicodedata.normalize("NFC", text)
    text = _ARABIC_MARKS.sub("", text.replace(TATWEEL, ""))
    text = to_western_digits(text)
    return _SPACE.sub(" ", text).strip().casefold()


def strip_accents(text: str) -> str:
    """Remove Latin diacritics (é -> e) and leave Arabic letters alone."""
    decomposed = unicodedata.normalize("NFD", text)
    kept = (c for c in decomposed if not (unicodedata.combining(c) and ord(c) < 0x0600))
    return unicodedata.normalize("NFC", "".join(kept))


def fold(text: str) -> str:
    """Fuzzy-match form: `normalize`, then hamza / ta marbuta / alef maqsura folded,
    Latin accents removed and punctuation turned into space."""
    text = strip_accents(normalize(text)).translate(_HAMZA_FOLD)
    text = _PUNCT.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


def is_arabic_char(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\ufb50" <= ch <= "\ufeff"


def script_of(text: str) -> str | None:
    """'ar' when most letters are Arabic, 'fr' when most are Latin, None without letters."""
    arabic = latin = 0
    for ch in text:
        if is_arabic_char(ch) and ch.isalpha():
            arabic += 1
        elif ch.isalpha():
            latin += 1
    if arabic == latin == 0:
        return None
    return "ar" if arabic >= latin else "fr"
