"""Generate synthetic register scans with ground truth: library entry and command line.

python -m sample_scans.generate --seed 7 --pages 12 --out /tmp/scans
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from records.fields import ACT_TYPES
from sample_scans import writing
from sample_scans.content import PageContent, Register, draw_page, draw_register
from sample_scans.defects import (
    MIXED_WEIGHTS,
    STRENGTHS,
    UPSIDE_DOWN_RATE,
    DefectPlan,
    apply_defects,
    draw_plan,
    jpeg_roundtrip,
)
from sample_scans.names import load_pools
from sample_scans.render import render_page
from sample_scans.truth import page_truth, write_truth
from sample_scans.write import EXTENSIONS, FORMATS, write_pages

DPIS = (150, 200, 300, 400)
DPI_WEIGHTS = {150: 0.2, 200: 0.35, 300: 0.35, 400: 0.1}
JPEG_ARTEFACTS_BELOW = 76  # a quality under which lossless outputs get a JPEG round trip


@dataclass(frozen=True)
class PagePlan:
    content: PageContent
    defects: DefectPlan
    copy: str  # 'bureau', or 'court' for the register's second copy
    stamp_lines: tuple[str, str]


@dataclass(frozen=True)
class FilePlan:
    name: str
    fmt: str
    dpi: int
    grayscale: bool
    seed: int  # of the rendering and defect randomness
    pages: tuple[PagePlan, ...]

    @property
    def quality(self) -> int:
        return min((p.defects.jpeg_quality or 92) for p in self.pages)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", writing.strip_accents(text).lower()).strip("-")


def _cycle(rng: random.Random, items: Sequence[str]):
    """Endless draws that use every item once per round, in a shuffled order."""
    while True:
        order = list(items)
        rng.shuffle(order)
        yield from order


def _file_name(pages: Sequence[PagePlan], ext: str, taken: set[str]) -> str:
    first, last = pages[0].content, pages[-1].content
    reg = first.register
    stem = f"{reg.country.lower()}_{_slug(reg.commune_fr)}_{reg.year}_{reg.act_type}"
    stem += f"_p{first.page_number:03d}"
    if len(pages) > 1:
        stem += f"-{last.page_number:03d}"
    if pages[0].copy == "court":
        stem += "_court"
    name, n = stem + ext, 1
    while name in taken:
        n += 1
        name = f"{stem}_{n}{ext}"
    taken.add(name)
    return name


def _stamp_lines(rng: random.Random, reg: Register) -> tuple[str, str]:
    if rng.random() < 0.5:
        return "نسخة مطابقة للأصل", "Copie conforme"
    return f"الحالة المدنية {reg.commune.ar}", f"État civil {reg.commune_fr}"


def plan(
    seed: int,
    pages: int,
    strength: str = "mixed",
    formats: Sequence[str] = FORMATS,
    types: Sequence[str] = ACT_TYPES,
    dpis: Sequence[int] = DPIS,
    copy_rate: float = 0.1,
) -> list[FilePlan]:
    """Decide every file, page, act and defect (no pixels yet). Deterministic in its arguments."""
    if strength not in (*STRENGTHS, "mixed"):
        raise ValueError(f"unknown strength {strength!r}")
    rng = random.Random(seed)
    pools = load_pools()
    fmt_cycle, type_cycle = _cycle(rng, formats), _cycle(rng, types)
    files: list[FilePlan] = []
    taken: set[str] = set()
    state: tuple[Register, int, int] | None = None  # register, next page, next act number
    remaining = pages

    def defects() -> DefectPlan:
        if strength != "mixed":
            return draw_plan(rng, strength)
        level = rng.choices(STRENGTHS, MIXED_WEIGHTS)[0]
        return draw_plan(rng, level, UPSIDE_DOWN_RATE)

    def dpi_for(paper: str) -> int:
        dpi = rng.choices(list(dpis), [DPI_WEIGHTS.get(d, 0.2) for d in dpis])[0]
        return min(dpi, 300) if paper == "A3" and min(dpis) <= 300 else dpi

    while remaining > 0:
        originals = [f for f in files if f.pages[0].copy == "bureau"]
        if originals and rng.random() < copy_rate:
            source = rng.choice(originals)
            if len(source.pages) <= remaining:
                fmt = next(fmt_cycle)
                if fmt not in ("tiff", "pdf") and len(source.pages) > 1:
                    fmt = "pdf" if "pdf" in formats else "tiff"
                copies = tuple(replace(p, defects=defects(), copy="court") for p in source.pages)
                files.append(
                    FilePlan(
                        _file_name(copies, EXTENSIONS[fmt], taken),
                        fmt,
                        dpi_for(copies[0].content.register.paper),
                        rng.random() < 0.5,
                        rng.getrandbits(32),
                        copies,
                    )
                )
                remaining -= len(copies)
                continue
        fmt = next(fmt_cycle)
        count = 1
        if fmt == "tiff" and rng.random() < 0.45:
            count = rng.choice((2, 3))
        elif fmt == "pdf":
            count = rng.choices((1, 2, 3), (0.4, 0.35, 0.25))[0]
        count = min(count, remaining)
        if state is None or rng.random() > 0.3:
            register, page_no = draw_register(rng, pools, next(type_cycle))
            first_act = int((page_no - 1) * rng.uniform(1.8, 2.4)) + 1
            state = (register, page_no, first_act)
        register, page_no, act_no = state
        page_plans = []
        for k in range(count):
            content = draw_page(rng, pools, register, page_no + k, act_no)
            act_no += len(content.acts)
            page_plans.append(PagePlan(content, defects(), "bureau", _stamp_lines(rng, register)))
        state = (register, page_no + count, act_no)
        files.append(
            FilePlan(
                _file_name(page_plans, EXTENSIONS[fmt], taken),
                fmt,
                dpi_for(register.paper),
                rng.random() < 0.5,
                rng.getrandbits(32),
                tuple(page_plans),
            )
        )
        remaining -= count
    return files


def _scan(file: FilePlan, index: int, page: PagePlan):
    """Render and degrade one page of a file."""
    rendered = render_page(page.content, file.dpi, random.Random(file.seed * 7 + index))
    rng = np.random.default_rng([file.seed, index])
    scanned = apply_defects(
        rendered,
        page.content.register.model.style,
        page.defects,
        rng,
        page.stamp_lines,
        file.grayscale,
    )
    quality = page.defects.jpeg_quality
    if quality is not None and quality < JPEG_ARTEFACTS_BELOW:
        if file.fmt in ("png", "tiff"):
            scanned = replace(scanned, image=jpeg_roundtrip(scanned.image, quality))
        scanned = replace(scanned, defects=(*scanned.defects, "jpeg_artefacts"))
    return scanned


def write_file(out_dir: Path, file: FilePlan, seed: int) -> Path:
    """Render, degrade and write one planned file and its truth; returns the truth path."""
    images, truths = [], []
    for index, page in enumerate(file.pages, start=1):
        scanned = _scan(file, index, page)
        images.append(scanned.image)
        truths.append(
            page_truth(index, file.dpi, page.defects.strength, page.copy, page.content, scanned)
        )
    path = out_dir / file.name
    write_pages(path, images, file.dpi, file.quality)
    return write_truth(path, seed, truths)


def generate(
    out_dir: str | Path,
    seed: int,
    pages: int,
    strength: str = "mixed",
    formats: Sequence[str] = FORMATS,
    types: Sequence[str] = ACT_TYPES,
    dpis: Sequence[int] = DPIS,
    copy_rate: float = 0.1,
) -> list[Path]:
    """Write `pages` pages of synthetic scans and their truth files; returns the truth paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = plan(seed, pages, strength, formats, types, dpis, copy_rate)
    return [write_file(out, file, seed) for file in files]


def _csv(allowed: Sequence, cast=str):
    def parse(text: str) -> list:
        values = [cast(v.strip()) for v in text.split(",") if v.strip()]
        bad = [v for v in values if v not in allowed]
        if bad or not values:
            raise argparse.ArgumentTypeError(f"choose among {', '.join(map(str, allowed))}")
        return values

    return parse


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sample_scans.generate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--pages", type=int, required=True, help="pages in all")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument(
        "--strength",
        choices=(*STRENGTHS, "mixed"),
        default="mixed",
        help="scan defects; mixed draws one strength a page (default)",
    )
    parser.add_argument(
        "--formats",
        type=_csv(FORMATS),
        default=list(FORMATS),
        help="comma-separated among png,jpeg,tiff,pdf (default all)",
    )
    parser.add_argument(
        "--types",
        type=_csv(ACT_TYPES),
        default=list(ACT_TYPES),
        help="comma-separated among birth,death,marriage (default all)",
    )
    parser.add_argument(
        "--dpis",
        type=_csv(DPIS, int),
        default=list(DPIS),
        help="comma-separated scan resolutions among 150,200,300,400",
    )
    parser.add_argument(
        "--copy-rate",
        type=float,
        default=0.1,
        help="share of files that are the court's copy of an earlier file",
    )
    args = parser.parse_args(argv)
    paths = generate(
        args.out,
        args.seed,
        args.pages,
        args.strength,
        args.formats,
        args.types,
        args.dpis,
        args.copy_rate,
    )
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
