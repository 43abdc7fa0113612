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
        if self.moves:
            self.moves.pop()
            self.steps.pop()

    @property
    def outcome(self) -> Outcome | None:
        return outcome(self.state)

    def changes_in_turn(self, turn: int | None = None) -> list:
        """Every change recorded during a turn (default: the current one)."""
        turn = self.state.turn if turn is None else turn
        return [c for step in self.steps for c in step.changes if c.turn == turn]

    def history(self, name: str) -> list[tuple[int, float]]:
        """(turn, value) at the end of every turn for a meter or issue, for charts."""
        slot = self.scenario.slots[name]
        points: dict[int, float] = {}
        for step in self.steps:
            points[step.state.turn] = step.state.values[slot]
        return sorted(points.items())

    def fired_log(self) -> list[tuple[int, str]]:
        """(turn, event id) for every event that fired, in order."""
        return [(step.state.turn, f) for step in self.steps for f in step.fired
                if f in self.scenario.event_by_id]
