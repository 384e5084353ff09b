"""How Tesseract's Arabic model misreads the letters of names: which it confuses, loses, adds.

    python benchmarks/letters.py [--seed 7] [--lines 60] [--write]

Renders `--lines` names per Arabic font family of sample_scans.fonts (one or two words drawn
from the name lexicon), at three sizes, regular or bold, some with the ink spread or faded or
at half the resolution, some blurred or noisy; reads each at
civreg's line height with the Arabic model; aligns the reading with the name (both folded,
`ocr.text.fold`) and counts, by letter skeleton (dots aside: `validation.correct.rasm`), the
letters read as another, the letters lost and the letters read that are not there. Prints the
share of names read right and the commonest slips. With `--write`, the slips seen at least
`--min-share` of the time go to `configs/letter_misreadings.toml`, where validation weighs how
far a misread name is from the spelling the other side gives (`validation.correct`).
Nothing here comes from the generated register pages: the fonts are the system's, the names
the lexicon's.
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cv2
import numpy as np
from rapidfuzz.distance import Levenshtein

from benchmarks.common import machine
from benchmarks.digits import at_line_height, degrade, render
from flows.batch import ocr_engine
from ocr.text import fold
from sample_scans import fonts
from validation.correct import rasm
from validation.lexicon import load as load_lexicon
from validation.misreadings import LETTER_MISREADINGS

# The letters of Maghrebi names, folded (the lexicon also holds Persian and Urdu ones: گ پ).
ARABIC_LETTERS = frozenset("ابتثجحخدذرزسشصضطظعغفقكلمنهوي")


def slips(written: str, read: str) -> list[tuple[str, str]]:
    """The edits from `read` to `written` (both folded, spaces aside), by skeleton:
    ("sub", "xy") for two letters of unlike skeletons, ("lost", x), ("added", x)."""
    written, read = written.replace(" ", ""), read.replace(" ", "")
    out = []
    for op, i, j in Levenshtein.editops(read, written):
        if op == "replace" and rasm(read[i]) != rasm(written[j]):
            out.append(("sub", "".join(sorted((rasm(read[i]), rasm(written[j]))))))
        elif op == "insert":
            out.append(("lost", rasm(written[j])))
        elif op == "delete":
            out.append(("added", rasm(read[i])))
    return out


def scan_like(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A rendered line as a worn scan may give it: ink spread or faded, printed at a lower
    resolution, then `benchmarks.digits.degrade`'s blur and noise."""
    kernel = np.ones((2, 2), np.uint8)
    what = rng.integers(4)
    if what == 1:  # ink spread (bleeding, a heavy ribbon)
        image = cv2.erode(image, kernel)
    elif what == 2:  # ink faded
        image = cv2.dilate(image, kernel)
    elif what == 3:  # a coarser scan
        h, w = image.shape
        small = cv2.resize(image, (max(1, w // 2), max(1, h // 2)), interpolation=cv2.INTER_AREA)
        image = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
    return degrade(image, rng)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--lines", type=int, default=60, help="names per font")
    parser.add_argument("--write", action="store_true", help=f"write {LETTER_MISREADINGS.name}")
    parser.add_argument(
        "--min-share", type=float, default=0.01, help="of the slips, to be written (default 1 %%)"
    )
    args = parser.parse_args()
    if not fonts.HAS_RAQM:
        sys.exit("Pillow has no raqm layout: Arabic cannot be drawn right to left")
    engine, rng = ocr_engine(), np.random.default_rng(args.seed)
    words = sorted(
        w for w in load_lexicon().arabic_names if len(w) >= 3 and set(w) <= ARABIC_LETTERS
    )
    counts: collections.Counter[tuple[str, str]] = collections.Counter()
    right = total = 0
    for family in fonts.ARABIC_FAMILIES:
        for _ in range(args.lines):
            name = " ".join(words[i] for i in rng.integers(len(words), size=rng.integers(1, 3)))
            size, bold = int(rng.choice([28, 36, 48])), bool(rng.integers(2))
            image = at_line_height(scan_like(render(name, family, size, bold), rng))
            read = fold(engine.read_lines([image], "ara")[0].text)
            total += 1
            right += read == name
            if read and Levenshtein.distance(read, name) <= max(2, len(name) // 3):
                counts.update(slips(name, read))  # a reading that is this name, misread
    n_slips = sum(counts.values())
    print(f"{total} names in {len(fonts.ARABIC_FAMILIES)} fonts: read right {right / total:.1%}")
    for kind in ("sub", "lost", "added"):
        top = [(k, n) for (how, k), n in counts.most_common() if how == kind][:12]
        print(f"  {kind:5s} {top}")
    print(machine())
    if args.write:
        _write(counts, n_slips, args)


def _write(counts: collections.Counter, n_slips: int, args: argparse.Namespace) -> None:
    keep = {k: n for k, n in counts.items() if n >= args.min_share * n_slips}
    lines = [
        "# How Tesseract's Arabic model misreads the letters of names, by letter skeleton",
        "# (dots aside): the slips seen in at least "
        f"{args.min_share:.0%} of {n_slips} slips, with their counts.",
        f"# Measured on the system's Arabic fonts by `python benchmarks/letters.py --lines "
        f"{args.lines} --seed {args.seed} --write`",
        "# (not on generated pages). Validation weighs how far a misread name is from the",
        "# spelling the other side gives with it (validation.correct).",
    ]
    for kind, what in (
        ("sub", "letters read as another (the pair)"),
        ("lost", "letters the reading lost"),
        ("added", "letters the reading holds that are not written"),
    ):
        lines += ["", f"# {what}", f"[{kind}]"]
        for (how, key), n in sorted(keep.items(), key=lambda kv: -kv[1]):
            if how == kind:
                lines.append(f'"{key}" = {n}')
    LETTER_MISREADINGS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {LETTER_MISREADINGS}")


if __name__ == "__main__":
    main()
