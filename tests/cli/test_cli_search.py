"""`civreg search`: by act number or name, the filters, and a file of queries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import key_of

from civreg.cli import app


def search(runner, url: str, *args: str) -> list[str]:
    """The keys of the acts `civreg search ... --json` finds, in its order."""
    result = runner.invoke(app, ["search", *args, "--db", url, "--json"])
    assert result.exit_code == 0, result.stderr
    return [key_of(hit) for hit in json.loads(result.stdout)]


def test_search_by_act_number_finds_every_act_with_that_number(runner, filled_url):
    assert sorted(search(runner, filled_url, "12")) == [
        "oujda-birth-1998-12",
        "sefrou-birth-1995-12",
        "sefrou-death-1996-12",
    ]


def test_search_by_act_number_ignores_leading_zeros(runner, filled_url):
    assert search(runner, filled_url, "007") == ["oujda-marriage-2001-7"]


@pytest.mark.parametrize("name", ["Bennani", "بناني"])
def test_search_by_name_finds_the_act_in_either_script(runner, filled_url, name):
    assert search(runner, filled_url, name) == ["sefrou-birth-1995-13"]


def test_search_by_name_finds_the_subjects_of_a_marriage(runner, filled_url):
    assert search(runner, filled_url, "Karim") == ["oujda-marriage-2001-7"]


def test_search_json_prints_acts_in_the_export_format(runner, filled_url):
    result = runner.invoke(app, ["search", "Bennani", "--db", filled_url, "--json"])
    (hit,) = json.loads(result.stdout)
    assert hit["fields"]["family_name_ar"]["value"] == "بناني"
    assert hit["status"] == "needs_review" and hit["id"]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--type", "death"], ["sefrou-death-1996-12"]),
        (["--year", "1998"], ["oujda-birth-1998-12"]),
        (["--years", "1995-1996"], ["sefrou-birth-1995-12", "sefrou-death-1996-12"]),
        (["--years", "1996-1995"], ["sefrou-birth-1995-12", "sefrou-death-1996-12"]),
        (["--commune", "Oujda"], ["oujda-birth-1998-12"]),
        (["--commune", "وجدة"], ["oujda-birth-1998-12"]),
        (["--type", "birth", "--commune", "sefrou"], ["sefrou-birth-1995-12"]),
    ],
)
def test_search_filters_narrow_the_acts_found(runner, filled_url, options, expected):
    assert sorted(search(runner, filled_url, "Mohamed", *options)) == expected


def test_search_limit_caps_the_number_of_acts(runner, filled_url):
    everything = search(runner, filled_url, "Mohamed")
    assert len(everything) == 3
    assert search(runner, filled_url, "Mohamed", "--limit", "2") == everything[:2]


def test_search_with_nothing_found_prints_an_empty_array(runner, filled_url):
    assert search(runner, filled_url, "Zerhouni") == []


def queries_file(tmp_path: Path, *lines: str) -> str:
    path = tmp_path / "queries.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def run_queries(runner, url: str, path: str, *args: str) -> list[list[str]]:
    result = runner.invoke(app, ["search", "--queries", path, "--db", url, *args])
    assert result.exit_code == 0, result.stderr
    return [[key_of(hit) for hit in json.loads(line)] for line in result.stdout.splitlines()]


def test_search_queries_prints_one_json_array_a_line_in_order(runner, filled_url, tmp_path):
    path = queries_file(tmp_path, "Bennani", "7", "Zerhouni", "Karim")
    assert run_queries(runner, filled_url, path) == [
        ["sefrou-birth-1995-13"],
        ["oujda-marriage-2001-7"],
        [],
        ["oujda-marriage-2001-7"],
    ]


def test_search_queries_line_options_after_a_tab_apply_to_that_line_only(
    runner, filled_url, tmp_path
):
    path = queries_file(tmp_path, "Mohamed\t--year 1996", "Mohamed\t--type birth --limit 1", "12")
    single, limited, unfiltered = run_queries(runner, filled_url, path)
    assert single == ["sefrou-death-1996-12"]
    assert len(limited) == 1 and limited[0].split("-")[1] == "birth"
    assert len(unfiltered) == 3


def test_search_queries_options_of_the_command_apply_to_every_line(runner, filled_url, tmp_path):
    path = queries_file(tmp_path, "Mohamed", "12\t--year 1995")
    assert run_queries(runner, filled_url, path, "--commune", "Sefrou") == [
        sorted(["sefrou-birth-1995-12", "sefrou-death-1996-12"]),
        ["sefrou-birth-1995-12"],
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Mohamed\t--colour red", "unknown option --colour"),
        ("Mohamed\t--year", "without a value"),
        ("Mohamed\t--year nineteen", "--year takes a number"),
        ("Mohamed\t--limit many", "--limit takes a number"),
        ("Mohamed\t--type baptism", "--type takes birth, death, marriage"),
    ],
)
def test_search_queries_bad_line_options_fail_with_a_message(
    runner, filled_url, tmp_path, line, message
):
    result = runner.invoke(
        app, ["search", "--queries", queries_file(tmp_path, line), "--db", filled_url]
    )
    assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Mohamed", "--type", "baptism"], "--type takes birth, death, marriage"),
        (["Mohamed", "--years", "1995"], "--years takes Y1-Y2"),
        (["Mohamed", "--year", "1995", "--years", "1995-1996"], "not both"),
        ([], "give a QUERY or --queries FILE"),
        (["--queries", "/nonexistent/queries.txt"], "cannot read /nonexistent/queries.txt"),
    ],
)
def test_search_bad_arguments_fail_with_a_message(runner, filled_url, args, message):
    result = runner.invoke(app, ["search", *args, "--db", filled_url])
    assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_search_name_parts_match_their_own_name_only(runner, filled_url):
    assert search(runner, filled_url, "--given", "Karim") == ["oujda-marriage-2001-7"]
    assert search(runner, filled_url, "--family", "Karim") == []


def test_search_json_hits_say_why_they_matched(runner, filled_url):
    result = runner.invoke(app, ["search", "بناني", "--db", filled_url, "--json"])
    (hit,) = json.loads(result.stdout)
    assert hit["why"] == ["بناني: exact match on family_name_ar"] and 0 < hit["score"] <= 1
