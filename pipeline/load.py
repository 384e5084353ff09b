"""Load scans into page images: PNG, JPEG, TIFF (every frame) and PDF (every page).

Pages are addressed as (file, page number from 1) so a batch can hand out one page a task
without passing pixels around. Anything unreadable raises `ScanError` naming the file and
the reason; nothing here guesses.
"""

from __future__ import annotations

import hashlib
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff"})
PDF_SUFFIXES = frozenset({".pdf"})
SCAN_SUFFIXES = IMAGE_SUFFIXES | PDF_SUFFIXES

# An A3 page at 600 dpi is ~70 megapixels; beyond these a file is not a register scan.
MAX_SIDE = 16_000
MAX_PIXELS = 120_000_000
PDF_DPI = 300  # for PDF pages that are not one scanned image
PDF_DPI_RANGE = (100, 600)


class ScanError(Exception):
    """A scan (or one of its pages) cannot be read."""

    def __init__(self, file: str | Path, reason: str, page: int | None = None) -> None:
        self.file = str(file)
        self.reason = reason
        self.page = page
        where = f"{self.file} page {page}" if page else self.file
        super().__init__(f"{where}: {reason}")

    def __reduce__(self):  # picklable, for task runners that run pages in other processes
        return ScanError, (self.file, self.reason, self.page)


@dataclass(frozen=True)
class PageImage:
    """One page as pixels: uint8, grayscale (H, W) or BGR (H, W, 3)."""

    file: Path
    page_no: int
    image: np.ndarray
    dpi: float | None


def is_scan(path: Path) -> bool:
    return path.suffix.lower() in SCAN_SUFFIXES


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def count_pages(path: str | Path) -> int:
    """How many pages the file holds; raises ScanError when it holds none or is unreadable."""
    path = Path(path)
    _check_readable(path)
    if path.suffix.lower() in PDF_SUFFIXES:
        pages = int(_pdf_info(path).get("Pages", 0))
    else:
        with _open_image(path) as im:
            pages = getattr(im, "n_frames", 1)
    if pages < 1:
        raise ScanError(path, "the file holds no pages")
    return pages


def load_page(path: str | Path, page_no: int) -> PageImage:
    """Page `page_no` (from 1) of a scan as a PageImage."""
    path = Path(path)
    _check_readable(path)
    if path.suffix.lower() in PDF_SUFFIXES:
        return _load_pdf_page(path, page_no)
    return _load_image_page(path, page_no)


def _check_readable(path: Path) -> None:
    if not path.is_file():
        raise ScanError(path, "no such file")
    if path.stat().st_size == 0:
        raise ScanError(path, "the file is empty (0 bytes)")
    if not is_scan(path):
        formats = ", ".join(sorted(SCAN_SUFFIXES))
        raise ScanError(path, f"not a scan format civreg reads ({formats})")


def _check_size(path: Path, width: int, height: int, page: int | None = None) -> None:
    if width < 1 or height < 1:
        raise ScanError(path, f"the image has no pixels ({width}x{height})", page)
    if max(width, height) > MAX_SIDE or width * height > MAX_PIXELS:
        raise ScanError(
            path,
            f"the image is {width}x{height} pixels, over the limit of {MAX_SIDE} pixels a side "
            f"and {MAX_PIXELS // 1_000_000} megapixels: rescan at 150-400 dpi",
            page,
        )


def _open_image(path: Path) -> Image.Image:
    try:
        with warnings.catch_warnings():
            # Size is checked below against civreg's own limits, with a clearer message.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = Image.open(path)
    except Image.DecompressionBombError as exc:
        raise ScanError(path, f"the image is far too large to be a page scan ({exc})") from None
    except UnidentifiedImageError:
        raise ScanError(path, "not a readable image (unknown or corrupt format)") from None
    except OSError as exc:
        raise ScanError(path, f"cannot open the image: {exc}") from None
    _check_size(path, *im.size)
    return im


def _load_image_page(path: Path, page_no: int) -> PageImage:
    with _open_image(path) as im:
        frames = getattr(im, "n_frames", 1)
        if not 1 <= page_no <= frames:
            raise ScanError(path, f"there is no page {page_no} (the file has {frames})")
        try:
            im.seek(page_no - 1)
            _check_size(path, *im.size, page=page_no)
            dpi = im.info.get("dpi", (None,))[0]
            im.load()
            pixels = _to_array(ImageOps.exif_transpose(im))
        except ScanError:
            raise
        except (OSError, ValueError, SyntaxError) as exc:
            raise ScanError(path, f"cannot decode the image: {exc}", page_no) from None
    return PageImage(path, page_no, pixels, float(dpi) if dpi else None)


def _to_array(im: Image.Image) -> np.ndarray:
    """Grayscale stays one channel; anything with colour becomes BGR (OpenCV's order).
    Transparent pixels are paper: composited onto white."""
    if im.mode == "P" and "transparency" in im.info:
        im = im.convert("RGBA")
    if im.mode in ("RGBA", "LA", "PA"):
        gray = im.mode == "LA"
        im = Image.alpha_composite(Image.new("RGBA", im.size, "white"), im.convert("RGBA"))
        if gray:
            return np.asarray(im.convert("L"))
    if im.mode in ("1", "L", "I;16", "I;16B", "I", "F"):
        if im.mode in ("I;16", "I;16B", "I", "F"):
            arr = np.asarray(im, dtype=np.float64)
            top = arr.max() or 1.0
            return (arr * (255.0 / top)).clip(0, 255).astype(np.uint8)
        return np.asarray(im.convert("L"))
    rgb = np.asarray(im if im.mode == "RGB" else im.convert("RGB"))
    # OpenCV swaps the channels 15 times faster than a reversed numpy copy (7 against
    # 107 ms for an A4 page at 300 dpi).
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)


def _pdf_info(path: Path) -> dict:
    from pdf2image import pdfinfo_from_path
    from pdf2image.exceptions import PDFInfoNotInstalledError, PDFPageCountError, PDFSyntaxError

    try:
        return pdfinfo_from_path(str(path))
    except PDFInfoNotInstalledError:
        raise ScanError(
            path, "reading PDFs needs poppler-utils (apt-get install poppler-utils)"
        ) from None
    except (PDFPageCountError, PDFSyntaxError) as exc:
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else "unreadable"
        raise ScanError(path, f"not a readable PDF ({reason})") from None


def _load_pdf_page(path: Path, page_no: int) -> PageImage:
    from pdf2image import convert_from_path
    from pdf2image.exceptions import PDFPageCountError, PDFSyntaxError

    info = _pdf_info(path)
    pages = int(info.get("Pages", 0))
    if not 1 <= page_no <= pages:
        raise ScanError(path, f"there is no page {page_no} (the PDF has {pages})")
    width_pt, height_pt = _pdf_page_size(info)
    scan = _scan_image(path, page_no)
    dpi = scan.dpi if scan else PDF_DPI
    _check_size(path, round(width_pt / 72 * dpi), round(height_pt / 72 * dpi), page_no)
    try:
        # A page holding one grayscale scan renders to three equal channels: asking for one
        # gives the same pixels in a third of the bytes (a 400 dpi page: 1.3 -> 0.6 s).
        images = convert_from_path(
            str(path),
            dpi=dpi,
            first_page=page_no,
            last_page=page_no,
            timeout=120,
            grayscale=bool(scan and scan.gray),
        )
    except (PDFPageCountError, PDFSyntaxError, OSError, ValueError) as exc:
        raise ScanError(path, f"cannot render the PDF page: {exc}", page_no) from None
    if not images:
        raise ScanError(path, "the PDF page rendered to nothing", page_no)
    return PageImage(path, page_no, _to_array(images[0]), float(dpi))


@dataclass(frozen=True)
class _ScanImage:
    dpi: float
    gray: bool  # one channel (pdfimages says "gray")


def _scan_image(path: Path, page_no: int) -> _ScanImage | None:
    """The resolution and colour of the scan a PDF page holds, when the page is one image:
    rendering at that resolution reproduces the scan's own pixels (no resampling, boxes in
    scan pixels)."""
    try:
        listing = subprocess.run(
            ["pdfimages", "-list", "-f", str(page_no), "-l", str(page_no), str(path)],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout.splitlines()[2:]
    except (OSError, subprocess.SubprocessError):
        return None
    rows = [line.split() for line in listing if line.split()[2:3] == ["image"]]
    if len(rows) != 1:
        return None
    try:
        dpi = float(rows[0][12])
    except (IndexError, ValueError):
        return None
    lo, hi = PDF_DPI_RANGE
    return _ScanImage(dpi, rows[0][5] == "gray") if lo <= dpi <= hi else None


def _pdf_page_size(info: dict) -> tuple[float, float]:
    """Page size in points from pdfinfo's "612 x 792 pts (letter)"; A4 when absent."""
    try:
        width, _, height = str(info.get("Page size", "")).split()[:3]
        return float(width), float(height)
    except ValueError:
        return 595.0, 842.0
