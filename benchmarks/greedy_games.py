"""Whole greedy games, compiled against the Python loop: time per game and identical records.

    python benchmarks/greedy_games.py                       # every shipped scenario, 30 games each
    python benchmarks/greedy_games.py --games 60 --scenario roadmap-2021 --policies "hard|easy"

For each scenario it compiles (or loads) the game kernels, plays ``--games`` games with the
compiled greedy games (``game.fast.games``, as ``simulate`` plays them once they are ready), then
the same games with them switched off (the greedy player's decisions in Python, the AI's own
kernels still on), and prints milliseconds a game for each, how many games the kernel played
itself, and whether every record was identical.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.fast import games  # noqa: E402
from game.scenario import find_scenario, scenario_files  # noqa: E402
from game.sim.runner import play_game  # noqa: E402


def compare(ref, n: int, specs: tuple[str, str]) -> dict:
    sc = find_scenario(ref)
    if games.prepare(sc) is None:
        return {"scenario": sc.id, "declined": games.declined(sc) or "numba missing or UNION_STATE_NO_FAST=1"}
    played = []
    real = games.FastGames.play_greedy_summary

    def spy(self, *args, **kw):
        out = real(self, *args, **kw)
        played.append(out is not None)
        return out

    games.FastGames.play_greedy_summary = spy
    try:
        t = time.perf_counter()
        fast = [play_game(sc, specs, s) for s in range(n)]
        t_fast = time.perf_counter() - t
    finally:
        games.FastGames.play_greedy_summary = real
    games.use(sc, False)
    try:
        t = time.perf_counter()
        slow = [play_game(sc, specs, s) for s in range(n)]
        t_slow = time.perf_counter() - t
    finally:
        games.use(sc, True)
    return {"scenario": sc.id, "compiled_ms": 1000 * t_fast / n, "python_ms": 1000 * t_slow / n,
            "in_kernel": sum(played), "games": n, "identical": fast == slow}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", action="append", help="scenario id or path (repeatable; default: every shipped one)")
    ap.add_argument("--games", type=int, default=30)
    ap.add_argument("--policies", default="greedy|greedy", help="the two sides' policies, separated by |")
    args = ap.parse_args(argv)
    specs = tuple(args.policies.split("|"))
    if len(specs) != 2:
        ap.error("--policies takes two policies separated by |")
    refs = args.scenario or [str(p) for p in scenario_files()]
    ok = True
    for ref in refs:
        r = compare(ref, args.games, specs)
        if "declined" in r:
            print(f"{r['scenario']}: no compiled games ({r['declined']})")
            continue
        ok &= r["identical"]
        print(f"{r['scenario']:>24}: compiled {r['compiled_ms']:7.2f} ms a game ({r['in_kernel']}/{r['games']} in "
              f"the kernel), Python {r['python_ms']:7.1f} ms, {r['python_ms'] / r['compiled_ms']:5.1f}x; "
              f"records {'identical' if r['identical'] else 'DIFFER'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
