"""How a policy scores a position: its own utility, a rival's estimated utility, and the endings.

Utility (docs/format.md: 100 × Σ wᵢ·normᵢ / Σ|wᵢ|) is linear in the values, so each side's utility
is a constant plus a dot product. The endings add a terminal value weighted by how close each one
is (see ``margins``): an ending that holds counts in full, one that is near counts partly, so a
policy sees a disaster or a victory coming a few steps before it arrives.

``Model.project`` previews what effects would do to a state without taking a move.
"""

from __future__ import annotations

import math
from operator import itemgetter, mul

from game import fast as _fast  # the compiled path (imports numba only when it compiles)
from game.ai.margins import inputs, margin
from game.engine import preview
from game.engine.state import State
from game.scenario import Scenario
from game.scenario.expr import names_in, parse
from game.scenario.model import CEffects

# Terminal values in utility points (0–100 scale): a win or a loss outweighs most meters.
WIN = 40.0
LOSS = -40.0
DISASTER = -15.0    # an ending nobody wins, graded "disaster"
SHARPNESS = 8.0     # closeness = logistic(SHARPNESS × margin); margin in fractions of a range


def linear(sc: Scenario, weights) -> tuple[float, dict[int, float]]:
    """Utility as ``const + Σ k[slot]·value``; the same numbers as ``rules.utility``."""
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


def _dot(const: float, pairs):
    """A fast ``v -> const + Σ k·v[slot]`` (C-level loops through itemgetter and map)."""
    if not pairs:
        return lambda v: const
    slots = [s for s, _ in pairs]
    ks = [k for _, k in pairs]
    if len(slots) == 1:
        (s0,), (k0,) = slots, ks
        return lambda v: const + k0 * v[s0]
    get = itemgetter(*slots)
    return lambda v: const + sum(map(mul, ks, get(v)))


class Model:
    """What a policy knows about a scenario's mechanics, shared by every policy of one scenario."""

    _cache: dict[int, tuple[Scenario, Model]] = {}

    @classmethod
    def of(cls, sc: Scenario) -> Model:
        hit = cls._cache.get(id(sc))
        if hit is None or hit[0] is not sc:
            if len(cls._cache) > 32:
                cls._cache.clear()
            hit = (sc, cls(sc))
            cls._cache[id(sc)] = hit
        return hit[1]

    def __init__(self, sc: Scenario):
        self.sc = sc
        n = sc.n_meters
        feeds: set[int] = set()
        for mid, met in sc.raw.meters.items():
            if met.formula:
                feeds.update(sc.slots[x] for x in names_in(parse(met.formula)) if x in sc.slots)
        # Slots whose change the engine handles with more than add-and-clamp: issues (levels,
        # cascades, ledgers), derived meters and their inputs.
        self.complex = frozenset(range(n, len(sc.names))) | feeds | {s for s, _ in sc.derived}
        self.lo = sc.lo
        self.hi = sc.hi
        self._parts: dict[tuple, tuple] = {}
        self.endings = []
        self.keys = []
        for en in sc.endings:
            text = sc.raw.endings[en.index].when
            ins = inputs(sc, text)
            self.endings.append((en, margin(sc, text), ins))
            self.keys.append(itemgetter(*sorted(ins)) if ins else (lambda v: ()))
        # Endings split as the engine checks them: sudden ones every turn, timeout ones at the end.
        self.sudden = [(en.index, self.keys[en.index]) for en in sc.endings if not en.timeout]
        self.timeout = [(en.index, self.keys[en.index]) for en in sc.endings if en.timeout]
        # The compiled kernels (game.fast), built after ``_fast_wait`` more uses; None: not yet
        # known whether they may be built (see ``fast``).
        self._fast = None
        self._fast_wait: int | None = None
        self._fast_built = None
        self._fast_pending = None  # the module a background compile is making
        self._fast_polls = 0

    def fast(self):
        """The scenario's compiled kernels (``game.fast``), or None while the Python path runs:
        they are built once the scenario has had ``game.fast.WARM`` uses (or at once when an
        earlier process compiled them), never when the fast path is off or declines it."""
        f = self._fast
        if f is not None or self._fast_wait == 0:
            return f
        fast = _fast
        if self._fast_wait is None:
            if not fast.enabled():
                self._fast_wait = 0
                return None
            self._fast_wait = 1 if fast.is_cached(self.sc, self) else fast.WARM
        self._fast_wait -= 1
        if self._fast_wait == 0:
            pending = self._fast_pending
            if pending is None and not fast.is_cached(self.sc, self):
                # enough use: compile in another process, and look for it now and then
                pending = self._fast_pending = fast.compile_in_background(self.sc, self)
                self._fast_polls = 0
            if pending is not None and not pending.with_suffix(".ok").exists():
                self._fast_polls += 1
                self._fast_wait = fast.POLL if self._fast_polls < fast.MAX_POLLS else 0
                return None
            f = self._fast = self._fast_built = fast.build(self.sc, self)
        return f

    def use_fast(self, on: bool) -> None:
        """Build the kernels now (``on``) or stay on the Python path: for tests and benchmarks."""
        if on and self._fast_built is None:
            self._fast_built = _fast.build(self.sc, self)
        self._fast = self._fast_built if on else None
        self._fast_wait = 0

    def closeness(self, i: int, v, ctx) -> float:
        """How close ending ``i`` is: 1 when it holds, else logistic in its margin."""
        en, m, _ = self.endings[i]
        x = m(v, ctx)
        if x >= -1e-9 and en.when(v, ctx):
            return 1.0
        return 1.0 / (1.0 + math.exp(-SHARPNESS * x)) if x > -6.0 else 0.0

    def parts(self, v: tuple, ctx) -> tuple:
        """How close every ending is at a position, with the input values each was judged on:
        (sudden keys, timeout keys, sudden closeness, timeout closeness). It depends only on the
        position, so both sides and every decision on the same position share it."""
        key = (v, ctx)
        hit = self._parts.get(key)
        if hit is None:
            if len(self._parts) > 4096:
                self._parts.clear()
            close = self.closeness
            ksu = [get(v) for _, get in self.sudden]
            kto = [get(v) for _, get in self.timeout]
            su = [close(i, v, ctx) for i, _ in self.sudden]
            to = [close(i, v, ctx) for i, _ in self.timeout]
            hit = self._parts[key] = (ksu, kto, su, to)
        return hit

    def near(self, parts: tuple, v, ctx) -> tuple[list[float], list[float]]:
        """Closeness at values ``v`` near a position whose ``parts`` are known, re-checking only
        the endings whose inputs changed."""
        ksu, kto, su, to = parts
        close = self.closeness
        su2 = [c if get(v) == k else close(i, v, ctx)
               for c, k, (i, get) in zip(su, ksu, self.sudden)]
        to2 = [c if get(v) == k else close(i, v, ctx)
               for c, k, (i, get) in zip(to, kto, self.timeout)]
        return su2, to2

    def term_values(self, state: State, term) -> list[float]:
        """The values after a deal holding only ``term``."""
        return self.term_parts(state, term)[0]

    def term_parts(self, state: State, term) -> tuple:
        """(values, sudden closeness, timeout closeness) after a deal holding only ``term``.

        Not remembered: the two sides judge different views (hidden meters differ), so a memo
        keyed by position hit 1% of the time on the road map and cost more than it saved."""
        v = self.project(state, (term.effects, 1.0))
        ctx = state.ctx
        su, to = self.near(self.parts(state.values, ctx), v, ctx)
        return v, su, to

    def project(self, state: State, *effects: tuple[CEffects, float]) -> list[float]:
        """The values after applying effects in order, each given as (effects, scale).

        Meters that nothing derives from are added and clamped here; anything else (issue
        levels, cascades, ledgers, derived meters) goes through the engine's own effect code.
        """
        f = self._fast if self._fast_wait == 0 else self.fast()
        if f is not None:
            v = f.project(state, effects)
            if v is not None:
                return v
        cx = self.complex
        for effs, _ in effects:
            for slot, _ in effs:
                if slot in cx:
                    return preview(state, *effects)
        v = list(state.values)
        c = state.ctx
        lo, hi = self.lo, self.hi
        for effs, scale in effects:
            if not effs:
                continue
            vt = tuple(v)
            for slot, amount in [(slot, fn(vt, c) * scale) for slot, fn in effs]:
                if amount:
                    x = v[slot] + amount
                    v[slot] = lo[slot] if x < lo[slot] else hi[slot] if x > hi[slot] else x
        return v


class Evaluator:
    """Scores values for one actor: own utility − ``rivalry`` × the rival's estimated utility, plus
    the endings' terminal values weighted by closeness (timeout endings count more as time runs
    out)."""

    def __init__(self, sc: Scenario, me: int, own, rival, rivalry: float = 0.0):
        self.sc = sc
        self.model = Model.of(sc)
        self.me = me
        self.rivalry = rivalry
        own_c, own_k = linear(sc, own)
        riv_c, riv_k = linear(sc, rival)
        keys = sorted(set(own_k) | set(riv_k))
        self.own_pairs = (own_c, tuple(own_k.items()))  # what the compiled kernels read
        self._own = _dot(*self.own_pairs)
        self.riv_pairs = (riv_c, tuple(riv_k.items()))
        self._riv = _dot(*self.riv_pairs)
        mix = tuple((s, own_k.get(s, 0.0) - rivalry * riv_k.get(s, 0.0)) for s in keys)
        self.mix_pairs = (own_c - rivalry * riv_c, mix)
        self._mix = _dot(*self.mix_pairs)
        # Each ending's value to this actor, in the model's sudden and timeout orders.
        self.sudden = [(i, self.terminal(sc.endings[i].winner, sc.endings[i].grade))
                       for i, _ in self.model.sudden]
        self.timeout = [(i, self.terminal(sc.endings[i].winner, sc.endings[i].grade))
                        for i, _ in self.model.timeout]
        self.turns = sc.turns

    def linear_parts(self) -> tuple:
        """(constant, ((slot, factor), ...)) of the score's linear part, own utility and the
        rival's estimated utility, in that order (what the compiled playouts read)."""
        return self.mix_pairs, self.own_pairs, self.riv_pairs

    def terminal(self, winner: int, grade: str = "") -> float:
        """The value of an ending to this actor."""
        if winner < 0:
            return DISASTER if grade == "disaster" else 0.0
        return WIN if winner == self.me else LOSS

    def mine(self, v) -> float:
        """Own utility (0–100)."""
        return self._own(v)

    def theirs(self, v) -> float:
        """The rival's utility as this actor estimates it."""
        return self._riv(v)

    def blend(self, v) -> float:
        """Own utility minus rivalry × the rival's, without endings."""
        return self._mix(v)

    def _combine(self, su, to, ctx) -> float:
        """Expected terminal value: endings are checked in file order, the first that holds wins;
        the timeout endings count more as the last turn nears."""
        total, rest = _first_holding(su, self.sudden)
        if self.timeout and rest:
            t, _ = _first_holding(to, self.timeout)
            total += rest * (0.3 + 0.7 * ctx[0] / self.turns) * t
        return total

    def prepare(self, v: tuple, ctx) -> tuple:
        """A position's score with its parts, so positions near it can be scored cheaply:
        (values, context, the model's parts, score)."""
        parts = self.model.parts(v, ctx)
        return (v, ctx, parts, self._mix(v) + self._combine(parts[2], parts[3], ctx))

    def score_near(self, prep: tuple, v) -> float:
        """The score of values ``v`` at the prepared position's context, re-checking only the
        endings whose inputs changed."""
        ctx = prep[1]
        su, to = self.model.near(prep[2], v, ctx)
        return self.score_parts(v, su, to, ctx)

    def project_near(self, state: State, prep: tuple, *effects: tuple[CEffects, float]) -> tuple:
        """(``Model.project(state, *effects)``, ``score_near(prep, ...)`` of those values), in
        one call of the compiled kernels when they run (``game.fast``)."""
        f = self.model._fast
        if f is not None and prep[1] == state.ctx:
            hit = f.project_near(self, state, effects, prep)
            if hit is not None:
                return hit
        v = self.model.project(state, *effects)
        return v, self.score_near(prep, v)

    def score_parts(self, v, su, to, ctx) -> float:
        """The score of values ``v`` whose endings' closeness is already known."""
        return self._mix(v) + self._combine(su, to, ctx)

    def endings(self, v, ctx) -> float:
        """The endings' part of the score."""
        _, _, su, to = self.model.parts(tuple(v), ctx)
        return self._combine(su, to, ctx)

    def score(self, v, ctx) -> float:
        """The value of a position (values ``v`` at context ``ctx``) for this actor."""
        return self._mix(v) + self.endings(v, ctx)


def _first_holding(chances, conds) -> tuple[float, float]:
    """(expected value, chance that none holds) when conditions are tried in order and the first
    that holds counts; ``chances[i]`` is the chance condition i holds, ``conds[i][1]`` its value."""
    total = 0.0
    rest = 1.0
    for c, cond in zip(chances, conds):
        if c:
            total += rest * c * cond[1]
            rest *= 1.0 - c
            if not rest:
                break
    return total, rest
