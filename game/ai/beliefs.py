"""What one side believes about the other: a weighted set of opponent types that learns.

A side never reads the other's private ``values`` or personality. It starts from what the rules
make public (the meters the other side owns, the endings it wins or loses, see
``public_weights``) and draws a set of *types*, each a guess at the other side's weights, its
caution (how much better off a deal must leave it before it says yes) and its temper (how
sharply it chooses: a small temper means it nearly always takes its best option).

Each time the other side acts, every type is asked how likely it was to act so, and its weight
is multiplied by that likelihood (Bayes' rule, with a small allowance for surprises so one odd
move does not wipe out a type). When too few types carry the weight, they are resampled and
jittered, so the set keeps exploring around what has been learnt.

The same model is how the computer answers a deal (``GreedyPolicy``): it accepts a package with
chance ``logistic((gain - caution) / temper)``, where ``gain`` is the change in its own score,
meters and endings. So a belief close to the truth gives calibrated odds; the deal table, the
bargaining-range panel and the AI's own offers all read them from here.
"""

from __future__ import annotations

import ast
import math
import random

import numpy as np

from game.scenario import Scenario
from game.scenario.expr import ExprError, parse

Weights = tuple[tuple[int, float], ...]

TYPES = 48          # opponent types in a belief
SURPRISE = 0.05     # floor of every likelihood: no single move rules a type out
PRIOR_SPREAD = 0.5  # log-normal spread of the public weights
PRIOR_NEW = 0.04    # spread of weights on meters the rules say nothing about (fractions of 1)
CAUTION = (0.0, 1.2)
TEMPER = (0.7, 6.0)  # utility points, drawn log-uniformly
ANSWER_FLOOR = 0.5   # the smallest temper the AI answers with


def _directions(text: str) -> dict[str, float]:
    """Names in a condition with the direction that makes it hold: +1 for 'x >= k', -1 for 'x < k'."""
    try:
        tree = parse(text)
    except ExprError:
        return {}
    out: dict[str, float] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        items = [node.left, *node.comparators]
        for op, left, right in zip(node.ops, items, items[1:]):
            if isinstance(op, (ast.Gt, ast.GtE)):
                up, down = left, right
            elif isinstance(op, (ast.Lt, ast.LtE)):
                up, down = right, left
            else:
                continue
            if isinstance(up, ast.Name):
                out[up.id] = out.get(up.id, 0.0) + 1.0
            if isinstance(down, ast.Name):
                out[down.id] = out.get(down.id, 0.0) - 1.0
    return out


def public_weights(sc: Scenario, opponent: int) -> dict[int, float]:
    """The weights anyone can read off the rules for ``opponent`` (before noise)."""
    who = sc.players[opponent]
    raw: dict[str, float] = {}
    for mid, met in sc.raw.meters.items():
        if met.owner == who:
            raw[mid] = raw.get(mid, 0.0) + 1.0
    for en in sc.raw.endings:
        if en.winner == "none":
            continue
        sign = 1.0 if en.winner == who else -0.5
        for name, d in _directions(en.when).items():
            raw[name] = raw.get(name, 0.0) + sign * (1.0 if d > 0 else -1.0 if d < 0 else 0.0)
    return {sc.slots[k]: v for k, v in raw.items() if k in sc.slots and v}


_PUBLIC: dict[tuple[int, int], tuple[Scenario, dict[int, float]]] = {}


def _public(sc: Scenario, opponent: int) -> dict[int, float]:
    hit = _PUBLIC.get((id(sc), opponent))
    if hit is None or hit[0] is not sc:
        if len(_PUBLIC) > 64:
            _PUBLIC.clear()
        hit = _PUBLIC[(id(sc), opponent)] = (sc, public_weights(sc, opponent))
    return hit[1]


def prior_mean(sc: Scenario, me: int) -> dict[int, float]:
    """The public guess at the other side's weights (before noise, not normalised)."""
    base = _public(sc, 1 - me)
    if not base:  # nothing public: assume the opponent wants the opposite of what we want
        base = {slot: -0.5 * w for slot, w in sc.weights[me]}
    return base


def estimate_weights(sc: Scenario, me: int, rng: random.Random, noise: float = 0.3) -> Weights:
    """A noisy estimate of the opponent's weights, built only from public information."""
    base = prior_mean(sc, me)
    return tuple((slot, base[slot] * math.exp(rng.gauss(0.0, noise)) if noise else base[slot])
                 for slot in sorted(base))


def normalised(weights) -> dict[int, float]:
    """Weights scaled so their absolute values add up to 1 (what utility depends on)."""
    items = dict(weights)
    norm = sum(abs(w) for w in items.values())
    return {s: w / norm for s, w in items.items()} if norm else {}


def distance(a, b) -> float:
    """How far two sets of weights are apart: half the L1 distance of their normalised forms
    (0 = the same priorities, 1 = nothing in common)."""
    na, nb = normalised(a), normalised(b)
    return 0.5 * sum(abs(na.get(s, 0.0) - nb.get(s, 0.0)) for s in set(na) | set(nb))


def _phi(x):
    """The logistic function, elementwise, without overflow."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.clip(x, -60.0, 60.0)))


class Belief:
    """Side ``me``'s belief about the other side; see the module docstring.

    ``W`` holds each type's normalised weights over the scenario's slots, ``caution`` and
    ``temper`` its traits, ``w`` the probability of each type. ``version`` counts updates.
    ``answers`` records, for each answer the other side gave to one of our packages, what we
    expected and what we believe after it (for the interface's "how your belief moved").
    """

    def __init__(self, sc: Scenario, me: int, seed: int = 0, types: int = TYPES, *,
                 weights=None, caution: float | None = None, temper: float | None = None):
        from game.ai.evaluate import Evaluator  # evaluate imports this module's helpers

        self.sc = sc
        self.me = me
        self.opp = 1 - me
        self.rng = random.Random(f"belief:{seed}:{sc.players[me]}")
        nslots = len(sc.names)
        self.span = np.array([max(1e-9, h - lo) for lo, h in zip(sc.lo, sc.hi)], dtype=float)
        if weights is not None:  # a fixed point belief (a search world's model of the opponent)
            self.learns = False
            row = np.zeros(nslots)
            for s, v in normalised(weights).items():
                row[s] = v
            self.W = row[None, :]
            self.caution = np.array([0.5 if caution is None else caution])
            self.temper = np.array([1.0 if temper is None else temper])
        else:
            self.learns = True
            base = normalised(prior_mean(sc, me))
            gauss = self.rng.gauss
            W = np.zeros((types, nslots))
            for k in range(types):
                for s in range(nslots):
                    m = base.get(s, 0.0)
                    W[k, s] = m * math.exp(gauss(0.0, PRIOR_SPREAD)) + gauss(0.0, PRIOR_NEW)
            self.W = W / np.abs(W).sum(axis=1, keepdims=True)
            uni = self.rng.uniform
            self.caution = np.array([uni(*CAUTION) for _ in range(types)])
            lo, hi = math.log(TEMPER[0]), math.log(TEMPER[1])
            self.temper = np.array([math.exp(uni(lo, hi)) for _ in range(types)])
        self.w = np.full(len(self.W), 1.0 / len(self.W))
        self.version = 0
        self.answers: list[dict] = []
        self.offers: dict[frozenset, tuple[int, float]] = {}  # refused packages: turn, estimate after
        self._last_offer: tuple[frozenset, float] | None = None
        # The other side's view of the endings, which depends only on who wins (public rules).
        self.endings = Evaluator(sc, self.opp, (), ())
        self._coef()

    def _coef(self) -> None:
        # Utility is 100 × Σ w·(v - lo)/span (negative weights count 1 - x): a change dv in the
        # values changes it by 100 × Σ w·dv/span, whatever the signs.
        self.A = 100.0 * self.W / self.span[None, :]

    # --- what the belief says --------------------------------------------------------------------
    def mean_weights(self) -> Weights:
        """The belief's mean weights (normalised), for a policy's evaluator."""
        mean = self.w @ self.W
        return tuple((s, float(x)) for s, x in enumerate(mean) if abs(x) > 1e-6)

    def utilities(self, values) -> np.ndarray:
        """Each type's utility (0-100) at ``values``."""
        lo = np.asarray(self.sc.lo, dtype=float)
        x = (np.asarray(values, dtype=float) - lo) / self.span
        W = self.W
        return 100.0 * (np.maximum(W, 0.0) @ x + np.maximum(-W, 0.0) @ (1.0 - x))

    def top_concerns(self, n: int = 3) -> list[tuple[str, float]]:
        """The meters the other side seems to care most about: (label, mean weight), largest first."""
        mean = self.w @ self.W
        order = np.argsort(-np.abs(mean), kind="stable")[:n]
        return [(self.sc.labels[int(s)], float(mean[s])) for s in order if abs(mean[s]) > 1e-3]

    def trait_means(self) -> tuple[float, float]:
        return float(self.w @ self.caution), float(self.w @ self.temper)

    def gains(self, before, after, ctx) -> np.ndarray:
        """Each type's gain in score (meters and endings) from values ``before`` to ``after``."""
        dv = np.asarray(after, dtype=float) - np.asarray(before, dtype=float)
        ends = self.endings.endings(after, ctx) - self.endings.endings(before, ctx)
        return self.A @ dv + ends

    def accept_chances(self, gains: np.ndarray, counter: bool = False) -> np.ndarray:
        """Each type's chance of accepting a package worth ``gains`` to it (a counter-offer's
        answer needs half the caution, as the AI's rule says)."""
        c = self.caution * (0.5 if counter else 1.0)
        return _phi((gains - c) / np.maximum(self.temper, ANSWER_FLOOR))

    def accept_chance(self, gains: np.ndarray, counter: bool = False) -> float:
        return float(self.w @ self.accept_chances(gains, counter))

    def spread(self, gains: np.ndarray) -> tuple[float, float, float]:
        """(mean, 10th, 90th percentile) of a gain over the belief."""
        mean = float(self.w @ gains)
        order = np.argsort(gains)
        cum = np.cumsum(self.w[order])
        lo = float(gains[order][min(len(order) - 1, int(np.searchsorted(cum, 0.1)))])
        hi = float(gains[order][min(len(order) - 1, int(np.searchsorted(cum, 0.9)))])
        return mean, lo, hi

    def ess(self) -> float:
        """The effective number of types (1 / Σ w²)."""
        return float(1.0 / (self.w @ self.w))

    # --- learning ------------------------------------------------------------------------------
    def update(self, likelihood: np.ndarray) -> None:
        """Reweigh the types by how likely each made what was seen."""
        if not self.learns:
            return
        lik = SURPRISE + (1.0 - SURPRISE) * np.clip(np.nan_to_num(likelihood, nan=0.5), 0.0, 1.0)
        w = self.w * lik
        total = w.sum()
        self.w = w / total if total > 0 and math.isfinite(total) else np.full(len(w), 1.0 / len(w))
        self.version += 1
        if self.ess() < len(self.w) / 3:
            self._resample()

    def _resample(self) -> None:
        """Systematic resampling, then a small jitter so the copies explore around their parent."""
        n = len(self.w)
        rng = self.rng
        u = rng.random() / n
        cum = np.cumsum(self.w)
        idx = np.minimum(np.searchsorted(cum, u + np.arange(n) / n), n - 1)
        gauss = rng.gauss
        W = self.W[idx] * np.exp(np.array([gauss(0.0, 0.15) for _ in range(self.W.size)])
                                 .reshape(self.W.shape))
        W += np.array([gauss(0.0, 0.005) for _ in range(W.size)]).reshape(W.shape)
        self.W = W / np.abs(W).sum(axis=1, keepdims=True)
        self.caution = np.clip(self.caution[idx] + np.array([gauss(0.0, 0.05) for _ in range(n)]),
                               CAUTION[0], CAUTION[1] + 0.5)
        self.temper = np.clip(self.temper[idx] * np.exp(np.array([gauss(0.0, 0.1) for _ in range(n)])),
                              0.3, 20.0)
        self.w = np.full(n, 1.0 / n)
        self._coef()

    def observe(self, before, move) -> None:
        """Learn from a move made in position ``before`` (a State): only the other side's moves
        teach anything, and only through what ``me`` may see of the position."""
        from game.ai.likelihood import likelihood  # the models of each kind of decision

        sc = self.sc
        mover = sc.players.index(move.actor) if move.actor in sc.players else -1
        if mover == self.me and move.kind in ("propose", "counter"):
            self._last_offer = (frozenset(move.terms), before.turn)
            return
        if mover != self.opp or not self.learns:
            return
        from game.engine import view

        vs = view(before, sc.players[self.me]).state
        table = None
        if move.kind in ("accept", "reject", "counter") and before.deal:
            table = frozenset(sc.terms[i].id for i in before.deal)
            expected = self._package_chance(vs, before.deal, before.phase)
        lik = likelihood(self, vs, move)
        if lik is not None:
            self.update(lik)
        if table is not None:
            after = self._package_chance(vs, before.deal, before.phase)
            accepted = move.kind == "accept"
            self.answers.append({"turn": before.turn, "terms": sorted(table), "accepted": accepted,
                                 "expected": expected, "now": after})
            if not accepted and self._last_offer is not None and self._last_offer[0] == table:
                self.offers[table] = (before.turn, after)

    def _package_chance(self, vs, deal, phase) -> float:
        from game.ai.likelihood import package_gains

        return self.accept_chance(package_gains(self, vs, deal), counter=phase == "counter")

    def may_offer(self, terms, turn: int, chance: float) -> bool:
        """Whether a package may be offered again: one refused is not repeated unless something
        has changed: two turns have passed and the chance we now see is clearly higher."""
        hit = self.offers.get(frozenset(terms))
        if hit is None:
            return True
        t, p = hit
        return turn - t >= 2 and chance > p + 0.1
