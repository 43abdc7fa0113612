"""What a move by the other side tells a belief: the observations behind learning.

Each model mirrors how the computer itself decides (``GreedyPolicy``), read on what the observer
may see of the position. An observation is ``(x, offset, y, noise)``: the belief learns that
``y × (weights · x + offset)`` beat zero up to probit noise ``noise`` (``Belief.learn``), where
``weights · x`` is the change in the other side's utility (with its caution as the last weight)
and ``offset`` the change in the value of its endings, which the rules make public.

- an answer to a package: accepted when its gain beat the caution (half the caution for a
  counter-offer's answer), sharp;
- a package tabled or countered: its gain beat half the caution (proposers offer what is good
  for them), weaker;
- a standoff choice (give way or stand firm; press or back down): the option taken was worth
  more than the one passed over, weaker still.

Unilateral moves and event choices teach nothing here: the computer weighs things in them that
this model cannot see (the hope of winning a standoff a move opens, an event's own bias), and in
measured play (docs/simulation.md, "Beliefs") learning from them pulled beliefs away from the
truth instead of towards it.
"""

from __future__ import annotations

import numpy as np

from game.ai.beliefs import NOISE_ANSWER, NOISE_CHOICE, NOISE_PROPOSAL, Belief
from game.ai.evaluate import Model
from game.engine.state import (ANSWER, ANSWER_COUNTER, PROPOSE, STANDOFF, STANDOFF_PRESS, Move,
                               State)

PASS_VALUE = 0.5  # × caution: what doing nothing is worth (the AI's own rule)

Obs = tuple[np.ndarray, float, float, float]


def package_features(belief: Belief, vs: State, deal, caution: float = 1.0) -> tuple[np.ndarray, float]:
    """A package's (term indices or ids) features and endings offset at position ``vs``, for
    ``Belief.forecast``: its answer needs ``caution`` times the other side's caution."""
    sc = vs.scenario
    terms = [sc.terms[t] if isinstance(t, int) else sc.term_by_id[t] for t in deal]
    after = Model.of(sc).project(vs, *((t.effects, 1.0) for t in terms))
    ends = belief.endings.endings
    return belief.features(vs.values, after, caution), ends(after, vs.ctx) - ends(vs.values, vs.ctx)


def package_chance(belief: Belief, vs: State, deal, counter: bool = False, shown: bool = False) -> float:
    """The belief's chance that the other side accepts a package tabled at ``vs`` (a counter's
    answer needs half the caution); with ``shown``, as the deal table shows it."""
    x, e = package_features(belief, vs, deal, 0.5 if counter else 1.0)
    return belief.shown_chance(x, e) if shown else belief.accept_chance(x, e)


def observations(belief: Belief, vs: State, move: Move, known=None) -> list[Obs]:
    """What ``move`` at the observer's view ``vs`` says about the other side's priorities.
    ``known``: (deal, caution, features, offset) of a package already projected at ``vs``."""
    sc = vs.scenario
    phase = vs.phase
    k = move.kind
    model = Model.of(sc)
    v0 = vs.values
    ctx = vs.ctx
    ends = belief.endings.endings
    e0 = ends(v0, ctx)

    def option(*effects, caution: float = 0.0) -> tuple[np.ndarray, float]:
        after = model.project(vs, *effects)
        return belief.features(v0, after, caution), ends(after, ctx) - e0

    def package(terms, caution: float):
        if known is not None and known[0] == terms and known[1] == caution:
            return known[2], known[3]
        ts = [sc.terms[t] if isinstance(t, int) else sc.term_by_id[t] for t in terms]
        return option(*((t.effects, 1.0) for t in ts), caution=caution)

    def chose(options: list[tuple[np.ndarray, float]], chosen: int) -> list[Obs]:
        xc, ec = options[chosen]
        return [(xc - x, ec - e, 1.0, NOISE_CHOICE) for i, (x, e) in enumerate(options) if i != chosen]

    if phase in (ANSWER, ANSWER_COUNTER):
        x, e = package(vs.deal, 0.5 if phase == ANSWER_COUNTER else 1.0)
        out = [(x, e, 1.0 if k == "accept" else -1.0, NOISE_ANSWER)]
        if k == "counter":
            x, e = package(move.terms, PASS_VALUE)
            out.append((x, e, 1.0, NOISE_PROPOSAL))
        return out
    if phase == PROPOSE:
        if k != "propose":
            return []
        x, e = package(move.terms, PASS_VALUE)
        return [(x, e, 1.0, NOISE_PROPOSAL)]
    if phase in (STANDOFF, STANDOFF_PRESS) and vs.standoff >= 0:
        so = sc.standoffs[vs.standoff]
        rnd = float(vs.standoff_round)
        (xp, ep), (xb, eb), (xc, ec) = (option((so.press, 1.0)), option((so.back_down, rnd)),
                                        option((so.concede, 1.0)))
        if phase == STANDOFF:  # the other side is the target: give way, or stand firm
            options = [(xc, ec), (0.5 * (xp + xb), 0.5 * (ep + eb))]
            return chose(options, 0 if k == "concede" else 1)
        options = [(xp + 0.35 * xc, ep + 0.35 * ec), (xb, eb)]  # the demander: press, or back down
        return chose(options, 0 if k == "press" else 1)
    return []
