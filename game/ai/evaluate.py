"""How a policy scores a position: its own utility, a rival's estimated utility, and the endings.

Utility (docs/format.md: 100 × Σ wᵢ·normᵢ / Σ|wᵢ|) is linear in the values, so each side's utility
is a constant plus a dot product; the evaluator folds both into one vector. ``project`` previews
what effects would do to a state with the engine's own effect code, without taking a move.
"""

from __future__ import annotations

from game.engine import rules
from game.engine.state import State
from game.scenario import Scenario
from game.scenario.model import CEffects

# Terminal values in utility points (0–100 scale): a win or a loss outweighs any meter.
WIN = 40.0
LOSS = -40.0
NOBODY = -10.0


def linear(sc: Scenario, weights) -> tuple[float, dict[int, float]]:
    """Utility as ``const + Σ k[slot]·value``; same numbers as ``rules.utility``."""
    norm = sum(abs(w) for _, w in weights)
    if not norm:
        return 0.0, {}
    const = 0.0
    k: dict[int, float] = {}
    for slot, w in weights:
        span = sc.hi[slot] - sc.lo[slot]
        a = 100.0 * w / (norm * span)
        k[slot] = k.get(slot, 0.0) + a
        const += -a * sc.lo[slot] if w >= 0 else -100.0 * w / norm - a * sc.lo[slot]
    return const, k


def project(state: State, *effects: tuple[CEffects, float]) -> list[float]:
    """The values after applying effects in order, each (effects, scale), as the engine would.

    Uses the engine's working copy so cascades (issue levels, derived meters) match exactly.
    """
    w = rules._Work(state)
    for effs, scale in effects:
        if effs:
            w.effects(effs, "", scale)
    return w.v


class Evaluator:
    """Scores values for one actor: own utility minus ``rivalry`` × the rival's estimated utility,
    plus a terminal value when an ending would fire and a growing pull towards the timeout endings.
    """

    def __init__(self, sc: Scenario, me: int, own, rival, rivalry: float = 0.5):
        self.sc = sc
        self.me = me
        self.rivalry = rivalry
        self.own_c, own_k = linear(sc, own)
        self.riv_c, riv_k = linear(sc, rival)
        keys = sorted(set(own_k) | set(riv_k))
        self.own = tuple((s, own_k[s]) for s in own_k)
        self.riv = tuple((s, riv_k[s]) for s in riv_k)
        self.mix = tuple((s, own_k.get(s, 0.0) - rivalry * riv_k.get(s, 0.0)) for s in keys)
        self.mix_c = self.own_c - rivalry * self.riv_c
        self.endings = tuple((en.when, self._terminal(en.winner)) for en in sc.endings if not en.timeout)
        self.timeouts = tuple((en.when, self._terminal(en.winner)) for en in sc.endings if en.timeout)
        self.turns = sc.turns

    def _terminal(self, winner: int) -> float:
        return NOBODY if winner < 0 else WIN if winner == self.me else LOSS

    def mine(self, v) -> float:
        return self.own_c + sum(k * v[s] for s, k in self.own)

    def theirs(self, v) -> float:
        return self.riv_c + sum(k * v[s] for s, k in self.riv)

    def ending(self, v, ctx) -> float | None:
        """The terminal value if a (non-timeout) ending holds for these values, else None."""
        for when, val in self.endings:
            if when(v, ctx):
                return val
        return None

    def score(self, v, ctx) -> float:
        """The value of a position (values ``v`` at context ``ctx``) for this actor."""
        s = self.mix_c + sum(k * v[s] for s, k in self.mix)
        for when, val in self.endings:
            if when(v, ctx):
                return s + val
        if self.timeouts:
            p = ctx[0] / self.turns
            for when, val in self.timeouts:
                if when(v, ctx):
                    return s + val * p * p
        return s
