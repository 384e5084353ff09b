"""Ground truth files (NAME.truth.json beside each generated file) and reading them back."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from sample_scans import __version__
from sample_scans.content import PageContent
from sample_scans.defects import ScannedPage

GENERATOR = f"sample_scans {__version__}"
SUFFIX = ".truth.json"


def truth_path(image_path: Path) -> Path:
    """dz_oran_1987_birth_p012.png -> dz_oran_1987_birth_p012.truth.json"""
    return image_path.with_name(image_path.stem + SUFFIX)


def page_truth(
    index: int, dpi: int, strength: str, copy: str, content: PageContent, scanned: ScannedPage
) -> dict:
    """The truth of one page of a file (index counts from 1)."""
    h, w = scanned.image.shape[:2]
    register = content.register_fields()
    acts = [
        {
            "bbox": list(box),
            "fields": register | act.fields,
            "marginal_notes": {"ar": list(act.notes_ar), "fr": list(act.notes_fr)},
        }
        for act, box in zip(content.acts, scanned.act_boxes, strict=True)
    ]
    return {
        "page": index,
        "dpi": dpi,
        "size": [w, h],
        "rotation": scanned.rotation,
        "skew_deg": scanned.skew_deg,
        "strength": strength,
        "defects": list(scanned.defects),
        "copy": copy,
        "country": content.register.country,
        "paper": content.register.paper,
        "model": _model_summary(content),
        "acts": acts,
    }


def _model_summary(content: PageContent) -> dict:
    """The register model's traits an evaluation may want to slice results by."""
    model = content.register.model
    style = model.style
    return {
        "ar_font": style.ar_font,
        "lat_font": style.lat_font,
        "ar_value_font": style.ar_value_font,
        "lat_value_font": style.lat_value_font,
        "ar_digits": model.ar_digits,
        "fr_digits": model.fr_digits,
        "ar_date_style": model.ar_date_style,
        "fr_date_style": model.fr_date_style,
        "separator": style.separator,
        "ledger": style.ledger,
        "vertical_rule": style.vertical_rule,
    }


def write_truth(image_path: Path, seed: int, pages: list[dict]) -> Path:
    path = truth_path(image_path)
    doc = {"generator": GENERATOR, "seed": seed, "file": image_path.name, "pages": pages}
    path.write_text(_dumps(doc) + "\n", encoding="utf-8")
    return path


def _dumps(doc: dict) -> str:
    """Indented JSON with lists of plain values (boxes, sizes, defects, notes) on one line."""
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    return re.sub(
        r"\[\n\s*([^\[\]{}]*?)\n\s*\]",
        lambda m: "[" + re.sub(r",\n\s*", ", ", m.group(1)) + "]",
        text,
    )


@dataclass(frozen=True)
class TruthAct:
    """One act of the ground truth, with the file and page it is on."""

    file: str
    page: int
    bbox: tuple[int, int, int, int]
    fields: dict[str, str]
    marginal_notes: dict[str, list[str]]
    dpi: int
    strength: str
    defects: tuple[str, ...]
    rotation: int
    skew_deg: float
    copy: str


def load_truth(path: str | Path) -> list[TruthAct]:
    """Every act of a truth file, or of all *.truth.json in a folder, in file and page order."""
    path = Path(path)
    files = sorted(path.glob("*" + SUFFIX)) if path.is_dir() else [path]
    acts: list[TruthAct] = []
    for file in files:
        doc = json.loads(file.read_text(encoding="utf-8"))
        for page in doc["pages"]:
            for act in page["acts"]:
                acts.append(
                    TruthAct(
                        file=doc["file"],
                        page=page["page"],
                        bbox=tuple(act["bbox"]),
                        fields=dict(act["fields"]),
                        marginal_notes={k: list(v) for k, v in act["marginal_notes"].items()},
                        dpi=page["dpi"],
                        strength=page["strength"],
                        defects=tuple(page["defects"]),
                        rotation=page["rotation"],
                        skew_deg=page["skew_deg"],
                        copy=page.get("copy", "bureau"),
                    )
                )
    return acts
