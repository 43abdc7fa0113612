"""The protocol every policy follows, and helpers that keep policies inside the rules."""

from __future__ import annotations

import random
from typing import Protocol, runtime_checkable

from game.engine.state import ANSWER, Move, State
from game.scenario.model import CTerm


@runtime_checkable
class Policy(Protocol):
    """Chooses one of the legal moves from what its actor may see.

    ``view`` is ``game.engine.view(state, actor)``, ``legal`` is ``game.engine.legal_moves(state)``
    and ``rng`` a ``random.Random`` owned by the caller (policies never use the global one).
    In a deal phase ``legal`` lists every package of up to ``deal_max_terms`` available terms
    (a lazy sequence: index it or iterate, do not copy it whole).

    A policy that learns also has ``observe(before, move)``: the runner calls it for every move
    made by either side, with the true position before the move (a policy must look at it only
    through ``game.engine.view`` for its own side). ``tell`` does that for a set of policies.
    """

    name: str

    def choose(self, view, legal: list[Move], rng: random.Random) -> Move: ...


def tell(policies, before: State, move: Move) -> None:
    """Let every policy that learns see a move made in position ``before``."""
    for p in policies:
        observe = getattr(p, "observe", None)
        if observe is not None:
            observe(before, move)


def learners(policies) -> bool:
    """Whether any of the policies learns from moves (so a runner must show them each move)."""
    return any(getattr(p, "observe", None) is not None for p in policies)


def offered_terms(state: State, legal: list[Move]) -> list[CTerm]:
    """The terms that may go into a deal now, read from the legal moves (never from the view's
    estimates, which may differ from the true state on hidden meters)."""
    sc = state.scenario
    seen: dict[str, None] = {}
    ids = getattr(legal, "ids", None)  # a DealMoves knows its terms
    for m in (() if ids is not None else legal):
        if m.kind in ("propose", "counter"):
            if len(m.terms) > 1 and seen:
                break  # every available term is listed alone before the packages of several
            for t in m.terms:
                seen[t] = None
    for t in ids or ():
        seen[t] = None
    if state.phase == ANSWER:
        for i in state.deal:  # on the table this phase, so on offer (its single is not relisted)
            seen[sc.terms[i].id] = None
    return [sc.term_by_id[t] for t in seen]


def is_offered(move: Move, state: State, legal: list[Move]) -> bool:
    """Whether a move is legal, judged from the legal list (deals: any set of offered terms)."""
    if move.kind in ("propose", "counter"):
        if getattr(legal, "kind", None) == move.kind:  # a DealMoves: every package is listed
            return move in legal
        if not any(m.kind == move.kind for m in legal):
            return False
        ids = {t.id for t in offered_terms(state, legal)}
        terms = move.terms
        return (0 < len(terms) <= state.scenario.deal_max_terms and len(set(terms)) == len(terms)
                and all(t in ids for t in terms))
    return move in legal
