"""How the digit model reads the digits of Arabic date lines, as read and as repaired.

    python benchmarks/digits.py [--seed 7] [--lines 30]

Renders `--lines` date lines (`تاريخ الولادة 14 رجب 1375`) per digit set (Western,
Arabic-Indic) and Arabic font family of sample_scans.fonts that draws the digits, at three
sizes, regular or bold, some blurred or noisy; reads each at civreg's line height with the
digit model (`pipeline.read.DIGIT_LANG`); prints, per digit set, the share of numbers read right as
read and after `pipeline.values.read_indic_digits`, and the commonest digit confusions.
With `--write`, the Arabic-Indic digits' confusions once repaired (how often each digit is
read as each other, in numbers read with their length) go to `configs/digit_misreadings.toml`,
where validation weighs the dates a misread Hijri date may stand for.
Nothing here comes from the generated register pages: the fonts are the system's.
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cv2
import numpy as np
from PIL import Image, ImageDraw

from benchmarks.common import machine
from flows.batch import ocr_engine
from ocr.text import to_western_digits
from pipeline.read import DIGIT_LANG, LINE_HEIGHT
from pipeline.values import read_indic_digits
from sample_scans import fonts
from validation.misreadings import MISREADINGS

INDIC = "٠١٢٣٤٥٦٧٨٩"
MONTHS = ("محرم", "صفر", "رجب", "شعبان", "رمضان", "شوال", "ربيع الأول", "جمادى الآخرة", "ذو الحجة")
NUMBER = re.compile(r"[0-9٠-٩۰-۹]+")


def render(text: str, family: str, size: int, bold: bool) -> np.ndarray:
    """The text drawn right to left in black on white, cropped to its ink with a margin."""
    font = fonts.load_font(family, size, bold)
    image = Image.new("L", (size * len(text), size * 3), 255)
    ImageDraw.Draw(image).text((10, size // 2), text, font=font, fill=0, direction="rtl")
    pixels = np.array(image)
    ys, xs = np.where(pixels < 128)
    return pixels[max(0, ys.min() - 6) : ys.max() + 7, max(0, xs.min() - 6) : xs.max() + 7]


def degrade(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    out = image.astype(np.float32)
    if rng.random() < 1 / 3:
        out = cv2.GaussianBlur(out, (3, 3), 0)
    out += rng.normal(0, rng.choice([0, 8, 20]), out.shape)
    return np.clip(out, 0, 255).astype(np.uint8)


def at_line_height(image: np.ndarray) -> np.ndarray:
    scale = LINE_HEIGHT / image.shape[0]
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    return cv2.resize(image, None, fx=scale, fy=scale, interpolation=interpolation)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--lines", type=int, default=30, help="lines per font and digit set")
    parser.add_argument("--write", action="store_true", help=f"write {MISREADINGS.name}")
    args = parser.parse_args()
    if not fonts.HAS_RAQM:
        sys.exit("Pillow has no raqm layout: Arabic cannot be drawn right to left")
    engine, rng = ocr_engine(), np.random.default_rng(args.seed)
    print(f"digit model {DIGIT_LANG}, {args.lines} lines a font with the digits")
    for name, digits in (("Western", "0123456789"), ("Arabic-Indic", INDIC)):
        right = collections.Counter()
        confusions: collections.Counter[tuple[str, str]] = collections.Counter()
        repaired_pairs: collections.Counter[tuple[str, str]] = collections.Counter()
        families = [f for f in fonts.ARABIC_FAMILIES if fonts.supports(f, digits)]
        for family in families:
            for _ in range(args.lines):
                truth = [str(rng.integers(1, 31)), str(rng.integers(1300, 2030))]
                written = [t.translate(str.maketrans("0123456789", digits)) for t in truth]
                month = MONTHS[rng.integers(len(MONTHS))]
                text = f"تاريخ الولادة {written[0]} {month} {written[1]}"
                size, bold = int(rng.choice([28, 36, 48])), bool(rng.integers(2))
                image = at_line_height(degrade(render(text, family, size, bold), rng))
                read = engine.read_lines([image], DIGIT_LANG)[0].text
                repaired, _ = read_indic_digits(read)
                for how, seen in (("read", read), ("repaired", repaired)):
                    numbers = [to_western_digits(n) for n in NUMBER.findall(seen)]
                    right[how] += sum(a == b for a, b in zip(truth, numbers, strict=False))
                    if len(numbers) != 2:
                        continue
                    pairs = confusions if how == "read" else repaired_pairs
                    for t, n in zip(truth, NUMBER.findall(seen), strict=True):
                        if len(t) == len(n):
                            pairs.update((a, b) for a, b in zip(t, n, strict=True))
        total = 2 * args.lines * len(families)
        wrong = [
            (f"{a}->{b}", n) for (a, b), n in confusions.most_common() if to_western_digits(b) != a
        ]
        print(
            f"{name:13s} numbers right: as read {right['read'] / total:6.1%}, "
            f"repaired {right['repaired'] / total:6.1%} (of {total}, {len(families)} fonts)"
        )
        print(f"{'':13s} commonest misreadings (digit -> as read): {wrong[:8]}")
        if args.write and digits == INDIC:
            _write(repaired_pairs, args)
    print(machine())


def _write(pairs: collections.Counter[tuple[str, str]], args: argparse.Namespace) -> None:
    """The repaired readings' confusion counts, Western digits both ways."""
    lines = [
        "# How civreg reads the Arabic-Indic digits of date lines, once repaired: for each",
        "# digit, how many times it was read as each digit. Measured on the system's Arabic",
        f"# fonts by `python benchmarks/digits.py --lines {args.lines} --seed {args.seed} --write`",
        "# (not on generated pages). Validation weighs the Hijri dates a misread one may",
        "# stand for with it (validation.misreadings).",
        "[arabic_indic]",
    ]
    for digit in "0123456789":
        merged: collections.Counter[str] = collections.Counter()
        for (written, read), n in pairs.items():
            if written == digit:
                merged[to_western_digits(read)] += n
        cells = ", ".join(f'"{k}" = {n}' for k, n in sorted(merged.items()))
        lines.append(f'"{digit}" = {{ {cells} }}')
    MISREADINGS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {MISREADINGS}")


if __name__ == "__main__":
    main()
