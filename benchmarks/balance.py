"""Balance of the shipped scenarios, measured with the AI (issue: shipped scenarios, items 5 and 12).

    python benchmarks/balance.py [SCENARIO ...] [--greedy N] [--search N] [--search-spec SPEC]
                                 [--mixed N] [--workers K] [--seed S]

For each scenario it prints:
- greedy vs greedy over N games (default 400): each side's win share and the endings reached;
- search vs search over N games (default 6, with SPEC, default `search:iterations=8`, the cheap
  end of the search player: ~20 s a game on the road map, so raise N with time to spare): the
  same; target for both: neither side above 65%;
- endings never reached by the thinking players (greedy and search), target: none;
- mixed random and greedy play over N games (default 2,000; the four seatings of random and
  greedy in equal parts): how often each ending occurred and every event that never fired
  (target: none).
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
MAX_SHARE = 0.65


def shares(sc, label: str, recs: list[dict]) -> bool:
    """Print one pairing's win shares and endings; whether no side is above MAX_SHARE."""
    a, b = sc.players
    wins = collections.Counter(r["winner"] for r in recs)
    n = max(1, len(recs))
    share = {k: wins.get(k, 0) / n for k in (a, b, None)}
    ok = max(share[a], share[b]) <= MAX_SHARE
    deals = sum(r.get("deals", 0) for r in recs) / n
    print(f"  {label}, {len(recs)} games: {sc.actor(a).name} {share[a]:.1%}, {sc.actor(b).name} "
          f"{share[b]:.1%}, nobody {share[None]:.1%}; {deals:.1f} deals accepted a game"
          f"  [{'ok' if ok else f'MISSED: a side above {MAX_SHARE:.0%}'}]")
    ends = collections.Counter(r["outcome"] for r in recs)
    print("    endings: " + ", ".join(f"{e} {k / n:.0%}" for e, k in ends.most_common()))
    return ok


def measure(path: Path, greedy_games: int, search_games: int, search_spec: str, mixed_games: int,
            workers: int | None, seed: int) -> bool:
    sc = load_scenario(path)
    t0 = time.perf_counter()
    print(f"\n{sc.id}")
    greedy = run_batch(sc, greedy_games, seed, ("greedy", "greedy"), workers=workers)
    ok = shares(sc, "greedy vs greedy", greedy)
    search = run_batch(sc, search_games, seed, (search_spec, search_spec), workers=workers) if search_games else []
    if search:
        ok = shares(sc, f"search vs search ({search_spec})", search) and ok
    thinking = collections.Counter(r["outcome"] for r in greedy + search)
    unthought = [en.id for en in sc.endings if not thinking.get(en.id)]
    print("  endings never reached by the thinking players: " + (", ".join(unthought) or "none"))
    mixed = []
    per = mixed_games // len(PAIRINGS)
    for i, pair in enumerate(PAIRINGS):
        mixed += run_batch(sc, per, seed + 1 + i, pair, workers=workers)
    endings = collections.Counter(r["outcome"] for r in mixed)
    fired = collections.Counter(e for r in mixed for e in set(r["events"]))
    print(f"  mixed random/greedy play, {len(mixed)} games:")
    for en in sc.endings:
        k = endings.get(en.id, 0)
        print(f"    ending {en.id:<26} {k:>6}  ({k / max(1, len(mixed)):.1%})" + ("" if k else "  NEVER"))
    if endings.get("score"):
        print(f"    (decided on scores      {endings['score']:>6}  ({endings['score'] / len(mixed):.1%}))")
    never_end = [en.id for en in sc.endings if not endings.get(en.id)]
    never_fired = [ev.id for ev in sc.events if not fired.get(ev.id)]
    print(f"    events fired: {len(sc.events) - len(never_fired)} of {len(sc.events)}" +
          (f"; never: {', '.join(never_fired)}" if never_fired else ""))
    rare = sorted(((fired.get(ev.id, 0), ev.id) for ev in sc.events))[:3]
    print("    rarest events: " + ", ".join(f"{e} ({k})" for k, e in rare))
    print(f"  [{time.perf_counter() - t0:.0f} s]")
    return ok and not unthought and not never_end and not never_fired


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenarios", nargs="*")
    ap.add_argument("--greedy", type=int, default=400, help="greedy-vs-greedy games (default 400)")
    ap.add_argument("--search", type=int, default=6, help="search-vs-search games (default 6; 0 skips)")
    ap.add_argument("--search-spec", default="search:iterations=8",
                    help="the search player for both sides (default search:iterations=8)")
    ap.add_argument("--mixed", type=int, default=2000, help="mixed random/greedy games (default 2,000)")
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--seed", type=int, default=2021)
    args = ap.parse_args()
    paths = [Path(p) for p in args.scenarios] or sorted((ROOT / "scenarios").glob("*.toml"))
    results = [measure(p, args.greedy, args.search, args.search_spec, args.mixed, args.workers, args.seed)
               for p in paths]
    print("\nall targets met" if all(results) else "\nsome targets missed")
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
