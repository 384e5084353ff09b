"""What the benchmark scripts share: generating pages, reading them, machine facts."""

from __future__ import annotations

import os
import platform
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from flows.batch import plan, read_page


def pages_folder(folder: str | None, seed: int, pages: int) -> Path:
    """An existing folder of generated pages, or fresh ones made with `seed`."""
    if folder:
        return Path(folder)
    from sample_scans.generate import generate

    out = Path(tempfile.mkdtemp(prefix=f"civreg-bench-{seed}-"))
    generate(out, seed=seed, pages=pages)
    return out


def read_folder(folder: Path, workers: int = 2, **options: Any) -> list[dict[str, Any]]:
    """Read and validate every page of every scan in `folder` (library calls, no database),
    `workers` pages at a time; each act as export JSON with its file's base name."""
    scans = plan([folder]).scans
    jobs = [(str(s.path), n) for s in scans for n in range(1, s.pages + 1)]
    with ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(lambda job: read_page(*job, **options), jobs))
    acts = []
    for result in results:
        for act in result["acts"]:
            act["source"]["file"] = Path(act["source"]["file"]).name
            acts.append(act)
    return acts


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
        cpu = model
    except (OSError, StopIteration):
        pass
    from flows.batch import ocr_engine

    engine = ocr_engine()
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"{engine.name} {engine.version} (in-process), models in {engine.tessdata}"
    )
