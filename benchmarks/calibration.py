"""How honest the deal table's odds are, and how well beliefs learn (issue: honest bargaining).

    python benchmarks/calibration.py [SCENARIO ...] [--games N] [--workers K] [--seed S]
                                     [--fit [--write]] [--dump FILE] [--offers FILE ...]

With several scenarios, each plays N games and the table pools their offers (the map is one for
every scenario, so it is best fitted on several).

Calibration: random and greedy proposers (in equal parts, from both seats) play whole games
against the normal AI. The proposing side holds a belief exactly as a human player's deal table
does (``game.ai.beliefs.Belief``, learning from every move of the other side). Each time it
tables a package or a counter, the chance that belief gives is written down next to what the
normal AI then did. The reliability table groups the offers by decile of the estimate and
compares the mean estimate with the share accepted; the Brier score is the mean squared error.
Target: every band with at least 50 offers within 10 points.

The chance written down is the one the deal table shows: the belief's own chance read through the
scenario's reliability map (its own, in ``game/ai/odds.toml``, when one was fitted on that very
file; else ``game.ai.beliefs.SHOWN``). ``--fit`` plays the games with the maps turned off and
prints a map fitted to all their offers (the offers in each tenth of the chance, adjacent bins
pooled where the share accepted would fall), to paste over ``SHOWN``; with ``--write`` it also
stores each scenario's own map, fitted on that scenario's offers, in ``game/ai/odds.toml``. Check
either on another seed. ``--dump FILE`` writes every offer as a JSON line and ``--offers FILE ...``
reads such files instead of playing (``--fit --offers`` refits without replaying).

Learning: in greedy-vs-greedy games, how far each side's belief (its mean weights) is from the
other side's true weights (``beliefs.distance``, 0 = the same priorities, 1 = nothing in common)
at turn 1 and at the end; the share of games where it shrank.
Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.ai import make_policy  # noqa: E402
from game.ai.beliefs import Belief, distance  # noqa: E402
from game.ai.policy import tell  # noqa: E402
from game.engine import apply, legal_moves, start, view  # noqa: E402
from game.ui import explain  # noqa: E402
from game.scenario import find_scenario, load_scenario  # noqa: E402
from game.sim.runner import game_seed  # noqa: E402

PROPOSERS = ("random", "greedy")


def _scenario(name: str):
    return load_scenario(name) if name.endswith(".toml") else find_scenario(name)


def offers_of_game(args: tuple) -> tuple[list[tuple], tuple[float, float] | None]:
    """One game: a proposer policy in one seat, the normal AI in the other. Returns the offers
    made to the normal AI as (estimate, accepted, proposer, terms, counter, mine, sd) and, for greedy vs greedy, the
    mean belief distance (turn 1, end) over both sides."""
    name, seed, proposer, seat, *raw = args
    if raw and raw[0]:  # --fit: the belief's own chance, not the map's (a forked or new worker)
        import numpy as np

        from game.ai import beliefs
        beliefs._SHOWN_X, beliefs._SHOWN_Y = np.array([0.0, 1.0]), np.array([0.0, 1.0])
        beliefs.fitted_maps = dict  # no scenario's own map either
    sc = _scenario(name)
    players = sc.players
    specs = ["normal", "normal"]
    specs[seat] = proposer
    pols = [make_policy(specs[i], sc, players[i], seed=seed) for i in (0, 1)]
    belief = Belief(sc, seat, seed)  # the proposing side's deal table
    learners = [*pols, belief]
    rngs = [random.Random(game_seed(seed, 1_000_003 + i)) for i in (0, 1)]
    state = start(sc, seed, record=False).state
    offers = []
    pending = None
    dist0 = None
    if proposer == "greedy":
        dist0 = _distances(pols, sc)
    while not state.is_over:
        a = state.actor
        move = pols[a].choose(view(state, players[a]), legal_moves(state), rngs[a])
        if a == seat and move.kind in ("propose", "counter"):
            b = explain.bargain(state, move, belief)  # the deal table's own figures (a legal move)
            pending = (b.chance, len(move.terms), move.kind == "counter", round(b.mine, 3),
                       round((b.hi - b.lo) / 2.563, 3))  # the 10th-90th percentile span, in sd
        elif a != seat and pending is not None and move.kind in ("accept", "reject", "counter"):
            offers.append((pending[0], move.kind == "accept", proposer, *pending[1:]))
            pending = None
        tell(learners, state, move)
        state = apply(state, move, record=False).state
    learnt = None
    if dist0 is not None:
        learnt = (dist0, _distances(pols, sc))
    return offers, learnt


def _distances(pols, sc) -> float:
    """Mean over both sides of the distance from its belief's mean weights to the other's truth."""
    return sum(distance(p.belief.mean_weights(), sc.weights[1 - i]) for i, p in enumerate(pols)) / 2


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenario", nargs="*", default=["roadmap-2021"])
    ap.add_argument("--games", type=int, default=240,
                    help="games per scenario (default 240: 60 per proposer and seat)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--fit", action="store_true", help="fit a new reliability map (SHOWN) to these games")
    ap.add_argument("--write", action="store_true",
                    help="with --fit: store each scenario's own map (fitted on its offers alone) in game/ai/odds.toml")
    ap.add_argument("--offers", nargs="+", metavar="DUMP.jsonl",
                    help="read offers written by --dump (with the map off, for --fit) instead of playing games")
    ap.add_argument("--dump", metavar="FILE.jsonl",
                    help="write each offer as a JSON line (estimate, accepted, proposer, terms, counter, "
                         "mine: the proposer's own gain as the deal table shows it, sd: the spread of "
                         "the belief about the other side's gain)")
    args = ap.parse_args(argv)
    tasks = [(name, game_seed(args.seed, i), PROPOSERS[i % 2], (i // 2) % 2, args.fit)
             for name in args.scenario for i in range(args.games)]
    t0 = time.perf_counter()
    if args.offers:
        results, where = [], {}
        for path in args.offers:
            for line in open(path, encoding="utf-8"):
                o = json.loads(line)
                name = o.get("scenario", args.scenario[0])
                where.setdefault(name, []).append((o["estimate"], o["accepted"], o["proposer"], o["terms"],
                                                   o["counter"], o.get("mine"), o.get("sd")))
        by_scenario = where
    else:
        if args.workers > 1:
            with ProcessPoolExecutor(args.workers) as ex:
                results = list(ex.map(offers_of_game, tasks, chunksize=4))
        else:
            results = [offers_of_game(t) for t in tasks]
        by_scenario = {}
        for task, (found, _) in zip(tasks, results):
            by_scenario.setdefault(task[0], []).extend(found)
    offers = [o for found in by_scenario.values() for o in found]
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as f:
            for name, found in by_scenario.items():
                for p, a, who, n, counter, mine, sd in found:
                    f.write(json.dumps({"scenario": name, "estimate": p, "accepted": a, "proposer": who,
                                        "terms": n, "counter": counter, "mine": mine, "sd": sd}) + "\n")
    learnt = [x for _, x in results if x is not None]
    source = f"{len(args.offers)} files" if args.offers else f"{len(tasks)} games"
    print(f"{', '.join(by_scenario)}: {len(offers):,} offers to the normal AI in {source} "
          f"({time.perf_counter() - t0:.0f} s)\n")
    if args.fit:
        print("the belief's own chances (the map off):")
    ok = report(offers, None if args.offers else [found for found, _ in results])
    if args.fit:
        print("\nSHOWN = " + repr(fit_map(offers)))
        if args.write:
            write_maps({name: (_scenario(name).digest, fit_map(found), len(found))
                        for name, found in by_scenario.items()})
    if learnt:
        shrank = sum(1 for a, b in learnt if b < a)
        first = sum(a for a, _ in learnt) / len(learnt)
        last = sum(b for _, b in learnt) / len(learnt)
        print(f"\nbelief distance to the truth, greedy vs greedy, {len(learnt)} games: "
              f"turn 1 {first:.3f}, end {last:.3f}; shrank in {shrank} ({shrank / len(learnt):.0%})")
        ok = ok and shrank > len(learnt) / 2
    return 0 if ok else 1


def write_maps(maps: dict[str, tuple[str, tuple, int]]) -> None:
    """Store each scenario's map, with the digest of the file it was fitted on, in the odds file
    (entries of other scenarios are kept)."""
    import tomllib

    from game.ai.beliefs import ODDS_FILE

    entries = {}
    if ODDS_FILE.exists():
        entries = {k: (v["digest"], tuple(tuple(p) for p in v["map"]), v.get("offers", 0))
                   for k, v in tomllib.loads(ODDS_FILE.read_text(encoding="utf-8")).items()}
    entries.update(maps)
    lines = ["# Each shipped scenario's reliability map for the deal table's odds (game.ai.beliefs).",
             "# Written by `python benchmarks/calibration.py SCENARIO --fit --write`; a map applies only to",
             "# the file whose sha256 digest it names, so edit the scenario and refit.", ""]
    for name in sorted(entries):
        digest, points, n = entries[name]
        pts = ", ".join(f"[{x}, {y}]" for x, y in points)
        lines += [f"[{name}]", f'digest = "{digest}"', f"offers = {n}", f"map = [{pts}]", ""]
    ODDS_FILE.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {', '.join(sorted(maps))} to {ODDS_FILE}")


def fit_map(offers: list[tuple[float, bool, str]], bins: int = 10) -> tuple:
    """A monotone reliability map from (chance, accepted) pairs: the mean chance and the share
    accepted in each of ``bins`` equal bins of the chance, adjacent bins pooled while a share
    would fall (pool-adjacent-violators), between (0, 0) and (1, 1)."""
    blocks = []  # [sum of chances, number accepted, offers]
    for k in range(bins):
        sel = [(p, a) for p, a, *_ in offers if k / bins <= p < (k + 1) / bins or (k == bins - 1 and p == 1.0)]
        if sel:
            blocks.append([sum(p for p, _ in sel), float(sum(a for _, a in sel)), len(sel)])
    i = 0
    while i < len(blocks) - 1:
        a, b = blocks[i], blocks[i + 1]
        if a[1] / a[2] > b[1] / b[2]:
            blocks[i:i + 2] = [[a[0] + b[0], a[1] + b[1], a[2] + b[2]]]
            i = max(i - 1, 0)
        else:
            i += 1
    knots = [(round(x / n, 3), round(y / n, 3)) for x, y, n in blocks]
    return tuple([(0.0, 0.0), *knots, (1.0, 1.0)])


def _band(d: int, p: float) -> bool:
    return d / 10 <= p < (d + 1) / 10 or (d == 9 and p == 1.0)


def gap_intervals(games: list[list[tuple]], reps: int = 400, seed: int = 0) -> dict[int, tuple[float, float]]:
    """Per band, a 95% interval for (share accepted − mean estimate) from resampling whole games:
    the offers of one game are alike (the same sides, often the same package again), so a band
    of 100 offers carries less evidence than 100 independent ones would."""
    rng = random.Random(seed)
    # per game and band: (offers, sum of estimates, number accepted)
    sums = [[[0, 0.0, 0] for _ in range(10)] for _ in games]
    for g, found in enumerate(games):
        for p, a, *_ in found:
            d = min(9, int(p * 10))
            cell = sums[g][d]
            cell[0] += 1
            cell[1] += p
            cell[2] += a
    draws: dict[int, list[float]] = {d: [] for d in range(10)}
    for _ in range(reps):
        pick = [sums[rng.randrange(len(games))] for _ in games]
        for d in range(10):
            n = sum(c[d][0] for c in pick)
            if n:
                draws[d].append((sum(c[d][2] for c in pick) - sum(c[d][1] for c in pick)) / n)
    out = {}
    for d, xs in draws.items():
        if len(xs) >= 20:
            xs.sort()
            out[d] = (xs[int(0.025 * (len(xs) - 1))], xs[int(round(0.975 * (len(xs) - 1)))])
    return out


def report(offers: list[tuple], games: list[list[tuple]] | None = None) -> bool:
    """Print the reliability table and Brier score; True when every band of 50 or more offers
    is within 10 points. With ``games`` (the offers game by game), each gap gets a 95% interval
    from resampling games."""
    ok = True
    ci = gap_intervals(games) if games else {}
    print(f"{'estimate':<10}{'offers':>8}{'mean estimate':>15}{'accepted':>10}{'gap':>8}"
          + ("   95% interval (games resampled)" if ci else ""))
    for d in range(10):
        band = [(p, a) for p, a, *_ in offers if _band(d, p)]
        if not band:
            print(f"{d * 10:>3}–{d * 10 + 10:<3}%  {0:>8}")
            continue
        mean = sum(p for p, _ in band) / len(band)
        rate = sum(a for _, a in band) / len(band)
        gap = rate - mean
        flag = ""
        if len(band) >= 50 and abs(gap) > 0.10:
            ok = False
            flag = "  MISSED"
        interval = f"   {ci[d][0] * 100:+6.1f} to {ci[d][1] * 100:+5.1f}" if d in ci else ""
        print(f"{d * 10:>3}–{d * 10 + 10:<3}%  {len(band):>8}{mean:>14.1%}{rate:>10.1%}{gap * 100:>+7.1f}{interval}{flag}")
    for who in PROPOSERS:
        sub = [(p, a) for p, a, w, *_ in offers if w == who]
        if sub:
            brier = sum((p - a) ** 2 for p, a in sub) / len(sub)
            rate = sum(a for _, a in sub) / len(sub)
            print(f"{who} proposers: {len(sub):,} offers, accepted {rate:.1%}, Brier {brier:.3f}")
    brier = sum((p - a) ** 2 for p, a, *_ in offers) / max(1, len(offers))
    print(f"all: Brier score {brier:.3f}  [{'ok' if ok else 'MISSED: a band is more than 10 points off'}]")
    return ok


if __name__ == "__main__":
    raise SystemExit(main())
