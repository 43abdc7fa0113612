"""How likely each opponent type in a belief was to make a move: the models behind learning.

Each model mirrors how the computer itself decides (``GreedyPolicy``), judged per type with that
type's weights, caution and temper on what the observer may see of the position:

- an answer to a package: accept with chance ``logistic((gain - caution) / temper)``;
- a package proposed or countered: proposers offer what is good for them, so a package worth
  more to a type is likelier from it;
- a unilateral move, a standoff choice or an event choice: a choice among options, each type
  preferring the options worth most to it (a softmax with its temper).
"""

from __future__ import annotations

import math

import numpy as np

from game.ai.beliefs import Belief, _phi
from game.ai.evaluate import Model
from game.engine.state import (ACT, ANSWER, ANSWER_COUNTER, CHOOSE, PROPOSE, STANDOFF,
                               STANDOFF_PRESS, Move, State)

PASS_VALUE = 0.5  # × caution: what doing nothing is worth (the AI's own rule)


def package_gains(belief: Belief, vs: State, deal) -> np.ndarray:
    """Each type's gain from a package (term indices or ids) accepted at position ``vs``."""
    sc = vs.scenario
    terms = [sc.terms[t] if isinstance(t, int) else sc.term_by_id[t] for t in deal]
    after = Model.of(sc).project(vs, *((t.effects, 1.0) for t in terms))
    return belief.gains(vs.values, after, vs.ctx)


def _softmax_choice(belief: Belief, values: list[np.ndarray], chosen: int) -> np.ndarray:
    """Each type's chance of picking option ``chosen`` among options worth ``values``."""
    V = np.vstack(values)                       # options × types
    T = np.maximum(belief.temper, 0.3)[None, :]
    Z = (V - V.max(axis=0, keepdims=True)) / T
    E = np.exp(Z)
    return E[chosen] / E.sum(axis=0)


def likelihood(belief: Belief, vs: State, move: Move) -> np.ndarray | None:
    """Per type, the chance of ``move`` at the observer's view ``vs``; None: nothing to learn."""
    sc = vs.scenario
    phase = vs.phase
    k = move.kind
    model = Model.of(sc)
    v0 = vs.values
    ctx = vs.ctx

    def gain(*effects) -> np.ndarray:
        return belief.gains(v0, model.project(vs, *effects), ctx)

    if phase in (ANSWER, ANSWER_COUNTER):
        p = belief.accept_chances(package_gains(belief, vs, vs.deal), counter=phase == ANSWER_COUNTER)
        if k == "accept":
            return p
        lik = 1.0 - p
        if k == "counter":  # a refusal, and a package of its own that it likes
            lik = lik * _proposal(belief, vs, move)
        return lik
    if phase == PROPOSE:
        return _proposal(belief, vs, move) if k == "propose" else None
    if phase == ACT:
        from game.engine import legal_moves

        options = [m for m in legal_moves(vs) if m.kind == "unilateral"]
        if move.kind == "unilateral" and move not in options:
            options.append(move)
        if not options:
            return None
        values = []
        chosen = len(options)  # pass
        for i, m in enumerate(options):
            cm = sc.move_by_id.get(m.ref)
            if cm is None:
                return None
            cost = sc.move_costs[cm.index]
            values.append(gain((cost, 1.0), (cm.effects, 1.0)) if cost else gain((cm.effects, 1.0)))
            if m == move:
                chosen = i
        values.append(PASS_VALUE * belief.caution)
        return _softmax_choice(belief, values, chosen)
    if phase in (STANDOFF, STANDOFF_PRESS):
        so = sc.standoffs[vs.standoff]
        rnd = float(vs.standoff_round)
        if phase == STANDOFF:  # the other side is the target: give way, or stand firm
            firm = 0.5 * gain((so.press, 1.0)) + 0.5 * gain((so.back_down, rnd))
            values = [gain((so.concede, 1.0)), firm]
            return _softmax_choice(belief, values, 0 if k == "concede" else 1)
        press = gain((so.press, 1.0)) + 0.35 * np.maximum(0.0, gain((so.concede, 1.0)))
        values = [press, gain((so.back_down, rnd))]
        return _softmax_choice(belief, values, 0 if k == "press" else 1)
    if phase == CHOOSE and vs.pending_event >= 0:
        ev = sc.events[vs.pending_event]
        choices = [c for c in ev.choices if c.when is None or c.when(v0, ctx) or c.id == move.ref]
        if len(choices) < 2:
            return None
        values = [gain((c.effects, 1.0)) + belief.temper * math.log(max(c.ai, 0.05)) for c in choices]
        chosen = next((i for i, c in enumerate(choices) if c.id == move.ref), None)
        return None if chosen is None else _softmax_choice(belief, values, chosen)
    return None


def _proposal(belief: Belief, vs: State, move: Move) -> np.ndarray:
    """How much likelier a type is to table this package than one worth nothing to it."""
    g = package_gains(belief, vs, move.terms)
    return _phi((g - PASS_VALUE * belief.caution) / np.maximum(belief.temper, 0.3))
