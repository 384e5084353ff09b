"""`.jsonl` files in the export format, loaded by the batch as they stand (no Prefect here;
the command-line round trip through the flow is in test_flows_digitize.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flows_helpers import clean_birth, export_lines

from flows import batch
from registry_loader.db import open_registry


def import_file(url: str, path: Path) -> batch.Summary:
    summary = batch.Summary()
    with open_registry(url) as registry:
        batch.import_jsonl_file(registry, path, summary)
    return summary


def act_lines(*numbers: str) -> list[str]:
    """Acts in the export format, one JSON object a line (no newline)."""
    return [json.dumps(clean_birth(n).to_json(), ensure_ascii=False) for n in numbers]


@pytest.mark.slow  # the source registry holds acts read by real OCR
def test_export_then_import_into_an_empty_registry_exports_the_same_lines(
    source_export: Path, registry_url: str
):
    summary = import_file(registry_url, source_export)
    lines = source_export.read_text(encoding="utf-8").splitlines(keepends=True)
    assert {json.loads(line)["status"] for line in lines} == {"accepted", "needs_review"}
    assert summary.failed == [] and summary.acts_new == len(lines)
    assert export_lines(registry_url) == lines


@pytest.mark.slow
def test_importing_the_same_jsonl_twice_adds_nothing(source_export: Path, registry_url: str):
    import_file(registry_url, source_export)
    before = export_lines(registry_url)
    again = import_file(registry_url, source_export)
    assert (again.acts_new, again.acts_corroborated, again.failed) == (0, 0, [])
    assert export_lines(registry_url) == before


@pytest.mark.slow
def test_the_same_acts_under_another_file_name_add_nothing(
    source_export: Path, registry_url: str, tmp_path: Path
):
    import_file(registry_url, source_export)
    before = export_lines(registry_url)
    renamed = tmp_path / "from-another-office.jsonl"
    renamed.write_bytes(source_export.read_bytes())
    again = import_file(registry_url, renamed)
    assert again.acts_new == 0 and export_lines(registry_url) == before


def test_a_malformed_line_is_reported_with_its_number_and_the_rest_load(
    sqlite_url: str, tmp_path: Path
):
    good = act_lines("1", "2", "3")
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text(
        "\n".join(
            [good[0], '{"act_type": "birth", ', good[1], "[1, 2]", good[2], '{"status": "lost"}']
        )
        + "\n",
        encoding="utf-8",
    )
    summary = import_file(sqlite_url, mixed)
    errors = [f.error for f in summary.failed]
    assert [e.split(":")[0] for e in errors] == ["line 2", "line 4", "line 6"]
    assert "not JSON" in errors[0] and "unknown status" in errors[2]
    assert all(f.file == str(mixed) for f in summary.failed)
    assert summary.acts_new == 3 and len(export_lines(sqlite_url)) == 3


def test_a_line_that_is_not_utf8_is_reported_and_the_rest_load(sqlite_url: str, tmp_path: Path):
    good = [(line + "\n").encode() for line in act_lines("1", "2")]
    broken = tmp_path / "latin1.jsonl"
    broken.write_bytes(good[0] + '{"commune_fr": "Sétif"}\n'.encode("latin-1") + good[1])
    summary = import_file(sqlite_url, broken)
    assert [f.error.split(":")[0] for f in summary.failed] == ["line 2"]
    assert "not UTF-8" in summary.failed[0].error
    assert summary.acts_new == 2
