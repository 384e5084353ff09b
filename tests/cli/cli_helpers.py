"""Helpers of the command-line tests: a small registry of known acts."""

from __future__ import annotations

import hashlib

from records import Act, FieldValue
from registry_loader.db import open_registry
from registry_loader.load import PageInfo, load_page


def act(
    number: str, act_type: str, year: int, commune: tuple[str, str], status: str, **names: str
) -> Act:
    """An act as a page load stores it: register fields, names, a status."""
    commune_fr, commune_ar = commune
    values = {
        "act_type": act_type,
        "register_year": str(year),
        "commune_fr": commune_fr,
        "commune_ar": commune_ar,
        "act_number": number,
        **names,
    }
    return Act(fields={k: FieldValue(v, 0.9) for k, v in values.items()}, status=status)


SEFROU, OUJDA = ("Sefrou", "صفرو"), ("Oujda", "وجدة")

# (key, act): keys name the acts in the tests.
ACTS = {
    "sefrou-birth-1995-12": act(
        "12",
        "birth",
        1995,
        SEFROU,
        "accepted",
        given_name_fr="Mohamed",
        given_name_ar="محمد",
        family_name_fr="Alaoui",
        family_name_ar="العلوي",
    ),
    "sefrou-birth-1995-13": act(
        "13",
        "birth",
        1995,
        SEFROU,
        "needs_review",
        given_name_fr="Fatima",
        given_name_ar="فاطمة",
        family_name_fr="Bennani",
        family_name_ar="بناني",
    ),
    "sefrou-death-1996-12": act(
        "12",
        "death",
        1996,
        SEFROU,
        "needs_review",
        given_name_fr="Mohamed",
        given_name_ar="محمد",
        family_name_fr="Idrissi",
        family_name_ar="الإدريسي",
    ),
    "oujda-birth-1998-12": act(
        "12",
        "birth",
        1998,
        OUJDA,
        "accepted",
        given_name_fr="Mohamed",
        given_name_ar="محمد",
        family_name_fr="Tazi",
        family_name_ar="التازي",
    ),
    "oujda-marriage-2001-7": act(
        "7",
        "marriage",
        2001,
        OUJDA,
        "needs_review",
        husband_given_name_fr="Karim",
        husband_given_name_ar="كريم",
        husband_family_name_fr="Alaoui",
        husband_family_name_ar="العلوي",
        wife_given_name_fr="Fatima",
        wife_given_name_ar="فاطمة",
        wife_family_name_fr="Tazi",
        wife_family_name_ar="التازي",
    ),
}


def key_of(data: dict) -> str:
    """The ACTS key of an act as the CLI prints it."""
    return (
        f"{data['commune_fr'].lower()}-{data['act_type']}-{data['register_year']}-"
        f"{data['act_number']}"
    )


def fill(url: str) -> str:
    """Load ACTS into the registry at `url`, one page each."""
    with open_registry(url) as registry:
        for key, one in ACTS.items():
            page = PageInfo(
                file_name=f"{key}.png",
                file_path=f"/scans/{key}.png",
                sha256=hashlib.sha256(key.encode()).hexdigest(),
                page_no=1,
            )
            with registry.session() as session:
                load_page(session, page, [one])
    return url
