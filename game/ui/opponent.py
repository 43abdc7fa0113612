"""Computer players for the interface: the AI package's policies, thinking off the interface thread.

The contract (``game.ai``): ``make_policy(name, scenario, actor, seed=0)`` returns an object with
``choose(view, legal, rng) -> Move``. Until that package exists, a random choice over the legal
moves stands in, so the interface can be played end to end.
"""

from __future__ import annotations

import random
from concurrent.futures import Future, InvalidStateError, ThreadPoolExecutor

from game.engine import IllegalMove, Move, State, illegal_reason, legal_moves, view
from game.scenario import Scenario


class RandomPolicy:
    """The stand-in: a uniform choice over the legal moves, preferring no deal to a random one."""

    name = "random"

    def choose(self, v, legal: list[Move], rng: random.Random) -> Move:
        simple = [m for m in legal if m.kind not in ("propose", "counter")]
        pool = simple if simple and rng.random() < 0.8 else legal
        return rng.choice(pool)


def make_policy(name: str, scenario: Scenario, actor: str, seed: int = 0):
    """A policy from ``game.ai`` when it is installed, else the random stand-in."""
    try:
        from game.ai import make_policy as _make
    except ImportError:
        return RandomPolicy()
    try:
        return _make(name, scenario, actor, seed=seed)
    except (ValueError, KeyError):
        return _make("normal", scenario, actor, seed=seed)


class ReplayPolicy:
    """Plays back the moves of a saved game, in order, for both sides."""

    name = "replay"

    def __init__(self, moves: list[Move]):
        self.moves = list(moves)
        self.index = 0

    def choose(self, v, legal, rng) -> Move:
        m = self.moves[self.index]
        self.index += 1
        return m


class Thinker:
    """Runs ``policy.choose`` off the interface thread; the interface polls ``result``.

    A worker thread suits the quick policies. A slow one (a search policy thinks for up to a
    quarter of a second) would hold Python's global lock against the interface thread, so with
    ``process`` set it runs in a separate process (``game.ui.aiworker``) that loads the scenario
    from its file and keeps its own copy of the game, fed with the moves so far. If that process
    cannot start, the thread is used.
    """

    def __init__(self, process: dict | None = None):
        self._future: Future | None = None
        self._for: tuple | None = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ai")
        self._worker = None
        if process is not None:
            try:
                self._worker = _Worker(process["path"], process["seed"], process["name"])
            except OSError:
                self._worker = None

    @property
    def in_process(self) -> bool:
        return self._worker is not None

    def start(self, policy, state: State, actor: str, rng_seed: str, moves: list[Move] | None = None) -> None:
        key = (id(state), actor)
        if self._future is not None and self._for == key:
            return
        self.cancel()
        self._for = key
        if self._worker is not None:
            self._future = self._worker.submit([m.to_json() for m in moves or []], actor, rng_seed)
        else:
            self._future = self._pool.submit(_decide, policy, state, actor, rng_seed)

    @property
    def busy(self) -> bool:
        return self._future is not None

    def result(self) -> Move | None:
        """The chosen move once ready (None while thinking). Re-raises a policy's crash."""
        f = self._future
        if f is None or not f.done():
            return None
        self._future = None
        self._for = None
        try:
            return f.result()
        except AIProcessError:
            # The separate process is gone: think on the thread from now on (asked again next poll).
            if self._worker is not None:
                self._worker.close()
            self._worker = None
            return None

    def cancel(self) -> None:
        if self._future is not None:
            self._future.cancel()
        self._future = None
        self._for = None

    def close(self) -> None:
        self.cancel()
        self._pool.shutdown(wait=False, cancel_futures=True)
        if self._worker is not None:
            self._worker.close()


class AIProcessError(RuntimeError):
    """The computer player's process failed."""


class _Worker:
    """The ``game.ui.aiworker`` process and a thread that reads its answers."""

    def __init__(self, path: str, seed: int, name: str):
        import subprocess
        import sys
        import threading

        import os
        from pathlib import Path

        env = dict(os.environ)
        root = str(Path(__file__).resolve().parents[2])  # so a source checkout works uninstalled
        env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        self._proc = subprocess.Popen([sys.executable, "-m", "game.ui.aiworker", path, str(seed), name],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                      text=True, bufsize=1, env=env)
        self._pending: dict[int, Future] = {}
        self._next = 0
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, name="ai-reader", daemon=True)
        self._reader.start()

    def submit(self, moves: list[dict], actor: str, rng: str) -> Future:
        import json

        f: Future = Future()
        with self._lock:
            self._next += 1
            n = self._next
            self._pending[n] = f
        try:
            self._proc.stdin.write(json.dumps({"id": n, "moves": moves, "actor": actor, "rng": rng}) + "\n")
            self._proc.stdin.flush()
        except (OSError, ValueError) as exc:
            with self._lock:
                self._pending.pop(n, None)
            f.set_exception(AIProcessError(f"the computer player stopped ({exc})"))
        return f

    def _read(self) -> None:
        import json

        for line in self._proc.stdout:
            try:
                reply = json.loads(line)
            except ValueError:
                continue
            with self._lock:
                f = self._pending.pop(reply.get("id"), None)
            if f is None or f.cancelled():
                continue
            try:
                if "move" in reply:
                    f.set_result(Move.from_json(reply["move"]))
                else:
                    f.set_exception(RuntimeError(reply.get("error", "the computer player failed")))
            except InvalidStateError:  # cancelled meanwhile
                pass
        with self._lock:
            pending, self._pending = self._pending, {}
        for f in pending.values():
            try:
                f.set_exception(AIProcessError("the computer player's process ended"))
            except InvalidStateError:
                pass

    def close(self) -> None:
        """Ask the process to finish (it ends when its input closes); never wait on the interface
        thread: a watcher ends it by force if it is still busy two seconds later."""
        import threading

        try:
            self._proc.stdin.close()
        except OSError:
            pass
        proc = self._proc

        def reap():
            try:
                proc.wait(timeout=2)
            except Exception:  # noqa: BLE001 - a stuck worker is ended by force
                proc.kill()
                proc.wait()
        threading.Thread(target=reap, name="ai-reaper", daemon=True).start()


def _decide(policy, state: State, actor: str, rng_seed: str) -> Move:
    legal = legal_moves(state)
    rng = random.Random(rng_seed)
    try:
        move = policy.choose(view(state, actor), legal, rng)
    except IllegalMove:
        move = None
    # A policy that returns something illegal must not stall the game: fall back to a legal move.
    if not isinstance(move, Move) or illegal_reason(state, move) is not None:
        simple = [m for m in legal if m.kind in ("pass", "no_deal", "reject", "concede", "back_down")]
        move = simple[0] if simple else legal[0]
    return move
