"""The compiled, immutable scenario the engine runs: names resolved to slots, expressions compiled."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path

import attrs

from game.scenario import expr, schema

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

    # --- fused expressions for the engine ----------------------------------------------------
    # Built on first use and kept on this object (attrs.evolve makes a new object, which builds
    # its own). Each joins already-compiled expressions into one function (game.scenario.expr),
    # so one call replaces many; the values are the same as calling them one by one.

    @functools.cached_property
    def term_flags(self) -> Fn:
        """(values, ctx) -> per term, whether it is on offer now (its ``when`` holds)."""
        return expr.fuse_flags([(t.when, ()) for t in self.terms])

    @functools.cached_property
    def act_flags(self) -> tuple[tuple[tuple[CMove, ...], Fn], ...]:
        """Per actor: (its unilateral moves, (values, ctx) -> per move whether its ``when`` holds
        and its cost can be paid). The turn-based checks (cooldown, standoff) are the engine's."""
        out = []
        for a in range(len(self.players)):
            mine = tuple(m for m in self.moves if m.by == a)
            out.append((mine, expr.fuse_flags(
                [(m.when, [(slot, amount, self.lo[slot]) for slot, amount in m.cost]) for m in mine])))
        return tuple(out)

    @functools.cached_property
    def drift_amounts(self) -> tuple[tuple[tuple[int, float, float, bool, bool], ...], Fn]:
        """(the drifting slots as ``effect_slots`` gives them, (values, ctx) -> their amounts)."""
        return self.effect_slots(self.drift), expr.fuse_values([fn for _, fn in self.drift])

    @functools.cached_property
    def derived_amounts(self) -> Fn | None:
        """(values, ctx) -> every derived meter's formula value, or None when some formula reads
        another derived meter (or is not the compiler's), so they must be computed in order."""
        slots = {s for s, _ in self.derived}
        for _, fn in self.derived:
            src = expr.source_text(fn)
            if src is None or any(int(x) in slots for x in re.findall(r"v\[(\d+)\]", src)):
                return None
        return expr.fuse_values([fn for _, fn in self.derived])

    @functools.cached_property
    def derived_inputs(self) -> frozenset[int] | None:
        """Every slot a derived meter's formula reads, and the derived slots themselves; None
        when that is not known (a function not from the compiler) or a formula reads the
        context (turn, date, round), so the derived meters may change with nothing else."""
        out = {s for s, _ in self.derived}
        for _, fn in self.derived:
            src = expr.source_text(fn)
            if src is None or "c[" in src:
                return None
            out.update(int(x) for x in re.findall(r"v\[(\d+)\]", src))
        return frozenset(out)

    @functools.cached_property
    def event_flags(self) -> Fn:
        """(values, ctx) -> per event, whether its ``when`` holds."""
        return expr.fuse_flags([(ev.when, ()) for ev in self.events])

    @functools.cached_property
    def sudden_ending(self) -> Fn:
        """(values, ctx) -> index of the first ending (not a timeout one) that holds, or -1."""
        sudden = [en for en in self.endings if not en.timeout]
        first = expr.fuse_first([en.when for en in sudden])
        index = tuple(en.index for en in sudden) + (-1,)
        return lambda v, c: index[first(v, c)]

    @functools.cached_property
    def ledgers_of(self) -> dict[int, tuple[CLedger, ...]]:
        """The ledgers per issue slot."""
        out: dict[int, tuple[CLedger, ...]] = {}
        for lg in self.ledgers:
            out[lg.slot] = out.get(lg.slot, ()) + (lg,)
        return out

    @functools.cached_property
    def move_costs(self) -> tuple[CEffects, ...]:
        """Per unilateral move, its cost as effects (a constant drop per meter)."""
        return tuple(tuple((slot, expr.constant(-amount)) for slot, amount in m.cost) for m in self.moves)

    @functools.cached_property
    def fused_effects(self) -> dict[int, tuple[CEffects, tuple[int, ...], Fn]]:
        """id(effects) -> (effects, their slots, (values, ctx) -> their amounts), for every
        effects tuple this scenario holds. Keyed by identity because CEffects hold functions;
        the entry keeps the tuple itself, so a caller checks ``entry[0] is effects`` (an id can
        only be reused once the scenario's own tuple is gone, and the entry keeps it alive)."""
        tables: list[CEffects] = list(self.move_costs)
        tables += [m.effects for m in self.moves] + [t.effects for t in self.terms]
        for ev in self.events:
            tables.append(ev.effects)
            tables += [ch.effects for ch in ev.choices]
        for so in self.standoffs:
            tables += [so.press, so.concede, so.back_down, so.rupture_effects]
        tables += [lg.on_broken for lg in self.ledgers]
        tables += [effs for table in self.on_level.values() for effs in table.values()]
        return {id(effs): (effs, self.effect_slots(effs), expr.fuse_values([fn for _, fn in effs]))
                for effs in tables if effs}

    def effect_slots(self, effs: CEffects) -> tuple[tuple[int, float, float, bool, bool], ...]:
        """Per effect, what applying it needs to know of its slot: (slot, low, high, whether it
        is an issue, whether a derived meter reads it or is it; see ``derived_inputs``)."""
        inputs = self.derived_inputs or ()
        return tuple((s, self.lo[s], self.hi[s], s >= self.n_meters, s in inputs) for s, _ in effs)

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
