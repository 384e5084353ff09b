"""civreg's reading against raw Tesseract, per defect strength, and pages a minute.

    python benchmarks/ocr.py [--seed 60606] [--pages 8] [--workers 2]

For each defect strength it generates `--pages` fresh pages and measures:
- character error rate (CER) of the text fields (names, places, act numbers): for raw
  Tesseract, the whole page read at once with `ara+fra` (page segmentation `auto`, no
  cleanup), each true value matched to the closest run of words of its act's region (a
  measure that favours raw Tesseract: it chooses the best span for it); for civreg, the
  field values it delivers (after validation). Edit distance to the normalised truth
  (register-forms.md), summed over fields, divided by the truth's length.
- field accuracy of civreg after validation (all fields);
- seconds a page: raw Tesseract's whole page, civreg's whole chain (load, cleanup, layout,
  OCR, extraction, validation), one worker; wall seconds, and CPU seconds (the process's,
  all in-process on one core), which a shared machine's other tenants do not inflate;
then pages a minute over all the pages with 1 and `--workers` workers.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import tesserocr
from PIL import Image
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from benchmarks.common import machine, read_folder
from flows.batch import ocr_engine
from ocr.tesseract import walk_words
from ocr.text import normalize
from pipeline.load import load_page
from sample_scans.defects import STRENGTHS
from sample_scans.evaluate import match, score
from sample_scans.generate import generate
from sample_scans.truth import load_truth


def is_text_key(key: str) -> bool:
    return key.endswith(("_ar", "_fr")) or key == "act_number"


def raw_words(image, tessdata: str) -> list[tuple[str, tuple[int, int, int, int]]]:
    """Raw Tesseract on a whole page: `ara+fra`, automatic page segmentation; words in
    logical order, as civreg's engine gives them, with their boxes (x0, y0, x1, y1)."""
    with tesserocr.PyTessBaseAPI(path=tessdata, lang="ara+fra") as api:
        api.SetImage(Image.fromarray(image))
        api.Recognize()
        iterator = api.GetIterator()
        words = [word for word, _ in walk_words(iterator)] if iterator else []
    return [(w.text, (w.box[0], w.box[1], w.box[0] + w.box[2], w.box[1] + w.box[3])) for w in words]


def closest_errors(value: str, words: list[str]) -> int:
    """Edit distance from `value` to the closest run of consecutive `words`."""
    n = len(value.split())
    runs = {" ".join(words[i : i + k]) for k in range(1, n + 2) for i in range(len(words))}
    if not runs:
        return len(value)
    found = process.extractOne(value, runs, scorer=Levenshtein.distance)
    return int(found[1])


def in_box(box: tuple[int, int, int, int], bbox: tuple[int, int, int, int]) -> bool:
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    bx, by, bw, bh = bbox
    return bx <= cx <= bx + bw and by <= cy <= by + bh


def measure(folder: Path, tessdata: str) -> dict[str, float]:
    truth = load_truth(folder)
    by_page: dict[tuple[str, int], list] = {}
    for act in truth:
        by_page.setdefault((act.file, act.page), []).append(act)
    # Raw Tesseract, page by page.
    raw_seconds, raw_cpu, raw_errors, chars = 0.0, 0.0, 0, 0
    for (file, page_no), page_acts in by_page.items():
        image = load_page(folder / file, page_no).image
        started, cpu = time.perf_counter(), time.process_time()
        words = raw_words(image, tessdata)
        raw_seconds += time.perf_counter() - started
        raw_cpu += time.process_time() - cpu
        for act in page_acts:
            region = [normalize(w) for w, box in words if in_box(box, act.bbox)]
            for key, value in act.fields.items():
                if is_text_key(key):
                    raw_errors += closest_errors(normalize(value), region)
                    chars += len(normalize(value))
    pages = len(by_page)

    started, cpu = time.perf_counter(), time.process_time()
    acts = read_folder(folder, workers=1)
    civreg_seconds = time.perf_counter() - started
    civreg_cpu = time.process_time() - cpu
    errors = 0
    for act_truth, act in match(truth, acts):
        for key, value in act_truth.fields.items():
            if is_text_key(key):
                field = (act or {}).get("fields", {}).get(key)
                got = normalize(field["value"]) if field else ""
                errors += Levenshtein.distance(normalize(value), got)
    return {
        "pages": pages,
        "raw_cer": raw_errors / chars,
        "civreg_cer": errors / chars,
        "field_accuracy": score(truth, acts).field_accuracy,
        "raw_s": raw_seconds / pages,
        "civreg_s": civreg_seconds / pages,
        "raw_cpu": raw_cpu / pages,
        "civreg_cpu": civreg_cpu / pages,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=60606)
    parser.add_argument("--pages", type=int, default=8, help="pages for each defect strength")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    tessdata = ocr_engine().tessdata
    work = Path(tempfile.mkdtemp(prefix="civreg-ocr-bench-"))
    print(machine())
    print(
        f"{'strength':8s} {'pages':>5s} {'raw CER':>8s} {'civreg CER':>10s} "
        f"{'fields':>7s} {'raw s/p':>8s} {'civreg s/p':>10s} {'raw cpu':>8s} {'civreg cpu':>10s}"
    )
    folders = []
    for n, strength in enumerate(STRENGTHS):
        folder = work / strength
        generate(folder, args.seed + n, args.pages, strength)
        folders.append(folder)
        m = measure(folder, tessdata)
        print(
            f"{strength:8s} {m['pages']:5d} {m['raw_cer']:8.2%} {m['civreg_cer']:10.2%} "
            f"{m['field_accuracy']:7.2%} {m['raw_s']:8.2f} {m['civreg_s']:10.2f} "
            f"{m['raw_cpu']:8.2f} {m['civreg_cpu']:10.2f}"
        )
    all_pages = work / "all"
    all_pages.mkdir()
    for folder in folders:
        for path in folder.iterdir():
            (all_pages / f"{folder.name}_{path.name}").symlink_to(path)
    rates = {}
    for workers in sorted({1, args.workers}):
        started = time.perf_counter()
        read_folder(all_pages, workers=workers)
        rates[workers] = 60 * len(folders) * args.pages / (time.perf_counter() - started)
        print(f"pages a minute, {workers} worker(s): {rates[workers]:.1f}")
    if len(rates) == 2:
        print(f"speed-up with {args.workers} workers: {rates[args.workers] / rates[1]:.2f}x")


if __name__ == "__main__":
    main()
