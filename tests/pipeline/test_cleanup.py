"""Image cleanup stages on synthetic pages whose text, rules and defects are known."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw
from pipeline_helpers import blobs, draw_text, rotate, text_page

from pipeline.cleanup import (
    Segment,
    binarize_only,
    clean_page,
    components,
    erase_rules,
    estimate_skew,
    find_rules,
    flatten_light,
    otsu,
    remove_dark_borders,
    remove_punch_holes,
    remove_specks,
    remove_stamps,
    sauvola,
    text_height,
)


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    """An A4 page at 150 dpi: lines of French, 24 px type."""
    return text_page()


def with_square(image: np.ndarray, x: int, y: int, side: int = 40) -> np.ndarray:
    out = image.copy()
    out[y : y + side, x : x + side] = 0
    return out


def square_box(binary: np.ndarray, side: int, tolerance: float = 0.25):
    """The box of the one solid square of about `side` pixels in a binary image."""
    found = [
        (x, y, w, h)
        for x, y, w, h, area in blobs(binary)
        if abs(w - side) <= side * tolerance
        and abs(h - side) <= side * tolerance
        and area > 0.6 * w * h
    ]
    assert len(found) == 1, found
    return found[0]


def center(box) -> tuple[float, float]:
    x, y, w, h = box
    return x + w / 2, y + h / 2


# --- skew ----------------------------------------------------------------------------------


@pytest.mark.parametrize("angle", [3.0, -3.0, 1.2, -4.5, 0.6])
def test_estimate_skew_recovers_a_known_angle(page: np.ndarray, angle: float):
    assert estimate_skew(otsu(rotate(page, angle))) == pytest.approx(angle, abs=0.2)


def test_estimate_skew_of_a_straight_page_is_about_zero(page: np.ndarray):
    assert abs(estimate_skew(otsu(page))) <= 0.2


def test_estimate_skew_without_enough_ink_is_zero():
    blank = np.zeros((400, 400), np.uint8)
    blank[100, 100:150] = 255
    assert estimate_skew(blank) == 0.0


@pytest.mark.parametrize("angle", [3.0, -2.5])
def test_clean_page_deskews_the_page(page: np.ndarray, angle: float):
    clean = clean_page(rotate(page, angle))
    assert any(step.startswith("deskew:") for step in clean.steps)
    assert abs(estimate_skew(clean.binary)) <= 0.2


def test_clean_page_leaves_a_straight_page_unturned(page: np.ndarray):
    clean = clean_page(page)
    assert not any(step.startswith("deskew") for step in clean.steps)
    assert clean.gray.shape == page.shape
    assert np.allclose(clean.to_source, np.eye(3)[:2])


@pytest.mark.parametrize("angle", [3.0, -4.0])
def test_box_to_source_maps_a_box_back_onto_the_skewed_scan(page: np.ndarray, angle: float):
    source = rotate(with_square(page, 900, 60), angle)
    clean = clean_page(source)
    found = square_box(clean.binary, 40)
    mapped = clean.box_to_source(found)
    in_source = square_box(otsu(source), 40, tolerance=0.5)  # the square, turned
    assert center(mapped) == pytest.approx(center(in_source), abs=3)
    # The box around a turned square is a little larger than the square.
    assert in_source[2] - 4 <= mapped[2] <= in_source[2] + 8


def test_box_to_source_maps_through_a_180_degree_turn(page: np.ndarray):
    upside_down = np.ascontiguousarray(with_square(page, 900, 60)[::-1, ::-1])
    clean = clean_page(upside_down, turn=180)
    assert "turn:180" in clean.steps
    found = square_box(clean.binary, 40)
    # In the turned (upright) page the square is back near the top right ...
    assert center(found) == pytest.approx((920, 80), abs=3)
    # ... and in the scan as it was given, near the bottom left.
    h, w = page.shape
    assert center(clean.box_to_source(found)) == pytest.approx((w - 920, h - 80), abs=3)


def test_box_to_source_maps_through_a_turn_and_a_skew(page: np.ndarray):
    source = np.ascontiguousarray(rotate(with_square(page, 900, 60), 2.0)[::-1, ::-1])
    clean = clean_page(source, turn=180)
    mapped = clean.box_to_source(square_box(clean.binary, 40))
    assert center(mapped) == pytest.approx(center(square_box(otsu(source), 40, 0.5)), abs=3)


def test_clean_page_refuses_a_quarter_turn(page: np.ndarray):
    with pytest.raises(ValueError, match="0 or 180"):
        clean_page(page, turn=90)


def test_clean_page_of_a_colour_scan_reads_its_brightest_channel(page: np.ndarray):
    colour = np.dstack([page, page, page]).copy()
    colour[300:400, 500:700] = (40, 40, 220)  # a red stamp (BGR): light in the brightest channel
    clean = clean_page(colour)
    assert "gray:max-channel" in clean.steps
    assert not clean.binary[310:390, 510:690].any()


# --- borders and punch holes ----------------------------------------------------------------


def test_remove_dark_borders_paints_a_scanner_border_as_paper(page: np.ndarray):
    scan = page.copy()
    scan[:, :50] = 20  # the scanner lid along the left edge
    scan[-40:, :] = 30  # and a shadow along the bottom
    cleaned, painted = remove_dark_borders(scan)
    assert painted
    assert cleaned[:, :50].min() > 200 and cleaned[-40:, :].min() > 200


def test_remove_dark_borders_leaves_the_text_alone(page: np.ndarray):
    scan = page.copy()
    scan[:, :50] = 20
    cleaned, _ = remove_dark_borders(scan)
    # The text lies 120 px in: not a pixel of it changes.
    assert np.array_equal(cleaned[:, 100:], scan[:, 100:])


def test_remove_dark_borders_leaves_a_page_without_border_as_it_is(page: np.ndarray):
    cleaned, painted = remove_dark_borders(page)
    assert not painted and cleaned is page


def test_text_touching_the_edge_is_not_a_border():
    image = Image.new("L", (1240, 1754), 255)
    for k in range(12):  # lines running off the right edge of the scan
        draw_text(image, (1080, 120 + 40 * k), "Mohamed Alaoui Sefrou", size=28)
    scan = np.asarray(image)
    cleaned, painted = remove_dark_borders(scan)
    assert not painted and np.array_equal(cleaned, scan)


def punched(page: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int]]]:
    image = Image.fromarray(page.copy())
    draw = ImageDraw.Draw(image)
    holes = [(45, 500), (45, 1250)]
    for x, y in holes:
        draw.ellipse((x - 25, y - 25, x + 25, y + 25), fill=15)
    return np.asarray(image).copy(), holes


def test_remove_punch_holes_paints_the_holes_in_the_side_margin(page: np.ndarray):
    scan, holes = punched(page)
    cleaned, count = remove_punch_holes(scan)
    assert count == 2
    for x, y in holes:
        assert cleaned[y - 25 : y + 26, x - 25 : x + 26].min() > 200


def test_remove_punch_holes_keeps_the_text(page: np.ndarray):
    scan, _ = punched(page)
    cleaned, _ = remove_punch_holes(scan)
    assert np.array_equal(cleaned[:, 110:], scan[:, 110:])


def test_remove_punch_holes_keeps_letters_of_body_size_in_the_margin():
    image = Image.new("L", (1240, 1754), 255)
    for k, family in enumerate(("DejaVu Sans:bold", "DejaVu Serif:bold", "DejaVu Sans")):
        draw_text(image, (104, 200 + 60 * k), "BDMNO 1968 Registre", family, 28)
    draw_text(image, (20, 500), "O", "DejaVu Sans:bold", 60)  # a ring, however large
    scan = np.asarray(image)
    cleaned, count = remove_punch_holes(scan)
    assert count == 0 and np.array_equal(cleaned, scan)


def test_remove_punch_holes_keeps_a_bold_heading_starting_in_the_margin():
    image = Image.new("L", (1240, 1754), 255)
    draw_text(image, (104, 200), "N° 12 Registre des naissances", "DejaVu Sans:bold", 36)
    scan = np.asarray(image)
    cleaned, count = remove_punch_holes(scan)
    assert count == 0 and np.array_equal(cleaned, scan)


def test_a_filled_circle_in_the_body_of_the_page_is_no_punch_hole(page: np.ndarray):
    image = Image.fromarray(page.copy())
    ImageDraw.Draw(image).ellipse((600, 900, 650, 950), fill=15)
    scan = np.asarray(image)
    assert remove_punch_holes(scan)[1] == 0


# --- rules ---------------------------------------------------------------------------------


def ruled(length: int = 1000, y: int = 200) -> np.ndarray:
    """A binary image (ink 255) with a 3-px rule from x=100, and a letter standing on it
    at x=500-510 (and a descender through it at x=700-706)."""
    binary = np.zeros((400, 1240), np.uint8)
    binary[y - 1 : y + 2, 100 : 100 + length] = 255
    binary[y - 30 : y - 1, 500:511] = 255  # a stem standing on the rule
    binary[y - 20 : y + 25, 700:707] = 255  # a descender crossing it
    return binary


def test_find_rules_finds_a_long_rule_and_not_the_letters():
    _, rules_h, rules_v = find_rules(ruled(), min_length=300)
    assert rules_v == []
    assert len(rules_h) == 1
    rule = rules_h[0]
    assert (rule.x0, rule.x1, rule.y0) == pytest.approx((100, 1100, 200), abs=1)
    assert rule.thickness == 3


def test_find_rules_bridges_a_rule_dashed_by_binarization():
    binary = np.zeros((100, 1240), np.uint8)
    for x in range(100, 1100, 22):  # dashes of 20 px with 2-px gaps
        binary[50:52, x : x + 20] = 255
    _, rules_h, _ = find_rules(binary, min_length=300)
    assert len(rules_h) == 1 and rules_h[0].length >= 990


def test_find_rules_does_not_bridge_wide_gaps():
    binary = np.zeros((100, 1240), np.uint8)
    for x in range(100, 1100, 40):  # a row of short marks, 20 px apart: not a rule
        binary[50:52, x : x + 20] = 255
    assert find_rules(binary, min_length=300)[1] == []


def test_find_rules_finds_a_vertical_rule():
    binary = np.zeros((1000, 400), np.uint8)
    binary[50:950, 200:202] = 255
    _, rules_h, rules_v = find_rules(binary, min_length=300)
    assert rules_h == [] and len(rules_v) == 1
    assert rules_v[0].x0 == 201 and rules_v[0].length == 900


def test_find_rules_gives_each_rule_top_to_bottom_even_one_inside_another():
    binary = np.zeros((1000, 2000), np.uint8)
    binary[100:140, 50:1950] = 255  # a thick frame with a hole wider than a rule ...
    binary[115:125, 450:1550] = 0
    binary[118:122, 600:1400] = 255  # ... holding a rule of its own
    binary[600:603, 100:900] = 255
    binary[300:302, 50:500] = 255
    _, rules_h, rules_v = find_rules(binary, min_length=301)
    assert rules_v == []
    found = [(r.y0, r.x0, r.x1, r.thickness) for r in rules_h]
    assert found == sorted(found)
    assert [(y, x0, x1) for y, x0, x1, _ in found] == [
        (120, 50, 1950),
        (120, 600, 1400),
        (301, 50, 500),
        (601, 100, 900),
    ]


def test_clean_page_removes_both_a_border_and_punch_holes(page: np.ndarray):
    scan, _ = punched(page)
    scan = scan.copy()
    scan[:, -40:] = 20  # the scanner lid along the right edge
    clean = clean_page(scan)
    assert "borders" in clean.steps and "punch-holes:2" in clean.steps


def test_erase_rules_clears_the_rule_along_its_length():
    binary = ruled()
    _, rules_h, rules_v = find_rules(binary, min_length=300)
    erased = erase_rules(binary, rules_h, rules_v)
    assert not erased[195:205, 100:490].any() and not erased[195:205, 520:690].any()
    assert not erased[195:205, 720:1100].any()


def test_erase_rules_keeps_a_letter_standing_on_the_rule():
    binary = ruled()
    _, rules_h, rules_v = find_rules(binary, min_length=300)
    erased = erase_rules(binary, rules_h, rules_v)
    assert (erased[170:199, 500:511] == 255).all()  # the stem, whole
    assert (erased[180:225, 700:707] == 255).all()  # the descender, unbroken through the rule


def test_erase_rules_clears_a_vertical_rule():
    binary = np.zeros((1000, 400), np.uint8)
    binary[50:950, 200:202] = 255
    binary[400:420, 100:180] = 255  # text beside it
    erased = erase_rules(binary, [], [Segment(201, 50, 201, 950, 2)])
    assert not erased[:, 196:206].any() and (erased[400:420, 100:180] == 255).all()


def ruled_scan(page: np.ndarray, level: int) -> np.ndarray:
    """The page with a 3-px rule of gray `level` between two lines, and a little noise."""
    scan = page.copy()
    scan[800:803, 100:1140] = level
    noise = np.random.default_rng(0).normal(0, 4, scan.shape)
    return np.clip(scan + noise, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("level", [0, 120, 190, 205])
def test_clean_page_removes_a_rule_even_a_faint_one(page: np.ndarray, level: int):
    clean = clean_page(ruled_scan(page, level))
    assert len(clean.rules_h) == 1
    assert not clean.binary[796:808, 100:1140].any()


def test_sauvola_alone_breaks_a_faint_rule_into_pieces(page: np.ndarray):
    # What the test above relies on: Sauvola alone leaves pieces of a faint rule.
    dashes = sauvola(flatten_light(ruled_scan(page, 190)), 32)[800:803, 100:1140] > 0
    assert 0.1 < dashes.mean() < 0.99


@pytest.mark.parametrize("level", [0, 120])
def test_clean_page_paints_a_dark_rule_out_of_the_gray_page(page: np.ndarray, level: int):
    clean = clean_page(ruled_scan(page, level))
    assert clean.gray[801, 150:1100].min() > 200  # what OCR reads has no rule either


def test_clean_page_keeps_the_text_when_it_removes_a_rule(page: np.ndarray):
    scan = page.copy()
    scan[800:803, 100:1140] = 0
    with_rule, without = clean_page(scan).binary, clean_page(page).binary
    assert abs(int(np.count_nonzero(with_rule)) - int(np.count_nonzero(without))) < 0.01 * int(
        np.count_nonzero(without)
    )


# --- binarization, light, specks, text size -------------------------------------------------


def faded_page(page: np.ndarray) -> np.ndarray:
    """Faded ink (gray 170) on yellowed, unevenly lit paper (235 to 190 across)."""
    h, w = page.shape
    paper = np.linspace(235, 190, w)[None, :].repeat(h, axis=0)
    ink = page < 128
    return np.where(ink, paper - 65, paper).astype(np.uint8)


# --- stamps --------------------------------------------------------------------------------


def stamp_layer(shape: tuple[int, int], grey: int = 170, centre=(640, 700)) -> np.ndarray:
    """A round stamp alone on white: two rings 320 and 250 px across and a word inside."""
    image = Image.new("L", (shape[1], shape[0]), 255)
    draw = ImageDraw.Draw(image)
    cx, cy = centre
    draw.ellipse((cx - 160, cy - 160, cx + 160, cy + 160), outline=grey, width=6)
    draw.ellipse((cx - 125, cy - 125, cx + 125, cy + 125), outline=grey, width=3)
    draw_text(image, (cx - 95, cy - 14), "Conforme", "DejaVu Sans", 30, fill=grey)
    return np.asarray(image)


def stamped(page: np.ndarray, stamp: np.ndarray) -> np.ndarray:
    """The stamp inked over the page (the darker of the two inks wins, as on paper)."""
    return (page.astype(np.float32) * stamp / 255).astype(np.uint8)


def page_height(page: np.ndarray) -> float:
    return text_height(otsu(page))


def test_remove_stamps_paints_a_grey_stamp_out_and_keeps_the_text_under_it(page: np.ndarray):
    stamp = stamp_layer(page.shape)
    image = stamped(page, stamp)
    out, found = remove_stamps(image, page_height(page))
    assert found == 1
    assert (out[(stamp < 255) & (page == 255)] == 255).all()  # the stamp, where alone
    under = (stamp < 255) & (page < 100)
    assert under.sum() > 500  # the stamp does cross lines
    # The text's strokes stay as they were, but for the lightest of their blurred rims
    # (lighter than halfway from the text's grey to the stamp's).
    assert (out[page < 80] == image[page < 80]).all()
    assert (out[page < 128] == image[page < 128]).mean() > 0.97
    # Nothing above or below the stamp (the lines it crosses join it: their rims may go).
    ys = np.nonzero((stamp < 255).any(axis=1))[0]
    reach = 2 * int(page_height(page))
    assert (out[: ys.min() - reach] == image[: ys.min() - reach]).all()
    assert (out[ys.max() + reach :] == image[ys.max() + reach :]).all()


def test_the_darker_arcs_of_an_uneven_stamp_go_too(page: np.ndarray):
    # Stamp ink is uneven: a quarter of the ring 35 levels darker than the rest. (In the
    # margin, where nothing joins the stamp and its grey is its ring's.)
    wide = np.pad(page, ((0, 0), (0, 420)), constant_values=255)
    layer = Image.fromarray(stamp_layer(wide.shape, grey=170, centre=(1440, 700)))
    ImageDraw.Draw(layer).arc((1280, 540, 1600, 860), 0, 90, fill=135, width=6)
    stamp = np.asarray(layer)
    image = stamped(wide, stamp)
    out, found = remove_stamps(image, page_height(page))
    assert found >= 1  # (nothing joins its two rings here)
    assert ((stamp == 135).sum() > 500) and (out[stamp < 255] == 255).all()
    assert (out[:, :1240] == image[:, :1240]).all()  # the text's column untouched


def test_the_slivers_an_erased_rule_leaves_are_not_taken_for_light_text(page: np.ndarray):
    # Beside an erased rule its blurred edge stays, cut into letter-high slivers a pixel or
    # two wide, grey as a stamp: were they letters, the page's text would seem as light as
    # the stamp and the stamp would stay.
    height = page_height(page)
    image = stamped(page, stamp_layer(page.shape))
    slivers = image.copy()
    step = int(height * 1.5)
    for x in (30, 40, page.shape[1] - 40, page.shape[1] - 30):  # two rules' edges
        for y in range(0, page.shape[0] - step, step):
            slivers[y : y + int(height), x : x + 2] = 200
    letters = sum(1 for _, _, w, h, _ in blobs(otsu(page)) if 0.7 * height <= h <= 2.5 * height)
    assert 4 * (page.shape[0] // step) > 0.15 * letters  # more than a tenth of the "letters"
    assert remove_stamps(slivers, height)[1] == 1


def test_a_stamp_as_grey_as_the_text_is_left_alone(page: np.ndarray):
    grey_text = (255 - (255 - page.astype(np.float32)) * 0.35).astype(np.uint8)  # ink at 166
    image = stamped(grey_text, stamp_layer(page.shape))
    out, found = remove_stamps(image, page_height(page))
    assert found == 0 and out is image


def test_a_page_without_a_stamp_is_left_as_it_is(page: np.ndarray):
    out, found = remove_stamps(page, page_height(page))
    assert found == 0 and out is page


def test_clean_page_reads_past_a_stamp(page: np.ndarray):
    stamp = stamp_layer(page.shape)
    clean = clean_page(stamped(page, stamp))
    assert "stamps:1" in clean.steps
    alone = (stamp < 255) & (page == 255)
    assert (clean.binary[alone] == 0).mean() > 0.99 and (clean.gray[alone] == 255).mean() > 0.99
    assert (clean.binary[page < 100] > 0).mean() > 0.9


def test_sauvola_keeps_faded_text(page: np.ndarray):
    faded = faded_page(page)
    binary = sauvola(faded, window=40)
    ink = page < 128
    assert (binary[ink] > 0).mean() > 0.9
    assert (binary[~ink] > 0).mean() < 0.01


def test_sauvola_marks_text_255_and_paper_0(page: np.ndarray):
    binary = sauvola(page, window=40)
    assert set(np.unique(binary).tolist()) == {0, 255}
    assert binary[page < 50].min() == 255


def test_flatten_light_evens_a_lighting_gradient(page: np.ndarray):
    h, w = page.shape
    light = np.linspace(120, 250, w)[None, :].repeat(h, axis=0)  # dark on the left
    lit = (page / 255.0 * light).astype(np.uint8)
    flat = flatten_light(lit)
    paper = page > 200
    left, right = flat[:, 20:120][paper[:, 20:120]], flat[:, -120:-20][paper[:, -120:-20]]
    assert abs(float(np.median(left)) - float(np.median(right))) < 8
    assert np.median(left) > 240
    # The text stays dark against it.
    assert np.median(flat[page < 50]) < 150


def test_remove_specks_drops_specks_and_keeps_letters(page: np.ndarray):
    binary = otsu(page)
    specks = np.zeros_like(binary)
    rng = np.random.default_rng(3)
    ys, xs = rng.integers(0, binary.shape[0], 300), rng.integers(0, binary.shape[1], 300)
    specks[ys, xs] = 255
    noisy = cv2.bitwise_or(binary, specks)
    cleaned = remove_specks(noisy, max_area=2)
    isolated = (specks > 0) & (cv2.dilate(binary, np.ones((3, 3), np.uint8)) == 0)
    assert not cleaned[isolated].any()
    assert (cleaned[binary > 0] == 255).mean() > 0.995


def test_remove_specks_handles_more_components_than_16_bit_labels_count():
    # 250,000 isolated dots (16-bit labels overflow: the 32-bit ones take over) and a block.
    binary = np.zeros((2000, 2000), np.uint8)
    binary[::4, ::4] = 255
    binary[100:140, 100:140] = 255
    count, labels, _, _ = components(binary)
    assert count > 2**16 and labels.dtype == np.int32
    cleaned = remove_specks(binary, max_area=4)
    assert cleaned[100:140, 100:140].all()
    assert np.count_nonzero(cleaned) < 45 * 45  # the block and the dots touching it


def test_remove_specks_returns_the_image_when_there_are_none(page: np.ndarray):
    binary = np.zeros((50, 50), np.uint8)
    binary[10:30, 10:30] = 255
    assert remove_specks(binary, max_area=4) is binary


def test_text_height_scales_with_the_font_size():
    small = text_height(otsu(text_page(size=20)))
    large = text_height(otsu(text_page(size=40, words_a_line=4)))
    assert small > 0
    assert large / small == pytest.approx(2.0, rel=0.2)


def test_text_height_of_a_page_without_text_is_zero():
    assert text_height(np.zeros((500, 500), np.uint8)) == 0.0


def test_binarize_only_moves_nothing(page: np.ndarray):
    clean = binarize_only(rotate(page, 2.0))
    assert clean.steps == ["otsu"] and np.allclose(clean.to_source, np.eye(3)[:2])
    assert clean.box_to_source((10, 20, 30, 40)) == (10, 20, 30, 40)


@pytest.mark.parametrize("shape", [(1, 1), (2, 3), (10, 10), (16, 16), (30, 400)])
def test_clean_page_and_layout_accept_a_tiny_image(shape: tuple[int, int]):
    from pipeline.layout import analyse

    image = np.full(shape, 255, np.uint8)
    clean = clean_page(image)
    assert clean.binary.shape == clean.gray.shape
    assert analyse(clean).lines == ()
