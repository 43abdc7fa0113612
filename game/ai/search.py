"""The search policy: anytime Monte Carlo search over determinised worlds, for the hard level.

The greedy policy proposes the few most promising moves (``width``). Each iteration picks one of
them by UCB1, samples a world the actor cannot tell apart from the real one (a fresh seed for the
dice, hidden meters drawn inside their estimated ranges, opponent weights drawn around the belief),
plays the move and then both sides greedily for ``horizon`` turn ends, and scores the position it
reaches. The most valuable move on average wins. The search stops after ``iterations`` iterations
or ``time`` seconds, whichever comes first; batch runs leave the time cap off, so a game stays a
pure function of its seed.
"""

from __future__ import annotations

import math
import random
import time

import attrs

from game.ai.beliefs import estimate_weights, perturb
from game.ai.greedy import GreedyPolicy
from game.engine import rules
from game.engine.state import Move, State
from game.scenario import Scenario


class SearchPolicy:
    def __init__(self, scenario: Scenario, actor: str, seed: int = 0, *, iterations: int = 200,
                 time: float | None = None, horizon: int = 1, width: int = 5, explore: float = 6.0,
                 models: int = 8, belief_noise: float = 0.3, rollout_noise: float = 0.05,
                 gap: float = 25.0, name: str = "search", **greedy_options):
        sc = scenario
        self.name = name
        self.scenario = sc
        self.actor = actor
        self.me = sc.actor_index(actor)
        self.iterations = max(1, int(iterations))
        self.time = time
        self.horizon = max(1, int(horizon))
        self.width = max(1, int(width))
        self.explore = explore
        self.gap = gap
        self.greedy = GreedyPolicy(sc, actor, seed, belief_noise=belief_noise, **greedy_options)
        self.rollout = GreedyPolicy(sc, actor, seed, noise=rollout_noise,
                                    rival_weights=self.greedy.rival_weights, **{
                                        k: v for k, v in greedy_options.items() if k != "noise"})
        # Opponent models: the opponent as a greedy player with weights drawn around our belief,
        # itself holding a public-information belief about us.
        rng = random.Random(f"models:{seed}:{actor}")
        opp = sc.players[1 - self.me]
        self.models = [GreedyPolicy(sc, opp, seed, noise=rollout_noise,
                                    own_weights=perturb(self.greedy.rival_weights, rng, belief_noise),
                                    rival_weights=estimate_weights(sc, 1 - self.me, rng, belief_noise))
                       for _ in range(max(1, int(models)))]
        self.last_iterations = 0

    def __repr__(self) -> str:
        return f"<{self.name} policy for {self.actor}>"

    def choose(self, view, legal: list[Move], rng: random.Random) -> Move:
        self.last_iterations = 0
        if len(legal) == 1:
            return legal[0]
        deadline = None if self.time is None else time.perf_counter() + self.time
        state = view.state
        ranked = self.greedy.ranked(state, legal, rng, noisy=False)
        cands: list[Move] = []
        for _, m in ranked:
            if m not in cands:
                cands.append(m)
            if len(cands) >= self.width:
                break
        if len(cands) == 1 or ranked[0][0] - ranked[1][0] > self.gap:
            return cands[0]
        n = len(cands)
        visits = [0] * n
        total = [0.0] * n
        hidden = [(state.scenario.slots[k], lo, hi) for k, (lo, hi) in view.estimates.items()]
        it = 0
        while it < self.iterations:
            if it < n:
                i = it
            else:
                logt = math.log(it)
                i = max(range(n), key=lambda j: total[j] / visits[j]
                        + self.explore * math.sqrt(logt / visits[j]))
            world = self._world(state, hidden, rng)
            tries = 1
            while hidden and rules.illegal_reason(world, cands[i]) is not None and tries < 8:
                world = self._world(state, hidden, rng)  # the move is legal, so the world must allow it
                tries += 1
            if hidden and tries == 8 and rules.illegal_reason(world, cands[i]) is not None:
                value = total[i] / visits[i] if visits[i] else 0.0
            else:
                value = self._playout(world, cands[i], self.models[it % len(self.models)], rng)
            total[i] += value
            visits[i] += 1
            it += 1
            if deadline is not None and time.perf_counter() > deadline:
                break
        self.last_iterations = it
        best = max(range(n), key=lambda j: (total[j] / visits[j] if visits[j] else -math.inf, -j))
        return cands[best]

    def _world(self, state: State, hidden, rng: random.Random) -> State:
        """A state the actor cannot tell from the real one: new dice, hidden meters re-drawn."""
        if hidden:
            values = list(state.values)
            for slot, lo, hi in hidden:
                values[slot] = rng.uniform(lo, hi)
            return attrs.evolve(state, seed=rng.getrandbits(62), values=tuple(values))
        return attrs.evolve(state, seed=rng.getrandbits(62))

    def _playout(self, world: State, move: Move, model: GreedyPolicy, rng: random.Random) -> float:
        me = self.me
        mine = self.rollout
        stop = world.turn + self.horizon
        s = rules.apply(world, move).state
        while not s.is_over and s.turn < stop:
            pol = mine if s.actor == me else model
            s = rules.apply(s, pol.choose_in(s, rules.legal_moves(s), rng)).state
        ev = self.greedy.ev
        v = s.values
        if not s.is_over:
            return ev.score(v, s.ctx)
        base = ev.blend(v)
        if s.ending >= 0:
            en = s.scenario.endings[s.ending]
            return base + en.bonus[me] + ev.terminal(s.winner, en.grade)
        # Decided on points: judge with the world's opponent model, never the true weights.
        a, b = ev.mine(v), model.ev.mine(v)
        return base + ev.terminal(-1 if abs(a - b) <= 2 else me if a > b else 1 - me)
