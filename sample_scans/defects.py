"""Scan defects: from the clean ink layers to a scanned-looking page, boxes carried along."""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageDraw

from sample_scans import fonts
from sample_scans.model import RenderStyle
from sample_scans.render import RenderedPage

STRENGTHS = ("clean", "light", "medium", "heavy")
MIXED_WEIGHTS = (0.2, 0.35, 0.3, 0.15)
UPSIDE_DOWN_RATE = 1 / 40
STAMP_INKS = ((40, 60, 170), (95, 45, 150), (175, 40, 55))
Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class DefectPlan:
    """What to do to one page; amounts in pixels are at 200 dpi and scaled to the page."""

    strength: str
    skew_deg: float  # counter-clockwise as seen on the image
    upside_down: bool = False
    yellowing: float = 0.0  # 0-1
    lighting: float = 0.0  # relative amplitude of the uneven lighting
    speckle: float = 0.0  # specks per pixel
    noise: float = 0.0  # sensor noise, grey levels
    blur: float = 0.0  # Gaussian sigma
    jpeg_quality: int | None = None
    fading: float = 0.0  # 0-1, how much ink patches lose
    bleed: float = 0.0  # sigma of the ink spread
    stamp: bool = False
    punch_holes: bool = False
    dark_border: bool = False


def _u(rng: random.Random, lo: float, hi: float, p: float = 1.0) -> float:
    return rng.uniform(lo, hi) if rng.random() < p else 0.0


def draw_plan(rng: random.Random, strength: str, upside_down_rate: float = 0.0) -> DefectPlan:
    """Random defects of a strength ('clean', 'light', 'medium', 'heavy')."""
    if strength == "clean":
        return DefectPlan("clean", 0.0)
    level = STRENGTHS.index(strength)  # 1..3
    skew_max = (1.0, 3.0, 5.0)[level - 1]
    return DefectPlan(
        strength=strength,
        skew_deg=round(rng.uniform(-skew_max, skew_max), 2),
        upside_down=rng.random() < upside_down_rate,
        yellowing=_u(rng, 0.1 * level, 0.3 * level, (0.3, 0.6, 0.9)[level - 1]),
        lighting=_u(rng, 0.03 * level, 0.07 * level, (0.5, 0.8, 1.0)[level - 1]),
        speckle=_u(rng, 1e-5 * level, 4e-5 * level**2, (0.4, 0.8, 1.0)[level - 1]),
        noise=_u(rng, 2.0 * level, 4.0 * level, (0.3, 0.7, 1.0)[level - 1]),
        blur=_u(rng, 0.3 * level, 0.45 * level, (0.4, 0.7, 0.9)[level - 1]),
        jpeg_quality=(rng.randint(80, 92), rng.randint(55, 75), rng.randint(30, 50))[level - 1],
        fading=_u(rng, 0.2 * level, 0.22 * level, (0.2, 0.5, 0.7)[level - 1]),
        bleed=_u(rng, 0.4 * level, 0.6 * level, (0.1, 0.3, 0.5)[level - 1]),
        stamp=rng.random() < (0.2, 0.5, 0.8)[level - 1],
        punch_holes=rng.random() < (0.1, 0.3, 0.5)[level - 1],
        dark_border=rng.random() < (0.2, 0.5, 0.8)[level - 1],
    )


@dataclass(frozen=True)
class ScannedPage:
    image: np.ndarray  # uint8, H x W x 3 (colour) or H x W (grayscale)
    act_boxes: tuple[Box, ...]
    defects: tuple[str, ...]
    skew_deg: float
    rotation: int


def _field(rng: np.random.Generator, shape: tuple[int, int], cells: int) -> np.ndarray:
    """Smooth random field in [0, 1]."""
    small = rng.random((cells, cells)).astype(np.float32)
    big = cv2.resize(small, (shape[1], shape[0]), interpolation=cv2.INTER_CUBIC)
    return np.clip(big, 0.0, 1.0)


def _ink_layers(page: RenderedPage, plan: DefectPlan, rng: np.random.Generator, scale: float):
    """The two coverage layers (uint8) after bleeding and fading."""
    form, entries = page.form, page.entries
    if plan.bleed:
        sigma = plan.bleed * scale
        form, entries = (
            cv2.max(layer, cv2.convertScaleAbs(cv2.GaussianBlur(layer, (0, 0), sigma), alpha=1.5))
            for layer in (form, entries)
        )
    if plan.fading:
        patches = _field(rng, form.shape, 7) ** 2
        entries = (entries * (1.0 - plan.fading * patches)).astype(np.uint8)
        form = (form * (1.0 - 0.6 * plan.fading * patches)).astype(np.uint8)
    return form, entries


def _compose(form: np.ndarray, entries: np.ndarray, style: RenderStyle) -> np.ndarray:
    """Paper with the form ink then the entry ink laid over it (float32 RGB)."""
    # A table over (form coverage, entry coverage): one lookup per pixel.
    a = np.arange(256, dtype=np.float32)[:, None, None] / 255.0 * 0.95
    b = np.arange(256, dtype=np.float32)[None, :, None] / 255.0 * 0.95
    paper, form_ink, entry_ink = (
        np.array(c, np.float32) for c in (style.paper, style.form_ink, style.entry_ink)
    )
    table = ((paper * (1 - a) + form_ink * a) * (1 - b) + entry_ink * b).reshape(-1, 3)
    index = (form.astype(np.uint16) << 8) | entries
    return table[index]


def _stamp_mask(lines: tuple[str, str], dpi: int, rng: np.random.Generator) -> np.ndarray:
    """Coverage of a round or rectangular stamp with two lines of text."""
    mm = dpi / 25.4
    round_stamp = rng.random() < 0.6
    w, h = (int(38 * mm), int(38 * mm)) if round_stamp else (int(55 * mm), int(24 * mm))
    image = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(image)
    lw = max(2, int(0.6 * mm))
    if round_stamp:
        draw.ellipse([lw, lw, w - lw, h - lw], outline=255, width=lw)
        draw.ellipse([4 * mm, 4 * mm, w - 4 * mm, h - 4 * mm], outline=255, width=max(1, lw // 2))
    else:
        draw.rectangle([lw, lw, w - lw, h - lw], outline=255, width=lw)
        draw.rectangle(
            [2.5 * mm, 2.5 * mm, w - 2.5 * mm, h - 2.5 * mm], outline=255, width=max(1, lw // 2)
        )
    size = int(3.6 * mm)
    ar_font = fonts.load_font("Amiri", int(size * 1.1), True)
    lat_font = fonts.load_font("DejaVu Sans", int(size * 0.8), True)
    if fonts.HAS_RAQM:
        draw.text(
            (w / 2, h / 2 - size * 0.2),
            lines[0],
            font=ar_font,
            fill=255,
            anchor="ms",
            direction="rtl",
            language="ar",
        )
    else:
        draw.text(
            (w / 2, h / 2 - size * 0.2),
            fonts.visual_order(lines[0]),
            font=ar_font,
            fill=255,
            anchor="ms",
        )
    draw.text((w / 2, h / 2 + size * 1.1), lines[1], font=lat_font, fill=255, anchor="ms")
    angle = float(rng.uniform(-35, 35))
    image = image.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True)
    mask = np.asarray(image, np.float32) / 255.0
    return mask * (0.55 + 0.45 * _field(rng, mask.shape, 5))


def _stamp(
    img: np.ndarray,
    boxes: tuple[Box, ...],
    lines: tuple[str, str],
    dpi: int,
    rng: np.random.Generator,
) -> None:
    mask = _stamp_mask(lines, dpi, rng)
    mh, mw = mask.shape
    x, y, w, h = boxes[int(rng.integers(len(boxes)))] if boxes else (0, 0, *img.shape[1::-1])
    cx = x + w * float(rng.choice([0.2, 0.5, 0.8])) + rng.normal(0, w * 0.05)
    cy = y + h * float(rng.uniform(0.5, 1.0))
    x0, y0 = int(cx - mw / 2), int(cy - mh / 2)
    H, W = img.shape[:2]
    sx0, sy0, sx1, sy1 = max(0, -x0), max(0, -y0), min(mw, W - x0), min(mh, H - y0)
    if sx1 <= sx0 or sy1 <= sy0:
        return
    m = mask[sy0:sy1, sx0:sx1, None] * float(rng.uniform(0.6, 0.85))
    ink = np.array(STAMP_INKS[int(rng.integers(len(STAMP_INKS)))], np.float32) / 255.0
    region = img[y0 + sy0 : y0 + sy1, x0 + sx0 : x0 + sx1]
    region *= 1.0 - m * (1.0 - ink)


def _paper_age(img: np.ndarray, plan: DefectPlan, rng: np.random.Generator) -> None:
    """Yellowed paper and uneven lighting, as one smooth gain map computed small."""
    H, W = img.shape[:2]
    h, w = max(8, H // 16), max(8, W // 16)
    gain = np.ones((h, w, 3), np.float32)
    if plan.yellowing:
        tint = np.array([1.0, 0.96, 0.84], np.float32)
        amount = plan.yellowing * (0.6 + 0.4 * _field(rng, (h, w), 4))[..., None]
        gain *= 1.0 - amount * (1.0 - tint)
    if plan.lighting:
        angle = rng.uniform(0, 2 * math.pi)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        ramp = (xx / w - 0.5) * math.cos(angle) + (yy / h - 0.5) * math.sin(angle)
        light = 1.0 + plan.lighting * (ramp * 1.6 - 0.6 * _field(rng, (h, w), 3))
        gain *= np.clip(light, 0.5, 1.1)[..., None]
    img *= cv2.resize(gain, (W, H), interpolation=cv2.INTER_LINEAR)


def _punch_holes(img: np.ndarray, dpi: int, rng: np.random.Generator) -> None:
    mm = dpi / 25.4
    H = img.shape[0]
    x = int(rng.uniform(7, 10) * mm)
    r = int(rng.uniform(2.6, 3.2) * mm)
    shade = float(rng.uniform(30, 90))
    for dy in (-40 * mm, 40 * mm):
        cy = int(H / 2 + dy + rng.normal(0, 2 * mm))
        cv2.circle(img, (x, cy), r, (shade, shade, shade), -1, lineType=cv2.LINE_AA)
        cv2.circle(img, (x, cy), r, (shade + 60,) * 3, max(1, int(0.3 * mm)), cv2.LINE_AA)


def _rotate(img: np.ndarray, boxes: tuple[Box, ...], angle: float, border: tuple) -> tuple:
    H, W = img.shape[:2]
    matrix = cv2.getRotationMatrix2D((W / 2, H / 2), angle, 1.0)
    out = cv2.warpAffine(
        img,
        matrix,
        (W, H),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=border,
    )
    moved = []
    for x, y, w, h in boxes:
        corners = np.array([[x, y, 1], [x + w, y, 1], [x, y + h, 1], [x + w, y + h, 1]], float)
        pts = corners @ matrix.T
        x0, y0 = np.clip(pts.min(axis=0), 0, [W - 1, H - 1])
        x1, y1 = np.clip(pts.max(axis=0), 0, [W - 1, H - 1])
        moved.append((int(x0), int(y0), math.ceil(x1 - x0), math.ceil(y1 - y0)))
    return out, tuple(moved)


def _dark_border(img: np.ndarray, dpi: int, rng: np.random.Generator) -> None:
    mm = dpi / 25.4
    H, W = img.shape[:2]
    dark = float(rng.uniform(15, 55))
    for edge in rng.choice(4, size=int(rng.integers(1, 4)), replace=False):
        length = W if edge in (0, 1) else H
        base = rng.uniform(1.5, 7) * mm
        wobble = cv2.resize(
            rng.random((1, 8)).astype(np.float32), (length, 1), interpolation=cv2.INTER_CUBIC
        )[0]
        widths = base * (0.6 + 0.8 * np.clip(wobble, 0, 1))
        depth = np.arange(int(widths.max()) + 2, dtype=np.float32)
        m = np.clip(widths[None, :] - depth[:, None], 0, 1)  # depth x length
        if edge == 0:
            region, m = img[: m.shape[0], :], m
        elif edge == 1:
            region, m = img[H - m.shape[0] :, :], m[::-1]
        elif edge == 2:
            region, m = img[:, : m.shape[0]], m.T
        else:
            region, m = img[:, W - m.shape[0] :], m.T[:, ::-1]
        region *= 1.0 - m[..., None]
        region += m[..., None] * dark


def _speckle(img: np.ndarray, density: float, rng: np.random.Generator) -> None:
    H, W = img.shape[:2]
    n = int(density * H * W)
    ys, xs = rng.integers(0, H - 1, n), rng.integers(0, W - 1, n)
    mask = np.zeros((H, W), np.float32)
    mask[ys, xs] = rng.uniform(0.4, 1.0, n).astype(np.float32)
    big = rng.random(n) < 0.3
    mask[ys[big] + 1, xs[big]] = mask[ys[big], xs[big]]
    mask[ys[big], xs[big] + 1] = mask[ys[big], xs[big]]
    img *= 1.0 - 0.85 * mask[..., None]
    white = rng.integers(0, H * W, n // 3)
    img.reshape(-1, 3)[white] = np.maximum(img.reshape(-1, 3)[white], 200.0)


def apply_defects(
    page: RenderedPage,
    style: RenderStyle,
    plan: DefectPlan,
    rng: np.random.Generator,
    stamp_lines: tuple[str, str],
    grayscale: bool,
) -> ScannedPage:
    """Compose the inks on paper and add the plan's defects; act boxes follow the geometry."""
    scale = page.dpi / 200.0
    form, entries = _ink_layers(page, plan, rng, scale)
    img = _compose(form, entries, style)
    del form, entries
    boxes = page.act_boxes
    defects = []
    if style.ledger:
        defects.append("ruled_lines")
    if style.separator == "box":
        defects.append("box_borders")
    if plan.stamp:
        _stamp(img, boxes, stamp_lines, page.dpi, rng)
        defects.append("stamp")
    _paper_age(img, plan, rng)
    defects += ["yellowed_paper"] * bool(plan.yellowing) + ["uneven_lighting"] * bool(plan.lighting)
    if plan.punch_holes:
        _punch_holes(img, page.dpi, rng)
        defects.append("punch_holes")
    if plan.skew_deg:
        border = (30.0, 30.0, 32.0) if plan.dark_border else tuple(float(v) for v in img[5, 5])
        img, boxes = _rotate(img, boxes, plan.skew_deg, border)
        defects.append("skew")
    if plan.dark_border:
        _dark_border(img, page.dpi, rng)
        defects.append("dark_border")
    if plan.speckle:
        _speckle(img, plan.speckle, rng)
        defects.append("speckle")
    if plan.blur:
        img = cv2.GaussianBlur(img, (0, 0), plan.blur * scale)
        defects.append("blur")
    if plan.noise:
        img += (rng.standard_normal(img.shape[:2], dtype=np.float32) * plan.noise)[..., None]
        defects.append("noise")
    defects += ["faded_ink"] * bool(plan.fading) + ["bleeding_ink"] * bool(plan.bleed)
    out = np.clip(img, 0, 255).astype(np.uint8)
    del img
    if grayscale:
        out = cv2.cvtColor(out, cv2.COLOR_RGB2GRAY)
    rotation = 0
    if plan.upside_down:
        out = np.ascontiguousarray(out[::-1, ::-1])
        H, W = out.shape[:2]
        boxes = tuple((W - x - w, H - y - h, w, h) for x, y, w, h in boxes)
        rotation = 180
        defects.append("upside_down")
    return ScannedPage(out, boxes, tuple(defects), plan.skew_deg, rotation)


def jpeg_roundtrip(image: np.ndarray, quality: int) -> np.ndarray:
    """The image after JPEG compression at quality (artefacts in a lossless output)."""
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, "JPEG", quality=quality)
    return np.asarray(Image.open(io.BytesIO(buffer.getvalue())))
