"""Configuration as data: register models, thresholds and lexicons.

Files live beside this module. An operator can add or override any of them without editing
the package by pointing `CIVREG_CONFIG_DIR` at a folder with the same layout: a file there
wins over the bundled one of the same name.
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

BUNDLED = Path(__file__).resolve().parent


def override_dir() -> Path | None:
    """The operator's configuration folder ($CIVREG_CONFIG_DIR), if set."""
    folder = os.environ.get("CIVREG_CONFIG_DIR")
    return Path(folder) if folder else None


def path(name: str) -> Path:
    """The file `name` (e.g. "register_models/maghreb.toml"), operator's copy first."""
    override = override_dir()
    if override and (candidate := override / name).is_file():
        return candidate
    bundled = BUNDLED / name
    if not bundled.is_file():
        raise FileNotFoundError(f"no configuration file {name!r} in {BUNDLED}")
    return bundled


@cache
def load(name: str) -> dict[str, Any]:
    """A TOML configuration file as a dict (cached: configuration is read once a process)."""
    with path(name).open("rb") as f:
        return tomllib.load(f)
