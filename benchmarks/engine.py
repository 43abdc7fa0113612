"""Engine speed: apply() moves/s under random play (with and without change records), whole
random games/s through legal_moves() and apply(), and validate time.

    python benchmarks/engine.py [SCENARIO ...]

Targets (DESIGN §8): apply >= 60,000 moves/s with random play; validate <= 100 ms.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.engine import apply, legal_moves, new_game  # noqa: E402
from game.scenario import load_scenario  # noqa: E402


def bench(path: Path, seconds: float = 3.0) -> None:
    times = []
    for _ in range(15):
        t0 = time.perf_counter()
        sc = load_scenario(path)
        times.append(time.perf_counter() - t0)
    validate_ms = statistics.median(times) * 1000

    # Record random games' moves first, then time apply() alone on them.
    rng = random.Random(1)
    lines = []
    games = 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        state = new_game(sc, games)
        line = [state]
        moves = []
        while not state.is_over:
            m = rng.choice(legal_moves(state))
            moves.append(m)
            state = apply(state, m).state
            line.append(state)
        lines.append((line, moves))
        games += 1
    whole = games / (time.perf_counter() - t0)
    rates = []
    for record in (True, False):  # with change records (the interface), without (simulation)
        n = 0
        t0 = time.perf_counter()
        for line, moves in lines:
            for s, m in zip(line, moves):
                apply(s, m, record=record)
                n += 1
        rates.append(n / (time.perf_counter() - t0))
    print(f"{sc.id:<24} apply {rates[0]:>9,.0f} moves/s ({rates[1]:>9,.0f} unrecorded)   "
          f"random games {whole:>7,.0f} games/s ({n / games:.0f} moves/game)   validate {validate_ms:.1f} ms")


if __name__ == "__main__":
    paths = [Path(p) for p in sys.argv[1:]] or [ROOT / "tests/scenarios/harbour.toml",
                                                 *sorted((ROOT / "scenarios").glob("*.toml"))]
    for p in paths:
        bench(p)
