"""Fixtures of the batch tests: scans good and bad, what real OCR reads on the good ones, an
export to import, a fake OCR engine. Databases (`registry_url`, `sqlite_url`) and the
session's Prefect server (`prefect_harness`) come from tests/conftest.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flows_helpers import (
    GEN_PAGES,
    GEN_SEED,
    GOOD_PAGES,
    BadBatch,
    BlankEngine,
    clean_birth,
    doubtful_birth,
    export_lines,
    make_bad_batch,
    use_engine,
)

from sample_scans.generate import generate

# --- scans ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def generated_pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four small clean pages with their truth files (GOOD_PAGES are three of them)."""
    out = tmp_path_factory.mktemp("generated")
    generate(
        out, GEN_SEED, GEN_PAGES, strength="clean", formats=("png",), dpis=(150,), copy_rate=0.0
    )
    missing = [name for name in GOOD_PAGES if not (out / name).is_file()]
    assert not missing, f"the generator no longer makes {missing}: update GOOD_PAGES"
    return out


@pytest.fixture(scope="session")
def tesseract():
    from ocr.tesseract import TesseractEngine

    return TesseractEngine()


@pytest.fixture(scope="session")
def reference_reads(generated_pages: Path, tesseract) -> dict[str, dict]:
    """What reading each good page alone gives (real Tesseract, deterministic): what any
    batch holding these pages must load."""
    from flows import batch

    return {name: batch.read_page(generated_pages / name, 1, tesseract) for name in GOOD_PAGES}


@pytest.fixture(scope="session")
def bad_batch(tmp_path_factory: pytest.TempPathFactory, generated_pages: Path) -> BadBatch:
    return make_bad_batch(tmp_path_factory.mktemp("bad_batch"), generated_pages)


@pytest.fixture(scope="session")
def source_export(tmp_path_factory, generated_pages, reference_reads) -> Path:
    """A .jsonl export of a registry holding the OCR'd good pages (acts with notes and
    issues), two clean accepted acts and one a low confidence sends to review (whether the
    OCR'd acts need review depends on the calibration)."""
    from flows import batch
    from registry_loader.db import open_registry
    from registry_loader.jsonl import import_acts

    folder = tmp_path_factory.mktemp("jsonl_source")
    url = f"sqlite:///{folder / 'source.db'}"
    with open_registry(url) as registry:
        for name in GOOD_PAGES:
            (scan,) = batch.plan([generated_pages / name]).scans
            batch.store_page(registry, scan, reference_reads[name], batch.Summary())
        with registry.session() as session:
            import_acts(
                session, [clean_birth("12"), clean_birth("13"), doubtful_birth("15")], "hand-made"
            )
    path = folder / "export.jsonl"
    path.write_text("".join(export_lines(url)), encoding="utf-8")
    return path


@pytest.fixture
def blank_engine(monkeypatch: pytest.MonkeyPatch) -> BlankEngine:
    """The batch reads every page with an engine that reads nothing."""
    engine = BlankEngine()
    use_engine(monkeypatch, engine)
    return engine
