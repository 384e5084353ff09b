"""`civreg ocr IMAGE`: the text the cleanup + OCR stages read, and nothing else on stdout."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from civreg.cli import app

CIVREG = Path(sys.executable).with_name("civreg")
FRENCH = "Acte de naissance de Fatima Benali"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")


@pytest.fixture(scope="module")
def french_line(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One printed line of French, black on white, 300 dpi."""
    if not FONT.is_file():
        pytest.fail(f"{FONT} is missing: apt-get install fonts-dejavu-core")
    image = Image.new("L", (1000, 80), 255)
    ImageDraw.Draw(image).text((20, 15), FRENCH, font=ImageFont.truetype(str(FONT), 40), fill=0)
    path = tmp_path_factory.mktemp("ocr") / "line.png"
    image.save(path, dpi=(300, 300))
    return path


@pytest.mark.slow
def test_ocr_prints_the_text_of_a_line_and_nothing_else(french_line: Path):
    # A real process: nothing else (logs, engine chatter) may reach standard output.
    done = subprocess.run(
        [str(CIVREG), "ocr", str(french_line), "--lang", "fra"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == FRENCH + "\n"


def test_ocr_of_an_unreadable_image_fails_with_the_reason(runner, tmp_path: Path):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    result = runner.invoke(app, ["ocr", str(broken), "--lang", "fra"])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith(f"civreg: {broken}") and "not a readable image" in result.stderr


def test_ocr_of_a_missing_file_fails_with_the_reason(runner, tmp_path: Path):
    result = runner.invoke(app, ["ocr", str(tmp_path / "gone.png")])
    assert result.exit_code == 1 and "no such file" in result.stderr and result.stdout == ""


def test_ocr_unknown_language_fails_with_a_message(runner, french_line: Path):
    result = runner.invoke(app, ["ocr", str(french_line), "--lang", "eng"])
    assert result.exit_code == 2 and "--lang takes ara, fra or ara+fra" in result.stderr
