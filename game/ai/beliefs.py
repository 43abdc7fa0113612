"""What one side believes about the other: a Gaussian belief over its priorities that learns.

A side never reads the other's private ``values`` or personality. It starts from what the rules
make public (the meters the other side owns, the endings it wins or loses, see
``public_weights``): a normal distribution over the other side's weights (normalised, so their
absolute values add up to 1) and its caution (how much better off a deal must leave it before it
says yes), with a wide spread where the rules say little.

Each time the other side acts, the belief is updated by Bayes' rule for a probit observation
("the gain of what it chose beat the alternative, up to noise"), kept Gaussian by moment matching
(assumed-density filtering, as in Bayesian probit regression). An answer to a package is the
sharpest observation; a package it tables or a standoff choice is a weaker one (the option it
passed over was worth less to it, noisily); see ``game.ai.likelihood``. The mean moves
only along what the observed choices tell apart, and the spread shrinks there, so the belief
settles instead of wandering. A small allowance for surprises keeps one odd move (a blunder, a
human's whim) from teaching much.

The same model is how the computer answers a deal (``GreedyPolicy``): it accepts a package with
chance ``logistic((gain - caution) / temper)``, where ``gain`` is the change in its own score,
meters and endings. The policies and the interface read the belief through a fixed set of
``SAMPLES`` draws from it (``W``, ``caution``, ``temper``, each row one possible opponent), so
odds average over what is still uncertain. The deal table, the bargaining-range panel and the
AI's own offers all read them from here.
"""

from __future__ import annotations

import ast
import math
import random
import tomllib
from functools import lru_cache
from pathlib import Path

import numpy as np

from game.scenario import Scenario
from game.scenario.expr import ExprError, parse

Weights = tuple[tuple[int, float], ...]

SAMPLES = 32        # draws from the belief that policies and the interface average over
SURPRISE = 0.05     # chance that a move says nothing about priorities (a blunder, a whim)
PRIOR_SPREAD = 0.6  # spread of a public weight, as a share of it
PRIOR_NEW = 0.03    # spread of a weight on a meter the rules say nothing about (fractions of 1)
CAUTION = (0.6, 0.4)  # prior mean and spread of the caution a deal must beat (score points)
TEMPER = 1.2        # the temper of the answers the belief expects (score points; the normal AI's is 1)
PROBIT2 = 1.702 ** 2  # logistic(z) ≈ Φ(z / 1.702)
ANSWER_FLOOR = 0.5  # the smallest temper the AI answers with
# Probit noise of each kind of observation (score points): how much a choice can stray from
# what the chooser's priorities say, so how much one observation teaches.
NOISE_ANSWER = 2.0
NOISE_PROPOSAL = 4.0
NOISE_CHOICE = 5.0
MODEL_ERROR = 0.05  # spread of a gain the model cannot explain, per point of the package's size
CAL_RATE = 0.3      # how fast a belief corrects its forecasts from their record
# What the deal table shows: the belief's chance read through a reliability map, (chance, share
# of such offers accepted): the mean chance and the share accepted in each tenth of the chance,
# joined by straight lines. The computer's own decisions use the chance itself, so a map changes
# nothing a player does, only what the table says.
# A shipped scenario has its own map in ODDS_FILE, fitted on games of that exact file (its digest)
# by `python benchmarks/calibration.py SCENARIO --fit --write`. Any other file (an author's own, or
# a shipped one edited since) uses SHOWN, fitted on 14,043 offers pooled over the five shipped
# scenarios (240 games each, seed 1). Both are checked on other seeds (docs/simulation.md).
SHOWN = ((0.0, 0.0), (0.029, 0.009), (0.149, 0.071), (0.249, 0.186), (0.35, 0.317), (0.448, 0.44),
         (0.549, 0.531), (0.645, 0.687), (0.747, 0.796), (0.848, 0.913), (0.964, 0.992), (1.0, 1.0))
_SHOWN_X = np.array([a for a, _ in SHOWN])
_SHOWN_Y = np.array([b for _, b in SHOWN])
ODDS_FILE = Path(__file__).with_name("odds.toml")


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


def dot_rows(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``X @ w`` with each row's sum taken left to right, one column at a time: the order the
    compiled playouts (``game.fast.gamegen``) use. A BLAS product adds in an order of its own,
    which a compiled loop cannot reproduce bit for bit."""
    X = np.atleast_2d(X)
    if len(X) == 1:  # (one row: the same sums in Python's floats, without numpy's overhead)
        row, ws = X[0].tolist(), np.asarray(w, dtype=float).tolist()
        s = row[0] * ws[0]
        for j in range(1, len(row)):
            s = s + row[j] * ws[j]
        return np.array([s])
    m = X[:, 0] * w[0]
    for j in range(1, X.shape[1]):
        m = m + X[:, j] * w[j]
    return m


def abs_rows(X: np.ndarray) -> np.ndarray:
    """The absolute values of each row of ``X`` added left to right (``dot_rows``' order)."""
    if len(X) == 1:
        row = X[0].tolist()
        s = abs(row[0])
        for x in row[1:]:
            s = s + abs(x)
        return np.array([s])
    m = np.abs(X[:, 0])
    for j in range(1, X.shape[1]):
        m = m + np.abs(X[:, j])
    return m


def quad_rows(X: np.ndarray, C: np.ndarray) -> np.ndarray:
    """Each row's quadratic form ``x C xᵀ`` in a fixed order: for each column j (left to right),
    ``(Σ_k x_k C_kj) x_j`` with the inner sum left to right, added left to right. Columns where
    every row is 0 are left out: they add only zeros, which change nothing but the sign of a zero
    sum (and the forms here are added to a positive number). The compiled games use this order."""
    J = np.flatnonzero(np.any(X != 0.0, axis=0)).tolist()
    if not J:
        return np.zeros(len(X))
    U = X[:, J[0]:J[0] + 1] * C[J[0], J]  # U[i, q] = Σ_k X[i, k] C[k, J[q]], k left to right
    for k in J[1:]:
        U = U + X[:, k:k + 1] * C[k, J]
    v = U[:, 0] * X[:, J[0]]
    for q in range(1, len(J)):
        v = v + U[:, q] * X[:, J[q]]
    return v


def dot_vec(a, b) -> float:
    """``a · b`` added left to right (as compiled code adds it)."""
    s = 0.0
    for x, y in zip(np.asarray(a, dtype=float).tolist(), np.asarray(b, dtype=float).tolist()):
        s += x * y
    return s


def phi1(x: float) -> float:
    """The logistic function of one number through libm's ``tanh``, without overflow."""
    return 0.5 * (1.0 + math.tanh(0.5 * min(max(x, -60.0), 60.0)))


def phi_exact(x) -> np.ndarray:
    """The logistic function, elementwise, through libm's ``tanh`` (``math.tanh``, as compiled
    code calls it): numpy's own ``tanh`` differs from libm's in the last bit for about a fifth of
    inputs on some machines, so every chance a policy acts on is computed here."""
    return _logistic(np.ravel(np.asarray(x, dtype=float)))


def _logistic(z: np.ndarray) -> np.ndarray:
    """``0.5 (1 + tanh(z / 2))`` of a 1-d array, ``z`` clipped to ±60: the arithmetic in numpy
    (exact, elementwise), ``tanh`` through libm one number at a time."""
    h = 0.5 * np.minimum(np.maximum(z, -60.0), 60.0)
    return 0.5 * (1.0 + np.array(list(map(math.tanh, h.tolist())), dtype=float))


def valid_map(points) -> bool:
    """A reliability map: pairs of numbers from (0, 0) to (1, 1), the chances rising, the shares
    never falling, all within 0–1."""
    try:
        xs = [float(x) for x, _ in points]
        ys = [float(y) for _, y in points]
    except (TypeError, ValueError):
        return False
    return (len(xs) >= 2 and xs[0] == 0.0 and xs[-1] == 1.0 and ys[0] == 0.0 and ys[-1] == 1.0
            and all(a < b for a, b in zip(xs, xs[1:])) and all(a <= b for a, b in zip(ys, ys[1:]))
            and all(0.0 <= y <= 1.0 for y in ys))


@lru_cache(maxsize=1)
def fitted_maps() -> dict[str, tuple[str, np.ndarray, np.ndarray]]:
    """The shipped scenarios' own maps from ``ODDS_FILE``: scenario id -> (digest, xs, ys). An
    entry that is not a valid map is left out (the scenario then uses ``SHOWN``)."""
    try:
        data = tomllib.loads(ODDS_FILE.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}
    out = {}
    for sid, entry in data.items():
        if isinstance(entry, dict) and isinstance(entry.get("digest"), str) and valid_map(entry.get("map")):
            pts = entry["map"]
            out[sid] = (entry["digest"], np.array([float(x) for x, _ in pts]), np.array([float(y) for _, y in pts]))
    return out


def odds_map(sc: Scenario | None) -> tuple[np.ndarray, np.ndarray]:
    """The reliability map for ``sc``: its own when one was fitted on this very file, else ``SHOWN``."""
    entry = fitted_maps().get(sc.id) if sc is not None else None
    if entry is not None and entry[0] == sc.digest:
        return entry[1], entry[2]
    return _SHOWN_X, _SHOWN_Y


def shown(p: float, sc: Scenario | None = None) -> float:
    """A chance as the deal table shows it: through ``sc``'s own reliability map if it has one,
    else through ``SHOWN``."""
    xs, ys = odds_map(sc)
    return float(np.interp(float(p), xs, ys))

class Belief:
    """Side ``me``'s belief about the other side; see the module docstring.

    ``mu`` and ``cov`` are the mean and covariance over the other side's normalised weights (one
    per slot) followed by its caution. ``W``, ``caution`` and ``temper`` hold ``SAMPLES`` draws
    from it (common random numbers, redrawn after each update), ``w`` their (equal) weights.
    ``version`` counts updates. ``answers`` records, for each answer the other side gave to one
    of our packages, what we expected and what we believe after it (for the interface).
    """

    def __init__(self, sc: Scenario, me: int, seed: int = 0, samples: int = SAMPLES, *,
                 weights=None, caution: float | None = None, temper: float | None = None):
        from game.ai.evaluate import Evaluator  # evaluate imports this module's helpers

        self.sc = sc
        self.me = me
        self.opp = 1 - me
        nslots = len(sc.names)
        self.n = nslots
        self.span = np.array([max(1e-9, h - lo) for lo, h in zip(sc.lo, sc.hi)], dtype=float)
        self.mu = np.zeros(nslots + 1)
        if weights is not None:  # a fixed point belief (a search world's model of the opponent)
            self.learns = False
            for s, v in normalised(weights).items():
                self.mu[s] = v
            self.mu[nslots] = 0.5 if caution is None else caution
            self.cov = np.zeros((nslots + 1, nslots + 1))
            self._z = np.zeros((1, nslots + 1))
        else:
            self.learns = True
            base = normalised(prior_mean(sc, me))
            var = np.full(nslots + 1, PRIOR_NEW ** 2)
            for s, m in base.items():
                self.mu[s] = m
                var[s] = (PRIOR_SPREAD * m) ** 2 + PRIOR_NEW ** 2
            self.mu[nslots] = CAUTION[0]
            var[nslots] = CAUTION[1] ** 2
            self.cov = np.diag(var)
            self._z = None  # drawn when first read (``z``): decisions and learning never read it
            self._z_seed = (f"belief:{seed}:{sc.players[me]}", max(1, samples // 2))
        k = 1 if self._z is not None else 2 * self._z_seed[1]
        self.temper = np.full(k, TEMPER if temper is None else temper)
        self.w = np.full(k, 1.0 / k)
        self.version = 0
        self.answers: list[dict] = []
        self.cal = (1.0, 0.0)  # the online correction of forecasts (``calibrate``)
        self.offers: dict[frozenset, tuple[int, float]] = {}  # refused packages: turn, estimate after
        self._last_offer: tuple[frozenset, int] | None = None
        # The other side's view of the endings, which depends only on who wins (public rules).
        self.endings = Evaluator(sc, self.opp, (), ())
        self._draw()

    @property
    def z(self) -> np.ndarray:
        """The standard normal draws the samples are made from (common random numbers, in
        antithetic pairs so that the samples' mean is the mean), drawn on first use."""
        if self._z is None:
            key, half_n = self._z_seed
            rng = random.Random(key)
            half = np.array([[rng.gauss(0.0, 1.0) for _ in range(self.n + 1)] for _ in range(half_n)])
            self._z = np.vstack([half, -half])
        return self._z

    def _draw(self) -> None:
        """Mark the samples stale: they are drawn again from the mean and covariance when next
        read (only the search's opponent models and the mood estimate read them)."""
        self._samples = None

    def _sampled(self) -> tuple[np.ndarray, np.ndarray]:
        if self._samples is None:
            if self.learns:
                k = len(self.cov)
                try:
                    root = np.linalg.cholesky((self.cov + self.cov.T) / 2 + 1e-12 * np.eye(k))
                except np.linalg.LinAlgError:  # not positive definite by rounding: clip the spectrum
                    vals, vecs = np.linalg.eigh((self.cov + self.cov.T) / 2)
                    root = vecs * np.sqrt(np.maximum(vals, 0.0))
                X = self.mu + self.z @ root.T
            else:
                X = np.tile(self.mu, (len(self.z), 1))
            self._samples = (X[:, :self.n], np.maximum(X[:, self.n], 0.0))
        return self._samples

    @property
    def W(self) -> np.ndarray:
        """The samples' weights, one row per sample."""
        return self._sampled()[0]

    @property
    def caution(self) -> np.ndarray:
        """The samples' cautions."""
        return self._sampled()[1]

    # --- what the belief says --------------------------------------------------------------------
    def mean_weights(self) -> Weights:
        """The belief's mean weights, for a policy's evaluator."""
        return tuple((s, float(x)) for s, x in enumerate(self.mu[:self.n]) if abs(x) > 1e-6)

    def trait_means(self) -> tuple[float, float]:
        return float(max(0.0, self.mu[self.n])), float(self.temper.mean())

    def utilities(self, values) -> np.ndarray:
        """Each sample's utility (0-100) at ``values``."""
        lo = np.asarray(self.sc.lo, dtype=float)
        x = (np.asarray(values, dtype=float) - lo) / self.span
        W = self.W
        return 100.0 * (np.maximum(W, 0.0) @ x + np.maximum(-W, 0.0) @ (1.0 - x))

    def top_concerns(self, n: int = 3) -> list[tuple[str, float]]:
        """The meters the other side seems to care most about: (label, mean weight), largest first."""
        mean = self.mu[:self.n]
        order = np.argsort(-np.abs(mean), kind="stable")[:n]
        return [(self.sc.labels[int(s)], float(mean[s])) for s in order if abs(mean[s]) > 1e-3]

    def forecast(self, X: np.ndarray, offsets, doubt: float = 1.0) -> np.ndarray:
        """The chance that the other side accepts each package, one row of ``X`` (features, the
        caution's share last, see ``features``) with its endings ``offsets``, before
        ``calibrate``. The gain is normal under the belief (mean ``mu·x``, variance ``xᵀΣx``); the
        answer is logistic in it with the belief's temper, and the two combine in closed form
        (the probit approximation of the logistic), with no sampling error for a search over
        packages to exploit."""
        # Every sum in a fixed order and the logistic through libm, as the compiled games compute
        # them (``dot_rows``, ``quad_rows``, ``phi_exact``): a BLAS product adds in an order of its own.
        X = np.atleast_2d(X)
        m = dot_rows(X, self.mu) + offsets
        if not self.learns:  # a point belief (the search's playout players)
            return np.array(self.chances(m, None, calibrated=False))
        # what the belief is unsure of, and what its linear model cannot see
        e = MODEL_ERROR * abs_rows(X[:, :self.n])
        return np.array(self.chances(m, quad_rows(X, self.cov) + e * e, doubt, calibrated=False))

    def chances(self, m: np.ndarray, v: np.ndarray | None, doubt: float = 1.0,
                calibrated: bool = True) -> list[float]:
        """``forecast`` (then ``calibrate``) from each package's mean gain ``m`` (endings
        included) and its variance ``v`` (``xᵀΣx`` plus the model's error; None for a point
        belief), one number at a time through libm, as the compiled games compute them."""
        t = float(self.temper[0])
        if self.learns:
            z = m / np.sqrt(t * t + doubt * v / PROBIT2)
        else:
            z = m / math.sqrt(t * t)
        raw = _logistic(z)
        return (self.calibrate(raw) if calibrated else raw).tolist()

    def accept_chance(self, x: np.ndarray, offset: float) -> float:
        """The chance the other side accepts a package with features ``x`` and endings
        ``offset``, as the belief's own record of its forecasts corrects it."""
        return float(self.calibrate(float(self.forecast(x, np.asarray([offset]))[0])))

    def shown_chance(self, x: np.ndarray, offset: float) -> float:
        """The chance the deal table shows for a package: ``accept_chance`` read through the
        scenario's reliability map (``odds_map``; a belief that does not learn, a point at known values, shows
        its own chance)."""
        p = self.accept_chance(x, offset)
        return shown(p, self.sc) if self.learns else p

    def calibrate(self, p):
        """Correct raw chances (a float or an array) by what this belief has seen of its own
        forecasts: ``logistic(a × logit(p) + b)``, with ``a`` and ``b`` learnt online from every
        answer the other side gave to one of our packages (1 and 0 to start)."""
        a, b = self.cal
        if a == 1.0 and b == 0.0:
            return p
        q = np.minimum(np.maximum(np.ravel(np.asarray(p, dtype=float)), 1e-6), 1 - 1e-6)
        out = _logistic(a * np.array(list(map(math.log, (q / (1 - q)).tolist()))) + b)
        return float(out[0]) if np.ndim(p) == 0 else out.reshape(np.shape(p))

    def _score_forecast(self, raw: float, accepted: bool) -> None:
        """One step of online logistic regression of the answer on the raw forecast's logit."""
        a, b = self.cal
        q = min(1 - 1e-6, max(1e-6, raw))
        z = math.log(q / (1 - q))
        p = phi1(a * z + b)
        err = (1.0 if accepted else 0.0) - p
        self.cal = (min(1.5, max(0.3, a + CAL_RATE * err * z / (1.0 + abs(z)))),
                    min(3.0, max(-3.0, b + CAL_RATE * err)))

    def gain_range(self, x: np.ndarray, offset: float) -> tuple[float, float, float]:
        """(mean, 10th, 90th percentile) of a package's gain to the other side (its caution
        left out): what the bargaining range shows."""
        w = x[:self.n]
        mean = float(w @ self.mu[:self.n]) + offset
        sd = 0.0
        if self.learns:
            sd = math.sqrt(max(0.0, float(w @ self.cov[:self.n, :self.n] @ w)) + (MODEL_ERROR * np.abs(w).sum()) ** 2)
        return mean, mean - 1.2816 * sd, mean + 1.2816 * sd

    def spread(self, values: np.ndarray) -> tuple[float, float, float]:
        """(mean, 10th, 90th percentile) of a quantity over the samples."""
        g = np.sort(np.asarray(values, dtype=float))
        k = len(g)
        return float(g.mean()), float(g[int(0.1 * (k - 1))]), float(g[int(round(0.9 * (k - 1)))])

    def uncertainty(self) -> float:
        """The total spread left in the weights (the square root of the covariance's trace)."""
        return float(math.sqrt(max(0.0, np.trace(self.cov[:self.n, :self.n]))))

    # --- learning ------------------------------------------------------------------------------
    def features(self, before, after, counter: float = 1.0) -> np.ndarray:
        """The observation vector of a change of values: the linear gain per unit of weight and
        the caution's share (``-counter``). Utility is 100 × Σ w·(v - lo)/span (a negative
        weight counts 1 - x), so a change dv changes it by 100 × Σ w·dv/span, whatever the signs."""
        x = np.empty(self.n + 1)
        x[:self.n] = 100.0 * (np.asarray(after, dtype=float) - np.asarray(before, dtype=float)) / self.span
        x[self.n] = -counter
        return x

    def learn(self, x: np.ndarray, offset: float, y: float, noise: float) -> None:
        """Bayes' rule for "y × (weights · x + offset) > noise", kept Gaussian (moment matching)."""
        if not self.learns or not np.all(np.isfinite(x)) or not math.isfinite(offset):
            return
        # (products in a fixed order, as the compiled games compute them: ``dot_rows``)
        Sx = dot_rows(self.cov, x)
        s2 = noise * noise + dot_vec(x, Sx)
        s = math.sqrt(s2)
        t = y * (dot_vec(self.mu, x) + offset) / s
        phi = math.exp(-0.5 * t * t) / math.sqrt(2 * math.pi)
        p = SURPRISE / 2 + (1 - SURPRISE) * 0.5 * math.erfc(-t / math.sqrt(2))
        v = (1 - SURPRISE) * phi / p
        wf = min(0.999, max(0.0, v * (v + t)))
        self.mu = self.mu + (y * v / s) * Sx
        self.cov = self.cov - np.outer(Sx, Sx) * (wf / s2)

    def _renormalise(self) -> None:
        """Scale the weights back so their absolute values add up to 1, as true weights do: what
        is learnt is which meters matter more than others, not how decisive the other side is
        overall (that is its temper's business)."""
        n = self.n
        k = 0.0
        for x in self.mu[:n].tolist():  # (left to right, as the compiled games add them)
            k += abs(x)
        if k <= 1e-9 or not math.isfinite(k):
            return
        scale = np.ones(n + 1)
        scale[:n] = 1.0 / k
        self.mu = self.mu * scale
        self.cov = self.cov * np.outer(scale, scale)

    def observe(self, before, move) -> None:
        """Learn from a move made in position ``before`` (a State): only the other side's moves
        teach anything, and only through what ``me`` may see of the position."""
        from game.ai.likelihood import observations, package_features

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
        known = None
        if move.kind in ("accept", "reject", "counter") and before.deal:
            table = frozenset(sc.terms[i].id for i in before.deal)
            # The tabled package's features, projected once: the forecasts before and after
            # learning and the answer's own observation all read them.
            caution = 0.5 if before.phase == "counter" else 1.0
            known = (before.deal, caution, *package_features(self, vs, before.deal, caution))
            raw = self._chance_of(known[2], known[3], raw=True)
            expected = self.calibrate(raw)
        obs = observations(self, vs, move, known)
        for x, offset, y, noise in obs:
            self.learn(x, offset, y, noise)
        if obs:
            self._renormalise()
            self.version += 1
            self._draw()
        if table is not None:
            after = self._chance_of(known[2], known[3])
            accepted = move.kind == "accept"
            if self._last_offer is not None and self._last_offer[0] == table:  # our package
                self._score_forecast(raw, accepted)
                after = self._chance_of(known[2], known[3])
            self.answers.append({"turn": before.turn, "terms": sorted(table), "accepted": accepted,
                                 "expected": shown(expected, self.sc), "now": shown(after, self.sc)})
            if not accepted and self._last_offer is not None and self._last_offer[0] == table:
                self.offers[table] = (before.turn, after)

    def _package_chance(self, vs, deal, phase, raw: bool = False) -> float:
        from game.ai.likelihood import package_features

        x, e = package_features(self, vs, deal, 0.5 if phase == "counter" else 1.0)
        return self._chance_of(x, e, raw)

    def _chance_of(self, x: np.ndarray, e: float, raw: bool = False) -> float:
        p = float(self.forecast(x, np.asarray([e]))[0])
        return p if raw else float(self.calibrate(p))

    def may_offer(self, terms, turn: int, chance: float) -> bool:
        """Whether a package may be offered again: one refused is not repeated unless something
        has changed: two turns have passed and the chance we now see is clearly higher."""
        hit = self.offers.get(frozenset(terms))
        if hit is None:
            return True
        t, p = hit
        return turn - t >= 2 and chance > p + 0.1
