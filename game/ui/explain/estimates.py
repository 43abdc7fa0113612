"""The other side as a player may estimate it (from a belief, never its true values), and the
words for each phase."""

from __future__ import annotations

import attrs

from game.describe import describe_move
from game.engine import (ACT, ANSWER, ANSWER_COUNTER, CHOOSE, PROPOSE, STANDOFF, STANDOFF_PRESS,
                         IllegalMove, Move, State, apply, illegal_reason, utility)
from game.scenario import Scenario


# --- estimates of the other side ----------------------------------------------------------------

def stance(state: State, viewer: str, belief=None) -> tuple[float, float]:
    """The other side's satisfaction (its score, 0-100) as the viewer can estimate it: the 10th
    to 90th percentile over the viewer's belief (``game.ai.beliefs.Belief``), on the viewer's
    view of the position (hidden meters at the middle of their estimates). Never its true values."""
    from game.ai.beliefs import Belief
    from game.engine import view

    sc = state.scenario
    if belief is None:
        belief = Belief(sc, sc.actor_index(viewer), state.seed)
    vs = view(state, viewer).state
    _, lo, hi = belief.spread(belief.utilities(vs.values))
    return max(0.0, lo), min(100.0, hi)


@attrs.frozen
class Bargain:
    """A package as the viewer can judge it: what it is worth to the viewer (exactly), what the
    viewer believes it is worth to the other side (mean, 10th and 90th percentile), the caution
    the other side is believed to need, and the chance it accepts."""

    mine: float
    theirs: float
    lo: float
    hi: float
    need: float
    chance: float


def bargain(state: State, move: Move, belief) -> Bargain | None:
    """Judge a proposal or counter with the mover's belief; None if the move is illegal."""
    from game.ai.likelihood import package_features
    from game.engine import view

    sc = state.scenario
    if move.kind not in ("propose", "counter") or illegal_reason(state, move) is not None:
        return None
    me = sc.actor_index(move.actor)
    vs = view(state, move.actor).state
    counter = move.kind == "counter"
    x, e = package_features(belief, vs, move.terms, 0.5 if counter else 1.0)
    mean, lo, hi = belief.gain_range(x, e)
    try:
        after = apply(apply(state, move, record=False).state, Move("accept", sc.players[1 - me]),
                      record=False).state
    except IllegalMove:
        return None
    mine = utility(sc, after.values, me) - utility(sc, state.values, me)
    need = belief.trait_means()[0] * (0.5 if counter else 1.0)
    return Bargain(mine, mean, lo, hi, need, belief.shown_chance(x, e))


def accept_chance(state: State, move: Move, belief) -> float | None:
    """How likely the other side is to accept a proposal or counter, from the mover's belief
    about it (never its true values). None if the move is illegal."""
    b = bargain(state, move, belief)
    return None if b is None else b.chance


def belief_moved(sc: Scenario, belief) -> str:
    """A line on how the last answer to one of the viewer's packages moved the belief."""
    if not belief.answers:
        return ""
    a = belief.answers[-1]
    other = sc.actor(sc.players[belief.opp]).name
    verb = "accepted" if a["accepted"] else "turned down"
    return (f"Turn {a['turn']}: {other} {verb} your package. You had put its chance at "
            f"{round(a['expected'] * 100)}%; knowing what you know now, {round(a['now'] * 100)}%.")


def chance_words(p: float) -> str:
    if p >= 0.8:
        return "very likely"
    if p >= 0.6:
        return "likely"
    if p >= 0.4:
        return "a toss-up"
    if p >= 0.2:
        return "unlikely"
    return "very unlikely"


# --- words for the phases -----------------------------------------------------------------------

def phase_prompt(state: State, human: bool) -> str:
    sc = state.scenario
    if state.is_over:
        return "The game is over"
    who = sc.actor(state.actor).name
    ph = state.phase
    if not human:
        return {
            CHOOSE: f"{who} is responding to an event",
            STANDOFF: f"{who} decides whether to give way",
            STANDOFF_PRESS: f"{who} decides whether to press the demand",
            PROPOSE: f"{who} considers a deal",
            ANSWER: f"{who} weighs your proposal",
            ANSWER_COUNTER: f"{who} weighs the counter-offer",
            ACT: f"{who} chooses a move",
        }.get(ph, f"{who} is deciding")
    return {
        CHOOSE: "Respond to the event",
        STANDOFF: "A demand: give way or stand firm",
        STANDOFF_PRESS: "They stand firm: press or back down",
        PROPOSE: "Diplomacy: table a deal, or skip to moves",
        ANSWER: "A deal is on the table: accept, reject or counter",
        ANSWER_COUNTER: "A counter-offer: accept or reject",
        ACT: "Take one move, or end the turn",
    }.get(ph, "Your decision")


def move_text(sc: Scenario, move: Move) -> str:
    return describe_move(sc, move)
