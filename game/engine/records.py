"""Typed records the engine writes: why a meter changed (``Cause``), what a step set off
(``Fired``) and why a move is unavailable (``Reason``).

Each is a ``str`` whose value is the text the engine always wrote ("Minsk: Close the paper",
"deal:accepted", "Needs rating < 40"), carrying typed fields beside it. So saved logs, stored
playthroughs, JSON batch records and fingerprints stay exactly as they were, while the interface
reads ``kind`` and ``id`` instead of parsing the text back.
"""

from __future__ import annotations

from functools import lru_cache


class _Record(str):
    """A text with a kind and an id. Equal to (and hashed as) its text."""

    kind: str
    id: str

    def __new__(cls, kind: str, id: str, text: str):
        self = super().__new__(cls, text)
        self.kind = kind
        self.id = id
        return self

    def __reduce__(self):  # pickles (worker processes) keep the fields
        return (type(self), (self.kind, self.id, str(self)))

    @property
    def label(self) -> str:
        """The plain text."""
        return str(self)


class Cause(_Record):
    """Why a meter changed. Kinds: ``move`` (id: the move), ``cost`` (a move's cost), ``term``
    (a deal term), ``event``, ``choice`` (id ``EVENT:CHOICE``), ``level`` (an issue reaching a
    level, id ``ISSUE:LEVEL``), ``ledger`` (a broken promise, id: the issue), ``standoff`` (id
    ``STANDOFF:STEP``, step one of conceded, pressed, rupture, lapsed, backed_down), ``drift``,
    ``start`` and ``console`` (an author's edit). Derived meters carry the cause of the change
    that moved them."""


class Fired(_Record):
    """Something a step set off. Kinds: ``event`` (id: the event, text the id), ``deal`` (id
    ``accepted`` or ``rejected``), ``standoff_opened`` (id: the standoff, text ``standoff:ID``),
    ``standoff`` (id: conceded, firm, pressed, rupture, lapsed or backed_down), ``broken`` (a
    promise, id: the issue) and ``ending`` (id: the ending, or ``score``)."""


class Reason(_Record):
    """Why a unilateral move is unavailable. Kinds: ``used`` (once a game), ``cooldown`` (id: the
    turns left), ``standoff`` (one is already open), ``needs`` (its condition fails; id: the
    condition's text) and ``cost`` (id: the meter it cannot pay)."""


@lru_cache(maxsize=4096)
def fired(kind: str, id: str) -> Fired:
    """The record for ``kind`` and ``id``, with the text the engine has always written."""
    if kind == "event":
        text = id
    elif kind == "standoff_opened":
        text = "standoff:" + id
    else:
        text = f"{kind}:{id}"
    return Fired(kind, id, text)


DRIFT = Cause("drift", "", "drift")
START = Cause("start", "", "start")
NONE = Cause("", "", "")  # previews and headless play, which make no change records
