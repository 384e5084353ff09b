"""Fixtures of the pipeline tests: one Tesseract engine and one generated page a session."""

from __future__ import annotations

from pathlib import Path

import pytest

# One clean 150-dpi birth page of three acts (Salé 1973, acts 105-107), its truth beside it.
GEN_SEED = 11


@pytest.fixture(scope="session")
def engine():
    from ocr.tesseract import TesseractEngine

    return TesseractEngine()


@pytest.fixture(scope="session")
def generated_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The image file of one generated page (its NAME.truth.json beside it)."""
    from sample_scans.generate import generate

    out = tmp_path_factory.mktemp("generated")
    (truth,) = generate(
        out, GEN_SEED, 1, strength="clean", formats=("png",), dpis=(150,), copy_rate=0.0
    )
    return out / truth.name.replace(".truth.json", ".png")
