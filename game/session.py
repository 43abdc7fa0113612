"""A game in progress: scenario, seed, the moves so far and every step, for the interface and saves.

The session never changes a state in place: it keeps the list of steps that the engine returned.
A game is a pure function of (scenario, seed, moves), so replaying the moves rebuilds it exactly.
"""

from __future__ import annotations

from collections.abc import Iterable

from game.engine import Move, Outcome, State, Step, apply, outcome, start
from game.scenario import Scenario


class Session:
    def __init__(self, scenario: Scenario, seed: int, moves: Iterable[Move] = ()):
        self.scenario = scenario
        self.seed = int(seed)
        first = start(scenario, self.seed)
        self.steps: list[Step] = [first]
        self.moves: list[Move] = []
        for m in moves:
            self.apply(m)

    @property
    def state(self) -> State:
        return self.steps[-1].state

    def apply(self, move: Move) -> Step:
        """Apply a move (raises IllegalMove, leaving the session unchanged)."""
        step = apply(self.state, move)
        self.steps.append(step)
        self.moves.append(move)
        return step

    def undo(self) -> None:
        """Take back the last move."""
        if self.moves:
            self.moves.pop()
            self.steps.pop()

    @property
    def outcome(self) -> Outcome | None:
        return outcome(self.state)
