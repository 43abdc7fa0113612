"""Do beliefs learn what matters for bargaining? (issue: honest bargaining)

    python benchmarks/belief_ranking.py [SCENARIO] [--games N] [--seed S]

The distance between a belief's mean weights and the true ones (calibration.py) can grow while the
belief gets better at what a bargainer needs: telling which packages the other side gains from.
For each greedy-vs-greedy game this takes up to 300 packages that could be tabled at the first
proposal, and for each side's belief the correlation, over those packages, between the gain it
believes the other side gets (its mean weights) and the true gain (the other side's true
weights), at that first proposal and again at the end of the game. Prints the mean correlations
and the share of games where they rose.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.ai import make_policy  # noqa: E402
from game.ai.beliefs import normalised  # noqa: E402
from game.ai.likelihood import package_features  # noqa: E402
from game.ai.policy import tell  # noqa: E402
from game.engine import apply, legal_moves, start, view  # noqa: E402
from game.scenario import find_scenario, load_scenario  # noqa: E402
from game.sim.runner import game_seed  # noqa: E402


def correlation(sc, belief, state, side: int, deals) -> float:
    """Correlation over ``deals`` between the gain ``belief`` gives the other side and its true gain."""
    vs = view(state, sc.players[side]).state
    truth = np.zeros(belief.n)
    for slot, w in normalised(sc.weights[1 - side]).items():
        truth[slot] = w
    believed, true = [], []
    for deal in deals:
        x, _ = package_features(belief, vs, deal)
        believed.append(float(x[:belief.n] @ belief.mu[:belief.n]))
        true.append(float(x[:belief.n] @ truth))
    return float(np.corrcoef(believed, true)[0, 1])


def one_game(sc, seed: int, index: int):
    """(correlations at the first proposal, correlations at the end), one per side; None when no
    package was ever on offer."""
    pols = [make_policy("greedy", sc, sc.players[i], seed=seed) for i in (0, 1)]
    rngs = [random.Random(game_seed(seed, 1_000_003 + i)) for i in (0, 1)]
    state = start(sc, seed, record=False).state
    first = None
    while not state.is_over:
        legal = legal_moves(state)
        if first is None:
            offers = [m.terms for m in legal if m.kind == "propose"]
            if offers:
                deals = random.Random(index).sample(offers, min(300, len(offers)))
                first = (state, deals, [correlation(sc, pols[i].belief, state, i, deals) for i in (0, 1)])
        a = state.actor
        move = pols[a].choose(view(state, sc.players[a]), legal, rngs[a])
        tell(pols, state, move)
        state = apply(state, move, record=False).state
    if first is None:
        return None
    at, deals, before = first
    return before, [correlation(sc, pols[i].belief, at, i, deals) for i in (0, 1)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenario", nargs="?", default="roadmap-2021")
    ap.add_argument("--games", type=int, default=20)
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args(argv)
    sc = load_scenario(args.scenario) if args.scenario.endswith(".toml") else find_scenario(args.scenario)
    results = [r for i in range(args.games) if (r := one_game(sc, game_seed(args.seed, i), i)) is not None]
    if not results:
        print("no package was ever on offer")
        return 1
    print(f"{sc.id}: {len(results)} greedy-vs-greedy games, up to 300 packages each")
    for side in (0, 1):
        start_c = float(np.mean([r[0][side] for r in results]))
        end_c = float(np.mean([r[1][side] for r in results]))
        rose = sum(r[1][side] > r[0][side] for r in results)
        print(f"  {sc.players[side]}'s belief about {sc.players[1 - side]}: correlation of believed and true gain "
              f"{start_c:.3f} at the first proposal, {end_c:.3f} at the end; rose in {rose} of {len(results)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
