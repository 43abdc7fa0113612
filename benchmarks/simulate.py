"""Speed of headless simulation: whole games per second and the search policy's decision time.

    python benchmarks/simulate.py                 # test scenario and the default scenario
    python benchmarks/simulate.py --quick         # fewer games, for a smoke run
    python benchmarks/simulate.py --scenario tests/scenarios/harbour.toml --json

Targets (DESIGN §8, one core): random vs random ≥ 1,000 games/s, greedy vs greedy ≥ 200 games/s,
two workers ≥ 1.8× one, the searching AI's decision (the expert level: 200 playouts, capped at
0.25 s) ≤ 300 ms at the 95th percentile. Each figure is the best
of ``--repeat`` runs, since other work on the machine only ever slows a run down. The compiled
fast path's own targets (issue 13, one core) are printed next to its figures: random ≥ 5,000
games/s, greedy ≥ 600 games/s, ≥ 100 search playouts per 250 ms decision.

One-worker figures and the search's playouts per decision are given for the Python path and, when
numba is installed, the compiled fast path (``game.fast``: the greedy AI's kernels; whole random
games, whole greedy games and the search's greedy playouts, ``game.fast.games``; both compiled
before timing, and the compile times printed); two workers run as a batch would (the fast path
once its kernels are compiled on disk).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game import fast  # noqa: E402
from game.fast import games as fast_games  # noqa: E402
from game.ai import make_policy  # noqa: E402
from game.ai.evaluate import Model  # noqa: E402
from game.engine import apply, legal_moves, new_game, view  # noqa: E402
from game.scenario import ScenarioError, find_scenario  # noqa: E402
from game.sim import run_batch  # noqa: E402
from game.sim.runner import game_seed  # noqa: E402

SCENARIOS = [ROOT / "tests" / "scenarios" / "harbour.toml", "roadmap-2021"]


def games_per_second(sc, policy: str, games: int, workers: int, repeat: int) -> float:
    best = float("inf")
    for r in range(repeat):
        t0 = time.perf_counter()
        run_batch(sc, games, seed=r, policies=policy, workers=workers)
        best = min(best, time.perf_counter() - t0)
    return games / best


def decision_times(sc, spec: str, games: int, seed: int = 0) -> list[float]:
    """Seconds per decision of ``spec`` (playing each side in turn against greedy), counting only
    decisions with a real choice (two or more legal moves)."""
    times = []
    for g in range(games):
        s = game_seed(seed, g)
        me = g % 2
        pols = [make_policy(spec if i == me else "greedy", sc, sc.players[i], seed=s) for i in (0, 1)]
        rngs = [random.Random(s + i) for i in (0, 1)]
        state = new_game(sc, s)
        while not state.is_over:
            a = state.actor
            legal = legal_moves(state)
            v = view(state, sc.players[a])
            t0 = time.perf_counter()
            move = pols[a].choose(v, legal, rngs[a])
            dt = time.perf_counter() - t0
            if a == me and len(legal) > 1:
                times.append(dt)
            state = apply(state, move).state
    return times


def search_positions(sc, count: int = 12, seed: int = 0) -> list:
    """Positions where a side has a real choice, every 6th of a greedy game (and the next games,
    until there are ``count``): the same for both paths, so their playouts compare."""
    out = []
    g = 0
    while len(out) < count and g < 20:
        s = game_seed(seed, g)
        pols = [make_policy("greedy", sc, sc.players[i], seed=s) for i in (0, 1)]
        rngs = [random.Random(s + i) for i in (0, 1)]
        state = new_game(sc, s)
        k = 0
        while not state.is_over and len(out) < count:
            a = state.actor
            legal = legal_moves(state)
            if len(legal) > 1:
                k += 1
                if k % 6 == 0:
                    out.append(state)
            move = pols[a].choose(view(state, sc.players[a]), legal, rngs[a])
            for p in pols:
                p.observe(state, move)
            state = apply(state, move).state
        g += 1
    return out


def playouts(sc, states, cap: float = 0.25) -> float:
    """Mean playouts of a search player per decision at a ``cap``-second budget (the search
    player's cap), over the given positions where it searched (a clear choice needs none)."""
    counts = []
    spec = f"search:iterations=1000000,time={cap}"
    for state in states:
        side = sc.players[state.actor]
        pol = make_policy(spec, sc, side, seed=1)
        pol.choose(view(state, side), legal_moves(state), random.Random(1))
        if pol.last_iterations:
            counts.append(pol.last_iterations)
    return statistics.mean(counts) if counts else 0.0


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def bench(ref, quick: bool, repeat: int) -> dict:
    sc = find_scenario(ref)
    scale = 0.2 if quick else 1.0
    out: dict = {"scenario": sc.id}
    model = Model.of(sc)
    t0 = time.perf_counter()
    model.use_fast(True)
    has_fast = model.fast() is not None
    out["compile_s"] = {"greedy": round(time.perf_counter() - t0, 1)}
    t0 = time.perf_counter()
    has_games = fast_games.prepare(sc) is not None
    out["compile_s"]["games"] = round(time.perf_counter() - t0, 1)
    out["fast"] = "on" if has_fast else f"off ({fast.declined(sc) or 'numba missing or UNION_STATE_NO_FAST=1'})"
    for policy, n in (("random", 3000), ("greedy", 600)):
        n = max(40, int(n * scale))
        if policy == "greedy":  # tens of seconds a run on the road map: fewer games
            n = max(20, n // (10 if sc.id == "roadmap-2021" else 1))
        on = (has_fast or has_games) if policy == "greedy" else has_games
        model.use_fast(False)
        fast_games.use(sc, False)
        one = games_per_second(sc, policy, n, 1, repeat)
        model.use_fast(has_fast)
        fast_games.use(sc, True)
        if on:  # a run long enough to time (compiled games take a few dozen µs, greedy ones a few ms)
            n = 5 * n if policy == "random" else 10 * n
        one_fast = games_per_second(sc, policy, n, 1, repeat) if on else None
        two = games_per_second(sc, policy, 2 * n, 2, repeat)
        best = one_fast or one
        out[policy] = {"games": n, "one_worker": round(one, 1),
                       "one_worker_fast": None if one_fast is None else round(one_fast, 1),
                       "two_workers": round(two, 1), "speedup": round(two / best, 2)}
    model.use_fast(False)
    fast_games.use(sc, False)
    states = search_positions(sc, 6 if quick else 12)
    out["playouts"] = {"positions": len(states), "python": round(playouts(sc, states), 1)}
    if has_fast or has_games:  # the AI's kernels for the search's own judgement, whole playouts compiled
        model.use_fast(has_fast)
        fast_games.use(sc, True)
        out["playouts"]["fast"] = round(playouts(sc, states), 1)
    ts = decision_times(sc, "expert", 2 if quick else 6)  # the searching level: 200 playouts or 0.25 s
    out["expert"] = {"decisions": len(ts), "p50_ms": round(1000 * statistics.median(ts), 1),
                   "p95_ms": round(1000 * pct(ts, 0.95), 1), "max_ms": round(1000 * max(ts), 1)}
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", action="append", help="scenario id or path (repeatable)")
    ap.add_argument("--quick", action="store_true", help="fewer games")
    ap.add_argument("--repeat", type=int, default=3, help="runs per figure; the best is kept")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    results = []
    for ref in args.scenario or SCENARIOS:
        try:
            results.append(bench(ref, args.quick, args.repeat))
        except ScenarioError as exc:
            print(f"skipping {ref}: {exc.problems[0]}", file=sys.stderr)
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    for r in results:
        cs = r["compile_s"]
        print(f"{r['scenario']} (fast path {r['fast']}; compiled or loaded in {cs['greedy']:.1f} s, "
              f"whole games in {cs['games']:.1f} s)")
        for p, target, fast_target in (("random", 1000, 5000), ("greedy", 200, 600)):
            x = r[p]
            quick = ("" if x["one_worker_fast"] is None
                     else f", fast path {x['one_worker_fast']:>8,.1f} (target {fast_target:,})")
            print(f"  {p:>6} vs {p:<6} 1 worker: Python path {x['one_worker']:>8,.1f} (target {target:,}){quick} "
                  f"games/s; {x['two_workers']:>8,.1f} on 2 = {x['speedup']:.2f}x (target 1.8x)")
        pl = r["playouts"]
        print(f"  search playouts per 250 ms decision ({pl['positions']} positions): Python path {pl['python']:.1f}"
              + (f", fast path {pl['fast']:.1f} (target 100)" if "fast" in pl else ""))
        h = r["expert"]
        print(f"  expert AI decision (search, 0.25 s cap): p50 {h['p50_ms']:.0f} ms, p95 {h['p95_ms']:.0f} ms (target 300), "
              f"max {h['max_ms']:.0f} ms over {h['decisions']} decisions")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
