"""Computer players for the interface: the AI package's policies, thinking off the interface thread.

The contract (``game.ai``): ``make_policy(name, scenario, actor, seed=0)`` returns an object with
``choose(view, legal, rng) -> Move``. Until that package exists, a random choice over the legal
moves stands in, so the interface can be played end to end.
"""

from __future__ import annotations

import random
from concurrent.futures import Future, ThreadPoolExecutor

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


def ai_available() -> bool:
    try:
        from game.ai import make_policy  # noqa: F401
    except ImportError:
        return False
    return True


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
    """Runs ``policy.choose`` on a worker thread; the interface polls ``result``."""

    def __init__(self):
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ai")
        self._future: Future | None = None
        self._for: tuple | None = None

    def start(self, policy, state: State, actor: str, rng_seed: str) -> None:
        key = (id(state), actor)
        if self._future is not None and self._for == key:
            return
        self.cancel()
        self._for = key
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
        return f.result()

    def cancel(self) -> None:
        if self._future is not None:
            self._future.cancel()
        self._future = None
        self._for = None

    def close(self) -> None:
        self.cancel()
        self._pool.shutdown(wait=False, cancel_futures=True)


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
