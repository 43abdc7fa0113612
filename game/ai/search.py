"""The search policy: anytime Monte Carlo search over determinised worlds.

The greedy policy proposes the few most promising moves (``width``). The search then imagines
worlds the actor cannot tell apart from the real one (a fresh seed for the dice, hidden meters drawn
inside their estimated ranges, opponent weights drawn around its belief); in each it plays a
candidate and then both sides greedily to the end of the game (or, with ``horizon`` N, until N turns
have ended and the next turn's events and diplomacy are over), and scores where it got to.
Playing to the end makes the search a policy improvement over greedy play: a move is judged by
the outcome greedy play reaches after it, so a strategy whose reward comes late (pressing again and
again, say) is not traded for one that looks better a turn ahead. Candidates meet the same worlds
(common random numbers), and the budget is spent by sequential halving: after each phase the worse
half is dropped, so the last two are compared on many worlds.
The winner replaces the greedy player's own choice only when it beats it on the worlds both met by
more than ``confidence`` standard errors: a noisy estimate does not overturn a sound judgement.
The search stops after ``iterations`` playouts or ``time`` seconds, whichever comes first (a playout
cut short by the clock does not count); batch runs leave the time cap off, so a game stays a pure
function of its seed.
"""

from __future__ import annotations

import math
import random
import time

from game.ai.beliefs import estimate_weights
from game.ai.greedy import GreedyPolicy
from game.engine import rules
from game.engine.state import ACT, Move, State
from game.scenario import Scenario


class SearchPolicy:
    def __init__(self, scenario: Scenario, actor: str, seed: int = 0, *, iterations: int = 24,
                 time: float | None = None, horizon: int = 0, width: int = 5,
                 models: int = 8, belief_noise: float = 0.3, rollout_noise: float = 0.05,
                 gap: float = 25.0, confidence: float = 1.0, name: str = "search",
                 **greedy_options):
        sc = scenario
        self.name = name
        self.scenario = sc
        self.actor = actor
        self.me = sc.actor_index(actor)
        self.iterations = max(1, int(iterations))
        self.time = time
        self.horizon = max(0, int(horizon))  # 0: play every imagined game to its end
        self.width = max(1, int(width))
        self.gap = gap
        self.confidence = confidence
        self.seed = seed
        self.belief_noise = belief_noise
        self.rollout_noise = rollout_noise
        self.n_models = max(1, int(models))
        self.greedy_options = greedy_options
        self.greedy = GreedyPolicy(sc, actor, seed, belief_noise=belief_noise, **greedy_options)
        self._version = -1
        self._refresh()
        self.last_iterations = 0

    def __repr__(self) -> str:
        return f"<{self.name} policy for {self.actor}>"

    def observe(self, before: State, move: Move) -> None:
        """Learn from a move (the greedy judge holds the belief; the worlds follow it)."""
        self.greedy.observe(before, move)

    def _refresh(self) -> None:
        """Rebuild the playout players from the belief when it has learnt something.

        Our own playout player judges the opponent by the belief's mean. The opponent models are
        greedy players whose weights and caution are opponent types drawn from the belief by
        their probability, each holding a public-information guess about us and a neutral
        appetite for risk (its real one is its own business)."""
        bel = self.greedy.belief
        if bel.version == self._version:
            return
        self._version = bel.version
        sc = self.scenario
        opts = {k: v for k, v in self.greedy_options.items() if k != "noise"}
        self.rollout = GreedyPolicy(sc, self.actor, self.seed, noise=self.rollout_noise,
                                    rival_weights=bel.mean_weights(), **opts)
        rng = random.Random(f"models:{self.seed}:{self.actor}:{bel.version}")
        opp = sc.players[1 - self.me]
        picks = rng.choices(range(len(bel.w)), weights=bel.w.tolist(), k=self.n_models)
        self.models = [GreedyPolicy(sc, opp, self.seed, noise=self.rollout_noise,
                                    caution=float(bel.caution[i]), risk=0.5,
                                    own_weights=tuple((s, float(x)) for s, x in enumerate(bel.W[i])
                                                      if abs(x) > 1e-9),
                                    rival_weights=estimate_weights(sc, 1 - self.me, rng,
                                                                   self.belief_noise))
                       for i in picks]

    def choose(self, view, legal: list[Move], rng: random.Random) -> Move:
        self.last_iterations = 0
        if len(legal) == 1:
            return legal[0]
        deadline = None if self.time is None else time.perf_counter() + self.time
        self._refresh()
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
        hidden = [(state.scenario.slots[k], lo, hi) for k, (lo, hi) in view.estimates.items()]
        worlds: list[tuple[int, State]] = []

        def world(k: int) -> tuple[int, State]:
            while len(worlds) <= k:
                worlds.append(self._world(state, hidden, rng))
            return worlds[k]

        n = len(cands)
        visits = [0] * n
        total = [0.0] * n
        scores: list[list[float]] = [[] for _ in range(n)]
        alive = list(range(n))
        phases = max(1, math.ceil(math.log2(n)))
        it = 0
        out_of_time = False
        for _ in range(phases):
            per = max(1, self.iterations // phases // len(alive))
            for _ in range(per):
                for i in alive:
                    # Every candidate meets the same worlds in the same order (common random
                    # numbers), so their difference is not drowned by the dice.
                    k = visits[i]
                    seed, w = world(k)
                    if hidden and rules.illegal_reason(w, cands[i]) is not None:
                        w = self._legal_world(state, hidden, cands[i], random.Random(seed))
                    if w is None:
                        value = total[i] / visits[i] if visits[i] else 0.0
                    else:
                        value = self._playout(w, cands[i], self.models[k % len(self.models)], seed,
                                              deadline)
                    if value is None:  # out of time inside the playout: it does not count
                        out_of_time = True
                        break
                    total[i] += value
                    visits[i] += 1
                    scores[i].append(value)
                    it += 1
                    if deadline is not None and time.perf_counter() > deadline:
                        out_of_time = True
                        break
                if out_of_time:
                    break
            if out_of_time or len(alive) == 1:
                break
            alive.sort(key=lambda j: (-total[j] / visits[j], j))
            alive = alive[:max(1, math.ceil(len(alive) / 2))]
        self.last_iterations = it
        best = min(alive, key=lambda j: (-(total[j] / visits[j]) if visits[j] else math.inf, j))
        return cands[best if self._clearly_better(scores[best], scores[0]) else 0]

    def _clearly_better(self, a: list[float], b: list[float]) -> bool:
        """Whether playouts ``a`` beat the greedy choice's playouts ``b`` on the worlds both met by
        more than ``confidence`` standard errors; otherwise the one-step judgement stands."""
        if a is b:
            return True
        k = min(len(a), len(b))
        if k < 2:
            return False
        d = [x - y for x, y in zip(a[:k], b[:k])]
        mean = sum(d) / k
        var = sum((x - mean) ** 2 for x in d) / (k - 1)
        return mean > self.confidence * math.sqrt(var / k)

    def _world(self, state: State, hidden, rng: random.Random) -> tuple[int, State]:
        """A state the actor cannot tell from the real one: new dice, hidden meters re-drawn.
        Returns the world's seed (also used for the playout's own choices) and the world."""
        seed = rng.getrandbits(62)
        if hidden:
            values = list(state.values)
            for slot, lo, hi in hidden:
                values[slot] = rng.uniform(lo, hi)
            return seed, state.but(seed=seed, values=tuple(values))
        return seed, state.but(seed=seed)

    def _legal_world(self, state: State, hidden, move: Move, rng: random.Random) -> State | None:
        """A world with hidden meters redrawn until ``move`` is legal there (it is in reality)."""
        for _ in range(8):
            _, w = self._world(state, hidden, rng)
            if rules.illegal_reason(w, move) is None:
                return w
        return None

    def _playout(self, world: State, move: Move, model: GreedyPolicy, seed: int,
                 deadline: float | None = None) -> float | None:
        """The value of playing ``move`` in ``world``, then both sides greedily, drawing from
        ``random.Random(seed)``; None when the deadline passes first. The greedy play runs in
        compiled code when the scenario's game kernels are ready (``game.fast.games``: the same
        moves, see ``FastGames.playout``), else in Python."""
        me = self.me
        # Play on through ``horizon`` turn ends and the next turn's events and diplomacy, so a
        # standoff's answer or a deal's fate next turn is part of what the move led to; with
        # horizon 0, to the end of the game, so the playout's result is the greedy players' own
        # long-run outcome and the search improves on greedy play rather than second-guessing it.
        stop = world.turn + self.horizon if self.horizon else 1 << 30
        s = rules.apply(world, move, record=False).state
        players = (self.rollout, model) if me == 0 else (model, self.rollout)
        from game.fast import games as fast_games  # game.fast imports this package

        fast = fast_games.for_scenario(self.scenario)
        end = None if fast is None else fast.playout(s, seed, players, stop)
        if end is None:
            end = self._play_out(s, players, random.Random(seed), stop, deadline)
            if end is None:
                return None
        v, ctx, over, ending, winner, _ = end
        ev = self.greedy.ev
        if not over:
            return ev.score(v, ctx)
        base = ev.blend(v)
        if ending >= 0:
            en = self.scenario.endings[ending]
            return base + en.bonus[me] + ev.terminal(winner, en.grade)
        # Decided on points: judge with the world's opponent model, never the true weights.
        a, b = ev.mine(v), model.ev.mine(v)
        return base + ev.terminal(-1 if abs(a - b) <= 2 else me if a > b else 1 - me)

    @staticmethod
    def _play_out(s: State, players, rng: random.Random, stop: int,
                  deadline: float | None) -> tuple | None:
        """``FastGames.playout`` in Python: (values, context, over, ending, winner, moves made),
        or None when the deadline passes first."""
        n = 0
        while not s.is_over and (s.turn < stop or s.phase != ACT):
            s = rules.apply(s, players[s.actor].choose_in(s, rules.legal_moves(s), rng), record=False).state
            n += 1
            if deadline is not None and not n & 7 and time.perf_counter() > deadline:
                return None
        return s.values, s.ctx, s.is_over, s.ending, s.winner, n
