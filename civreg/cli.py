"""The `civreg` command line: thin over the library (interfaces.md is the contract)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

app = typer.Typer(
    name="civreg",
    help="Scanned civil-status registers in, a searchable digital civil registry out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="SQLAlchemy database URL (default: $CIVREG_DB, else sqlite:///civreg.db here).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"civreg: {message}", err=True)
    raise typer.Exit(code)


def _open(db: str | None):
    from registry_loader.db import RegistryError, open_registry

    try:
        return open_registry(db)
    except RegistryError as exc:
        _fail(str(exc))


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")


def quiet_prefect() -> None:
    """Prefect settings for a command-line run: no telemetry (civil-status data never
    leaves the machine), warnings only on the terminal, room for the local server to start.
    Whatever the operator has set wins."""
    defaults = {
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)


@app.command("import")
def import_(
    paths: Annotated[
        list[Path], typer.Argument(help="Scans (PNG, JPEG, TIFF, PDF), folders, .jsonl files.")
    ],
    db: DbOption = None,
    json_out: JsonOption = False,
    workers: Annotated[int, typer.Option(help="Pages read in parallel.")] = 2,
) -> None:
    """Digitize scans through the digitize-batch flow: cleanup, OCR, extraction, validation,
    load. A .jsonl file of acts (export format) is loaded as it stands. Files already
    imported add nothing twice."""
    _open(db).close()  # fail early, with a clear message, on a bad database URL
    quiet_prefect()
    from flows import digitize  # imports Prefect: seconds

    with _progress(enabled=not json_out and sys.stderr.isatty()) as listener:
        if listener:
            digitize.progress_listeners.append(listener)
        try:
            summary = digitize.run([str(p) for p in paths], db, workers)
        finally:
            if listener:
                digitize.progress_listeners.remove(listener)
    if json_out:
        _print_json(summary)
    else:
        _print_summary(summary)


class _progress:
    """A Rich progress bar on standard error, fed by the flow's progress events."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __enter__(self):
        if not self.enabled:
            return None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        self.bar = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.bar.start()
        self.task = self.bar.add_task("pages", total=None)

        def listener(event: str, amount: int) -> None:
            if event == "total":
                self.bar.update(self.task, total=amount)
            else:
                self.bar.advance(self.task, amount)

        return listener

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self.bar.stop()


def _print_summary(summary: dict[str, Any]) -> None:
    from rich.console import Console

    console = Console()
    console.print(
        f"{summary['files']} files, {summary['pages']} pages: {summary['acts']} acts, "
        f"[green]{summary['accepted']} accepted[/green], "
        f"[yellow]{summary['needs_review']} need review[/yellow] "
        f"({summary['acts_new']} new, {summary['pages_done_before']} pages already imported) "
        f"in {summary['seconds']:.1f} s"
    )
    for empty in summary.get("pages_without_acts", []):
        console.print(
            f"[yellow]no acts found[/yellow] on {empty['file']} page {empty['page']}",
            soft_wrap=True,
        )
    for failure in summary["failed"]:
        page = f" page {failure['page']}" if failure.get("page") else ""
        console.print(
            f"[red]failed[/red] {failure['file']}{page}: {failure['error']}", soft_wrap=True
        )


@app.command()
def export(
    db: DbOption = None,
    format: Annotated[str, typer.Option("--format", help="Output format.")] = "jsonl",
    status: Annotated[str, typer.Option(help="accepted, needs_review, rejected or all.")] = "all",
) -> None:
    """Write acts to standard output, one JSON object a line."""
    from records import STATUSES
    from registry_loader.export import iter_acts

    if format != "jsonl":
        _fail(f"unknown format {format!r} (only jsonl)")
    if status != "all" and status not in STATUSES:
        _fail(f"unknown status {status!r} (accepted, needs_review, rejected, all)")
    registry = _open(db)
    try:
        with registry.session() as session:
            for act in iter_acts(session, status):
                sys.stdout.write(json.dumps(act.to_json(), ensure_ascii=False) + "\n")
    finally:
        registry.close()


def _years(year: int | None, years: str | None) -> tuple[int, int] | None:
    if year is not None and years is not None:
        _fail("give --year or --years, not both")
    if year is not None:
        return year, year
    if years:
        try:
            first, last = (int(part) for part in years.split("-", 1))
        except ValueError:
            _fail(f"--years takes Y1-Y2, not {years!r}")
        return min(first, last), max(first, last)
    return None


@app.command()
def search(
    query: Annotated[
        str | None, typer.Argument(help="A name in Arabic or Latin script, or an act number.")
    ] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
    act_type: Annotated[
        str | None, typer.Option("--type", help="birth, death or marriage.")
    ] = None,
    year: Annotated[int | None, typer.Option(help="Register year.")] = None,
    years: Annotated[str | None, typer.Option(help="Register years Y1-Y2.")] = None,
    commune: Annotated[str | None, typer.Option(help="Commune, either script.")] = None,
    limit: Annotated[int, typer.Option(help="Most results.")] = 20,
    queries: Annotated[
        Path | None, typer.Option(help="File of queries, one a line (QUERY<TAB>--year Y ...).")
    ] = None,
    given: Annotated[str | None, typer.Option(help="Given name (that name only).")] = None,
    family: Annotated[str | None, typer.Option(help="Family name (that name only).")] = None,
    father: Annotated[str | None, typer.Option(help="Father's name (that name only).")] = None,
    mother: Annotated[str | None, typer.Option(help="Mother's name (that name only).")] = None,
) -> None:
    """Search the registry by name (either script, spelling variants, typos) or act number.
    Words of QUERY may match any name of an act; --given, --family, --father, --mother
    match that name only. Hits are ranked, best first, and say why they matched."""
    from registry_loader.search import search as run_search

    parts = {"given": given, "family": family, "father": father, "mother": mother}
    if queries is None and query is None and any(parts.values()):
        query = ""
    if (query is None) == (queries is None):
        _fail("give a QUERY or --queries FILE, or name parts (--given, --family, --father...)")
    base = {
        "act_type": _act_type(act_type),
        "years": _years(year, years),
        "commune": commune,
        "limit": limit,
        **{name: value for name, value in parts.items() if value},
    }
    lines: list[str] = []
    if queries is not None:
        try:
            lines = queries.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            _fail(f"cannot read {queries}: {exc.strerror or exc}")
        except UnicodeDecodeError:
            _fail(f"{queries} is not UTF-8 text")
    registry = _open(db)
    try:
        with registry.session() as session:
            if queries is not None:
                for line in lines:
                    if not line.strip():
                        continue
                    text, options = _query_line(line, base)
                    hits = run_search(session, text, **options)
                    _print_json([_hit_json(h) for h in hits])
                return
            hits = run_search(session, query, **base)
            if json_out:
                _print_json([_hit_json(h) for h in hits])
            else:
                _print_hits(hits)
    finally:
        registry.close()


def _query_line(line: str, base: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A --queries line: the query, then options of its own after a tab."""
    text, _, rest = line.partition("\t")
    options = dict(base)
    words = rest.split()
    i = 0
    year = years = None
    while i < len(words):
        flag = words[i]
        value = words[i + 1] if i + 1 < len(words) else None
        if value is None:
            _fail(f"option {flag} without a value in query line {line!r}")
        if flag == "--type":
            options["act_type"] = _act_type(value)
        elif flag == "--year":
            year = _number(flag, value, line)
        elif flag == "--years":
            years = value
        elif flag == "--commune":
            options["commune"] = value
        elif flag == "--limit":
            options["limit"] = _number(flag, value, line)
        else:
            _fail(f"unknown option {flag} in query line {line!r}")
        i += 2
    if year is not None or years is not None:
        options["years"] = _years(year, years)
    return text.strip(), options


def _act_type(value: str | None) -> str | None:
    from records import ACT_TYPES

    if value is None:
        return None
    if value.strip().lower() not in ACT_TYPES:
        _fail(f"--type takes {', '.join(ACT_TYPES)}, not {value!r}")
    return value.strip().lower()


def _number(flag: str, value: str, line: str) -> int:
    try:
        return int(value)
    except ValueError:
        _fail(f"{flag} takes a number, not {value!r}, in query line {line!r}")
    raise AssertionError("unreachable")


def _hit_json(hit: Any) -> dict[str, Any]:
    data = hit.act.to_json()
    data["score"] = round(hit.score, 4)
    data["why"] = hit.why
    return data


def _print_hits(hits: list[Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table("score", "type", "year", "commune", "n°", "name", "status", "why")
    for hit in hits:
        act = hit.act
        name = " ".join(
            v
            for k in (
                "given_name_fr",
                "family_name_fr",
                "given_name_ar",
                "family_name_ar",
                "husband_family_name_fr",
                "wife_family_name_fr",
            )
            if (v := act.value(k))
        )
        table.add_row(
            f"{hit.score:.2f}",
            act.act_type or "",
            str(act.register_year or ""),
            act.value("commune_fr") or act.value("commune_ar") or "",
            act.act_number or "",
            name,
            act.status,
            "; ".join(hit.why),
        )
    Console().print(table)


@app.command()
def ocr(
    image: Annotated[Path, typer.Argument(help="A page or a single line (PNG, JPEG, TIFF, PDF).")],
    lang: Annotated[
        str | None, typer.Option(help="ara, fra or ara+fra (default: decided by column or line).")
    ] = None,
    no_cleanup: Annotated[
        bool, typer.Option("--no-cleanup", help="Skip deskew, light, noise and rule removal.")
    ] = False,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Accepted like every command's; ocr reads no registry."),
    ] = None,
    page: Annotated[int, typer.Option(help="Page of a multi-page file.")] = 1,
) -> None:
    """Print the text the cleanup + OCR stages read from one image, and nothing else."""
    from ocr.engine import OcrError
    from ocr.tesseract import TesseractEngine
    from pipeline.load import ScanError, load_page
    from pipeline.read import read_text

    if lang not in (None, "ara", "fra", "ara+fra"):
        _fail(f"--lang takes ara, fra or ara+fra, not {lang!r}")
    try:
        pixels = load_page(image, page).image
        lines = read_text(pixels, TesseractEngine(), lang, cleanup=not no_cleanup)
    except (ScanError, OcrError) as exc:
        _fail(str(exc), 1)
    for line in lines:
        sys.stdout.write(line + "\n")


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    secure_cookies: Annotated[
        bool,
        typer.Option(
            "--secure-cookies", help="Mark the session cookie Secure (behind an HTTPS proxy)."
        ),
    ] = False,
) -> None:
    """Start the web application: the reviewers' and clerks' pages and the JSON API.
    Accounts are made with `civreg user add`."""
    import uvicorn

    from civreg.web import create_app
    from registry_loader.search import settle_heap, warm_up

    registry = _open(db)
    with registry.session() as session:
        warm_up(session)
    settle_heap()
    typer.echo(f"civreg: serving {registry.url} on http://{host}:{port}/", err=True)
    try:
        uvicorn.run(
            create_app(registry, secure_cookies=secure_cookies),
            host=host,
            port=port,
            proxy_headers=True,
            server_header=False,
            log_level="info",
        )
    finally:
        registry.close()


lexicon_app = typer.Typer(help="The name lexicons.", no_args_is_help=True)
app.add_typer(lexicon_app, name="lexicon")


@lexicon_app.command("learn")
def lexicon_learn(
    db: DbOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="File to write (default: $CIVREG_CONFIG_DIR/lexicons/names_learned.tsv, "
            "else standard output).",
            show_default=False,
        ),
    ] = None,
    min_acts: Annotated[
        int, typer.Option("--min-acts", min=1, help="Only names held by this many acts.")
    ] = 1,
) -> None:
    """Write the names of accepted acts that the lexicons lack, spelt alike on both sides,
    as a names file the next imports read."""
    import configs
    from registry_loader.export import iter_acts
    from validation.learn import NAMES_FILE, learned_names, write_names
    from validation.lexicon import load as load_lexicon

    if out is None and (folder := configs.override_dir()) is not None:
        out = folder / "lexicons" / NAMES_FILE
    registry = _open(db)
    try:
        with registry.session() as session:
            found = learned_names(iter_acts(session, "accepted"), load_lexicon())
    finally:
        registry.close()
    if out is None:
        count = write_names(found, sys.stdout, min_acts=min_acts)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8") as f:
            count = write_names(found, f, min_acts=min_acts)
    typer.echo(f"civreg: {count} names learnt" + (f", written to {out}" if out else ""), err=True)


user_app = typer.Typer(help="Accounts of the web application.", no_args_is_help=True)
app.add_typer(user_app, name="user")


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="The user name (letters, digits, . _ -).")],
    role: Annotated[str, typer.Option(help="admin, operator, reviewer or clerk.")],
    db: DbOption = None,
) -> None:
    """Create an account. The password is read from standard input (asked twice, unseen,
    on a terminal; else the first line)."""
    import getpass

    from registry_loader.accounts import AccountError, create_user

    if sys.stdin.isatty():
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            _fail("the two passwords differ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    registry = _open(db)
    try:
        with registry.session() as session:
            create_user(session, name, role, password, actor=f"cli:{_os_user()}")
    except AccountError as exc:
        _fail(str(exc))
    finally:
        registry.close()
    typer.echo(f"civreg: user {name} ({role}) created", err=True)


def _os_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def main() -> None:
    app()
