"""The `digitize-batch` Prefect flow: scans in, checked acts in the registry.

One task a page (read + validate), run in parallel across cores; the flow loads each
page's acts as its task finishes, one transaction a page, so a crash or kill loses at most
the pages in flight and a rerun skips every page already loaded. Only engine crashes and
time-outs are retried; a bad file fails alone.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from prefect import flow, task
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from flows import batch
from ocr.engine import OcrError
from pipeline.load import ScanError
from registry_loader.db import open_registry

logger = logging.getLogger(__name__)
DEFAULT_WORKERS = 2

# Progress listeners (the CLI's progress bar): called with ("total", n) then ("page", 1).
progress_listeners: list[Callable[[str, int], None]] = []


def _report(event: str, amount: int) -> None:
    for listener in progress_listeners:
        listener(event, amount)


def _brief(exc: BaseException) -> str:
    """An unexpected error for the summary: its type and first line (a database error goes
    on with the SQL and its values, personal data that belongs in the log only)."""
    lines = str(exc).strip().splitlines()
    first = lines[0] if lines else ""
    return f"{type(exc).__name__}: {first[:300]}" if first else type(exc).__name__


def _transient(task: Any, task_run: Any, state: Any) -> bool:
    """Retry engine crashes and time-outs, never a bad scan."""
    exc = state.result(raise_on_failure=False)
    return isinstance(exc, OcrError | TimeoutError | MemoryError)


@task(
    name="read-page",
    retries=2,
    retry_delay_seconds=1,
    retry_condition_fn=_transient,
    task_run_name="read {path} p{page_no}",
)
def read_page(path: str, page_no: int) -> dict[str, Any]:
    return batch.read_page(path, page_no)


@task(name="import-jsonl")
def import_jsonl(db_url: str | None, path: str) -> dict[str, Any]:
    summary = batch.Summary()
    registry = open_registry(db_url)
    try:
        batch.import_jsonl_file(registry, batch.Path(path), summary)
    finally:
        registry.close()
    return summary.to_json()


@flow(name="digitize-batch", task_runner=ThreadPoolTaskRunner(max_workers=DEFAULT_WORKERS))
def digitize_batch(paths: list[str], db_url: str | None = None) -> dict[str, Any]:
    """Digitize the scans and .jsonl files in `paths` into the registry at `db_url`."""
    started = time.perf_counter()
    summary = batch.Summary()
    plan = batch.plan(paths)
    summary.failed.extend(plan.failed)
    summary.files = len(plan.scans) + len(plan.jsonl) + len({f.file for f in plan.failed})
    summary.pages = sum(s.pages for s in plan.scans)

    registry = open_registry(db_url)
    try:
        todo, summary.pages_done_before = batch.pages_to_read(registry, plan.scans)
        _report("total", len(todo))
        scans = {str(scan.path): scan for scan, _ in todo}
        futures = {
            read_page.submit(str(scan.path), page_no): (scan, page_no) for scan, page_no in todo
        }
        for future in as_completed(list(futures)):
            scan, page_no = futures[future]
            try:
                result = future.result()
            except ScanError as exc:
                batch.store_failure(registry, scan, page_no, exc.reason, summary)
            except (OcrError, TimeoutError, FutureTimeout, MemoryError) as exc:
                batch.store_failure(registry, scan, page_no, f"OCR failed: {exc}", summary)
            except Exception as exc:  # a bug must cost one page, not the batch
                logger.exception("page %s of %s failed", page_no, scan.path)
                error = f"internal error ({_brief(exc)})"
                batch.store_failure(registry, scan, page_no, error, summary)
            else:
                try:
                    batch.store_page(registry, scans[result["file"]], result, summary)
                except Exception as exc:  # e.g. a value the database refuses: this page only
                    logger.exception("page %s of %s could not be stored", page_no, scan.path)
                    error = f"internal error storing the page ({_brief(exc)})"
                    batch.store_failure(registry, scan, page_no, error, summary)
            _report("page", 1)

        for path in plan.jsonl:
            try:
                part = import_jsonl(db_url, str(path))
            except OSError as exc:
                error = f"cannot read the file: {exc.strerror or exc}"
                summary.failed.append(batch.Failure(str(path), error))
                continue
            except Exception as exc:  # a bug must cost one file, not the batch
                logger.exception("importing %s failed", path)
                error = f"internal error ({_brief(exc)})"
                summary.failed.append(batch.Failure(str(path), error))
                continue
            summary.failed.extend(batch.Failure(**f) for f in part["failed"])
            for key in ("acts", "accepted", "needs_review", "acts_new", "acts_corroborated"):
                setattr(summary, key, getattr(summary, key) + part[key])
        batch.count_acts(registry, plan.scans, summary)
    finally:
        registry.close()
    summary.seconds = time.perf_counter() - started
    return summary.to_json()


def run(
    paths: list[str], db_url: str | None = None, workers: int = DEFAULT_WORKERS
) -> dict[str, Any]:
    """Run the flow with `workers` pages in parallel."""
    runner = ThreadPoolTaskRunner(max_workers=max(1, workers))
    return digitize_batch.with_options(task_runner=runner)(paths, db_url)
