"""The committed sample set: within budget, covering what the pipeline must handle, up to date."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sample_scans.generate import plan
from sample_scans.truth import SUFFIX, load_truth

PAGES_DIR = Path(__file__).resolve().parents[2] / "sample_scans" / "pages"
# The command in sample_scans/README.md:
#   python -m sample_scans.generate --seed 439 --pages 20 --dpis 150,200 --copy-rate 0.15 \
#       --out sample_scans/pages
COMMAND = {"seed": 439, "pages": 20, "dpis": (150, 200), "copy_rate": 0.15}


@pytest.fixture(scope="module")
def truths() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(PAGES_DIR.glob("*" + SUFFIX))]


@pytest.fixture(scope="module")
def pages(truths) -> list[tuple[dict, dict]]:
    return [(t, p) for t in truths for p in t["pages"]]


def test_committed_set_keeps_to_its_budget(truths, pages):
    size = sum(p.stat().st_size for p in PAGES_DIR.iterdir())
    assert 0 < len(pages) <= 20
    assert size <= 30 * 1024 * 1024
    assert all((PAGES_DIR / t["file"]).exists() for t in truths)


def test_committed_truth_parses_into_acts(pages):
    acts = load_truth(PAGES_DIR)
    assert len(acts) == sum(len(p["acts"]) for _, p in pages)


def test_committed_set_covers_types_formats_and_strengths(truths, pages):
    acts = [a for _, p in pages for a in p["acts"]]
    assert {a["fields"]["act_type"] for a in acts} == {"birth", "death", "marriage"}
    assert {Path(t["file"]).suffix for t in truths} == {".png", ".jpg", ".tif", ".pdf"}
    multi = {Path(t["file"]).suffix for t in truths if len(t["pages"]) > 1}
    assert {".tif", ".pdf"} <= multi
    assert {p["strength"] for _, p in pages} == {"clean", "light", "medium", "heavy"}
    assert any(p["dpi"] == 150 for _, p in pages)


def test_committed_set_covers_the_written_variants(pages):
    acts = [a for _, p in pages for a in p["acts"]]
    assert {p["model"]["ar_digits"] for _, p in pages} == {"western", "indic"}
    assert any(k.endswith("_hijri") for a in acts for k in a["fields"])
    assert any(a["marginal_notes"]["ar"] for a in acts)
    assert len({p["model"]["ar_font"] for _, p in pages}) >= 3
    fr_missing = [
        a
        for a in acts
        if any(k.endswith("_ar") and k[:-3] + "_fr" not in a["fields"] for k in a["fields"])
    ]
    assert fr_missing


def test_committed_set_holds_two_copies_of_one_register_page(pages):
    def acts_of(copy):
        return [
            json.dumps(a["fields"], sort_keys=True)
            for _, p in pages
            if p["copy"] == copy
            for a in p["acts"]
        ]

    court = acts_of("court")
    assert court and set(court) <= set(acts_of("bureau"))


def test_committed_set_is_what_the_documented_command_makes(truths):
    planned = plan(
        COMMAND["seed"], COMMAND["pages"], dpis=COMMAND["dpis"], copy_rate=COMMAND["copy_rate"]
    )
    expected = {
        f.name: [p.content.register_fields() | a.fields for p in f.pages for a in p.content.acts]
        for f in planned
    }
    actual = {t["file"]: [a["fields"] for p in t["pages"] for a in p["acts"]] for t in truths}
    assert actual == expected, "regenerate sample_scans/pages with the README command"
