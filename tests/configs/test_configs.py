"""Configuration as data: bundled files, and an operator's folder that overrides them."""

from __future__ import annotations

from pathlib import Path

import pytest

import configs


@pytest.fixture
def operator_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """$CIVREG_CONFIG_DIR set to an empty folder; the configuration cache cleared before and
    after (configs.load reads a file once a process)."""
    monkeypatch.setenv("CIVREG_CONFIG_DIR", str(tmp_path))
    configs.load.cache_clear()
    yield tmp_path
    configs.load.cache_clear()


def test_a_bundled_file_is_found_beside_the_package(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("CIVREG_CONFIG_DIR", raising=False)
    assert configs.path("thresholds.toml") == configs.BUNDLED / "thresholds.toml"
    assert configs.override_dir() is None


def test_the_operators_file_wins_over_the_bundled_one(operator_dir: Path):
    (operator_dir / "thresholds.toml").write_text("accept = 0.5\n")
    assert configs.path("thresholds.toml") == operator_dir / "thresholds.toml"
    assert configs.load("thresholds.toml") == {"accept": 0.5}


def test_a_file_the_operator_does_not_have_comes_from_the_package(operator_dir: Path):
    (operator_dir / "thresholds.toml").write_text("accept = 0.5\n")
    assert configs.path("calibration.toml") == configs.BUNDLED / "calibration.toml"
    assert "kinds" in configs.load("calibration.toml")


def test_an_operators_file_in_a_subfolder_wins_too(operator_dir: Path):
    (operator_dir / "register_models").mkdir()
    (operator_dir / "register_models" / "maghreb.toml").write_text('name = "local"\n')
    assert configs.load("register_models/maghreb.toml")["name"] == "local"


def test_an_operator_can_add_a_file_the_package_lacks(operator_dir: Path):
    (operator_dir / "register_models").mkdir()
    (operator_dir / "register_models" / "tunis.toml").write_text('name = "tunis"\n')
    assert configs.load("register_models/tunis.toml") == {"name": "tunis"}


def test_a_missing_file_is_an_error_naming_it(operator_dir: Path):
    with pytest.raises(FileNotFoundError, match=r"register_models/nowhere\.toml"):
        configs.path("register_models/nowhere.toml")


def test_load_is_cached_for_the_process(operator_dir: Path):
    (operator_dir / "thresholds.toml").write_text("accept = 0.5\n")
    first = configs.load("thresholds.toml")
    (operator_dir / "thresholds.toml").write_text("accept = 0.9\n")
    assert configs.load("thresholds.toml") is first
    configs.load.cache_clear()
    assert configs.load("thresholds.toml") == {"accept": 0.9}


def test_the_bundled_register_model_and_thresholds_load():
    configs.load.cache_clear()
    model = configs.load("register_models/maghreb.toml")
    assert model["name"] == "maghreb" and "act_number" in model["fields"]["fr"]
    assert 0 < configs.load("thresholds.toml")["accept"] < 1
