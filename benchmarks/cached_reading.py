"""Reading accuracy of a folder of generated pages, fast enough to iterate on: the OCR of
each line image is kept on disk, so a change to extraction or validation re-reads nothing
and a change to cleanup re-reads only the lines whose pixels changed.

    python benchmarks/cached_reading.py FOLDER [FOLDER...] [--workers 2] [--acts FILE]

A development tool: the figures of record come from `benchmarks/accuracy.py` (the command
line an operator runs, court copies merged by the registry). Here acts are scored as read
(library calls, no database), overall and by page strength, stamp and colour, with the
acts holding a wrong or missing field counted beside the review rate. The cache is
`FOLDER/.ocr-cache.pickle` (delete it to read everything again).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import read_folder
from flows.batch import ocr_engine
from ocr.engine import OcrEngine, OcrLine
from sample_scans.evaluate import match, norm, score
from sample_scans.truth import SUFFIX, TruthAct, load_truth

CACHE_NAME = ".ocr-cache.pickle"


class CachedEngine:
    """An engine that remembers what another read, by the line image's pixels."""

    def __init__(self, engine: OcrEngine, cache: dict[bytes, OcrLine]) -> None:
        self.engine = engine
        self.name, self.version = engine.name, engine.version
        self.cache = cache
        self.misses = 0
        self._lock = threading.Lock()

    @staticmethod
    def _key(image: np.ndarray, lang: str, whitelist: str | None) -> bytes:
        digest = hashlib.blake2b(np.ascontiguousarray(image).tobytes(), digest_size=16)
        digest.update(f"{image.shape}|{lang}|{whitelist}".encode())
        return digest.digest()

    def read_lines(
        self, images: Sequence[np.ndarray], lang: str, *, whitelist: str | None = None
    ) -> list[OcrLine]:
        keys = [self._key(image, lang, whitelist) for image in images]
        todo = [i for i, key in enumerate(keys) if key not in self.cache]
        if todo:
            read = self.engine.read_lines([images[i] for i in todo], lang, whitelist=whitelist)
            with self._lock:
                self.misses += len(todo)
                self.cache.update((keys[i], line) for i, line in zip(todo, read, strict=True))
        return [self.cache[key] for key in keys]

    def read_block(self, image: np.ndarray, lang: str) -> list[OcrLine]:
        return self.engine.read_block(image, lang)


def _load(path: Path) -> dict[bytes, OcrLine]:
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except (OSError, EOFError, pickle.UnpicklingError):
        return {}


def _pages(folder: Path) -> dict[tuple[str, int], dict[str, Any]]:
    """Each page's truth record by (file name, page number)."""
    out = {}
    for truth in sorted(folder.glob(f"*{SUFFIX}")):
        data = json.loads(truth.read_text())
        for page in data["pages"]:
            out[(data["file"], page["page"])] = page
    return out


def _kind(page: dict[str, Any], grayscale: bool) -> list[str]:
    stamp = "stamp" if "stamp" in page["defects"] else "no stamp"
    return [page["strength"], stamp, "gray" if grayscale else "colour"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--acts", type=Path, help="write each act (status, wrong fields) as JSON lines"
    )
    args = parser.parse_args()

    act_lines: list[dict[str, Any]] = []
    for folder in args.folders:
        cache_path = folder / CACHE_NAME
        engine = CachedEngine(ocr_engine(), _load(cache_path))
        started = time.perf_counter()
        found = read_folder(folder, args.workers, engine=engine)
        seconds = time.perf_counter() - started
        if engine.misses:
            with cache_path.open("wb") as f:
                pickle.dump(engine.cache, f, protocol=pickle.HIGHEST_PROTOCOL)
        truth = load_truth(folder)
        s = score(truth, found)
        print(
            f"{folder}: {len(truth)} truth acts, fields {s.field_accuracy:.2%}, "
            f"accepted precision {s.accepted_precision:.2%} ({s.accepted_fields} fields), "
            f"review {s.review_rate:.1%}; {seconds:.0f} s, {engine.misses} lines read"
        )
        pages = _pages(folder)
        gray = {name: _is_gray(folder / name) for name in {name for name, _ in pages}}
        groups: dict[str, Counter] = defaultdict(Counter)
        for t, act in match(truth, found):
            line = _act_line(t, act, _kind(pages[(t.file, t.page)], gray[t.file]))
            line["indic"] = pages[(t.file, t.page)]["model"]["ar_digits"] != "western"
            act_lines.append(line)
            for group in ["all", *line["kind"]]:
                c = groups[group]
                c["acts"] += 1
                c["with error"] += bool(line["wrong"])
                c["review"] += line["status"] != "accepted"
        for group, c in groups.items():
            print(
                f"  {group:10s} acts {c['acts']:4d}"
                f"  with an error {c['with error'] / c['acts']:6.1%}"
                f"  not accepted {c['review'] / c['acts']:6.1%}"
            )
    if args.acts:
        with args.acts.open("w") as f:
            for line in act_lines:
                f.write(json.dumps(line, ensure_ascii=False) + "\n")


def _act_line(t: TruthAct, act: dict[str, Any] | None, kind: list[str]) -> dict[str, Any]:
    """One truth act as read: its status, issues (blocking ones marked !), least confident
    fields, wrong or missing fields (key, truth, reading), and every field's truth and
    reading (value, confidence, notes) for closer study."""
    found = act or {}
    return {
        "file": t.file,
        "page": t.page,
        "bbox": list(t.bbox),
        "status": found.get("status"),
        "kind": kind,
        "issues": [i["rule"] + "!" * bool(i.get("blocking")) for i in found.get("issues", [])],
        "lowest": _lowest(found),
        "wrong": [
            [k, v, _value(found, k)]
            for k, v in t.fields.items()
            if norm(_value(found, k) or "") != norm(v)
        ],
        "truth": t.fields,
        "read": {
            k: [v["value"], round(v["confidence"], 3), v.get("notes", [])]
            for k, v in (found.get("fields") or {}).items()
            if isinstance(v, dict) and "confidence" in v
        },
    }


def _lowest(act: dict[str, Any], n: int = 3) -> list[tuple[str, float]]:
    """The act's least confident fields."""
    fields = [
        (k, round(v["confidence"], 3))
        for k, v in (act.get("fields") or {}).items()
        if isinstance(v, dict) and "confidence" in v
    ]
    return sorted(fields, key=lambda kv: kv[1])[:n]


def _is_gray(path: Path) -> bool:
    from pipeline.load import load_page

    return load_page(path, 1).image.ndim == 2


def _value(act: dict[str, Any], key: str) -> str | None:
    item = (act.get("fields") or {}).get(key)
    if item is None:
        return None
    return item["value"] if isinstance(item, dict) else str(item)


if __name__ == "__main__":
    main()
