"""Learning-agent interface speed (the `rl` extra): the action table's size and build time, the
PettingZoo environment's steps/s and whole games/s with random masked actions, the time to build
a mask from a list of every deal, and OpenSpiel's random play.

    python benchmarks/env.py [SCENARIO ...] [--seconds S]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.engine import Move  # noqa: E402
from game.env import ActionTable, env  # noqa: E402
from game.scenario import load_scenario  # noqa: E402


def bench(path: Path, seconds: float) -> None:
    sc = load_scenario(path)
    t0 = time.perf_counter()
    table = ActionTable(sc)
    build_ms = (time.perf_counter() - t0) * 1000
    deals = [Move("propose", sc.players[0], terms=d[::-1]) for d in table.deals]
    table.mask(deals)
    t0 = time.perf_counter()
    table.mask(deals)
    mask_ms = (time.perf_counter() - t0) * 1000

    e = env(sc, seed=1)
    rng = random.Random(1)
    steps = games = 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        e.reset(seed=games)
        for agent in e.agent_iter():
            obs, _, terminated, truncated, _ = e.last()
            if terminated or truncated:
                e.step(None)
                continue
            legal = obs["action_mask"].nonzero()[0]
            e.step(int(legal[rng.randrange(len(legal))]))
            steps += 1
        games += 1
    dt = time.perf_counter() - t0
    line = (f"{sc.id}: {table.size:,} actions ({len(table.deals):,} deals), table built in {build_ms:.0f} ms, "
            f"mask of every deal {mask_ms:.1f} ms; PettingZoo {steps / dt:,.0f} steps/s, {games / dt:,.1f} games/s")
    try:
        import pyspiel

        import game.env.spiel  # noqa: F401
    except ImportError:
        print(line + "; OpenSpiel not installed")
        return
    g = pyspiel.load_game("python_union_state", {"scenario": str(path), "seed": 1})
    n = played = 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        s = g.new_initial_state()
        while not s.is_terminal():
            s.apply_action(rng.choice(s.legal_actions()))
            n += 1
        played += 1
    dt = time.perf_counter() - t0
    print(line + f"; OpenSpiel {n / dt:,.0f} actions/s, {played / dt:,.1f} games/s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenarios", nargs="*", metavar="SCENARIO")
    ap.add_argument("--seconds", type=float, default=2.0)
    args = ap.parse_args()
    paths = [Path(p) for p in args.scenarios] or sorted((ROOT / "scenarios").glob("*.toml")) + [
        ROOT / "tests" / "scenarios" / "harbour.toml"]
    for p in paths:
        bench(p, args.seconds)


if __name__ == "__main__":
    main()
