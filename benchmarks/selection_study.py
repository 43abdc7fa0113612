"""Would a correction that knows how a package was chosen read the odds better? (issue: honest
bargaining; a study, not used by the game yet)

    python benchmarks/calibration.py SCENARIO --games 240 --seed 1 --fit --dump fit.jsonl
    python benchmarks/calibration.py SCENARIO --games 240 --seed 7 --fit --dump held.jsonl
    python benchmarks/selection_study.py fit.jsonl held.jsonl

The deal table shows the belief's chance read through a map of the chance alone. A greedy
proposer's packages are the ones its belief overrates (it searched for them), a random proposer's
are not, and the table cannot know how a human chose. But it does know two things that go with
how a package was chosen: what the package gains the proposer ("your standing", ``mine``) and how
unsure the belief is of the other side's gain (the bargaining range's spread, ``sd``). This fits,
on the first file, the scenario's map of the chance alone and logistic corrections with more of
those features, and prints each one's reliability table on the second file (bands of 50+ offers;
``!`` marks a band more than 10 points off) and its Brier score.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from calibration import fit_map  # noqa: E402

MODELS = ((0, "logistic of the chance"), (1, "+ your gain"), (2, "+ your gain, the belief's spread"))


def load(path: str) -> list[dict]:
    rows = [json.loads(line) for line in open(path, encoding="utf-8")]
    missing = [r for r in rows if r.get("mine") is None or r.get("sd") is None]
    if len(missing) == len(rows):
        raise SystemExit(f"{path}: no 'mine' and 'sd' fields; dump it again with this calibration.py")
    return rows


def features(rows: list[dict], kind: int) -> np.ndarray:
    p = np.clip(np.array([r["estimate"] for r in rows]), 1e-4, 1 - 1e-4)
    z = np.log(p / (1 - p))
    mine = np.array([r.get("mine") or 0.0 for r in rows])
    sd = np.log1p(np.array([r.get("sd") or 0.0 for r in rows]))
    cols = [np.ones_like(z), z]
    if kind >= 1:
        cols.append(np.tanh(mine / 5.0))
    if kind >= 2:
        cols += [sd, z * sd]
    return np.stack(cols, 1)


def fit_logistic(X: np.ndarray, y: np.ndarray, l2: float = 1e-3) -> np.ndarray:
    """Maximum likelihood (Newton's method, a touch of ridge)."""
    w = np.zeros(X.shape[1])
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-X @ w))
        g = X.T @ (p - y) + l2 * w
        H = (X.T * (p * (1 - p))) @ X + l2 * np.eye(len(w))
        w -= np.linalg.solve(H, g)
    return w


def bands(ps, accepted) -> tuple[int, str]:
    missed, out = 0, []
    for d in range(10):
        band = [(p, a) for p, a in zip(ps, accepted) if d / 10 <= p < (d + 1) / 10 or (d == 9 and p == 1.0)]
        if len(band) >= 50:
            gap = np.mean([a for _, a in band]) - np.mean([p for p, _ in band])
            bad = abs(gap) > 0.10
            missed += bad
            out.append(f"{d * 10}:{gap * 100:+.0f}{'!' if bad else ''}")
    return missed, " ".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("fit", help="offers to fit on (calibration.py --fit --dump)")
    ap.add_argument("held", help="offers to check on (another seed)")
    args = ap.parse_args(argv)
    fit, held = load(args.fit), load(args.held)
    y = np.array([r["accepted"] for r in fit], dtype=float)
    accepted = [r["accepted"] for r in held]
    print(f"fitted on {len(fit):,} offers, checked on {len(held):,}")
    mapping = fit_map([(r["estimate"], r["accepted"], r["proposer"]) for r in fit])
    xs, ys = [a for a, _ in mapping], [b for _, b in mapping]
    ps = np.interp([r["estimate"] for r in held], xs, ys)
    missed, text = bands(ps, accepted)
    print(f"  {'map of the chance (what ships)':<36} bands off {missed}  Brier {np.mean((ps - accepted) ** 2):.4f}  {text}")
    for kind, name in MODELS:
        w = fit_logistic(features(fit, kind), y)
        ps = 1.0 / (1.0 + np.exp(-features(held, kind) @ w))
        missed, text = bands(ps, accepted)
        print(f"  {name:<36} bands off {missed}  Brier {np.mean((ps - accepted) ** 2):.4f}  {text}")
        print(f"  {'':<36} coefficients {np.round(w, 2).tolist()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
