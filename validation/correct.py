"""Corrections one side of an act allows on the other.

Tesseract's Arabic model often reads a word-final ي as ى (and the reverse); the two are not
folded for an exact match because they distinguish names (register-forms.md). The French
spelling of the same name settles it: a final -i/-y is ي (العلوي / Alaoui, الطرابلسي /
Trabelsi), a final -a is ى (موسى / Moussa, منى / Mouna).
"""

from __future__ import annotations

from ocr.text import fold

YA, ALEF_MAQSURA = "ي", "ى"
_I_ENDINGS = ("i", "y")
_A_ENDINGS = ("a",)
# The Arabic article is part of the word (المهدي); the French writes it apart (El Mehdi).
_ARTICLES = frozenset({"el", "al", "ed", "es", "et", "ez", "en", "er", "ech", "ej"})


def final_ya(arabic: str, latin: str) -> str | None:
    """The Arabic value with its word-final ي / ى set by the French spelling of the same
    words, or None when nothing changes or the words cannot be paired one to one."""
    a_words = arabic.split()
    l_words = [w for w in fold(latin).split() if w not in _ARTICLES]
    if not a_words or len(a_words) != len(l_words):
        return None
    changed = False
    for i, (a_word, l_word) in enumerate(zip(a_words, l_words, strict=True)):
        if a_word[-1:] not in (YA, ALEF_MAQSURA) or len(a_word) < 2:
            continue
        wanted = (
            YA
            if l_word.endswith(_I_ENDINGS)
            else ALEF_MAQSURA
            if l_word.endswith(_A_ENDINGS)
            else None
        )
        if wanted and a_word[-1] != wanted:
            a_words[i] = a_word[:-1] + wanted
            changed = True
    return " ".join(a_words) if changed else None
