"""Sources, endings and goals, places a step lights on the map, and the end-of-game summaries."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

import attrs

from game.engine import Change, Move, Step, utility
from game.scenario import Scenario
from game.scenario.schema import Source
from game.ui.explain.conditions import humanise
from game.ui.explain.figures import _MONTHS, aggregate, kind_of

# --- sources ------------------------------------------------------------------------------------

def date_text(iso: str) -> str:
    """'2021-12-08' -> '8 December 2021'."""
    try:
        y, m, d = (int(x) for x in iso.split("-"))
        return f"{d} {_MONTHS[m - 1]} {y}"
    except (ValueError, IndexError):
        return iso


def document_line(sc: Scenario) -> str:
    d = sc.document
    if d is None:
        return ""
    # A title that holds double quotes gets single ones around it ('“I am all yours”. What…').
    title = f"‘{d.title}’" if any(q in d.title for q in "“”\"") else f"“{d.title}”"
    parts = [d.author, title]
    if d.publication:
        parts.append(d.publication)
    if d.date:
        parts.append(date_text(d.date))
    return ", ".join(parts)


@attrs.frozen
class SourceRow:
    para: int | None
    kind: str
    name: str
    quote: str


def sources(sc: Scenario) -> list[SourceRow]:
    """Every element with its citation, by paragraph; the game's own inventions last."""
    raw = sc.raw
    rows: list[SourceRow] = []

    def add(kind: str, name: str, src: Source | None) -> None:
        if src is None:
            return
        if src.invented is not None:
            rows.append(SourceRow(None, kind, name, src.invented))
        else:
            rows.append(SourceRow(src.para, kind, name, src.quote or ""))

    add("Scenario", raw.scenario.title, raw.scenario.source)
    for m in raw.meters.values():
        add("Meter", m.name, m.source)
    for i in raw.issues.values():
        add("Issue", i.name, i.source)
    for m in raw.moves:
        add(f"Move ({raw.actors[m.by].name})", m.name, m.source)
    for t in raw.terms:
        add(f"Deal term ({raw.actors[t.by].name})", t.name, t.source)
    for s in raw.standoffs:
        add("Standoff", s.name, s.source)
    for e in raw.events:
        add("Event", e.title, e.source)
    for e in raw.endings:
        add("Ending", e.title, e.source)
    rows.sort(key=lambda r: (r.para is None, r.para or 0))
    return rows


# --- endings and goals --------------------------------------------------------------------------

@attrs.frozen
class EndingLine:
    title: str
    condition: str
    winner: str | None
    grade: str
    timeout: bool


def endings(sc: Scenario) -> list[EndingLine]:
    out = []
    for e in sc.raw.endings:
        winner = None if e.winner == "none" else e.winner
        cond = humanise(sc, e.when)
        if cond.strip().lower() == "true":
            cond = "if nothing above applies"
        out.append(EndingLine(e.title, cond, winner, e.grade, e.timeout))
    return out


# --- places on the map ----------------------------------------------------------------------------

def places_of_step(sc: Scenario, step: Step, move: Move | None) -> list[str]:
    """Place ids lit by a step: its move's place and the places of the events it fired."""
    out = []
    if move is not None and move.kind == "unilateral":
        m = sc.move_by_id.get(move.ref)
        if m and m.place:
            out.append(m.place)
    for f in step.fired:
        ev = sc.event_by_id.get(f.id) if kind_of(f) == "event" else None
        if ev and ev.place:
            out.append(ev.place)
    return out


# --- the end of the game -------------------------------------------------------------------------

@attrs.frozen
class TurningPoint:
    turn: int
    cause: str
    changes: tuple[tuple[str, float, float], ...]
    weight: float


def turning_points(sc: Scenario, changes: Iterable[Change], n: int = 6) -> list[TurningPoint]:
    """The ``n`` causes that moved the meters most (range-normalised; drift excluded), told in the
    order they happened, so the end screen reads as the game's story."""
    groups: OrderedDict[tuple[int, str], list[Change]] = OrderedDict()
    for c in changes:
        if kind_of(c.cause) in ("drift", "start"):
            continue
        groups.setdefault((c.turn, c.cause), []).append(c)
    pts = []
    derived = {sc.names[slot] for slot, _ in sc.derived}
    for (turn, cause), chs in groups.items():
        agg = aggregate(chs)
        w = 0.0
        for name, (a, b) in agg.items():
            slot = sc.slots[name]
            if name in derived:
                continue
            span = sc.hi[slot] - sc.lo[slot]
            if slot < sc.n_meters and span <= 1:
                continue  # a flag (0 or 1), not a measure of anything
            w += abs(b - a) / (span or 1.0) * (4.0 if slot >= sc.n_meters else 1.0)
        if w > 0:
            pts.append(TurningPoint(turn, cause, tuple((k, a, b) for k, (a, b) in agg.items()), w))
    top = sorted(pts, key=lambda p: -p.weight)[:n]
    return sorted(top, key=lambda p: p.turn)


def score_history(steps: list[Step]) -> list[tuple[int, float, float]]:
    """(turn, score of player 0, score of player 1) at the end of each turn."""
    if not steps:
        return []
    sc = steps[0].state.scenario
    points: dict[int, tuple[float, float]] = {}
    for st in steps:
        s = st.state
        points[s.turn] = (utility(sc, s.values, 0), utility(sc, s.values, 1))
    return [(t, a, b) for t, (a, b) in sorted(points.items())]


def value_history(steps: list[Step], name: str) -> list[tuple[int, float]]:
    """(turn, value) for a meter: the value at the start of the game, then at the end of every turn."""
    if not steps:
        return []
    sc = steps[0].state.scenario
    slot = sc.slots[name]
    points: dict[int, float] = {0: steps[0].state.values[slot]}
    for st in steps:
        points[st.state.turn] = st.state.values[slot]  # the last value seen in each turn
    return sorted(points.items())
