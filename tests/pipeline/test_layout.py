"""Layout: the gutter between the French and Arabic columns, and the text lines of a column."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw
from pipeline_helpers import (
    ARABIC_WORDS,
    FADED_ENTRIES,
    FRENCH_WORDS,
    draw_text,
    faded_entry_page,
    fitted,
    text_page,
    two_column_page,
)

from pipeline.cleanup import clean_page, otsu, text_height
from pipeline.layout import analyse, content_box, find_gutter, find_lines, line_pitch


@pytest.fixture(scope="module")
def columns():
    """A two-column page (French left, Arabic right, gutter at x=620) and its line boxes."""
    return two_column_page()


def gutter_of(image: np.ndarray) -> int | None:
    return analyse(clean_page(image)).gutter


def clear_of_text(x: int, french, arabic) -> bool:
    return max(b[0] + b[2] for b in french) < x < min(b[0] for b in arabic)


# --- the gutter ----------------------------------------------------------------------------


def test_find_gutter_finds_the_paper_between_two_columns(columns):
    image, french, arabic = columns
    gutter = gutter_of(image)
    assert gutter is not None and clear_of_text(gutter, french, arabic)


def test_find_gutter_takes_a_vertical_rule_near_the_middle(columns):
    image, _, _ = columns
    ruled = image.copy()
    ruled[40:860, 600:602] = 0  # off the centre of the clear band, still between the columns
    clean = clean_page(ruled)
    assert [r.x0 for r in clean.rules_v] == [pytest.approx(601, abs=1)]
    assert analyse(clean).gutter == pytest.approx(601, abs=1)


def test_find_gutter_ignores_a_rule_far_from_the_middle(columns):
    image, french, arabic = columns
    binary = otsu(image)
    content = content_box(binary, 11)
    gutter = find_gutter(binary, content, [content[0] + 5], 11)  # a box border on the left
    assert gutter is not None and clear_of_text(gutter, french, arabic)


def test_find_gutter_sees_through_a_stamp_crossing_the_middle(columns):
    image, french, arabic = columns
    stamped = Image.fromarray(image.copy())
    draw = ImageDraw.Draw(stamped)
    draw.ellipse((520, 250, 720, 450), outline=0, width=4)  # a round stamp over the gutter
    draw.ellipse((540, 270, 700, 430), outline=0, width=3)
    gutter = gutter_of(np.asarray(stamped))
    assert gutter is not None and clear_of_text(gutter, french, arabic)


def test_find_gutter_of_a_one_column_page_is_none():
    assert gutter_of(text_page(words_a_line=12)) is None


@pytest.mark.parametrize("width", [2, 10, 16, 40])
def test_find_gutter_of_content_narrower_than_the_text_does_not_fail(width: int):
    binary = np.zeros((60, width), np.uint8)
    binary[10:50, : width // 2] = 255
    gutter = find_gutter(binary, (0, 0, width, 60), [], 20)
    assert gutter is None or 0 <= gutter < width


def test_analyse_puts_french_lines_left_and_arabic_lines_right(columns):
    image, french, arabic = columns
    layout = analyse(clean_page(image))
    assert len(layout.side("fr")) == len(french) and len(layout.side("ar")) == len(arabic)
    assert layout.side("") == []
    for line in layout.side("fr"):
        assert line.box[0] + line.box[2] <= layout.gutter
    for line in layout.side("ar"):
        assert line.box[0] >= layout.gutter
    # Each drawn line is found where it was drawn.
    for drawn, found in zip(french + arabic, layout.side("fr") + layout.side("ar"), strict=True):
        assert abs(found.center_y - (drawn[1] + drawn[3] / 2)) < 4


def test_analyse_orders_lines_top_to_bottom(columns):
    image, _, _ = columns
    lines = analyse(clean_page(image)).lines
    assert [line.center_y for line in lines] == sorted(line.center_y for line in lines)


def test_analyse_without_columns_gives_lines_no_side(columns):
    image, french, _ = columns
    layout = analyse(clean_page(image), columns=False)
    assert layout.gutter is None
    assert {line.side for line in layout.lines} == {""}
    assert len(layout.lines) == len(french)  # each French line and its Arabic twin as one


def test_content_box_ignores_a_stray_speck_near_the_edge(columns):
    image, french, arabic = columns
    binary = otsu(image)
    binary[5, 3] = 255  # one speck in the corner
    x, y, _, _ = content_box(binary, 11)
    assert x >= min(b[0] for b in french) - 2 and y >= min(b[1] for b in french + arabic) - 2


# --- line pitch ----------------------------------------------------------------------------


def profile_of(lines: list[tuple[int, int, int]], height: int = 600) -> np.ndarray:
    """A row ink profile: (top, rows, ink a row) for each line."""
    profile = np.zeros(height)
    for top, rows, ink in lines:
        profile[top : top + rows] = ink
    return profile


def test_line_pitch_is_the_distance_between_lines():
    profile = profile_of([(y, 20, 300) for y in range(50, 550, 40)])
    assert line_pitch(profile, 20) == pytest.approx(40, abs=1)


def test_line_pitch_holds_where_lines_touch():
    # Lines 30 px apart whose ink runs 28 rows and whose descenders fill the gaps.
    profile = profile_of([(y, 30, 40) for y in range(40, 560, 30)])
    for y in range(40, 560, 30):
        profile[y + 8 : y + 22] = 300
    assert line_pitch(profile, 14) == pytest.approx(30, abs=1)


def test_line_pitch_of_a_single_line_is_none():
    assert line_pitch(profile_of([(100, 20, 300)]), 20) is None


def test_line_pitch_holds_where_long_and_short_lines_alternate():
    lines = [(y, 20, 300 if k % 2 == 0 else 40) for k, y in enumerate(range(40, 560, 38))]
    assert line_pitch(profile_of(lines), 12) == pytest.approx(38, abs=1)


# --- lines of a column ---------------------------------------------------------------------


def arabic_column(family: str, pitch: float, size: int = 28, lines: int = 12, seed: int = 1):
    """Arabic lines `pitch` x `size` apart, right-aligned; the binary and the drawn boxes."""
    rng = np.random.default_rng(seed)
    image = Image.new("L", (700, int(60 + lines * size * pitch + 2 * size)), 255)
    boxes, y = [], 30
    for _ in range(lines):
        text = fitted(rng, ARABIC_WORDS, family, size, 600, rtl=True)
        boxes.append(draw_text(image, (650, y), text, family, size, rtl=True, anchor="ra"))
        y += int(size * pitch)
    return otsu(np.asarray(image)), boxes


def rows_with_ink(binary: np.ndarray) -> int:
    """How many separate bands of inked rows a column has."""
    inked = np.count_nonzero(binary, axis=1) > 0
    return int(np.count_nonzero(inked[1:] & ~inked[:-1]) + inked[0])


def assert_one_box_a_line(found, drawn, tolerance: float) -> None:
    assert len(found) == len(drawn)
    for (_, fy, _, fh), (_, dy, _, dh) in zip(found, drawn, strict=True):
        assert abs((fy + fh / 2) - (dy + dh / 2)) <= tolerance


@pytest.mark.parametrize(("family", "pitch"), [("DejaVu Sans", 1.0), ("Amiri", 1.15)])
def test_find_lines_splits_arabic_lines_that_touch(family: str, pitch: float):
    binary, drawn = arabic_column(family, pitch)
    assert rows_with_ink(binary) <= 2  # descenders and dots join the lines into one band
    assert_one_box_a_line(find_lines(binary, text_height(binary)), drawn, tolerance=6)


def test_find_lines_joins_dots_to_their_line():
    binary, drawn = arabic_column("Scheherazade", 1.3)
    assert rows_with_ink(binary) > len(drawn)  # dots and marks stand in bands of their own
    found = find_lines(binary, text_height(binary))
    assert_one_box_a_line(found, drawn, tolerance=4)
    for (_, fy, _, fh), (_, dy, _, dh) in zip(found, drawn, strict=True):
        assert fy <= dy + 1 and fy + fh >= dy + dh - 1  # the dots are inside the box


def test_find_lines_keeps_separate_lines_separate():
    binary, drawn = arabic_column("DejaVu Sans", 1.8)
    assert_one_box_a_line(find_lines(binary, text_height(binary)), drawn, tolerance=2)


def test_find_lines_leaves_out_specks_far_from_the_words():
    binary, drawn = arabic_column("DejaVu Sans", 1.8, lines=3)
    binary = np.pad(binary, ((0, 0), (300, 0)))  # a wide margin on the left
    binary[drawn[1][1] + 10, 5:7] = 255  # a speck in it, at the height of line 2
    found = find_lines(binary, text_height(binary))
    assert len(found) == 3 and found[1][0] >= 300 + drawn[1][0] - 2


def test_find_lines_leaves_out_a_thin_vertical_rule_cleanup_left():
    binary, drawn = arabic_column("DejaVu Sans", 1.8, lines=4)
    binary = np.pad(binary, ((0, 0), (0, 300)))
    binary[:, 950:952] = 255  # a rule down the whole column, far right of the words
    found = find_lines(binary, text_height(binary))
    assert_one_box_a_line(found, drawn, tolerance=2)
    for (fx, _, fw, fh), (_, _, _, dh) in zip(found, drawn, strict=True):
        assert fx + fw < 900 and fh <= dh + 4  # neither wider nor taller for the rule


def test_find_lines_of_an_empty_column_is_empty():
    assert find_lines(np.zeros((0, 0), np.uint8), 20) == []
    assert find_lines(np.zeros((300, 200), np.uint8), 20) == []


def test_find_lines_keeps_one_word_lines_between_long_lines_apart():
    rng = np.random.default_rng(2)
    image = Image.new("L", (700, 900), 255)
    drawn, y = [], 30
    for k in range(14):
        text = fitted(rng, FRENCH_WORDS, "DejaVu Serif", 24, 600) if k % 2 == 0 else "Néant"
        drawn.append(draw_text(image, (40, y), text, "DejaVu Serif", 24))
        y += int(24 * 1.6)
    binary = otsu(np.asarray(image))
    assert len(find_lines(binary, text_height(binary))) == len(drawn)


def test_a_line_is_widened_over_its_faded_value_and_not_over_rules_or_the_border():
    page, labels, values = faded_entry_page()
    clean = clean_page(page)
    # (cleanup may turn the page by a fraction of a degree: boxes are compared within 8 px)
    for vx, vy, vw, vh in values:  # the page binary lost the values; the faint ink holds them
        strict = np.count_nonzero(clean.binary[vy : vy + vh, vx : vx + vw])
        assert strict < 0.1 * np.count_nonzero(clean.faint[vy : vy + vh, vx : vx + vw])
    lines = analyse(clean, columns=False).lines
    assert len(lines) == len(FADED_ENTRIES)
    for line, (lx, _, _, lh), (vx, _, vw, _) in zip(lines, labels, values, strict=True):
        x, _, w, h = line.box
        assert abs(x - lx) <= 8  # not widened to the faint border 18 px left of the label
        assert abs(x + w - (vx + vw)) <= 8  # the whole value, not the baseline running on
        assert h <= lh + 8  # the baseline under the line is no part of it


def test_without_the_faint_ink_a_line_stops_at_its_label():
    page, labels, _ = faded_entry_page()
    clean = clean_page(page)
    clean.faint = None
    lines = analyse(clean, columns=False).lines
    assert len(lines) == len(FADED_ENTRIES)
    for line, (lx, _, lw, _) in zip(lines, labels, strict=True):
        assert line.box[0] + line.box[2] <= lx + lw + 8
