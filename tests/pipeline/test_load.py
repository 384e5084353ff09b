"""Loading scans into page images: every format, page counts, limits, errors.

Bad files met in a batch (empty, truncated, corrupt PDF, Pillow's decompression bomb, an image
over the side limit, an undecodable TIFF frame) are covered in tests/flows/test_flows_batch.py.
"""

from __future__ import annotations

import hashlib
import pickle
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from pipeline.load import (
    MAX_PIXELS,
    MAX_SIDE,
    ScanError,
    count_pages,
    file_sha256,
    is_scan,
    load_page,
)


def page_pixels(height: int = 300, width: int = 200, seed: int = 0) -> np.ndarray:
    """White paper with a black block whose place depends on `seed`."""
    image = np.full((height, width), 255, np.uint8)
    y, x = 30 + 40 * seed, 20 + 30 * seed
    image[y : y + 50, x : x + 60] = 0
    return image


def block_center(image: np.ndarray) -> tuple[float, float]:
    gray = image if image.ndim == 2 else image.min(axis=2)
    ys, xs = np.nonzero(gray < 128)
    return float(ys.mean()), float(xs.mean())


def write_png_1bit(path: Path, width: int, height: int) -> Path:
    """A valid white 1-bit PNG of any size, written row by row (a few hundred KB)."""
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    packer = zlib.compressobj(6)
    data = (
        b"".join(
            packer.compress(row * min(1000, height - start)) for start in range(0, height, 1000)
        )
        + packer.flush()
    )

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )
    return path


def write_vector_pdf(path: Path, width_pt: float, height_pt: float) -> Path:
    """A one-page PDF holding no image: a black square drawn in vector form."""
    content = b"0 0 0 rg 10 10 50 50 re f"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width_pt} {height_pt}] "
        f"/Contents 4 0 R >>".encode(),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))
    return path


# --- PNG ----------------------------------------------------------------------------------


def test_a_grayscale_png_loads_as_one_channel_with_its_dpi(tmp_path: Path):
    pixels = page_pixels()
    Image.fromarray(pixels).save(tmp_path / "p.png", dpi=(150, 150))
    page = load_page(tmp_path / "p.png", 1)
    assert page.image.dtype == np.uint8 and page.image.ndim == 2
    assert np.array_equal(page.image, pixels)
    assert page.dpi == pytest.approx(150, abs=0.1)
    assert page.page_no == 1 and page.file == tmp_path / "p.png"


def test_an_rgb_png_loads_as_bgr(tmp_path: Path):
    rgb = np.zeros((60, 80, 3), np.uint8)
    rgb[..., 0], rgb[..., 1], rgb[..., 2] = 200, 100, 10
    Image.fromarray(rgb).save(tmp_path / "c.png")
    image = load_page(tmp_path / "c.png", 1).image
    assert image.shape == (60, 80, 3)
    assert image[0, 0].tolist() == [10, 100, 200]


def test_an_opaque_rgba_png_loads_as_its_colours(tmp_path: Path):
    rgba = np.zeros((60, 80, 4), np.uint8)
    rgba[..., :3], rgba[..., 3] = (30, 60, 90), 255
    Image.fromarray(rgba).save(tmp_path / "a.png")
    image = load_page(tmp_path / "a.png", 1).image
    assert image.shape == (60, 80, 3)
    assert image[5, 5].tolist() == [90, 60, 30]


def test_transparent_pixels_of_an_rgba_png_count_as_white_paper(tmp_path: Path):
    rgba = np.zeros((60, 80, 4), np.uint8)  # black and fully transparent
    rgba[20:30, 20:40, 3] = 255  # an opaque black block: the only ink
    Image.fromarray(rgba).save(tmp_path / "t.png")
    image = load_page(tmp_path / "t.png", 1).image
    assert image[0, 0].min() == 255
    assert image[25, 30].max() == 0


def test_a_16_bit_png_keeps_its_gray_levels_on_eight_bits(tmp_path: Path):
    pixels = np.full((50, 60), 65535, np.uint16)
    pixels[10:20, 10:20] = 0
    pixels[30:40, 30:40] = 30000
    Image.fromarray(pixels).save(tmp_path / "deep.png")
    assert Image.open(tmp_path / "deep.png").mode.startswith("I")
    image = load_page(tmp_path / "deep.png", 1).image
    assert image.dtype == np.uint8 and image.ndim == 2
    assert image[0, 0] == 255 and image[15, 15] == 0
    assert image[35, 35] == pytest.approx(30000 / 65535 * 255, abs=1)


def test_a_1_bit_png_loads_as_black_and_white_gray(tmp_path: Path):
    pixels = page_pixels()
    Image.fromarray(pixels).convert("1").save(tmp_path / "bw.png")
    image = load_page(tmp_path / "bw.png", 1).image
    assert image.dtype == np.uint8 and image.ndim == 2
    assert set(np.unique(image).tolist()) == {0, 255}
    assert np.array_equal(image, pixels)


def test_a_gray_png_with_alpha_loads_as_one_channel(tmp_path: Path):
    Image.fromarray(page_pixels()).convert("LA").save(tmp_path / "la.png")
    assert load_page(tmp_path / "la.png", 1).image.ndim == 2


def test_an_image_without_a_resolution_has_no_dpi(tmp_path: Path):
    Image.fromarray(page_pixels()).save(tmp_path / "p.png")
    assert load_page(tmp_path / "p.png", 1).dpi is None


# --- JPEG ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("orientation", "corner"),
    [(1, "top-left"), (3, "bottom-right"), (6, "top-right"), (8, "bottom-left")],
)
def test_a_jpeg_is_turned_upright_by_its_exif_orientation(tmp_path, orientation, corner):
    pixels = np.full((300, 200), 255, np.uint8)
    pixels[:40, :40] = 0  # a mark in the stored top-left corner
    image = Image.fromarray(pixels)
    exif = image.getexif()
    exif[0x0112] = orientation
    image.save(tmp_path / "o.jpg", exif=exif.tobytes(), quality=95)
    loaded = load_page(tmp_path / "o.jpg", 1).image
    assert loaded.shape == ((200, 300) if orientation in (6, 8) else (300, 200))
    y, x = block_center(loaded)
    h, w = loaded.shape
    expected = {
        "top": y < h / 4,
        "bottom": y > 3 * h / 4,
        "left": x < w / 4,
        "right": x > 3 * w / 4,
    }
    assert all(expected[part] for part in corner.split("-")), (y, x)


def test_a_colour_jpeg_loads_as_bgr_with_its_dpi(tmp_path: Path):
    rgb = np.zeros((60, 80, 3), np.uint8)
    rgb[..., 0] = 220  # red
    Image.fromarray(rgb).save(tmp_path / "c.jpg", dpi=(300, 300), quality=95)
    page = load_page(tmp_path / "c.jpg", 1)
    assert page.image.shape == (60, 80, 3) and page.dpi == 300
    b, g, r = page.image[30, 40].tolist()
    assert r > 200 and b < 30 and g < 30


# --- TIFF ---------------------------------------------------------------------------------


@pytest.fixture
def three_page_tiff(tmp_path: Path) -> Path:
    frames = [Image.fromarray(page_pixels(seed=i)) for i in range(3)]
    frames[2] = frames[2].crop((0, 0, 200, 250))
    path = tmp_path / "register.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:], dpi=(200, 200))
    return path


def test_a_multi_page_tiff_counts_every_frame(three_page_tiff: Path):
    assert count_pages(three_page_tiff) == 3


def test_each_tiff_page_loads_its_own_frame(three_page_tiff: Path):
    pages = [load_page(three_page_tiff, n) for n in (1, 2, 3)]
    centers = [block_center(p.image) for p in pages]
    assert len(set(centers)) == 3
    for seed, (y, x) in enumerate(centers):
        assert (y, x) == pytest.approx((30 + 40 * seed + 24.5, 20 + 30 * seed + 29.5))
    assert pages[2].image.shape == (250, 200)
    assert [p.page_no for p in pages] == [1, 2, 3] and pages[1].dpi == 200


@pytest.mark.parametrize("page_no", [0, 4])
def test_a_tiff_page_that_is_not_there_is_an_error_naming_the_file(three_page_tiff, page_no):
    with pytest.raises(ScanError) as raised:
        load_page(three_page_tiff, page_no)
    assert raised.value.file == str(three_page_tiff)
    assert f"no page {page_no}" in raised.value.reason and "has 3" in raised.value.reason
    assert str(raised.value).startswith(str(three_page_tiff))


# --- PDF ----------------------------------------------------------------------------------


def test_a_pdf_of_a_150_dpi_scan_renders_at_150_dpi_with_the_scans_pixel_size(tmp_path):
    pixels = page_pixels(seed=1)
    Image.fromarray(pixels).save(tmp_path / "scan.pdf", resolution=150)
    page = load_page(tmp_path / "scan.pdf", 1)
    assert page.dpi == 150
    assert page.image.shape[:2] == pixels.shape
    assert block_center(page.image) == pytest.approx(block_center(pixels), abs=1)


def test_a_pdf_of_a_gray_scan_loads_as_one_channel_and_a_colour_one_as_bgr(tmp_path):
    gray = page_pixels(seed=1)
    Image.fromarray(gray).save(tmp_path / "gray.pdf", resolution=150)
    colour = np.dstack([gray, gray, np.full_like(gray, 255)])  # the block is blue
    Image.fromarray(colour).save(tmp_path / "colour.pdf", resolution=150)
    page = load_page(tmp_path / "gray.pdf", 1)
    assert page.image.ndim == 2 and page.image.shape == gray.shape
    assert block_center(page.image) == pytest.approx(block_center(gray), abs=1)
    page = load_page(tmp_path / "colour.pdf", 1)
    assert page.image.shape == (*gray.shape, 3)
    blue, green, red = page.image[90, 80].tolist()  # OpenCV's order
    assert blue > 240 and green < 15 and red < 15


def test_each_pdf_page_renders_its_own_scan(tmp_path: Path):
    first, second = (Image.fromarray(page_pixels(seed=s)) for s in (0, 2))
    first.save(tmp_path / "two.pdf", resolution=200, save_all=True, append_images=[second])
    assert count_pages(tmp_path / "two.pdf") == 2
    page = load_page(tmp_path / "two.pdf", 2)
    assert page.page_no == 2 and page.dpi == 200
    assert block_center(page.image) == pytest.approx(block_center(page_pixels(seed=2)), abs=1)


def test_a_pdf_page_that_is_not_there_is_an_error_naming_the_file(tmp_path: Path):
    Image.fromarray(page_pixels()).save(tmp_path / "one.pdf", resolution=150)
    with pytest.raises(ScanError) as raised:
        load_page(tmp_path / "one.pdf", 2)
    assert str(raised.value).startswith(str(tmp_path / "one.pdf"))
    assert "no page 2" in raised.value.reason


def test_a_pdf_page_without_a_scan_renders_at_300_dpi(tmp_path: Path):
    path = write_vector_pdf(tmp_path / "drawn.pdf", 144, 72)  # 2 x 1 inches
    page = load_page(path, 1)
    assert page.dpi == 300 and page.image.shape[:2] == (300, 600)
    assert page.image.min() == 0  # the square was drawn


def test_a_scan_claiming_an_implausible_resolution_renders_at_300_dpi(tmp_path: Path):
    Image.fromarray(page_pixels()).save(tmp_path / "low.pdf", resolution=50)
    page = load_page(tmp_path / "low.pdf", 1)
    assert page.dpi == 300 and page.image.shape[:2] == (1800, 1200)


def test_a_pdf_page_too_large_to_render_is_refused_before_rendering(tmp_path: Path):
    path = write_vector_pdf(tmp_path / "poster.pdf", 14400, 14400)  # 200 inches a side
    with pytest.raises(ScanError) as raised:
        load_page(path, 1)
    assert raised.value.page == 1
    assert f"over the limit of {MAX_SIDE} pixels a side" in raised.value.reason


# --- limits, counts, errors ---------------------------------------------------------------


def test_an_image_over_the_pixel_limit_within_the_side_limit_is_refused(tmp_path: Path):
    side = int(MAX_PIXELS**0.5) + 100
    assert side < MAX_SIDE
    path = write_png_1bit(tmp_path / "square.png", side, side)
    with pytest.raises(ScanError) as raised:
        count_pages(path)
    assert f"{side}x{side} pixels" in raised.value.reason
    assert "megapixels" in raised.value.reason and raised.value.file == str(path)


def test_a_single_image_file_holds_one_page(tmp_path: Path):
    Image.fromarray(page_pixels()).save(tmp_path / "p.png")
    Image.fromarray(page_pixels()).save(tmp_path / "p.jpeg")
    assert count_pages(tmp_path / "p.png") == count_pages(tmp_path / "p.jpeg") == 1


def test_an_image_under_a_scan_suffix_that_is_no_image_names_the_reason(tmp_path: Path):
    (tmp_path / "notes.tif").write_text("not an image at all")
    with pytest.raises(ScanError) as raised:
        load_page(tmp_path / "notes.tif", 1)
    assert raised.value.file == str(tmp_path / "notes.tif")
    assert "not a readable image" in raised.value.reason


def test_scan_suffixes_are_recognised_in_any_case():
    assert all(is_scan(Path(n)) for n in ("a.PNG", "b.Jpg", "c.TIFF", "d.pdf", "e.jpeg"))
    assert not any(is_scan(Path(n)) for n in ("a.txt", "b.json", "c.png.bak", "d"))


def test_a_scan_error_survives_pickling_with_its_file_page_and_reason():
    error = ScanError("/scans/a.tif", "cannot decode the image", page=2)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.file, copy.page, copy.reason, str(copy)) == (
        error.file,
        error.page,
        error.reason,
        str(error),
    )


def test_file_sha256_is_the_sha256_of_the_whole_file(tmp_path: Path):
    data = np.random.default_rng(1).bytes(3 * (1 << 20) + 123)  # several read chunks
    (tmp_path / "big.bin").write_bytes(data)
    assert file_sha256(tmp_path / "big.bin") == hashlib.sha256(data).hexdigest()
    assert file_sha256(str(tmp_path / "big.bin")) == hashlib.sha256(data).hexdigest()
