"""A small generated set shared by the sample_scans tests (150 dpi keeps it fast)."""

from __future__ import annotations

import pytest

from sample_scans.generate import generate

# Seed 21 at 150 dpi plans a PNG, a 2-page TIFF and a 2-page PDF, one file per act type.
SEED, PAGES, DPIS = 21, 5, (150,)


@pytest.fixture(scope="session")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("scans")
    generate(out, SEED, PAGES, dpis=DPIS)
    return out
