"""`union-state lint`: validate a scenario, then play simulated games and report on its balance.

Every pairing of the lint players (random, greedy and search by default) plays ``games`` games, each
side in turn; a pairing with a search player plays at most ``search_cap`` of them (the search player
costs tens of times more than the others; see ``search_cap``). The report gives outcome and winner shares per pairing and lists findings, each with
its TOML path and line: endings never reached, events never fired, moves never legal or never
chosen, a move so strong it dominates, meters stuck at a bound, games that crash or never end, and
(with a source document) quotes not found in it. Errors make the command exit 1.
"""

from __future__ import annotations

import collections
import itertools
import random
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import attrs

from game.authoring.sources import check_sources
from game.engine import ACT, PROPOSE, Move, apply, legal_moves, outcome, start, view
from game.scenario import Scenario, ScenarioError
from game.scenario.lines import find_line, line_map

ERROR, WARNING, NOTE = "error", "warning", "note"
PLAYERS = ("random", "greedy", "search")
# Cheap enough for lint: search with a small budget, a one-turn horizon (lint looks for content
# that never happens, not for the strongest play) and no time cap (a game stays a pure function
# of its seed).
SPECS = {"random": "random", "greedy": "greedy",
         "search": "search:iterations=8,models=2,width=3,horizon=1"}
DOMINANT_SHARE = 0.6        # a move making up this share of a side's moves by thinking players
DOMINANT_MIN = 20           # ... over at least this many of its moves
STUCK_SHARE = 0.5           # a meter at one bound for more than this share of a game's turns
STUCK_GAMES = 0.5           # ... in more than this share of the games
LOPSIDED = 0.85             # one side winning this share of the games between equal players
STRONG_LOPSIDED = 0.65      # ... or more than this share between equal thinking players
THINKING = ("greedy", "search")
MAX_MOVES_PER_TURN = 400    # a game longer than this is taken to never end
# A search game costs roughly in proportion to the choices a side has times the turns; a pairing
# with a search player plays at most SEARCH_BUDGET // that many games (at least SEARCH_MIN), so
# that a default lint of the road map (72 choices, 26 turns: 4 search games a pairing) stays under
# a minute on two cores, while small scenarios play every game.
SEARCH_BUDGET = 8000
SEARCH_MIN = 2


@attrs.frozen
class Finding:
    level: str                 # error, warning or note
    code: str                  # a stable name for CI filters, e.g. "event-never-fired"
    message: str
    path: str = ""
    line: int | None = None
    hint: str | None = None

    def text(self, file: str) -> str:
        where = f"{file}:{self.line}" if self.line else file
        body = f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"
        return f"{self.level}: {body}" + (f" ({self.hint})" if self.hint else "")

    def to_dict(self) -> dict:
        return attrs.asdict(self)


@attrs.define
class Pairing:
    """Games between two players: ``players[i]`` plays the scenario's ``sc.players[i]``."""

    players: tuple[str, str]
    games: int = 0
    endings: collections.Counter = attrs.Factory(collections.Counter)
    winners: collections.Counter = attrs.Factory(collections.Counter)
    turns: int = 0
    crashed: int = 0
    unfinished: int = 0

    def add(self, other: "Pairing") -> None:
        """Count another tally of the same kind into this one."""
        self.games += other.games
        self.endings.update(other.endings)
        self.winners.update(other.winners)
        self.turns += other.turns
        self.crashed += other.crashed
        self.unfinished += other.unfinished

    def to_dict(self, sc: Scenario) -> dict:
        return {"players": dict(zip(sc.players, self.players)), "games": self.games,
                "endings": dict(self.endings), "winners": {k or "none": v for k, v in self.winners.items()},
                "mean_turns": round(self.turns / max(1, self.games - self.crashed - self.unfinished), 2),
                "crashed": self.crashed, "unfinished": self.unfinished}


@attrs.define
class Tally:
    """What the games did, summed over all of them."""

    games: int = 0
    events: collections.Counter = attrs.Factory(collections.Counter)        # games it fired in
    legal: collections.Counter = attrs.Factory(collections.Counter)         # games a move was ever legal in
    chosen: collections.Counter = attrs.Factory(collections.Counter)        # times a move was chosen
    thought: dict = attrs.Factory(dict)       # side index -> Counter of the moves thinking players took
    on_offer: collections.Counter = attrs.Factory(collections.Counter)      # games a term was on offer in
    agreed: collections.Counter = attrs.Factory(collections.Counter)        # times a term was in an accepted deal
    choices: collections.Counter = attrs.Factory(collections.Counter)       # (event id, choice id) chosen
    standoffs: collections.Counter = attrs.Factory(collections.Counter)     # games a standoff opened in
    stuck: dict = attrs.Factory(dict)         # meter -> Counter of games it sat at bound 0 (min) or 1 (max)
    crashes: list = attrs.Factory(list)
    unfinished: list = attrs.Factory(list)


@attrs.define
class Report:
    file: str
    scenario: str
    games_per_pairing: int
    seed: int
    players: tuple[str, ...]
    findings: list[Finding] = attrs.Factory(list)
    pairings: list[Pairing] = attrs.Factory(list)
    tally: Tally | None = None
    seconds: float = 0.0
    quotes_checked: int = 0
    endings: tuple[str, ...] = ()
    sides: tuple[str, ...] = ()
    search_games: int | None = None   # games per pairing with a search player, when capped

    @property
    def capped(self) -> bool:
        """Whether the pairings with a search player played fewer games than the others."""
        return (self.search_games is not None and self.search_games < self.games_per_pairing
                and "search" in self.players)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == WARNING]

    def to_dict(self, sc: Scenario | None = None) -> dict:
        t = self.tally
        out = {"file": self.file, "scenario": self.scenario, "seed": self.seed,
               "games_per_pairing": self.games_per_pairing, "players": list(self.players),
               "search_games_per_pairing": (self.search_games if self.capped else self.games_per_pairing),
               "search_capped": self.capped,
               "games": t.games if t else 0, "seconds": round(self.seconds, 2),
               "errors": len(self.errors), "warnings": len(self.warnings), "ok": not self.errors,
               "findings": [f.to_dict() for f in self.findings]}
        if sc is not None and t is not None:
            out["pairings"] = [p.to_dict(sc) for p in self.pairings]
            out["endings"] = {e.id: sum(p.endings[e.id] for p in self.pairings) for e in sc.endings}
            out["endings"]["score"] = sum(p.endings["score"] for p in self.pairings)
            out["events"] = {e.id: t.events[e.id] for e in sc.events}
            out["moves"] = {m.id: {"games_legal": t.legal[m.id], "chosen": t.chosen[m.id]} for m in sc.moves}
            out["terms"] = {x.id: {"games_on_offer": t.on_offer[x.id], "agreed": t.agreed[x.id]} for x in sc.terms}
        if self.quotes_checked:
            out["quotes_checked"] = self.quotes_checked
        return out


# --- the games ---------------------------------------------------------------------------------

class _Uniform:
    """The random player, for when game.ai is not installed."""

    name = "random"
    needs_view = False

    def choose(self, view, legal, rng):
        return rng.choice(legal)


def _policy_factory() -> tuple[Callable, list[str], str]:
    """make_policy from game.ai, or a random-only stand-in; the players available; why not all."""
    try:
        from game.ai import make_policy
    except Exception as exc:  # noqa: BLE001 - lint still runs with random players
        why = "not installed" if isinstance(exc, ModuleNotFoundError) else f"failed to load ({exc})"
        return (lambda name, sc, actor, seed: _Uniform()), ["random"], why
    return ((lambda name, sc, actor, seed: make_policy(SPECS.get(name, name), sc, actor, seed=seed)),
            list(PLAYERS), "")


def _seed(base: int, *parts: int) -> int:
    return random.Random(f"lint:{base}:" + ":".join(map(str, parts))).getrandbits(62)


def play(sc: Scenario, policies: list, seed: int, rng_seed: int, tally: Tally, thinking: tuple[bool, bool]):
    """Play one game, adding what happened to ``tally``; returns the finished state."""
    rngs = [random.Random(_seed(rng_seed, i)) for i in (0, 1)]
    first = start(sc, seed)
    state = first.state
    fired = {f.id for f in first.fired if f.kind == "event"}
    legal_seen: set[str] = set()
    offered: set[str] = set()
    standoffs: set[str] = set()
    n_meters = sc.n_meters
    lo, hi = sc.lo, sc.hi
    at_bound = [[0, 0] for _ in range(n_meters)]
    samples = 0

    def sample(values):
        nonlocal samples
        samples += 1
        for s in range(n_meters):
            if values[s] <= lo[s]:
                at_bound[s][0] += 1
            elif values[s] >= hi[s]:
                at_bound[s][1] += 1

    sample(state.values)
    cap = sc.turns * MAX_MOVES_PER_TURN
    moves = 0
    while not state.is_over:
        a = state.actor
        legal = legal_moves(state)
        if state.phase == ACT:
            legal_seen.update(m.ref for m in legal if m.kind == "unilateral")
        elif state.phase == PROPOSE:
            offered.update(getattr(legal, "ids", ()))  # the terms of the listed packages
        pol = policies[a]
        v = view(state, sc.players[a]) if getattr(pol, "needs_view", True) else None
        move: Move = pol.choose(v, legal, rngs[a])
        for p in policies:  # the learners see every move (game.ai.policy.tell)
            observe = getattr(p, "observe", None)
            if observe is not None:
                observe(state, move)
        turn = state.turn
        deal = state.deal
        if move.kind == "choose":
            tally.choices[(sc.events[state.pending_event].id, move.ref)] += 1
        step = apply(state, move)
        state = step.state
        moves += 1
        if move.kind == "unilateral":
            tally.chosen[move.ref] += 1
            if thinking[a]:
                tally.thought.setdefault(a, collections.Counter())[move.ref] += 1
        for f in step.fired:
            if f.kind == "event":
                fired.add(f.id)
            elif f.kind == "deal" and f.id == "accepted":
                for ti in deal:
                    tally.agreed[sc.terms[ti].id] += 1
            elif f.kind == "standoff_opened":
                standoffs.add(f.id)
        if state.turn != turn or state.is_over:
            sample(state.values)
        if moves > cap:
            raise _NeverEnds(f"still going after {moves:,} moves on turn {state.turn}")
    tally.events.update(fired)
    tally.legal.update(legal_seen)
    tally.on_offer.update(offered)
    tally.standoffs.update(standoffs)
    for s in range(n_meters):
        for bound in (0, 1):
            if at_bound[s][bound] > STUCK_SHARE * samples:
                tally.stuck.setdefault(sc.names[s], collections.Counter())[bound] += 1
    return state


class _NeverEnds(RuntimeError):
    pass


def search_cap(sc: Scenario) -> int:
    """Games a pairing with a search player plays at most by default (see ``SEARCH_BUDGET``)."""
    cost = max(1, (len(sc.moves) + len(sc.terms)) * sc.turns)
    return max(SEARCH_MIN, SEARCH_BUDGET // cost)


def simulate(sc: Scenario, games: int, seed: int = 0, players: tuple[str, ...] | None = None,
             progress: Callable[[int, int], None] | None = None,
             workers: int = 1, search_games: int | None = None) -> tuple[list[Pairing], Tally, list[Finding]]:
    """Play ``games`` games for every ordered pairing of the players (``search_games`` for a
    pairing with a search player, when given); return the tallies.

    Every game is a pure function of its seed, so the result is the same for any number of workers.
    """
    factory, available, why = _policy_factory()
    notes: list[Finding] = []
    wanted = list(players or PLAYERS)
    missing = [p for p in wanted if p not in available]
    if missing:
        notes.append(Finding(NOTE, "players-missing", f"the computer players ({', '.join(missing)}) are "
                             f"{why}; only random players played"))
    used = [p for p in wanted if p in available] or ["random"]
    players_of = list(itertools.product(used, repeat=2))
    per = [games if search_games is None or "search" not in pr else min(games, search_games)
           for pr in players_of]
    jobs = [(pi, g) for pi in range(len(players_of)) for g in range(per[pi])]
    if workers > 1 and sc.path is not None and len(jobs) >= 2 * workers:
        pairings, tally = _in_processes(sc, players_of, jobs, seed, workers, progress)
    else:
        pairings, tally = _play_jobs(sc, factory, players_of, jobs, seed, progress)
    return pairings, tally, notes


def _play_jobs(sc: Scenario, factory: Callable, players_of: list, jobs: list, seed: int,
               progress: Callable[[int, int], None] | None = None) -> tuple[list[Pairing], Tally]:
    pairings = [Pairing(p) for p in players_of]
    tally = Tally()
    for done, (pi, g) in enumerate(jobs, start=1):
        pairing = pairings[pi]
        thinking = tuple(p != "random" for p in pairing.players)
        game_seed = _seed(seed, pi, g)
        pairing.games += 1
        tally.games += 1
        try:
            policies = [factory(pairing.players[i], sc, sc.players[i], game_seed) for i in (0, 1)]
            state = play(sc, policies, game_seed, game_seed, tally, thinking)
        except _NeverEnds as exc:
            pairing.unfinished += 1
            tally.unfinished.append((pairing.players, game_seed, str(exc)))
        except Exception as exc:  # noqa: BLE001 - a crash is a finding, not the end of lint
            pairing.crashed += 1
            tb = traceback.extract_tb(exc.__traceback__)
            where = f" at {Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else ""
            tally.crashes.append((pairing.players, game_seed, f"{type(exc).__name__}: {exc}{where}"))
        else:
            out = outcome(state)
            pairing.endings[out.ending] += 1
            pairing.winners[out.winner] += 1
            pairing.turns += out.turn
        if progress:
            progress(done, len(jobs))
    return pairings, tally


def _worker(text: str, name: str, path: str | None, players_of: list, jobs: list, seed: int):
    """Play some of the games in another process (compiled scenarios do not travel: load it again)."""
    from game.scenario import load_text

    sc = load_text(text, name, Path(path) if path else None)
    factory, _, _ = _policy_factory()
    return _play_jobs(sc, factory, players_of, jobs, seed)


def _in_processes(sc: Scenario, players_of: list, jobs: list, seed: int, workers: int,
                  progress: Callable[[int, int], None] | None) -> tuple[list[Pairing], Tally]:
    from concurrent.futures import ProcessPoolExecutor, as_completed

    text = sc.path.read_text(encoding="utf-8")
    n = min(len(jobs), workers * 4)
    chunks = [jobs[k::n] for k in range(n)]  # interleaved, so slow pairings spread over workers
    pairings = [Pairing(p) for p in players_of]
    tally = Tally()
    done = 0
    import multiprocessing

    # spawn, not fork: forking a process that runs other threads (an interface, a test runner) can
    # deadlock the child.
    from game.sim.batch import exit_with_parent

    # exit_with_parent: the workers stop if this process is killed, instead of playing on alone.
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=exit_with_parent) as pool:
        futures = {pool.submit(_worker, text, str(sc.path), str(sc.path), players_of, chunk, seed): len(chunk)
                   for chunk in chunks}
        for fut in as_completed(futures):
            part_pairings, part = fut.result()
            for mine, theirs in zip(pairings, part_pairings):
                mine.add(theirs)
            _merge(tally, part)
            done += futures[fut]
            if progress:
                progress(done, len(jobs))
    tally.crashes.sort(key=lambda c: (c[0], c[1]))
    tally.unfinished.sort(key=lambda c: (c[0], c[1]))
    return pairings, tally


def _merge(into: Tally, other: Tally) -> None:
    into.games += other.games
    for name in ("events", "legal", "chosen", "on_offer", "agreed", "choices", "standoffs"):
        getattr(into, name).update(getattr(other, name))
    for name in ("thought", "stuck"):
        mine = getattr(into, name)
        for key, counts in getattr(other, name).items():
            mine.setdefault(key, collections.Counter()).update(counts)
    into.crashes += other.crashes
    into.unfinished += other.unfinished


# --- findings ----------------------------------------------------------------------------------

def _move_path(sc: Scenario, move_id: str) -> str:
    m = sc.move_by_id[move_id]
    if m.issue:
        field = "raised_by" if move_id.startswith("raise:") else "lowered_by"
        return f"issues.{m.issue}.{field}"
    return f"moves[{m.index}]"


def _term_path(sc: Scenario, term_id: str) -> str:
    t = sc.term_by_id[term_id]
    return f"issues.{t.issue}.moved_by" if t.issue else f"terms[{t.index}]"


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:.0f}%" if d else "-"


def findings_from(sc: Scenario, pairings: list[Pairing], tally: Tally) -> list[Finding]:
    out: list[Finding] = []
    n = tally.games
    played = n - len(tally.crashes) - len(tally.unfinished)
    for players, seed, message in tally.crashes[:5]:
        out.append(Finding(ERROR, "game-crashed", f"a game crashed ({players[0]} vs {players[1]}, "
                           f"seed {seed}): {message}", hint="a scenario should never crash the game; "
                           "report it with the file if the message does not point to the scenario"))
    if len(tally.crashes) > 5:
        out.append(Finding(ERROR, "game-crashed", f"{len(tally.crashes) - 5} more games crashed"))
    for players, seed, message in tally.unfinished[:3]:
        out.append(Finding(ERROR, "game-never-ends", f"a game never ended ({players[0]} vs {players[1]}, "
                           f"seed {seed}): {message}", "scenario.turns",
                           hint="check for events or standoffs that keep reopening the same decision"))
    if not played:
        return out
    ending_counts = collections.Counter()
    for p in pairings:
        ending_counts.update(p.endings)
    for en in sc.endings:
        if not ending_counts[en.id]:
            out.append(Finding(WARNING, "ending-never-reached", f"ending '{en.id}' was never reached in "
                               f"{played} games", f"endings[{en.index}].when",
                               hint="loosen its condition, or check that the meters it reads can get there"))
    top, top_n = ending_counts.most_common(1)[0]
    if len(sc.endings) > 1 and played >= 10 and top_n / played > 0.9:
        path = f"endings[{next(e.index for e in sc.endings if e.id == top)}]" if top != "score" else ""
        what = f"ending '{top}'" if top != "score" else "no ending (the scores decided)"
        out.append(Finding(WARNING, "ending-dominates", f"{what} closed {_pct(top_n, played)} of the games",
                           path, hint="the other endings hardly matter; make them easier to reach"))
    for ev in sc.events:
        if not tally.events[ev.id]:
            out.append(Finding(WARNING, "event-never-fired", f"event '{ev.id}' never fired in {played} games",
                               f"events[{ev.index}].when" if ev.when is not None else f"events[{ev.index}]",
                               hint="its trigger may never hold, or its chance is too low"))
        elif ev.choices:
            for ch in ev.choices:
                if not tally.choices[(ev.id, ch.id)] and ch.ai > 0:
                    j = ev.choices.index(ch)
                    out.append(Finding(NOTE, "choice-never-chosen", f"choice '{ch.id}' of event '{ev.id}' was "
                                       "never chosen", f"events[{ev.index}].choices[{j}]"))
    for m in sc.moves:
        who = sc.actor(m.by).name
        if not tally.legal[m.id]:
            path = _move_path(sc, m.id)
            if not m.issue:
                path += ".when" if m.when_text else ".cost" if m.cost else ""
            reasons = ([f"its condition '{m.when_text}' never held"] if m.when_text else []) + (
                ["its cost was never affordable"] if m.cost else [])
            out.append(Finding(WARNING, "move-never-legal", f"move '{m.id}' ({who}) was never allowed in "
                               f"{played} games", path, hint=" or ".join(reasons) or "check its cooldown"))
        elif not tally.chosen[m.id]:
            out.append(Finding(WARNING, "move-never-chosen", f"move '{m.id}' ({who}) was allowed but never "
                               f"chosen in {played} games", _move_path(sc, m.id),
                               hint="it may be too weak or too costly for what it does"))
    for side, counts in tally.thought.items():
        total = sum(counts.values())
        if total >= DOMINANT_MIN:
            mid, k = counts.most_common(1)[0]
            if k / total >= DOMINANT_SHARE and sum(1 for m in sc.moves if m.by == side) > 1:
                out.append(Finding(WARNING, "move-dominates", f"move '{mid}' made up {_pct(k, total)} of the "
                                   f"moves the greedy and search players took for {sc.actor(side).name}, "
                                   "passes aside",
                                   _move_path(sc, mid), hint="it may be too strong or too cheap"))
    for t in sc.terms:
        if not tally.on_offer[t.id]:
            out.append(Finding(WARNING, "term-never-on-offer", f"deal term '{t.id}' was never on offer in "
                               f"{played} games", _term_path(sc, t.id) + (".when" if not t.issue else ""),
                               hint="its condition never held"))
        elif not tally.agreed[t.id]:
            out.append(Finding(NOTE, "term-never-agreed", f"deal term '{t.id}' was never part of an accepted "
                               "deal", _term_path(sc, t.id)))
    for so in sc.standoffs:
        if not tally.standoffs[so.id]:
            out.append(Finding(WARNING, "standoff-never-opened", f"standoff '{so.id}' never opened in "
                               f"{played} games", f"standoffs[{so.index}]",
                               hint="no move that opens it was ever taken"))
    derived = {slot for slot, _ in sc.derived}  # they only mirror what they are computed from
    for slot in range(sc.n_meters):
        name = sc.names[slot]
        if slot in derived:
            continue
        for bound, label, value in ((0, "minimum", sc.lo[slot]), (1, "maximum", sc.hi[slot])):
            k = tally.stuck.get(name, {}).get(bound, 0)
            if k > STUCK_GAMES * played:
                out.append(Finding(WARNING, "meter-stuck", f"meter '{name}' sat at its {label} ({value:g}) "
                                   f"for most of the game in {_pct(k, played)} of the games", f"meters.{name}",
                                   hint="widen its range or soften the effects that push it there"))
    for p in pairings:
        if p.players[0] == p.players[1]:
            finished = p.games - p.crashed - p.unfinished
            for side in sc.players:
                w = p.winners[side]
                if finished >= 10 and w / finished >= LOPSIDED:
                    out.append(Finding(WARNING, "lopsided", f"{sc.actor(side).name} won {_pct(w, finished)} of "
                                       f"the {p.players[0]}-vs-{p.players[0]} games", f"actors.{side}",
                                       hint="between equal players one side nearly always wins"))
                elif (finished >= 10 and p.players[0] in THINKING and w / finished > STRONG_LOPSIDED):
                    out.append(Finding(WARNING, "lopsided-strong", f"{sc.actor(side).name} won "
                                       f"{_pct(w, finished)} of the {p.players[0]}-vs-{p.players[0]} games",
                                       f"actors.{side}", hint=f"between the stronger players neither side "
                                       f"should win more than {STRONG_LOPSIDED:.0%}; give the other side a "
                                       "route to its endings"))
    return out


def static_findings(sc: Scenario) -> list[Finding]:
    """Cheap checks that need no games: meters nothing changes and nobody cares about."""
    out = []
    raw = sc.raw
    changed: set[str] = set()
    for m in raw.moves:
        changed.update(m.effects)
        changed.update(m.cost)
    for t in raw.terms:
        changed.update(t.effects)
    for e in raw.events:
        changed.update(e.effects)
        for ch in e.choices:
            changed.update(ch.effects)
    for so in raw.standoffs:
        for table in (so.press, so.concede, so.back_down, so.rupture_effects):
            changed.update(table)
    for iid, iss in raw.issues.items():
        if iss.raised_by or iss.lowered_by or iss.moved_by:
            changed.add(iid)
        for entry in iss.on_level.values():
            changed.update(entry.effects)
        if iss.ledger:
            changed.update(iss.ledger.on_broken)
    valued = {k for a in raw.actors.values() for k in a.values}
    read = _names_read(raw)
    for mid, met in raw.meters.items():
        if met.formula or met.drift or mid in changed:
            continue
        out.append(Finding(WARNING, "meter-never-changes", f"meter '{mid}' never changes: no effect, "
                           "drift or formula touches it", f"meters.{mid}",
                           hint="it stays at its start value all game"))
    for iid, iss in raw.issues.items():
        if iid not in changed:
            out.append(Finding(WARNING, "issue-never-changes", f"issue '{iid}' never changes: no move, term "
                               "or effect moves it", f"issues.{iid}",
                               hint="add raised_by, moved_by, or effects that name it"))
    for i, e in enumerate(raw.events):
        if e.choices and all(ch.when for ch in e.choices):
            conds = "; ".join(f"'{ch.id}' needs {ch.when}" for ch in e.choices)
            out.append(Finding(WARNING, "choices-may-all-be-unavailable",
                               f"event '{e.id}': every choice has a condition ({conds}); when none holds, "
                               f"its default '{e.default}' is taken without asking {e.actor or 'anyone'}",
                               f"events[{i}].choices",
                               hint="give one choice no condition, so there is always something to decide"))
    for kind, ids in (("meters", raw.meters), ("issues", raw.issues)):
        for name in ids:
            if name not in valued and name not in read:
                out.append(Finding(NOTE, "never-read", f"'{name}' matters to nothing: no actor values it and "
                                   "no condition, formula or effect reads it", f"{kind}.{name}",
                                   hint="add it to an actor's values or use it in a condition"))
    return out


def historical_findings(sc: Scenario) -> list[Finding]:
    """Whether the historical line, played by both sides, ends where its ``expect`` says."""
    from game.describe import expect_held, missed_moves

    hist = sc.raw.historical
    try:
        held = expect_held(sc)
        missed = missed_moves(sc)
    except Exception as exc:  # noqa: BLE001 - reported like a crashing game
        return [Finding(ERROR, "historical-line-crashed", f"playing the historical line raised "
                        f"{type(exc).__name__}: {exc}", "historical")]
    # A note: a 'choose' waits on an event that may not fire, and the line may leave a move out on purpose.
    out = [Finding(NOTE, "historical-move-not-played", f"historical move {i + 1} ({hist.moves[i].by}: "
                   f"{hist.moves[i].move}, turn {hist.moves[i].turn}) was not played when both sides "
                   f"played the line: it was not {hist.moves[i].by}'s move then, or not legal",
                   f"historical.moves[{i}]", hint="check the turn, the side and the order of the line's moves")
           for i in missed if hist.moves[i].move != "choose"]
    if held is False:
        out.append(Finding(WARNING, "historical-expect-failed", f"after both sides play the historical line "
                           f"to turn {hist.until}, expect '{hist.expect}' does not hold", "historical.expect",
                           hint="check the line's moves, or the effects they have"))
    return out


def _names_read(raw) -> set[str]:
    """Every name read by an expression anywhere in the file."""
    from game.scenario.expr import ExprError, names_in, parse

    texts: list[str] = []

    def walk(obj):
        if attrs.has(type(obj)):
            for f in attrs.fields(type(obj)):
                v = getattr(obj, f.name)
                if f.name in ("when", "drift", "formula", "rupture", "expect") and isinstance(v, str):
                    texts.append(v)
                else:
                    walk(v)
        elif isinstance(obj, dict):
            for v in obj.values():
                if isinstance(v, str):
                    texts.append(v)  # an effect amount
                else:
                    walk(v)
        elif isinstance(obj, list):
            for v in obj:
                walk(v)

    walk(raw)
    names: set[str] = {k for m in raw.moves for k in m.cost}  # a meter spent as a cost gates its move
    names.update(so.tension for so in raw.standoffs)
    for text in texts:
        if text:
            try:
                names.update(names_in(parse(text)))
            except ExprError:
                pass
    return names


# --- the command's engine ----------------------------------------------------------------------

def lint(sc: Scenario, games: int = 10, seed: int = 0, players: tuple[str, ...] | None = None,
         sources: str | Path | None = None, progress: Callable[[int, int], None] | None = None,
         workers: int = 1, search_games: int | None = -1) -> Report:
    """Lint a loaded scenario: static checks, simulated games and, optionally, source quotes.

    A pairing with a search player plays at most ``search_games`` games: by default (-1)
    ``search_cap(sc)``; None plays ``games`` for every pairing."""
    t0 = time.perf_counter()
    file = str(sc.path) if sc.path else sc.id
    text = sc.path.read_text(encoding="utf-8") if sc.path and sc.path.exists() else ""
    report = Report(file, sc.id, games, seed, tuple(players or PLAYERS), endings=tuple(e.id for e in sc.endings),
                    sides=sc.players)
    if search_games is not None and search_games < 0:
        search_games = search_cap(sc)
    report.search_games = search_games
    findings = static_findings(sc) + historical_findings(sc)
    if sources is not None:
        doc_path = Path(sources)
        doc_text = doc_path.read_text(encoding="utf-8")
        checked, problems = check_sources(sc.raw, doc_text, text, doc_path.name)
        report.quotes_checked = checked
        for p in problems:
            findings.append(Finding(ERROR, "quote-not-found", p.message, p.path, None, p.hint))
        if not checked:
            findings.append(Finding(NOTE, "no-quotes", "the scenario cites no paragraphs, so there was "
                                    "nothing to check against the document"))
    if games > 0:
        pairings, tally, notes = simulate(sc, games, seed, players, progress, workers, search_games)
        report.pairings = pairings
        report.tally = tally
        report.players = tuple(dict.fromkeys(p for pr in pairings for p in pr.players))
        findings += notes + findings_from(sc, pairings, tally)
    lines = line_map(text) if text else {}
    report.findings = sorted((attrs.evolve(f, line=f.line or (find_line(lines, f.path) if f.path else None))
                              for f in findings),
                             key=lambda f: ({ERROR: 0, WARNING: 1, NOTE: 2}[f.level], f.line or 0))
    report.seconds = time.perf_counter() - t0
    return report


def invalid_report(file: str, exc: ScenarioError) -> Report:
    """A report for a file that does not load: its problems are the errors."""
    report = Report(file, "", 0, 0, ())
    report.findings = [Finding(ERROR, "invalid", p.message, p.path, p.line, p.hint) for p in exc.problems]
    return report


def render(report: Report, sc: Scenario | None = None, file: str | None = None) -> str:
    """The report as text for the terminal."""
    file = file or report.file
    out: list[str] = []
    t = report.tally
    if sc is not None and t is not None:
        names = {a: sc.actor(a).name for a in sc.players}
        out.append(f"{sc.title} ({sc.id}): {t.games} simulated games, {report.games_per_pairing} per pairing, "
                   f"seed {report.seed} ({report.seconds:.1f} s)")
        if report.capped:
            few = "; too few to judge their balance" if report.search_games < 10 else ""
            out.append(f"Pairings with a search player played {report.search_games} games each (capped, "
                       f"as the search player is slow; --search-games N plays more{few})")
        out.append("")
        ends = list(report.endings) + ["score"]
        head = f"{sc.players[0]} vs {sc.players[1]}"
        w0 = max(len(head), 17)
        cols = [e if len(e) <= 12 else e[:11] + "…" for e in ends]
        widths = [max(6, len(c)) for c in cols]
        header = f"  {head:<{w0}}  " + "  ".join(f"{c:>{w}}" for c, w in zip(cols, widths))
        header += "  " + "  ".join(f"{names[a][:10] + ' wins':>15}" for a in sc.players) + f"  {'nobody':>7}  {'turns':>5}"
        out.append("Outcomes (share of each pairing's games)")
        out.append(header)
        rows = list(report.pairings)
        total = Pairing(("all", "all"))
        for p in rows:
            total.add(p)
        for p in rows + ([total] if len(rows) > 1 else []):
            finished = p.games - p.crashed - p.unfinished
            label = "all games" if p is total else f"{p.players[0]} vs {p.players[1]}"
            line = f"  {label:<{w0}}  " + "  ".join(f"{_pct(p.endings[e], finished):>{w}}" for e, w in zip(ends, widths))
            line += "  " + "  ".join(f"{_pct(p.winners[a], finished):>15}" for a in sc.players)
            line += f"  {_pct(p.winners[None], finished):>7}  {p.turns / finished if finished else 0:>5.1f}"
            if p.crashed or p.unfinished:
                line += f"  ({p.crashed} crashed, {p.unfinished} unfinished)"
            out.append(line)
        out.append("")
        fired = [(e.id, t.events[e.id]) for e in sc.events]
        if fired:
            out.append("Events (share of games they fired in): " + ", ".join(
                f"{eid} {_pct(k, t.games)}" for eid, k in fired))
            out.append("")
    if report.quotes_checked:
        bad = sum(1 for f in report.findings if f.code == "quote-not-found")
        out.append(f"Sources: {report.quotes_checked} quotes checked, {bad} not found")
        out.append("")
    for f in report.findings:
        out.append(f.text(file))
    n_err, n_warn = len(report.errors), len(report.warnings)
    n_note = len(report.findings) - n_err - n_warn
    out.append(("" if not report.findings else "\n") +
               f"{n_err} error{'s' * (n_err != 1)}, {n_warn} warning{'s' * (n_warn != 1)}, "
               f"{n_note} note{'s' * (n_note != 1)}")
    return "\n".join(out)
