"""A side's view of a position as a flat vector in [0, 1], for learning agents.

Built from ``game.engine.view(state, side)`` only: a hidden meter appears as the side's estimate
range (its low and high end, and the midpoint the view holds), never as its true value. The other
side's private weights are never part of it, nor is the game's seed.

Layout (every block scaled into [0, 1]):

| block | size |
|---|---|
| each meter and issue: the value as seen, the low and the high end of the range believed to hold it (equal for what the side sees exactly), by the slot's range | 3 × slots |
| phase (choose, standoff, press, propose, answer, counter, act, over) | 8 |
| I am the side deciding; I have the initiative; which side I am (2) | 4 |
| turn / turns; unilateral moves taken this turn / 2 | 2 |
| terms of the deal on the table | terms |
| the event awaiting a choice | events |
| the open standoff; its round / (its rounds + 1) | standoffs + 1 |
| each promise in the ledger: nothing, promised, delivered, broken | 4 × ledgers |
| each unilateral move (either side's): may be taken now as far as cooldowns and once-only go | moves |
"""

from __future__ import annotations

import numpy as np

from game.engine import (ACT, ANSWER, ANSWER_COUNTER, CHOOSE, OVER, PROPOSE, STANDOFF,
                         STANDOFF_PRESS, View)
from game.scenario import Scenario

PHASES = (CHOOSE, STANDOFF, STANDOFF_PRESS, PROPOSE, ANSWER, ANSWER_COUNTER, ACT, OVER)


class Observer:
    """Turns a View into the vector above. Use ``Observer.of(scenario)`` (memoised)."""

    def __init__(self, sc: Scenario):
        self.scenario = sc
        n = len(sc.names)
        self.lo = np.array(sc.lo, dtype=np.float64)
        self.span = np.array([max(h - lo, 1e-9) for lo, h in zip(sc.lo, sc.hi)], dtype=np.float64)
        self.n_slots = n
        sizes = [("values", 3 * n), ("phase", len(PHASES)), ("me", 4), ("clock", 2),
                 ("deal", len(sc.terms)), ("event", len(sc.events)), ("standoff", len(sc.standoffs) + 1),
                 ("ledger", 4 * len(sc.ledgers)), ("moves", len(sc.moves))]
        self.blocks: dict[str, slice] = {}
        at = 0
        for name, k in sizes:
            self.blocks[name] = slice(at, at + k)
            at += k
        self.size = at
        self.max_rounds = max((so.rounds for so in sc.standoffs), default=0) + 1

    @classmethod
    def of(cls, sc: Scenario) -> Observer:
        hit = sc.cache.get("env.observer")
        if hit is None or hit.scenario is not sc:
            hit = sc.cache["env.observer"] = cls(sc)
        return hit

    def vector(self, v: View) -> np.ndarray:
        sc = self.scenario
        s = v.state
        b = self.blocks
        out = np.zeros(self.size, dtype=np.float32)
        vals = np.array(s.values, dtype=np.float64)  # hidden slots hold the estimate's midpoint
        low = vals.copy()
        high = vals.copy()
        for name, (lo_, hi_) in v.estimates.items():
            slot = sc.slots[name]
            low[slot], high[slot] = lo_, hi_
        block = np.concatenate([(vals - self.lo) / self.span, (low - self.lo) / self.span,
                                (high - self.lo) / self.span])
        out[b["values"]] = np.clip(block, 0.0, 1.0)
        out[b["phase"].start + PHASES.index(s.phase)] = 1.0
        me = sc.actor_index(v.actor)
        m = b["me"].start
        out[m] = 1.0 if s.actor == me else 0.0
        out[m + 1] = 1.0 if s.initiative == me else 0.0
        out[m + 2 + me] = 1.0
        c = b["clock"].start
        out[c] = min(1.0, s.turn / max(sc.turns, 1))
        out[c + 1] = min(1.0, s.acted / 2)
        for t in s.deal:
            out[b["deal"].start + t] = 1.0
        if s.pending_event >= 0:
            out[b["event"].start + s.pending_event] = 1.0
        if s.standoff >= 0:
            out[b["standoff"].start + s.standoff] = 1.0
            out[b["standoff"].stop - 1] = min(1.0, s.standoff_round / self.max_rounds)
        lg = b["ledger"].start
        for i, x in enumerate(s.ledger):
            out[lg + 4 * i + (0 if x == -1 else 2 if x == -2 else 3 if x == -3 else 1)] = 1.0
        mv = b["moves"].start
        for i, r in enumerate(s.ready):
            if 0 <= r <= s.turn:
                out[mv + i] = 1.0
        return out
