"""How a finished game came out."""

from __future__ import annotations

import attrs

from game.engine.rules import final_scores
from game.engine.state import State
from game.scenario import Scenario


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
    return outcome_of(state.scenario, state.ending, state.winner, state.turn, state.values, utilities)


def outcome_of(sc: Scenario, ending: int, winner_index: int, turn: int, values: tuple,
               utilities: tuple[float, float] | None = None) -> Outcome:
    """``outcome`` of a finished game given by its fields: the ending's index (-2 when the
    scores decided), the winner's index (-1: nobody), the last turn and the final values."""
    winner = sc.players[winner_index] if winner_index >= 0 else None
    scores = final_scores(sc, values, ending, utilities)
    if ending >= 0:
        en = sc.endings[ending]
        return Outcome(en.id, en.title, en.text, en.grade, winner, scores, turn)
    if winner is None:
        title, text = "Stalemate", "Time ran out with neither side clearly ahead; the final scores are level."
    else:
        title = f"{sc.actor(winner).name} ahead on points"
        text = (f"Time ran out with no decisive outcome; {sc.actor(winner).name} ends closer to its "
                "goals by the final scores.")
    return Outcome("score", title, text, "marginal" if winner else "draw", winner, scores, turn)
