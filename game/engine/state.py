"""Game state, moves and steps: small immutable values."""

from __future__ import annotations

import attrs

from game.scenario.model import Scenario

# Phases: who must decide what.
CHOOSE = "choose"            # an event's actor picks a choice
STANDOFF = "standoff"        # the target concedes or stands firm
STANDOFF_PRESS = "press"     # the demander presses or backs down
PROPOSE = "propose"          # the initiative side tables a deal or declines
ANSWER = "answer"            # the other side accepts, rejects or counters
ANSWER_COUNTER = "counter"   # the initiative side accepts or rejects the counter
ACT = "act"                  # unilateral moves, initiative first
OVER = "over"


class IllegalMove(ValueError):
    """A move the rules do not allow now; the message is written for the player."""


@attrs.frozen(slots=True)
class Move:
    """Plain data for every decision; humans and the AI produce the same objects.

    kind: propose, no_deal, accept, reject, counter, unilateral, pass, choose, concede,
    stand_firm, press, back_down. ``ref`` names the unilateral move or the choice; ``terms`` the
    deal's term ids.
    """

    kind: str
    actor: str
    ref: str = ""
    terms: tuple[str, ...] = ()

    def to_json(self) -> dict:
        d: dict = {"kind": self.kind, "actor": self.actor}
        if self.ref:
            d["ref"] = self.ref
        if self.terms:
            d["terms"] = list(self.terms)
        return d

    @classmethod
    def from_json(cls, d: dict) -> Move:
        if not isinstance(d, dict) or not isinstance(d.get("kind"), str) or not isinstance(d.get("actor"), str):
            raise ValueError("a move needs 'kind' and 'actor' strings")
        terms = d.get("terms", [])
        ref = d.get("ref", "")
        if not isinstance(ref, str) or not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
            raise ValueError("a move's 'ref' is a string and 'terms' a list of strings")
        return cls(d["kind"], d["actor"], ref, tuple(terms))


@attrs.frozen(slots=True)
class Change:
    meter: str
    before: float
    after: float
    cause: str  # a records.Cause: its text, with a kind and an id
    turn: int = 0

    @property
    def delta(self) -> float:
        return self.after - self.before


@attrs.frozen(slots=True)
class State:
    scenario: Scenario = attrs.field(eq=False, repr=False)
    seed: int
    turn: int
    phase: str
    actor: int                     # index of the actor to decide, -1 when none
    initiative: int
    values: tuple[float, ...]      # meters then issues (issue value = level index)
    ready: tuple[int, ...]         # per unilateral move: first turn it may be taken again (-1 never)
    event_ready: tuple[int, ...]   # per event: first turn it may fire again (-1 never)
    event_cursor: int              # next event to check this turn
    pending_event: int = -1        # event awaiting a choice
    deal: tuple[int, ...] = ()     # term indices on the table
    standoff: int = -1             # open standoff index
    standoff_round: int = 0
    ledger: tuple[int, ...] = ()   # per ledger: -1 nothing, t>0 promised on turn t, -2 delivered, -3 broken
    acted: int = 0                 # unilateral moves taken this turn
    ending: int = -1               # ending index; -2 decided by score
    winner: int = -1
    deal_log: tuple[tuple[int, str], ...] = ()  # (turn, outcome) of deals, for the interface

    @property
    def actor_id(self) -> str | None:
        return self.scenario.players[self.actor] if self.actor >= 0 else None

    @property
    def is_over(self) -> bool:
        return self.phase == OVER

    def value(self, name: str) -> float:
        return self.values[self.scenario.slots[name]]

    @property
    def ctx(self) -> tuple:
        return self.scenario.ctx(self.turn, self.standoff_round)

    def but(self, *, values: tuple | None = None, seed: int | None = None) -> State:
        """A copy with other values or another seed: ``attrs.evolve`` for the two fields the
        engine's helpers change, without its per-call introspection (views, search worlds)."""
        return State(self.scenario, self.seed if seed is None else seed, self.turn, self.phase,
                     self.actor, self.initiative, self.values if values is None else values,
                     self.ready, self.event_ready, self.event_cursor, self.pending_event, self.deal,
                     self.standoff, self.standoff_round, self.ledger, self.acted, self.ending,
                     self.winner, self.deal_log)


@attrs.frozen(slots=True)
class Step:
    """What one move did: the new state, every meter change with its cause, the events that fired."""

    state: State
    changes: tuple[Change, ...]
    fired: tuple[str, ...]  # records.Fired: each its text, with a kind and an id
