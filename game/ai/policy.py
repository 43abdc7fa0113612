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
    Deals may hold more terms than the listed ones: any set of up to ``deal_max_terms`` of the
    available terms is legal.
    """

    name: str

    def choose(self, view, legal: list[Move], rng: random.Random) -> Move: ...


def offered_terms(state: State, legal: list[Move]) -> list[CTerm]:
    """The terms that may go into a deal now, read from the legal moves (never from the view's
    estimates, which may differ from the true state on hidden meters)."""
    sc = state.scenario
    seen: dict[str, None] = {}
    for m in legal:
        if m.kind in ("propose", "counter"):
            if len(m.terms) > 1 and seen:
                break  # every available term is listed alone before the pairs
            for t in m.terms:
                seen[t] = None
    if state.phase == ANSWER:
        for i in state.deal:  # on the table this phase, so on offer (its single is not relisted)
            seen[sc.terms[i].id] = None
    return [sc.term_by_id[t] for t in seen]


def is_offered(move: Move, state: State, legal: list[Move]) -> bool:
    """Whether a move is legal, judged from the legal list (deals: any set of offered terms)."""
    if move.kind in ("propose", "counter"):
        if not any(m.kind == move.kind for m in legal):
            return False
        ids = {t.id for t in offered_terms(state, legal)}
        terms = move.terms
        return (0 < len(terms) <= state.scenario.deal_max_terms and len(set(terms)) == len(terms)
                and all(t in ids for t in terms))
    return move in legal
