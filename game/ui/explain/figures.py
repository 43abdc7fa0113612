"""Numbers and changes in words: formatting, what a change means to a side, projected effects."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

import attrs

from game.engine import Change, IllegalMove, Move, State, Step, apply
from game.scenario import Scenario

MINUS = "\u2212"
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


# --- numbers ------------------------------------------------------------------------------------

def fmt_num(x: float) -> str:
    """45 -> '45', 45.25 -> '45.3'; a unicode minus for negatives."""
    r = round(x, 1)
    s = f"{r:.0f}" if abs(r - round(r)) < 0.05 else f"{r:.1f}"
    return s.replace("-", MINUS)


def fmt_delta(d: float) -> str:
    if abs(d) < 0.05:
        return "±0"
    return ("+" if d > 0 else "") + fmt_num(d)


def is_issue(sc: Scenario, name: str) -> bool:
    return sc.slots[name] >= sc.n_meters


def value_text(sc: Scenario, name: str, value: float) -> str:
    """A meter's value with its unit, or an issue's level name."""
    if is_issue(sc, name):
        return sc.level_name(name, int(value))
    unit = sc.raw.meters[name].unit if name in sc.raw.meters else ""
    return fmt_num(value) + unit


def delta_text(sc: Scenario, name: str, before: float, after: float) -> str:
    """'+3', or for an issue '+1 level (Signed on paper)'."""
    if is_issue(sc, name):
        n = int(after) - int(before)
        word = "level" if abs(n) == 1 else "levels"
        return f"{'+' if n > 0 else MINUS}{abs(n)} {word} ({sc.level_name(name, int(after))})"
    return fmt_delta(after - before)


def weight(sc: Scenario, actor: int, name: str) -> float:
    slot = sc.slots[name]
    for s, w in sc.weights[actor]:
        if s == slot:
            return w
    return 0.0


def good_for(sc: Scenario, actor: int | None, name: str, delta: float) -> int:
    """+1 when a change is good for ``actor`` by its goals, -1 when bad, 0 when it does not care."""
    if actor is None or not delta:
        return 0
    w = weight(sc, actor, name)
    if not w:
        return 0
    return 1 if (w > 0) == (delta > 0) else -1


# --- changes and causes ---------------------------------------------------------------------

def aggregate(changes: Iterable[Change]) -> "OrderedDict[str, tuple[float, float]]":
    """Net (before, after) per meter, in the order meters first changed."""
    out: OrderedDict[str, tuple[float, float]] = OrderedDict()
    for c in changes:
        if c.meter in out:
            out[c.meter] = (out[c.meter][0], c.after)
        else:
            out[c.meter] = (c.before, c.after)
    return OrderedDict((k, v) for k, v in out.items() if abs(v[1] - v[0]) > 1e-9)


def by_cause(changes: Iterable[Change], name: str) -> list[tuple[str, float, int]]:
    """A meter's changes summed per cause: (cause, delta, turn), in order of first appearance."""
    out: OrderedDict[tuple[str, int], float] = OrderedDict()
    for c in changes:
        if c.meter == name:
            key = (c.cause, c.turn)
            out[key] = out.get(key, 0.0) + c.delta
    return [(cause, d, turn) for (cause, turn), d in out.items() if abs(d) > 1e-9]


def direct_changes(step: Step, before: State) -> list[Change]:
    """The changes a move itself caused: stop at the turn's drift or the next events."""
    out = []
    for c in step.changes:
        if c.turn != before.turn or kind_of(c.cause) in ("drift", "event"):
            break
        out.append(c)
    return out


def kind_of(record) -> str:
    """The kind of an engine record (a Cause, Fired or Reason); '' for plain text."""
    return getattr(record, "kind", "")


@attrs.frozen
class Projection:
    """What a move would do: net changes per meter (direct effects only), or why it cannot."""

    changes: tuple[tuple[str, float, float], ...] = ()
    error: str = ""
    opens: str = ""      # a standoff this move would open
    step: Step | None = None

    @property
    def ok(self) -> bool:
        return not self.error


def project(state: State, move: Move) -> Projection:
    """Apply ``move`` to the state (the engine is pure) and report its direct effects."""
    try:
        if move.kind in ("propose", "counter"):
            step = apply(state, move)
            other = state.scenario.players[step.state.actor]
            step2 = apply(step.state, Move("accept", other))
            ch = direct_changes(step2, step.state)
            return Projection(tuple((k, a, b) for k, (a, b) in aggregate(ch).items()), step=step2)
        step = apply(state, move)
    except IllegalMove as exc:
        return Projection(error=str(exc))
    ch = direct_changes(step, state)
    opens = ""
    for f in step.fired:
        if kind_of(f) == "standoff_opened":
            opens = f.id
    return Projection(tuple((k, a, b) for k, (a, b) in aggregate(ch).items()), opens=opens, step=step)


def changes_text(sc: Scenario, changes: Iterable[tuple[str, float, float]], limit: int = 0) -> str:
    parts = [f"{sc.labels[sc.slots[n]]} {delta_text(sc, n, a, b)}" for n, a, b in changes]
    if limit and len(parts) > limit:
        parts = parts[:limit] + [f"+{len(parts) - limit} more"]
    return ", ".join(parts) if parts else "no immediate effect"
