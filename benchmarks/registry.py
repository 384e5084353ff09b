"""Registry benchmark: bulk load, search latency over a fixed query mix, cross-script recall.

    python benchmarks/registry.py --acts 100000 --db sqlite:////tmp/bench.db \\
        --db postgresql+psycopg://civreg:civreg@127.0.0.1:5432/civreg_bench --reset

1. Generates `--acts` structured acts (`registry_data.py`: lexicon names with Zipf-like
   frequencies, spelling variants, typos, OCR slips, shared family names, twins, one-sided
   acts), 2 x `--pairs` of them planted for the recall check, into a `.jsonl` file.
2. For each database: bulk-loads the file with `registry_loader.import_jsonl` (the library
   call `civreg import x.jsonl` makes, without the flow's validation; two processes parse
   while the main one stores; the refresh it ends with included: ANALYZE and the FTS5 merge, and
   VACUUM on PostgreSQL), and prints acts/s.
3. Runs a fixed mix of `--queries` searches (`registry_loader.search`, limit 20, acts built
   as the CLI and the web API return them), after 30 warm-up queries of another seed and
   the heap settled as `civreg serve` settles it (`registry_loader.search.settle_heap`):
   Arabic full names, Latin full names (spelling variants), cross-script (a one-sided act
   found from the other script), typos, family names filtered by commune, years and type,
   and exact act numbers (commune + year + number). Prints latency percentiles (wall clock,
   and the CPU time of the benchmark's process), and how often the act a query was made
   from is among the results.
4. Recall: `--pairs` (Arabic name, French spelling) pairs drawn from the lexicons, each the
   given name of a person planted twice, once with French names only and once with Arabic
   names only; the query "given family father" in one script must find the act written in
   the other in its top 5. Printed for both directions.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.registry_data import Generator, Name, Person, Target

WORKERS = 2  # processes parsing the file while the main one stores
KINDS = ("arabic", "latin", "cross", "typo", "filtered", "number")
WEIGHTS = (0.2, 0.2, 0.15, 0.15, 0.15, 0.15)


@dataclass
class Query:
    kind: str
    text: str
    options: dict[str, Any]
    target: str  # the act it was made from


@dataclass
class Dataset:
    path: Path
    acts: int
    targets: list[Target]
    planted: list[tuple[Query, Query]]  # (Arabic query, French-only act), (French, Arabic)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


def generate(n: int, pairs: int, seed: int, folder: Path) -> Dataset:
    """Write `n` acts to a .jsonl file; keep a sample of them as query targets."""
    started = time.perf_counter()
    gen = Generator(seed)
    rng = random.Random(seed + 1)
    path = folder / f"registry-{n}.jsonl"
    planted_acts, planted = plant(gen, pairs)
    background = n - len(planted_acts)
    sample: list[Target] = []
    with path.open("w", encoding="utf-8") as out:
        for i, (record, target) in enumerate(gen.acts(background)):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            if len(sample) < 20_000:  # reservoir sample of the targets
                sample.append(target)
            elif (j := rng.randrange(i + 1)) < len(sample):
                sample[j] = target
        for record in planted_acts:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    data = Dataset(path, n, sample, planted)
    data.seconds = time.perf_counter() - started
    return data


def plant(gen: Generator, pairs: int) -> tuple[list[dict[str, Any]], list[tuple[Query, Query]]]:
    """Two acts a (Arabic, French spelling) pair: French names only, Arabic names only."""
    rng = random.Random(gen.seed + 2)
    candidates = [(name, spelling, sex) for sex, names in (("M", gen.male), ("F", gen.female))
                  for name in names for spelling in name.fr]  # fmt: skip
    chosen = rng.sample(candidates, min(pairs, len(candidates)))
    records, queries = [], []
    for name, spelling, sex in chosen:
        family, father = rng.choice(gen.family), rng.choice(gen.male)
        mother = (rng.choice(gen.female), rng.choice(gen.family))
        birth = date(rng.randint(1930, 2019), rng.randint(1, 12), rng.randint(1, 28))
        person = Person(Name(name.ar, (spelling,)), family, sex, birth, father, None, mother)
        commune = rng.choice(gen.places)
        both = []
        for sides in ("fr", "ar"):
            record, target = gen.act("birth", commune, birth.year, person, sides=sides, clean=True)
            records.append(record)
            both.append(target.id)
        fr_family, fr_father = gen.spelling(family), gen.spelling(father)
        queries.append(
            (
                Query("recall", f"{name.ar} {family.ar} {father.ar}", {}, both[0]),
                Query("recall", f"{spelling} {fr_family} {fr_father}", {}, both[1]),
            )
        )
    return records, queries


def query_mix(data: Dataset, count: int, seed: int) -> list[Query]:
    """A fixed mix of queries made from sampled acts."""
    rng = random.Random(seed)
    gen = Generator(seed)
    one_sided = [t for t in data.targets if t.sides != "both"]
    queries = []
    while len(queries) < count:
        kind = rng.choices(KINDS, WEIGHTS)[0]
        pool = one_sided if kind == "cross" and one_sided else data.targets
        target = rng.choice(pool)
        if (query := make_query(kind, target, gen, rng)) is not None:
            queries.append(query)
    return queries


def make_query(kind: str, t: Target, gen: Generator, rng: random.Random) -> Query | None:
    p = t.person
    arabic = f"{p.given.ar} {p.family.ar}"
    latin = f"{gen.spelling(p.given)} {gen.spelling(p.family)}"
    if kind == "arabic":
        return Query(kind, arabic, {}, t.id) if t.sides != "fr" else None
    if kind == "latin":
        return Query(kind, latin, {}, t.id) if t.sides != "ar" else None
    if kind == "cross":
        return Query(kind, latin if t.sides == "ar" else arabic, {}, t.id)
    if kind == "typo":
        given, family = gen.spelling(p.given), gen.spelling(p.family)
        if rng.random() < 0.5:
            given = gen.typo(given)
        else:
            family = gen.typo(family)
        return Query(kind, f"{given} {family}", {}, t.id) if t.sides != "ar" else None
    if kind == "filtered":
        name = p.family.ar if rng.random() < 0.5 else gen.spelling(p.family)
        commune = t.commune.ar if rng.random() < 0.5 else t.commune.fr[0]
        spread = rng.randint(0, 5)
        options: dict[str, Any] = {"commune": commune, "years": (t.year - spread, t.year + spread)}
        if rng.random() < 0.5:
            options["act_type"] = t.act_type
        return Query(kind, name, options, t.id)
    options = {"commune": t.commune.fr[0], "years": (t.year, t.year)}
    if rng.random() < 0.5:
        options["act_type"] = t.act_type
    return Query("number", t.number, options, t.id)


# --- Running -----------------------------------------------------------------------------------


def reset(url: str) -> None:
    """Empty the benchmark database: delete the SQLite file, or drop PostgreSQL's schema."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{parsed.database}{suffix}").unlink(missing_ok=True)
        return
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


def load(url: str, data: Dataset) -> dict[str, Any]:
    """Bulk-load the acts as `civreg import` does (statistics refreshed at the end)."""
    from registry_loader import import_jsonl, open_registry

    with open_registry(url) as registry, registry.session() as session:
        started = time.perf_counter()
        with data.path.open(encoding="utf-8") as lines:
            result = import_jsonl(session, lines, "benchmark", workers=WORKERS)
        seconds = time.perf_counter() - started
    if result.errors:
        raise SystemExit(f"load errors: {result.errors[:5]}")
    return {
        "acts": result.acts,
        "seconds": round(seconds, 1),
        "acts_per_s": round(result.acts / seconds),
    }


def run_queries(
    registry: Any, queries: list[Query], limit: int
) -> list[tuple[Query, float, float, list[str]]]:
    """(query, wall seconds, CPU seconds of this process, ids of the hits) of each query."""
    from registry_loader import search

    out = []
    with registry.session() as session:
        for query in queries:
            started, cpu = time.perf_counter(), time.process_time()
            hits = search(session, query.text, limit=limit, **query.options)
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            session.rollback()  # end the read transaction, as a request would
            out.append((query, elapsed, cpu, [hit.act.id for hit in hits]))
    return out


def percentiles(seconds: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in seconds)
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    return {"p50": round(cuts[49], 1), "p95": round(cuts[94], 1), "p99": round(cuts[98], 1)}


def benchmark(
    url: str, data: Dataset, queries: list[Query], warmup: list[Query], *, skip_load: bool
) -> dict:
    figures: dict[str, Any] = {"db": url.split(":", 1)[0], "acts": data.acts}
    if skip_load:
        figures["load"] = {"acts_per_s": None, "seconds": None}
    else:
        figures["load"] = load(url, data)
    from registry_loader import open_registry
    from registry_loader.search import settle_heap

    registry = open_registry(url)  # one for all queries, as a server has
    run_queries(registry, warmup, 20)
    settle_heap()  # as `civreg serve` does after its warm-up
    timed = run_queries(registry, queries, 20)
    figures["search"] = percentiles([elapsed for _, elapsed, _, _ in timed])
    # The CPU time of this process: steadier than the wall clock where other tenants share
    # the machine (SQLite's work is in it; PostgreSQL's server is not).
    figures["search_cpu"] = percentiles([cpu for _, _, cpu, _ in timed])
    figures["by_kind"] = {}
    for kind in KINDS:
        mine = [(elapsed, q.target in ids) for q, elapsed, _, ids in timed if q.kind == kind]
        if mine:
            figures["by_kind"][kind] = {
                "queries": len(mine),
                **percentiles([e for e, _ in mine]),
                "target_in_top20": round(sum(f for _, f in mine) / len(mine), 3),
            }
    arabic_queries = [a for a, _ in data.planted]
    french_queries = [f for _, f in data.planted]
    for direction, batch in (("ar_to_fr", arabic_queries), ("fr_to_ar", french_queries)):
        found = run_queries(registry, batch, 5)
        figures[f"recall_{direction}"] = round(
            sum(q.target in ids for q, _, _, ids in found) / len(found), 3
        )
    registry.close()
    return figures


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores {cpu}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--acts", type=int, default=10_000)
    parser.add_argument("--db", action="append", required=True, help="database URL (repeat)")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reset", action="store_true", help="empty each database first")
    parser.add_argument("--folder", type=Path, help="where the .jsonl file goes (kept)")
    parser.add_argument(
        "--no-load", action="store_true", help="search a database this run loaded before"
    )
    args = parser.parse_args()

    folder = args.folder or Path(tempfile.mkdtemp(prefix="civreg-registry-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"# {machine()}", flush=True)
    saved = folder / f"registry-{args.acts}-{args.seed}-{args.queries}-{args.pairs}.queries.json"
    acts = folder / f"registry-{args.acts}.jsonl"
    if is_fresh(saved, acts):  # the acts and queries an earlier run generated, unchanged since
        data, queries, warmup = read_queries(saved, acts)
        print(f"# queries of the acts generated before: {saved}", flush=True)
    else:
        data = generate(args.acts, args.pairs, args.seed, folder)  # the same acts for a seed
        print(f"# generated {data.acts} acts in {data.seconds:.0f} s: {data.path}", flush=True)
        queries = query_mix(data, args.queries, args.seed + 10)
        warmup = query_mix(data, 30, args.seed + 20)
        write_queries(saved, data, queries, warmup)
    for url in args.db:
        if args.reset and not args.no_load:
            reset(url)
        figures = benchmark(url, data, queries, warmup, skip_load=args.no_load)
        print(json.dumps(figures, ensure_ascii=False), flush=True)
        print(report(figures), flush=True)


def is_fresh(saved: Path, acts: Path) -> bool:
    """Whether `saved` holds the queries of the acts file as it is: written after it (a
    run that generates other acts rewrites the file, and then its queries)."""
    return saved.exists() and acts.exists() and saved.stat().st_mtime >= acts.stat().st_mtime


def write_queries(path: Path, data: Dataset, queries: list[Query], warmup: list[Query]) -> None:
    """Keep a run's queries beside its acts: a later run with the same arguments needs not
    generate the acts again (200 s for a million)."""
    planted = [q for pair in data.planted for q in pair]
    content = {
        "acts": data.acts,
        "queries": [asdict(q) for q in queries],
        "warmup": [asdict(q) for q in warmup],
        "planted": [asdict(q) for q in planted],
    }
    path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")


def read_queries(path: Path, acts: Path) -> tuple[Dataset, list[Query], list[Query]]:
    content = json.loads(path.read_text(encoding="utf-8"))
    planted = [_query(q) for q in content["planted"]]
    pairs = list(zip(planted[::2], planted[1::2], strict=True))
    return (
        Dataset(acts, content["acts"], [], pairs),
        [_query(q) for q in content["queries"]],
        [_query(q) for q in content["warmup"]],
    )


def _query(item: dict[str, Any]) -> Query:
    """A saved query; JSON turned its years (low, high) into a list."""
    options = {k: tuple(v) if isinstance(v, list) else v for k, v in item["options"].items()}
    return Query(item["kind"], item["text"], options, item["target"])


def report(f: dict[str, Any]) -> str:
    load, s = f["load"], f["search"]
    lines = [
        f"{f['db']} {f['acts']} acts: load {load['acts_per_s']} acts/s ({load['seconds']} s);"
        f" search p50 {s['p50']} ms, p95 {s['p95']} ms,"
        f" p99 {s['p99']} ms; recall@5 ar->fr {f['recall_ar_to_fr']:.1%},"
        f" fr->ar {f['recall_fr_to_ar']:.1%}",
        "  search CPU of this process: p50 {p50} ms, p95 {p95} ms, p99 {p99} ms".format(
            **f["search_cpu"]
        ),
    ]
    for kind, k in f["by_kind"].items():
        lines.append(
            f"  {kind:9} {k['queries']:4} queries: p50 {k['p50']} ms, p95 {k['p95']} ms,"
            f" p99 {k['p99']} ms; the act queried among the 20 hits {k['target_in_top20']:.1%}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
