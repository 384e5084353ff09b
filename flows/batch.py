"""A digitization batch as plain functions: plan the files, read a page, load its acts.

The Prefect flow (`flows.digitize`) only wires these into tasks, so everything here is
tested without Prefect. Pages are addressed by (path, page number) and their results are
small JSON-able dicts: no pixels cross a task boundary.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import cv2

from ocr.engine import OcrEngine
from ocr.tesseract import TesseractEngine
from pipeline.load import ScanError, count_pages, file_sha256, is_scan, load_page
from pipeline.read import read_page as read_page_image
from records import Act
from registry_loader.db import Registry
from registry_loader.jsonl import import_jsonl
from registry_loader.load import PageInfo, acts_of_pages, page_is_loaded, record_failed_page
from registry_loader.load import load_page as load_page_acts
from validation.rules import ACT_RULES
from validation.validate import validate_page

JSONL_SUFFIX = ".jsonl"

# A batch runs pages in parallel, one a thread: OpenCV's own thread pool on top of that
# oversubscribes the cores (measured on 2 cores: 2 workers 50 -> 72 pages a minute).
cv2.setNumThreads(1)


@dataclass(frozen=True)
class Failure:
    file: str
    error: str
    page: int | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"file": self.file, "error": self.error}
        if self.page is not None:
            out["page"] = self.page
        return out


@dataclass(frozen=True)
class ScanFile:
    path: Path
    sha256: str
    pages: int


@dataclass
class Plan:
    scans: list[ScanFile] = field(default_factory=list)
    jsonl: list[Path] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)


@dataclass
class Summary:
    """The import's outcome, as `civreg import --json` prints it."""

    files: int = 0
    pages: int = 0
    acts: int = 0
    accepted: int = 0
    needs_review: int = 0
    failed: list[Failure] = field(default_factory=list)
    pages_done_before: int = 0  # pages an earlier run had already loaded (skipped)
    acts_new: int = 0
    acts_corroborated: int = 0
    # Pages read in this run on which no act was found (blank, or a layout not understood):
    # loaded, not failed, but worth a look.
    pages_without_acts: list[tuple[str, int]] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "pages": self.pages,
            "acts": self.acts,
            "accepted": self.accepted,
            "needs_review": self.needs_review,
            "failed": [f.to_json() for f in self.failed],
            "pages_done_before": self.pages_done_before,
            "acts_new": self.acts_new,
            "acts_corroborated": self.acts_corroborated,
            "pages_without_acts": [
                {"file": file, "page": page} for file, page in self.pages_without_acts
            ],
            "seconds": round(self.seconds, 2),
        }


def collect(paths: Iterable[str | Path]) -> tuple[list[Path], list[Failure]]:
    """The scans and .jsonl files named, folders searched recursively (sorted, so a batch
    runs in a stable order). Other files inside folders are passed over (ground truth,
    notes); a file named directly that civreg cannot read is a failure."""
    found: list[Path] = []
    failed: list[Failure] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and (is_scan(p) or p.suffix.lower() == JSONL_SUFFIX)
            )
        elif not path.exists():
            failed.append(Failure(str(path), "no such file or folder"))
        elif is_scan(path) or path.suffix.lower() == JSONL_SUFFIX:
            found.append(path)
        else:
            failed.append(
                Failure(str(path), f"not a scan or a .jsonl file ({path.suffix or 'no suffix'})")
            )
    return list(dict.fromkeys(found)), failed


def plan(paths: Iterable[str | Path]) -> Plan:
    """Check every file named and count its pages; unreadable files become failures."""
    files, failed = collect(paths)
    result = Plan(failed=failed)
    for path in files:
        if path.suffix.lower() == JSONL_SUFFIX:
            result.jsonl.append(path)
            continue
        try:
            result.scans.append(ScanFile(path, file_sha256(path), count_pages(path)))
        except ScanError as exc:
            result.failed.append(Failure(str(path), exc.reason))
        except OSError as exc:
            result.failed.append(Failure(str(path), f"cannot read the file: {exc.strerror or exc}"))
    return result


@cache
def ocr_engine() -> OcrEngine:
    """One engine a process (it keeps one loaded model a thread)."""
    return TesseractEngine()


def read_page(
    path: str | Path, page_no: int, engine: OcrEngine | None = None, *, calibrated: bool = True
) -> dict[str, Any]:
    """Read and validate one page: the body of a flow task. Raises ScanError for a page
    that cannot be read. The result is small: acts as JSON, with provenance. Without
    `calibrated`, confidences stay raw (to fit the calibration on)."""
    started = time.perf_counter()
    page = load_page(path, page_no)
    result = read_page_image(page, engine or ocr_engine())
    acts = validate_page(result.acts, calibrated=calibrated)
    height, width = page.image.shape[:2]
    return {
        "file": str(path),
        "page": page_no,
        "width": width,
        "height": height,
        "acts": [act.to_json(provenance=True) for act in acts],
        "steps": result.steps,
        "lines": result.lines,
        "unread": result.unread,
        "seconds": round(time.perf_counter() - started, 3),
    }


def page_info(scan: ScanFile, page_no: int, width: int = 0, height: int = 0) -> PageInfo:
    return PageInfo(
        file_name=scan.path.name,
        file_path=str(scan.path.resolve()),
        sha256=scan.sha256,
        page_no=page_no,
        width=width,
        height=height,
        register_page=None,
    )


def pages_to_read(
    registry: Registry, scans: list[ScanFile]
) -> tuple[list[tuple[ScanFile, int]], int]:
    """The pages not yet loaded by an earlier run, and how many were. A file named twice
    in the batch (the same bytes under two names) is read once: the registry knows a page
    by its file's content, so the second reading could add nothing."""
    todo: list[tuple[ScanFile, int]] = []
    done = 0
    queued: set[tuple[str, int]] = set()
    with registry.session() as session:
        for scan in scans:
            for page_no in range(1, scan.pages + 1):
                if (scan.sha256, page_no) in queued:
                    continue
                if page_is_loaded(session, scan.sha256, page_no):
                    done += 1
                else:
                    todo.append((scan, page_no))
                    queued.add((scan.sha256, page_no))
    return todo, done


def store_page(
    registry: Registry, scan: ScanFile, result: dict[str, Any], summary: Summary
) -> None:
    """Load one page's acts (one transaction, idempotent) and count them."""
    acts = [Act.from_json(a) for a in result["acts"]]
    info = page_info(scan, result["page"], result["width"], result["height"])
    with registry.session() as session:
        loaded = load_page_acts(session, info, acts)
    summary.acts_new += loaded.acts_new
    summary.acts_corroborated += loaded.acts_corroborated
    if not acts:
        summary.pages_without_acts.append((str(scan.path), result["page"]))


def store_failure(
    registry: Registry, scan: ScanFile, page_no: int, error: str, summary: Summary
) -> None:
    summary.failed.append(Failure(str(scan.path), error, page_no))
    with registry.session() as session:
        record_failed_page(session, page_info(scan, page_no), error)


def check_imported(act: Act) -> Act:
    """Validation of an act imported as it stands: the rules report their issues, but the
    values and confidences stay as the other system gave them (an export imported again
    must give the same acts). An accepted act with a blocking issue goes back to review."""
    probe = copy.deepcopy(act)
    found = [issue for rule in ACT_RULES for issue in rule(probe)]
    for issue in found:
        if issue not in act.issues:
            act.issues.append(issue)
    if act.status == "accepted" and any(issue.blocking for issue in act.issues):
        act.status = "needs_review"
    return act


def decoded_lines(raw: Iterable[bytes], failures: list[tuple[int, str]]) -> Iterator[str]:
    """The lines of a UTF-8 file as text; a line that is not UTF-8 is noted in `failures`
    and given as a blank line (skipped, so the next lines keep their numbers)."""
    for number, line in enumerate(raw, start=1):
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError as exc:
            failures.append((number, f"not UTF-8 text (byte {exc.start + 1} of the line)"))
            yield "\n"


def import_jsonl_file(registry: Registry, path: Path, summary: Summary) -> None:
    """Bulk-load a .jsonl file of acts in the export format; bad lines become failures."""
    not_text: list[tuple[int, str]] = []
    with registry.session() as session, path.open("rb") as f:
        result = import_jsonl(
            session, decoded_lines(f, not_text), path.name, prepare=check_imported
        )
    errors = sorted([(e.line, e.reason) for e in result.errors] + not_text)
    summary.failed.extend(Failure(str(path), f"line {line}: {reason}") for line, reason in errors)
    summary.acts_new += result.acts_new
    summary.acts_corroborated += result.acts_corroborated
    summary.acts += result.acts_new + result.acts_corroborated + result.skipped
    summary.accepted += result.accepted
    summary.needs_review += result.needs_review


def count_acts(registry: Registry, scans: list[ScanFile], summary: Summary) -> None:
    """Fill the act counts of the summary from what the registry now holds for these files."""
    with registry.session() as session:
        statuses = acts_of_pages(session, [s.sha256 for s in scans])
    summary.acts += len(statuses)
    summary.accepted += sum(1 for s in statuses if s == "accepted")
    summary.needs_review += sum(1 for s in statuses if s == "needs_review")
