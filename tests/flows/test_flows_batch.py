"""The batch as plain functions (no Prefect): planning a folder of good and bad files,
reading pages that cannot be read, and storing pages so that nothing is added twice."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flows_helpers import (
    P039,
    P040,
    BadBatch,
    clean_birth,
    exported,
    page_result,
    write_png_1bit,
)

from flows import batch
from pipeline.load import ScanError
from registry_loader.db import open_registry


def failures(failed: list[batch.Failure]) -> dict[str, str]:
    """file base name -> error"""
    return {Path(f.file).name: f.error for f in failed}


def planned(plan: batch.Plan) -> dict[str, int]:
    """file base name -> pages"""
    return {scan.path.name: scan.pages for scan in plan.scans}


# --- planning -------------------------------------------------------------------------


def test_plan_reports_every_unreadable_file_with_its_reason(bad_batch: BadBatch):
    failed = failures(batch.plan(bad_batch.args()).failed)
    expected = {
        "zero.png": "empty (0 bytes)",
        "empty.pdf": "not a readable PDF",
        "corrupt.pdf": "not a readable PDF",
        "huge.png": "too large",
        "readme.txt": "not a scan",
        "no-such-scan.png": "no such file",
    }
    assert set(failed) == set(expected)
    for name, reason in expected.items():
        assert reason in failed[name], (name, failed[name])


def test_plan_counts_the_pages_of_every_file_it_can_open(bad_batch: BadBatch):
    # A truncated PNG and a TIFF with a bad frame open: they fail page by page, later.
    assert planned(batch.plan(bad_batch.args())) == {
        bad_batch.good[0]: 1,
        bad_batch.good[1]: 1,
        "blank.png": 1,
        "truncated.png": 1,
        "bad_frame.tif": 2,
    }


def test_plan_passes_over_files_of_other_kinds_inside_folders(bad_batch: BadBatch):
    plan = batch.plan([bad_batch.folder])
    assert "notes.truth.json" not in planned(plan) | failures(plan.failed)


def test_plan_takes_a_file_named_twice_once(bad_batch: BadBatch):
    good = bad_batch.folder / bad_batch.good[0]
    plan = batch.plan([good, bad_batch.folder, good])
    assert [scan.path.name for scan in plan.scans].count(good.name) == 1


def test_a_huge_image_within_pillows_limit_is_refused_by_civregs_own(tmp_path: Path):
    path = write_png_1bit(tmp_path / "strip.png", 17_000, 100)
    assert (
        "over the limit of 16000 pixels a side" in failures(batch.plan([path]).failed)["strip.png"]
    )


# --- reading --------------------------------------------------------------------------


def test_reading_a_truncated_png_raises_a_scan_error_naming_the_file(bad_batch, blank_engine):
    with pytest.raises(ScanError) as raised:
        batch.read_page(bad_batch.folder / "truncated.png", 1)
    assert raised.value.file.endswith("truncated.png")
    assert "truncated" in raised.value.reason


def test_an_undecodable_tiff_frame_fails_alone(bad_batch: BadBatch, blank_engine):
    tiff = bad_batch.folder / bad_batch.bad_frame
    assert batch.read_page(tiff, 1)["height"] > 0
    with pytest.raises(ScanError) as raised:
        batch.read_page(tiff, 2)
    assert raised.value.page == 2 and "decode" in raised.value.reason


def test_a_blank_page_reads_as_a_page_without_acts(bad_batch: BadBatch, tesseract):
    result = batch.read_page(bad_batch.folder / "blank.png", 1, tesseract)
    assert result["acts"] == [] and result["page"] == 1


# --- storing --------------------------------------------------------------------------


def scan_of(path: Path) -> batch.ScanFile:
    (scan,) = batch.plan([path]).scans
    return scan


TWO_ACTS = [clean_birth("12"), clean_birth("13")]


def test_storing_a_page_twice_adds_no_act(registry_url, generated_pages):
    scan = scan_of(generated_pages / P040)
    read = page_result(scan.path, TWO_ACTS)
    first, again = batch.Summary(), batch.Summary()
    with open_registry(registry_url) as registry:
        batch.store_page(registry, scan, read, first)
        batch.store_page(registry, scan, read, again)
    assert (first.acts_new, again.acts_new, again.acts_corroborated) == (2, 0, 0)
    assert len(exported(registry_url)) == 2


def test_the_same_page_under_two_names_adds_no_act_twice(registry_url, generated_pages, tmp_path):
    copy = shutil.copy(generated_pages / P040, tmp_path / "renamed.png")
    summary = batch.Summary()
    with open_registry(registry_url) as registry:
        for path in (generated_pages / P040, copy):
            batch.store_page(registry, scan_of(path), page_result(path, TWO_ACTS), summary)
    assert summary.acts_new == len(exported(registry_url)) == 2


def test_a_file_under_two_names_in_one_batch_is_read_once(generated_pages, tmp_path, sqlite_url):
    name = P039
    for copy in ("a.png", "b.png"):
        shutil.copy(generated_pages / name, tmp_path / copy)
    plan = batch.plan([tmp_path])
    with open_registry(sqlite_url) as registry:
        todo, done = batch.pages_to_read(registry, plan.scans)
    assert len(plan.scans) == 2
    assert [(scan.path.name, page) for scan, page in todo] == [("a.png", 1)] and done == 0


def test_pages_loaded_by_an_earlier_run_are_not_read_again(registry_url, generated_pages):
    names = (P039, P040)
    plan = batch.plan([generated_pages / name for name in names])
    with open_registry(registry_url) as registry:
        done_before = page_result(plan.scans[0].path, TWO_ACTS)
        batch.store_page(registry, plan.scans[0], done_before, batch.Summary())
        todo, done = batch.pages_to_read(registry, plan.scans)
    assert [(scan.path.name, page) for scan, page in todo] == [(names[1], 1)] and done == 1


def test_a_failed_page_is_read_again_by_the_next_run(registry_url, bad_batch: BadBatch):
    scan = scan_of(bad_batch.folder / "truncated.png")
    summary = batch.Summary()
    with open_registry(registry_url) as registry:
        batch.store_failure(registry, scan, 1, "cannot decode the image", summary)
        todo, done = batch.pages_to_read(registry, [scan])
    assert summary.to_json()["failed"] == [
        {"file": str(scan.path), "error": "cannot decode the image", "page": 1}
    ]
    assert (len(todo), done) == (1, 0)


def test_a_page_without_acts_is_listed_in_the_summary_not_failed(sqlite_url, bad_batch):
    scan = scan_of(bad_batch.folder / "blank.png")
    result = {"file": str(scan.path), "page": 1, "width": 1240, "height": 1754, "acts": []}
    summary = batch.Summary()
    with open_registry(sqlite_url) as registry:
        batch.store_page(registry, scan, result, summary)
        todo, _ = batch.pages_to_read(registry, [scan])
    out = summary.to_json()
    assert out["pages_without_acts"] == [{"file": str(scan.path), "page": 1}]
    assert out["failed"] == [] and todo == []  # loaded: a rerun does not read it again
