"""Text normalisation for both scripts: the one module used for matching, indexing and querying.

Two levels, as register-forms.md asks:
- `normalize`: for exact comparison. NFC, white space collapsed, Latin case-folded, Arabic
  tatweel and vowel marks removed, Arabic-Indic and Persian digits made Western, Persian
  yeh and keheh made Arabic. Hamza forms, ta marbuta and alef maqsura are kept: they
  distinguish names.
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

# Persian yeh and keheh (Persian keyboards, Tesseract's fas model) are the Arabic letters.
_PERSIAN_LETTERS = str.maketrans("یکۀ", "يكة")

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
    text = to_western_digits(text).translate(_PERSIAN_LETTERS)
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


# --- Name keys: shared by the registry's search index and its queries ------------------------

_NAME_SPLIT = re.compile(r"[\s\-‐‑–—_'’`´.,;:()\[\]{}|/\\\"«»]+")


def name_words(text: str) -> list[str]:
    """The words of a name in `normalize` form (accents and hamza kept), split at white
    space and punctuation: "M'hamed El-Alaoui" -> ["m", "hamed", "el", "alaoui"]."""
    return [w for w in _NAME_SPLIT.split(normalize(text)) if w]


# One consonant class a sound, for Arabic letters and their French-style spellings: vowels,
# long vowels, ع, hamza and ta marbuta are left out, as French spellings leave them out or
# write them as vowels. Velars and uvulars share K (ق is k, q or g; غ gh or g; خ kh), the
# dental stops share T and D, s and ص share S.
_AR_CLASS = {
    "ب": "B", "پ": "B",
    "ت": "T", "ط": "T", "ث": "T",
    "ج": "J",
    "ح": "H", "ه": "H",
    "خ": "K", "غ": "K", "ق": "K", "ك": "K", "ڭ": "K", "گ": "K",
    "د": "D", "ذ": "D", "ض": "D", "ظ": "D",
    "ر": "R", "ز": "Z", "س": "S", "ص": "S", "ش": "C",
    "ف": "F", "ڤ": "F",
    "ل": "L", "م": "M", "ن": "N",
}  # fmt: skip
# The article ال before a sun letter is not heard (Ezzahra, Noureddine, Abderrahmane).
_SUN_LETTERS = frozenset("تثدذرزسشصضطظلن")
_DIN = re.compile("^(.{2,})الدين$")
# Latin spellings, longest first: digraphs before their letters.
_LATIN_CLASS = (
    ("sch", "C"), ("tch", "C"), ("ch", "C"), ("sh", "C"),
    ("kh", "K"), ("gh", "K"), ("ck", "K"), ("qu", "K"),
    ("dj", "J"), ("th", "T"), ("dh", "D"), ("ph", "F"),
    ("b", "B"), ("p", "B"), ("t", "T"), ("j", "J"), ("h", "H"),
    ("k", "K"), ("q", "K"), ("x", "KS"), ("d", "D"), ("r", "R"), ("z", "Z"),
    ("s", "S"), ("ç", "S"), ("f", "F"), ("v", "F"), ("l", "L"), ("m", "M"), ("n", "N"),
)  # fmt: skip
_SOFT = frozenset("eiy")
# A Latin article glued to a name that starts with a consonant: Elfassi, Alhoceima.
_ARTICLE_LATIN = re.compile(r"^(?:el|al)(?=[bcdfghjklmnpqrstvxz][a-z]{2})")


def name_skeletons(name: str) -> tuple[str, ...]:
    """Spelling-independent keys of a name (one word, or words read as one: نور الدين,
    Noureddine), the same from Arabic and from its French-style spellings: محمد, Mohamed,
    Mohammed, Mhamed -> "MHMD"; فاطمة, Fatima, Fatma -> "FTM".

    Consonant classes only, repeats merged, a final H dropped after another class
    (Abdellah, Fatiha). An Arabic name has a second key where French spellings differ in
    a regular way: the article before a moon letter written or not (الحسن: Hassan,
    Lahcen), a final ة heard as t (نجاة: Najat). A blocking key for search, not a match:
    محمود has the key of محمد. Empty for a name without consonants."""
    text = normalize(name)
    if not text:
        return ()
    if script_of(text) == "ar":
        words = text.translate(_HAMZA_FOLD_KEEP_TA).split()
        # نورالدين, عزالدين written as one word: read as نور الدين.
        words = [p for w in words for p in _DIN.sub(r"\1 الدين", w).split()]
        keys = _arabic_keys(words)
    else:
        keys = (_latin_classes(text.replace("ç", "s")),)
    out = []
    for classes in keys:
        merged = "".join(c for i, c in enumerate(classes) if i == 0 or c != classes[i - 1])
        merged = merged[:-1] if merged.endswith("H") and len(merged) > 1 else merged
        if merged and merged not in out:
            out.append(merged)
    return tuple(out)


def name_skeleton(name: str) -> str:
    """The first key of `name_skeletons` ("" for none)."""
    keys = name_skeletons(name)
    return keys[0] if keys else ""


# Hamza forms and alef maqsura folded as `fold` does, ta marbuta kept (it may be heard).
_HAMZA_FOLD_KEEP_TA = {k: v for k, v in _HAMZA_FOLD.items() if k != ord("ة")}


def _arabic_keys(words: list[str]) -> tuple[str, ...]:
    plain, alt = [], []
    for i, word in enumerate(words):
        article = ""
        for prefix in ("عبدال", "ال"):  # عبدالقادر: the article after عبد, joined
            if word.startswith(prefix) and len(word) > len(prefix) + 1:
                head = "BD" if prefix == "عبدال" else ""
                word = word[len(prefix) :]
                article = head + ("" if word[0] in _SUN_LETTERS else "L")
                break
        letters = "".join(_AR_CLASS.get(ch, "") for ch in word)
        if i == 0 and article == "L":  # a name of its own: Lahcen or Hassan
            plain.append(letters)
            alt.append("L" + letters)
        else:
            plain.append(article + letters)
            alt.append(article + letters)
    if words and words[-1].endswith("ة"):
        alt[-1] += "T"
    return ("".join(plain), "".join(alt))


def _latin_classes(text: str) -> str:
    text = _ARTICLE_LATIN.sub("", strip_accents(text).replace(" ", ""))
    # Vowels, w, y, apostrophes, digits match nothing: no class.
    return "".join(_LATIN_CLASS_OF[spelling] for spelling in _LATIN_SPELLINGS.findall(text))


# c and g before e, i, y are soft (the vowel taken with them has no class anyway).
_LATIN_CLASS_OF = dict(_LATIN_CLASS) | {
    **{f"c{v}": "S" for v in _SOFT},
    **{f"g{v}": "J" for v in _SOFT},
    "c": "K",
    "g": "K",
}
_LATIN_SPELLINGS = re.compile(
    "|".join(re.escape(s) for s, _ in _LATIN_CLASS if len(s) > 1)
    + "|c[eiy]?|g[eiy]?|"
    + "["
    + "".join(s for s, _ in _LATIN_CLASS if len(s) == 1)
    + "]"
)  # digraphs first, as the alternatives are tried in order
