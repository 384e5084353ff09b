"""Canonical field keys (register-forms.md) and the helpers over them."""

from __future__ import annotations

import pytest

from records.fields import (
    ACT_KEYS,
    ALL_KEYS,
    GREGORIAN_DATE_KEYS,
    HIJRI_DATE_KEYS,
    REGISTER_KEYS,
    counterpart,
    hijri_key,
    script_of_key,
)


def test_every_key_is_listed_once_register_keys_first():
    assert len(ALL_KEYS) == len(set(ALL_KEYS))
    assert ALL_KEYS[: len(REGISTER_KEYS)] == REGISTER_KEYS
    assert all(k in ALL_KEYS for keys in ACT_KEYS.values() for k in keys)


def test_every_act_type_starts_with_its_number():
    assert all(keys[0] == "act_number" for keys in ACT_KEYS.values())


def test_every_scripted_key_has_its_twin():
    for key in ALL_KEYS:
        if script_of_key(key):
            assert counterpart(key) in ALL_KEYS, key


@pytest.mark.parametrize(
    ("key", "script", "twin"),
    [
        ("given_name_ar", "ar", "given_name_fr"),
        ("wife_family_name_fr", "fr", "wife_family_name_ar"),
        ("commune_fr", "fr", "commune_ar"),
        ("birth_date", None, None),
        ("sex", None, None),
    ],
)
def test_script_of_key_and_counterpart(key: str, script: str | None, twin: str | None):
    assert script_of_key(key) == script and counterpart(key) == twin


@pytest.mark.parametrize(
    ("key", "hijri"),
    [
        ("birth_date", "birth_date_hijri"),
        ("death_date", "death_date_hijri"),
        ("marriage_date", "marriage_date_hijri"),
        ("drawn_up_date", None),
        ("husband_birth_date", None),
    ],
)
def test_hijri_key_only_where_the_model_has_one(key: str, hijri: str | None):
    assert hijri_key(key) == hijri


def test_date_keys_are_gregorian_or_hijri_never_both():
    assert not GREGORIAN_DATE_KEYS & HIJRI_DATE_KEYS
    assert "birth_date" in GREGORIAN_DATE_KEYS and "birth_date_hijri" in HIJRI_DATE_KEYS
    assert all(k.endswith("_date") for k in GREGORIAN_DATE_KEYS)
