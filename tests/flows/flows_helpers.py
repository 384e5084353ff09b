"""Helpers of the batch tests: bad files made cheaply, fake OCR engines, export snapshots.
(A module of its own, not conftest.py, so that tests can import it by a unique name.)"""

from __future__ import annotations

import json
import struct
import threading
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, TiffImagePlugin

from ocr.engine import OcrLine
from records import Act, FieldValue, MarginalNote, Source
from registry_loader.db import open_registry
from registry_loader.export import iter_acts
from validation.routing import route

# Seed 5, 4 clean PNG pages at 150 dpi: Sétif 1970 p039 (1 act) and p040 (2), Tiaret 1916
# p050, Meknès 2003 p151 (3). About a second of OCR a page.
GEN_SEED, GEN_PAGES = 5, 4
P039, P040 = "dz_setif_1970_marriage_p039.png", "dz_setif_1970_marriage_p040.png"
TIARET, MEKNES = "dz_tiaret_1916_birth_p050.png", "ma_meknes_2003_death_p151.png"
GOOD_PAGES = (P039, P040, MEKNES)


# --- the registry as exports show it --------------------------------------------------


def identity(act: dict) -> tuple:
    """An act's identity as exports show it: commune, type, year, number."""
    return act["commune_fr"], act["act_type"], act["register_year"], act["act_number"]


def export_lines(url: str, status: str = "all") -> list[str]:
    """Exactly the lines `civreg export` writes (tests/cli checks the command itself)."""
    with open_registry(url) as registry, registry.session() as session:
        return [
            json.dumps(a.to_json(), ensure_ascii=False) + "\n" for a in iter_acts(session, status)
        ]


def exported(url: str) -> list[dict]:
    return [json.loads(line) for line in export_lines(url)]


def identities(acts: list[dict]) -> list[tuple]:
    return sorted((identity(a) for a in acts), key=repr)


# --- acts -----------------------------------------------------------------------------

# A birth act every validation rule passes: it is stored and imported as accepted.
CLEAN_BIRTH = {
    "act_type": "birth",
    "register_year": "1995",
    "commune_fr": "Sefrou",
    "commune_ar": "صفرو",
    "act_number": "12",
    "given_name_fr": "Mohamed",
    "given_name_ar": "محمد",
    "family_name_fr": "Alaoui",
    "family_name_ar": "العلوي",
    "sex": "M",
    "birth_date": "1995-03-15",
    "birth_place_ar": "صفرو",
    "father_name_ar": "أحمد",
    "mother_name_ar": "فاطمة",
    "drawn_up_date": "1995-03-17",
    "officer_name_ar": "عبد الله",
}


def clean_birth(number: str) -> Act:
    act = Act(
        fields={k: FieldValue(v, 0.99) for k, v in {**CLEAN_BIRTH, "act_number": number}.items()},
        source=Source("sefrou_1995_p001.png", 1, (10, 20, 300, 200)),
        marginal_notes=[MarginalNote("Marié le 1/2/2020", 0.9, lang="fr")],
    )
    act.status = route(act)
    return act


def doubtful_birth(number: str) -> Act:
    """`clean_birth` with a given name read at low confidence: routed to review."""
    act = clean_birth(number)
    act.fields["given_name_fr"] = FieldValue(act.fields["given_name_fr"].value, 0.3)
    act.status = route(act)
    return act


def page_result(path: Path, acts: list[Act], page: int = 1) -> dict:
    """What `flows.batch.read_page` returns for a page on which `acts` were read."""
    return {
        "file": str(path),
        "page": page,
        "width": 1240,
        "height": 1754,
        "acts": [a.to_json(provenance=True) for a in acts],
    }


# --- bad files ------------------------------------------------------------------------


def write_png_1bit(path: Path, width: int, height: int) -> Path:
    """A valid white 1-bit PNG of any size, written without building the image in memory
    (30000x30000 pixels is ~150 KB on disk)."""
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    packer = zlib.compressobj(6)
    step = 1000
    data = (
        b"".join(
            packer.compress(row * min(step, height - start)) for start in range(0, height, step)
        )
        + packer.flush()
    )

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit grayscale
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )
    return path


def write_tiff_with_bad_second_frame(path: Path, page: Path) -> Path:
    """A 2-page TIFF: page 1 is `page`; page 2's compressed strips are zeroed (undecodable)."""
    image = Image.open(page).convert("L")
    image.save(path, save_all=True, append_images=[image.copy()], compression="tiff_deflate")
    data = bytearray(path.read_bytes())
    with Image.open(path) as tiff:
        tiff.seek(1)
        offsets = tiff.tag_v2[TiffImagePlugin.STRIPOFFSETS]
        counts = tiff.tag_v2[TiffImagePlugin.STRIPBYTECOUNTS]
    for offset, count in zip(offsets, counts, strict=True):
        data[offset : offset + count] = bytes(count)
    path.write_bytes(bytes(data))
    return path


@dataclass(frozen=True)
class BadBatch:
    """A folder of good and bad scans, and what else a command line may name."""

    folder: Path
    good: tuple[str, ...]  # pages that read (file names in the folder)
    blank: str
    bad_frame: str  # a TIFF whose page 1 (a copy of good[0]) reads and page 2 does not
    txt: Path  # outside the folder: named on the command line
    missing: Path

    def args(self) -> list[str]:
        return [str(self.folder), str(self.txt), str(self.missing)]


def make_bad_batch(root: Path, generated: Path) -> BadBatch:
    folder = root / "scans"
    folder.mkdir()
    good = (P039, P040)
    for name in good:
        (folder / name).write_bytes((generated / name).read_bytes())
    (folder / "notes.truth.json").write_text("{}")  # not a scan: passed over in a folder
    whole = (generated / good[0]).read_bytes()
    (folder / "truncated.png").write_bytes(whole[: len(whole) // 3])
    (folder / "zero.png").write_bytes(b"")
    (folder / "empty.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage")
    Image.new("L", (1240, 1754), 255).save(folder / "blank.png", dpi=(150, 150))
    write_png_1bit(folder / "huge.png", 30_000, 30_000)
    write_tiff_with_bad_second_frame(folder / "bad_frame.tif", generated / good[0])
    txt = root / "readme.txt"
    txt.write_text("not a scan")
    return BadBatch(
        folder=folder,
        good=good,
        blank="blank.png",
        bad_frame="bad_frame.tif",
        txt=txt,
        missing=root / "no-such-scan.png",
    )


# --- fake OCR engines -----------------------------------------------------------------


class BlankEngine:
    """An engine that reads nothing on any line (for tests that are not about OCR)."""

    name = "blank"
    version = "0"

    def read_lines(
        self, images: Sequence[np.ndarray], lang: str, *, whitelist: str | None = None
    ) -> list[OcrLine]:
        return [OcrLine("", 0.0, (), lang, "fake") for _ in images]

    def read_block(self, image: np.ndarray, lang: str) -> list[OcrLine]:
        return self.read_lines([image], lang)


def use_engine(mp: pytest.MonkeyPatch, engine) -> None:
    """Make the batch read every page with `engine`."""
    from flows import batch

    mp.setattr(batch, "ocr_engine", lambda: engine)


@dataclass
class PageTracker:
    """Which file the current thread is reading (set by a wrapper around the batch's page
    loader) and how many times each file was loaded: one load an attempt."""

    local: threading.local = field(default_factory=threading.local)
    loads: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def current(self) -> str | None:
        return getattr(self.local, "name", None)

    def install(self, mp: pytest.MonkeyPatch) -> PageTracker:
        from flows import batch

        load_page = batch.load_page

        def tracked(path, page_no):
            name = Path(path).name
            with self.lock:
                self.loads[name] = self.loads.get(name, 0) + 1
            self.local.name = name
            return load_page(path, page_no)

        mp.setattr(batch, "load_page", tracked)
        return self


class ScriptedEngine:
    """Delegates to `inner`, except on the files named in `script`: for those, call n takes
    entry n of the file's list (past its end, the last entry): an exception factory raises,
    None reads normally. Counts calls and raises a file."""

    name = "scripted"
    version = "0"

    def __init__(
        self, inner, tracker: PageTracker, script: dict[str, list[Callable[[], Exception] | None]]
    ) -> None:
        self.inner, self.tracker, self.script = inner, tracker, script
        self.calls: dict[str, int] = {}
        self.raised: dict[str, int] = {}
        self._lock = threading.Lock()

    def _step(self) -> None:
        name = self.tracker.current
        if name not in self.script:
            return
        with self._lock:
            n = self.calls[name] = self.calls.get(name, 0) + 1
            plan = self.script[name]
            make = plan[min(n, len(plan)) - 1]
            if make is not None:
                self.raised[name] = self.raised.get(name, 0) + 1
        if make is not None:
            raise make()

    def read_lines(self, images, lang, *, whitelist=None):
        self._step()
        return self.inner.read_lines(images, lang, whitelist=whitelist)

    def read_block(self, image, lang):
        self._step()
        return self.inner.read_block(image, lang)
