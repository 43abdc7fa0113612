"""Hot reload for `union-state play SCENARIO --watch`: notice when the file changes, load it again,
and carry the game over by replaying its moves on the new scenario.

Call ``ScenarioWatcher.poll(session)`` once a frame: it costs one clock read until ``interval`` has
passed, then one ``stat``; the file is read and hashed only when its size or time changed. A file
that no longer loads gives ``LoadFailed`` with the loader's error (show it; keep playing the old
game); the next good save gives ``Reloaded``.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path

import attrs

from game.engine import IllegalMove, Move
from game.files import read_limited
from game.scenario import Scenario, ScenarioError, load_bytes
from game.scenario.errors import Problem
from game.scenario.loader import MAX_FILE_BYTES
from game.session import Session


@attrs.frozen
class Reloaded:
    """The file changed and loads. ``session`` is the game carried over (None when poll was given
    no session); ``kept`` are the moves that replayed, ``dropped`` the ones that no longer could."""

    scenario: Scenario
    session: Session | None
    kept: tuple[Move, ...] = ()
    dropped: tuple[Move, ...] = ()

    @property
    def message(self) -> str:
        if self.session is None:
            return f"Reloaded {self.scenario.title}."
        text = f"Reloaded {self.scenario.title}: {len(self.kept)} move{'s' * (len(self.kept) != 1)} replayed"
        if self.dropped:
            text += f", {len(self.dropped)} dropped (from '{_describe(self.dropped[0])}' on)"
        return text + "."


@attrs.frozen
class LoadFailed:
    """The file changed but does not load; ``error.problems`` says why, with lines."""

    error: ScenarioError

    @property
    def message(self) -> str:
        n = len(self.error.problems)
        return f"The scenario file has {n} problem{'s' * (n != 1)}; still playing the last good version."

    @property
    def lines(self) -> list[str]:
        """One line per problem, for an overlay: 'line 12: moves[0].when: unknown name ... (hint)'."""
        out = []
        for p in self.error.problems:
            where = f"line {p.line}: " if p.line else ""
            text = f"{where}{p.path}: {p.message}" if p.path else f"{where}{p.message}"
            out.append(text + (f" ({p.hint})" if p.hint else ""))
        return out


class ScenarioWatcher:
    """Watches one scenario file for changes."""

    def __init__(self, path: str | Path, scenario: Scenario | None = None, interval: float = 0.3,
                 clock: Callable[[], float] = time.monotonic):
        self.path = Path(path)
        self.interval = interval
        self.clock = clock
        self.scenario = scenario              # the last version that loaded
        self.error: ScenarioError | None = None
        self._stamp = self._stat()
        self._digest = scenario.digest if scenario is not None else None
        self._next = clock() + interval

    def _stat(self) -> tuple | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def poll(self, session: Session | None = None, force: bool = False) -> Reloaded | LoadFailed | None:
        """Check the file; None when nothing changed (or too soon since the last check)."""
        now = self.clock()
        if not force and now < self._next:
            return None
        self._next = now + self.interval
        stamp = self._stat()
        if not force and stamp == self._stamp and self._digest is not None:
            return None
        self._stamp = stamp
        try:
            data = read_limited(self.path, MAX_FILE_BYTES)  # never a device, a FIFO or gigabytes
        except OSError as exc:
            if self._digest == "missing":
                return None
            self._digest = "missing"
            return self._failed(ScenarioError([Problem(str(self.path), "", None, "cannot read the file: "
                                                       f"{exc.strerror or exc}", "was it moved or renamed?")]))
        digest = hashlib.sha256(data).hexdigest()
        if digest == self._digest:
            return None  # touched or rewritten with the same bytes
        self._digest = digest
        try:
            scenario = load_bytes(data, str(self.path), self.path)
        except ScenarioError as exc:
            return self._failed(exc)
        self.scenario = scenario
        self.error = None
        if session is None:
            return Reloaded(scenario, None)
        new, kept, dropped = reload_session(session, scenario)
        return Reloaded(scenario, new, tuple(kept), tuple(dropped))

    def _failed(self, exc: ScenarioError) -> LoadFailed:
        self.error = exc
        return LoadFailed(exc)


def reload_session(old: Session, scenario: Scenario) -> tuple[Session, list[Move], list[Move]]:
    """A session on the new scenario with the same seed and the longest prefix of the old moves
    that is still legal; returns (session, kept moves, dropped moves).

    Developer-console edits in the old game are run again on the new scenario (see console.py);
    the replay stops at the first move or edit that no longer applies.
    """
    from game.authoring import console

    new: Session = Session(scenario, old.seed)
    moves = list(old.moves)
    kept: list[Move] = []
    for i, move in enumerate(moves):
        try:
            if console.is_edit(move):
                result = console.run(new, move.ref)
                if not result.ok:
                    return new, kept, moves[i:]
                new = result.session
            else:
                new.apply(move)
        except (IllegalMove, KeyError, ValueError, IndexError):
            return new, kept, moves[i:]
        kept.append(move)
    return new, kept, []


def _describe(move: Move) -> str:
    if move.kind == "console":
        return move.ref
    return f"{move.actor} {move.kind}" + (f" {move.ref}" if move.ref else "") + (
        f" {'+'.join(move.terms)}" if move.terms else "")
