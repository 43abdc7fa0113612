"""Stored reference playthroughs, diffed on every run.

- the test scenario, random play with seed 7;
- every shipped scenario: its historical line, then greedy play on both sides to the end (seed 1).

A change to the rules, the AI or a scenario that alters play shows up as a readable diff. A missing
file is a failure, never written silently. When the change is intended, regenerate with:

    UPDATE_PLAYTHROUGHS=1 python -m pytest tests/test_playthrough.py
"""

import os
import random

import pytest

from game.ai import make_policy
from game.describe import describe_move
from game.engine import legal_moves, outcome, view
from game.scenario import load_scenario
from game.session import Session
from tests.conftest import HERE, ROOT

STORED = HERE / "playthroughs"
SHIPPED = sorted((ROOT / "scenarios").glob("*.toml"))
SEED = 1


def transcript(scenario, seed: int, choose=None) -> str:
    """The game, move by move with every change and event; ``choose(state, legal, rng)`` picks moves
    (random play when None)."""
    s = Session(scenario, seed)
    rng = random.Random(seed)
    lines = [f"start: fired {', '.join(s.steps[0].fired) or '-'}"]
    while not s.state.is_over:
        legal = legal_moves(s.state)
        move = choose(s.state, legal, rng) if choose else rng.choice(legal)
        step = s.apply(move)
        lines.append(f"T{s.steps[-2].state.turn} {describe_move(scenario, move)}")
        for c in step.changes:
            lines.append(f"    {c.meter}: {c.before:g} -> {c.after:g} ({c.cause})")
        for f in step.fired:
            lines.append(f"    fired {f}")
    o = outcome(s.state)
    lines.append(f"outcome: {o.ending} winner={o.winner} scores={o.scores}")
    return "\n".join(lines) + "\n"


def historical_then_greedy(scenario, seed: int) -> str:
    """The historical line on both sides (its policy plays greedy once the line is over)."""
    policies = {a: make_policy("historical", scenario, a, seed=seed) for a in scenario.players}

    def choose(state, legal, rng):
        return policies[state.actor_id].choose(view(state, state.actor_id), legal, rng)

    return transcript(scenario, seed, choose)


def check(text: str, name: str) -> None:
    path = STORED / name
    if os.environ.get("UPDATE_PLAYTHROUGHS"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no stored playthrough {path}; generate it with UPDATE_PLAYTHROUGHS=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; if intended, UPDATE_PLAYTHROUGHS=1"


def test_the_reference_playthrough_is_unchanged(harbour):
    check(transcript(harbour, 7), "harbour-seed-7.txt")


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_the_reference_playthrough_of_every_shipped_scenario_is_unchanged(path):
    sc = load_scenario(path)
    check(historical_then_greedy(sc, SEED), f"{sc.id}-historical-greedy-seed-{SEED}.txt")
