"""The developer console of `union-state play --watch`: a few typed commands to test a scenario fast.

    set METER VALUE        put a meter (or an issue's level) at a value
    fire EVENT [CHOICE]    make an event happen now (with its default choice, or CHOICE)
    jump TURN [PLAYER]     play on to the start of TURN (both sides pass by default; PLAYER may be
                           random, greedy or search), or go back to the start of an earlier TURN
    show [NAME]            print the meters and issues, or one of them
    help                   list the commands

``run(session, line)`` never changes the session it is given: it returns a Result with a new
session and a message for the console. ``set`` and ``fire`` are edits outside the rules: they are
recorded as moves of kind ``"console"`` so that undo and hot reload (which runs them again) keep
working, but a game holding one is no longer replayable from its moves, so it cannot be saved as a
faithful replay (``is_replayable``). ``jump`` plays ordinary moves, so it keeps a game replayable.
"""

from __future__ import annotations

import copy
import random
import shlex
import textwrap

import attrs

from game.engine import (ACT, ANSWER, ANSWER_COUNTER, CHOOSE, PROPOSE, STANDOFF, STANDOFF_PRESS, Move,
                         State, Step, legal_moves, view)
from game.engine.records import Cause
from game.engine.rules import fire_event, set_value
from game.session import Session

KIND = "console"
HELP = textwrap.dedent(__doc__.split("\n\n")[1])
COMMANDS = ("set", "fire", "jump", "show", "help")
JUMP_SPECS = {"search": "search:iterations=8,horizon=1"}  # see _chooser
MAX_JUMP_MOVES = 20_000


@attrs.frozen
class Result:
    session: Session
    message: str
    ok: bool = True


def is_edit(move: Move) -> bool:
    """Whether a move in a session's history is a console edit rather than a move of the game."""
    return move.kind == KIND


def is_replayable(session: Session) -> bool:
    """False once the console has edited the game: its moves alone no longer rebuild it."""
    return not any(is_edit(m) for m in session.moves)


def run(session: Session, line: str) -> Result:
    """Run one console line against a copy of the session."""
    try:
        words = shlex.split(line)
    except ValueError as exc:
        return Result(session, f"Cannot read that: {exc}.", False)
    if not words:
        return Result(session, HELP)
    name, args = words[0].lower(), words[1:]
    handler = _HANDLERS.get(name)
    if handler is None:
        from game.scenario.expr import suggest

        hint = suggest(name, COMMANDS)
        return Result(session, f"No command '{name}'" + (f" ({hint})" if hint else "") +
                      ". Commands: " + ", ".join(COMMANDS) + ".", False)
    return handler(session, args)


def complete(session: Session, text: str) -> list[str]:
    """Completions for what has been typed so far, for a console with Tab completion."""
    words = text.split(" ")
    sc = session.scenario
    if len(words) == 1:
        pool = COMMANDS
    elif words[0] == "set" and len(words) == 2:
        pool = [n for n in sc.names if not _is_derived(sc, n)]
    elif words[0] == "show" and len(words) == 2:
        pool = sc.names
    elif words[0] == "fire" and len(words) == 2:
        pool = [e.id for e in sc.events]
    elif words[0] == "fire" and len(words) == 3 and words[1] in sc.event_by_id:
        pool = [c.id for c in sc.event_by_id[words[1]].choices]
    elif words[0] == "jump" and len(words) == 3:
        pool = ("pass", "random", "greedy", "search")
    else:
        return []
    head = " ".join(words[:-1])
    return [f"{head} {p}".lstrip() for p in pool if p.startswith(words[-1])]


# --- commands ----------------------------------------------------------------------------------

def _help(session: Session, args: list[str]) -> Result:
    return Result(session, HELP)


def _show(session: Session, args: list[str]) -> Result:
    sc = session.scenario
    state = session.state
    names = args or list(sc.names)
    out = []
    for n in names:
        if n not in sc.slots:
            return Result(session, _unknown(sc, n, "meter or issue"), False)
        slot = sc.slots[n]
        v = state.values[slot]
        if sc.is_issue(slot):
            out.append(f"{n} = {int(v)} ({sc.level_name(n, v)})")
        else:
            out.append(f"{n} = {v:g}  [{sc.lo[slot]:g}..{sc.hi[slot]:g}]")
    return Result(session, f"Turn {state.turn}, {state.phase}: " + "; ".join(out))


def _set(session: Session, args: list[str]) -> Result:
    sc = session.scenario
    if len(args) != 2:
        return Result(session, "Usage: set METER VALUE, e.g. set tension 80", False)
    name, raw = args
    if name not in sc.slots:
        return Result(session, _unknown(sc, name, "meter or issue"), False)
    if _is_derived(sc, name):
        return Result(session, f"'{name}' is worked out from a formula; set the meters it reads instead.", False)
    slot = sc.slots[name]
    value = _number(raw)
    if value is None and sc.is_issue(slot):
        levels = [lv.lower() for lv in sc.raw.issues[name].levels]
        value = float(levels.index(raw.lower())) if raw.lower() in levels else None
    if value is None:
        return Result(session, f"'{raw}' is not a number.", False)
    state = session.state
    if state.is_over:
        return Result(session, "The game is over; go back with 'jump TURN' first.", False)
    lo, hi = sc.lo[slot], sc.hi[slot]
    note = ""
    if not lo <= value <= hi:
        note = f" (kept inside its range {lo:g}..{hi:g})"
        value = min(max(value, lo), hi)
    if sc.is_issue(slot):
        value = float(round(value))
    step = set_value(state, name, value, Cause("console", name, f"Console: set {name} to {value:g}"))
    new = _record(session, step, f"set {name} {value:g}")
    return Result(new, f"{name} is now {new.state.values[slot]:g}{note}.")


def _fire(session: Session, args: list[str]) -> Result:
    sc = session.scenario
    if not 1 <= len(args) <= 2:
        return Result(session, "Usage: fire EVENT [CHOICE], e.g. fire spring_flood", False)
    ev = sc.event_by_id.get(args[0])
    if ev is None:
        return Result(session, _unknown(sc, args[0], "event"), False)
    state = session.state
    if state.is_over:
        return Result(session, "The game is over; go back with 'jump TURN' first.", False)
    choice = None
    if ev.choices:
        cid = args[1] if len(args) == 2 else ev.choices[ev.default].id
        choice = next((c for c in ev.choices if c.id == cid), None)
        if choice is None:
            return Result(session, f"Event '{ev.id}' has no choice '{cid}'; its choices: " +
                          ", ".join(c.id for c in ev.choices) + ".", False)
    elif len(args) == 2:
        return Result(session, f"Event '{ev.id}' has no choices.", False)
    step = fire_event(state, ev.id, choice.id if choice is not None else None)
    new = _record(session, step, "fire " + " ".join([ev.id] + ([choice.id] if choice else [])))
    changes = ", ".join(f"{c.meter} {c.delta:+g}" for c in step.changes) or "no change"
    return Result(new, f"Fired '{ev.title}'" + (f" ({choice.label})" if choice else "") + f": {changes}.")


def _jump(session: Session, args: list[str]) -> Result:
    sc = session.scenario
    if not 1 <= len(args) <= 2 or _number(args[0]) is None:
        return Result(session, "Usage: jump TURN [pass|random|greedy|search], e.g. jump 6", False)
    target = int(_number(args[0]))
    player = args[1].lower() if len(args) == 2 else "pass"
    if not 1 <= target <= sc.turns:
        return Result(session, f"Turn {target} does not exist; turns run from 1 to {sc.turns}.", False)
    now = session.state.turn
    if target < now or (target == now and session.state.is_over):
        k = next(i for i, st in enumerate(session.steps) if st.state.turn == target)
        new = _clone(session)
        undone = len(new.moves) - k
        del new.steps[k + 1:]
        del new.moves[k:]
        return Result(new, f"Back to the start of turn {target} ({undone} move{'s' * (undone != 1)} undone).")
    if target == now:
        return Result(session, f"Already on turn {target}.")
    try:
        choose = _chooser(session, player)
    except ValueError as exc:
        return Result(session, str(exc), False)
    new = _clone(session)
    played = 0
    while new.state.turn < target and not new.state.is_over:
        state = new.state
        new.apply(choose(state, legal_moves(state)))
        played += 1
        if played > MAX_JUMP_MOVES:
            return Result(new, f"Stopped after {played:,} moves on turn {new.state.turn}: the game does not advance.",
                          False)
    if new.state.is_over:
        o = new.outcome
        return Result(new, f"The game ended on turn {o.turn} before turn {target}: {o.title}.")
    return Result(new, f"On turn {target} after {played} move{'s' * (played != 1)} ({player}).")


_HANDLERS = {"help": _help, "?": _help, "show": _show, "set": _set, "fire": _fire, "jump": _jump}


# --- helpers -----------------------------------------------------------------------------------

def _clone(session: Session) -> Session:
    new = copy.copy(session)
    new.steps = list(session.steps)
    new.moves = list(session.moves)
    return new


def _record(session: Session, step: Step, text: str) -> Session:
    """A copy of the session with an edited state appended as a console move."""
    new = _clone(session)
    state: State = step.state
    actor = state.actor_id or session.scenario.players[0]
    new.steps.append(step)
    new.moves.append(Move(KIND, actor, text))
    return new


def _pass_through(state: State, legal: list[Move]) -> Move:
    """The move that changes least: pass, no deal, reject, stand firm, back down, default choice."""
    prefer = {ACT: "pass", PROPOSE: "no_deal", ANSWER: "reject", ANSWER_COUNTER: "reject",
              STANDOFF: "stand_firm", STANDOFF_PRESS: "back_down"}.get(state.phase)
    if state.phase == CHOOSE:
        ev = state.scenario.events[state.pending_event]
        default = ev.choices[ev.default].id
        return next((m for m in legal if m.ref == default), legal[0])
    return next((m for m in legal if m.kind == prefer), legal[0])


def _chooser(session: Session, player: str):
    if player == "pass":
        return _pass_through
    try:
        from game.ai import make_policy
    except ImportError:
        raise ValueError("The computer players are not installed; use 'jump TURN' to pass through.") from None
    sc = session.scenario
    try:
        # The console plays on the interface's thread: a quick search is enough to move on.
        spec = JUMP_SPECS.get(player, player)
        policies = [make_policy(spec, sc, a, seed=session.seed) for a in sc.players]
    except ValueError as exc:
        raise ValueError(f"{exc}.") from None
    rng = random.Random(session.seed * 7919 + len(session.moves))

    from game.ai.policy import tell

    for i, m in enumerate(session.moves):  # the players learn the game so far
        tell(policies, session.steps[i].state, m)

    def choose(state: State, legal: list[Move]) -> Move:
        move = policies[state.actor].choose(view(state, sc.players[state.actor]), legal, rng)
        tell(policies, state, move)
        return move

    return choose


def _is_derived(sc, name: str) -> bool:
    met = sc.raw.meters.get(name)
    return bool(met and met.formula)


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _unknown(sc, name: str, what: str) -> str:
    from game.scenario.expr import suggest

    pool = [e.id for e in sc.events] if what == "event" else list(sc.names)
    hint = suggest(name, pool)
    return f"No {what} '{name}'" + (f" ({hint})" if hint else "") + "."
