"""Fixtures of the OCR tests: one Tesseract engine for the session (models load once)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def engine():
    from ocr.tesseract import TesseractEngine

    return TesseractEngine()
