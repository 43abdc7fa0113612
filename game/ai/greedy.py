"""The greedy policy: one-ply look at every option, scored with the actor's own utility.

Personality (the scenario's ``ai`` table, overridable): ``caution`` is a bias towards the status
quo (passing, rejecting, conceding rather than risking a rupture); ``risk`` is optimism about
uncertain branches (an opponent conceding, a long-shot deal); ``noise`` adds a little randomness so
two games do not repeat. Deals are built to be accepted: each term is judged by what it does to the
actor and, through an estimate of the opponent's values (never the true ones), to the opponent.
"""

from __future__ import annotations

import math
import random

from game.ai.beliefs import estimate_weights
from game.ai.evaluate import Evaluator
from game.ai.policy import offered_terms
from game.engine.state import (ACT, ANSWER, ANSWER_COUNTER, CHOOSE, PROPOSE, STANDOFF,
                               STANDOFF_PRESS, Move, State)
from game.scenario import Scenario

NOISE_SCALE = 20.0        # utility points per unit of personality noise
ACCEPT_TEMPERATURE = 2.0  # utility points: how sharply acceptance rises with the opponent's gain
POOL = 6                  # terms per side kept when building deals


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
        own = sc.weights[self.me] if own_weights is None else own_weights
        if rival_weights is None:
            rival_weights = estimate_weights(sc, self.me, random.Random(f"beliefs:{seed}:{actor}"),
                                             belief_noise)
        self.rival_weights = rival_weights
        self.ev = Evaluator(sc, self.me, own, rival_weights, self.rivalry)
        self.project = self.ev.model.project
        self.sigma = self.noise * NOISE_SCALE

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
        best = None
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
                v = self.project(state, (cost, 1.0), (m.effects, 1.0))
            else:
                v = self.project(state, (m.effects, 1.0))
            val = ev.score_near(prep, v) - base
            if m.opens >= 0:
                so = sc.standoffs[m.opens]
                won = self.project(state, (cost or (), 1.0), (m.effects, 1.0), (so.concede, 1.0))
                hope = 0.25 + 0.5 * self.risk
                val += hope * max(0.0, ev.score_near(prep, won) - base - val) - (1 - hope) * self.caution
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
            v = self.project(state, (ch.effects, 1.0))
            opts.append((ev.score_near(prep, v) + math.log(max(ch.ai, 0.05)), mv))
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
        """Per available term: (term, my score gain, the rival's estimated gain, my utility gain)."""
        ev = self.ev
        vals = state.values
        ctx = state.ctx
        prep = ev.prepare(vals, ctx)
        base = prep[3]
        mine0 = ev.mine(vals)
        riv0 = ev.theirs(vals)
        out = []
        parts = ev.model.term_parts
        for t in offered_terms(state, legal):
            v, su, to = parts(state, t)
            out.append((t, ev.score_parts(v, su, to, ctx) - base, ev.theirs(v) - riv0, ev.mine(v) - mine0))
        return prep, out

    def _accept_chance(self, riv_gain: float, my_gain: float) -> float:
        """How likely the opponent accepts, judged from its estimated values (it is a rival too)."""
        x = (riv_gain - self.rivalry * my_gain - 0.5) / ACCEPT_TEMPERATURE
        if x < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-x))

    def _build_deals(self, state: State, legal, exclude: tuple[int, ...] = (),
                     floor: float = -math.inf) -> list[tuple[float, tuple]]:
        """Candidate deals with their expected value (chance accepted × my gain), best first.

        Terms are judged one by one, deals by adding them up (cheap), and the best few deals are
        then checked exactly with the engine's effects, unless their estimate is below ``floor``
        (they would lose to another option anyway).
        """
        prep, table = self._term_table(state, legal)
        if not table:
            return []
        maxn = self.scenario.deal_max_terms
        if len(table) > 2 * POOL:
            wants = sorted(table, key=lambda r: -r[1])[:POOL]
            sweet = sorted(table, key=lambda r: -(r[2] - max(0.0, -r[1])))[:POOL]
            table = list({r[0].index: r for r in wants + sweet}.values())
        n = len(table)
        G = [r[1] for r in table]
        R = [r[2] for r in table]
        U = [r[3] for r in table]
        shape = 1.5 - self.risk  # a bold actor discounts the chance of refusal less
        rho = self.rivalry
        exp = math.exp

        def value(g, r, u):
            if g <= 0:
                return g
            x = (r - rho * u - 0.5) / ACCEPT_TEMPERATURE
            return 0.0 if x < -30 else g * (1.0 + exp(-x)) ** -shape

        cands = [(value(G[i], R[i], U[i]), (i,)) for i in range(n)]
        if maxn >= 2:
            for i in range(n):
                gi, ri, ui = G[i], R[i], U[i]
                for j in range(i + 1, n):
                    cands.append((value(gi + G[j], ri + R[j], ui + U[j]), (i, j)))
        cands.sort(key=lambda c: -c[0])
        grown = []
        seen = set()
        for val, sel in cands[:3]:
            sel = list(sel)
            g = sum(G[i] for i in sel)
            r = sum(R[i] for i in sel)
            u = sum(U[i] for i in sel)
            while len(sel) < maxn:
                best = None
                for k in range(n):
                    if k not in sel:
                        v2 = value(g + G[k], r + R[k], u + U[k])
                        if v2 > val + 1e-9:
                            best, val = k, v2
                if best is None:
                    break
                sel.append(best)
                g, r, u = g + G[best], r + R[best], u + U[best]
            key = tuple(sorted(table[i][0].index for i in sel))
            if key in seen or key == exclude:
                continue
            seen.add(key)
            grown.append((val, sel))
        # Exact checks, best estimate first, until one holds up against the next estimate.
        grown.sort(key=lambda c: -c[0])
        out = []
        for k, (val, sel) in enumerate(grown):
            if len(sel) == 1 or val < floor:  # exact already, or not worth checking
                out.append((val, (table[sel[0]][0].id,)))
            else:
                out.append(self._exact_deal(state, [table[i][0] for i in sel], prep))
            if k + 1 < len(grown) and out[-1][0] >= grown[k + 1][0] - 0.5:
                break
        out.sort(key=lambda x: -x[0])
        return out

    def _exact_deal(self, state: State, terms, prep) -> tuple[float, tuple]:
        ev = self.ev
        vals = state.values
        v = self.project(state, *((t.effects, 1.0) for t in terms))
        g = ev.score_near(prep, v) - prep[3]
        r = ev.theirs(v) - ev.theirs(vals)
        u = ev.mine(v) - ev.mine(vals)
        p = self._accept_chance(r, u)
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
            exclude = ()
            floor = self.caution * 0.5 - 3 * self.sigma - 1.0
        else:
            g = self._table_gain(state)
            opts.append((g - self.caution, Move("accept", me)))
            opts.append((0.0, Move("reject", me)))
            if g - self.caution > 2.0 + 3.0 * self.sigma:
                return opts  # a good deal: no counter-offer could be worth the risk of refusal
            kind = "counter"
            exclude = tuple(sorted(state.deal))
            floor = (max(g - self.caution, 0.0) - 3 * self.sigma - 1.0) / 0.8
        for val, terms in self._build_deals(state, legal, exclude, floor)[:3]:
            opts.append((val * (0.8 if kind == "counter" else 1.0), Move(kind, me, terms=terms)))
        return opts

    def _propose(self, state, legal, rng):
        return self._pick(self._deal_options(state, legal), rng)

    def _answer(self, state, legal, rng):
        return self._pick(self._deal_options(state, legal), rng)

    def _counter_options(self, state: State):
        """Answering a counter-offer: accept it or reject it (nothing else is allowed)."""
        g = self._table_gain(state)
        return [(g - self.caution * 0.5, Move("accept", self.actor)), (0.0, Move("reject", self.actor))]

    def _answer_counter(self, state, legal, rng):
        return self._pick(self._counter_options(state), rng)
