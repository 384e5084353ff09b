"""Calibration: raw confidences made into probabilities, one logistic map a kind of field."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

import configs
from records import Act, FieldValue
from validation import calibration
from validation.calibration import CEILING, FLOOR, KINDS, Platt, calibrate, kind_of

RAWS = [i / 20 for i in range(1, 20)]


@pytest.fixture
def fresh_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An operator's configuration folder; configuration caches cleared before and after."""
    monkeypatch.setenv("CIVREG_CONFIG_DIR", str(tmp_path))
    configs.load.cache_clear()
    calibration.load.cache_clear()
    yield tmp_path
    configs.load.cache_clear()
    calibration.load.cache_clear()


def test_the_default_map_is_the_identity():
    assert [Platt()(raw) for raw in RAWS] == pytest.approx(RAWS)


def test_a_map_stays_within_floor_and_ceiling():
    steep = Platt(a=5.0, b=3.0)
    assert steep(1.0) == CEILING and Platt(a=5.0, b=-3.0)(0.0) == FLOOR
    assert Platt()(0.0) >= FLOOR and Platt()(1.0) <= CEILING


@pytest.mark.parametrize("kind", KINDS)
def test_every_bundled_map_is_monotone(kind: str):
    """Non-decreasing everywhere; strictly increasing until it reaches the ceiling."""
    mapped = [calibration.load()[kind](raw) for raw in RAWS]
    assert all(a <= b for a, b in itertools.pairwise(mapped)), mapped
    assert all(a < b for a, b in itertools.pairwise(mapped) if b < CEILING), mapped


def test_the_bundled_maps_are_not_all_the_identity():
    maps = calibration.load()
    assert set(maps) == set(KINDS)
    assert any(maps[k](0.5) != pytest.approx(0.5) for k in KINDS)


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        ("given_name_ar", "ar_text"),
        ("birth_place_fr", "fr_text"),
        ("commune_ar", "ar_text"),
        ("birth_date", "date"),
        ("drawn_up_date", "date"),
        ("marriage_date_hijri", "hijri"),
        ("act_number", "act_number"),
        ("sex", "sex"),
        ("register_year", "register"),
        ("act_type", "register"),
        ("page", "register"),
    ],
)
def test_kind_of_a_key(key: str, kind: str):
    assert kind_of(key) == kind


def test_calibrate_maps_each_machine_value_by_its_kind():
    maps = {kind: Platt() for kind in KINDS} | {"date": Platt(a=1.0, b=2.0)}
    act = Act(
        fields={
            "birth_date": FieldValue("1995-03-15", 0.5, engine="tesseract"),
            "sex": FieldValue("M", 0.5, engine="tesseract"),
            "act_type": FieldValue("birth", 0.5),
        }
    )
    calibrate(act, maps)
    assert act.fields["birth_date"].confidence == pytest.approx(Platt(1.0, 2.0)(0.5), abs=1e-4)
    assert act.fields["birth_date"].confidence > 0.5
    assert act.fields["sex"].confidence == 0.5 and act.fields["act_type"].confidence == 0.5


def test_calibrate_leaves_reviewer_and_imported_values_alone():
    maps = {kind: Platt(a=1.0, b=3.0) for kind in KINDS}
    act = Act(
        fields={
            "sex": FieldValue("M", 0.4, engine="reviewer:amina"),
            "act_number": FieldValue("12", 0.6, engine="import"),
            "birth_date": FieldValue("1995-03-15", 0.6, engine="tesseract"),
        }
    )
    calibrate(act, maps)
    assert act.fields["sex"].confidence == 0.4 and act.fields["act_number"].confidence == 0.6
    assert act.fields["birth_date"].confidence > 0.6


def test_a_kind_the_file_does_not_list_is_the_identity(fresh_config: Path):
    (fresh_config / "calibration.toml").write_text("[kinds]\ndate = { a = 2.0, b = 1.0 }\n")
    maps = calibration.load()
    assert maps["date"] == Platt(2.0, 1.0)
    assert all(maps[k] == Platt() for k in KINDS if k != "date")


def test_a_file_without_kinds_is_the_identity_everywhere(fresh_config: Path):
    (fresh_config / "calibration.toml").write_text("# not fitted yet\n")
    assert all(m == Platt() for m in calibration.load().values())
