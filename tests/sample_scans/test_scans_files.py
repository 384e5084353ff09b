"""Generated files and their truth: pixels, boxes, page counts, determinism, the committed set."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from sample_scans import fonts
from sample_scans.generate import generate, main, plan
from sample_scans.render import render_page
from sample_scans.truth import SUFFIX, load_truth
from sample_scans.write import write_pages


def _pdf_pages(path: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", path.read_bytes()))


def _truths(folder: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*" + SUFFIX))]


def test_every_file_has_a_truth_naming_it(generated):
    images = sorted(p.name for p in generated.iterdir() if not p.name.endswith(SUFFIX))
    assert sorted(t["file"] for t in _truths(generated)) == images


def test_page_counts_of_multi_page_files_match_the_truth(generated):
    counts = {}
    for truth in _truths(generated):
        path = generated / truth["file"]
        if path.suffix == ".tif":
            counts[path.suffix] = Image.open(path).n_frames
        elif path.suffix == ".pdf":
            counts[path.suffix] = _pdf_pages(path)
        else:
            continue
        assert counts[path.suffix] == len(truth["pages"])
    assert counts.get(".tif", 0) > 1 and counts.get(".pdf", 0) > 1


def test_image_size_and_dpi_match_the_truth(generated):
    for truth in _truths(generated):
        path = generated / truth["file"]
        if path.suffix == ".pdf":
            continue
        image = Image.open(path)
        for page in truth["pages"]:
            image.seek(page["page"] - 1)
            assert list(image.size) == page["size"]
            assert round(image.info["dpi"][0]) == page["dpi"]


def test_act_boxes_lie_inside_the_image_and_hold_ink(generated):
    for truth in _truths(generated):
        path = generated / truth["file"]
        if path.suffix == ".pdf":
            continue
        image = Image.open(path)
        for page in truth["pages"]:
            image.seek(page["page"] - 1)
            pixels = np.asarray(image.convert("L"))
            w, h = page["size"]
            for act in page["acts"]:
                x, y, bw, bh = act["bbox"]
                assert x >= 0 and y >= 0 and bw > 0 and bh > 0
                assert x + bw <= w and y + bh <= h
                assert pixels[y : y + bh, x : x + bw].min() < 128


def test_load_truth_returns_every_act_with_its_file_and_page(generated):
    acts = load_truth(generated)
    expected = sum(len(p["acts"]) for t in _truths(generated) for p in t["pages"])
    assert len(acts) == expected
    assert all((generated / a.file).exists() and a.page >= 1 for a in acts)
    assert {a.fields["act_type"] for a in acts} == {"birth", "death", "marriage"}


def test_same_seed_gives_the_same_truth_and_pixels(tmp_path):
    for run in ("a", "b"):
        generate(tmp_path / run, seed=4, pages=1, formats=["png"], dpis=[150])
    (first,) = sorted((tmp_path / "a").glob("*.png"))
    second = tmp_path / "b" / first.name
    assert first.with_name(first.stem + SUFFIX).read_text() == (
        second.with_name(second.stem + SUFFIX).read_text()
    )
    assert np.array_equal(np.asarray(Image.open(first)), np.asarray(Image.open(second)))


def test_writer_keeps_every_page_of_a_tiff_and_a_pdf(tmp_path):
    pages = [np.full((60, 40), v, np.uint8) for v in (0, 128, 255)]
    write_pages(tmp_path / "x.tif", pages, 150)
    write_pages(tmp_path / "x.pdf", pages, 150)
    assert Image.open(tmp_path / "x.tif").n_frames == 3
    assert _pdf_pages(tmp_path / "x.pdf") == 3


def test_cli_rejects_an_unknown_format(capsys):
    with pytest.raises(SystemExit):
        main(["--seed", "1", "--pages", "1", "--out", "/nonexistent", "--formats", "bmp"])
    assert "png" in capsys.readouterr().err


def test_missing_font_names_its_debian_package(monkeypatch):
    monkeypatch.setattr(fonts, "FONT_DIRS", ())
    monkeypatch.setattr(fonts.shutil, "which", lambda _: None)
    fonts.font_path.cache_clear()
    try:
        with pytest.raises(fonts.FontMissingError, match="fonts-hosny-amiri"):
            fonts.font_path("Amiri")
    finally:
        fonts.font_path.cache_clear()


def test_pages_draw_without_raqm_through_reshaper_and_bidi(monkeypatch):
    monkeypatch.setattr(fonts, "HAS_RAQM", False)
    monkeypatch.setattr(fonts, "load_font", fonts.load_font.__wrapped__)
    files = plan(2, 1)
    page = files[0].pages[0]
    rendered = render_page(page.content, 60, random.Random(0))
    assert rendered.entries.max() > 0 and len(rendered.act_boxes) == len(page.content.acts)
