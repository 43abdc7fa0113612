"""The compiled, immutable scenario the engine runs: names resolved to slots, expressions compiled."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import attrs

from game.scenario import schema

Fn = Callable[[tuple, tuple], float]
# Compiled effects: (slot, amount function) pairs, computed together from the state before them.
CEffects = tuple[tuple[int, Fn], ...]


@attrs.frozen
class CMove:
    index: int
    id: str
    by: int
    name: str
    text: str
    when: Fn | None
    when_text: str
    cost: tuple[tuple[int, float], ...]
    cooldown: int
    once: bool
    effects: CEffects
    opens: int  # standoff index, or -1
    place: str
    source: schema.Source | None
    issue: str = ""  # for generated raise:/lower: moves


@attrs.frozen
class CTerm:
    index: int
    id: str
    by: int
    name: str
    text: str
    when: Fn | None
    effects: CEffects
    source: schema.Source | None
    issue: str = ""


@attrs.frozen
class CChoice:
    id: str
    label: str
    text: str
    effects: CEffects
    ai: float
    when: Fn | None


@attrs.frozen
class CEvent:
    index: int
    id: str
    title: str
    text: str
    when: Fn | None
    chance: float
    repeat: bool
    cooldown: int
    effects: CEffects
    actor: int
    choices: tuple[CChoice, ...]
    default: int
    place: str
    source: schema.Source


@attrs.frozen
class CStandoff:
    index: int
    id: str
    name: str
    text: str
    by: int
    target: int
    tension: int
    rounds: int
    press: CEffects
    concede: CEffects
    back_down: CEffects
    rupture: Fn | None
    rupture_effects: CEffects
    source: schema.Source


@attrs.frozen
class CEnding:
    index: int
    id: str
    title: str
    text: str
    when: Fn
    timeout: bool
    winner: int  # actor index, or -1 for none
    grade: str
    bonus: tuple[float, ...]
    source: schema.Source | None


@attrs.frozen
class CLedger:
    index: int
    issue: str
    slot: int
    promised: int
    delivered: int
    within: int
    on_broken: CEffects


@attrs.frozen(eq=False, slots=False)
class Scenario:
    """A loaded scenario. ``raw`` keeps the file's own structure for describing it."""

    raw: schema.ScenarioFile
    path: Path | None
    digest: str
    id: str
    title: str
    players: tuple[str, str]
    turns: int
    start_year: int
    start_month: int
    months_per_turn: int
    deal_max_terms: int
    names: tuple[str, ...]          # every slot's id: meters first, then issues
    slots: dict[str, int]
    labels: tuple[str, ...]
    lo: tuple[float, ...]
    hi: tuple[float, ...]
    start: tuple[float, ...]
    n_meters: int
    derived: tuple[tuple[int, Fn], ...]
    drift: tuple[tuple[int, Fn], ...]
    hidden: tuple[frozenset[int], ...]   # per actor: slots it may not see exactly
    weights: tuple[tuple[tuple[int, float], ...], ...]  # per actor: (slot, weight)
    moves: tuple[CMove, ...]
    terms: tuple[CTerm, ...]
    events: tuple[CEvent, ...]
    standoffs: tuple[CStandoff, ...]
    endings: tuple[CEnding, ...]
    ledgers: tuple[CLedger, ...]
    on_level: dict[int, dict[int, CEffects]]
    move_by_id: dict[str, CMove]
    term_by_id: dict[str, CTerm]
    event_by_id: dict[str, CEvent]
    cache: dict = attrs.field(factory=dict, repr=False)  # engine memo: deal lists by availability

    def __attrs_post_init__(self) -> None:
        dates = []
        for turn in range(self.turns + 2):
            months = self.start_month - 1 + (turn - 1) * self.months_per_turn
            dates.append((self.start_year + months // 12, months % 12 + 1))
        object.__setattr__(self, "_dates", tuple(dates))
        # The expression context (turn, year, month, round) outside standoffs, per turn.
        object.__setattr__(self, "ctx0", tuple((t, y, m, 0) for t, (y, m) in enumerate(dates)))

    def ctx(self, turn: int, round_: int = 0) -> tuple:
        if round_ == 0 and 0 <= turn < len(self.ctx0):
            return self.ctx0[turn]
        year, month = self.date(turn)
        return (turn, year, month, round_)

    def actor_index(self, actor: str) -> int:
        return self.players.index(actor)

    def is_issue(self, slot: int) -> bool:
        return slot >= self.n_meters

    def date(self, turn: int) -> tuple[int, int]:
        """(year, month) at the start of a turn."""
        if 0 <= turn < len(self._dates):
            return self._dates[turn]
        months = self.start_month - 1 + (turn - 1) * self.months_per_turn
        return self.start_year + months // 12, months % 12 + 1

    def date_label(self, turn: int) -> str:
        year, month = self.date(turn)
        return f"{_MONTHS[month - 1]} {year}"

    def level_name(self, issue: str, level: int) -> str:
        return self.raw.issues[issue].levels[int(level)]

    @property
    def document(self) -> schema.Document | None:
        return self.raw.document

    def actor(self, actor: str | int) -> schema.Actor:
        key = self.players[actor] if isinstance(actor, int) else actor
        return self.raw.actors[key]


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
