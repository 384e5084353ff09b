"""`civreg lexicon learn`: the names of accepted acts the lexicons lack, as a names file the
next run's lexicon reads."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from cli_helpers import act

from civreg.cli import app
from registry_loader.db import open_registry
from registry_loader.load import PageInfo, load_page
from validation import lexicon

SEFROU = ("Sefrou", "صفرو")


@pytest.fixture
def registry_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'civreg.db'}"
    acts = [
        act("1", "birth", 1995, SEFROU, "accepted", mother_name_ar="تودة", mother_name_fr="Touda"),
        act("2", "birth", 1995, SEFROU, "accepted", mother_name_ar="تودة", mother_name_fr="Touda"),
        # not accepted: nobody has checked it, nothing is learnt from it
        act("3", "birth", 1995, SEFROU, "needs_review", given_name_ar="قزبر", given_name_fr="Qzbr"),
    ]
    with open_registry(url) as registry:
        for n, one in enumerate(acts):
            digest = hashlib.sha256(bytes([n])).hexdigest()
            page = PageInfo(f"p{n}.png", f"/scans/p{n}.png", digest, 1)
            with registry.session() as session:
                load_page(session, page, [one])
    return url


def test_learnt_names_are_written_where_the_lexicon_reads_them(
    runner, registry_url, tmp_path, monkeypatch
):
    config = tmp_path / "config"
    monkeypatch.setenv("CIVREG_CONFIG_DIR", str(config))
    assert lexicon.load.__wrapped__().unknown_name_words("تودة", "ar")
    result = runner.invoke(app, ["lexicon", "learn", "--db", registry_url])
    assert result.exit_code == 0, result.stderr
    written = config / "lexicons" / "names_learned.tsv"
    assert "1 names learnt" in result.stderr and str(written) in result.stderr
    assert written.read_text(encoding="utf-8").splitlines()[1:] == ["arabic\tlatin", "تودة\tTouda"]
    grown = lexicon.load.__wrapped__()
    assert not grown.unknown_name_words("تودة", "ar")
    assert grown.unknown_name_words("قزبر", "ar")


def test_min_acts_and_standard_output(runner, registry_url, monkeypatch):
    monkeypatch.delenv("CIVREG_CONFIG_DIR", raising=False)
    result = runner.invoke(app, ["lexicon", "learn", "--db", registry_url, "--min-acts", "3"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1:] == ["arabic\tlatin"]  # Touda is in two acts only
    result = runner.invoke(app, ["lexicon", "learn", "--db", registry_url])
    assert result.stdout.splitlines()[2:] == ["تودة\tTouda"]
