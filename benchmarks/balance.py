"""Balance of the shipped scenarios, measured with the AI (issue: shipped scenarios, item 5).

    python benchmarks/balance.py [SCENARIO ...] [--greedy N] [--mixed N] [--workers K] [--seed S]

For each scenario it prints:
- greedy vs greedy over N games (default 2,000): each side's win share; target: neither above 65%;
- mixed random and greedy play over N games (default 5,000; the four seatings of random and
  greedy in equal parts): how often each ending occurred (target: every ending at least once) and
  every event that never fired (target: none).
Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.scenario import load_scenario  # noqa: E402
from game.sim import run_batch  # noqa: E402

PAIRINGS = (("random", "random"), ("random", "greedy"), ("greedy", "random"), ("greedy", "greedy"))


def measure(path: Path, greedy_games: int, mixed_games: int, workers: int | None, seed: int) -> bool:
    sc = load_scenario(path)
    a, b = sc.players
    t0 = time.perf_counter()
    recs = run_batch(sc, greedy_games, seed, ("greedy", "greedy"), workers=workers)
    wins = collections.Counter(r["winner"] for r in recs)
    share = {k: wins.get(k, 0) / max(1, len(recs)) for k in (a, b, None)}
    ok = max(share[a], share[b]) <= 0.65
    print(f"\n{sc.id}: greedy vs greedy, {len(recs)} games: "
          f"{sc.actor(a).name} {share[a]:.1%}, {sc.actor(b).name} {share[b]:.1%}, nobody {share[None]:.1%}"
          f"  [{'ok' if ok else 'MISSED: a side above 65%'}]")
    mixed = []
    per = mixed_games // len(PAIRINGS)
    for i, pair in enumerate(PAIRINGS):
        mixed += run_batch(sc, per, seed + 1 + i, pair, workers=workers)
    endings = collections.Counter(r["outcome"] for r in mixed)
    fired = collections.Counter(e for r in mixed for e in set(r["events"]))
    print(f"  mixed random/greedy play, {len(mixed)} games:")
    for en in sc.endings:
        n = endings.get(en.id, 0)
        print(f"    ending {en.id:<26} {n:>6}  ({n / len(mixed):.1%})" + ("" if n else "  NEVER"))
    if endings.get("score"):
        print(f"    (decided on scores      {endings['score']:>6}  ({endings['score'] / len(mixed):.1%}))")
    never_end = [en.id for en in sc.endings if not endings.get(en.id)]
    never_fired = [ev.id for ev in sc.events if not fired.get(ev.id)]
    print(f"    events fired: {len(sc.events) - len(never_fired)} of {len(sc.events)}" +
          (f"; never: {', '.join(never_fired)}" if never_fired else ""))
    rare = sorted(((fired.get(ev.id, 0), ev.id) for ev in sc.events))[:3]
    print("    rarest events: " + ", ".join(f"{e} ({n})" for n, e in rare))
    print(f"  [{time.perf_counter() - t0:.0f} s]")
    return ok and not never_end and not never_fired


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenarios", nargs="*")
    ap.add_argument("--greedy", type=int, default=2000)
    ap.add_argument("--mixed", type=int, default=5000)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--seed", type=int, default=2021)
    args = ap.parse_args()
    paths = [Path(p) for p in args.scenarios] or sorted((ROOT / "scenarios").glob("*.toml"))
    results = [measure(p, args.greedy, args.mixed, args.workers, args.seed) for p in paths]
    print("\nall targets met" if all(results) else "\nsome targets missed")
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
