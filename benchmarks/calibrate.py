"""Fit the confidence calibration and the acceptance threshold on generated pages.

    python benchmarks/calibrate.py --seed 3003 --pages 60 [--folder DIR] [--target 0.995]
        [--holdout DIR] [--plot docs/calibration.png] [--write]

Reads the pages with raw confidences, pairs every field with the ground truth, fits one
logistic map per kind of field (validation/calibration.py), then picks the lowest threshold
at which the fields of accepted acts are right at least `target` of the time (the lower
bound of a 95 % confidence interval: the pages fitted on are a sample). With --write
the results go to configs/calibration.toml and configs/thresholds.toml. --plot draws the
calibration (reliability) curve of the fitted maps, on the fitting pages and on the
--holdout pages (read but not fitted on), with the threshold (benchmarks/reliability.py).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import reliability
from benchmarks.common import machine, pages_folder, read_folder
from sample_scans.evaluate import _value, match, norm
from sample_scans.truth import load_truth
from validation.calibration import KINDS, Platt, kind_of

CONFIGS = Path(__file__).resolve().parent.parent / "configs"


def fit_platt(
    raw: np.ndarray, right: np.ndarray, prior_sd: tuple[float, float] = (1.0, 3.0)
) -> Platt:
    """Logistic regression of `right` on logit(raw), with a Gaussian prior around the
    identity map (a = 1, b = 0) so that a kind with no errors does not run to infinity."""
    x = np.log(np.clip(raw, 1e-4, 1 - 1e-4) / (1 - np.clip(raw, 1e-4, 1 - 1e-4)))
    design = np.column_stack([x, np.ones_like(x)])
    theta = np.array([1.0, 0.0])
    prior_mean = np.array([1.0, 0.0])
    precision = np.diag(1 / np.square(prior_sd))
    for _ in range(100):
        p = 1 / (1 + np.exp(-design @ theta))
        gradient = design.T @ (right - p) - precision @ (theta - prior_mean)
        hessian = -(design.T * (p * (1 - p))) @ design - precision
        step = np.linalg.solve(hessian, gradient)
        theta = theta - step
        if np.abs(step).max() < 1e-8:
            break
    return Platt(a=round(float(theta[0]), 4), b=round(float(theta[1]), 4))


def field_rows(truth, acts):
    """(act index, kind, raw confidence, right) for every field the truth has."""
    rows = []
    for index, (t, act) in enumerate(match(truth, acts)):
        if act is None:
            continue
        for key, expected in t.fields.items():
            item = (act.get("fields") or {}).get(key)
            if item is not None:
                rows.append(
                    (index, key, item["confidence"], norm(_value(act, key)) == norm(expected))
                )
    return rows


# One-sided 95 % normal quantile: the precision's lower bound must reach the target, so
# that pages not fitted on reach it too (the point estimate alone reached the lowest
# threshold tried on the calibration pages and fell short on other seeds).
_Z = 1.645


def lower_bound(right: int, total: int, z: float = _Z) -> float:
    """Wilson score lower bound of the proportion right / total."""
    p, n = right / total, total
    centre = p + z * z / (2 * n)
    spread = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return float((centre - spread) / (1 + z * z / n))


def choose_threshold(acts_fields, target: float) -> tuple[float, float, float]:
    """The lowest threshold whose accepted acts' fields are right >= target of the time
    (the Wilson lower bound of that proportion, at 95 %); with the precision and the
    share of acts accepted at it."""
    best = (1.0, 1.0, 0.0)
    for threshold in np.arange(0.999, 0.5, -0.001):
        accepted = [
            fields
            for fields, blocked in acts_fields
            if not blocked and fields and min(c for c, _ in fields) >= threshold
        ]
        if not accepted:
            continue
        total = sum(len(f) for f in accepted)
        right = sum(ok for f in accepted for _, ok in f)
        if lower_bound(right, total) < target:
            if best[2]:  # below it again, lower: the lowest threshold was the last one
                break
            continue  # too few fields accepted yet to bound the precision
        best = (round(float(threshold), 3), right / total, len(accepted) / len(acts_fields))
    return best


def _curve(rows, maps: dict[str, Platt]) -> list[reliability.Bin]:
    """The reliability bins of `rows` under the fitted maps."""
    predicted = [maps[kind_of(key)](raw) for _, key, raw, _ in rows]
    return reliability.bins(predicted, [right for *_, right in rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=3003)
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument(
        "--folder",
        action="append",
        help="use these generated pages instead of new ones (repeatable)",
    )
    parser.add_argument("--target", type=float, default=0.995)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--write", action="store_true", help="update configs/")
    parser.add_argument("--holdout", help="pages to check the fitted maps on (not fitted on)")
    parser.add_argument("--plot", help="write the calibration curve to this PNG")
    args = parser.parse_args()

    folders = (
        [Path(f) for f in args.folder]
        if args.folder
        else [pages_folder(None, args.seed, args.pages)]
    )
    started = time.perf_counter()
    acts, truth = [], []
    for folder in folders:
        acts += read_folder(folder, args.workers, calibrated=False)
        truth += load_truth(folder)
    rows = field_rows(truth, acts)
    names = ", ".join(f.name for f in folders)
    print(
        f"pages in {names}: {len(truth)} acts in the truth, {len(acts)} read, "
        f"{len(rows)} fields ({time.perf_counter() - started:.0f} s)"
    )

    maps: dict[str, Platt] = {}
    by_kind = defaultdict(list)
    for _, key, raw, right in rows:
        by_kind[kind_of(key)].append((raw, right))
    for kind in KINDS:
        data = by_kind.get(kind)
        if not data:
            maps[kind] = Platt()
            continue
        raw = np.array([r for r, _ in data])
        right = np.array([float(ok) for _, ok in data])
        maps[kind] = fit_platt(raw, right)
        calibrated = np.array([maps[kind](r) for r in raw])
        print(
            f"  {kind:10s} n={len(data):4d} right {right.mean():.3f}  "
            f"mean P {calibrated.mean():.3f}  a={maps[kind].a} b={maps[kind].b}"
        )

    # Simulate routing on the calibrated confidences.
    pairs = match(truth, acts)
    per_act = defaultdict(list)
    for index, key, raw, right in rows:
        per_act[index].append((maps[kind_of(key)](raw), right))
    acts_fields = []
    for index, (_, act) in enumerate(pairs):
        if act is None:
            continue
        blocked = any(i.get("blocking") for i in act.get("issues") or [])
        acts_fields.append((per_act.get(index, []), blocked))
    threshold, precision, accepted = choose_threshold(acts_fields, args.target)
    print(
        f"threshold {threshold}: accepted-field precision {precision:.4f}, "
        f"acts accepted {accepted:.2%} (target {args.target}, for its 95 % lower bound)"
    )
    curves = {f"calibration pages ({names})": _curve(rows, maps)}
    if args.holdout:
        holdout = Path(args.holdout)
        held_rows = field_rows(
            load_truth(holdout), read_folder(holdout, args.workers, calibrated=False)
        )
        curves[f"held-out pages ({holdout.name})"] = _curve(held_rows, maps)
    for label, curve in curves.items():
        print(
            f"  {label}: "
            + ", ".join(
                f"[{b.low:.2f},{b.high:.2f}) n={b.count} P={b.predicted:.3f} right={b.observed:.3f}"
                for b in curve
            )
        )
    if args.plot:
        title = f"Calibration: threshold {threshold} (accepted-field precision {precision:.2%})"
        reliability.draw(curves, threshold, title).save(args.plot)
        print(f"written: {args.plot}")
    print(f"machine: {machine()}")

    if args.write:
        lines = [
            "# Written by benchmarks/calibrate.py: per kind of field,",
            "# P(right) = sigmoid(a * logit(raw) + b).",
            f"# Fitted on {len(rows)} fields of generated pages ({names}).",
            "[kinds]",
        ]
        lines += [f"{kind} = {{ a = {m.a}, b = {m.b} }}" for kind, m in maps.items()]
        (CONFIGS / "calibration.toml").write_text("\n".join(lines) + "\n")
        thresholds = CONFIGS / "thresholds.toml"
        text = thresholds.read_text()
        text = (
            "\n".join(
                f"accept = {threshold}" if line.startswith("accept =") else line
                for line in text.splitlines()
            )
            + "\n"
        )
        thresholds.write_text(text)
        print("written: configs/calibration.toml, configs/thresholds.toml")


if __name__ == "__main__":
    main()
