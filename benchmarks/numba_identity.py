"""Which numpy operations of the belief arithmetic numba reproduces bit for bit (issue 13's next step).

    python benchmarks/numba_identity.py [--cases 300]

A compiled greedy player must give the Python path's numbers exactly, and the belief
(``game.ai.beliefs``, ``game.ai.greedy``'s package matrix) uses matrix products and row sums. This
draws random matrices of the shapes the road map's beliefs use (tens of columns, up to ~900
packages) and prints, for each operation, in how many cases numba's result differs in any bit from
numpy's:

- ``X @ mu`` and ``X @ C`` compiled (numba calls a BLAS too, through scipy);
- ``A.sum(axis=1)`` compiled (numba adds in order; numpy adds pairwise);
- numpy's pairwise summation written out (``pairwise`` below, from numpy's ``loops_utils.h.src``).

Seen on the 2-core machine (numpy 2.4.6, numba 0.68.1), belief shapes (up to 64 columns) then
wider ones (up to 300), 300 matrices each: ``X @ mu`` differs in 1 and 0, ``X @ C`` in 0 and 36,
numba's row sum in 280 and 292, the written-out pairwise sum in 0 and 0. So numba's products are
not reliably numpy's (another BLAS build, other blocking), while the sums can be matched. A
compiled belief that is bit-identical therefore needs its products written out in a fixed order
on both paths: the reference arithmetic changes once (and the stored playthroughs and odds maps
with it), then both paths share it.
"""

from __future__ import annotations

import argparse

import numpy as np
from numba import njit


@njit(cache=False)
def _mv(X, mu):
    return X @ mu


@njit(cache=False)
def _mm(X, C):
    return X @ C


@njit(cache=False)
def _rowsum(A):
    return A.sum(axis=1)


@njit(cache=False)
def pairwise(a, lo, n):
    """numpy's pairwise sum of a[lo:lo + n] (a contiguous row): in order below 8 items, eight
    running sums up to 128, halves (cut at a multiple of 8) above."""
    if n < 8:
        res = -0.0
        for i in range(n):
            res += a[lo + i]
        return res
    if n <= 128:
        r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
        r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
        i = 8
        while i < n - (n % 8):
            r0 += a[lo + i]
            r1 += a[lo + i + 1]
            r2 += a[lo + i + 2]
            r3 += a[lo + i + 3]
            r4 += a[lo + i + 4]
            r5 += a[lo + i + 5]
            r6 += a[lo + i + 6]
            r7 += a[lo + i + 7]
            i += 8
        res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
        while i < n:
            res += a[lo + i]
            i += 1
        return res
    n2 = n // 2
    n2 -= n2 % 8
    return pairwise(a, lo, n2) + pairwise(a, lo + n2, n - n2)


@njit(cache=False)
def _rowsum_pairwise(A):
    out = np.empty(A.shape[0])
    for i in range(A.shape[0]):
        out[i] = pairwise(A[i], 0, A.shape[1])
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=300)
    args = ap.parse_args(argv)
    import numba

    print(f"numpy {np.__version__}, numba {numba.__version__}; {args.cases} random matrices each")
    for label, cols in (("belief shapes, up to 64 columns", 64), ("wider, up to 300 columns", 300)):
        print(f"{label}:")
        _compare(np.random.default_rng(1), args.cases, cols)
    return 0


def _compare(rng, cases: int, cols: int) -> None:
    differ = {"X @ mu": 0, "X @ C": 0, "A.sum(axis=1), numba": 0, "A.sum(axis=1), pairwise": 0}
    for _ in range(cases):
        n = int(rng.integers(1, cols + 1))
        m = int(rng.integers(1, 900))
        X = rng.normal(size=(m, n)) * 10.0 ** rng.integers(-3, 4)
        mu = rng.normal(size=n)
        C = rng.normal(size=(n, n))
        differ["X @ mu"] += not np.array_equal(_mv(X, mu), X @ mu)
        differ["X @ C"] += not np.array_equal(_mm(X, C), X @ C)
        ref = X.sum(axis=1)
        differ["A.sum(axis=1), numba"] += not np.array_equal(_rowsum(X), ref)
        differ["A.sum(axis=1), pairwise"] += not np.array_equal(_rowsum_pairwise(X), ref)
    for k, v in differ.items():
        print(f"  {k:<26} differs from numpy in {v:>4} of {cases}")


if __name__ == "__main__":
    raise SystemExit(main())
