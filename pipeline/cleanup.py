"""Image cleanup: from a scanned page to a flat, straight, clean grayscale page and its binary.

Each stage is a pure function (numpy in, numpy out). `clean_page` chains them, records what
it did, and keeps the affine transform from cleaned pixels back to the source scan so that
every box found later can point at the original image.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np


@dataclass(frozen=True)
class Segment:
    """A straight ruled line: from (x0, y0) to (x1, y1), thickness in pixels."""

    x0: int
    y0: int
    x1: int
    y1: int
    thickness: int

    @property
    def length(self) -> int:
        return max(abs(self.x1 - self.x0), abs(self.y1 - self.y0))


@dataclass
class CleanPage:
    """A cleaned page. `gray` is what OCR reads, `binary` (text = 255) what layout reads;
    `faint` (text = 255, or None) the letters too faint for `binary`, which layout reads to
    widen a line over them."""

    gray: np.ndarray
    binary: np.ndarray
    rules_h: list[Segment]
    rules_v: list[Segment]
    to_source: np.ndarray  # 2x3 affine: cleaned pixel -> source pixel
    text_height: float  # median height of letters, in cleaned pixels
    steps: list[str] = field(default_factory=list)
    faint: np.ndarray | None = None

    def box_to_source(self, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        """A box in cleaned pixels as the axis-aligned box around it in source pixels."""
        x, y, w, h = box
        corners = np.array([[x, y, 1], [x + w, y, 1], [x, y + h, 1], [x + w, y + h, 1]], float)
        mapped = corners @ self.to_source.T
        x0, y0 = mapped.min(axis=0)
        x1, y1 = mapped.max(axis=0)
        return round(x0), round(y0), round(x1 - x0), round(y1 - y0)


def to_gray(image: np.ndarray) -> np.ndarray:
    """One channel. For colour scans, the brightest channel of each pixel: dark ink stays dark
    while coloured stamps (red, blue, violet) and yellowed paper turn light."""
    if image.ndim == 2:
        return image
    b, g, r = cv2.split(image)
    return cv2.max(cv2.max(b, g), r)


def components(binary: np.ndarray) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """`cv2.connectedComponentsWithStats`, 8-connected: with 16-bit labels, which OpenCV
    finds 3-4 times faster than 32-bit ones (measured: 45 against 165-215 ms on a heavy
    page at 400 dpi); 32-bit ones for an image of more than 65,535 components."""
    try:
        return cv2.connectedComponentsWithStats(binary, connectivity=8, ltype=cv2.CV_16U)
    except cv2.error:  # the 16-bit labels overflowed
        return cv2.connectedComponentsWithStats(binary, connectivity=8, ltype=cv2.CV_32S)


def paper_level(gray: np.ndarray) -> int:
    """The gray level of blank paper: the brightest common level."""
    return int(np.percentile(gray[::4, ::4], 90)) if gray.size else 255


def _dark_components(gray: np.ndarray, paper: int, factor: int):
    """Connected components of clearly dark pixels on a `factor`-times smaller image."""
    small = gray[::factor, ::factor]
    dark = (small < paper * 0.55).astype(np.uint8)
    return components(dark)


def dark_parts(gray: np.ndarray, factor: int = 4) -> tuple[int, tuple]:
    """The paper level and the dark components of a page, which the border and the punch
    hole stages both look at (found once when the first changed nothing)."""
    paper = paper_level(gray)
    return paper, _dark_components(gray, paper, factor)


def _paint(
    gray: np.ndarray, dark: tuple, chosen: np.ndarray, factor: int, grow: int, value: int
) -> np.ndarray:
    """Paint `value` over the `chosen` components of `dark` (found on the `factor`-times
    reduced image), grown by `grow` pixels: each within its own box, not the whole page."""
    _, labels, stats, _ = dark
    out = gray.copy()
    (height, width), (small_h, small_w) = gray.shape, labels.shape
    pad = grow + factor
    kernel = np.ones((grow, grow), np.uint8)
    for i in np.flatnonzero(chosen):
        x, y, w, h = (int(v) * factor for v in stats[i, :4])
        top, left = max(0, y - pad), max(0, x - pad)
        bottom, right = min(height, y + h + pad), min(width, x + w + pad)
        # Full-resolution pixels to reduced ones as cv2.resize's nearest neighbour maps them.
        rows = np.floor(np.arange(top, bottom) * (small_h / height)).astype(np.intp)
        cols = np.floor(np.arange(left, right) * (small_w / width)).astype(np.intp)
        near = labels[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1] == i
        mask = near.take(rows - rows[0], axis=0).take(cols - cols[0], axis=1).astype(np.uint8)
        mask = cv2.dilate(mask, kernel)
        out[top:bottom, left:right][mask > 0] = value
    return out


def remove_dark_borders(
    gray: np.ndarray, factor: int = 4, parts: tuple[int, tuple] | None = None
) -> tuple[np.ndarray, bool]:
    """Paint over dark areas touching the image edge (scanner lid, page shadow).
    Returns the image and whether anything was painted. `parts`: `dark_parts(gray, factor)`
    if already found."""
    paper, dark = parts or dark_parts(gray, factor)
    _, labels, stats, _ = dark
    h, w = labels.shape
    x, y, bw, bh, area = (stats[:, k].astype(np.int64) for k in range(5))
    touches = (x == 0) | (y == 0) | (x + bw == w) | (y + bh == h)
    # A border is large and long along the edge; text touching the edge is not.
    border = touches & (area >= 0.002 * h * w) & (np.maximum(bw, bh) > 0.2 * min(h, w))
    border[0] = False
    if not border.any():
        return gray, False
    return _paint(gray, dark, border, factor, 4 * factor + 1, paper), True


def remove_punch_holes(
    gray: np.ndarray, factor: int = 4, parts: tuple[int, tuple] | None = None
) -> tuple[np.ndarray, int]:
    """Paint over filled round blobs in the outer margins (punch holes). `parts`:
    `dark_parts(gray, factor)` if already found."""
    paper, dark = parts or dark_parts(gray, factor)
    _, labels, stats, _ = dark
    h, w = labels.shape
    short = min(h, w)
    x, y, bw, bh, area = (stats[:, k].astype(np.int64) for k in range(5))
    # Holes are punched near the binding edge.
    in_margin = (x + bw < 0.12 * w) | (x > 0.88 * w)
    ratio = bw / np.maximum(bh, 1)
    round_filled = (ratio > 0.75) & (ratio < 1.33) & (area > 0.65 * bw * bh)
    longest = np.maximum(bw, bh)
    sized = (0.02 * short < longest) & (longest < 0.06 * short)
    holes = in_margin & round_filled & sized
    holes[0] = False
    for i in np.flatnonzero(holes):
        box = gray[y[i] * factor : (y[i] + bh[i]) * factor, x[i] * factor : (x[i] + bw[i]) * factor]
        holes[i] = _is_disc(box, paper)
    if not holes.any():
        return gray, 0
    return _paint(gray, dark, holes, factor, 2 * factor + 1, paper), int(holes.sum())


def _is_disc(box: np.ndarray, paper: int) -> bool:
    """Whether the dark shape in `box` (full resolution) is a solid disc: its widest
    inscribed circle is nearly its own radius. A bold letter is strokes, far thinner."""
    dark = (box < paper * 0.55).astype(np.uint8)
    if not dark.any():
        return False
    inscribed = cv2.distanceTransform(dark, cv2.DIST_L2, 5).max()
    return inscribed >= 0.35 * max(box.shape)


def flatten_light(gray: np.ndarray) -> np.ndarray:
    """Divide by the estimated paper background: evens uneven lighting and paper colour."""
    h, w = gray.shape
    scale = 4
    small = cv2.resize(gray, (max(1, w // scale), max(1, h // scale)), interpolation=cv2.INTER_AREA)
    # Closing removes dark text thinner than the kernel, leaving the paper.
    background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    background = cv2.medianBlur(background, 5)
    background = cv2.resize(background, (w, h), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(gray, np.maximum(background, 1), scale=255)


def sauvola(gray: np.ndarray, window: int, k: float = 0.25) -> np.ndarray:
    """Local (Sauvola) binarization; text = 255. Robust to faded ink and uneven paper.
    The local mean and deviation vary slowly, so they are computed on a reduced image."""
    factor = max(1, window // 12)
    h, w = gray.shape
    small = cv2.resize(
        gray, (max(1, w // factor), max(1, h // factor)), interpolation=cv2.INTER_AREA
    ).astype(np.float32)
    win = max(3, (window // factor) | 1)
    mean = cv2.boxFilter(small, -1, (win, win), borderType=cv2.BORDER_REFLECT)
    sq_mean = cv2.boxFilter(small * small, -1, (win, win), borderType=cv2.BORDER_REFLECT)
    std = cv2.sqrt(np.maximum(sq_mean - mean * mean, 0))
    threshold = mean * (1 + k * (std / 128.0 - 1))
    threshold = np.clip(threshold, 0, 255).astype(np.uint8)
    threshold = cv2.resize(threshold, (w, h), interpolation=cv2.INTER_LINEAR)
    return cv2.compare(gray, threshold, cv2.CMP_LT)


def darkest_half(gray: np.ndarray) -> np.ndarray:
    """The image at half resolution, each pixel the darkest of its four: a stroke one pixel
    thin survives the halving."""
    return cv2.erode(gray, np.ones((2, 2), np.uint8))[::2, ::2]


# Sauvola's k for faint ink: at the page binary's 0.25 a value whose ink faded to a light
# grey (a patch of a faded entry beside a label printed dark) is paper.
FAINT_K = 0.05
# Least share of its box a letter (or a piece of one) inks: a slanted stamp outline, cut into
# letter-high pieces by the threshold, inks less.
LETTER_FILL = 0.15


def faint_ink(flat: np.ndarray, window: int, height: float) -> np.ndarray:
    """Letter-sized ink of a permissive binarization (text = 255): faded entries the page
    binary loses. Found at half resolution (`darkest_half`) at a quarter of the cost. Long
    strokes (rules, borders, dotted baselines joined up) are taken out, then whatever is not
    shaped like a letter or a piece of one: specks and dots lower than half a letter, stamp
    outlines."""
    half = darkest_half(flat)
    height /= 2
    faint = sauvola(half, max(3, window // 2), FAINT_K)
    reach = max(3, int(height * 3))
    for kernel in (np.ones((1, reach), np.uint8), np.ones((reach, 1), np.uint8)):
        faint[cv2.morphologyEx(faint, cv2.MORPH_OPEN, kernel) > 0] = 0
    _, labels, stats, _ = components(faint)
    h, w = stats[:, cv2.CC_STAT_HEIGHT], stats[:, cv2.CC_STAT_WIDTH]
    letter = (h >= 0.45 * height) & (h <= 2.5 * height) & (w <= 8 * height)
    letter &= stats[:, cv2.CC_STAT_AREA] >= LETTER_FILL * h * w
    letter[0] = False
    faint = np.where(letter, 255, 0).astype(np.uint8)[labels]
    return cv2.resize(faint, (flat.shape[1], flat.shape[0]), interpolation=cv2.INTER_NEAREST)


# A stamp: a ring or frame (a rectangle at most STAMP_ASPECT times longer than high) of ink
# STAMP_SPAN letters' height across, inking a ring's share of its box (STAMP_FILL).
STAMP_SPAN = (10, 60)
STAMP_ASPECT = 2.8
STAMP_FILL = (0.05, 0.4)
# Grey a stamp is painted out at: one lighter troubles OCR no more than the paper's noise
# (and what is that light and that large is a faint rule's remnants).
STAMP_LIGHTEST = 200
# Grey levels a stamp must be lighter than nine in ten of the page's letters (their darkest
# pixel): on a page typed in grey or faded, nothing tells the stamp's grey from the text's.
STAMP_CONTRAST = 60
# Grey levels below a stamp's median grey its ink reaches (and is painted out to).
STAMP_DEPTH = 40
# A letter counted for the text's grey is wider than this many letter heights and two
# pixels: a vertical rule's blurred edge, left beside it when the rule is erased, is cut by
# the threshold into letter-high slivers a pixel or two wide and as light as a stamp (a
# tenth of a page's "letters" on some ruled pages).
LETTER_NARROWEST = 0.3


def remove_stamps(flat: np.ndarray, height: float) -> tuple[np.ndarray, int]:
    """Grey stamps painted out as paper, and how many. A stamp in a grayscale scan (or a
    colour one's brightest channel) is a ring or frame of grey ink over the lines, whose
    arcs and lettering OCR reads as letters. Found at half resolution (`darkest_half`) as a
    component of a permissive threshold of a stamp's size and shape (its ring joins what it
    crosses); its box, a letter's height around, is painted paper wherever lighter than
    its median grey less STAMP_DEPTH (or halfway to the text's grey, if that is lighter),
    when the text is STAMP_CONTRAST levels darker."""
    half = darkest_half(flat)
    letter_height = height / 2
    ink = half < paper_level(flat) * 0.88
    count, labels, stats, _ = components(ink.view(np.uint8))
    h, w, area = (stats[:, k] for k in (cv2.CC_STAT_HEIGHT, cv2.CC_STAT_WIDTH, cv2.CC_STAT_AREA))
    shorter, longer = np.minimum(h, w), np.maximum(h, w)
    stamp = (shorter >= STAMP_SPAN[0] * letter_height) & (longer <= STAMP_SPAN[1] * letter_height)
    stamp &= longer <= STAMP_ASPECT * shorter
    stamp &= (area >= STAMP_FILL[0] * h * w) & (area <= STAMP_FILL[1] * h * w)
    stamp[0] = False
    letter = (h >= 0.7 * letter_height) & (h <= 2.5 * letter_height) & (w <= 8 * letter_height)
    letter &= (area >= LETTER_FILL * h * w) & (w > max(2, LETTER_NARROWEST * letter_height))
    letter[0] = False
    if not stamp.any() or not letter.any():
        return flat, 0
    darkest = np.full(count, 255, np.uint8)
    np.minimum.at(darkest, labels[ink], half[ink])
    text_grey = float(np.percentile(darkest[letter], 90))
    out, found = flat, 0
    margin = int(letter_height)
    for i in np.flatnonzero(stamp):
        x, y = stats[i, cv2.CC_STAT_LEFT], stats[i, cv2.CC_STAT_TOP]
        window = (slice(y, y + h[i]), slice(x, x + w[i]))
        grey = float(np.median(half[window][labels[window] == i]))
        if grey > STAMP_LIGHTEST or grey - text_grey < STAMP_CONTRAST:
            continue
        x0, y0 = 2 * max(0, x - margin), 2 * max(0, y - margin)
        x1, y1 = 2 * (x + w[i] + margin), 2 * (y + h[i] + margin)
        out = out.copy() if out is flat else out
        region = out[y0:y1, x0:x1]
        # A stamp's ink is uneven: at 20 levels below its median grey its darker arcs stayed.
        # Down to STAMP_DEPTH below it, but never past halfway to the text's grey: darker
        # than that are the text's blurred rims (taking them, on light pages, read
        # Benjelloun as BenjellLoun).
        region[region > max((grey + text_grey) / 2, grey - STAMP_DEPTH)] = 255
        found += 1
    return out, found


def otsu(gray: np.ndarray) -> np.ndarray:
    """Global Otsu binarization (text = 255); right only for a flattened page."""
    _, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return binary


def estimate_skew(binary: np.ndarray, max_angle: float = 6.0) -> float:
    """The angle in degrees (counter-clockwise on screen) the text lines are turned by,
    found by maximising the sharpness of the horizontal projection profile of text pixels."""
    ys, xs = np.nonzero(binary[::2, ::2])
    if len(xs) < 200:
        return 0.0
    if len(xs) > 150_000:
        pick = np.random.default_rng(0).choice(len(xs), 150_000, replace=False)
        xs, ys = xs[pick], ys[pick]
    xs = xs.astype(np.float64) - xs.mean()
    ys = ys.astype(np.float64)

    def sharpness(angle: float) -> float:
        t = np.tan(np.radians(angle))
        rows = np.round(ys + xs * t).astype(np.int64)
        rows -= rows.min()
        hist = np.bincount(rows)
        return float(np.dot(hist, hist))

    best = max(np.arange(-max_angle, max_angle + 1e-9, 0.5), key=sharpness)
    fine = np.arange(best - 0.5, best + 0.5 + 1e-9, 0.05)
    return float(max(fine, key=sharpness))


def rotation_matrix(shape: tuple[int, int], angle: float) -> tuple[np.ndarray, tuple[int, int]]:
    """3x3 affine turning an image of `shape` by `angle` degrees (counter-clockwise on
    screen), the canvas grown to keep the corners; and the new (width, height)."""
    h, w = shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    new_w, new_h = round(h * sin + w * cos), round(h * cos + w * sin)
    m[0, 2] += new_w / 2 - w / 2
    m[1, 2] += new_h / 2 - h / 2
    return np.vstack([m, [0, 0, 1]]), (new_w, new_h)


def warp(gray: np.ndarray, matrix: np.ndarray, size: tuple[int, int], fill: int) -> np.ndarray:
    return cv2.warpAffine(
        gray,
        matrix[:2],
        size,
        flags=cv2.INTER_CUBIC,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=fill,
    )


def find_rules(
    ink: np.ndarray, min_length: int, gap: int = 2
) -> tuple[np.ndarray, list[Segment], list[Segment]]:
    """Ruled lines and box borders: straight runs of ink at least `min_length` long, bridged
    over gaps of up to `gap` pixels. `ink` should be a permissive binarization, in which a
    faint printed rule stays whole; `min_length` must exceed any run text can make."""
    bridge_h = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((1, 2 * gap + 1), np.uint8))
    bridge_v = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((2 * gap + 1, 1), np.uint8))
    horizontal = cv2.morphologyEx(bridge_h, cv2.MORPH_OPEN, np.ones((1, min_length), np.uint8))
    vertical = cv2.morphologyEx(bridge_v, cv2.MORPH_OPEN, np.ones((min_length, 1), np.uint8))
    mask = cv2.bitwise_or(horizontal, vertical)
    return mask, _segments(horizontal, horizontal=True), _segments(vertical, horizontal=False)


def _doubled(rule: Segment) -> Segment:
    """A segment found at half resolution, in full-resolution pixels."""
    return Segment(2 * rule.x0, 2 * rule.y0, 2 * rule.x1, 2 * rule.y1, 2 * rule.thickness)


def erase_rules(binary: np.ndarray, rules_h: list[Segment], rules_v: list[Segment]) -> np.ndarray:
    """Clear the rules from a binary image along their whole length, widened by a pixel
    for their blurred edges. Along a horizontal rule, ink that touches it from above or
    below (a letter standing on the rule, a descender through it) is kept."""
    out = binary.copy()
    height, width = binary.shape
    near = np.ones((1, 3), np.uint8)
    for rule in rules_h:
        top = max(1, rule.y0 - rule.thickness // 2 - 1)
        bottom = min(height - 1, rule.y0 + (rule.thickness + 1) // 2 + 1)
        x0, x1 = max(0, rule.x0 - 2), min(width, rule.x1 + 2)
        above = cv2.dilate(binary[top - 1 : top, x0:x1], near)[0] > 0
        below = cv2.dilate(binary[bottom : bottom + 1, x0:x1], near)[0] > 0
        band = out[top:bottom, x0:x1]
        band[:, ~(above | below)] = 0
    for rule in rules_v:
        left = max(0, rule.x0 - rule.thickness // 2 - 2)
        right = min(width, rule.x0 + (rule.thickness + 1) // 2 + 2)
        out[max(0, rule.y0 - 2) : rule.y1 + 2, left:right] = 0
    return out


def _segments(mask: np.ndarray, horizontal: bool) -> list[Segment]:
    """The rules of a mask of rules, one a connected piece, top to bottom and left to right.
    The outer contours of the pieces (the top level of a two-level contour hierarchy: every
    8-connected piece has exactly one, even inside another's hole) give their boxes; the
    mask is nearly empty, so this is several times cheaper than labelling every pixel."""
    contours, hierarchy = cv2.findContours(mask, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return []
    links = hierarchy[0]
    outer = [cv2.boundingRect(c) for c, link in zip(contours, links, strict=True) if link[3] < 0]
    out = []
    for x, y, w, h in sorted(outer, key=lambda box: (box[1], box[0])):
        if horizontal:
            out.append(Segment(int(x), int(y + h // 2), int(x + w), int(y + h // 2), int(h)))
        else:
            out.append(Segment(int(x + w // 2), int(y), int(x + w // 2), int(y + h), int(w)))
    return out


def remove_specks(binary: np.ndarray, max_area: int) -> np.ndarray:
    """Drop connected components of at most `max_area` pixels (speckle noise) from a 0/255
    image."""
    _, labels, stats, _ = components(binary)
    small = stats[:, cv2.CC_STAT_AREA] <= max_area
    small[0] = False
    if not small[1:].any():
        return binary
    # Each label's new pixel value, looked up for the whole image at once.
    value = np.where(small, 0, 255).astype(np.uint8)
    value[0] = 0
    return value[labels]


def text_height(binary: np.ndarray) -> float:
    """Median height of letter-sized connected components (a scale estimate for the text)."""
    _, _, stats, _ = components(binary)
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    widths = stats[1:, cv2.CC_STAT_WIDTH]
    areas = stats[1:, cv2.CC_STAT_AREA]
    letters = (heights >= 6) & (heights <= 200) & (widths <= 6 * heights) & (areas >= 12)
    if letters.sum() < 20:
        return 0.0
    return float(np.median(heights[letters]))


def clean_page(image: np.ndarray, turn: int = 0) -> CleanPage:
    """Run every cleanup stage on one page image (grayscale or BGR), turned first by
    `turn` degrees (0 or 180: a page scanned upside down)."""
    steps: list[str] = []
    gray = to_gray(image)
    turned = np.eye(3)
    if turn == 180:
        h, w = gray.shape
        gray = np.ascontiguousarray(gray[::-1, ::-1])
        turned = np.array([[-1.0, 0, w - 1], [0, -1.0, h - 1], [0, 0, 1]])
        steps.append("turn:180")
    elif turn:
        raise ValueError(f"a page is turned by 0 or 180 degrees, not {turn}")
    if image.ndim == 3:
        steps.append("gray:max-channel")
    parts = dark_parts(gray)
    gray, painted = remove_dark_borders(gray, parts=parts)
    if painted:
        steps.append("borders")
    gray, holes = remove_punch_holes(gray, parts=None if painted else parts)
    if holes:
        steps.append(f"punch-holes:{holes}")
    flat = flatten_light(gray)
    steps.append("flatten")

    # A first binarization measures the text size and the skew.
    probe = otsu(flat)
    height = text_height(probe)
    angle = estimate_skew(probe)
    matrix = np.eye(3)
    if abs(angle) > 0.15:
        # estimate_skew gives the angle the text is turned by; turn it back.
        matrix, size = rotation_matrix(flat.shape, -angle)
        flat = warp(flat, matrix, size, fill=255)
        steps.append(f"deskew:{angle:+.2f}")

    window = int(max(15, height * 2.5))
    binary = sauvola(flat, window)
    steps.append(f"sauvola:{window}")
    binary = remove_specks(binary, max_area=max(2, int((height / 10) ** 2)))
    # Rules are found on a permissive threshold, where a faint printed rule stays whole
    # (Sauvola breaks it into dashes); a quarter of the page is longer than any run of text.
    half = darkest_half(flat)
    # (numpy, not cv2.compare: OpenCV takes a Python number for a 1x1 array and fails)
    permissive = ((half < int(paper_level(flat) * 0.82)) * 255).astype(np.uint8)
    # Half resolution is plenty for lines a quarter of the page long, and 4 times cheaper.
    min_length = max(int(height * 4), permissive.shape[1] // 4)
    _, rules_h, rules_v = find_rules(permissive, min_length, gap=1)
    rules_h = [_doubled(r) for r in rules_h]
    rules_v = [_doubled(r) for r in rules_v]
    if rules_h or rules_v:
        cleared = erase_rules(binary, rules_h, rules_v)
        flat = flat.copy()
        flat[(binary > 0) & (cleared == 0)] = 255
        binary = cleared
        steps.append(f"rules:{len(rules_h)}h{len(rules_v)}v")
    stampless, stamps = remove_stamps(flat, height)
    if stamps:
        # After the rules: a stamp's box cut out of a rule would leave pieces too short to
        # be found.
        binary[stampless != flat] = 0
        flat = stampless
        steps.append(f"stamps:{stamps}")
    faint = faint_ink(flat, window, height)
    to_source = np.linalg.inv(matrix @ turned)[:2]
    return CleanPage(flat, binary, rules_h, rules_v, to_source, height, steps, faint)


def binarize_only(image: np.ndarray) -> CleanPage:
    """The least a page needs to be read: grayscale and a global threshold, nothing moved
    (`civreg ocr --no-cleanup`, and the baseline the cleanup stages are measured against)."""
    gray = to_gray(image)
    binary = otsu(gray)
    return CleanPage(gray, binary, [], [], np.eye(3)[:2], text_height(binary), ["otsu"])
