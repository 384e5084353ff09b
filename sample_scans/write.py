"""Writing page images as PNG, JPEG, TIFF (multi-page) or PDF (pages embedded at their dpi)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from PIL import Image

FORMATS = ("png", "jpeg", "tiff", "pdf")
EXTENSIONS = {"png": ".png", "jpeg": ".jpg", "tiff": ".tif", "pdf": ".pdf"}
MULTI_PAGE = frozenset({"tiff", "pdf"})
# A fixed date keeps PDF bytes reproducible.
_EPOCH = time.gmtime(0)


def write_pages(path: Path, images: list[np.ndarray], dpi: int, quality: int = 90) -> None:
    """Write the images to path; its suffix picks the format. JPEG and PDF use quality."""
    fmt = next((f for f, ext in EXTENSIONS.items() if ext == path.suffix), None)
    if fmt is None:
        raise ValueError(f"unknown image format for {path.name}")
    if len(images) > 1 and fmt not in MULTI_PAGE:
        raise ValueError(f"{fmt} holds one page, got {len(images)}")
    pages = [Image.fromarray(image) for image in images]
    first, rest = pages[0], pages[1:]
    if fmt == "png":
        first.save(path, "PNG", dpi=(dpi, dpi), compress_level=6)
    elif fmt == "jpeg":
        first.save(path, "JPEG", dpi=(dpi, dpi), quality=quality, optimize=True)
    elif fmt == "tiff":
        first.save(
            path,
            "TIFF",
            save_all=True,
            append_images=rest,
            dpi=(dpi, dpi),
            compression="tiff_deflate",
        )
    else:
        first.save(
            path,
            "PDF",
            save_all=True,
            append_images=rest,
            resolution=float(dpi),
            quality=quality,
            creationDate=_EPOCH,
            modDate=_EPOCH,
        )
