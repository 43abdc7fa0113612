"""A state as a JSON-safe dict and back, with every field checked on the way in.

    data = serialize(state)                   # plain dicts, lists, strings and numbers
    state = deserialize(data, scenario)       # ValueError with a path (@ $.values.rating) if bad

Everything is named by the scenario's ids (meters, moves, events, terms, standoffs, endings), so a
dict reads on its own and a stale one fails loudly rather than landing in the wrong slot. No
pickle: the scenario is not part of the data, only its id and digest, and the caller passes it in.
``deserialize`` checks types, names, ranges and that the phase, the actor and the open deal,
event or standoff agree; it does not replay the game to prove the position reachable.
"""

from __future__ import annotations

import math

from game.engine.state import (ACT, ANSWER, ANSWER_COUNTER, CHOOSE, OVER, PROPOSE, STANDOFF,
                               STANDOFF_PRESS, State)
from game.scenario.model import Scenario

KIND = "union-state-state"
VERSION = 1
PHASES = (CHOOSE, STANDOFF, STANDOFF_PRESS, PROPOSE, ANSWER, ANSWER_COUNTER, ACT, OVER)
DEAL_OUTCOMES = ("accepted", "rejected")


def serialize(state: State) -> dict:
    """The state as a JSON-safe dict (``json.dumps`` takes it as it is)."""
    sc = state.scenario
    players = sc.players
    return {
        "kind": KIND,
        "version": VERSION,
        "scenario": {"id": sc.id, "digest": sc.digest},
        "seed": state.seed,
        "turn": state.turn,
        "phase": state.phase,
        "actor": players[state.actor] if state.actor >= 0 else None,
        "initiative": players[state.initiative],
        "values": {name: state.values[slot] if slot < sc.n_meters else int(state.values[slot])
                   for slot, name in enumerate(sc.names)},
        "ready": {m.id: state.ready[m.index] for m in sc.moves},
        "event_ready": {ev.id: state.event_ready[ev.index] for ev in sc.events},
        "event_cursor": state.event_cursor,
        "pending_event": sc.events[state.pending_event].id if state.pending_event >= 0 else None,
        "deal": [sc.terms[t].id for t in state.deal],
        "standoff": sc.standoffs[state.standoff].id if state.standoff >= 0 else None,
        "standoff_round": state.standoff_round,
        "ledger": {lg.issue: state.ledger[lg.index] for lg in sc.ledgers},
        "acted": state.acted,
        "ending": (sc.endings[state.ending].id if state.ending >= 0
                   else "score" if state.ending == -2 else None),
        "winner": players[state.winner] if state.winner >= 0 else None,
        "deal_log": [[t, o] for t, o in state.deal_log],
    }


def _show(x) -> str:
    """A value for a message, cut short (a huge int's digits are not even computed)."""
    if isinstance(x, int) and not isinstance(x, bool) and abs(x) >= 10 ** 30:
        return "a number of more than 30 digits"
    text = repr(x) if not isinstance(x, (dict, list)) else type(x).__name__
    return text if len(text) <= 40 else text[:39] + "…"


def _fail(path: str, msg: str):
    return ValueError(f"bad state @ $.{path}: {msg}")


def _int(d: dict, key: str, lo: int | None = None, hi: int | None = None, path: str | None = None) -> int:
    path = path or key
    if key not in d:
        raise _fail(path, "missing")
    x = d[key]
    if isinstance(x, bool) or not isinstance(x, int):
        raise _fail(path, f"expected a whole number, got {type(x).__name__} {_show(x)}")
    if (lo is not None and x < lo) or (hi is not None and x > hi):
        raise _fail(path, f"{_show(x)} is outside {lo}..{hi if hi is not None else ''}")
    return x


def _choice(d: dict, key: str, options, none_ok: bool = False) -> str | None:
    if key not in d:
        raise _fail(key, "missing")
    x = d[key]
    if x is None and none_ok:
        return None
    if not isinstance(x, str) or x not in options:
        shown = ", ".join(list(options)[:12]) + (", ..." if len(options) > 12 else "")
        raise _fail(key, f"{_show(x)} is not one of: {shown}" + (" (or null)" if none_ok else ""))
    return x


def _table(d: dict, key: str, names) -> dict:
    """A dict keyed by exactly ``names``."""
    if key not in d:
        raise _fail(key, "missing")
    x = d[key]
    if not isinstance(x, dict):
        raise _fail(key, f"expected an object, got {type(x).__name__}")
    missing = [n for n in names if n not in x]
    if missing:
        raise _fail(f"{key}.{missing[0]}", "missing" + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""))
    extra = [k for k in x if k not in names]
    if extra:
        raise _fail(f"{key}.{extra[0]!s:.40}", "not in this scenario")
    return x


def deserialize(data: dict, scenario: Scenario) -> State:
    """The State that ``serialize`` described, for ``scenario``; ValueError if anything is off."""
    sc = scenario
    if not isinstance(data, dict):
        raise ValueError(f"bad state: expected an object, got {type(data).__name__}")
    if data.get("kind") != KIND:
        raise _fail("kind", f"expected '{KIND}', got {_show(data.get('kind'))}")
    if data.get("version") != VERSION:
        raise _fail("version", f"this game reads version {VERSION}, not {_show(data.get('version'))}")
    meta = data.get("scenario")
    if not isinstance(meta, dict) or not isinstance(meta.get("id"), str):
        raise _fail("scenario", "expected an object with the scenario's 'id' and 'digest'")
    if meta["id"] != sc.id:
        raise _fail("scenario.id", f"the state is of scenario {_show(meta['id'])}, not '{sc.id}'")
    if meta.get("digest") != sc.digest:
        raise _fail("scenario.digest", f"the scenario file '{sc.id}' has changed since this state was saved")
    players = sc.players
    seed = _int(data, "seed", -(1 << 63), (1 << 64) - 1)
    turn = _int(data, "turn", 1, sc.turns)
    phase = _choice(data, "phase", PHASES)
    actor_id = _choice(data, "actor", players, none_ok=True)
    actor = players.index(actor_id) if actor_id is not None else -1
    initiative = players.index(_choice(data, "initiative", players))

    raw = _table(data, "values", sc.names)
    values = []
    for slot, name in enumerate(sc.names):
        x = raw[name]
        if isinstance(x, bool) or not isinstance(x, (int, float)) or (isinstance(x, float) and not math.isfinite(x)):
            raise _fail(f"values.{name}", f"expected a finite number, got {_show(x)}")
        if not sc.lo[slot] <= x <= sc.hi[slot]:
            raise _fail(f"values.{name}", f"{_show(x)} is outside its range [{sc.lo[slot]:g}, {sc.hi[slot]:g}]")
        if slot >= sc.n_meters and x != int(x):
            raise _fail(f"values.{name}", f"an issue's level is a whole number, not {_show(x)}")
        values.append(float(x))

    ready_raw = _table(data, "ready", [m.id for m in sc.moves])
    ready = tuple(_int(ready_raw, m.id, -1, None, f"ready.{m.id}") for m in sc.moves)
    er_raw = _table(data, "event_ready", [ev.id for ev in sc.events])
    event_ready = tuple(_int(er_raw, ev.id, -1, None, f"event_ready.{ev.id}") for ev in sc.events)
    cursor = _int(data, "event_cursor", 0, len(sc.events))
    pe = _choice(data, "pending_event", sc.event_by_id, none_ok=True)
    pending = sc.event_by_id[pe].index if pe is not None else -1

    deal_raw = data.get("deal")
    if not isinstance(deal_raw, list) or len(deal_raw) > sc.deal_max_terms:
        raise _fail("deal", f"expected a list of at most {sc.deal_max_terms} term ids")
    deal = []
    for k, tid in enumerate(deal_raw):
        if not isinstance(tid, str) or tid not in sc.term_by_id:
            raise _fail(f"deal[{k}]", f"{_show(tid)} is not a term of this scenario")
        deal.append(sc.term_by_id[tid].index)
    if len(set(deal)) != len(deal):
        raise _fail("deal", "a term appears twice")

    so_ids = {so.id: so.index for so in sc.standoffs}
    so = _choice(data, "standoff", so_ids, none_ok=True)
    standoff = so_ids[so] if so is not None else -1
    round_ = _int(data, "standoff_round", 0, 1000)
    led_raw = _table(data, "ledger", [lg.issue for lg in sc.ledgers])
    ledger = []
    for lg in sc.ledgers:
        x = _int(led_raw, lg.issue, -3, sc.turns, f"ledger.{lg.issue}")
        if x == 0:
            raise _fail(f"ledger.{lg.issue}", "0 is not a ledger state (-3 broken, -2 delivered, "
                                              "-1 nothing, or the turn of the promise)")
        ledger.append(x)
    acted = _int(data, "acted", 0, 2)
    end_ids = {en.id: en.index for en in sc.endings}
    end_ids["score"] = -2
    e = _choice(data, "ending", end_ids, none_ok=True)
    ending = end_ids[e] if e is not None else -1
    w = _choice(data, "winner", players, none_ok=True)
    winner = players.index(w) if w is not None else -1

    log_raw = data.get("deal_log")
    if not isinstance(log_raw, list):
        raise _fail("deal_log", "expected a list of [turn, outcome] pairs")
    deal_log = []
    for k, entry in enumerate(log_raw):
        if (not isinstance(entry, list) or len(entry) != 2 or isinstance(entry[0], bool)
                or not isinstance(entry[0], int) or not 1 <= entry[0] <= sc.turns
                or entry[1] not in DEAL_OUTCOMES):
            raise _fail(f"deal_log[{k}]", f"expected [turn, 'accepted' or 'rejected'], got {_show(entry)}")
        deal_log.append((entry[0], entry[1]))

    _check_phase(sc, phase, actor, initiative, acted, pending, deal, standoff, round_, ending, winner)
    return State(sc, seed, turn, phase, actor, initiative, tuple(values), ready, event_ready, cursor,
                 pending, tuple(deal), standoff, round_, tuple(ledger), acted, ending, winner,
                 tuple(deal_log))


def _check_phase(sc: Scenario, phase, actor, initiative, acted, pending, deal, standoff, round_,
                 ending, winner) -> None:
    """The decision fields must agree, or the rules would meet a position they never make."""
    if phase == OVER:
        if actor != -1:
            raise _fail("actor", "a finished game has no actor to decide (null)")
        if ending == -1:
            raise _fail("ending", "a finished game needs its ending (an ending id or 'score')")
        return
    if actor < 0:
        raise _fail("actor", f"in phase '{phase}' a side must be deciding")
    if ending != -1 or winner != -1:
        raise _fail("ending", "a game under way has no ending or winner yet (null)")
    if phase == CHOOSE:
        if pending < 0 or not sc.events[pending].choices:
            raise _fail("pending_event", "phase 'choose' needs an event with choices")
        if sc.events[pending].actor != actor:
            raise _fail("actor", f"event '{sc.events[pending].id}' is for "
                                 f"{sc.players[sc.events[pending].actor]} to choose")
    elif pending >= 0:
        raise _fail("pending_event", f"only phase 'choose' has an event pending, not '{phase}'")
    if phase in (STANDOFF, STANDOFF_PRESS):
        if standoff < 0 or round_ < 1:
            raise _fail("standoff", f"phase '{phase}' needs an open standoff with a round of 1 or more")
        so = sc.standoffs[standoff]
        need = so.target if phase == STANDOFF else so.by
        if actor != need:
            raise _fail("actor", f"in phase '{phase}' of '{so.id}' {sc.players[need]} decides")
    if standoff < 0 and round_ != 0:
        raise _fail("standoff_round", "no standoff is open, so the round is 0")
    if phase in (ANSWER, ANSWER_COUNTER):
        if not deal:
            raise _fail("deal", f"phase '{phase}' needs a deal on the table")
    elif deal:
        raise _fail("deal", f"no deal is on the table in phase '{phase}'")
    if phase == ACT and acted > 1:
        raise _fail("acted", "in phase 'act' at most one side has moved")
    need = {PROPOSE: initiative, ANSWER: 1 - initiative, ANSWER_COUNTER: initiative,
            ACT: initiative if acted == 0 else 1 - initiative}.get(phase)
    if need is not None and actor != need:
        raise _fail("actor", f"in phase '{phase}' it is {sc.players[need]} who decides")
