"""Canonical field keys of register-forms.md, grouped the way the stages need them."""
# fmt: off

from __future__ import annotations

ACT_TYPES = ("birth", "death", "marriage")
STATUSES = ("accepted", "needs_review", "rejected")

# The earliest year a date of an act may name: registers go back to the 1880s (Algeria's
# and Tunisia's), and a death act gives the birth date of someone born up to a century
# before. (A floor of 1850 lost the Hijri birth dates of the 1820s-1840s.)
EARLIEST_YEAR = 1780

# Read from the page header and copied onto each act.
REGISTER_KEYS = ("act_type", "register_year", "commune_ar", "commune_fr", "page")

# Keys an act of each type has (besides the register keys), in reading order.
ACT_KEYS: dict[str, tuple[str, ...]] = {
    "birth": (
        "act_number",
        "given_name_ar", "given_name_fr", "family_name_ar", "family_name_fr",
        "sex", "birth_date", "birth_date_hijri", "birth_place_ar", "birth_place_fr",
        "father_name_ar", "father_name_fr", "mother_name_ar", "mother_name_fr",
        "drawn_up_date", "officer_name_ar", "officer_name_fr",
    ),
    "death": (
        "act_number",
        "given_name_ar", "given_name_fr", "family_name_ar", "family_name_fr",
        "sex", "death_date", "death_date_hijri", "death_place_ar", "death_place_fr",
        "birth_date", "birth_date_hijri",
        "father_name_ar", "father_name_fr", "mother_name_ar", "mother_name_fr",
        "drawn_up_date", "officer_name_ar", "officer_name_fr",
    ),
    "marriage": (
        "act_number",
        "husband_given_name_ar", "husband_given_name_fr",
        "husband_family_name_ar", "husband_family_name_fr", "husband_birth_date",
        "wife_given_name_ar", "wife_given_name_fr",
        "wife_family_name_ar", "wife_family_name_fr", "wife_birth_date",
        "marriage_date", "marriage_date_hijri", "marriage_place_ar", "marriage_place_fr",
        "drawn_up_date", "officer_name_ar", "officer_name_fr",
    ),
}

# fmt: on
ALL_KEYS: tuple[str, ...] = REGISTER_KEYS + tuple(
    dict.fromkeys(k for keys in ACT_KEYS.values() for k in keys)
)

# Value kinds, which decide how a value is parsed, normalised and compared.
GREGORIAN_DATE_KEYS = frozenset(
    k for k in ALL_KEYS if k.endswith("_date") and not k.endswith("_hijri")
)
HIJRI_DATE_KEYS = frozenset(k for k in ALL_KEYS if k.endswith("_date_hijri"))
NUMBER_KEYS = frozenset({"act_number", "register_year", "page"})


def script_of_key(key: str) -> str | None:
    """'ar' or 'fr' for a key written in one script only, else None."""
    if key.endswith("_ar"):
        return "ar"
    if key.endswith("_fr"):
        return "fr"
    return None


def counterpart(key: str) -> str | None:
    """The same field in the other script: given_name_ar -> given_name_fr."""
    script = script_of_key(key)
    if script is None:
        return None
    return key[:-2] + ("fr" if script == "ar" else "ar")


def hijri_key(date_key: str) -> str | None:
    """birth_date -> birth_date_hijri, where the act model has one."""
    candidate = date_key + "_hijri"
    return candidate if candidate in HIJRI_DATE_KEYS else None
