"""A game as the interface runs it: who is human, the computer's thinking, notices to show.

No pygame here: the main screen reads ``Match`` and turns its notices into announcements, pop-ups,
log lines and map markers. Humans and the computer submit the same ``Move`` objects.
"""

from __future__ import annotations

from collections import deque

import attrs

from game.engine import ANSWER, ANSWER_COUNTER, CHOOSE, IllegalMove, Move, Step
from game.session import Session
from game.ui import explain
from game.ui.opponent import ReplayPolicy, Thinker, make_policy


TURN_ENDING = ("unilateral", "pass")  # a side's own move of the month


def humans_for(sc, side: str) -> frozenset[str]:
    """The players the people at the computer take for ``side`` (an actor id, "both" or "none")."""
    if side == "both":
        return frozenset(sc.players)
    if side == "none":
        return frozenset()
    return frozenset([side]) if side in sc.players else frozenset([sc.players[0]])


@attrs.frozen
class Notice:
    """Something that happened, for the interface: a move with its direct effects, or an event."""

    kind: str            # "move", "event", "turn", "deal", "standoff", "broken", "ending"
    actor: str | None    # who moved, for "move"
    title: str
    text: str = ""
    changes: tuple[tuple[str, float, float], ...] = ()
    ref: str = ""        # event id, move id, standoff id, ...
    turn: int = 0
    places: tuple[str, ...] = ()
    human: bool = False  # made by a human on this machine (no announcement needed)


class Match:
    def __init__(self, session: Session, humans: set[str] | frozenset[str], difficulty: str = "normal",
                 replay: list[Move] | None = None, worker: bool = True):
        self.session = session
        sc = session.scenario
        self.scenario = sc
        self.humans = frozenset(humans) if replay is None else frozenset()
        self.difficulty = difficulty
        self.replay = replay
        # A searching computer thinks for up to a quarter second a move: give it its own process so
        # it never competes with the interface thread (when the scenario has a file to load, and
        # ``worker`` allows: not under `play --watch`, where the file changes and the console
        # makes moves the worker cannot replay).
        from game.ai import parse_spec

        slow = (worker and replay is None and parse_spec(difficulty)[0] == "search" and sc.path is not None
                and not self.humans >= set(sc.players))
        self.thinker = Thinker({"path": str(sc.path), "seed": session.seed, "name": difficulty} if slow else None)
        if replay is not None:
            rp = ReplayPolicy(replay)
            self.policies = {p: rp for p in sc.players}
        else:
            self.policies = {p: make_policy(difficulty, sc, p, seed=session.seed)
                             for p in sc.players if p not in self.humans}
        # What each human side believes about the other, learnt from its moves as the computer
        # learns (game.ai.beliefs): the deal table's odds and the bargaining range read it.
        from game.ai.beliefs import Belief

        self.beliefs = {p: Belief(sc, sc.actor_index(p), session.seed) for p in self.humans}
        for i, m in enumerate(session.moves):  # a loaded game: learn its history again
            self._learn(session.steps[i].state, m)
        self.notices: deque[Notice] = deque()
        # actor -> index into session.steps of the step its last turn's move (or pass) made: the
        # board's arrows show what changed since then (its own move, the other side's, the
        # drift, this month's events and deals).
        self.last_decision: dict[str, int] = {}
        self.error: str = ""
        # A new game announces turn 1's events; a loaded one starts quietly where it was left.
        if len(session.steps) == 1:
            self._notice_step(session.steps[0], None, None)
        for i, m in enumerate(session.moves):
            if m.kind in TURN_ENDING:
                self.last_decision[m.actor] = i + 1

    # --- queries ----------------------------------------------------------------------------
    @property
    def state(self):
        return self.session.state

    @property
    def over(self) -> bool:
        return self.session.state.is_over

    @property
    def replay_done(self) -> bool:
        return self.replay is not None and len(self.session.moves) >= len(self.replay)

    def human_to_move(self) -> bool:
        s = self.session.state
        return not s.is_over and s.actor_id in self.humans

    def computer_to_move(self) -> bool:
        s = self.session.state
        if s.is_over or s.actor_id in self.humans:
            return False
        return not self.replay_done

    @property
    def thinking(self) -> bool:
        return self.thinker.busy

    def window_start(self, actor: str) -> int:
        """Index of the first step whose changes count as 'since your last turn' for ``actor``."""
        if actor in self.last_decision and actor in self.humans:
            return self.last_decision[actor]
        # Watching: this turn's steps.
        steps = self.session.steps
        turn = steps[-1].state.turn
        i = len(steps) - 1
        while i > 0 and steps[i - 1].state.turn == turn:
            i -= 1
        return i

    def recent_changes(self, actor: str) -> list:
        return [c for st in self.session.steps[self.window_start(actor):] for c in st.changes]

    def belief_of(self, actor: str):
        """The belief a human side holds about the other (None for a computer side)."""
        return self.beliefs.get(actor)

    def _learn(self, before, move: Move) -> None:
        """Every learner (human sides' beliefs, computer players) sees a move as it is made."""
        seen = set()
        for o in (*self.beliefs.values(), *self.policies.values()):
            observe = getattr(o, "observe", None)
            if observe is not None and id(o) not in seen:
                seen.add(id(o))
                observe(before, move)

    # --- acting ---------------------------------------------------------------------------------
    def submit(self, move: Move) -> Step:
        """A human's move. Raises IllegalMove with a reason to show."""
        s = self.session.state
        if s.actor_id not in self.humans:
            raise IllegalMove(f"It is {self.scenario.actor(s.actor).name}'s turn.")
        before = s
        step = self.session.apply(move)
        self._learn(before, move)
        if move.kind in TURN_ENDING:
            self.last_decision[move.actor] = len(self.session.steps) - 1
        self._notice_step(step, move, before, human=True)
        return step

    def poll(self) -> Step | None:
        """Start or collect the computer's decision; returns the step once a move was applied."""
        if not self.computer_to_move():
            return None
        s = self.session.state
        actor = s.actor_id
        if not self.thinker.busy:
            seed = f"{self.session.seed}:{len(self.session.moves)}:{actor}"
            self.thinker.start(self.policies[actor], s, actor, seed, self.session.moves)
            return None
        move = self.thinker.result()
        if move is None:
            return None
        before = s
        try:
            step = self.session.apply(move)
        except IllegalMove as exc:  # a replay that no longer fits
            self.error = str(exc)
            self.replay = list(self.session.moves)
            return None
        self._learn(before, move)
        if move.kind in TURN_ENDING:
            self.last_decision[actor] = len(self.session.steps) - 1
        self._notice_step(step, move, before)
        return step

    def close(self) -> None:
        self.thinker.close()

    def history_notices(self) -> list[Notice]:
        """Notices for every step so far, as they would have been shown, without queueing them:
        the log of a game rebuilt by a hot reload or a developer-console command."""
        queued = self.notices
        self.notices = deque()
        try:
            steps = self.session.steps
            self._notice_step(steps[0], None, None)
            for i, move in enumerate(self.session.moves):
                self._notice_step(steps[i + 1], move, steps[i].state, human=move.actor in self.humans)
            return list(self.notices)
        finally:
            self.notices = queued

    # --- notices -----------------------------------------------------------------------------
    def _notice_step(self, step: Step, move: Move | None, before, human: bool = False) -> None:
        sc = self.scenario
        out: list[Notice] = []
        st = step.state
        if move is not None and before is not None:
            direct = explain.aggregate(explain.direct_changes(step, before))
            ch = tuple((k, a, b) for k, (a, b) in direct.items())
            text = ""
            ref = move.ref
            if move.kind == "unilateral":
                m = sc.move_by_id.get(move.ref)
                text = m.text if m else ""
            elif move.kind == "choose" and before.pending_event >= 0:
                ev = sc.events[before.pending_event]
                for c in ev.choices:
                    if c.id == move.ref:
                        text = c.text
            elif move.kind in ("accept", "reject") and before.deal:
                names = "; ".join(sc.terms[i].name for i in before.deal)
                text = f"The deal: {names}."
            elif move.kind in ("concede", "stand_firm", "press", "back_down") and before.standoff >= 0:
                so = sc.standoffs[before.standoff]
                text = so.name
            places = tuple(explain.places_of_step(sc, step, move))
            out.append(Notice("move", move.actor, explain.move_text(sc, move), text, ch, ref,
                              before.turn, places[:1] if move.kind == "unilateral" else (), human))
        if before is not None and st.turn != before.turn and not st.is_over:
            out.append(Notice("turn", None, f"Turn {st.turn} · {sc.date_label(st.turn)}", turn=st.turn))
        for f in step.fired:
            kind = explain.kind_of(f)
            if kind == "event" and f.id in sc.event_by_id:
                ev = sc.event_by_id[f.id]
                agg = explain.aggregate(c for c in step.changes
                                        if explain.kind_of(c.cause) == "event" and c.cause.id == ev.id)
                ch = tuple((k, a, b) for k, (a, b) in agg.items())
                out.append(Notice("event", None, ev.title, ev.text, ch, ev.id, st.turn,
                                  (ev.place,) if ev.place else ()))
            elif kind == "broken":
                issue = f.id
                label = sc.labels[sc.slots[issue]] if issue in sc.slots else issue
                out.append(Notice("broken", None, f"Promise broken: {label}",
                                  "A programme signed on paper was not implemented in time.", ref=issue,
                                  turn=st.turn))
            elif kind == "standoff" and f.id == "rupture":
                out.append(Notice("standoff", None, "Rupture", "The standoff ends in an open break.",
                                  ref=str(f), turn=st.turn))
            elif kind == "ending":
                out.append(Notice("ending", None, "The game is over", ref=f.id, turn=st.turn))
        self.notices.extend(out)

    def pending_choice_event(self):
        s = self.session.state
        if s.phase == CHOOSE and s.pending_event >= 0:
            return self.scenario.events[s.pending_event]
        return None

    def deal_on_table(self) -> tuple[str, ...]:
        s = self.session.state
        if s.phase in (ANSWER, ANSWER_COUNTER):
            return tuple(self.scenario.terms[i].id for i in s.deal)
        return ()
