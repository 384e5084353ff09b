"""Printed text lines for the OCR tests, drawn with Pillow (raqm shapes the Arabic).
(A module of its own, not conftest.py, so that tests can import it by a unique name.)"""

from __future__ import annotations

import subprocess
from functools import cache

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont, features


@cache
def font_file(family: str) -> str:
    """The file of a Debian font family (fonts-dejavu-core, fonts-hosny-amiri, ...)."""
    found = subprocess.run(
        ["fc-match", "-f", "%{file}", family], capture_output=True, text=True, check=False
    ).stdout
    if family.split()[0].lower() not in found.lower():
        pytest.fail(f"font {family!r} is not installed (fc-match gives {found!r})")
    return found


def render_line(
    text: str, family: str = "DejaVu Serif", size: int = 28, *, rtl: bool = False, pad: int = 10
) -> np.ndarray:
    """One line of black text on white, `pad` pixels of paper around the ink box."""
    if rtl and not features.check("raqm"):
        pytest.fail("Pillow was built without raqm: Arabic cannot be shaped")
    font = ImageFont.truetype(font_file(family), size)
    options = {"direction": "rtl", "language": "ar"} if rtl else {}
    left, top, right, bottom = ImageDraw.Draw(Image.new("L", (1, 1))).textbbox(
        (0, 0), text, font=font, **options
    )
    image = Image.new("L", (right - left + 2 * pad, bottom - top + 2 * pad), 255)
    ImageDraw.Draw(image).text((pad - left, pad - top), text, font=font, fill=0, **options)
    return np.asarray(image)


def stack(lines: list[np.ndarray], gap: int = 12, *, right: bool = False) -> np.ndarray:
    """Lines one under the other, aligned left (or right, for Arabic), `gap` pixels apart."""
    width = max(line.shape[1] for line in lines)
    rows = []
    for line in lines:
        spare = width - line.shape[1]
        sides = (spare, 0) if right else (0, spare)
        rows.append(np.pad(line, ((0, gap), sides), constant_values=255))
    return np.vstack(rows)
