"""The random policy: uniform over the legal moves, a baseline and a fuzzer."""

from __future__ import annotations

import random

from game.engine.state import Move
from game.scenario import Scenario


class RandomPolicy:
    needs_view = False  # a batch runner may skip building the view

    def __init__(self, scenario: Scenario | None = None, actor: str = "", seed: int = 0):
        self.name = "random"
        self.actor = actor

    def __repr__(self) -> str:
        return f"<random policy for {self.actor}>"

    def choose(self, view, legal: list[Move], rng: random.Random) -> Move:
        return legal[int(rng.random() * len(legal))]
