"""What one actor may see: hidden meters become estimates, the other side's values are private."""

from __future__ import annotations

import attrs

from game.engine.rules import roll
from game.engine.state import State


@attrs.frozen(slots=True)
class View:
    """A state as ``actor`` sees it. Hidden meters hold the midpoint of the actor's estimate."""

    actor: str
    state: State
    estimates: dict[str, tuple[float, float]]

    @property
    def scenario(self):
        return self.state.scenario

    def is_hidden(self, name: str) -> bool:
        return name in self.estimates


def estimate(state: State, slot: int, actor: int) -> tuple[float, float]:
    """A range believed to hold a hidden meter: 20% of its span wide, off-centre by chance."""
    sc = state.scenario
    lo, hi = sc.lo[slot], sc.hi[slot]
    span = hi - lo
    x = state.values[slot]
    shift = (roll(state.seed, state.turn, 50_000 + slot * 7 + actor) - 0.5) * 0.2 * span
    a = max(lo, x + shift - 0.1 * span)
    b = min(hi, a + 0.2 * span)
    a = max(lo, b - 0.2 * span)
    return (round(a, 1), round(b, 1))


def view(state: State, actor: str) -> View:
    sc = state.scenario
    a = sc.actor_index(actor)
    hidden = sc.hidden[a]
    if not hidden:
        return View(actor, state, {})
    values = list(state.values)
    estimates = {}
    for slot in hidden:
        lo_, hi_ = estimate(state, slot, a)
        estimates[sc.names[slot]] = (lo_, hi_)
        values[slot] = (lo_ + hi_) / 2
    return View(actor, state.but(values=tuple(values)), estimates)
