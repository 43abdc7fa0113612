"""The whole deal space as a lazy sequence: every set of 1 to ``deal_max_terms`` available terms.

A road-map deal phase has over 20,000 possible packages, so ``legal_moves`` does not build them:
it returns a ``DealMoves``, a read-only sequence that makes the move at an index on demand (by
unranking a combination) and iterates with ``itertools.combinations``. The listing order is:
the phase's fixed moves (no_deal; or accept, reject), then the packages by size, and within a
size in lexicographic order over the available terms, the actor's own terms first. A deal is a
set: the package already on the table is not listed as a counter, and ``in`` ignores the order of
a move's terms.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from math import comb

from game.engine.state import Move


def unrank(n: int, r: int, j: int) -> list[int]:
    """The ``j``-th ``r``-combination of ``range(n)`` in lexicographic order."""
    out = []
    x = 0
    for k in range(r, 0, -1):
        while True:
            c = comb(n - x - 1, k - 1)
            if j < c:
                break
            j -= c
            x += 1
        out.append(x)
        x += 1
    return out


def rank(n: int, combo: list[int]) -> int:
    """The lexicographic rank of a sorted ``combo`` among the combinations of its size."""
    r = len(combo)
    j = 0
    prev = -1
    for k, x in enumerate(combo):
        for y in range(prev + 1, x):
            j += comb(n - y - 1, r - k - 1)
        prev = x
    return j


class DealMoves(Sequence):
    """The legal moves of a deal phase; see the module docstring."""

    __slots__ = ("fixed", "ids", "kind", "actor", "maxn", "counts", "skip", "_len")

    def __init__(self, fixed: tuple[Move, ...], ids: tuple[str, ...], kind: str, actor: str,
                 maxn: int, table: frozenset[str] = frozenset()):
        self.fixed = fixed
        self.ids = ids          # the available terms, in listing order
        self.kind = kind
        self.actor = actor
        n = len(ids)
        self.maxn = min(maxn, n)
        self.counts = tuple(comb(n, r) for r in range(1, self.maxn + 1))
        # Where the package on the table sits among the packages (-1: not listed anyway).
        self.skip = -1
        if table and len(table) <= self.maxn and table <= set(ids):
            combo = sorted(ids.index(t) for t in table)
            self.skip = sum(self.counts[:len(combo) - 1]) + rank(n, combo)
        self._len = len(fixed) + sum(self.counts) - (self.skip >= 0)

    @property
    def packages(self) -> int:
        """How many deals are listed."""
        return self._len - len(self.fixed)

    def __len__(self) -> int:
        return self._len

    def _deal(self, j: int) -> Move:
        if 0 <= self.skip <= j:
            j += 1
        for r, c in enumerate(self.counts, 1):
            if j < c:
                ids = self.ids
                return Move(self.kind, self.actor, terms=tuple(ids[i] for i in unrank(len(ids), r, j)))
            j -= c
        raise IndexError("deal index out of range")

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(self._len))]
        if i < 0:
            i += self._len
        if not 0 <= i < self._len:
            raise IndexError("legal move index out of range")
        nf = len(self.fixed)
        return self.fixed[i] if i < nf else self._deal(i - nf)

    def __iter__(self):
        yield from self.fixed
        kind, actor, ids = self.kind, self.actor, self.ids
        k = 0
        skip = self.skip
        for r in range(1, self.maxn + 1):
            for combo in itertools.combinations(ids, r):
                if k != skip:
                    yield Move(kind, actor, terms=combo)
                k += 1

    def __contains__(self, m) -> bool:
        if not isinstance(m, Move):
            return False
        if m.kind != self.kind:
            return m in self.fixed
        terms = m.terms
        if m.actor != self.actor or m.ref or not 0 < len(terms) <= self.maxn:
            return False
        s = set(terms)
        if len(s) != len(terms) or not s <= set(self.ids):
            return False
        if self.skip >= 0:
            combo = sorted(self.ids.index(t) for t in s)
            if sum(self.counts[:len(combo) - 1]) + rank(len(self.ids), combo) == self.skip:
                return False
        return True

    def __eq__(self, other) -> bool:
        if isinstance(other, DealMoves):
            return (self.fixed, self.ids, self.kind, self.actor, self.maxn, self.skip) == (
                other.fixed, other.ids, other.kind, other.actor, other.maxn, other.skip)
        if isinstance(other, (list, tuple)):
            return len(other) == self._len and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def __ne__(self, other) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    __hash__ = None  # a sequence compared by content

    def __add__(self, other) -> list[Move]:
        return list(self) + list(other)

    def __repr__(self) -> str:
        return (f"<DealMoves: {len(self.fixed)} fixed + {self.packages} {self.kind} packages of "
                f"1-{self.maxn} of {len(self.ids)} terms>")
