"""The README's command table and the CLI stay in step: every command and option the README
names exists, and every command the CLI has is in the README."""

from __future__ import annotations

import re
from pathlib import Path

import click
import typer.main

from civreg.cli import app

README = Path(__file__).resolve().parents[2] / "README.md"


def _table_rows() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## The command line", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| `civreg ")]


def _cli() -> click.Group:
    return typer.main.get_command(app)


def test_readme_lists_every_cli_command():
    listed = {re.match(r"\| `civreg (\S+)", row).group(1) for row in _table_rows()}
    assert listed == set(_cli().commands)


def test_every_option_the_readme_names_exists():
    group = _cli()
    for row in _table_rows():
        usage = row.split("`")[1]
        words = usage.split()[1:]
        name, command = words[0], group.commands[words[0]]
        for word in words[1:]:  # into subcommands: `civreg user add ...`
            if not hasattr(command, "commands"):  # a group: typer may vendor its own click
                break
            name, command = f"{name} {word}", command.commands[word]
        options = {opt for param in command.params for opt in param.opts}
        named = set(re.findall(r"--[a-z-]+", usage))
        assert named <= options, f"{name}: README names {named - options} that the CLI lacks"
