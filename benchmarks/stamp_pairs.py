"""Generate pages in pairs, stamped and not, identical in everything else: what a stamp
costs the reading, and what the stamp stage wins back, measured page for page.

    python benchmarks/stamp_pairs.py --seed 5151 --pages 40 --out DIR

Writes DIR/stamped and DIR/plain (the same files, pages and defects; the plain ones
without the stamp's ink), each with its truth, ready for `benchmarks/cached_reading.py`.
Every page but the clean ones carries a stamp.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sample_scans import defects
from sample_scans.generate import plan, write_file


def _no_ink(img, boxes, lines, dpi, rng) -> None:
    """Draw the stamp's random numbers as `_stamp` does, on a copy: the rest of the page's
    defects draw the same numbers as on the stamped page."""
    real_stamp(img.copy(), boxes, lines, dpi, rng)


real_stamp = defects._stamp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--pages", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    files = plan(args.seed, args.pages)
    files = [
        replace(
            f,
            pages=tuple(
                replace(p, defects=replace(p.defects, stamp=p.defects.strength != "clean"))
                for p in f.pages
            ),
        )
        for f in files
    ]
    stamped, plain = args.out / "stamped", args.out / "plain"
    for folder in (stamped, plain):
        folder.mkdir(parents=True, exist_ok=True)
    for file in files:
        write_file(stamped, file, args.seed)
        with mock.patch.object(defects, "_stamp", _no_ink):
            write_file(plain, file, args.seed)
    print(f"{len(files)} files in {stamped} and {plain}")


if __name__ == "__main__":
    main()
