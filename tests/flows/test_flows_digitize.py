"""The digitize-batch flow and `civreg import` run in-process, under the session's Prefect
test harness: each flow run is a module fixture, its tests check one outcome each."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from flows_helpers import (
    MEKNES,
    P039,
    P040,
    TIARET,
    BadBatch,
    PageTracker,
    ScriptedEngine,
    clean_birth,
    exported,
    identities,
    identity,
    use_engine,
)
from typer.testing import CliRunner

from civreg.cli import app
from ocr.engine import OcrError
from sample_scans.truth import load_truth

pytestmark = pytest.mark.slow

COMMITTED = Path(__file__).resolve().parents[2] / "sample_scans" / "pages"
BUREAU, COURT = "dz_mostaganem_2003_birth_p087.png", "dz_mostaganem_2003_birth_p087_court.jpg"


def expected_acts(reference_reads: dict[str, dict], *names: str) -> list[tuple]:
    return sorted((identity(a) for n in names for a in reference_reads[n]["acts"]), key=repr)


def failures(summary: dict) -> dict[str, dict]:
    """file base name (and page, if any) -> failure"""
    return {
        Path(f["file"]).name + (f" p{f['page']}" if f.get("page") else ""): f
        for f in summary["failed"]
    }


def cli_import(*args: str) -> tuple[int, dict, str]:
    """`civreg import ... --json` in-process: exit code, summary (last stdout line), stderr."""
    result = CliRunner().invoke(app, ["import", *args, "--json"])
    lines = result.stdout.strip().splitlines()
    summary = json.loads(lines[-1]) if result.exit_code == 0 and lines else {}
    crash = repr(result.exception) if result.exception else ""
    return result.exit_code, summary, result.stderr + crash


def cli_export(url: str) -> str:
    result = CliRunner().invoke(app, ["export", "--db", url])
    assert result.exit_code == 0, result.stderr
    return result.stdout


# --- failures injected into one flow run --------------------------------------------------


def boom() -> Exception:
    return RuntimeError("engine bug")


def ocr_down() -> Exception:
    return OcrError("engine crashed")


@pytest.fixture(scope="module")
def faulty_run(prefect_harness, tmp_path_factory, generated_pages, bad_batch, tesseract):
    """One flow run over five pages: P039 reads normally, P040's engine raises a
    RuntimeError, MEKNES's an OcrError once, TIARET's an OcrError every time, and a truncated
    PNG raises a ScanError when loaded."""
    from flows import digitize

    folder = tmp_path_factory.mktemp("faulty_run")
    url = f"sqlite:///{folder / 'civreg.db'}"
    with pytest.MonkeyPatch.context() as mp:
        tracker = PageTracker().install(mp)
        engine = ScriptedEngine(
            tesseract,
            tracker,
            {
                P040: [boom],
                MEKNES: [ocr_down, None],
                TIARET: [ocr_down],
            },
        )
        use_engine(mp, engine)
        paths = [str(generated_pages / n) for n in (P039, P040, MEKNES, TIARET)]
        paths.append(str(bad_batch.folder / "truncated.png"))
        summary = digitize.run(paths, url, workers=2)
    return {"url": url, "summary": summary, "engine": engine, "loads": tracker.loads}


def test_an_unexpected_exception_fails_its_page_alone(faulty_run, reference_reads):
    failed = failures(faulty_run["summary"])
    assert failed[f"{P040} p1"]["error"] == "internal error (RuntimeError: engine bug)"
    assert identities(exported(faulty_run["url"])) == expected_acts(reference_reads, P039, MEKNES)


def test_an_unexpected_exception_is_not_retried(faulty_run):
    assert faulty_run["loads"][P040] == 1 and faulty_run["engine"].raised[P040] == 1


def test_an_ocr_error_is_retried_and_the_page_then_loads(faulty_run):
    assert faulty_run["engine"].raised[MEKNES] == 1 and faulty_run["loads"][MEKNES] == 2
    assert f"{MEKNES} p1" not in failures(faulty_run["summary"])


def test_an_ocr_error_every_time_fails_the_page_after_two_retries(faulty_run):
    assert faulty_run["engine"].raised[TIARET] == faulty_run["loads"][TIARET] == 3
    error = failures(faulty_run["summary"])[f"{TIARET} p1"]["error"]
    assert error == "OCR failed: engine crashed"


def test_a_scan_error_is_not_retried(faulty_run):
    assert faulty_run["loads"]["truncated.png"] == 1
    assert "truncated" in failures(faulty_run["summary"])["truncated.png p1"]["error"]


def test_the_flow_summary_counts_files_pages_and_what_loaded(faulty_run, reference_reads):
    summary = faulty_run["summary"]
    statuses = Counter(a["status"] for n in (P039, MEKNES) for a in reference_reads[n]["acts"])
    assert (summary["files"], summary["pages"], len(summary["failed"])) == (5, 5, 3)
    assert summary["acts"] == summary["acts_new"] == sum(statuses.values())
    assert (summary["accepted"], summary["needs_review"]) == (
        statuses["accepted"],
        statuses["needs_review"],
    )
    assert summary["pages_done_before"] == 0 and summary["pages_without_acts"] == []


def test_a_page_that_cannot_be_stored_fails_alone(
    prefect_harness, generated_pages, sqlite_url, monkeypatch, blank_engine
):
    from flows import batch, digitize

    store_page = batch.store_page

    def refuse_p040(registry, scan, result, summary):
        if scan.path.name == P040:  # as a database error reads: the values come after
            raise ValueError("value out of range\n[parameters: ('Fatima', 'Benali')]")
        store_page(registry, scan, result, summary)

    monkeypatch.setattr(batch, "store_page", refuse_p040)
    summary = digitize.run([str(generated_pages / n) for n in (P039, P040)], sqlite_url)
    # The first line only: the values (personal data) stay in the log.
    assert failures(summary)[f"{P040} p1"]["error"] == (
        "internal error storing the page (ValueError: value out of range)"
    )
    # The blank engine reads no act: P039 is loaded as a page without acts.
    assert [Path(p["file"]).name for p in summary["pages_without_acts"]] == [P039]


def test_a_jsonl_file_whose_import_breaks_fails_alone(
    prefect_harness, source_export: Path, tmp_path, sqlite_url, monkeypatch
):
    from flows import batch, digitize

    import_jsonl_file = batch.import_jsonl_file
    doomed = tmp_path / "a-doomed.jsonl"
    doomed.write_bytes(source_export.read_bytes())

    def break_on_doomed(registry, path, summary):
        if path.name == doomed.name:
            raise RuntimeError("database went away")
        import_jsonl_file(registry, path, summary)

    monkeypatch.setattr(batch, "import_jsonl_file", break_on_doomed)
    summary = digitize.run([str(doomed), str(source_export)], sqlite_url)
    assert summary["failed"] == [
        {"file": str(doomed), "error": "internal error (RuntimeError: database went away)"}
    ]
    assert summary["acts_new"] == len(source_export.read_text(encoding="utf-8").splitlines())


# --- `civreg import` of a bad batch, twice ------------------------------------------------


@pytest.fixture(scope="module")
def bad_import(prefect_harness, tmp_path_factory, bad_batch: BadBatch):
    url = f"sqlite:///{tmp_path_factory.mktemp('bad_import') / 'civreg.db'}"
    first = cli_import(*bad_batch.args(), "--db", url)
    export_first = cli_export(url)
    again = cli_import(*bad_batch.args(), "--db", url)
    return {"url": url, "first": first, "again": again, "export_first": export_first}


def test_import_of_a_bad_batch_exits_zero_with_the_summary(bad_import, bad_batch, reference_reads):
    code, summary, stderr = bad_import["first"]
    statuses = Counter(a["status"] for n in bad_batch.good for a in reference_reads[n]["acts"])
    assert code == 0, stderr
    # 9 files in the folder (the truth file is not a scan), the .txt and the missing path;
    # pages: 2 good, blank, truncated, the TIFF's 2.
    assert (summary["files"], summary["pages"], summary["pages_done_before"]) == (11, 6, 0)
    assert summary["acts"] == summary["acts_new"] == sum(statuses.values())
    assert (summary["accepted"], summary["needs_review"]) == (
        statuses["accepted"],
        statuses["needs_review"],
    )


def test_import_reports_each_bad_file_with_its_reason(bad_import, bad_batch: BadBatch):
    _, summary, _ = bad_import["first"]
    failed = failures(summary)
    expected = {
        "zero.png": "the file is empty (0 bytes)",
        "empty.pdf": "not a readable PDF",
        "corrupt.pdf": "not a readable PDF",
        "huge.png": "too large",
        "truncated.png p1": "truncated",
        "bad_frame.tif p2": "cannot decode",
        "readme.txt": "not a scan",
        "no-such-scan.png": "no such file",
    }
    assert set(failed) == set(expected)
    for name, reason in expected.items():
        assert reason in failed[name]["error"], failed[name]
        assert Path(failed[name]["file"]).name == name.split(" ")[0]


def test_import_loads_every_good_page(bad_import, bad_batch: BadBatch, reference_reads):
    # bad_frame.tif page 1 holds the pixels of good[0]: its acts corroborate, not duplicate.
    assert identities(exported(bad_import["url"])) == expected_acts(
        reference_reads, *bad_batch.good
    )


def test_import_reports_the_blank_page_as_a_page_without_acts(bad_import, bad_batch):
    _, summary, _ = bad_import["first"]
    assert [(Path(p["file"]).name, p["page"]) for p in summary["pages_without_acts"]] == [
        (bad_batch.blank, 1)
    ]


def test_import_of_the_same_bad_batch_again_changes_nothing(bad_import):
    (_, first, _), (code, again, stderr) = bad_import["first"], bad_import["again"]
    assert code == 0, stderr
    assert cli_export(bad_import["url"]) == bad_import["export_first"]
    assert again["acts_new"] == 0 and again["pages_done_before"] == 4  # 2 good, blank, tif p1
    assert failures(again).keys() == failures(first).keys()
    assert (again["acts"], again["needs_review"], again["accepted"]) == (
        first["acts"],
        first["needs_review"],
        first["accepted"],
    )


def test_import_without_json_prints_a_readable_summary(prefect_harness, bad_batch, sqlite_url):
    blank, zero = bad_batch.folder / bad_batch.blank, bad_batch.folder / "zero.png"
    result = CliRunner().invoke(app, ["import", str(blank), str(zero), "--db", sqlite_url])
    assert result.exit_code == 0, result.stderr
    text = " ".join(result.stdout.split())  # the console wraps long lines
    assert text.startswith("2 files, 1 pages: 0 acts")
    assert f"no acts found on {blank} page 1" in text
    assert f"failed {zero}: the file is empty (0 bytes)" in text


# --- two scans of one register page ------------------------------------------------------


@pytest.fixture(scope="module")
def two_copies(prefect_harness, tmp_path_factory):
    """The bureau's and the court's scans of one page imported together, then the bureau's
    file again under another name."""
    folder = tmp_path_factory.mktemp("two_copies")
    url = f"sqlite:///{folder / 'civreg.db'}"
    first = cli_import(str(COMMITTED / BUREAU), str(COMMITTED / COURT), "--db", url)
    export_first = cli_export(url)
    renamed = shutil.copy(COMMITTED / BUREAU, folder / "rescan_of_p087.png")
    again = cli_import(str(renamed), "--db", url)
    return {"url": url, "first": first, "again": again, "export_first": export_first}


def test_two_scans_of_one_page_give_each_act_once(two_copies):
    code, summary, stderr = two_copies["first"]
    truth_file = COMMITTED / "dz_mostaganem_2003_birth_p087.truth.json"
    truth = sorted(a.fields["act_number"] for a in load_truth(truth_file))
    numbers = sorted(a["act_number"] for a in exported(two_copies["url"]))
    assert code == 0, stderr
    assert numbers == truth
    assert summary["acts"] == len(truth) and summary["acts_corroborated"] == len(truth)


def test_a_scan_imported_again_under_another_name_adds_nothing(two_copies):
    code, summary, stderr = two_copies["again"]
    assert code == 0, stderr
    assert (summary["pages_done_before"], summary["acts_new"]) == (1, 0)
    assert cli_export(two_copies["url"]) == two_copies["export_first"]


# --- `.jsonl` through `civreg import` ------------------------------------------------------


@pytest.fixture(scope="module")
def jsonl_import(prefect_harness, tmp_path_factory, source_export: Path):
    """The export of one registry imported into an empty one, with another file holding a
    new act (without an id, as another system may write it) and a bad line; twice."""
    folder = tmp_path_factory.mktemp("jsonl_import")
    url = f"sqlite:///{folder / 'civreg.db'}"
    new_act = json.dumps(clean_birth("14").to_json(), ensure_ascii=False)
    mixed = folder / "mixed.jsonl"
    mixed.write_text(f"{new_act}\n\nnot json\n", encoding="utf-8")
    first = cli_import(str(source_export), str(mixed), "--db", url)
    export_first = cli_export(url)
    again = cli_import(str(source_export), str(mixed), "--db", url)
    return {"url": url, "first": first, "again": again, "export_first": export_first}


def test_import_of_an_export_into_an_empty_registry_exports_the_same_lines(
    jsonl_import, source_export: Path
):
    code, summary, stderr = jsonl_import["first"]
    lines = source_export.read_text(encoding="utf-8").splitlines(keepends=True)
    exported_lines = jsonl_import["export_first"].splitlines(keepends=True)
    assert code == 0, stderr
    assert summary["acts"] == summary["acts_new"] == len(lines) + 1
    # Everything but the other file's act (which got an id of its own) is as exported.
    assert [line for line in exported_lines if '"act_number": "14"' not in line] == lines


def test_import_reports_a_malformed_jsonl_line_by_number(jsonl_import):
    _, summary, _ = jsonl_import["first"]
    (failure,) = summary["failed"]
    assert Path(failure["file"]).name == "mixed.jsonl"
    assert failure["error"].startswith("line 3: not JSON")


def test_import_of_the_same_jsonl_again_adds_nothing(jsonl_import):
    code, again, stderr = jsonl_import["again"]
    assert code == 0, stderr
    assert (again["acts_new"], again["acts_corroborated"]) == (0, 0)
    assert cli_export(jsonl_import["url"]) == jsonl_import["export_first"]


def test_import_of_an_export_gives_the_same_lines_on_each_database(
    prefect_harness, source_export: Path, registry_url: str
):
    code, summary, stderr = cli_import(str(source_export), "--db", registry_url)
    assert code == 0 and summary["failed"] == [], stderr
    assert cli_export(registry_url) == source_export.read_text(encoding="utf-8")
