"""Numba source for whole games of one scenario: the engine's rules and the random policy, compiled.

``game.engine.rules`` stays the reference; this is its transcription over flat arrays, line for
line (each kernel's comment names the Python it mirrors), so a game played here ends in the same
state, with the same fired records, as ``Headless`` playing the same moves. The random policy's
draws come from each side's own Mersenne Twister, seeded in the kernel as ``random.Random(seed)``
seeds itself (or copied out of a given ``random.Random``), and ``random()`` is CPython's own
formula, so the moves are the same too.

The expression tables (effects, derived meters) are ``codegen.effect_tables``'s; the conditions
(events, choices, moves, terms, ruptures, endings) and the drift are generated here from the
same compiler output, through the same checked translator.
"""

from __future__ import annotations

import math

from game.fast.codegen import (_PRELUDE, EVAL_KERNELS, SHARED_KERNELS, Declined, _arr, _branches, check_names,
                               closeness_source, effect_tables,
                               lower, source_of)

# Phases as numbers (game.engine.state's names; EVENTS is the passing "events" phase).
PHASES = ("events", "choose", "standoff", "press", "propose", "answer", "counter", "act", "over")
# Fired kinds, in the order of the codes the kernel writes.
FIRED_KINDS = ("event", "deal", "standoff_opened", "standoff", "broken", "ending")
DEAL_IDS = ("accepted", "rejected")
STANDOFF_IDS = ("conceded", "firm", "pressed", "rupture", "lapsed", "backed_down")
FIRED_CAP = 4096  # fired records (and deals) a game may hold in the kernel's arrays
# Slots of the kernel's integer state array.
STATE = ("turn", "phase", "actor", "initiative", "cursor", "pending", "standoff", "round", "acted",
         "ending", "winner", "ndeal", "nfired", "nlog", "moves", "status")


class _Conds:
    """The scenario's conditions, each a case of one generated ``cond(i, v, c)``."""

    def __init__(self):
        self.cases: list[str] = []

    def add(self, fn) -> int:
        if fn is None:
            return -1
        lines, res = lower(source_of(fn), "q")
        self.cases.append("\n".join(lines + [f"return {res}"]))
        return len(self.cases) - 1


def _outs(items, prefix: str) -> list[str]:
    """Straight-line statements setting ``out[i]`` to each (i, expression function) of
    ``items`` (no function: 1.0, a condition that always holds)."""
    body = []
    for i, fn in items:
        if fn is None:
            body.append(f"out[{i}] = 1.0")
            continue
        lines, res = lower(source_of(fn), f"{prefix}{i}_")
        body += lines + [f"out[{i}] = {res}"]
    return body


def _function(header: str, body: list[str]) -> str:
    return (f"@njit(cache=True, error_model='numpy')\ndef {header}:\n"
            + "".join(f"    {x}\n" for x in body) + "    return\n")


def _flags_source(name: str, fns: list) -> str:
    """``name(v, c, out)``: every condition of a kind at once, ``out[i]`` 0.0 when the i-th does
    not hold; straight-line code, as ``expr.fuse_flags`` is for Python."""
    return _function(f"{name}(v, c, out)", _outs(enumerate(fns), "f"))


def _move_flags_source(sc) -> str:
    """``move_flags(a, v, c, out)``: the conditions of side ``a``'s unilateral moves, into
    ``out`` by move index (one branch per side)."""
    body = []
    for a in range(len(sc.players)):
        body.append(f"if a == {a}:")
        body += ["    " + x for x in _outs([(m.index, m.when) for m in sc.moves if m.by == a], "f")]
        body.append("    return")
    return _function("move_flags(a, v, c, out)", body)


def generate_games(sc) -> tuple[str, dict]:
    """(module source, facts: the effects tables' index by id)."""
    from game.ai.evaluate import Model
    from game.ai.beliefs import (CAL_RATE, MODEL_ERROR, NOISE_ANSWER, NOISE_CHOICE, NOISE_PROPOSAL, PROBIT2,
                                 SURPRISE)
    from game.ai.likelihood import PASS_VALUE
    from game.ai.greedy import CHOOSER_DOUBT, POOL

    model = Model.of(sc)
    shared, facts = effect_tables(sc, model.complex)
    index = facts["index"]

    def table(effs) -> int:
        return index[id(effs)] if effs else -1

    conds = _Conds()
    players = len(sc.players)
    if players != 2:
        raise Declined("a scenario without exactly two sides")
    # Events and their choices.
    ev_when, ev_table, ev_chance, ev_repeat, ev_cool, ev_actor, ev_default = [], [], [], [], [], [], []
    ch_start, ch_n, ch_when, ch_table = [], [], [], []
    for ev in sc.events:
        ev_when.append(conds.add(ev.when))
        ev_table.append(table(ev.effects))
        ev_chance.append(float(ev.chance))
        ev_repeat.append(bool(ev.repeat))
        ev_cool.append(int(ev.cooldown))
        ev_actor.append(int(ev.actor))
        ev_default.append(int(ev.default))
        ch_start.append(len(ch_when))
        ch_n.append(len(ev.choices))
        for ch in ev.choices:
            ch_when.append(conds.add(ch.when))
            ch_table.append(table(ch.effects))
    # Unilateral moves, per actor in the scenario's order (rules._Plan.acts), with their costs.
    mv_cost_t, mv_t, mv_once, mv_cool, mv_opens = [], [], [], [], []
    cost_start, cost_slot, cost_amt = [], [], []
    for m in sc.moves:
        mv_cost_t.append(table(sc.move_costs[m.index]))
        mv_t.append(table(m.effects))
        mv_once.append(bool(m.once))
        mv_cool.append(int(m.cooldown))
        mv_opens.append(int(m.opens))
        cost_start.append(len(cost_slot))
        for slot, amount in m.cost:
            cost_slot.append(int(slot))
            cost_amt.append(float(amount))
    cost_start.append(len(cost_slot))
    acts_start, acts = [], []
    for a in range(players):
        acts_start.append(len(acts))
        acts += [m.index for m in sc.act_flags[a][0]]
    acts_start.append(len(acts))
    # Terms, and each side's listing order (its own first: rules._Plan.layout).
    tm_t = [table(t.effects) for t in sc.terms]
    layout = []
    for a in range(players):
        layout += [t.index for t in sc.terms if t.by == a] + [t.index for t in sc.terms if t.by != a]
    n_terms = len(sc.terms)
    maxn = max(1, int(sc.deal_max_terms))
    comb = [[_comb(n, r) for r in range(maxn + 1)] for n in range(n_terms + 1)]
    # Standoffs.
    so = sc.standoffs
    so_cols = ([s.target for s in so], [s.by for s in so], [s.rounds for s in so], [table(s.press) for s in so],
               [table(s.concede) for s in so], [table(s.back_down) for s in so],
               [conds.add(s.rupture) for s in so], [table(s.rupture_effects) for s in so])
    # Endings: the sudden ones in file order (Scenario.sudden_ending), then all with their flags.
    en_when = [conds.add(en.when) for en in sc.endings]
    sudden = [en.index for en in sc.endings if not en.timeout]
    # Ledgers, and per slot the ledgers that watch it (Scenario.ledgers_of).
    lg = sc.ledgers
    lof_start, lof = [], []
    for slot in range(len(sc.names)):
        lof_start.append(len(lof))
        lof += [x.index for x in sc.ledgers_of.get(slot, ())]
    lof_start.append(len(lof))
    # Drift (rules._Work.end_turn), one generated function.
    drift_slots, _ = sc.drift_amounts
    drift_src = _function("drift_amounts(v, c, out)", _outs(enumerate(fn for _, fn in sc.drift), "d"))
    # Utility weights (rules.utility), per actor.
    w_start, w_slot, w_w = [], [], []
    for a in range(players):
        w_start.append(len(w_slot))
        for slot, w in sc.weights[a]:
            w_slot.append(int(slot))
            w_w.append(float(w))
    w_start.append(len(w_slot))
    dates = [sc.date(t) for t in range(sc.turns + 2)]
    for t, (y, mo) in enumerate(dates):
        if sc.ctx(t) != (t, y, mo, 0):  # pragma: no cover - the context's layout changed
            raise Declined("the expression context is not (turn, year, month, round)")

    out = [_PRELUDE, *shared]
    ints = lambda name, xs: _arr(name, list(xs) or [0], "int64")  # noqa: E731
    out.append(ints("EV_WHEN", ev_when) + ints("EV_TABLE", ev_table)
               + _arr("EV_CHANCE", ev_chance or [1.0], "float64") + _arr("EV_REPEAT", ev_repeat or [False], "bool_")
               + ints("EV_COOL", ev_cool) + ints("EV_ACTOR", ev_actor) + ints("EV_DEFAULT", ev_default)
               + ints("CH_START", ch_start) + ints("CH_N", ch_n) + ints("CH_WHEN", ch_when)
               + ints("CH_TABLE", ch_table) + f"N_EVENTS = {len(sc.events)}\n")
    out.append(ints("MV_COST_T", mv_cost_t) + ints("MV_T", mv_t)
               + _arr("MV_ONCE", mv_once or [False], "bool_") + ints("MV_COOL", mv_cool)
               + ints("MV_OPENS", mv_opens) + ints("COST_START", cost_start) + ints("COST_SLOT", cost_slot)
               + _arr("COST_AMT", cost_amt or [0.0], "float64") + ints("ACTS_START", acts_start)
               + ints("ACTS", acts) + f"N_MOVES = {len(sc.moves)}\n")
    out.append(ints("TM_T", tm_t) + ints("LAYOUT", layout)
               + f"N_TERMS = {n_terms}\nDEAL_MAX = {int(sc.deal_max_terms)}\n"
               + f"COMB = np.array({comb!r}, dtype=np.int64)\n")
    for name, col in zip(("SO_TARGET", "SO_BY", "SO_ROUNDS", "SO_PRESS", "SO_CONCEDE", "SO_BACK",
                          "SO_RUPTURE", "SO_RUPT_T"), so_cols):
        out.append(ints(name, col))
    out.append(ints("EN_WHEN", en_when) + _arr("EN_TIMEOUT", [en.timeout for en in sc.endings] or [False], "bool_")
               + ints("EN_WINNER", [en.winner for en in sc.endings]) + ints("SUDDEN", sudden)
               + f"N_ENDINGS = {len(sc.endings)}\nN_SUDDEN = {len(sudden)}\n")
    out.append(ints("LG_PROMISED", [x.promised for x in lg])
               + ints("LG_DELIVERED", [x.delivered for x in lg]) + ints("LG_WITHIN", [x.within for x in lg])
               + ints("LG_T", [table(x.on_broken) for x in lg]) + ints("LOF_START", lof_start)
               + ints("LOF", lof) + f"N_LEDGERS = {len(lg)}\n")
    out.append(ints("DR_SLOT", [s for s, *_ in drift_slots])
               + _arr("DR_FEEDS", [bool(f) for *_, f in drift_slots] or [False], "bool_")
               + f"N_DRIFT = {len(sc.drift)}\n")
    out.append(ints("W_START", w_start) + ints("W_SLOT", w_slot) + _arr("W_W", w_w or [0.0], "float64"))
    out.append(_arr("YEAR", [float(y) for y, _ in dates], "float64")
               + _arr("MONTH", [float(mo) for _, mo in dates], "float64") + f"TURNS = {int(sc.turns)}\n")
    out.append("".join(f"{name.upper()} = {i}\n" for i, name in enumerate(PHASES)) + f"FIRED_CAP = {FIRED_CAP}\n")
    out.append("".join(f"S_{name.upper()} = {i}\n" for i, name in enumerate(STATE)) + f"N_STATE = {len(STATE)}\n\n")
    # What the greedy player reads (model.complex: the tables Model.project gives the engine).
    logai = [math.log(max(ch.ai, 0.05)) for ev in sc.events for ch in ev.choices]
    if not all(math.isfinite(x) for x in logai):
        raise Declined("an event choice's ai weight is not finite")
    out.append(_arr("T_CX", facts["complex"] or [False], "bool_") + _arr("CH_LOGAI", logai or [0.0], "float64")
               + f"POOL = {int(POOL)}\nMODEL_ERROR = {float(MODEL_ERROR)!r}\nPROBIT2 = {float(PROBIT2)!r}\n"
               + f"CHOOSER_DOUBT = {float(CHOOSER_DOUBT)!r}\n"
               + "".join(f"{k} = {float(x)!r}\n" for k, x in (
                   ("SURPRISE", SURPRISE), ("NOISE_ANSWER", NOISE_ANSWER), ("NOISE_PROPOSAL", NOISE_PROPOSAL),
                   ("NOISE_CHOICE", NOISE_CHOICE), ("CAL_RATE", CAL_RATE), ("PASS_VALUE", PASS_VALUE)))
               + ints("HID_START", [0, len(sc.hidden[0]), len(sc.hidden[0]) + len(sc.hidden[1])])
               + ints("HID", [int(x) for x in (*sc.hidden[0], *sc.hidden[1])] or [0]))
    out.append(closeness_source(sc, model))
    out.append(_branches("cond", conds.cases, "v, c", "return 1.0"))
    out.append(drift_src)
    out.append(_flags_source("event_flags", [ev.when for ev in sc.events]))
    out.append(_move_flags_source(sc))
    out.append(_flags_source("term_flags", [t.when for t in sc.terms]))
    check_names("".join(out[1:]))
    out.append(_GAME_KERNELS)
    out.append(_GREEDY_KERNELS)
    return "".join(out), facts


# The greedy player (game.ai.greedy.GreedyPolicy), move for move: with a point belief in the
# search's playouts, with a learning one in single decisions and whole games. A side a's
# parameters (games._player_arrays): F[a] = (caution, risk, sigma, temper, the belief's temper,
# whether it learns, its calibration a and b, rivalry); its linear parts P = (PC, PS, PK, PN),
# k 0 the mix it scores with, 1 its own utility, 2 its estimate of the other side's: constant
# PC[a, k], slots PS[a, k, :PN[a, k]], factors PK[a, k, :PN[a, k]]; the endings' values
# E = (PSU, PTO, QSU, QTO), to it and to the other side; the belief's mean MU[a] and covariance
# COV[a]; its remembered refusals OF; the meters' spans SPAN (Belief.span).
_GREEDY_KERNELS = EVAL_KERNELS + '''

@njit(cache=True, error_model='numpy')
def _gauss(mt, pos, who, gs):
    # random.Random.gauss's z from stream who; gs holds whether a second draw is kept, and that draw
    if gs[0] != 0.0:
        gs[0] = 0.0
        return gs[1]
    x2pi = random(mt, pos, who) * 6.283185307179586
    g2rad = math.sqrt(-2.0 * math.log(1.0 - random(mt, pos, who)))
    gs[0] = 1.0
    gs[1] = math.sin(x2pi) * g2rad
    return math.cos(x2pi) * g2rad


@njit(cache=True, error_model='numpy')
def _gpick(vals, k, sigma, mt, pos, who, gs):
    # GreedyPolicy._pick over vals[:k]: each with its noise, the first best kept
    best = 0
    best_v = -np.inf
    for i in range(k):
        x = vals[i]
        if sigma != 0.0:
            x += 0.0 + _gauss(mt, pos, who, gs) * sigma
        if x > best_v:
            best = i
            best_v = x
    return best


@njit(cache=True, error_model='numpy')
def _answer_p(x, temper):
    # GreedyPolicy._answer_p
    z = x / temper
    return 0.0 if z < -60 else (1.0 if z > 60 else 1.0 / (1.0 + math.exp(-z)))


@njit(cache=True, error_model='numpy')
def _fresh(values, c, v, fl):
    # rules._Plan.derived_fresh: recomputing the derived meters would change nothing
    if not DERIVED_KNOWN or N_DERIVED == 0:
        return False
    for i in range(len(values)):
        v[i] = values[i]
    fl[0] = False
    derive(v, c, fl)
    if not fl[0]:
        return False
    for i in range(len(values)):
        if v[i] != values[i]:
            return False
    return True


@njit(cache=True, error_model='numpy')
def _preview(ks, scales, nk, values, c, fresh, turn, ledger, W):
    # evaluate.Model.project into W.v: the engine's preview (rules.preview, on a copy of the
    # ledgers) when a table touches a complex slot, else each amount added and clamped
    v, led, fl, buf, moved, buf2, moved2 = W[0], W[1], W[2], W[3], W[4], W[5], W[6]
    for i in range(len(values)):
        v[i] = values[i]
    cx = False
    for q in range(nk):
        if ks[q] >= 0 and T_CX[ks[q]]:
            cx = True
    if cx:
        for i in range(len(ledger)):
            led[i] = ledger[i]
        fl[0] = fresh
        for q in range(nk):
            effects(ks[q], scales[q], v, c, fl, turn, led, buf, moved, buf2, moved2)
        return
    for q in range(nk):
        if ks[q] >= 0:
            _add_clamped(ks[q], scales[q], v, c, buf)


@njit(cache=True, error_model='numpy')
def _lin(a, k, v, PC, PS, PK, PN):
    # evaluate._dot of side a's linear part k
    return dot(PC[a, k], PS[a, k, :PN[a, k]], PK[a, k, :PN[a, k]], v)


@njit(cache=True, error_model='numpy')
def _score_at(a, values, c, su0, to0, W, E, P):
    # Evaluator.score_near: side a's score of the values in W.v, near the position values (whose
    # endings' closeness is su0, to0); their own closeness is left in W.su, W.to
    v, su, to = W[0], W[7], W[8]
    near(v, c, values, su0, to0, su, to)
    return _lin(a, 0, v, P[0], P[1], P[2], P[3]) + combine(su, to, c, E[0][a], E[1][a])


@njit(cache=True, error_model='numpy')
def _judge(a, ks, scales, nk, values, c, fresh, turn, ledger, su0, to0, W, E, P):
    # Model.project then Evaluator.score_near: the score of the values after the tables (left
    # in W.v)
    _preview(ks, scales, nk, values, c, fresh, turn, ledger, W)
    return _score_at(a, values, c, su0, to0, W, E, P)


@njit(cache=True, error_model='numpy')
def _phi1(x):
    # beliefs.phi_exact for one number
    t = -60.0 if -60.0 > x else x
    t = 60.0 if 60.0 < t else t
    return 0.5 * (1.0 + math.tanh(0.5 * t))


@njit(cache=True, error_model='numpy')
def _chance(x, m, J, nj, off, t):
    # Belief.forecast of a point belief: features x (on the columns J[:nj]) times the mean m,
    # added left to right (beliefs.dot_rows: the columns where m is 0 add only zeros, which
    # leave the sum as it is but for the sign of a zero, and the chance of a zero sum is 1/2
    # whatever its sign), the endings' offset, the temper
    s = 0.0
    for q in range(nj):
        s = s + x[q] * m[J[q]]
    return _phi1((s + off) / math.sqrt(t * t))


@njit(cache=True, error_model='numpy')
def _sum_off(off, cb, size):
    # a package's endings offset: its terms' added left to right (greedy._combo_sums)
    s = off[cb[0]]
    for q in range(1, size):
        s = s + off[cb[q]]
    return s


@njit(cache=True, error_model='numpy')
def _calib(p, ca, cb):
    # Belief.calibrate of one chance (min and max as Python's, NaN kept)
    if ca == 1.0 and cb == 0.0:
        return p
    q = 1e-6 if 1e-6 > p else p
    q = (1 - 1e-6) if (1 - 1e-6) < q else q
    return _phi1(ca * math.log(q / (1 - q)) + cb)


@njit(cache=True, error_model='numpy')
def _chance_learn(x, mu, C, off, t, ca, cb, JJ):
    # Belief.accept_chance of a learning belief: features x (every column), the endings' offset,
    # the temper; the mean gain (beliefs.dot_rows), its variance (quad_rows over the nonzero
    # columns, plus the model's error, abs_rows) in the orders the Python path uses
    k = len(x)
    s = 0.0
    for j in range(k):
        s = s + x[j] * mu[j]
    m = s + off
    nz = 0
    for j in range(k):
        if x[j] != 0.0:
            JJ[nz] = j
            nz += 1
    vq = 0.0
    for q in range(nz):
        u = 0.0
        for p in range(nz):
            u = x[JJ[p]] * C[JJ[p], JJ[q]] if p == 0 else u + x[JJ[p]] * C[JJ[p], JJ[q]]
        vq = u * x[JJ[q]] if q == 0 else vq + u * x[JJ[q]]
    e = 0.0
    for j in range(k - 1):
        e = e + abs(x[j])
    e = MODEL_ERROR * e
    var = vq + e * e
    return _calib(_phi1(m / math.sqrt(t * t + 1.0 * var / PROBIT2)), ca, cb)


@njit(cache=True, error_model='numpy')
def _pair_chance(kk, ck, nx, X, keep, U, Q, mu, tail, caution, off, t, ca, cb):
    # The chance of the package of kept terms ck[:kk] (a learning belief), as _deals computes it
    # (the features added left to right, the variance from the terms' pairs, greedy._pair_forms)
    n = X.shape[1] - 1
    s = 0.0
    e = 0.0
    for j in range(n + 1):
        if j == n:
            x1 = caution
        else:
            x1 = X[keep[ck[0]], j]
            for q in range(1, kk):
                x1 = x1 + X[keep[ck[q]], j]
            e = e + abs(x1)
        s = s + x1 * mu[j]
    var = _pair_var(ck, kk, Q, U, nx, caution, tail, e)
    return _calib(_phi1((s + off) / math.sqrt(t * t + CHOOSER_DOUBT * var / PROBIT2)), ca, cb)


@njit(cache=True, error_model='numpy')
def _pair_var(ck, kk, Q, U, nx, caution, tail, e):
    # greedy._pair_forms of the package of kept terms ck[:kk], plus the model's error (e: its
    # features' absolute values added): the variance of its gain under the belief
    qs = Q[ck[0], ck[0]]
    for aa in range(kk):
        for bb in range(kk):
            if aa or bb:
                qs = qs + Q[ck[aa], ck[bb]]
    w = U[ck[0], nx]
    for aa in range(1, kk):
        w = w + U[ck[aa], nx]
    e = MODEL_ERROR * e
    return qs + 2.0 * caution * w + tail + e * e


@njit(cache=True, error_model='numpy')
def _press_outcome(s, v, c, fresh, turn, ledger, W, ks, scales):
    # GreedyPolicy._press_outcome, into W.v
    ks[0] = SO_PRESS[s]
    scales[0] = 1.0
    _preview(ks, scales, np.int64(1), v, c, fresh, turn, ledger, W)
    if SO_RUPTURE[s] >= 0 and cond(SO_RUPTURE[s], W[0], c) != 0.0:
        ks[1] = SO_RUPT_T[s]
        scales[1] = 1.0
        _preview(ks, scales, np.int64(2), v, c, fresh, turn, ledger, W)


@njit(cache=True, error_model='numpy')
def _deals(a, counter, floor, terms, nt, v, c, fresh, turn, ledger, deal, ndeal, su0, to0, base, W, E, P,
           F, MU, SPAN, vals, outs, TC, COV, OF):
    # GreedyPolicy._build_deals: up to 3 packages (vals[j], their terms in outs[j, 1:outs[j, 0] + 1]),
    # best first; returns how many, or -1 for a NaN in a sort. With a point belief, features are
    # kept only on the columns J where its mean is not 0 (see _chance); a learning belief (F[a, 5])
    # keeps every column, and judges a package's variance from its terms' pairs (_pair_chance),
    # calibrates its chances (F[a, 6:8]) and offers no package it remembers refused (OF:
    # Belief.offers as term bitmasks, turns, chances, counts; Belief.may_offer).
    n = len(v)
    risk = F[a, 1]
    t = F[a, 4]
    learns = F[a, 5] != 0.0
    ca = F[a, 6]
    cb = F[a, 7]
    mu = MU[a]
    caution = -(0.5 if counter else 1.0)  # a counter's answer needs half the caution
    J = np.empty(n + 1, dtype=np.int64)
    nj = 0
    for j in range(n + 1):
        if learns or mu[j] != 0.0:
            J[nj] = j
            nj += 1
    ks = np.empty(max(DEAL_MAX, 1) + 1, dtype=np.int64)
    scales = np.ones(max(DEAL_MAX, 1) + 1)
    g = np.empty(nt)
    X = np.empty((nt, nj))
    off = np.empty(nt)
    e0 = combine(su0, to0, c, E[2][a], E[3][a])
    TV, TSU, TTO, TOK = TC[4], TC[5], TC[6], TC[7]
    for i in range(nt):  # _term_table, each term's preview kept while the position lasts
        tm = terms[i]
        if not TOK[tm]:
            ks[0] = TM_T[tm]
            _preview(ks, scales, np.int64(1), v, c, fresh, turn, ledger, W)
            TV[tm] = W[0]
            near(TV[tm], c, v, su0, to0, TSU[tm], TTO[tm])
            TOK[tm] = True
        vv = TV[tm]
        g[i] = _lin(a, 0, vv, P[0], P[1], P[2], P[3]) + combine(TSU[tm], TTO[tm], c, E[0][a], E[1][a]) - base
        off[i] = combine(TSU[tm], TTO[tm], c, E[2][a], E[3][a]) - e0
        for q in range(nj):
            s = J[q]
            X[i, q] = (vv[s] - v[s]) * (100.0 / SPAN[s]) if s < n else caution
    keep = np.empty(nt, dtype=np.int64)
    nk = nt
    for i in range(nt):
        keep[i] = i
    if nt > 2 * POOL:  # the POOL terms best for us and the POOL sweetest for them
        key = np.empty(nt)
        sweet = np.empty(nt)
        for i in range(nt):
            key[i] = -g[i]
            th = 0.0
            for q in range(nj):
                if J[q] < n:
                    th = th + X[i, q] * mu[J[q]]
            th = th + off[i]
            mg = -g[i]
            sweet[i] = -(th - (mg if mg > 0.0 else 0.0))
            if key[i] != key[i] or sweet[i] != sweet[i]:
                return -1
        mark = np.zeros(nt, dtype=np.bool_)
        for i in np.argsort(key, kind='mergesort')[:POOL]:
            mark[i] = True
        for i in np.argsort(sweet, kind='mergesort')[:POOL]:
            mark[i] = True
        nk = 0
        for i in range(nt):
            if mark[i]:
                keep[nk] = i
                nk += 1
    r = min(DEAL_MAX, nk)
    total = 0
    for k in range(1, r + 1):
        total += _comb(nk, k)
    EV = np.empty(total)
    PCH = np.full(total, np.nan)  # each package's chance (where we gain, or once asked for)
    CB = np.full((total, max(r, 1)), -1, dtype=np.int64)
    CK = np.full((total, max(r, 1)), -1, dtype=np.int64)  # the same packages as kept positions
    # A learning belief: the kept terms' pairs (greedy._pair_forms): U[i, q] = Σ_k X_ik C_k,JX[q]
    # (the last column the caution's), Q[i, i'] = Σ_j U_ij X_i'j, over the columns JX where a
    # kept term's features are not 0, each sum left to right.
    nx = 0
    JX = np.empty(n, dtype=np.int64)
    U = np.zeros((nk, 1))
    Q = np.zeros((nk, nk))
    tail = 0.0
    if learns:
        C = COV[a]
        for j in range(n):
            for i in range(nk):
                if X[keep[i], j] != 0.0:
                    JX[nx] = j
                    nx += 1
                    break
        U = np.zeros((nk, nx + 1))
        for i in range(nk):
            for q in range(nx + 1):
                col = JX[q] if q < nx else n
                u = 0.0
                for p in range(nx):
                    u = X[keep[i], JX[p]] * C[JX[p], col] if p == 0 else u + X[keep[i], JX[p]] * C[JX[p], col]
                U[i, q] = u
        for i in range(nk):
            for i2 in range(nk):
                u = 0.0
                for p in range(nx):
                    u = U[i, p] * X[keep[i2], JX[p]] if p == 0 else u + U[i, p] * X[keep[i2], JX[p]]
                Q[i, i2] = u
        tail = caution * caution * C[n, n]
    idx = np.empty(max(r, 1), dtype=np.int64)
    pre = np.empty((max(r, 1), nj))  # pre[q]: the first q + 1 terms' features added, in order
    preg = np.empty(max(r, 1))
    preo = np.empty(max(r, 1))
    shape = 1.5 - risk
    den = math.sqrt(t * t)
    row = 0
    for k in range(1, r + 1):  # every package of k kept terms, in itertools.combinations' order
        for q in range(k):
            idx[q] = q
        low = 0  # the first level whose sums are stale
        while True:
            for q in range(low, k):
                i = keep[idx[q]]
                preg[q] = g[i] if q == 0 else preg[q - 1] + g[i]
                preo[q] = off[i] if q == 0 else preo[q - 1] + off[i]
                if q < k - 1 and learns:  # (a learning belief's columns are the slots: J[j] == j)
                    for p in range(nx):
                        j = JX[p]
                        pre[q, j] = X[i, j] if q == 0 else pre[q - 1, j] + X[i, j]
                elif q < k - 1:  # a prefix other packages share (the last level is added below)
                    for j in range(nj):
                        pre[q, j] = X[i, j] if q == 0 else pre[q - 1, j] + X[i, j]
            G = preg[k - 1]
            if G > 0:  # the chance matters only for a package we gain from (EV = G otherwise)
                i = keep[idx[k - 1]]
                s = 0.0
                e = 0.0
                if learns:  # only the columns where a kept term moves something (the rest add zeros)
                    for p in range(nx):
                        j = JX[p]
                        x1 = X[i, j] if k == 1 else pre[k - 2, j] + X[i, j]
                        e = e + abs(x1)
                        s = s + x1 * mu[j]
                    s = s + caution * mu[n]
                else:
                    for j in range(nj):
                        if J[j] == n:
                            x1 = caution
                        elif k == 1:
                            x1 = X[i, j]
                        else:
                            x1 = pre[k - 2, j] + X[i, j]
                        s = s + x1 * mu[J[j]]
                if learns:  # the variance from the terms' pairs (greedy._pair_forms)
                    var = _pair_var(idx, k, Q, U, nx, caution, tail, e)
                    p = _phi1((s + preo[k - 1]) / math.sqrt(t * t + CHOOSER_DOUBT * var / PROBIT2))
                else:
                    p = _phi1((s + preo[k - 1]) / den)
                p = _calib(p, ca, cb)
                PCH[row] = p
                EV[row] = (p if shape == 1.0 else math.pow(p, shape)) * G
            else:
                EV[row] = G
            if EV[row] != EV[row]:
                return -1
            for q in range(k):
                CB[row, q] = keep[idx[q]]
                CK[row, q] = idx[q]
            row += 1
            q = k - 1
            while q >= 0 and idx[q] == nk - k + q:
                q -= 1
            if q < 0:
                break
            idx[q] += 1
            for j in range(q + 1, k):
                idx[j] = idx[j - 1] + 1
            low = q
    x = np.empty(max(nj, 1))
    JX2 = np.empty(n + 1, dtype=np.int64)
    used = np.zeros(total, dtype=np.bool_)
    m = 0
    while m < 3:  # in the order of a stable sort by -EV: the largest first, ties by row
        cc = -1
        for i in range(total):
            if not used[i] and (cc < 0 or EV[i] > EV[cc]):
                cc = i
        if cc < 0:
            break
        used[cc] = True
        val = EV[cc]
        if val <= 0 and m > 0:
            break
        size = 0
        while size < max(r, 1) and CB[cc, size] >= 0:
            size += 1
        if counter and size == ndeal:  # the package on the table is not countered with itself
            same = True
            for q in range(size):
                found = False
                for j in range(ndeal):
                    if deal[j] == terms[CB[cc, q]]:
                        found = True
                if not found:
                    same = False
            if same:
                continue
        if OF[3][a] > 0:  # Belief.may_offer: a package refused is offered again only if something changed
            key = 0
            for q in range(size):
                key |= np.int64(1) << terms[CB[cc, q]]
            hit = -1
            for f in range(OF[3][a]):
                if OF[0][a, f] == key:
                    hit = f
            if hit >= 0:
                pc = PCH[cc]
                if pc != pc:  # (a package we do not gain from: its chance only now; only a
                    # learning belief remembers refusals, games.decide sees to it)
                    pc = _pair_chance(size, CK[cc], nx, X, keep, U, Q, mu, tail, caution,
                                      _sum_off(off, CB[cc], size), t, ca, cb)
                if not (turn - OF[1][a, hit] >= 2 and pc > OF[2][a, hit] + 0.1):
                    continue
        outs[m, 0] = size
        for q in range(size):
            outs[m, q + 1] = terms[CB[cc, q]]
        if size == 1 or val < floor:
            vals[m] = val
        else:  # _exact_deal
            for q in range(size):
                ks[q] = TM_T[terms[CB[cc, q]]]
                scales[q] = 1.0
            g2 = _judge(a, ks, scales, size, v, c, fresh, turn, ledger, su0, to0, W, E, P) - base
            vv = W[0]
            for q in range(nj):
                s = J[q]
                x[q] = 100.0 * (vv[s] - v[s]) / SPAN[s] if s < n else caution
            if learns:  # (J is every column)
                p = _chance_learn(x, mu, COV[a], combine(W[7], W[8], c, E[2][a], E[3][a]) - e0, t, ca, cb, JX2)
            else:
                p = _calib(_chance(x, mu, J, nj, combine(W[7], W[8], c, E[2][a], E[3][a]) - e0, t), ca, cb)
            vals[m] = p ** (1.5 - risk) * g2 if g2 > 0 else g2
            if vals[m] != vals[m]:
                return -1
        m += 1
    for i in range(1, m):  # out.sort(key=-value): stable
        j = i
        while j > 0 and -vals[j] < -vals[j - 1]:
            vals[j], vals[j - 1] = vals[j - 1], vals[j]
            for q in range(outs.shape[1]):
                outs[j, q], outs[j - 1, q] = outs[j - 1, q], outs[j, q]
            j -= 1
    return m


@njit(cache=True, error_model='numpy')
def greedy_move(a, phase, turn, nl, na, n, v, c, st, ledger, deal, acts, avail, F, P, E, MU, SPAN, mt,
                pos, who, gs, newdeal, W, TC, COV, OF):
    """GreedyPolicy.choose_in (after its blunder): the index of the legal move it makes (a deal:
    the package is in newdeal[1:newdeal[0] + 1]); -1 when it cannot judge the position as
    Python would (a NaN in a sort), and the caller plays the game on in Python. W holds scratch
    arrays (_scratch); TC what is known of the position (_scratch), renewed when it changes."""
    if nl == 1:
        return 0
    caution = F[a, 0]
    risk = F[a, 1]
    sigma = F[a, 2]
    if _stale(v, c, TC[0]):  # a new position: whether its derived meters hold, the endings' closeness
        TC[1][0] = _fresh(v, c, W[0], W[2])
        for j in range(N_SUDDEN):
            TC[2][j] = closeness(SUDDEN[j], v, c)
        for j in range(N_TIMEOUT):
            TC[3][j] = closeness(TIMEOUT[j], v, c)
        TC[7][:] = False
    fresh = TC[1][0]
    su0 = TC[2]
    to0 = TC[3]
    base = _lin(a, 0, v, P[0], P[1], P[2], P[3]) + combine(su0, to0, c, E[0][a], E[1][a])
    ks = np.empty(max(DEAL_MAX, 3) + 1, dtype=np.int64)
    scales = np.ones(max(DEAL_MAX, 3) + 1)
    if phase == ACT:
        opts = np.empty(na + 1)
        for p in range(na):
            i = acts[p]
            k = 0
            if MV_COST_T[i] >= 0:
                ks[k] = MV_COST_T[i]
                k += 1
            ks[k] = MV_T[i]
            k += 1
            val = _judge(a, ks, scales, k, v, c, fresh, turn, ledger, su0, to0, W, E, P) - base
            if MV_OPENS[i] >= 0:
                ks[k] = SO_CONCEDE[MV_OPENS[i]]
                won = _judge(a, ks, scales, k + 1, v, c, fresh, turn, ledger, su0, to0, W, E, P)
                hope = 0.25 + 0.5 * risk
                gap = won - base - val
                val += hope * (gap if gap > 0.0 else 0.0) - (1 - hope) * caution
            opts[p] = val
        opts[na] = caution * 0.5
        return _gpick(opts, na + 1, sigma, mt, pos, who, gs)
    if phase == CHOOSE:
        opts = np.empty(nl)
        for p in range(nl):
            ks[0] = CH_TABLE[acts[p]]
            opts[p] = (_judge(a, ks, scales, np.int64(1), v, c, fresh, turn, ledger, su0, to0, W, E, P)
                       + CH_LOGAI[acts[p]])
        return _gpick(opts, nl, sigma, mt, pos, who, gs)
    if phase == STANDOFF or phase == PRESS:
        # (Evaluator.score of each outcome: the same numbers as scoring it near the position)
        s = st[S_STANDOFF]
        _press_outcome(s, v, c, fresh, turn, ledger, W, ks, scales)
        pressed = _score_at(a, v, c, su0, to0, W, E, P) - base
        riv_pressed = _lin(a, 2, W[0], P[0], P[1], P[2], P[3])
        ks[0] = SO_BACK[s]
        scales[0] = float(st[S_ROUND])
        backed = _judge(a, ks, scales, np.int64(1), v, c, fresh, turn, ledger, su0, to0, W, E, P) - base
        scales[0] = 1.0
        riv_backed = _lin(a, 2, W[0], P[0], P[1], P[2], P[3])
        ks[0] = SO_CONCEDE[s]
        won = _judge(a, ks, scales, np.int64(1), v, c, fresh, turn, ledger, su0, to0, W, E, P) - base
        opts = np.empty(2)
        if phase == STANDOFF:  # _standoff_options: concede (won, as the target) or stand firm
            z = -(riv_pressed - riv_backed) / 2.0
            z = z if z < 30.0 else 30.0
            z = z if z > -30.0 else -30.0
            q = 1.0 / (1.0 + math.exp(z))
            firm = q * pressed + (1 - q) * backed
            if firm < 0:
                firm *= 1.0 + caution
            firm += (risk - 0.5) * 2.0
            opts[0] = won
            opts[1] = firm
        else:  # _press_options: press or back down
            hope = 0.2 + 0.5 * risk
            press = pressed + hope * (won if won > 0.0 else 0.0)
            if pressed < 0:
                press += pressed * caution
            opts[0] = press
            opts[1] = backed
        return _gpick(opts, 2, sigma, mt, pos, who, gs)
    # Deals: the gain of the package on the table (GreedyPolicy._table_gain) when answering.
    ndeal = st[S_NDEAL]
    gain = 0.0
    if phase != PROPOSE:
        for q in range(ndeal):
            ks[q] = TM_T[deal[q]]
        gain = _judge(a, ks, scales, ndeal, v, c, fresh, turn, ledger, su0, to0, W, E, P) - base
    if phase == COUNTER:  # _answer_counter
        return 0 if random(mt, pos, who) < _answer_p(gain - caution * 0.5, F[a, 3]) else 1
    terms = np.empty(n + ndeal, dtype=np.int64)  # policy.offered_terms
    nt = n
    for i in range(n):
        terms[i] = avail[i]
    if phase == ANSWER:
        for q in range(ndeal):
            found = False
            for i in range(nt):
                if terms[i] == deal[q]:
                    found = True
            if not found:
                terms[nt] = deal[q]
                nt += 1
    vals = np.empty(3)
    outs = np.empty((3, max(DEAL_MAX, 1) + 1), dtype=np.int64)
    # _deal_options: no deal (or, answering, accept and reject) and the packages _deals builds
    counter = phase == ANSWER
    nd = 0
    if nt > 0:
        floor = -3 * sigma - 1.0 if counter else caution * 0.5 - 3 * sigma - 1.0
        nd = _deals(a, counter, floor, terms, nt, v, c, fresh, turn, ledger, deal, ndeal, su0, to0, base, W, E, P,
                    F, MU, SPAN, vals, outs, TC, COV, OF)
    if nd < 0:
        return -1
    if counter and random(mt, pos, who) < _answer_p(gain - caution, F[a, 3]):  # _answer: accepted
        return 0
    opts = np.empty(4)  # _pick over no deal (or reject) and the packages
    opts[0] = 0.0 if counter else caution * 0.5
    for j in range(nd):
        opts[1 + j] = vals[j] * (0.8 if counter else 1.0)
    pick = _gpick(opts, 1 + nd, sigma, mt, pos, who, gs)
    if pick > 0:
        for q in range(outs[pick - 1, 0] + 1):
            newdeal[q] = outs[pick - 1, q]
    return pick + 1 if counter else pick


@njit(cache=True, error_model='numpy')
def _scratch(nv, nl):
    # greedy_move's scratch arrays (values, ledgers, a flag, effects' buffers, closeness) and
    # its knowledge of a position (the values and context it is for, see _stale; whether the
    # derived meters hold; the endings' closeness; each term's values and closeness after it,
    # and whether they are known)
    W = (np.empty(nv), np.empty(max(nl, 1), dtype=np.int64), np.zeros(1, dtype=np.bool_),
         np.empty(MAXTAB), np.empty((MAXTAB, 3), dtype=np.int64), np.empty(MAXTAB),
         np.empty((MAXTAB, 3), dtype=np.int64), np.empty(N_SUDDEN), np.empty(N_TIMEOUT))
    TC = (np.zeros(nv + 5), np.zeros(1, dtype=np.bool_), np.empty(N_SUDDEN), np.empty(N_TIMEOUT),
          np.empty((max(N_TERMS, 1), nv)), np.empty((max(N_TERMS, 1), N_SUDDEN)),
          np.empty((max(N_TERMS, 1), N_TIMEOUT)), np.zeros(max(N_TERMS, 1), dtype=np.bool_))
    return W, TC


@njit(cache=True, error_model='numpy')
def _greedy_step(pick, a, phase, turn, lg, newdeal, seed, v, c, st, ready, ev_ready, ledger, deal, fired, log, fl,
                 buf, moved, buf2, moved2, flags, acts, avail, max_moves):
    # Play greedy_move's pick (a package it built: the one in newdeal) and count the move; False
    # when the game stops here (the deal log full, status 2, or one move too many, status 1)
    direct = (phase == PROPOSE and pick > 0) or (phase == ANSWER and pick > 1)
    if direct:
        for q in range(newdeal[0]):
            deal[q] = newdeal[q + 1]
        st[S_NDEAL] = newdeal[0]
    if not _play(pick, direct, a, phase, turn, lg[1], lg[2], lg[3], lg[4], seed, v, c, st, ready, ev_ready,
                 ledger, deal, fired, log, fl, buf, moved, buf2, moved2, flags, acts, avail):
        return False
    st[S_MOVES] += 1
    if st[S_MOVES] > max_moves:
        st[S_STATUS] = 1
        return False
    return True


@njit(cache=True, error_model='numpy')
def decide(a, v, c, st, deal, ledger, nl, na, n, acts, avail, F, P, E, MU, SPAN, COV, OF, mt, pos, gs, newdeal,
           W, TC):
    """One greedy decision for side a at the position given as it sees it (GreedyPolicy.choose_in
    on a view): greedy_move's pick, its package in newdeal, drawing from mt[0] (the policy's
    generator). The legal moves are the true position's, as the caller lists them: nl of them,
    the unilateral moves acts[:na] (or the choices acts[:nl]), the available terms avail[:n]."""
    return greedy_move(a, st[S_PHASE], st[S_TURN], nl, na, n, v, c, st, ledger, deal, acts, avail, F, P, E, MU,
                       SPAN, mt, pos, np.int64(0), gs, newdeal, W, TC, COV, OF)


@njit(cache=True, error_model='numpy')
def play_greedy(seed, v, c, st, ready, ev_ready, ledger, deal, fired, log, rng_seed, stop, max_moves, F, P,
                E, MU, SPAN, COV, OF):
    """Both sides greedy (greedy_move) from the position given, drawing from one
    random.Random(rng_seed), until the game ends or turn stop is reached in the act phase
    (search.SearchPolicy._playout). st's status: 0 done, 1 too many moves, 2 an output array
    full, 3 a position the kernel does not judge (the caller plays the game on in Python)."""
    mt = np.empty((2, 624), dtype=np.int64)
    pos = np.zeros(2, dtype=np.int64)
    seed_mt(mt, pos, 0, np.uint64(rng_seed))
    gs = np.zeros(2)
    fl, buf, buf2, moved, moved2, flags, mflags, tflags, mseen, tseen, acts, avail, combo, lg = _loop_arrays(len(v))
    newdeal = np.empty(max(DEAL_MAX, 1) + 1, dtype=np.int64)
    W, TC = _scratch(len(v), len(ledger))
    while st[S_PHASE] != OVER and st[S_STATUS] == 0 and (st[S_TURN] < stop or st[S_PHASE] != ACT):
        a = st[S_ACTOR]
        phase = st[S_PHASE]
        turn = st[S_TURN]
        _legal(a, phase, turn, v, c, st, ready, deal, mflags, mseen, tflags, tseen, acts, avail, combo, lg)
        pick = greedy_move(a, phase, turn, lg[0], lg[1], lg[2], v, c, st, ledger, deal, acts, avail, F, P, E,
                           MU, SPAN, mt, pos, np.int64(0), gs, newdeal, W, TC, COV, OF)
        if pick < 0:
            st[S_STATUS] = 3
            return
        if not _greedy_step(pick, a, phase, turn, lg, newdeal, seed, v, c, st, ready, ev_ready, ledger, deal,
                            fired, log, fl, buf, moved, buf2, moved2, flags, acts, avail, max_moves):
            return

# --- whole greedy games: each side sees its view and learns (GreedyPolicy with a Belief) ---------

@njit(cache=True, error_model='numpy')
def _two_prod(a, b):
    # Dekker's product: a * b == p + e exactly
    p = a * b
    f = 134217729.0
    t = f * a
    ah = t - (t - a)
    al = a - ah
    t = f * b
    bh = t - (t - b)
    bl = b - bh
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    return p, e


@njit(cache=True, error_model='numpy')
def _round1(x):
    # Python's round(x, 1): the multiple of 0.1 nearest x's exact value (ties to even), as a double
    if x != x or abs(x) >= 1e14:
        return x
    p, e = _two_prod(x, 10.0)
    k = math.floor(p)
    d = (p - (k + 0.5)) + e  # (exact where it is small: its sign says which way x * 10 rounds)
    if d > 0.0 or (d == 0.0 and k % 2.0 != 0.0):
        k += 1.0
    if k == 0.0:
        return math.copysign(0.0, x)
    return k / 10.0


@njit(cache=True, error_model='numpy')
def _view(a, seed, turn, v, out):
    # engine.view: side a's hidden meters as the midpoint of its estimate (view.estimate)
    for i in range(len(v)):
        out[i] = v[i]
    for q in range(HID_START[a], HID_START[a + 1]):
        s = HID[q]
        lo = LO[s]
        hi = HI[s]
        span = hi - lo
        shift = (roll(seed, turn, 50000 + s * 7 + a) - 0.5) * 0.2 * span
        x1 = v[s] + shift - 0.1 * span
        x1 = x1 if x1 > lo else lo
        b = x1 + 0.2 * span
        b = b if b < hi else hi
        x1 = b - 0.2 * span
        x1 = x1 if x1 > lo else lo
        out[s] = (_round1(x1) + _round1(b)) / 2


@njit(cache=True, error_model='numpy')
def _learn(o, x, off, y, noise, MU, COV, Sx):
    # Belief.learn (the products in dot_rows' and dot_vec's orders)
    k = len(x)
    for j in range(k):
        if not math.isfinite(x[j]):
            return
    if not math.isfinite(off):
        return
    mu = MU[o]
    C = COV[o]
    for i in range(k):
        u = C[i, 0] * x[0]
        for j in range(1, k):
            u = u + C[i, j] * x[j]
        Sx[i] = u
    d = 0.0
    for i in range(k):
        d += x[i] * Sx[i]
    s2 = noise * noise + d
    s = math.sqrt(s2)
    m = 0.0
    for i in range(k):
        m += mu[i] * x[i]
    t = y * (m + off) / s
    phi = math.exp(-0.5 * t * t) / math.sqrt(2 * math.pi)
    p = SURPRISE / 2 + (1 - SURPRISE) * 0.5 * math.erfc(-t / math.sqrt(2))
    v = (1 - SURPRISE) * phi / p
    wf = v * (v + t)
    wf = wf if wf > 0.0 else 0.0
    wf = wf if wf < 0.999 else 0.999
    co = y * v / s
    for i in range(k):
        mu[i] = mu[i] + co * Sx[i]
    f = wf / s2
    for i in range(k):
        for j in range(k):
            C[i, j] = C[i, j] - (Sx[i] * Sx[j]) * f


@njit(cache=True, error_model='numpy')
def _renormalise(o, MU, COV):
    # Belief._renormalise
    mu = MU[o]
    C = COV[o]
    n = len(mu) - 1
    k = 0.0
    for i in range(n):
        k += abs(mu[i])
    if k <= 1e-9 or not math.isfinite(k):
        return
    r = 1.0 / k
    for i in range(n + 1):
        mu[i] = mu[i] * (r if i < n else 1.0)
    for i in range(n + 1):
        si = r if i < n else 1.0
        for j in range(n + 1):
            C[i, j] = C[i, j] * (si * (r if j < n else 1.0))


@njit(cache=True, error_model='numpy')
def _rebuild(o, mu, P, rivalry):
    # GreedyPolicy._refresh: the evaluator for the belief's mean weights (Belief.mean_weights,
    # evaluate.linear, Evaluator's mix of own and rival parts)
    PC, PS, PK, PN = P
    n = len(mu) - 1
    norm = 0.0
    for s in range(n):
        if abs(mu[s]) > 1e-6:
            norm = norm + abs(mu[s])
    const = 0.0
    m = 0
    if norm != 0.0:
        for s in range(n):
            w = mu[s]
            if abs(w) > 1e-6:
                a = 100.0 * w / (norm * (HI[s] - LO[s]))
                PS[o, 2, m] = s
                PK[o, 2, m] = a
                m += 1
                if w >= 0:
                    const += -a * LO[s]
                else:
                    const += -100.0 * w / norm - a * LO[s]
    PC[o, 2] = const
    PN[o, 2] = m
    q = 0
    for s in range(n):
        io = -1
        for j in range(PN[o, 1]):
            if PS[o, 1, j] == s:
                io = j
        ir = -1
        for j in range(m):
            if PS[o, 2, j] == s:
                ir = j
        if io >= 0 or ir >= 0:
            PS[o, 0, q] = s
            PK[o, 0, q] = (PK[o, 1, io] if io >= 0 else 0.0) - rivalry * (PK[o, 2, ir] if ir >= 0 else 0.0)
            q += 1
    PC[o, 0] = PC[o, 1] - rivalry * const
    PN[o, 0] = q


@njit(cache=True, error_model='numpy')
def _option(o, ks, scales, nk, caution, vs, c, fresh, turn, ledger, su0, to0, e0, E, SPAN, W, x):
    # likelihood's option(): the features (into x) and endings offset of the tables ks after vs
    _preview(ks, scales, nk, vs, c, fresh, turn, ledger, W)
    vv = W[0]
    n = len(vs)
    for j in range(n):
        x[j] = 100.0 * (vv[j] - vs[j]) / SPAN[j]
    x[n] = -caution
    near(vv, c, vs, su0, to0, W[7], W[8])
    return combine(W[7], W[8], c, E[2][o], E[3][o]) - e0


@njit(cache=True, error_model='numpy')
def _package_option(o, terms, nterm, caution, vs, c, fresh, turn, ledger, su0, to0, e0, E, SPAN, W, x, ks, scales):
    # likelihood.package_features of the terms[:nterm]
    for q in range(nterm):
        ks[q] = TM_T[terms[q]]
        scales[q] = 1.0
    return _option(o, ks, scales, nterm, caution, vs, c, fresh, turn, ledger, su0, to0, e0, E, SPAN, W, x)


@njit(cache=True, error_model='numpy')
def _score_forecast(o, F, raw, accepted):
    # Belief._score_forecast
    a = F[o, 6]
    b = F[o, 7]
    q = raw if raw > 1e-6 else 1e-6
    q = q if q < 1 - 1e-6 else 1 - 1e-6
    z = math.log(q / (1 - q))
    p = _phi1(a * z + b)
    err = (1.0 if accepted else 0.0) - p
    na = a + CAL_RATE * err * z / (1.0 + abs(z))
    na = na if na > 0.3 else 0.3
    F[o, 6] = na if na < 1.5 else 1.5
    nb = b + CAL_RATE * err
    nb = nb if nb > -3.0 else -3.0
    F[o, 7] = nb if nb < 3.0 else 3.0


@njit(cache=True, error_model='numpy')
def _deal_key(terms, k):
    key = np.int64(0)
    for q in range(k):
        key |= np.int64(1) << terms[q]
    return key


@njit(cache=True, error_model='numpy')
def _observe(o, a, phase, pick, seed, v, c, st, ledger, deal, newdeal, F, P, E, MU, COV, OF, LOF, SPAN, W, G):
    # Belief.observe by side o of side a's move (its pick at phase, a package in newdeal), made at
    # the position given (before it is played); then GreedyPolicy._refresh. False when o's
    # refusals no longer fit in OF (the caller gives the game back).
    turn = st[S_TURN]
    offered = (phase == PROPOSE and pick > 0) or (phase == ANSWER and pick > 1)
    if o == a:
        if offered:  # our own package: its answer scores our forecasts
            LOF[0][o] = _deal_key(newdeal[1:], newdeal[0])
            LOF[1][o] = turn
        return True
    if F[o, 5] == 0.0:
        return True
    vs, x, xb, xc, Sx, JJ, ks, scales = G
    n = len(v)
    t = F[o, 4]
    ndeal = st[S_NDEAL]
    answer = (phase == ANSWER or phase == COUNTER) and ndeal > 0
    learnt = False
    if answer or offered or ((phase == STANDOFF or phase == PRESS) and st[S_STANDOFF] >= 0):
        _view(o, seed, turn, v, vs)
        fresh = _fresh(vs, c, W[0], W[2])
        su0 = np.empty(N_SUDDEN)
        to0 = np.empty(N_TIMEOUT)
        for j in range(N_SUDDEN):
            su0[j] = closeness(SUDDEN[j], vs, c)
        for j in range(N_TIMEOUT):
            to0[j] = closeness(TIMEOUT[j], vs, c)
        e0 = combine(su0, to0, c, E[2][o], E[3][o])
        if answer:
            caution = 0.5 if phase == COUNTER else 1.0
            et = _package_option(o, deal, ndeal, caution, vs, c, fresh, turn, ledger, su0, to0, e0, E, SPAN, W, x,
                                 ks, scales)
            raw = _chance_learn(x, MU[o], COV[o], et, t, 1.0, 0.0, JJ)
            accepted = pick == 0
            _learn(o, x, et, 1.0 if accepted else -1.0, NOISE_ANSWER, MU, COV, Sx)
            if offered:  # a counter-offer: what it tabled beat half its caution
                e2 = _package_option(o, newdeal[1:], newdeal[0], PASS_VALUE, vs, c, fresh, turn, ledger, su0, to0,
                                     e0, E, SPAN, W, xb, ks, scales)
                _learn(o, xb, e2, 1.0, NOISE_PROPOSAL, MU, COV, Sx)
            _renormalise(o, MU, COV)
            _rebuild(o, MU[o], P, F[o, 8])
            key = _deal_key(deal, ndeal)
            after = _chance_learn(x, MU[o], COV[o], et, t, F[o, 6], F[o, 7], JJ)
            ours = LOF[0][o] == key
            if ours:
                _score_forecast(o, F, raw, accepted)
                after = _chance_learn(x, MU[o], COV[o], et, t, F[o, 6], F[o, 7], JJ)
                if not accepted:  # Belief.offers[table] = (turn, after)
                    hit = -1
                    for f in range(OF[3][o]):
                        if OF[0][o, f] == key:
                            hit = f
                    if hit < 0:
                        if OF[3][o] >= OF[0].shape[1]:
                            return False
                        hit = OF[3][o]
                        OF[3][o] += 1
                        OF[0][o, hit] = key
                    OF[1][o, hit] = turn
                    OF[2][o, hit] = after
            return True
        if offered:  # a package tabled: its gain beat half the caution
            e1 = _package_option(o, newdeal[1:], newdeal[0], PASS_VALUE, vs, c, fresh, turn, ledger, su0, to0, e0,
                                 E, SPAN, W, x, ks, scales)
            _learn(o, x, e1, 1.0, NOISE_PROPOSAL, MU, COV, Sx)
            learnt = True
        elif phase == STANDOFF or phase == PRESS:  # the option taken beat the one passed over
            s = st[S_STANDOFF]
            ks[0] = SO_PRESS[s]
            scales[0] = 1.0
            ep = _option(o, ks, scales, np.int64(1), 0.0, vs, c, fresh, turn, ledger, su0, to0, e0, E, SPAN, W, x)
            ks[0] = SO_BACK[s]
            scales[0] = float(st[S_ROUND])
            eb = _option(o, ks, scales, np.int64(1), 0.0, vs, c, fresh, turn, ledger, su0, to0, e0, E, SPAN, W, xb)
            scales[0] = 1.0
            ks[0] = SO_CONCEDE[s]
            ec = _option(o, ks, scales, np.int64(1), 0.0, vs, c, fresh, turn, ledger, su0, to0, e0, E, SPAN, W, xc)
            # the two options, first into x, second into xb: the target gives way (xc) or stands
            # firm (the mean of press and back down); the demander presses (with a hope of the
            # concession) or backs down (xb)
            if phase == STANDOFF:
                for j in range(n + 1):
                    xb[j] = 0.5 * (x[j] + xb[j])
                    x[j] = xc[j]
                e1, e2 = ec, 0.5 * (ep + eb)
            else:
                for j in range(n + 1):
                    x[j] = x[j] + 0.35 * xc[j]
                e1, e2 = ep + 0.35 * ec, eb
            for j in range(n + 1):  # the one taken less the one passed over
                x[j] = x[j] - xb[j] if pick == 0 else xb[j] - x[j]
            d = e1 - e2 if pick == 0 else e2 - e1
            _learn(o, x, d, 1.0, NOISE_CHOICE, MU, COV, Sx)
            learnt = True
        if learnt:
            _renormalise(o, MU, COV)
            _rebuild(o, MU[o], P, F[o, 8])
    return True


@njit(cache=True, error_model='numpy')
def play_greedy_game(seed, v, c, st, ready, ev_ready, ledger, deal, fired, log, rng_seeds, max_moves, F, P, E, MU,
                     SPAN, COV, OF, LOF, util):
    """Two greedy players with learning beliefs (GreedyPolicy, no blunders) until the game ends
    (runner.play_game's loop): each decides on its view, from its own random.Random(rng_seeds[side]),
    and both observe every move. F, P, MU, COV, OF, LOF (each side's last package offered: its
    bitmask, -1 for none, and turn) change as the beliefs learn. st's status: 0 done, 1 too many
    moves, 2 an output array full, 3 a position the kernel does not judge or refusals that do not
    fit (the caller plays the game in Python). util gets each side's utility at the end."""
    mt = np.empty((2, 624), dtype=np.int64)
    pos = np.zeros(2, dtype=np.int64)
    for who in range(2):
        seed_mt(mt, pos, who, np.uint64(rng_seeds[who]))
    GS = np.zeros((2, 2))
    fl, buf, buf2, moved, moved2, flags, mflags, tflags, mseen, tseen, acts, avail, combo, lg = _loop_arrays(len(v))
    newdeal = np.empty(max(DEAL_MAX, 1) + 1, dtype=np.int64)
    n = len(v)
    W0, TC0 = _scratch(n, len(ledger))
    W1, TC1 = _scratch(n, len(ledger))
    G = (np.empty(n), np.empty(n + 1), np.empty(n + 1), np.empty(n + 1), np.empty(n + 1),
         np.empty(n + 1, dtype=np.int64), np.empty(max(DEAL_MAX, 3) + 1, dtype=np.int64),
         np.ones(max(DEAL_MAX, 3) + 1))
    vs = np.empty(n)
    while st[S_PHASE] != OVER and st[S_STATUS] == 0:
        a = st[S_ACTOR]
        phase = st[S_PHASE]
        turn = st[S_TURN]
        _legal(a, phase, turn, v, c, st, ready, deal, mflags, mseen, tflags, tseen, acts, avail, combo, lg)
        if lg[0] == 1:
            pick = 0
        else:
            _view(a, seed, turn, v, vs)
            W, TC = (W0, TC0) if a == 0 else (W1, TC1)  # (one call: a literal side would compile it twice)
            pick = greedy_move(a, phase, turn, lg[0], lg[1], lg[2], vs, c, st, ledger, deal, acts, avail, F, P, E,
                               MU, SPAN, mt, pos, a, GS[a], newdeal, W, TC, COV, OF)
            if pick < 0:
                st[S_STATUS] = 3
                return
        for o in range(2):
            if not _observe(o, a, phase, pick, seed, v, c, st, ledger, deal, newdeal, F, P, E, MU, COV, OF, LOF, SPAN,
                            W0, G):
                st[S_STATUS] = 3
                return
        if not _greedy_step(pick, a, phase, turn, lg, newdeal, seed, v, c, st, ready, ev_ready, ledger, deal,
                            fired, log, fl, buf, moved, buf2, moved2, flags, acts, avail, max_moves):
            return
    util[0] = utility(v, 0)
    util[1] = utility(v, 1)

'''


def _comb(n: int, r: int) -> int:
    from math import comb

    return comb(n, r) if 0 <= r <= n else 0


# The engine, the same text for every scenario (it reads the tables above).
_GAME_KERNELS = SHARED_KERNELS + '''

@njit(cache=True, error_model='numpy', inline='always')
def _holds(i, v, c):
    return i < 0 or cond(i, v, c) != 0.0


@njit(cache=True, error_model='numpy')
def _ledgers_moved(slot, after, turn, ledger):
    # rules._Work._issue_moved, the ledgers' part
    for q in range(LOF_START[slot], LOF_START[slot + 1]):
        i = LOF[q]
        state = ledger[i]
        new = state
        if after >= LG_DELIVERED[i] and state >= 0 and state != -2:
            new = -2
        elif after >= LG_PROMISED[i] and state == -1:
            new = turn if after < LG_DELIVERED[i] else -2
        ledger[i] = new


@njit(cache=True, error_model='numpy')
def _effects_level(k, v, c, fl, turn, ledger, buf, moved):
    # rules._Work.effects with cascade=False (a level's own effects; ledgers still move)
    m = _apply_table(k, 1.0, v, c, fl, buf, moved)
    for q in range(m):
        _ledgers_moved(moved[q, 0], moved[q, 2], turn, ledger)
    if not fl[0]:
        derive(v, c, fl)


@njit(cache=True, error_model='numpy')
def effects(k, scale, v, c, fl, turn, ledger, buf, moved, buf2, moved2):
    # rules._Work.effects with cascade=True; k < 0: no effects
    if k < 0:
        return
    m = _apply_table(k, scale, v, c, fl, buf, moved)
    for q in range(m):
        slot = moved[q, 0]
        b = moved[q, 1]
        a = moved[q, 2]
        if a > b:
            for level in range(b + 1, a + 1):
                if 0 <= level <= MAXLEVEL:
                    t = ONLVL[slot, level]
                    if t >= 0:
                        _effects_level(t, v, c, fl, turn, ledger, buf2, moved2)
        _ledgers_moved(slot, a, turn, ledger)
    if not fl[0]:
        derive(v, c, fl)


@njit(cache=True, error_model='numpy')
def roll(seed, turn, salt):
    # rules.roll: splitmix64 over unsigned 64-bit arithmetic
    z = (seed * np.uint64(0x9E3779B97F4A7C15) + np.uint64(turn) * np.uint64(0xBF58476D1CE4E5B9)
         + np.uint64(salt) * np.uint64(0x94D049BB133111EB) + np.uint64(1))
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    return np.float64(z >> np.uint64(11)) / 9007199254740992.0


@njit(cache=True, error_model='numpy')
def _genrand(mt, pos, who):
    # CPython's genrand_uint32 (Modules/_randommodule.c), the state as int64 words
    i = pos[who]
    if i >= 624:
        for kk in range(624):
            y = (mt[who, kk] & 0x80000000) | (mt[who, (kk + 1) % 624] & 0x7fffffff)
            x = mt[who, (kk + 397) % 624] ^ (y >> 1)
            if y & 1:
                x ^= 0x9908b0df
            mt[who, kk] = x
        i = 0
    y = mt[who, i]
    pos[who] = i + 1
    y ^= y >> 11
    y ^= (y << 7) & 0x9d2c5680
    y ^= (y << 15) & 0xefc60000
    y ^= y >> 18
    return y & 0xffffffff


def _init_genrand(s):
    # CPython's init_genrand, the start of every init_by_array (computed once, at import)
    out = [s]
    for i in range(1, 624):
        p = out[-1]
        out.append((1812433253 * (p ^ (p >> 30)) + i) & 0xffffffff)
    return np.array(out, dtype=np.int64)


MT_19650218 = _init_genrand(19650218)


@njit(cache=True, error_model='numpy')
def seed_mt(mt, pos, who, x):
    # random.Random(x) for an int 0 <= x < 2**64: init_by_array over x's 32-bit words
    for i in range(624):
        mt[who, i] = MT_19650218[i]
    key = np.empty(2, dtype=np.int64)
    key[0] = np.int64(x & np.uint64(0xffffffff))
    key[1] = np.int64(x >> np.uint64(32))
    nkey = 2 if key[1] != 0 else 1
    i = 1
    j = 0
    for _ in range(max(624, nkey)):
        p = mt[who, i - 1]
        mt[who, i] = ((mt[who, i] ^ ((p ^ (p >> 30)) * 1664525)) + key[j] + j) & 0xffffffff
        i += 1
        j += 1
        if i >= 624:
            mt[who, 0] = mt[who, 623]
            i = 1
        if j >= nkey:
            j = 0
    for _ in range(623):
        p = mt[who, i - 1]
        mt[who, i] = ((mt[who, i] ^ ((p ^ (p >> 30)) * 1566083941)) - i) & 0xffffffff
        i += 1
        if i >= 624:
            mt[who, 0] = mt[who, 623]
            i = 1
    mt[who, 0] = 0x80000000
    pos[who] = 624


@njit(cache=True, error_model='numpy')
def random(mt, pos, who):
    # random.Random.random
    a = _genrand(mt, pos, who) >> 5
    b = _genrand(mt, pos, who) >> 6
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0)


@njit(cache=True, error_model='numpy', inline='always')
def _append(rows, st, count, a, b):
    # rows[st[count]] = (a, b), counted; when rows is full, status 2 and False
    n = st[count]
    if n >= rows.shape[0]:
        st[S_STATUS] = 2
        return False
    rows[n, 0] = a
    rows[n, 1] = b
    st[count] = n + 1
    return True


@njit(cache=True, error_model='numpy', inline='always')
def _fire(fired, st, kind, ident):
    _append(fired, st, S_NFIRED, kind, ident)


@njit(cache=True, error_model='numpy', inline='always')
def _set_round(st, c, r):
    # rules._Work.set_round
    st[S_ROUND] = r
    c[3] = r


@njit(cache=True, error_model='numpy', inline='always')
def _start_diplomacy(st):
    s = st[S_STANDOFF]
    if s >= 0:
        st[S_PHASE] = STANDOFF
        st[S_ACTOR] = SO_TARGET[s]
    else:
        st[S_PHASE] = PROPOSE
        st[S_ACTOR] = st[S_INITIATIVE]


@njit(cache=True, error_model='numpy', inline='always')
def _start_moves(st):
    st[S_PHASE] = ACT
    st[S_ACTOR] = st[S_INITIATIVE]
    st[S_ACTED] = 0


@njit(cache=True, error_model='numpy')
def run_events(seed, v, c, st, ev_ready, ledger, fired, fl, buf, moved, buf2, moved2, flags):
    # rules._Work.run_events
    n = N_EVENTS
    turn = st[S_TURN]
    event_flags(v, c, flags)
    fresh = True
    i = st[S_CURSOR]
    while i < n:
        if fresh:
            nxt = n
            for j in range(i, n):
                if flags[j] != 0.0 and 0 <= ev_ready[j] <= turn:
                    nxt = j
                    break
            if nxt >= n:
                break
            i = nxt
        else:
            if not (0 <= ev_ready[i] <= turn and _holds(EV_WHEN[i], v, c)):
                i += 1
                continue
        st[S_CURSOR] = i
        if EV_CHANCE[i] < 1.0:
            if roll(seed, turn, 1000 + i) >= EV_CHANCE[i]:
                i += 1
                continue
        ev_ready[i] = (turn + max(1, EV_COOL[i] + 1)) if EV_REPEAT[i] else -1
        _fire(fired, st, 0, i)
        effects(EV_TABLE[i], 1.0, v, c, fl, turn, ledger, buf, moved, buf2, moved2)
        fresh = False
        if CH_N[i] > 0:
            can = False
            for q in range(CH_START[i], CH_START[i] + CH_N[i]):
                if _holds(CH_WHEN[q], v, c):
                    can = True
                    break
            if can:
                st[S_PHASE] = CHOOSE
                st[S_ACTOR] = EV_ACTOR[i]
                st[S_PENDING] = i
                return
            effects(CH_TABLE[CH_START[i] + EV_DEFAULT[i]], 1.0, v, c, fl, turn, ledger, buf, moved, buf2,
                    moved2)
        i += 1
    st[S_CURSOR] = n
    _start_diplomacy(st)


@njit(cache=True, error_model='numpy')
def utility(v, a):
    # rules.utility
    total = 0.0
    norm = 0.0
    for q in range(W_START[a], W_START[a + 1]):
        slot = W_SLOT[q]
        w = W_W[q]
        x = (v[slot] - LO[slot]) / (HI[slot] - LO[slot])
        total += w * x if w >= 0 else -w * (1 - x)
        norm += abs(w)
    return 100.0 * total / norm if norm else 0.0


@njit(cache=True, error_model='numpy', inline='always')
def _finish(st, fired, ending, winner):
    # rules._Work.finish
    st[S_ENDING] = ending
    st[S_WINNER] = winner
    st[S_PHASE] = OVER
    st[S_ACTOR] = -1
    _fire(fired, st, 5, ending if ending >= 0 else -1)


@njit(cache=True, error_model='numpy')
def end_turn(seed, v, c, st, ev_ready, ledger, fired, fl, buf, moved, buf2, moved2, flags):
    # rules._Work.end_turn
    turn = st[S_TURN]
    if N_DRIFT > 0:
        drift_amounts(v, c, buf)
        for j in range(N_DRIFT):
            amount = buf[j]
            if amount != 0.0:
                slot = DR_SLOT[j]
                before = v[slot]
                after = before + amount
                lo = LO[slot]
                hi = HI[slot]
                after = lo if lo > after else after
                after = hi if hi < after else after
                if after != before:
                    v[slot] = after
                    if DR_FEEDS[j]:
                        fl[0] = False
        if not fl[0]:
            derive(v, c, fl)
    open_ = False
    for i in range(N_LEDGERS):
        if ledger[i] > 0:
            open_ = True
    if open_:
        for i in range(N_LEDGERS):
            t = ledger[i]
            if t > 0 and turn - t >= LG_WITHIN[i]:
                ledger[i] = -3
                _fire(fired, st, 4, i)
                effects(LG_T[i], 1.0, v, c, fl, turn, ledger, buf, moved, buf2, moved2)
    for j in range(N_SUDDEN):
        e = SUDDEN[j]
        if cond(EN_WHEN[e], v, c) != 0.0:
            _finish(st, fired, e, EN_WINNER[e])
            return
    if turn >= TURNS:
        for e in range(N_ENDINGS):
            if EN_TIMEOUT[e] and cond(EN_WHEN[e], v, c) != 0.0:
                _finish(st, fired, e, EN_WINNER[e])
                return
        a = utility(v, 0) + 0.0
        b = utility(v, 1) + 0.0
        _finish(st, fired, -2, -1 if abs(a - b) <= 2 else (0 if a > b else 1))
        return
    turn += 1
    st[S_TURN] = turn
    c[0] = turn
    c[1] = YEAR[turn]
    c[2] = MONTH[turn]
    c[3] = st[S_ROUND]
    st[S_INITIATIVE] = 1 - st[S_INITIATIVE]
    st[S_CURSOR] = 0
    run_events(seed, v, c, st, ev_ready, ledger, fired, fl, buf, moved, buf2, moved2, flags)


@njit(cache=True, error_model='numpy', inline='always')
def _comb(n, r):
    if n < 0 or r < 0 or r > n:
        return 0
    return COMB[n, r]


@njit(cache=True, error_model='numpy')
def _unrank(n, r, j, avail, deal, st):
    # deals.unrank: the j-th r-combination of the n available terms, as term indices
    x = 0
    q = 0
    for k in range(r, 0, -1):
        while True:
            cnt = _comb(n - x - 1, k - 1)
            if j < cnt:
                break
            j -= cnt
            x += 1
        deal[q] = avail[x]
        q += 1
        x += 1
    st[S_NDEAL] = r


@njit(cache=True, error_model='numpy')
def _stale(v, c, seen):
    # Whether (v, c) differ from the copy in seen (then seen takes them): flags computed from
    # the copy still hold when they do not (conditions read nothing else).
    n = len(v)
    same = seen[n] == 1.0
    if same:
        for i in range(n):
            if v[i] != seen[i]:
                same = False
                break
    if same:
        for i in range(4):
            if c[i] != seen[n + 1 + i]:
                same = False
                break
    if same:
        return False
    for i in range(n):
        seen[i] = v[i]
    seen[n] = 1.0
    for i in range(4):
        seen[n + 1 + i] = c[i]
    return True


@njit(cache=True, error_model='numpy')
def _available(a, v, c, avail, tflags, tseen):
    # the available terms in the actor's listing order (rules._Plan.deal_list)
    if _stale(v, c, tseen):
        term_flags(v, c, tflags)
    n = 0
    for q in range(a * N_TERMS, (a + 1) * N_TERMS):
        t = LAYOUT[q]
        if tflags[t] != 0.0:
            avail[n] = t
            n += 1
    return n


@njit(cache=True, error_model='numpy')
def _pick_deal(j, n, maxn, avail, deal, st):
    # deals.DealMoves._deal
    for r in range(1, maxn + 1):
        cnt = _comb(n, r)
        if j < cnt:
            _unrank(n, r, j, avail, deal, st)
            return
        j -= cnt


@njit(cache=True, error_model='numpy')
def _skip(n, maxn, avail, deal, st, combo):
    # deals.DealMoves.__init__: where the package on the table sits among the listed ones
    r = st[S_NDEAL]
    if r == 0 or r > maxn:
        return -1
    for q in range(r):
        pos = -1
        for x in range(n):
            if avail[x] == deal[q]:
                pos = x
                break
        if pos < 0:
            return -1
        combo[q] = pos
    combo[:r].sort()
    j = 0
    for s in range(1, r):
        j += _comb(n, s)
    prev = -1
    for k in range(r):
        x = combo[k]
        for y in range(prev + 1, x):
            j += _comb(n - y - 1, r - k - 1)
        prev = x
    return j


@njit(cache=True, error_model='numpy')
def _legal(a, phase, turn, v, c, st, ready, deal, mflags, mseen, tflags, tseen, acts, avail, combo, out):
    # rules._legal, counted: the number of legal moves, with the unilateral moves (acts[:na]) or
    # the legal choices (acts[:nlegal]) or the available terms (avail[:n]); out gets
    # (nlegal, na, n, maxn, skip)
    na = 0
    n = 0
    maxn = 0
    skip = -1
    if phase == ACT:
        busy = st[S_STANDOFF] >= 0
        na = 0
        if _stale(v, c, mseen[a]):
            move_flags(a, v, c, mflags)
        for q in range(ACTS_START[a], ACTS_START[a + 1]):
            i = ACTS[q]
            ok = mflags[i] != 0.0
            if ok:
                for k in range(COST_START[i], COST_START[i + 1]):
                    s = COST_SLOT[k]
                    if v[s] - COST_AMT[k] < LO[s]:
                        ok = False
                        break
            if ok and 0 <= ready[i] <= turn and not (MV_OPENS[i] >= 0 and busy):
                acts[na] = i
                na += 1
        nlegal = na + 1
    elif phase == PROPOSE or phase == ANSWER:
        n = _available(a, v, c, avail, tflags, tseen)
        maxn = min(DEAL_MAX, n)
        total = 0
        for r in range(1, maxn + 1):
            total += _comb(n, r)
        skip = -1
        if phase == ANSWER:
            skip = _skip(n, maxn, avail, deal, st, combo)
            nlegal = 2 + total - (1 if skip >= 0 else 0)
        else:
            nlegal = 1 + total
    elif phase == CHOOSE:
        ev = st[S_PENDING]
        nlegal = 0
        for q in range(CH_START[ev], CH_START[ev] + CH_N[ev]):
            if _holds(CH_WHEN[q], v, c):
                acts[nlegal] = q
                nlegal += 1
    else:
        nlegal = 2
    out[0] = nlegal
    out[1] = na
    out[2] = n
    out[3] = maxn
    out[4] = skip


@njit(cache=True, error_model='numpy')
def _play(pick, direct, a, phase, turn, na, n, maxn, skip, seed, v, c, st, ready, ev_ready, ledger, deal,
          fired, log, fl, buf, moved, buf2, moved2, flags, acts, avail):
    # rules._play: the pick-th legal move (a deal: the pick-th package listed, or, when direct,
    # the package already in deal); False when the deal log is full (status 2)
    if phase == ACT:
        if pick < na:
            i = acts[pick]
            effects(MV_COST_T[i], 1.0, v, c, fl, turn, ledger, buf, moved, buf2, moved2)
            effects(MV_T[i], 1.0, v, c, fl, turn, ledger, buf, moved, buf2, moved2)
            ready[i] = -1 if MV_ONCE[i] else turn + MV_COOL[i] + 1
            if MV_OPENS[i] >= 0:
                st[S_STANDOFF] = MV_OPENS[i]
                _set_round(st, c, 1)
                _fire(fired, st, 2, MV_OPENS[i])
        st[S_ACTED] += 1  # rules._Work.after_move
        if st[S_ACTED] < 2:
            st[S_ACTOR] = 1 - st[S_INITIATIVE]
        else:
            end_turn(seed, v, c, st, ev_ready, ledger, fired, fl, buf, moved, buf2, moved2, flags)
    elif phase == PROPOSE:
        if pick == 0:
            _start_moves(st)
        else:
            if not direct:
                _pick_deal(pick - 1, n, maxn, avail, deal, st)
            st[S_PHASE] = ANSWER
            st[S_ACTOR] = 1 - a
    elif phase == ANSWER or phase == COUNTER:
        if pick <= 1:
            if not _append(log, st, S_NLOG, turn, pick):
                return False
            if pick == 0:
                for q in range(st[S_NDEAL]):
                    effects(TM_T[deal[q]], 1.0, v, c, fl, turn, ledger, buf, moved, buf2, moved2)
            _fire(fired, st, 1, pick)
            st[S_NDEAL] = 0
            _start_moves(st)
        else:
            j = pick - 2
            if 0 <= skip <= j:
                j += 1
            if not direct:
                _pick_deal(j, n, maxn, avail, deal, st)
            st[S_PHASE] = COUNTER
            st[S_ACTOR] = 1 - a
    elif phase == CHOOSE:
        q = acts[pick]
        effects(CH_TABLE[q], 1.0, v, c, fl, turn, ledger, buf, moved, buf2, moved2)
        st[S_PENDING] = -1
        st[S_CURSOR] += 1
        st[S_PHASE] = EVENTS
        run_events(seed, v, c, st, ev_ready, ledger, fired, fl, buf, moved, buf2, moved2, flags)
    elif phase == STANDOFF:
        s = st[S_STANDOFF]
        if pick == 0:
            effects(SO_CONCEDE[s], 1.0, v, c, fl, turn, ledger, buf, moved, buf2, moved2)
            _fire(fired, st, 3, 0)
            st[S_STANDOFF] = -1
            _set_round(st, c, 0)
            _start_diplomacy(st)
        else:
            st[S_PHASE] = PRESS
            st[S_ACTOR] = SO_BY[s]
            _fire(fired, st, 3, 1)
    elif phase == PRESS:
        s = st[S_STANDOFF]
        if pick == 0:
            effects(SO_PRESS[s], 1.0, v, c, fl, turn, ledger, buf, moved, buf2, moved2)
            _fire(fired, st, 3, 2)
            if SO_RUPTURE[s] >= 0 and cond(SO_RUPTURE[s], v, c) != 0.0:
                effects(SO_RUPT_T[s], 1.0, v, c, fl, turn, ledger, buf, moved, buf2, moved2)
                _fire(fired, st, 3, 3)
                st[S_STANDOFF] = -1
                _set_round(st, c, 0)
            elif st[S_ROUND] >= SO_ROUNDS[s]:
                _set_round(st, c, st[S_ROUND] + 1)
                effects(SO_BACK[s], float(st[S_ROUND]), v, c, fl, turn, ledger, buf, moved, buf2, moved2)
                _fire(fired, st, 3, 4)
                st[S_STANDOFF] = -1
                _set_round(st, c, 0)
            else:
                _set_round(st, c, st[S_ROUND] + 1)
            st[S_PHASE] = PROPOSE
            st[S_ACTOR] = st[S_INITIATIVE]
        else:
            effects(SO_BACK[s], float(st[S_ROUND]), v, c, fl, turn, ledger, buf, moved, buf2, moved2)
            _fire(fired, st, 3, 5)
            st[S_STANDOFF] = -1
            _set_round(st, c, 0)
            _start_diplomacy(st)
    return True


@njit(cache=True, error_model='numpy')
def _loop_arrays(nv):
    # A game loop's arrays: the derived meters' flag, effects' buffers, the conditions' flags with
    # the values and context they were computed from (see _stale), the legal moves (moves and
    # pass, or choices; available terms; a package's positions) and _legal's counts
    return (np.zeros(1, dtype=np.bool_), np.empty(MAXTAB), np.empty(MAXTAB), np.empty((MAXTAB, 3), dtype=np.int64),
            np.empty((MAXTAB, 3), dtype=np.int64), np.empty(max(N_EVENTS, 1)), np.empty(max(N_MOVES, 1)),
            np.empty(max(N_TERMS, 1)), np.zeros((2, nv + 5)), np.zeros(nv + 5),
            np.empty(N_MOVES + 1 + len(CH_TABLE), dtype=np.int64), np.empty(max(N_TERMS, 1), dtype=np.int64),
            np.empty(max(DEAL_MAX, 1), dtype=np.int64), np.zeros(5, dtype=np.int64))


@njit(cache=True, error_model='numpy')
def play_random(seed, v, c, st, ready, ev_ready, ledger, deal, fired, log, mt, pos, rng_seeds, traj,
                seen, trace, max_moves, util):
    """The random policy against itself until the game ends (runner.play_game's loop). Each
    side's generator is random.Random(rng_seeds[side]), or, when rng_seeds[0] < 0, the state
    given in mt and pos. st's status: 0 over, 1 too many moves, 2 an output array was full (the
    caller plays the game in Python). util gets each side's utility at the end (rules.utility)."""
    if rng_seeds[0] >= 0:
        for who in range(2):
            seed_mt(mt, pos, who, np.uint64(rng_seeds[who]))
    fl, buf, buf2, moved, moved2, flags, mflags, tflags, mseen, tseen, acts, avail, combo, lg = _loop_arrays(len(v))
    while st[S_PHASE] != OVER and st[S_STATUS] == 0:
        a = st[S_ACTOR]
        phase = st[S_PHASE]
        turn = st[S_TURN]
        _legal(a, phase, turn, v, c, st, ready, deal, mflags, mseen, tflags, tseen, acts, avail, combo, lg)
        nlegal = lg[0]
        x = random(mt, pos, a) * nlegal
        pick = int(x)
        if trace.shape[0] > 0 and st[S_MOVES] < trace.shape[0]:
            trace[st[S_MOVES], 0] = phase
            trace[st[S_MOVES], 1] = nlegal
            trace[st[S_MOVES], 2] = pick
        if not _play(pick, pick < 0, a, phase, turn, lg[1], lg[2], lg[3], lg[4], seed, v, c, st, ready, ev_ready,
                     ledger, deal, fired, log, fl, buf, moved, buf2, moved2, flags, acts, avail):
            return
        st[S_MOVES] += 1
        if st[S_MOVES] > max_moves:  # as runner.play_game: this move was one too many
            st[S_STATUS] = 1
            return
        if traj.shape[0] > 0:
            t = st[S_TURN]
            for k in range(len(v)):
                traj[t, k] = v[k]
            seen[t] = True
    util[0] = utility(v, 0)
    util[1] = utility(v, 1)


@njit(cache=True, error_model='numpy')
def play_many(seeds, rng_seeds, v0, c0, st0, ready0, ev0, led0, deal0, max_moves, V, ST, UTIL, DEALS,
              EVENTS, EV_END):
    """play_random for games that all start from one first state (but for the seed): per game
    g its final values V[g], state ST[g] (with its status), utilities UTIL[g], deals accepted
    DEALS[g] and the events it fired, EVENTS[EV_END[g - 1]:EV_END[g]] (from 0 for the first).
    A game whose events do not fit in EVENTS gets status 2, as do all after it."""
    fired = np.empty((FIRED_CAP, 2), dtype=np.int64)
    log = np.empty((FIRED_CAP, 2), dtype=np.int64)
    mt = np.empty((2, 624), dtype=np.int64)
    pos = np.zeros(2, dtype=np.int64)
    traj = np.empty((0, len(v0)))
    seen = np.zeros(0, dtype=np.bool_)
    trace = np.zeros((0, 3), dtype=np.int64)
    util = np.zeros(2)
    e = 0
    for g in range(len(seeds)):
        v = v0.copy()
        st = st0.copy()
        play_random(seeds[g], v, c0.copy(), st, ready0.copy(), ev0.copy(), led0.copy(), deal0.copy(),
                    fired, log, mt, pos, rng_seeds[g], traj, seen, trace, max_moves, util)
        deals = 0
        if st[S_STATUS] == 0:
            for k in range(st[S_NFIRED]):
                kind = fired[k, 0]
                if kind == 0:
                    if e >= len(EVENTS):
                        st[S_STATUS] = 2
                        break
                    EVENTS[e] = fired[k, 1]
                    e += 1
                elif kind == 1 and fired[k, 1] == 0:
                    deals += 1
        EV_END[g] = e
        V[g] = v
        ST[g] = st
        UTIL[g] = util
        DEALS[g] = deals


def _warm():
    # Compile (or load) the kernels with exactly the argument types game.fast.games passes.
    from numpy import empty, zeros
    n = len(LO)
    v = LO.copy()
    c = zeros(4)
    st = zeros(N_STATE, dtype=np.int64)
    st[S_PHASE] = OVER
    mt = zeros((2, 624), dtype=np.int64)
    pos = zeros(2, dtype=np.int64)
    play_random(np.uint64(1), v, c, st, zeros(max(N_MOVES, 1), dtype=np.int64),
                zeros(max(N_EVENTS, 1), dtype=np.int64), zeros(max(N_LEDGERS, 1), dtype=np.int64),
                zeros(max(DEAL_MAX, 1), dtype=np.int64), zeros((1, 2), dtype=np.int64),
                zeros((1, 2), dtype=np.int64), mt, pos, np.full(2, -1, dtype=np.int64), empty((0, n)),
                zeros(0, dtype=np.bool_),
                zeros((0, 3), dtype=np.int64), 1, zeros(2))
    ints = lambda k: zeros(k, dtype=np.int64)  # noqa: E731
    play_many(zeros(0, dtype=np.uint64), zeros((0, 2), dtype=np.int64), v, c, st, ints(max(N_MOVES, 1)),
              ints(max(N_EVENTS, 1)), ints(max(N_LEDGERS, 1)), ints(max(DEAL_MAX, 1)), 1, empty((0, n)),
              zeros((0, N_STATE), dtype=np.int64), empty((0, 2)), ints(0), ints(0), ints(0))
    ends = (zeros((2, max(N_SUDDEN, 1))), zeros((2, max(N_TIMEOUT, 1))), zeros((2, max(N_SUDDEN, 1))),
            zeros((2, max(N_TIMEOUT, 1))))
    lin = (zeros((2, 3)), zeros((2, 3, 1), dtype=np.int64), zeros((2, 3, 1)), zeros((2, 3), dtype=np.int64))
    offers = (zeros((2, 1), dtype=np.int64), zeros((2, 1), dtype=np.int64), zeros((2, 1)), zeros(2, dtype=np.int64))
    play_greedy(np.uint64(1), v, c, st, ints(max(N_MOVES, 1)), ints(max(N_EVENTS, 1)), ints(max(N_LEDGERS, 1)),
                ints(max(DEAL_MAX, 1)), zeros((1, 2), dtype=np.int64), zeros((1, 2), dtype=np.int64), 1, 1, 1,
                zeros((2, 9)), lin, ends, zeros((2, n + 1)), np.ones(n), zeros((2, n + 1, n + 1)), offers)
    W, TC = _scratch(n, max(N_LEDGERS, 1))
    args = (0, v, c, st, ints(max(DEAL_MAX, 1)), ints(max(N_LEDGERS, 1)), 2, 1, 0, ints(4), ints(4),
            zeros((2, 9)), lin, ends, zeros((2, n + 1)), np.ones(n), zeros((2, n + 1, n + 1)), offers, mt, pos,
            zeros(2), ints(max(DEAL_MAX, 1) + 1), W, TC)
    decide.compile(tuple(numba.typeof(x) for x in args))  # (compiled, not run: no position to judge)
    play_greedy_game(np.uint64(1), v, c, st, ints(max(N_MOVES, 1)), ints(max(N_EVENTS, 1)), ints(max(N_LEDGERS, 1)),
                     ints(max(DEAL_MAX, 1)), zeros((1, 2), dtype=np.int64), zeros((1, 2), dtype=np.int64),
                     ints(2), 1, zeros((2, 9)), lin, ends, zeros((2, n + 1)), np.ones(n), zeros((2, n + 1, n + 1)),
                     offers, (ints(2), ints(2)), zeros(2))
'''
