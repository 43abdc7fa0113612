"""A fixed numbering of every move a scenario allows, for learning agents.

The table is built once per scenario and does not depend on the position, so action *k* always
means the same move: pass, every unilateral move, every event choice, the standoff and answer
moves, then ``propose`` and ``counter`` for every set of 1..``deal_max_terms`` of the scenario's
terms (each set once, its terms in scenario order). Both sides share the table, so they have the
same action space; the mask of a side only ever enables its own moves (a move's actor is the side
deciding). A legal Move maps to its number by kind, ref and the *set* of its terms, so the order
in which ``legal_moves`` lists a deal's terms never matters.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from game.engine import Move
from game.scenario import Scenario

FIXED = ("concede", "stand_firm", "press", "back_down", "no_deal", "accept", "reject")
LIMIT = 2_000_000  # actions; a bigger table would not fit a learning agent's output layer anyway


class ActionTable:
    """Action numbers <-> moves for one scenario. Use ``ActionTable.of(scenario)`` (memoised)."""

    def __init__(self, sc: Scenario):
        self.scenario = sc
        keys: list[tuple[str, str]] = [("pass", "")]
        keys += [("unilateral", m.id) for m in sc.moves]
        seen = set()
        for ev in sc.events:
            for ch in ev.choices:
                if ch.id not in seen:  # a choose move names only its choice: one action per id
                    seen.add(ch.id)
                    keys.append(("choose", ch.id))
        keys += [(k, "") for k in FIXED]
        self.fixed: tuple[tuple[str, str], ...] = tuple(keys)
        self.fixed_index = {k: i for i, k in enumerate(keys)}
        terms = sorted(sc.terms, key=lambda t: t.index)
        top = min(sc.deal_max_terms, len(terms))
        count = sum(math.comb(len(terms), r) for r in range(1, top + 1))
        if len(keys) + 2 * count > LIMIT:
            raise ValueError(f"scenario '{sc.id}' allows {count:,} different deals ({len(terms)} terms, "
                             f"up to {sc.deal_max_terms} in a deal): too many to number for a learning agent")
        ids = [t.id for t in terms]
        self.deals: tuple[tuple[str, ...], ...] = tuple(
            tuple(ids[i] for i in combo) for r in range(1, top + 1)
            for combo in itertools.combinations(range(len(ids)), r))
        self.deal_index = {frozenset(d): k for k, d in enumerate(self.deals)}
        self.propose_base = len(keys)
        self.counter_base = len(keys) + len(self.deals)
        self.size = len(keys) + 2 * len(self.deals)
        self._memo: dict[Move, int] = {}  # legal_moves reuses Move objects: most lookups hit here

    @classmethod
    def of(cls, sc: Scenario) -> ActionTable:
        hit = sc.cache.get("env.actions")
        if hit is None or hit.scenario is not sc:  # not a memo copied along by attrs.evolve
            hit = sc.cache["env.actions"] = cls(sc)
        return hit

    def __len__(self) -> int:
        return self.size

    def action_of(self, move: Move) -> int:
        """The number of a move; ValueError for a move the scenario cannot have."""
        hit = self._memo.get(move)
        if hit is not None:
            return hit
        if move.kind in ("propose", "counter"):
            k = self.deal_index.get(frozenset(move.terms))
            if k is None or len(move.terms) != len(set(move.terms)):
                raise ValueError(f"no action for a deal of {move.terms!r} in '{self.scenario.id}'")
            a = (self.propose_base if move.kind == "propose" else self.counter_base) + k
        else:
            a = self.fixed_index.get((move.kind, move.ref))
            if a is None or move.terms:
                raise ValueError(f"no action for move {move!r} in '{self.scenario.id}'")
        if len(self._memo) >= 100_000:
            self._memo.clear()
        self._memo[move] = a
        return a

    def move_of(self, action: int, actor: str) -> Move:
        """The move an action number stands for, made by ``actor``."""
        a = int(action)
        if not 0 <= a < self.size:
            raise ValueError(f"action {a} is outside 0..{self.size - 1}")
        if a < self.propose_base:
            kind, ref = self.fixed[a]
            return Move(kind, actor, ref)
        if a < self.counter_base:
            return Move("propose", actor, terms=self.deals[a - self.propose_base])
        return Move("counter", actor, terms=self.deals[a - self.counter_base])

    def legal(self, moves) -> dict[int, Move]:
        """{action: the legal Move itself} for a sequence of legal moves (len/iteration only)."""
        action_of = self.action_of
        return {action_of(m): m for m in moves}

    def mask(self, moves) -> tuple[np.ndarray, dict[int, Move]]:
        """A 0/1 int8 vector over the table with 1 for each legal move, and ``legal(moves)``."""
        legal = self.legal(moves)
        out = np.zeros(self.size, dtype=np.int8)
        if legal:
            out[np.fromiter(legal, dtype=np.int64, count=len(legal))] = 1
        return out, legal

    def describe(self, action: int, actor: str) -> str:
        from game.describe import describe_move

        return describe_move(self.scenario, self.move_of(action, actor))
