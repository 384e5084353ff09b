"""`civreg export`: one JSON object a line, filtered by status."""

from __future__ import annotations

import json

from cli_helpers import ACTS, key_of

from civreg.cli import app


def export(runner, url: str, *args: str):
    return runner.invoke(app, ["export", "--db", url, *args])


def keys(stdout: str) -> list[str]:
    return sorted(key_of(json.loads(line)) for line in stdout.splitlines())


def test_export_writes_every_act_as_one_json_object_a_line(runner, filled_url):
    result = export(runner, filled_url)
    assert result.exit_code == 0, result.stderr
    assert keys(result.stdout) == sorted(ACTS)
    first = json.loads(result.stdout.splitlines()[0])
    assert {
        "id",
        "act_type",
        "status",
        "register_year",
        "commune_ar",
        "commune_fr",
        "act_number",
        "source",
        "fields",
        "marginal_notes",
        "person_ids",
    } <= set(first)


def test_export_status_accepted_writes_only_accepted_acts(runner, filled_url):
    result = export(runner, filled_url, "--status", "accepted")
    assert keys(result.stdout) == sorted(k for k, a in ACTS.items() if a.status == "accepted")


def test_export_status_needs_review_writes_only_acts_waiting_for_review(runner, filled_url):
    result = export(runner, filled_url, "--status", "needs_review")
    assert keys(result.stdout) == sorted(k for k, a in ACTS.items() if a.status == "needs_review")


def test_export_status_all_is_the_default(runner, filled_url):
    assert export(runner, filled_url, "--status", "all").stdout == export(runner, filled_url).stdout


def test_export_is_the_same_every_time(runner, filled_url):
    # No timestamps or other volatile values: an unchanged registry exports the same bytes.
    assert export(runner, filled_url).stdout == export(runner, filled_url).stdout


def test_export_unknown_status_fails_with_a_message(runner, filled_url):
    result = export(runner, filled_url, "--status", "done")
    assert result.exit_code != 0 and result.stdout == ""
    assert "unknown status 'done'" in result.stderr


def test_export_unknown_format_fails_with_a_message(runner, filled_url):
    result = export(runner, filled_url, "--format", "csv")
    assert result.exit_code != 0 and "unknown format 'csv'" in result.stderr


def test_export_of_an_empty_registry_writes_nothing(runner, sqlite_url):
    result = export(runner, sqlite_url)
    assert (result.exit_code, result.stdout) == (0, "")
