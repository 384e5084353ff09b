"""The registry benchmark keeps its queries so a `--no-load` run needs no new acts."""

from __future__ import annotations

import os

from benchmarks.registry import generate, is_fresh, query_mix, read_queries, write_queries


def test_saved_queries_read_back_as_they_were_made(tmp_path):
    data = generate(300, 4, 7, tmp_path)
    queries, warmup = query_mix(data, 40, 17), query_mix(data, 5, 27)
    saved = tmp_path / "q.json"
    write_queries(saved, data, queries, warmup)
    back, back_queries, back_warmup = read_queries(saved, data.path)
    assert back_queries == queries and back_warmup == warmup
    assert back.planted == data.planted and back.acts == 300
    assert any(isinstance(q.options.get("years"), tuple) for q in queries)


def test_saved_queries_are_used_only_while_their_acts_are_unchanged(tmp_path):
    acts, saved = tmp_path / "acts.jsonl", tmp_path / "q.json"
    acts.write_text("{}\n")
    assert not is_fresh(saved, acts)
    saved.write_text("{}")
    os.utime(acts, (1, 1))
    assert is_fresh(saved, acts)
    os.utime(acts, None)  # the acts generated again, after their queries
    os.utime(saved, (1, 1))
    assert not is_fresh(saved, acts)
