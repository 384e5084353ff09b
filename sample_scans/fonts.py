"""Locating the installed fonts a register model may use, and checking glyph coverage."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts")

# family -> (regular file, bold file, Debian package)
FONT_FILES: dict[str, tuple[str, str, str]] = {
    "Amiri": ("Amiri-Regular.ttf", "Amiri-Bold.ttf", "fonts-hosny-amiri"),
    "Scheherazade": ("Scheherazade-Regular.ttf", "Scheherazade-Bold.ttf", "fonts-sil-scheherazade"),
    "KacstOne": ("KacstOne.ttf", "KacstOne-Bold.ttf", "fonts-kacst-one"),
    "KacstBook": ("KacstBook.ttf", "KacstBook.ttf", "fonts-kacst"),
    "KacstNaskh": ("KacstNaskh.ttf", "KacstNaskh.ttf", "fonts-kacst"),
    "KacstOffice": ("KacstOffice.ttf", "KacstOffice.ttf", "fonts-kacst"),
    "DejaVu Sans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "fonts-dejavu-core"),
    "DejaVu Serif": ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "fonts-dejavu-core"),
    "Liberation Serif": (
        "LiberationSerif-Regular.ttf",
        "LiberationSerif-Bold.ttf",
        "fonts-liberation2",
    ),
    "Liberation Sans": (
        "LiberationSans-Regular.ttf",
        "LiberationSans-Bold.ttf",
        "fonts-liberation2",
    ),
    "Liberation Mono": (
        "LiberationMono-Regular.ttf",
        "LiberationMono-Bold.ttf",
        "fonts-liberation2",
    ),
    "FreeSerif": ("FreeSerif.ttf", "FreeSerifBold.ttf", "fonts-freefont-ttf"),
    "FreeMono": ("FreeMono.ttf", "FreeMonoBold.ttf", "fonts-freefont-ttf"),
}

ARABIC_FAMILIES = (
    "Amiri",
    "Scheherazade",
    "KacstOne",
    "KacstBook",
    "KacstNaskh",
    "KacstOffice",
    "DejaVu Sans",
    "FreeSerif",
)
LATIN_FAMILIES = (
    "DejaVu Serif",
    "DejaVu Sans",
    "Liberation Serif",
    "Liberation Sans",
    "FreeSerif",
)
TYPED_FAMILIES = ("FreeMono", "Liberation Mono")
# Drawn instead of a segment the model's font lacks glyphs for (the Kacst fonts have no
# Western digits nor ':'), as a typist's second machine would.
FALLBACK_FAMILY = "DejaVu Sans"

HAS_RAQM = features.check("raqm")

# Scale so that the families look about the same size at one point size; Arabic bodies are
# small for their em size, so the Arabic column is set larger, as on real bilingual forms.
ARABIC_SIZE = {
    "Amiri": 1.2,
    "Scheherazade": 1.25,
    "KacstOne": 1.15,
    "KacstBook": 1.35,
    "KacstNaskh": 1.35,
    "KacstOffice": 1.35,
    "DejaVu Sans": 1.05,
    "FreeSerif": 1.2,
}
LATIN_SIZE = {"DejaVu Sans": 0.9, "DejaVu Serif": 0.9, "FreeMono": 1.05}


def size_factor(family: str, rtl: bool) -> float:
    return (ARABIC_SIZE if rtl else LATIN_SIZE).get(family, 1.0)


class FontMissingError(RuntimeError):
    """A font the generator needs is not installed."""


@cache
def font_path(family: str, bold: bool = False) -> Path:
    """The file of a font family, searched in the usual font folders, then with fc-match."""
    regular, bold_file, package = FONT_FILES[family]
    name = bold_file if bold else regular
    for folder in FONT_DIRS:
        if folder.is_dir():
            found = next(folder.rglob(name), None)
            if found is not None:
                return found
    if shutil.which("fc-match"):
        out = subprocess.run(
            ["fc-match", "-f", "%{file}", f"{family}:{'bold' if bold else 'regular'}"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        if out.endswith(name):
            return Path(out)
    raise FontMissingError(f"font {name} ({family}) not found: apt-get install {package}")


@cache
def load_font(family: str, size_px: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """A FreeType font at a pixel size, with raqm layout when available."""
    engine = ImageFont.Layout.RAQM if HAS_RAQM else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(font_path(family, bold)), size_px, layout_engine=engine)


@cache
def _glyph_image(family: str, char: str) -> bytes:
    font = load_font(family, 32)
    image = Image.new("L", (64, 64))
    ImageDraw.Draw(image).text((8, 8), char, font=font, fill=255)
    return image.tobytes()


@cache
def has_glyph(family: str, char: str) -> bool:
    """Whether the family draws the character (rather than its empty or boxed .notdef)."""
    if char.isspace():
        return True
    return _glyph_image(family, char) != _glyph_image(family, "\ue000")


def visual_order(text: str) -> str:
    """Shaped Arabic in display order, for drawing without raqm (arabic-reshaper, python-bidi)."""
    import arabic_reshaper
    from bidi.algorithm import get_display

    # No ligatures: most fonts lack the presentation forms (e.g. U+FDF2 for الله).
    reshaper = arabic_reshaper.ArabicReshaper(configuration={"support_ligatures": False})
    return get_display(reshaper.reshape(text))


def supports(family: str, text: str) -> bool:
    """Whether every character of text has a glyph in the family."""
    return all(has_glyph(family, c) for c in set(text))
