"""Words and numbers the interface shows: projected effects, causes, estimates, sources.

Pure functions over the engine (no pygame), so they are tested headless. The interface never
re-implements a rule: projections apply the move to the (immutable) state and read the changes.
"""

from __future__ import annotations

import ast
from collections import OrderedDict
from collections.abc import Iterable

import attrs

from game.describe import describe_move
from game.engine import (ACT, ANSWER, ANSWER_COUNTER, CHOOSE, PROPOSE, STANDOFF, STANDOFF_PRESS,
                         Change, IllegalMove, Move, State, Step, apply, illegal_reason, utility)
from game.scenario import Scenario
from game.scenario.schema import Source

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


# --- conditions in words --------------------------------------------------------------------------

_OPS = {ast.Lt: "<", ast.LtE: "≤", ast.Gt: ">", ast.GtE: "≥", ast.Eq: "=", ast.NotEq: "≠"}


def humanise(sc: Scenario, text: str) -> str:
    """'crimea >= 5 and hrodno >= 4' -> "Recognition of Crimea at 'Formal legal recognition' and …"."""
    try:
        tree = ast.parse(text.strip(), mode="eval").body
        return _human(sc, tree, top=True)
    except (SyntaxError, ValueError, KeyError, IndexError, RecursionError):
        return text


_PREC = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 2}


def _label(sc: Scenario, node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        if node.id in sc.slots:
            return sc.labels[sc.slots[node.id]]
        return node.id
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool):
            return str(node.value).lower()
        if isinstance(node.value, (int, float)):
            return f"{node.value:g}".replace("-", MINUS)
        return str(node.value)
    if isinstance(node, ast.BinOp):
        op = {ast.Add: "+", ast.Sub: MINUS, ast.Mult: "×", ast.Div: "/"}.get(type(node.op), "?")
        prec = _PREC.get(type(node.op), 3)

        def side(child, right):
            text = _label(sc, child)
            if isinstance(child, ast.BinOp):
                cp = _PREC.get(type(child.op), 3)
                if cp < prec or (right and cp == prec and isinstance(node.op, (ast.Sub, ast.Div))):
                    return f"({text})"
            return text
        return f"{side(node.left, False)} {op} {side(node.right, True)}"
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return MINUS + _label(sc, node.operand)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return f"{node.func.id}({', '.join(_label(sc, a) for a in node.args)})"
    return ast.unparse(node)


def _human(sc: Scenario, node: ast.AST, top: bool = False) -> str:
    if isinstance(node, ast.BoolOp):
        word = " and " if isinstance(node.op, ast.And) else " or "
        parts = [_human(sc, v) for v in node.values]
        s = word.join(parts)
        return s if top or isinstance(node.op, ast.And) else f"({s})"
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return f"not ({_human(sc, node.operand)})"
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        left, op, right = node.left, type(node.ops[0]), node.comparators[0]
        if isinstance(left, ast.Name) and isinstance(right, ast.Constant):
            name, k = left.id, right.value
            if name == "turn":
                return {ast.GtE: f"from turn {k}", ast.Gt: f"after turn {k}", ast.Eq: f"on turn {k}",
                        ast.Lt: f"before turn {k}", ast.LtE: f"up to turn {k}"}.get(op, f"turn {_OPS[op]} {k}")
            if name == "month" and op is ast.Eq and isinstance(k, int) and 1 <= k <= 12:
                return f"in {_MONTHS[k - 1]}"
            if name == "year":
                return f"year {_OPS[op]} {k}"
            if name in sc.slots and sc.slots[name] >= sc.n_meters and isinstance(k, (int, float)):
                lab = sc.labels[sc.slots[name]]
                levels = sc.raw.issues[name].levels
                k = int(k)

                def lv(i: int) -> str:
                    return f"‘{levels[max(0, min(i, len(levels) - 1))]}’"
                if op is ast.GtE:
                    return f"{lab} at {lv(k)}" + ("" if k >= len(levels) - 1 else " or beyond")
                if op is ast.Gt:
                    return f"{lab} beyond {lv(k)}"
                if op is ast.Lt:
                    return f"{lab} below {lv(k)}"
                if op is ast.LtE:
                    return f"{lab} at most {lv(k)}"
                if op is ast.Eq:
                    return f"{lab} at {lv(k)}"
                if op is ast.NotEq:
                    return f"{lab} not at {lv(k)}"
        return f"{_label(sc, left)} {_OPS.get(op, '?')} {_label(sc, right)}"
    if isinstance(node, ast.Compare):
        out = _label(sc, node.left)
        for op, c in zip(node.ops, node.comparators):
            out += f" {_OPS.get(type(op), '?')} {_label(sc, c)}"
        return out
    return _label(sc, node)


def reason_text(sc: Scenario, reason: str) -> str:
    """The engine's reason for a disabled move (a Reason), with conditions put into words."""
    if kind_of(reason) == "needs":
        return "Needs " + humanise(sc, reason.id)
    return str(reason)


def _conjuncts(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
        return [c for v in node.values for c in _conjuncts(v)]
    return [node]


def failing_parts(state: State, viewer: str, text: str) -> list[str]:
    """The parts of a condition (its 'and'-ed clauses) that fail as ``viewer`` sees the position,
    in words: a clause on a hidden meter is judged over the viewer's estimate range, and said to
    fail only when it fails across the whole range, or that it may fail otherwise."""
    import itertools

    from game.engine import view
    from game.scenario.expr import Compiler, ExprError, names_in, parse

    sc = state.scenario
    try:
        tree = parse(text)
    except ExprError:
        return [humanise(sc, text)]
    comp = sc.cache.get("explain.compiler")
    if comp is None:
        comp = sc.cache["explain.compiler"] = Compiler(sc.slots)
    v = view(state, viewer)
    out = []
    for node in _conjuncts(tree):
        try:
            fn = comp.compile(ast.unparse(node))
        except (ExprError, SyntaxError):
            continue
        hidden = [n for n in dict.fromkeys(names_in(node)) if n in v.estimates][:4]
        vals = list(v.state.values)
        results = set()
        for corner in itertools.product(*(v.estimates[n] for n in hidden)):
            for n, x in zip(hidden, corner):
                vals[sc.slots[n]] = x
            results.add(bool(fn(tuple(vals), state.ctx)))
        words = humanise(sc, ast.unparse(node))
        if results == {False}:
            out.append(words)
        elif False in results:
            est = ", ".join(f"{sc.labels[sc.slots[n]]} {fmt_num(a)}–{fmt_num(b)}"
                            for n, (a, b) in ((n, v.estimates[n]) for n in hidden))
            out.append(f"{words} (may not hold: you estimate {est})")
    return out


def disabled_text(state: State, viewer: str, move, reason: str) -> str:
    """Why a unilateral move is not possible, in words the viewer may read: only the failing
    parts of its condition, judged on what the viewer can see."""
    sc = state.scenario
    if kind_of(reason) == "needs" and move.when_text:
        parts = failing_parts(state, viewer, move.when_text)
        if parts:
            return "Needs " + "; ".join(parts)
        return "Not possible now: it turns on something you cannot see exactly"
    return reason_text(sc, reason)


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
    """The causes that moved the meters most (range-normalised), biggest first; drift excluded."""
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
    pts.sort(key=lambda p: -p.weight)
    return pts[:n]


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
