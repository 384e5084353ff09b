"""Synthetic pages for the image-stage tests: printed lines drawn with Pillow (raqm shapes the
Arabic), placed where a test wants them, so each test knows where the text is.
(A module of its own, not conftest.py, so that tests can import it by a unique name.)"""

from __future__ import annotations

import subprocess
from functools import cache

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont, features

FRENCH_WORDS = (
    "Acte",
    "de",
    "naissance",
    "Prénom",
    "Mohamed",
    "Nom",
    "Alaoui",
    "Sexe",
    "Masculin",
    "Date",
    "du",
    "mariage",
    "Lieu",
    "Sefrou",
    "Père",
    "Ahmed",
    "Mère",
    "Fatima",
    "Dressé",
    "le",
    "officier",
    "état",
    "civil",
    "Commune",
    "Registre",
    "Année",
)
ARABIC_WORDS = (
    "رسم",
    "عدد",
    "الاسم",
    "الشخصي",
    "محمد",
    "العائلي",
    "العلوي",
    "الجنس",
    "ذكر",
    "تاريخ",
    "الازدياد",
    "مكان",
    "صفرو",
    "اسم",
    "الأب",
    "أحمد",
    "الأم",
    "فاطمة",
    "حرر",
    "بتاريخ",
    "ضابط",
    "الحالة",
    "المدنية",
    "بيانات",
    "هامشية",
    "يناير",
    "شتنبر",
)


@cache
def font_file(family: str) -> str:
    found = subprocess.run(
        ["fc-match", "-f", "%{file}", family], capture_output=True, text=True, check=False
    ).stdout
    if family.split()[0].lower() not in found.lower():
        pytest.fail(f"font {family!r} is not installed (fc-match gives {found!r})")
    return found


@cache
def font(family: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(font_file(family), size)


def draw_text(
    image: Image.Image,
    xy: tuple[int, int],
    text: str,
    family: str = "DejaVu Serif",
    size: int = 24,
    *,
    rtl: bool = False,
    fill: int = 0,
    anchor: str = "la",
) -> tuple[int, int, int, int]:
    """Draw `text` with its top-left (or, with anchor "ra", top-right) at `xy`; returns the
    ink box (x, y, w, h)."""
    if rtl and not features.check("raqm"):
        pytest.fail("Pillow was built without raqm: Arabic cannot be shaped")
    options = {"direction": "rtl", "language": "ar"} if rtl else {}
    draw = ImageDraw.Draw(image)
    draw.text(xy, text, font=font(family, size), fill=fill, anchor=anchor, **options)
    left, top, right, bottom = draw.textbbox(
        xy, text, font=font(family, size), anchor=anchor, **options
    )
    return left, top, right - left, bottom - top


def sentence(rng: np.random.Generator, words: tuple[str, ...], count: int) -> str:
    return " ".join(rng.choice(words, count))


def text_page(
    width: int = 1240,
    height: int = 1754,
    *,
    size: int = 24,
    pitch: float = 1.8,
    margin: int = 120,
    words_a_line: int = 8,
    seed: int = 0,
    family: str = "DejaVu Serif",
) -> np.ndarray:
    """A one-column page of French lines (black on white), `pitch` x `size` apart."""
    rng = np.random.default_rng(seed)
    image = Image.new("L", (width, height), 255)
    y = margin
    while y < height - margin - size:
        draw_text(image, (margin, y), sentence(rng, FRENCH_WORDS, words_a_line), family, size)
        y += int(size * pitch)
    return np.asarray(image).copy()


def fitted(
    rng: np.random.Generator,
    words: tuple[str, ...],
    family: str,
    size: int,
    width: int,
    *,
    rtl: bool = False,
) -> str:
    """Words drawn at random, as many as fit in `width` pixels (at least one)."""
    options = {"direction": "rtl", "language": "ar"} if rtl else {}
    draw = ImageDraw.Draw(Image.new("L", (1, 1)))
    text = str(rng.choice(words))
    while True:
        longer = f"{text} {rng.choice(words)}"
        if draw.textlength(longer, font=font(family, size), **options) > width:
            return text
        text = longer


def two_column_page(
    width: int = 1240,
    height: int = 900,
    *,
    size: int = 22,
    lines: int = 12,
    gutter: int = 620,
    gap: int = 60,
    seed: int = 0,
) -> tuple[np.ndarray, list[tuple[int, int, int, int]], list[tuple[int, int, int, int]]]:
    """French lines left of the gutter, Arabic lines right of it, each filled with words up
    to about `gap` / 2 from the gutter; returns the page and the ink boxes of the French and
    the Arabic lines."""
    rng = np.random.default_rng(seed)
    image = Image.new("L", (width, height), 255)
    french, arabic = [], []
    margin, y = 80, 80
    fr_width, ar_width = gutter - gap // 2 - margin, width - margin - gutter - gap // 2
    for _ in range(lines):
        fr_text = fitted(rng, FRENCH_WORDS, "DejaVu Serif", size, fr_width)
        ar_text = fitted(rng, ARABIC_WORDS, "DejaVu Sans", size, ar_width, rtl=True)
        fr = draw_text(image, (margin, y), fr_text, "DejaVu Serif", size)
        ar = draw_text(
            image, (width - margin, y), ar_text, "DejaVu Sans", size, rtl=True, anchor="ra"
        )
        french.append(fr)
        arabic.append(ar)
        y += int(size * 2.2)
    assert max(b[0] + b[2] for b in french) < gutter - gap // 4
    assert min(b[0] for b in arabic) > gutter + gap // 4
    return np.asarray(image).copy(), french, arabic


def rotate(image: np.ndarray, angle: float) -> np.ndarray:
    """The page turned `angle` degrees counter-clockwise on screen, canvas grown, white fill."""
    turned = Image.fromarray(image).rotate(
        angle, resample=Image.BICUBIC, expand=True, fillcolor=255
    )
    return np.asarray(turned).copy()


def blobs(binary: np.ndarray) -> list[tuple[int, int, int, int, int]]:
    """Connected components of a binary image (ink = nonzero): (x, y, w, h, area)."""
    import cv2

    _, _, stats, _ = cv2.connectedComponentsWithStats((binary > 0).astype(np.uint8), 8)
    return [tuple(int(v) for v in row) for row in stats[1:]]


FADED_ENTRIES = (
    ("Prénom :", "Toufik"),
    ("Nom :", "Zerrouki"),
    ("Sexe :", "Masculin"),
    ("Lieu de naissance :", "Errachidia"),
    ("Nom du père :", "Hamadi"),
    ("Mère :", "Ikram"),
    ("Dressé le :", "06/01/2020"),
    ("Mentions marginales :", "Néant"),
)


def faded_entry_page(seed: int = 0) -> tuple[np.ndarray, list[tuple], list[tuple]]:
    """Register lines as scanned: labels printed dark, their values typed in ink faded to a
    light grey, a dotted baseline under each line and a faint broken border down the left; paper
    245 with sensor noise. Returns the page and the ink boxes of the labels and the values."""
    image = Image.new("L", (1240, 800), 245)
    draw = ImageDraw.Draw(image)
    labels, values = [], []
    for k, (label, value) in enumerate(FADED_ENTRIES):
        y = 100 + 70 * k
        lab = draw_text(image, (150, y), label, "DejaVu Serif", 26, fill=30)
        val = draw_text(image, (lab[0] + lab[2] + 14, y), value, "DejaVu Sans Mono", 26, fill=195)
        labels.append(lab)
        values.append(val)
        for x in range(150, 1100, 6):  # the dotted baseline, as faint as the value
            draw.line([(x, y + 38), (x + 3, y + 38)], fill=205, width=2)
    for y in range(60, 760, 18):  # a border the scan broke into dashes shorter than a letter
        draw.line([(132, y), (132, y + 11)], fill=215, width=3)
    noisy = np.asarray(image).astype(np.float32)
    noisy += np.random.default_rng(seed).normal(0, 5, noisy.shape)
    return np.clip(noisy, 0, 255).astype(np.uint8), labels, values
