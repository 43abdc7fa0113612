"""What one side believes the other wants: an estimate of the opponent's private weights.

A policy never reads the opponent's ``values``. It builds a guess from what the rules make public:
the meters the opponent owns (it wants them high) and the endings it wins or loses (it wants their
conditions to hold, or not). Each weight then gets multiplicative noise, so two games (or two
determinised worlds in the search) hold slightly different beliefs.
"""

from __future__ import annotations

import ast
import math
import random

from game.scenario import Scenario
from game.scenario.expr import ExprError, parse

Weights = tuple[tuple[int, float], ...]


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


def estimate_weights(sc: Scenario, me: int, rng: random.Random, noise: float = 0.3) -> Weights:
    """A noisy estimate of the opponent's weights, built only from public information."""
    opp = 1 - me
    base = _public(sc, opp)
    if not base:  # nothing public: assume the opponent wants the opposite of what we want
        base = {slot: -0.5 * w for slot, w in sc.weights[me]}
    out = []
    for slot in sorted(base):
        w = base[slot] * math.exp(rng.gauss(0.0, noise)) if noise else base[slot]
        out.append((slot, w))
    return tuple(out)


def perturb(weights: Weights, rng: random.Random, noise: float) -> Weights:
    """Another draw around an estimate, for one determinised world of the search."""
    return tuple((slot, w * math.exp(rng.gauss(0.0, noise))) for slot, w in weights)
