"""The greedy policy: one-ply look at every option, scored with the actor's own utility.

Personality (the scenario's ``ai`` table, overridable): ``caution`` is a bias towards the status
quo (passing, rejecting, conceding rather than risking a rupture); ``risk`` is optimism about
uncertain branches (an opponent conceding, a long-shot deal); ``noise`` adds a little randomness so
two games do not repeat. Deals are built to be accepted: each term is judged by what it does to the
actor and, through a belief about the opponent (``game.ai.beliefs``: a weighted set of opponent
types that learns from every move the other side makes; never its true values), to the opponent.

Answers follow one public rule, which is also what the beliefs assume: a package is accepted with
chance ``logistic((gain - caution) / temper)``, where ``gain`` is the change in the answerer's
score and ``temper`` its noise (at least ``ANSWER_FLOOR``); only a package not accepted is
rejected or countered.
"""

from __future__ import annotations

import math
import random

import numpy as np

from game.ai.beliefs import ANSWER_FLOOR, MODEL_ERROR, Belief, abs_rows, dot_rows
from game.ai.evaluate import Evaluator
from game.ai.policy import offered_terms
from game.engine.state import (ACT, ANSWER, ANSWER_COUNTER, CHOOSE, PROPOSE, STANDOFF,
                               STANDOFF_PRESS, Move, State)
from game.scenario import Scenario

NOISE_SCALE = 20.0        # utility points per unit of personality noise
ACCEPT_TEMPERATURE = 2.0  # utility points: how sharply acceptance rises with the opponent's gain
POOL = 6                  # terms per side kept when building deals
# How much more the package search doubts its belief than a forecast does: the search picks the
# best of hundreds of packages, so it favours those whose chances the belief overrates (the
# optimiser's curse); judging them with a wider spread keeps it from chasing those errors.
CHOOSER_DOUBT = 1.0


class GreedyPolicy:
    """One-ply evaluation with personality and noise; see the module docstring."""

    def __init__(self, scenario: Scenario, actor: str, seed: int = 0, *, noise: float | None = None,
                 caution: float | None = None, risk: float | None = None, rivalry: float = 0.0,
                 blunder: float = 0.0, belief_noise: float = 0.3, own_weights=None,
                 rival_weights=None, name: str = "greedy"):
        sc = scenario
        self.name = name
        self.scenario = sc
        self.actor = actor
        self.me = sc.actor_index(actor)
        pers = sc.actor(actor).ai
        self.noise = pers.noise if noise is None else float(noise)
        self.caution = pers.caution if caution is None else float(caution)
        self.risk = pers.risk if risk is None else float(risk)
        self.rivalry = float(rivalry)
        self.blunder = float(blunder)
        self.own = sc.weights[self.me] if own_weights is None else own_weights
        if rival_weights is None:
            self.belief = Belief(sc, self.me, seed)
        else:  # a fixed guess (a search world's model), which does not learn
            self.belief = Belief(sc, self.me, seed, weights=rival_weights)
        self.rival_weights = self.belief.mean_weights()
        self.ev = Evaluator(sc, self.me, self.own, self.rival_weights, self.rivalry)
        self._version = self.belief.version
        self.project = self.ev.model.project
        self.sigma = self.noise * NOISE_SCALE
        self.temper = max(ANSWER_FLOOR, self.sigma)

    def observe(self, before: State, move: Move) -> None:
        """Learn from a move made in position ``before`` (the belief sees only this side's view)."""
        self.belief.observe(before, move)

    def _refresh(self) -> None:
        """Rebuild the evaluator after the belief has learnt something."""
        if self.belief.version != self._version:
            self._version = self.belief.version
            self.rival_weights = self.belief.mean_weights()
            self.ev = Evaluator(self.scenario, self.me, self.own, self.rival_weights, self.rivalry)

    def _fast(self):
        """The scenario's compiled games once they are ready (``game.fast.games``), else None."""
        from game.fast import games  # (imports this module)

        return games.for_scenario(self.scenario)

    def __repr__(self) -> str:
        return f"<{self.name} policy for {self.actor}>"

    # --- protocol ------------------------------------------------------------------------------
    def choose(self, view, legal: list[Move], rng: random.Random) -> Move:
        return self.choose_in(view.state, legal, rng)

    def choose_in(self, state: State, legal: list[Move], rng: random.Random) -> Move:
        """Choose from a state this policy may see in full (a view's state, or a search world)."""
        if not legal:
            raise ValueError("no legal moves to choose from")
        if len(legal) == 1:
            return legal[0]
        if self.blunder and rng.random() < self.blunder:
            return rng.choice(legal)
        self._refresh()
        fast = self._fast()
        if fast is not None:  # the same decision in compiled code (game.fast.games)
            move = fast.decide(self, state, legal, rng)
            if move is not None:
                return move
        phase = state.phase
        if phase == ACT:
            return self._act(state, legal, rng)
        if phase == PROPOSE:
            return self._propose(state, legal, rng)
        if phase == ANSWER:
            return self._answer(state, legal, rng)
        if phase == ANSWER_COUNTER:
            return self._answer_counter(state, legal, rng)
        if phase == CHOOSE:
            return self._choose_event(state, legal, rng)
        if phase == STANDOFF:
            return self._standoff(state, legal, rng)
        if phase == STANDOFF_PRESS:
            return self._press(state, legal, rng)
        return rng.choice(legal)

    def ranked(self, state: State, legal: list[Move], rng: random.Random,
               noisy: bool = True) -> list[tuple[float, Move]]:
        """Every option this policy would consider, best first, with its one-ply value."""
        self._refresh()
        phase = state.phase
        if phase == ACT:
            opts = self._act_options(state, legal)
        elif phase in (PROPOSE, ANSWER):
            opts = self._deal_options(state, legal)
        elif phase == ANSWER_COUNTER:
            opts = self._counter_options(state)
        elif phase == CHOOSE:
            opts = self._event_options(state, legal)
        elif phase == STANDOFF:
            opts = self._standoff_options(state, legal)
        elif phase == STANDOFF_PRESS:
            opts = self._press_options(state, legal)
        else:
            opts = [(0.0, m) for m in legal]
        if noisy and self.sigma:
            opts = [(v + rng.gauss(0.0, self.sigma), m) for v, m in opts]
        opts.sort(key=lambda x: -x[0])
        return opts

    def _pick(self, opts, rng: random.Random) -> Move:
        sigma = self.sigma
        best = opts[0][1]  # kept when every score is NaN (a broken formula): still a legal move
        best_v = -math.inf
        for v, m in opts:
            if sigma:
                v += rng.gauss(0.0, sigma)
            if v > best_v:
                best, best_v = m, v
        return best

    # --- unilateral moves ----------------------------------------------------------------------
    def _act_options(self, state: State, legal):
        sc = self.scenario
        ev = self.ev
        prep = ev.prepare(state.values, state.ctx)
        base = prep[3]
        opts = []
        for mv in legal:
            if mv.kind != "unilateral":
                opts.append((self.caution * 0.5, mv))
                continue
            m = sc.move_by_id[mv.ref]
            cost = sc.move_costs[m.index]
            if cost:
                _, val = ev.project_near(state, prep, (cost, 1.0), (m.effects, 1.0))
            else:
                _, val = ev.project_near(state, prep, (m.effects, 1.0))
            val -= base
            if m.opens >= 0:
                so = sc.standoffs[m.opens]
                _, won = ev.project_near(state, prep, (cost or (), 1.0), (m.effects, 1.0), (so.concede, 1.0))
                hope = 0.25 + 0.5 * self.risk
                val += hope * max(0.0, won - base - val) - (1 - hope) * self.caution
            opts.append((val, mv))
        return opts

    def _act(self, state, legal, rng):
        return self._pick(self._act_options(state, legal), rng)

    # --- events and standoffs ------------------------------------------------------------------
    def _event_options(self, state: State, legal):
        ev = self.ev
        prep = ev.prepare(state.values, state.ctx)
        choices = {c.id: c for c in self.scenario.events[state.pending_event].choices}
        opts = []
        for mv in legal:
            ch = choices[mv.ref]
            _, val = ev.project_near(state, prep, (ch.effects, 1.0))
            opts.append((val + math.log(max(ch.ai, 0.05)), mv))
        return opts

    def _choose_event(self, state, legal, rng):
        return self._pick(self._event_options(state, legal), rng)

    def _press_outcome(self, state: State, so) -> list[float]:
        v = self.project(state, (so.press, 1.0))
        if so.rupture is not None and so.rupture(v, state.ctx):
            return self.project(state, (so.press, 1.0), (so.rupture_effects, 1.0))
        return v

    def _standoff_options(self, state: State, legal):
        """As the target: give way now, or stand firm and see whether the demander presses."""
        sc = self.scenario
        ev = self.ev
        ctx = state.ctx
        so = sc.standoffs[state.standoff]
        base = ev.score(state.values, ctx)
        conceded = ev.score(self.project(state, (so.concede, 1.0)), ctx) - base
        pressed_v = self._press_outcome(state, so)
        pressed = ev.score(pressed_v, ctx) - base
        backed_v = self.project(state, (so.back_down, float(state.standoff_round)))
        backed = ev.score(backed_v, ctx) - base
        # Will the demander press? Judge by its estimated utility of pressing vs backing down.
        riv_press = ev.theirs(pressed_v) - ev.theirs(backed_v)
        q = 1.0 / (1.0 + math.exp(max(-30.0, min(30.0, -riv_press / ACCEPT_TEMPERATURE))))
        firm = q * pressed + (1 - q) * backed
        if firm < 0:
            firm *= 1.0 + self.caution
        firm += (self.risk - 0.5) * 2.0
        return [((conceded if m.kind == "concede" else firm), m) for m in legal]

    def _standoff(self, state, legal, rng):
        return self._pick(self._standoff_options(state, legal), rng)

    def _press_options(self, state: State, legal):
        """As the demander: press again (and hope the target gives way) or back down."""
        sc = self.scenario
        ev = self.ev
        ctx = state.ctx
        so = sc.standoffs[state.standoff]
        base = ev.score(state.values, ctx)
        pressed = ev.score(self._press_outcome(state, so), ctx) - base
        backed = ev.score(self.project(state, (so.back_down, float(state.standoff_round))), ctx) - base
        won = ev.score(self.project(state, (so.concede, 1.0)), ctx) - base
        hope = 0.2 + 0.5 * self.risk
        press = pressed + hope * max(0.0, won)
        if pressed < 0:
            press += pressed * self.caution
        return [((press if m.kind == "press" else backed), m) for m in legal]

    def _press(self, state, legal, rng):
        return self._pick(self._press_options(state, legal), rng)

    # --- deals ---------------------------------------------------------------------------------
    def _term_table(self, state: State, legal):
        """Per available term: (term, my score gain, my utility gain, the values after it, the
        other side's endings value after it), and the position's prepared score."""
        ev = self.ev
        vals = state.values
        ctx = state.ctx
        prep = ev.prepare(vals, ctx)
        base = prep[3]
        mine0 = ev.mine(vals)
        combine = self.belief.endings._combine
        terms = offered_terms(state, legal)
        fast = ev.model.fast()
        if fast is not None and terms:
            hit = fast.term_table(ev, self.belief.endings, state, terms, prep)
            if hit is not None:  # the same rows, computed by the compiled kernel (game.fast)
                V, parts = hit
                return prep, [(t, g, m, V[i], e) for i, (t, (g, m, e)) in enumerate(zip(terms, parts.tolist()))]
        out = []
        for t in terms:
            v, su, to = ev.model.term_parts(state, t)
            out.append((t, ev.score_parts(v, su, to, ctx) - base, ev.mine(v) - mine0, v,
                        combine(su, to, ctx)))
        return prep, out

    def accept_chance(self, state: State, terms, counter: bool = False) -> float:
        """The belief's chance that the other side accepts ``terms`` (ids) at ``state``."""
        from game.ai.likelihood import package_chance

        self._refresh()
        return package_chance(self.belief, state, terms, counter)

    def _answer_p(self, x: float) -> float:
        """The chance of accepting a package worth ``x`` beyond the caution it needs."""
        z = x / self.temper
        return 0.0 if z < -60 else 1.0 if z > 60 else 1.0 / (1.0 + math.exp(-z))

    def _build_deals(self, state: State, legal, exclude: frozenset = frozenset(),
                     floor: float = -math.inf, counter: bool = False) -> list[tuple[float, tuple]]:
        """Candidate packages with their expected value (chance accepted × my gain), best first.

        Terms are judged one by one; every package of up to ``deal_max_terms`` of the most
        promising terms is then judged by adding them up, with the chance of acceptance taken
        over every opponent type of the belief; the best few are checked exactly with the
        engine's effects, unless their estimate is below ``floor`` (they would lose to another
        option anyway). A refused package is not offered again unless something has changed
        (``Belief.may_offer``).
        """
        prep, table = self._term_table(state, legal)
        if not table:
            return []
        bel = self.belief
        sc = self.scenario
        maxn = sc.deal_max_terms
        v0 = np.asarray(prep[0], dtype=float)
        e0 = bel.endings._combine(prep[2][2], prep[2][3], prep[1])
        # Each term's features for the other side (its meters through the belief's weights)
        # and its endings; a package adds them up, with its caution counted once.
        X = (np.asarray([r[3] for r in table], dtype=float) - v0) * (100.0 / bel.span)
        off = np.asarray([r[4] for r in table]) - e0
        # Every sum in a fixed order (``beliefs.dot_rows``, ``_combo_sums``), as the compiled games add
        # them: a BLAS product adds in an order of its own.
        theirs = dot_rows(X, bel.mu[:bel.n]) + off
        if len(table) > 2 * POOL:
            wants = sorted(range(len(table)), key=lambda i: -table[i][1])[:POOL]
            sweet = sorted(range(len(table)), key=lambda i: -(theirs[i] - max(0.0, -table[i][1])))[:POOL]
            keep = sorted(set(wants) | set(sweet))
            table = [table[i] for i in keep]
            X, off = X[keep], off[keep]
        n = len(table)
        gains = np.asarray([r[1] for r in table])
        shape = 1.5 - self.risk  # a bold actor discounts the chance of refusal less
        r = min(maxn, n)
        M = _combos(n, r)
        G, PX, O = _combo_sums(n, r, gains), _combo_sums(n, r, X, bel.n + 1), _combo_sums(n, r, off)
        caution = -(0.5 if counter else 1.0)  # a counter's answer needs half the caution
        PX[:, bel.n] = caution
        # The belief's forecast of each package (``Belief.forecast`` with the package's variance
        # from its terms' pairs, ``_pair_forms``), calibrated: only where we gain (EV = G
        # elsewhere), and for another package only if it comes up for ``may_offer``.
        m = dot_rows(PX, bel.mu) + O
        v = None
        if bel.learns:
            e = MODEL_ERROR * abs_rows(PX[:, :bel.n])
            v = _pair_forms(n, r, X, bel.cov, caution) + e * e
        up = np.flatnonzero(G > 0)
        P = np.full(len(G), np.nan)
        P[up] = bel.chances(m[up], None if v is None else v[up], CHOOSER_DOUBT)
        # (libm's pow, as compiled code calls it; a power of 1 is left out: the same number)
        EV = G.copy()
        EV[up] = [(p if shape == 1.0 else math.pow(p, shape)) * g for p, g in zip(P[up].tolist(), G[up].tolist())]
        order = np.argsort(-EV, kind="stable")
        out = []
        turn = state.turn
        for c in order:
            if len(out) >= 3:
                break
            val = float(EV[c])
            if val <= 0 and out:
                break
            terms = [table[i][0] for i in np.flatnonzero(M[c])]
            key = frozenset(t.id for t in terms)
            if key == exclude:
                continue
            if G[c] <= 0 and key in bel.offers:  # its chance, for may_offer
                P[c] = bel.chances(m[c:c + 1], None if v is None else v[c:c + 1], CHOOSER_DOUBT)[0]
            if not bel.may_offer(key, turn, float(P[c])):
                continue
            if len(terms) == 1 or val < floor:  # exact already, or not worth checking
                out.append((val, tuple(t.id for t in terms)))
            else:
                out.append(self._exact_deal(state, terms, prep, counter))
        out.sort(key=lambda x: -x[0])
        return out

    def _exact_deal(self, state: State, terms, prep, counter: bool = False) -> tuple[float, tuple]:
        ev = self.ev
        bel = self.belief
        v, g = ev.project_near(state, prep, *((t.effects, 1.0) for t in terms))
        g -= prep[3]
        # The other side's endings after and before, from the position's closeness: Model.near
        # judges again only the endings whose inputs moved (the same numbers as judging all).
        combine = bel.endings._combine
        ctx, parts = prep[1], prep[2]
        p = bel.accept_chance(bel.features(state.values, v, 0.5 if counter else 1.0),
                              combine(*ev.model.near(parts, v, ctx), ctx) - combine(parts[2], parts[3], ctx))
        return (p ** (1.5 - self.risk) * g if g > 0 else g, tuple(t.id for t in terms))

    def _table_gain(self, state: State) -> float:
        sc = self.scenario
        ev = self.ev
        ctx = state.ctx
        if len(state.deal) == 1:
            v = ev.model.term_values(state, sc.terms[state.deal[0]])
        else:
            v = self.project(state, *((sc.terms[i].effects, 1.0) for i in state.deal))
        return ev.score(v, ctx) - ev.score(state.values, ctx)

    def _deal_options(self, state: State, legal):
        me = self.actor
        opts = []
        if state.phase == PROPOSE:
            opts.append((self.caution * 0.5, Move("no_deal", me)))
            kind = "propose"
            exclude = frozenset()
            floor = self.caution * 0.5 - 3 * self.sigma - 1.0
        else:
            g = self._table_gain(state)
            opts.append((g - self.caution, Move("accept", me)))
            opts.append((0.0, Move("reject", me)))
            kind = "counter"
            exclude = frozenset(self.scenario.terms[i].id for i in state.deal)
            floor = -3 * self.sigma - 1.0
        for val, terms in self._build_deals(state, legal, exclude, floor, kind == "counter"):
            opts.append((val * (0.8 if kind == "counter" else 1.0), Move(kind, me, terms=terms)))
        return opts

    def _propose(self, state, legal, rng):
        return self._pick(self._deal_options(state, legal), rng)

    def _answer(self, state, legal, rng):
        """Accept by the public rule; a package not accepted is rejected or countered."""
        opts = self._deal_options(state, legal)
        if rng.random() < self._answer_p(opts[0][0]):
            return opts[0][1]
        return self._pick(opts[1:], rng)

    def _counter_options(self, state: State):
        """Answering a counter-offer: accept it or reject it (nothing else is allowed)."""
        g = self._table_gain(state)
        return [(g - self.caution * 0.5, Move("accept", self.actor)), (0.0, Move("reject", self.actor))]

    def _answer_counter(self, state, legal, rng):
        accept, reject = self._counter_options(state)
        return accept[1] if rng.random() < self._answer_p(accept[0]) else reject[1]


_COMBO_INDEX: dict[tuple[int, int], list[np.ndarray]] = {}


def _combo_blocks(n: int, r: int) -> list[np.ndarray]:
    """Every set of 1 to ``r`` of ``n`` items (``_combos``' rows), as one array of indices per size."""
    blocks = _COMBO_INDEX.get((n, r))
    if blocks is None:
        import itertools

        blocks = _COMBO_INDEX[(n, r)] = [np.array(list(itertools.combinations(range(n), k)), dtype=np.intp)
                                         for k in range(1, r + 1)]
    return blocks


def _pair_forms(n: int, r: int, X: np.ndarray, C: np.ndarray, caution: float) -> np.ndarray:
    """``x C xᵀ`` of every package (``_combos(n, r)``) of the terms whose features are the rows
    of ``X`` (the slots' columns), with ``caution`` as its last feature, from the terms' pairs:
    ``Σ_a Σ_b x_a C x_bᵀ + 2 caution Σ_a (C x_a)_last + caution² C_last,last``. Each product is
    added in a fixed order (the nonzero columns left to right, the pairs row by row), the one
    the compiled games use; ``C`` is symmetric."""
    last = X.shape[1]
    J = np.flatnonzero(np.any(X != 0.0, axis=0)).tolist()
    cols = J + [last]
    U = np.zeros((len(X), len(cols)))  # U[i, j] = Σ_k X[i, k] C[k, j]
    for q, k in enumerate(J):
        U = X[:, k:k + 1] * C[k, cols] if q == 0 else U + X[:, k:k + 1] * C[k, cols]
    Q = np.zeros((len(X), len(X)))  # Q[i, i'] = Σ_j U[i, j] X[i', j]
    for q, j in enumerate(J):
        Q = U[:, q:q + 1] * X[:, j] if q == 0 else Q + U[:, q:q + 1] * X[:, j]
    lin = U[:, -1]
    tail = caution * caution * float(C[last, last])
    parts = []
    for idx in _combo_blocks(n, r):
        k = idx.shape[1]
        s = Q[idx[:, 0], idx[:, 0]]
        for a in range(k):
            for b in range(k):
                if a or b:
                    s = s + Q[idx[:, a], idx[:, b]]
        w = lin[idx[:, 0]]
        for a in range(1, k):
            w = w + lin[idx[:, a]]
        parts.append(s + 2.0 * caution * w + tail)
    return np.concatenate(parts)


def _combo_sums(n: int, r: int, a: np.ndarray, width: int = 0) -> np.ndarray:
    """``_combos(n, r) @ a`` with each package's items added left to right (a fixed order, see
    ``beliefs.dot_rows``); ``width`` > 0 leaves room for that many columns."""
    blocks = _combo_blocks(n, r)
    parts = []
    for idx in blocks:
        s = a[idx[:, 0]]
        for q in range(1, idx.shape[1]):
            s = s + a[idx[:, q]]
        parts.append(s)
    out = np.concatenate(parts)
    if width:
        wide = np.empty((len(out), width))
        wide[:, :out.shape[1]] = out
        return wide
    return out


_COMBOS: dict[tuple[int, int], np.ndarray] = {}


def _combos(n: int, r: int) -> np.ndarray:
    """Every set of 1 to ``r`` of ``n`` items as rows of a 0/1 matrix, by size then in order."""
    hit = _COMBOS.get((n, r))
    if hit is None:
        import itertools

        rows = [c for k in range(1, r + 1) for c in itertools.combinations(range(n), k)]
        hit = np.zeros((len(rows), n))
        for i, c in enumerate(rows):
            hit[i, list(c)] = 1.0
        _COMBOS[(n, r)] = hit
    return hit
