"""Page images and crops of the scans recorded in the registry, and nothing else.

A file is served only when the pages table records it: its recorded path is resolved
(symbolic links followed), must be a regular file of a scan format, and must still hold
the bytes that were imported (its SHA-256), so that no path, link or replaced file can
make the web app read anything outside the scan store.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

from pipeline.load import SCAN_SUFFIXES, ScanError, file_sha256, load_page
from registry_loader.review import ScanRef

FIELD_MARGIN = (14, 8)  # x, y pixels around a field's box
ACT_MARGIN = (24, 16)
MAX_WIDTH = 2400


class ScanUnavailable(Exception):
    """The recorded file is gone, changed, or not a scan: it is not served."""


def region(box: Sequence[int], margin: tuple[int, int]) -> tuple[int, int, int, int]:
    """The box (x, y, w, h) grown by the margin on every side."""
    x, y, w, h = (int(v) for v in box)
    mx, my = margin
    return x - mx, y - my, w + 2 * mx, h + 2 * my


class ScanStore:
    """Reads recorded pages (a few kept decoded) and renders them or parts of them."""

    def __init__(self, cached_pages: int = 6) -> None:
        self.cached_pages = cached_pages
        self._pages: OrderedDict[tuple[str, int, int], np.ndarray] = OrderedDict()
        self._hashes: dict[tuple[str, int, int], str] = {}
        self._loading: dict[tuple[str, int, int], threading.Lock] = {}
        self._lock = threading.Lock()

    def verified_path(self, scan: ScanRef) -> tuple[Path, int]:
        """The scan's resolved path and modification time, once checked as described above."""
        try:
            path = Path(scan.path).resolve(strict=True)
            stat = path.stat()
        except (OSError, RuntimeError):
            raise ScanUnavailable(f"{scan.file_name}: the file is not there any more") from None
        if not path.is_file() or path.suffix.lower() not in SCAN_SUFFIXES:
            raise ScanUnavailable(f"{scan.file_name}: not a scan file")
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        with self._lock:
            digest = self._hashes.get(key)
        if digest is None:
            try:
                digest = file_sha256(path)
            except OSError:
                raise ScanUnavailable(f"{scan.file_name}: cannot read the file") from None
            with self._lock:
                self._hashes[key] = digest
        if digest != scan.sha256:
            raise ScanUnavailable(f"{scan.file_name}: the file changed since it was imported")
        return path, stat.st_mtime_ns

    def page(self, scan: ScanRef) -> np.ndarray:
        """The page's pixels, decoded once however many crops of it are asked at once."""
        path, mtime = self.verified_path(scan)
        key = (str(path), scan.page_no, mtime)
        with self._lock:
            if key in self._pages:
                self._pages.move_to_end(key)
                return self._pages[key]
            loading = self._loading.setdefault(key, threading.Lock())
        with loading:  # the first request decodes, the others wait for it
            with self._lock:
                if key in self._pages:
                    return self._pages[key]
            try:
                image = load_page(path, scan.page_no).image
            except ScanError as exc:
                raise ScanUnavailable(str(exc)) from None
            with self._lock:
                self._pages[key] = image
                self._loading.pop(key, None)
                while len(self._pages) > self.cached_pages:
                    self._pages.popitem(last=False)
        return image

    def render(
        self,
        scan: ScanRef,
        area: tuple[int, int, int, int] | None = None,
        *,
        width: int | None = None,
    ) -> tuple[bytes, str]:
        """The page, or the `area` (x, y, w, h; paper-white beyond the page's edges), as
        image bytes and their media type, scaled down to `width` pixels when given."""
        image = self.page(scan)
        if area is not None:
            image = crop(image, area)
        limit = min(width or MAX_WIDTH, MAX_WIDTH)
        if image.shape[1] > limit:
            scale = limit / image.shape[1]
            size = (limit, max(1, round(image.shape[0] * scale)))
            image = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
        if image.shape[0] * image.shape[1] > 400_000:  # a page or an act: JPEG is 5x smaller
            _, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 88])
            return data.tobytes(), "image/jpeg"
        _, data = cv2.imencode(".png", image)
        return data.tobytes(), "image/png"


def crop(image: np.ndarray, area: tuple[int, int, int, int]) -> np.ndarray:
    """The pixels of `area` (x, y, w, h); parts beyond the image are white."""
    x, y, w, h = area
    w, h = max(1, w), max(1, h)
    out = np.full((h, w, *image.shape[2:]), 255, dtype=image.dtype)
    height, width = image.shape[:2]
    x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + w, width), min(y + h, height)
    if x0 < x1 and y0 < y1:
        out[y0 - y : y1 - y, x0 - x : x1 - x] = image[y0:y1, x0:x1]
    return out
