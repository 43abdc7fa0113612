"""A stored reference playthrough of the test scenario, diffed on every run.

A change to the rules that alters play shows up as a readable diff. When the change is intended,
regenerate with:  UPDATE_PLAYTHROUGHS=1 python -m pytest tests/test_playthrough.py
"""

import os
import random

from game.describe import describe_move
from game.engine import legal_moves, outcome
from game.session import Session
from tests.conftest import HERE

STORED = HERE / "playthroughs" / "harbour-seed-7.txt"


def transcript(scenario, seed: int) -> str:
    s = Session(scenario, seed)
    rng = random.Random(seed)
    lines = [f"start: fired {', '.join(s.steps[0].fired) or '-'}"]
    while not s.state.is_over:
        move = rng.choice(legal_moves(s.state))
        step = s.apply(move)
        lines.append(f"T{s.steps[-2].state.turn} {describe_move(scenario, move)}")
        for c in step.changes:
            lines.append(f"    {c.meter}: {c.before:g} -> {c.after:g} ({c.cause})")
        for f in step.fired:
            lines.append(f"    fired {f}")
    o = outcome(s.state)
    lines.append(f"outcome: {o.ending} winner={o.winner} scores={o.scores}")
    return "\n".join(lines) + "\n"


def test_the_reference_playthrough_is_unchanged(harbour):
    text = transcript(harbour, 7)
    if os.environ.get("UPDATE_PLAYTHROUGHS") or not STORED.exists():
        STORED.write_text(text, encoding="utf-8")
    assert text == STORED.read_text(encoding="utf-8")
