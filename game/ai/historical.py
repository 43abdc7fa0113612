"""The historical policy: replays the scenario's ``[historical]`` line, greedy everywhere else.

On a turn the line covers, the actor takes the first listed move of its own for that turn that fits
the current phase and is legal now; once the line has nothing (or the game has left it), it plays
greedy.
"""

from __future__ import annotations

import random

from game.ai.greedy import GreedyPolicy
from game.ai.policy import is_offered
from game.engine.state import (ACT, ANSWER, ANSWER_COUNTER, CHOOSE, PROPOSE, STANDOFF,
                               STANDOFF_PRESS, Move)
from game.scenario import Scenario

_PHASE_OF = {"propose": (PROPOSE,), "no_deal": (PROPOSE,), "accept": (ANSWER, ANSWER_COUNTER),
             "reject": (ANSWER, ANSWER_COUNTER), "counter": (ANSWER,), "choose": (CHOOSE,),
             "concede": (STANDOFF,), "stand_firm": (STANDOFF,), "press": (STANDOFF_PRESS,),
             "back_down": (STANDOFF_PRESS,), "pass": (ACT,)}


class HistoricalPolicy:
    def __init__(self, scenario: Scenario, actor: str, seed: int = 0, **greedy_options):
        self.name = "historical"
        self.scenario = scenario
        self.actor = actor
        self.fallback = GreedyPolicy(scenario, actor, seed, **greedy_options)
        hist = scenario.raw.historical
        self.until = hist.until if hist else 0
        self.line: dict[int, list] = {}
        if hist:
            for hm in hist.moves:
                if hm.by == actor:
                    self.line.setdefault(hm.turn, []).append(hm)

    def __repr__(self) -> str:
        return f"<historical policy for {self.actor}>"

    def observe(self, before, move: Move) -> None:
        self.fallback.observe(before, move)

    def scripted(self, state, legal: list[Move]) -> Move | None:
        """The line's move for this turn and phase, if it has one and it is legal now."""
        if state.turn > self.until:
            return None
        for hm in self.line.get(state.turn, ()):
            phases = _PHASE_OF.get(hm.move, (ACT,))
            if state.phase not in phases:
                continue
            if hm.move in _PHASE_OF:
                ref = hm.choice if hm.move == "choose" else ""
                move = Move(hm.move, self.actor, ref, tuple(hm.terms))
            else:
                move = Move("unilateral", self.actor, hm.move)
            if is_offered(move, state, legal):
                return move
        return None

    def choose(self, view, legal: list[Move], rng: random.Random) -> Move:
        move = self.scripted(view.state, legal)
        if move is not None:
            return move
        return self.fallback.choose(view, legal, rng)
