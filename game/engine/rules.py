"""The rules: start a game, list legal moves, apply a move. Pure functions over immutable state."""

from __future__ import annotations

import itertools
import operator


from game.engine.deals import DealMoves
from game.engine.records import DRIFT, NONE, START, Cause, Reason, fired
from game.engine.state import (ACT, ANSWER, ANSWER_COUNTER, CHOOSE, OVER, PROPOSE, STANDOFF,
                               STANDOFF_PRESS, Change, IllegalMove, Move, State, Step)
from game.scenario.model import CEffects, CEvent, CMove, CTerm, Scenario

_MASK = (1 << 64) - 1


def roll(seed: int, turn: int, salt: int) -> float:
    """A uniform number in [0, 1) from (seed, turn, salt): splitmix64, so replays reproduce."""
    z = (seed * 0x9E3779B97F4A7C15 + turn * 0xBF58476D1CE4E5B9 + salt * 0x94D049BB133111EB + 1) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    z ^= z >> 31
    return (z >> 11) / float(1 << 53)


_PHASE_KINDS = {
    CHOOSE: ("choose",),
    STANDOFF: ("concede", "stand_firm"),
    STANDOFF_PRESS: ("press", "back_down"),
    PROPOSE: ("propose", "no_deal"),
    ANSWER: ("accept", "reject", "counter"),
    ANSWER_COUNTER: ("accept", "reject"),
    ACT: ("unilateral", "pass"),
}
_PHASE_TEXT = {
    CHOOSE: "choose how to respond to an event",
    STANDOFF: "give way or stand firm in the standoff",
    STANDOFF_PRESS: "press the demand or back down",
    PROPOSE: "table a deal or decline",
    ANSWER: "accept, reject or counter the deal",
    ANSWER_COUNTER: "accept or reject the counter-offer",
    ACT: "take a unilateral move or pass",
}


class _Work:
    """A mutable copy of a state while one move is applied; frozen again by ``freeze``.

    ``scenario``, ``values`` (here a list), ``ctx`` and the decision fields have a State's names,
    so ``_legal`` and ``_reason`` read either.

    With ``record`` false no Change records are made and cause texts are not built (previews
    and headless play, which never read them)."""

    __slots__ = ("scenario", "s", "values", "turn", "phase", "actor", "initiative", "ready", "event_ready",
                 "cursor", "pending_event", "deal", "standoff", "round", "ledger", "acted", "ending",
                 "winner", "deal_log", "changes", "fired", "record", "fresh", "ctx", "rolled")

    def __init__(self, s: State, record: bool = True):
        self.scenario = s.scenario
        self.s = s
        self.values = list(s.values)
        self.turn = s.turn
        self.phase = s.phase
        self.actor = s.actor
        self.initiative = s.initiative
        self.ready = s.ready
        self.event_ready = s.event_ready
        self.cursor = s.event_cursor
        self.pending_event = s.pending_event
        self.deal = s.deal
        self.standoff = s.standoff
        self.round = s.standoff_round
        self.ledger = s.ledger
        self.acted = s.acted
        self.ending = s.ending
        self.winner = s.winner
        self.deal_log = s.deal_log
        self.changes: list[Change] = []
        self.fired: list[str] = []  # Fired records
        self.record = record
        # Whether the derived meters are known to equal their formulas over the current values
        # (see ``derive``). Unknown for a state from outside: it may hold estimates (a view).
        self.fresh = False
        self.ctx = self.scenario.ctx(self.turn, self.round)  # the expression context; see set_round
        self.rolled = False  # whether the dice (the seed) were used; see ``start``

    def set_round(self, round_: int) -> None:
        """Change the standoff round; the turn and round only change here and in end_turn,
        which keep the expression context ``ctx`` in step with them."""
        self.round = round_
        self.ctx = self.scenario.ctx(self.turn, round_)

    def state(self) -> State:
        return State(self.scenario, self.s.seed, self.turn, self.phase, self.actor, self.initiative,
                     tuple(self.values), self.ready, self.event_ready, self.cursor, self.pending_event,
                     self.deal, self.standoff, self.round, self.ledger, self.acted, self.ending,
                     self.winner, self.deal_log)

    def freeze(self) -> Step:
        return Step(self.state(), tuple(self.changes), tuple(self.fired))

    # --- effects -------------------------------------------------------------------------------
    def effects(self, effs: CEffects, cause: Cause, scale: float = 1.0, cascade: bool = True) -> None:
        """Apply effects, all amounts computed from the values before any of them."""
        if not effs:
            return
        sc = self.scenario
        v = self.values
        c = self.ctx
        hit = sc.fused_effects.get(id(effs))
        if hit is not None and hit[0] is effs:  # one of the scenario's own: one fused call
            slots, amounts = hit[1], hit[2](v, c)
        else:  # effects made elsewhere (say by a policy)
            slots = _plan(sc).slots_of(effs)
            vt = tuple(v)
            amounts = [fn(vt, c) for _, fn in effs]
        moved_issues = None
        for (slot, low, high, issue, feeds), amount in zip(slots, amounts):
            amount = amount * scale
            if not amount:
                continue
            before = v[slot]
            after = before + amount
            if issue:
                after = float(round(after))
            after = low if after < low else high if after > high else after
            if after != before:
                v[slot] = after
                if self.record:
                    self.changes.append(Change(sc.names[slot], before, after, cause, self.turn))
                if feeds:  # a derived meter reads (or is) this slot: recompute them next
                    self.fresh = False
                if issue:
                    if moved_issues is None:
                        moved_issues = []
                    moved_issues.append((slot, int(before), int(after)))
        if moved_issues:
            for slot, before, after in moved_issues:
                self._issue_moved(slot, before, after, cascade)
        if not self.fresh:
            self.derive(cause, c)

    def _issue_moved(self, slot: int, before: int, after: int, cascade: bool) -> None:
        sc = self.scenario
        if after > before and cascade:
            table = sc.on_level.get(slot)
            if table:
                for level in range(before + 1, after + 1):
                    effs = table.get(level)
                    if effs:
                        cause = (Cause("level", f"{sc.names[slot]}:{level}",
                                       f"{sc.labels[slot]}: {sc.level_name(sc.names[slot], level)}")
                                 if self.record else NONE)
                        self.effects(effs, cause, cascade=False)
        for lg in sc.ledgers_of.get(slot, ()):
            state = self.ledger[lg.index]
            new = state
            if after >= lg.delivered and state >= 0 and state != -2:
                new = -2
            elif after >= lg.promised and state == -1:
                new = self.turn if after < lg.delivered else -2
            if new != state:
                led = list(self.ledger)
                led[lg.index] = new
                self.ledger = tuple(led)

    def derive(self, cause: Cause, c: tuple | None = None) -> None:
        """Recompute derived meters, in order (``c``: the context, when the caller has it).

        Afterwards they equal their formulas, so ``fresh`` is set when the scenario knows what
        they read (``Scenario.derived_inputs``): until one of those slots changes, recomputing
        would change nothing, and callers may skip it. A formula that reads the context leaves
        ``fresh`` false, so derive then always runs, as it did before this shortcut."""
        sc = self.scenario
        derived = sc.derived
        if not derived:
            return
        self.fresh = sc.derived_inputs is not None
        if c is None:
            c = self.ctx
        v = self.values
        fused = sc.derived_amounts
        if fused is not None:  # no formula reads another: all from the same values
            values = fused(v, c)
        else:
            values = None
        for k, (slot, fn) in enumerate(derived):
            after = values[k] if values is not None else fn(tuple(v), c)
            lo, hi = sc.lo[slot], sc.hi[slot]
            after = lo if after < lo else hi if after > hi else after
            before = v[slot]
            if after != before:
                if after != after:  # NaN: never equal to itself, so it is never "unchanged"
                    self.fresh = False
                v[slot] = after
                if self.record:
                    self.changes.append(Change(sc.names[slot], before, after, cause, self.turn))

    # --- automatic phases --------------------------------------------------------------------
    def run_events(self) -> None:
        """Check events from the cursor on; stop at one that asks for a choice.

        The conditions of every event are checked at once (a fused function) until the first
        event fires; after that, as each firing changes the values, each later event's own
        condition is checked when the cursor reaches it, so a turn costs one pass, however many
        events fire. An event whose choices are all unavailable to its actor takes its default
        choice at once, so the game never waits on a decision nobody can make."""
        sc = self.scenario
        n = len(sc.events)
        turn = self.turn
        ctx = self.ctx
        er = self.event_ready
        flags = sc.event_flags(self.values, ctx)  # valid until an event fires
        fresh = True
        i = self.cursor
        while i < n:
            if fresh:
                nxt = next((j for j in itertools.compress(range(i, n), flags[i:]) if 0 <= er[j] <= turn), n)
                if nxt >= n:
                    break
                i = nxt
            else:
                ev = sc.events[i]
                if not (0 <= er[i] <= turn and (ev.when is None or ev.when(tuple(self.values), ctx))):
                    i += 1
                    continue
            self.cursor = i
            ev = sc.events[i]
            if ev.chance < 1.0:
                self.rolled = True
                if roll(self.s.seed, turn, 1000 + ev.index) >= ev.chance:
                    i += 1
                    continue
            ready = list(er)
            ready[ev.index] = (turn + max(1, ev.cooldown + 1)) if ev.repeat else -1
            self.event_ready = er = tuple(ready)
            self.fired.append(fired("event", ev.id))
            self.effects(ev.effects, Cause("event", ev.id, ev.title) if self.record else NONE)
            fresh = False
            if ev.choices:
                vt = tuple(self.values)
                if any(ch.when is None or ch.when(vt, ctx) for ch in ev.choices):
                    self.phase = CHOOSE
                    self.actor = ev.actor
                    self.pending_event = ev.index
                    return
                ch = ev.choices[ev.default]  # nobody can choose: the default is taken
                self.effects(ch.effects, Cause("choice", f"{ev.id}:{ch.id}", f"{ev.title}: {ch.label}")
                             if self.record else NONE)
            i += 1
        self.cursor = n
        self.start_diplomacy()

    def start_diplomacy(self) -> None:
        if self.standoff >= 0:
            self.phase = STANDOFF
            self.actor = self.scenario.standoffs[self.standoff].target
        else:
            self.phase = PROPOSE
            self.actor = self.initiative

    def start_moves(self) -> None:
        self.phase = ACT
        self.actor = self.initiative
        self.acted = 0

    def after_move(self) -> None:
        self.acted += 1
        if self.acted < 2:
            self.actor = 1 - self.initiative
            return
        self.end_turn()

    def end_turn(self) -> None:
        sc = self.scenario
        v = self.values
        c = self.ctx
        if sc.drift:
            slots, drift = sc.drift_amounts
            for (slot, lo, hi, _, feeds), amount in zip(slots, drift(v, c)):
                if amount:
                    before = v[slot]
                    after = before + amount
                    after = lo if lo > after else after  # min(max(after, lo), hi), exactly
                    after = hi if hi < after else after
                    if after != before:
                        v[slot] = after
                        if self.record:
                            self.changes.append(Change(sc.names[slot], before, after, DRIFT, self.turn))
                        if feeds:
                            self.fresh = False
            if not self.fresh:
                self.derive(DRIFT, c)
        for lg in (sc.ledgers if self.ledger and max(self.ledger) > 0 else ()):  # any promise open
            t = self.ledger[lg.index]
            if t > 0 and self.turn - t >= lg.within:
                led = list(self.ledger)
                led[lg.index] = -3
                self.ledger = tuple(led)
                self.fired.append(fired("broken", lg.issue))
                self.effects(lg.on_broken, Cause("ledger", lg.issue, f"Promise broken: {sc.labels[lg.slot]}")
                             if self.record else NONE)
        e = sc.sudden_ending(v, c)
        if e >= 0:
            self.finish(e, sc.endings[e].winner)
            return
        if self.turn >= sc.turns:
            vt = tuple(v)
            for en in sc.endings:
                if en.timeout and en.when(vt, c):
                    self.finish(en.index, en.winner)
                    return
            a, b = scores_of(sc, vt, -1)
            self.finish(-2, -1 if abs(a - b) <= 2 else (0 if a > b else 1))
            return
        self.turn += 1
        self.ctx = sc.ctx(self.turn, self.round)
        self.initiative = 1 - self.initiative
        self.cursor = 0
        self.run_events()

    def finish(self, ending: int, winner: int) -> None:
        self.ending = ending
        self.winner = winner
        self.phase = OVER
        self.actor = -1
        self.fired.append(fired("ending", self.scenario.endings[ending].id if ending >= 0 else "score"))

    def close_standoff(self) -> None:
        self.standoff = -1
        self.set_round(0)


class Headless(_Work):
    """One game played in place, for batch runners that need no State between moves.

    It runs the same rules code as ``apply`` (``_play``) and lists moves with the same code as
    ``legal_moves``, and checks every move with the same code as ``illegal_reason`` (raising
    IllegalMove), but keeps one mutable position instead of making a State and Step per move,
    and makes no change records. ``fired`` collects every step's fired list in order;
    ``state()`` freezes the position whenever a State is wanted (a view, the outcome).
    """

    __slots__ = ()

    def __init__(self, state: State):
        super().__init__(state, record=False)

    def legal(self) -> list[Move]:
        return _legal(self) if self.phase != OVER else []

    def play(self, move: Move) -> None:
        reason = _reason(self, move) if self.phase != OVER else "The game is over."
        if reason:
            raise IllegalMove(reason)
        _play(self, move)


# --- public API --------------------------------------------------------------------------------

def start(scenario: Scenario, seed: int, *, record: bool = True) -> Step:
    """Begin a game: turn 1's events run until the first decision. Returns the first step
    (with ``record=False`` its ``changes`` are left empty)."""
    sc = scenario
    # The seed only enters through the dice of chance events. When turn 1 needed none, the
    # first step is the same for every seed but for the state's seed field: it is memoised.
    memo = sc.cache.get(("start", record))
    if memo is not None and memo[0] is sc:  # not a cache dict copied along by attrs.evolve
        step = memo[1]
        return Step(step.state.but(seed=int(seed)), step.changes, step.fired)
    base = State(sc, int(seed), 1, "events", -1, 0, sc.start, (0,) * len(sc.moves),
                 (0,) * len(sc.events), 0, ledger=(-1,) * len(sc.ledgers))
    w = _Work(base, record)
    w.derive(START)
    w.changes.clear()
    for lg in sc.ledgers:  # issues that start at or past their promise
        lvl = w.values[lg.slot]
        if lvl >= lg.delivered:
            led = list(w.ledger)
            led[lg.index] = -2
            w.ledger = tuple(led)
    w.run_events()
    step = w.freeze()
    if not w.rolled:
        sc.cache[("start", record)] = (sc, step)
    return step


def new_game(scenario: Scenario, seed: int) -> State:
    return start(scenario, seed).state


def move_reason(state: State, m: CMove) -> Reason | None:
    """Why a unilateral move is unavailable now, or None when it may be taken."""
    return _move_reason(state.scenario, state.values, state.ctx, state.turn, state.ready,
                        state.standoff, m)


def _move_reason(sc: Scenario, values, ctx, turn: int, ready: tuple, standoff: int,
                 m: CMove) -> Reason | None:
    r = ready[m.index]
    if r < 0:
        return Reason("used", "", "Already used (once a game)")
    if r > turn:
        n = r - turn
        return Reason("cooldown", str(n), f"Available again in {n} turn{'s' if n > 1 else ''}")
    if m.opens >= 0 and standoff >= 0:
        return Reason("standoff", "", "A standoff is already under way")
    if m.when is not None and not m.when(tuple(values), ctx):
        return Reason("needs", m.when_text, f"Needs {m.when_text}")
    for slot, amount in m.cost:
        have = values[slot]
        if have - amount < sc.lo[slot]:
            return Reason("cost", sc.names[slot], f"Costs {amount:g} {sc.labels[slot]}; there is {have:g}")
    return None


def term_available(state: State, t: CTerm) -> bool:
    return t.when is None or bool(t.when(state.values, state.ctx))


def _deal_reason(sc: Scenario, values, ctx, terms: tuple[str, ...]) -> str | None:
    if not terms:
        return "A deal needs at least one term"
    if len(terms) > sc.deal_max_terms:
        return f"A deal holds at most {sc.deal_max_terms} terms"
    if len(set(terms)) != len(terms):
        return "A term appears twice in the deal"
    vt = tuple(values)
    for tid in terms:
        t = sc.term_by_id.get(tid)
        if t is None:
            return f"There is no term '{tid}'"
        if t.when is not None and not t.when(vt, ctx):
            return f"'{t.name}' is not on offer now"
    return None


def illegal_reason(state: State, move: Move) -> str | None:
    """Why a move is illegal, in words for the player; None when it is legal."""
    if state.phase == OVER:
        return "The game is over."
    return _reason(state, move)


def _reason(pos: State | _Work, move: Move) -> str | None:
    """``illegal_reason`` for a position that is not over: a State or a Headless game (``values``
    may be a list there; a single expression function is always given a tuple)."""
    sc = pos.scenario
    actor = pos.actor
    phase = pos.phase
    if actor < 0 or move.actor != sc.players[actor]:
        if move.actor not in sc.players:
            return f"There is no side called '{move.actor}'."
        who = sc.actor(actor).name
        return f"It is {who}'s turn to {_PHASE_TEXT.get(phase, 'decide')}."
    k = move.kind
    if k not in _PHASE_KINDS[phase]:
        return f"Now is the time to {_PHASE_TEXT[phase]}, not '{k}'."
    if k == "propose" or k == "counter":
        reason = _deal_reason(sc, pos.values, pos.ctx, move.terms)
        if reason is None and k == "counter" and {sc.term_by_id[t].index for t in move.terms} == set(pos.deal):
            return "That package is already on the table: accept it, or change a term."
        return reason
    if k == "unilateral":
        m = sc.move_by_id.get(move.ref)
        if m is None:
            return f"There is no move '{move.ref}'."
        if m.by != actor:
            return f"'{m.name}' belongs to {sc.actor(m.by).name}."
        reason = _move_reason(sc, pos.values, pos.ctx, pos.turn, pos.ready, pos.standoff, m)
        return f"'{m.name}' is not possible: {reason}." if reason else None
    if k == "choose":
        ev = sc.events[pos.pending_event]
        for ch in ev.choices:
            if ch.id == move.ref:
                if ch.when is not None and not ch.when(tuple(pos.values), pos.ctx):
                    return f"'{ch.label}' is not possible now."
                return None
        return f"'{move.ref}' is not one of the choices."
    return None


def apply(state: State, move: Move, *, record: bool = True) -> Step:
    """Apply one move; raise IllegalMove with a readable reason if the rules forbid it.

    With ``record=False`` the step's ``changes`` are left empty (nothing else differs)."""
    reason = illegal_reason(state, move)
    if reason:
        raise IllegalMove(reason)
    w = _Work(state, record)
    _play(w, move)
    return w.freeze()


def _play(w: _Work, move: Move) -> None:
    """Apply a legal move to a position in place: the rules of every move."""
    sc = w.scenario
    rec = w.record
    me = sc.actor(w.actor).name if rec else ""
    k = move.kind
    if k == "unilateral":
        m = sc.move_by_id[move.ref]
        if m.cost:
            w.effects(sc.move_costs[m.index], Cause("cost", m.id, f"{me}: {m.name} (cost)") if rec else NONE)
        w.effects(m.effects, Cause("move", m.id, f"{me}: {m.name}") if rec else NONE)
        ready = list(w.ready)
        ready[m.index] = -1 if m.once else w.turn + m.cooldown + 1
        w.ready = tuple(ready)
        if m.opens >= 0:
            w.standoff = m.opens
            w.set_round(1)
            w.fired.append(fired("standoff_opened", sc.standoffs[m.opens].id))
        w.after_move()
    elif k == "pass":
        w.after_move()
    elif k == "propose":
        w.deal = tuple(sc.term_by_id[t].index for t in move.terms)
        w.phase = ANSWER
        w.actor = 1 - w.actor
    elif k == "no_deal":
        w.start_moves()
    elif k == "accept":
        for ti in w.deal:
            t = sc.terms[ti]
            w.effects(t.effects, Cause("term", t.id, f"Deal: {t.name}") if rec else NONE)
        w.deal_log = w.deal_log + ((w.turn, "accepted"),)
        w.fired.append(fired("deal", "accepted"))
        w.deal = ()
        w.start_moves()
    elif k == "reject":
        w.deal_log = w.deal_log + ((w.turn, "rejected"),)
        w.fired.append(fired("deal", "rejected"))
        w.deal = ()
        w.start_moves()
    elif k == "counter":
        w.deal = tuple(sc.term_by_id[t].index for t in move.terms)
        w.phase = ANSWER_COUNTER
        w.actor = 1 - w.actor
    elif k == "choose":
        ev = sc.events[w.pending_event]
        ch = next(c for c in ev.choices if c.id == move.ref)
        w.effects(ch.effects, Cause("choice", f"{ev.id}:{ch.id}", f"{ev.title}: {ch.label}") if rec else NONE)
        w.pending_event = -1
        w.cursor += 1
        w.phase = "events"
        w.run_events()
    elif k == "concede":
        so = sc.standoffs[w.standoff]
        w.effects(so.concede, Cause("standoff", f"{so.id}:conceded", f"{me} gives way: {so.name}") if rec else NONE)
        w.fired.append(fired("standoff", "conceded"))
        w.close_standoff()
        w.start_diplomacy()
    elif k == "stand_firm":
        w.phase = STANDOFF_PRESS
        w.actor = sc.standoffs[w.standoff].by
        w.fired.append(fired("standoff", "firm"))
    elif k == "press":
        so = sc.standoffs[w.standoff]
        w.effects(so.press, Cause("standoff", f"{so.id}:pressed", f"{me} presses: {so.name}") if rec else NONE)
        w.fired.append(fired("standoff", "pressed"))
        if so.rupture is not None and so.rupture(tuple(w.values), w.ctx):
            w.effects(so.rupture_effects, Cause("standoff", f"{so.id}:rupture", f"Rupture: {so.name}") if rec else NONE)
            w.fired.append(fired("standoff", "rupture"))
            w.close_standoff()
        elif w.round >= so.rounds:
            w.set_round(w.round + 1)
            w.effects(so.back_down, Cause("standoff", f"{so.id}:lapsed", f"{so.name} lapses") if rec else NONE,
                      scale=w.round)
            w.fired.append(fired("standoff", "lapsed"))
            w.close_standoff()
        else:
            w.set_round(w.round + 1)
        _to_propose(w)
    elif k == "back_down":
        so = sc.standoffs[w.standoff]
        w.effects(so.back_down, Cause("standoff", f"{so.id}:backed_down", f"{me} backs down: {so.name}")
                  if rec else NONE, scale=w.round)
        w.fired.append(fired("standoff", "backed_down"))
        w.close_standoff()
        w.start_diplomacy()


def set_value(state: State, name: str, value: float, cause: Cause | None = None) -> Step:
    """An author's edit: ``name`` (a meter with a start value, or an issue) set to ``value``, kept
    inside its range (an issue's to a whole level), with the level effects, ledger clocks and
    derived meters that follow, as any change would. Nothing else happens: no turn passes and
    the phase is unchanged. Raises ValueError for a name that cannot be set."""
    sc = state.scenario
    slot = sc.slots.get(name)
    if slot is None or slot in {s for s, _ in sc.derived}:
        raise ValueError(f"'{name}' is not a meter or issue that can be set")
    value = min(max(float(value), sc.lo[slot]), sc.hi[slot])
    if sc.is_issue(slot):
        value = float(round(value))
    delta = value - state.values[slot]
    w = _Work(state)
    w.effects(((slot, lambda v, c, d=delta: d),), cause or Cause("console", name, f"Set {name} to {value:g}"))
    return w.freeze()


def fire_event(state: State, event_id: str, choice_id: str | None = None) -> Step:
    """An author's edit: the event fires now, as if its trigger held, with its effects and, when
    it has choices, those of ``choice_id`` (default: its default choice); it is then used up or
    cooling down as after any firing. Play does not stop for a choice and no other event is
    checked. Raises ValueError for an unknown event or choice."""
    sc = state.scenario
    ev = sc.event_by_id.get(event_id)
    if ev is None:
        raise ValueError(f"there is no event '{event_id}'")
    choice = None
    if ev.choices:
        cid = choice_id if choice_id is not None else ev.choices[ev.default].id
        choice = next((c for c in ev.choices if c.id == cid), None)
        if choice is None:
            raise ValueError(f"event '{ev.id}' has no choice '{cid}'")
    elif choice_id is not None:
        raise ValueError(f"event '{ev.id}' has no choices")
    w = _Work(state)
    w.fired.append(fired("event", ev.id))
    w.effects(ev.effects, Cause("event", ev.id, ev.title))
    if choice is not None:
        w.effects(choice.effects, Cause("choice", f"{ev.id}:{choice.id}", f"{ev.title}: {choice.label}"))
    ready = list(w.event_ready)
    ready[ev.index] = (state.turn + max(1, ev.cooldown + 1)) if ev.repeat else -1
    w.event_ready = tuple(ready)
    return w.freeze()


def preview(state: State, *effects: tuple[CEffects, float]) -> list[float]:
    """The values after applying effects in order, each given as (effects, scale), with the
    engine's own clamping, level cascades and derived meters; nothing else happens (no events,
    no drift, no turn change). For policies and the interface's projections."""
    w = _Work.__new__(_Work)  # only what effects read: no copy of the rest of the state
    w.scenario = state.scenario
    w.values = list(state.values)
    w.turn = state.turn
    w.round = state.standoff_round
    w.ctx = state.ctx
    w.ledger = state.ledger
    w.record = False
    w.fresh = _plan(w.scenario).derived_fresh(state.values, w.ctx)
    for effs, scale in effects:
        if effs:
            w.effects(effs, NONE, scale)
    return w.values


def _to_propose(w: _Work) -> None:
    w.phase = PROPOSE
    w.actor = w.initiative


def legal_moves(state: State, actor: str | None = None) -> list[Move]:
    """The moves the deciding actor may make now ([] for anyone else).

    In a deal phase this is a ``DealMoves``: a lazy sequence of every package of 1 to
    ``deal_max_terms`` available terms (see ``game.engine.deals``); otherwise a new list.
    """
    if state.phase == OVER:
        return []
    sc = state.scenario
    if actor is not None and actor != sc.players[state.actor]:
        return []
    return _legal(state)


class _Plan:
    """Per-scenario move tables, kept in ``sc.cache["plan"]`` and built on first use.

    Moves are plain immutable values, so one Move object per (kind, actor, ref) serves every
    position and game; legal_moves still returns a new list each call outside deal phases, so
    callers may change theirs (deal phases give a read-only ``DealMoves``). Nothing here depends
    on a position, only on the scenario, except two memos, each bounded (cleared when it
    reaches ``LIMIT`` keys):

    - ``foreign``: ``Scenario.effect_slots`` of effects tuples made outside the scenario;
    - ``fresh``: whether a State's values hold up-to-date derived meters (``derived_fresh``).
    The last two are keyed by ``id`` and keep the keyed object in the entry, checked with
    ``is``, so an id cannot be reused while its entry exists.
    """

    LIMIT = 4096
    __slots__ = ("sc", "acts", "passes", "fixed", "choices", "layouts", "foreign", "fresh")

    def __init__(self, sc: Scenario):
        self.sc = sc
        players = sc.players
        self.acts = tuple(tuple((m.index, m.opens >= 0, Move("unilateral", players[a], m.id))
                                for m in sc.act_flags[a][0]) for a in range(len(players)))
        self.passes = tuple(Move("pass", p) for p in players)
        self.fixed = {}
        for phase, kinds in ((ANSWER_COUNTER, ("accept", "reject")), (STANDOFF, ("concede", "stand_firm")),
                             (STANDOFF_PRESS, ("press", "back_down")), (PROPOSE, ("no_deal",)),
                             (ANSWER, ("accept", "reject"))):
            for a, p in enumerate(players):
                self.fixed[phase, a] = tuple(Move(k, p) for k in kinds)
        self.choices = {}
        self.layouts = {}
        self.foreign = {}
        self.fresh = {}

    def slots_of(self, effs: CEffects) -> tuple:
        """``Scenario.effect_slots`` of effects the scenario does not hold (a policy's own)."""
        hit = self.foreign.get(id(effs))
        if hit is None or hit[0] is not effs:
            if len(self.foreign) >= self.LIMIT:
                self.foreign.clear()
            hit = self.foreign[id(effs)] = (effs, self.sc.effect_slots(effs))
        return hit[1]

    def derived_fresh(self, values: tuple, ctx: tuple) -> bool:
        """Whether recomputing the derived meters would change nothing in ``values`` (a
        State's tuple): true for the engine's own states, maybe not for a view's estimates or
        a policy's imagined world. Found by running ``derive`` on a copy, memoised as previews
        come many to a state; only claimed when the derived meters depend on values alone
        (``Scenario.derived_inputs``), so the context cannot make it stale."""
        sc = self.sc
        if sc.derived_inputs is None or not sc.derived:
            return False
        hit = self.fresh.get(id(values))
        if hit is None or hit[0] is not values:
            w = _Work.__new__(_Work)
            w.scenario = sc
            w.values = list(values)
            w.record = False
            w.fresh = False
            w.derive(NONE, ctx)
            if len(self.fresh) >= self.LIMIT:
                self.fresh.clear()
            hit = self.fresh[id(values)] = (values, w.fresh and w.values == list(values))
        return hit[1]

    def choice_moves(self, ev: CEvent, actor: int) -> tuple:
        key = (ev.index, actor)
        hit = self.choices.get(key)
        if hit is None:
            me = self.sc.players[actor]
            hit = self.choices[key] = tuple((ch.when, Move("choose", me, ch.id)) for ch in ev.choices)
        return hit

    def layout(self, phase: str, actor: int) -> tuple:
        """How the deal moves of a phase are listed for ``actor``: (the phase's fixed moves, the
        move kind, the actor's id, a pick of the terms' availability in listing order, the
        terms' ids in that order). The actor's own terms come first, then the other side's."""
        key = (phase, actor)
        hit = self.layouts.get(key)
        if hit is None:
            sc = self.sc
            order = [t for t in sc.terms if t.by == actor] + [t for t in sc.terms if t.by != actor]
            hit = self.layouts[key] = (
                self.fixed[phase, actor], "propose" if phase == PROPOSE else "counter",
                sc.players[actor], _pick([t.index for t in order]), tuple(t.id for t in order))
        return hit

    def deal_list(self, phase: str, actor: int, avail: tuple, table: tuple) -> DealMoves:
        """The fixed moves of the phase, then every package of 1 to ``deal_max_terms`` available
        terms, leaving out the package on the ``table`` (see ``game.engine.deals``)."""
        fixed, kind, me, pick, ids = self.layouts.get((phase, actor)) or self.layout(phase, actor)
        ok = tuple(itertools.compress(ids, pick(avail)))
        sc = self.sc
        return DealMoves(fixed, ok, kind, me, sc.deal_max_terms,
                         frozenset(sc.terms[i].id for i in table))


def _pick(indices: list[int]):
    """A function seq -> tuple(seq[i] for i in indices), as ``operator.itemgetter`` when it can."""
    if len(indices) >= 2:
        return operator.itemgetter(*indices)
    if len(indices) == 1:
        i = indices[0]
        return lambda seq: (seq[i],)
    return lambda seq: ()


def _plan(sc: Scenario) -> _Plan:
    plan = sc.cache.get("plan")
    if plan is None or plan.sc is not sc:  # a cache dict copied along by attrs.evolve
        plan = sc.cache["plan"] = _Plan(sc)
    return plan


def _legal(pos: State | _Work) -> list[Move]:
    """``legal_moves`` for a position that is not over: a State or a Headless game.

    ``values`` may be a Headless game's list: fused functions take either, and a single
    expression function is always given a tuple, as from a State (``tuple`` of a tuple is free).
    """
    sc = pos.scenario
    plan = _plan(sc)
    phase = pos.phase
    actor = pos.actor
    if phase == ACT:
        # move_reason's checks: not used up or cooling down, no second standoff, and (fused)
        # its condition holds and its cost can be paid.
        busy = pos.standoff >= 0
        ready = pos.ready
        turn = pos.turn
        out = [mv for i, opens, mv in itertools.compress(plan.acts[actor],
                                                          sc.act_flags[actor][1](pos.values, pos.ctx))
               if 0 <= ready[i] <= turn and not (opens and busy)]
        out.append(plan.passes[actor])
        return out
    if phase == PROPOSE:
        return plan.deal_list(PROPOSE, actor, sc.term_flags(pos.values, pos.ctx), ())
    if phase == ANSWER:
        return plan.deal_list(ANSWER, actor, sc.term_flags(pos.values, pos.ctx), pos.deal)
    if phase == CHOOSE:
        vt = tuple(pos.values)
        ctx = pos.ctx
        return [mv for when, mv in plan.choice_moves(sc.events[pos.pending_event], actor)
                if when is None or when(vt, ctx)]
    fixed = plan.fixed.get((phase, actor))
    return list(fixed) if fixed is not None else []


def disabled_moves(state: State, actor: str) -> list[tuple[CMove, str]]:
    """The actor's unilateral moves that are unavailable now, each with the reason."""
    sc = state.scenario
    a = sc.actor_index(actor)
    out = []
    for m in sc.moves:
        if m.by == a:
            reason = move_reason(state, m)
            if reason:
                out.append((m, reason))
    return out


def utility(sc: Scenario, values: tuple, actor: int) -> float:
    """An actor's utility from its private weights, 0-100."""
    total = 0.0
    norm = 0.0
    lo, hi = sc.lo, sc.hi
    for slot, w in sc.weights[actor]:
        x = (values[slot] - lo[slot]) / (hi[slot] - lo[slot])
        total += w * x if w >= 0 else -w * (1 - x)
        norm += abs(w)
    return 100.0 * total / norm if norm else 0.0


def scores_of(sc: Scenario, values: tuple, ending: int,
              utilities: tuple[float, float] | None = None) -> tuple[float, float]:
    """Each actor's utility of ``values`` (or the ``utilities`` given), plus the ending's bonus."""
    bonus = sc.endings[ending].bonus if ending >= 0 else (0.0, 0.0)
    if utilities is None:
        utilities = (utility(sc, values, 0), utility(sc, values, 1))
    return (utilities[0] + bonus[0], utilities[1] + bonus[1])


def scores(state: State) -> dict[str, float]:
    """Each actor's score now (final once the game is over)."""
    return final_scores(state.scenario, state.values, state.ending)


def final_scores(sc: Scenario, values: tuple, ending: int,
                 utilities: tuple[float, float] | None = None) -> dict[str, float]:
    """``scores`` given the values and the ending, by side, to two decimals."""
    a, b = scores_of(sc, values, ending, utilities)
    return {sc.players[0]: round(a, 2), sc.players[1]: round(b, 2)}
