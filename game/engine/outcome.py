"""How a finished game came out."""

from __future__ import annotations

import attrs

from game.engine.rules import scores
from game.engine.state import State


@attrs.frozen
class Outcome:
    ending: str          # ending id, or "score" when the final scores decided
    title: str
    text: str
    grade: str
    winner: str | None   # actor id, or None when nobody wins
    scores: dict[str, float]
    turn: int


def outcome(state: State, utilities: tuple[float, float] | None = None) -> Outcome | None:
    """The outcome of a finished game, or None while it goes on. ``utilities``: each side's
    ``rules.utility`` of the final values, when the caller has them (the compiled games do)."""
    if not state.is_over:
        return None
    sc = state.scenario
    winner = sc.players[state.winner] if state.winner >= 0 else None
    if state.ending >= 0:
        en = sc.endings[state.ending]
        return Outcome(en.id, en.title, en.text, en.grade, winner, scores(state, utilities), state.turn)
    if winner is None:
        title, text = "Stalemate", "Time ran out with neither side clearly ahead; the final scores are level."
    else:
        title = f"{sc.actor(winner).name} ahead on points"
        text = (f"Time ran out with no decisive outcome; {sc.actor(winner).name} ends closer to its "
                "goals by the final scores.")
    return Outcome("score", title, text, "marginal" if winner else "draw", winner, scores(state, utilities), state.turn)
