"""The rules: start a game, list legal moves, apply a move. Pure functions over immutable state."""

from __future__ import annotations

import itertools

from game.engine.state import (ACT, ANSWER, ANSWER_COUNTER, CHOOSE, OVER, PROPOSE, STANDOFF,
                               STANDOFF_PRESS, Change, IllegalMove, Move, State, Step)
from game.scenario.model import CEffects, CMove, CTerm, Scenario

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
    """A mutable copy of a state while one move is applied; frozen again by ``freeze``."""

    __slots__ = ("sc", "s", "v", "turn", "phase", "actor", "initiative", "ready", "event_ready",
                 "cursor", "pending_event", "deal", "standoff", "round", "ledger", "acted", "ending",
                 "winner", "deal_log", "changes", "fired", "record")

    def __init__(self, s: State, record: bool = True):
        self.sc = s.scenario
        self.s = s
        self.v = list(s.values)
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
        self.fired: list[str] = []
        self.record = record  # False: skip Change records (previews and headless play)

    def ctx(self) -> tuple:
        return self.sc.ctx(self.turn, self.round)

    def freeze(self) -> Step:
        st = State(self.sc, self.s.seed, self.turn, self.phase, self.actor, self.initiative,
                   tuple(self.v), self.ready, self.event_ready, self.cursor, self.pending_event,
                   self.deal, self.standoff, self.round, self.ledger, self.acted, self.ending,
                   self.winner, self.deal_log)
        return Step(st, tuple(self.changes), tuple(self.fired))

    # --- effects -------------------------------------------------------------------------------
    def effects(self, effs: CEffects, cause: str, scale: float = 1.0, cascade: bool = True) -> None:
        if not effs:
            return
        sc = self.sc
        vt = tuple(self.v)
        c = self.ctx()
        amounts = [(slot, fn(vt, c) * scale) for slot, fn in effs]
        n_meters = sc.n_meters
        moved_issues = []
        for slot, amount in amounts:
            if not amount:
                continue
            before = self.v[slot]
            after = before + amount
            if slot >= n_meters:
                after = float(round(after))
            lo, hi = sc.lo[slot], sc.hi[slot]
            after = lo if after < lo else hi if after > hi else after
            if after != before:
                self.v[slot] = after
                if self.record:
                    self.changes.append(Change(sc.names[slot], before, after, cause, self.turn))
                if slot >= n_meters:
                    moved_issues.append((slot, int(before), int(after)))
        for slot, before, after in moved_issues:
            self._issue_moved(slot, before, after, cascade)
        self.derive(cause)

    def _issue_moved(self, slot: int, before: int, after: int, cascade: bool) -> None:
        sc = self.sc
        if after > before and cascade:
            table = sc.on_level.get(slot)
            if table:
                for level in range(before + 1, after + 1):
                    effs = table.get(level)
                    if effs:
                        cause = (f"{sc.labels[slot]}: {sc.level_name(sc.names[slot], level)}"
                                 if self.record else "")
                        self.effects(effs, cause, cascade=False)
        for lg in sc.ledgers:
            if lg.slot != slot:
                continue
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

    def derive(self, cause: str) -> None:
        sc = self.sc
        if not sc.derived:
            return
        c = self.ctx()
        for slot, fn in sc.derived:
            vt = tuple(self.v)
            after = fn(vt, c)
            lo, hi = sc.lo[slot], sc.hi[slot]
            after = lo if after < lo else hi if after > hi else after
            before = self.v[slot]
            if after != before:
                self.v[slot] = after
                if self.record:
                    self.changes.append(Change(sc.names[slot], before, after, cause, self.turn))

    # --- automatic phases --------------------------------------------------------------------
    def run_events(self) -> None:
        """Check events from the cursor on; stop at one that asks for a choice."""
        sc = self.sc
        seed = self.s.seed
        events = sc.events
        vt = tuple(self.v)
        ctx = self.ctx()
        while self.cursor < len(events):
            ev = events[self.cursor]
            r = self.event_ready[ev.index]
            if r < 0 or r > self.turn:
                self.cursor += 1
                continue
            if ev.when is not None and not ev.when(vt, ctx):
                self.cursor += 1
                continue
            if ev.chance < 1.0 and roll(seed, self.turn, 1000 + ev.index) >= ev.chance:
                self.cursor += 1
                continue
            ready = list(self.event_ready)
            ready[ev.index] = (self.turn + max(1, ev.cooldown + 1)) if ev.repeat else -1
            self.event_ready = tuple(ready)
            self.fired.append(ev.id)
            self.effects(ev.effects, ev.title)
            vt = tuple(self.v)
            if ev.choices:
                self.phase = CHOOSE
                self.actor = ev.actor
                self.pending_event = ev.index
                return
            self.cursor += 1
        self.start_diplomacy()

    def start_diplomacy(self) -> None:
        if self.standoff >= 0:
            self.phase = STANDOFF
            self.actor = self.sc.standoffs[self.standoff].target
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
        sc = self.sc
        if sc.drift:
            vt = tuple(self.v)
            c = self.ctx()
            amounts = [(slot, fn(vt, c)) for slot, fn in sc.drift]
            for slot, amount in amounts:
                if amount:
                    before = self.v[slot]
                    lo, hi = sc.lo[slot], sc.hi[slot]
                    after = min(max(before + amount, lo), hi)
                    if after != before:
                        self.v[slot] = after
                        if self.record:
                            self.changes.append(Change(sc.names[slot], before, after, "drift", self.turn))
            self.derive("drift")
        for lg in sc.ledgers:
            t = self.ledger[lg.index]
            if t > 0 and self.turn - t >= lg.within:
                led = list(self.ledger)
                led[lg.index] = -3
                self.ledger = led = tuple(led)
                self.fired.append(f"broken:{lg.issue}")
                self.effects(lg.on_broken, f"Promise broken: {sc.labels[lg.slot]}")
        vt = tuple(self.v)
        c = self.ctx()
        for en in sc.endings:
            if not en.timeout and en.when(vt, c):
                self.finish(en.index, en.winner)
                return
        if self.turn >= sc.turns:
            for en in sc.endings:
                if en.timeout and en.when(vt, c):
                    self.finish(en.index, en.winner)
                    return
            a, b = scores_of(sc, tuple(self.v), -1)
            self.finish(-2, -1 if abs(a - b) <= 2 else (0 if a > b else 1))
            return
        self.turn += 1
        self.initiative = 1 - self.initiative
        self.cursor = 0
        self.run_events()

    def finish(self, ending: int, winner: int) -> None:
        self.ending = ending
        self.winner = winner
        self.phase = OVER
        self.actor = -1
        self.fired.append("ending:" + (self.sc.endings[ending].id if ending >= 0 else "score"))

    def close_standoff(self) -> None:
        self.standoff = -1
        self.round = 0


# --- public API --------------------------------------------------------------------------------

def start(scenario: Scenario, seed: int) -> Step:
    """Begin a game: turn 1's events run until the first decision. Returns the first step."""
    sc = scenario
    base = State(sc, int(seed), 1, "events", -1, 0, sc.start, tuple(0 for _ in sc.moves),
                 tuple(0 for _ in sc.events), 0, ledger=tuple(-1 for _ in sc.ledgers))
    w = _Work(base)
    w.derive("start")
    w.changes.clear()
    for lg in sc.ledgers:  # issues that start at or past their promise
        lvl = w.v[lg.slot]
        if lvl >= lg.delivered:
            led = list(w.ledger)
            led[lg.index] = -2
            w.ledger = tuple(led)
    w.run_events()
    return w.freeze()


def new_game(scenario: Scenario, seed: int) -> State:
    return start(scenario, seed).state


def move_reason(state: State, m: CMove) -> str | None:
    """Why a unilateral move is unavailable now, or None when it may be taken."""
    r = state.ready[m.index]
    if r < 0:
        return "Already used (once a game)"
    if r > state.turn:
        n = r - state.turn
        return f"Available again in {n} turn{'s' if n > 1 else ''}"
    if m.opens >= 0 and state.standoff >= 0:
        return "A standoff is already under way"
    if m.when is not None and not m.when(state.values, state.ctx):
        return f"Needs {m.when_text}"
    for slot, amount in m.cost:
        have = state.values[slot]
        if have - amount < state.scenario.lo[slot]:
            return f"Costs {amount:g} {state.scenario.labels[slot]}; there is {have:g}"
    return None


def term_available(state: State, t: CTerm) -> bool:
    return t.when is None or bool(t.when(state.values, state.ctx))


def _deal_reason(state: State, terms: tuple[str, ...]) -> str | None:
    sc = state.scenario
    if not terms:
        return "A deal needs at least one term"
    if len(terms) > sc.deal_max_terms:
        return f"A deal holds at most {sc.deal_max_terms} terms"
    if len(set(terms)) != len(terms):
        return "A term appears twice in the deal"
    for tid in terms:
        t = sc.term_by_id.get(tid)
        if t is None:
            return f"There is no term '{tid}'"
        if not term_available(state, t):
            return f"'{t.name}' is not on offer now"
    return None


def illegal_reason(state: State, move: Move) -> str | None:
    """Why a move is illegal, in words for the player; None when it is legal."""
    if state.phase == OVER:
        return "The game is over."
    sc = state.scenario
    if move.actor not in sc.players:
        return f"There is no side called '{move.actor}'."
    if move.actor != state.actor_id:
        who = sc.actor(state.actor).name
        return f"It is {who}'s turn to {_PHASE_TEXT.get(state.phase, 'decide')}."
    kinds = _PHASE_KINDS[state.phase]
    if move.kind not in kinds:
        return f"Now is the time to {_PHASE_TEXT[state.phase]}, not '{move.kind}'."
    k = move.kind
    if k in ("propose", "counter"):
        return _deal_reason(state, move.terms)
    if k == "unilateral":
        m = sc.move_by_id.get(move.ref)
        if m is None:
            return f"There is no move '{move.ref}'."
        if m.by != state.actor:
            return f"'{m.name}' belongs to {sc.actor(m.by).name}."
        reason = move_reason(state, m)
        return f"'{m.name}' is not possible: {reason}." if reason else None
    if k == "choose":
        ev = sc.events[state.pending_event]
        for ch in ev.choices:
            if ch.id == move.ref:
                if ch.when is not None and not ch.when(state.values, state.ctx):
                    return f"'{ch.label}' is not possible now."
                return None
        return f"'{move.ref}' is not one of the choices."
    return None


def apply(state: State, move: Move) -> Step:
    """Apply one move; raise IllegalMove with a readable reason if the rules forbid it."""
    reason = illegal_reason(state, move)
    if reason:
        raise IllegalMove(reason)
    sc = state.scenario
    w = _Work(state)
    me = sc.actor(state.actor).name
    k = move.kind
    if k == "unilateral":
        m = sc.move_by_id[move.ref]
        if m.cost:
            w.effects(tuple((slot, _const(-amount)) for slot, amount in m.cost), f"{me}: {m.name} (cost)")
        w.effects(m.effects, f"{me}: {m.name}")
        ready = list(w.ready)
        ready[m.index] = -1 if m.once else state.turn + m.cooldown + 1
        w.ready = tuple(ready)
        if m.opens >= 0:
            w.standoff = m.opens
            w.round = 1
            w.fired.append("standoff:" + sc.standoffs[m.opens].id)
        w.after_move()
    elif k == "pass":
        w.after_move()
    elif k == "propose":
        w.deal = tuple(sc.term_by_id[t].index for t in move.terms)
        w.phase = ANSWER
        w.actor = 1 - state.actor
    elif k == "no_deal":
        w.start_moves()
    elif k == "accept":
        for ti in state.deal:
            t = sc.terms[ti]
            w.effects(t.effects, f"Deal: {t.name}")
        w.deal_log = state.deal_log + ((state.turn, "accepted"),)
        w.fired.append("deal:accepted")
        w.deal = ()
        w.start_moves()
    elif k == "reject":
        w.deal_log = state.deal_log + ((state.turn, "rejected"),)
        w.fired.append("deal:rejected")
        w.deal = ()
        w.start_moves()
    elif k == "counter":
        w.deal = tuple(sc.term_by_id[t].index for t in move.terms)
        w.phase = ANSWER_COUNTER
        w.actor = 1 - state.actor
    elif k == "choose":
        ev = sc.events[state.pending_event]
        ch = next(c for c in ev.choices if c.id == move.ref)
        w.effects(ch.effects, f"{ev.title}: {ch.label}")
        w.pending_event = -1
        w.cursor += 1
        w.phase = "events"
        w.run_events()
    elif k == "concede":
        so = sc.standoffs[state.standoff]
        w.effects(so.concede, f"{me} gives way: {so.name}")
        w.fired.append("standoff:conceded")
        w.close_standoff()
        w.start_diplomacy()
    elif k == "stand_firm":
        w.phase = STANDOFF_PRESS
        w.actor = sc.standoffs[state.standoff].by
        w.fired.append("standoff:firm")
    elif k == "press":
        so = sc.standoffs[state.standoff]
        w.effects(so.press, f"{me} presses: {so.name}")
        w.fired.append("standoff:pressed")
        if so.rupture is not None and so.rupture(tuple(w.v), w.ctx()):
            w.effects(so.rupture_effects, f"Rupture: {so.name}")
            w.fired.append("standoff:rupture")
            w.close_standoff()
        elif w.round >= so.rounds:
            w.round += 1
            w.effects(so.back_down, f"{so.name} lapses", scale=w.round)
            w.fired.append("standoff:lapsed")
            w.close_standoff()
        else:
            w.round += 1
        _to_propose(w)
    elif k == "back_down":
        so = sc.standoffs[state.standoff]
        w.effects(so.back_down, f"{me} backs down: {so.name}", scale=w.round)
        w.fired.append("standoff:backed_down")
        w.close_standoff()
        w.start_diplomacy()
    return w.freeze()


def preview(state: State, *effects: tuple[CEffects, float]) -> list[float]:
    """The values after applying effects in order, each given as (effects, scale), with the
    engine's own clamping, level cascades and derived meters; nothing else happens (no events,
    no drift, no turn change). For policies and the interface's projections."""
    w = _Work(state, record=False)
    for effs, scale in effects:
        if effs:
            w.effects(effs, "", scale)
    return w.v


def _to_propose(w: _Work) -> None:
    w.phase = PROPOSE
    w.actor = w.initiative


def _const(x: float):
    return lambda v, c: x


def legal_moves(state: State, actor: str | None = None) -> list[Move]:
    """The moves the deciding actor may make now ([] for anyone else).

    Deals are listed as every single term and every pair of one term from each side; any set of
    up to ``deal_max_terms`` available terms is legal too (see ``illegal_reason``).
    """
    if state.phase == OVER:
        return []
    sc = state.scenario
    me = sc.players[state.actor]
    if actor is not None and actor != me:
        return []
    phase = state.phase
    if phase == ACT:
        out = [Move("unilateral", me, m.id) for m in sc.moves
               if m.by == state.actor and move_reason(state, m) is None]
        out.append(Move("pass", me))
        return out
    if phase == PROPOSE:
        return [Move("no_deal", me)] + _deals(state, "propose", me)
    if phase == ANSWER:
        return [Move("accept", me), Move("reject", me)] + _deals(state, "counter", me, state.deal)
    if phase == ANSWER_COUNTER:
        return [Move("accept", me), Move("reject", me)]
    if phase == CHOOSE:
        ev = sc.events[state.pending_event]
        return [Move("choose", me, ch.id) for ch in ev.choices
                if ch.when is None or ch.when(state.values, state.ctx)]
    if phase == STANDOFF:
        return [Move("concede", me), Move("stand_firm", me)]
    if phase == STANDOFF_PRESS:
        return [Move("press", me), Move("back_down", me)]
    return []


def _deal_templates(sc: Scenario, kind: str, actor: int) -> list[tuple[int, int, frozenset, Move]]:
    """Every single term and cross pair as (term a, term b, {a, b}, Move), built once per scenario."""
    key = (kind, actor)
    cached = sc.cache.get(key)
    if cached is None:
        me = sc.players[actor]
        mine = [t for t in sc.terms if t.by == actor]
        theirs = [t for t in sc.terms if t.by != actor]
        cached = [(t.index, t.index, Move(kind, me, terms=(t.id,))) for t in mine + theirs]
        if sc.deal_max_terms >= 2:
            cached += [(a.index, b.index, Move(kind, me, terms=(a.id, b.id)))
                       for a, b in itertools.product(mine, theirs)]
        cached = [(a, b, frozenset((a, b)), m) for a, b, m in cached]
        sc.cache[key] = cached
    return cached


def _deals(state: State, kind: str, me: str, table: tuple[int, ...] = ()) -> list[Move]:
    sc = state.scenario
    vals, ctx = state.values, state.ctx
    avail = [t.when is None or bool(t.when(vals, ctx)) for t in sc.terms]
    templates = _deal_templates(sc, kind, state.actor)
    if table:
        on_table = frozenset(table)
        return [m for a, b, ab, m in templates if avail[a] and avail[b] and ab != on_table]
    return [m for a, b, _, m in templates if avail[a] and avail[b]]


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


def scores_of(sc: Scenario, values: tuple, ending: int) -> tuple[float, float]:
    bonus = sc.endings[ending].bonus if ending >= 0 else (0.0, 0.0)
    return (utility(sc, values, 0) + bonus[0], utility(sc, values, 1) + bonus[1])


def scores(state: State) -> dict[str, float]:
    """Each actor's score now (final once the game is over)."""
    a, b = scores_of(state.scenario, state.values, state.ending)
    return {state.scenario.players[0]: round(a, 2), state.scenario.players[1]: round(b, 2)}
