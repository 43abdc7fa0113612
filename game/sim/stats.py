"""Statistics over game records: shares with confidence intervals, summaries, A/B tests.

Plain Python (no numpy, no scipy), so summaries work wherever the engine does.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from game.scenario import Scenario

Z95 = 1.959963984540054


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a share k/n (95% by default); (0, 1) when n is 0."""
    if n <= 0:
        return (0.0, 1.0)
    p = k / n
    d = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / d
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half)))


def sign_test(a: int, b: int) -> float:
    """Two-sided exact binomial test of a against b successes at even odds (ties excluded)."""
    n = a + b
    if n == 0:
        return 1.0
    k = min(a, b)
    logs = [math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1) - n * math.log(2)
            for i in range(k + 1)]
    top = max(logs)
    tail = math.exp(top) * sum(math.exp(x - top) for x in logs)
    return min(1.0, 2 * tail)


def _mean_sd(xs: Sequence[float]) -> tuple[float, float]:
    n = len(xs)
    if not n:
        return (math.nan, math.nan)
    m = sum(xs) / n
    if n < 2:
        return (m, 0.0)
    return (m, math.sqrt(sum((x - m) ** 2 for x in xs) / (n - 1)))


def share(k: int, n: int) -> dict:
    lo, hi = wilson(k, n)
    return {"count": k, "share": k / n if n else math.nan, "lo": lo, "hi": hi}


def summarize(records: Sequence[dict], sc: Scenario) -> dict:
    """What a batch came to: winners and outcomes with 95% intervals, lengths, meters, events."""
    n = len(records)
    out: dict = {"games": n, "scenario": sc.id, "title": sc.title}
    if not n:
        return out
    out["policies"] = {p: sorted({r[f"policy.{p}"] for r in records}) for p in sc.players}
    wins = Counter(r["winner"] for r in records)
    out["winners"] = {w: share(wins.get(w, 0), n) for w in (*sc.players, None)}
    endings = {en.id: en for en in sc.endings}
    counts = Counter(r["outcome"] for r in records)
    rows = []
    for oid, k in counts.most_common():
        en = endings.get(oid)
        ws = Counter(r["winner"] for r in records if r["outcome"] == oid)
        rows.append({"id": oid, "title": en.title if en else "Decided on points",
                     "grade": en.grade if en else "", "winners": dict(ws), **share(k, n)})
    out["outcomes"] = rows
    out["turns"] = dict(zip(("mean", "sd"), _mean_sd([r["turns"] for r in records])))
    out["turns"]["max"] = sc.turns
    out["deals"] = _mean_sd([r.get("deals", 0) for r in records])[0]
    meters = []
    derived = {s for s, _ in sc.derived}
    for slot in range(sc.n_meters):
        name = sc.names[slot]
        m, sd = _mean_sd([r[f"meter.{name}"] for r in records])
        meters.append({"id": name, "name": sc.labels[slot], "mean": m, "sd": sd,
                       "start": None if slot in derived else sc.start[slot]})
    out["meters"] = meters
    games_with: Counter = Counter()
    times: Counter = Counter()
    for r in records:
        ev = r.get("events") or []
        times.update(ev)
        games_with.update(set(ev))
    out["events"] = [{"id": e, "title": sc.event_by_id[e].title if e in sc.event_by_id else e,
                      "games": k / n, "mean": times[e] / n} for e, k in games_with.most_common()]
    return out


def ab_test(records: Sequence[dict], a: str, b: str) -> dict:
    """Win shares of setting A and B over seat-balanced games, their difference and its test.

    The p-value is an exact sign test over the games somebody won; the difference's interval comes
    from A's share of those games (Wilson), scaled by the share of games somebody won.
    """
    n = len(records)
    a_wins = sum(1 for r in records if r["winner"] is not None and r["winner"] == r["a_side"])
    b_wins = sum(1 for r in records if r["winner"] is not None and r["winner"] != r["a_side"])
    none = n - a_wins - b_wins
    pa, pb = (a_wins / n, b_wins / n) if n else (math.nan, math.nan)
    diff = pa - pb
    # Interval: A's share of the decisive games (Wilson), scaled to all games; consistent with
    # the sign test and never outside ±100 points.
    decisive = a_wins + b_wins
    lo, hi = wilson(a_wins, decisive)
    scale = decisive / n if n else math.nan
    by_side: dict = {}
    for side in sorted({r["a_side"] for r in records}):
        rs = [r for r in records if r["a_side"] == side]
        by_side[side] = {"games": len(rs), "a": sum(r["winner"] == side for r in rs) / len(rs),
                         "b": sum(r["winner"] not in (None, side) for r in rs) / len(rs)}
    # Duplicate scoring: in each pair both settings sat in both seats on the same seed, so
    # (A's score − B's score in the same seat), averaged over seats, cancels the seats' imbalance.
    pairs: dict[int, list[dict]] = {}
    for r in records:
        pairs.setdefault(r["game"] // 2, []).append(r)
    ds = []
    for rs in pairs.values():
        if len(rs) != 2 or rs[0]["a_side"] == rs[1]["a_side"]:
            continue
        d = 0.0
        for r in rs:
            other = next(x for x in rs if x is not r)
            side = r["a_side"]
            d += r[f"score.{side}"] - other[f"score.{side}"]
        ds.append(d / 2)
    m, sd = _mean_sd(ds)
    half = Z95 * sd / math.sqrt(len(ds)) if len(ds) > 1 else math.nan
    return {"a": a, "b": b, "games": n, "a_wins": share(a_wins, n), "b_wins": share(b_wins, n),
            "nobody": share(none, n), "diff": diff, "diff_lo": scale * (2 * lo - 1),
            "diff_hi": scale * (2 * hi - 1), "p": sign_test(a_wins, b_wins), "by_side": by_side,
            "score_diff": m, "score_lo": m - half, "score_hi": m + half, "pairs": len(ds)}


def sweep_table(records: Sequence[dict], sc: Scenario, names: Sequence[str]) -> list[dict]:
    """One row per grid point: its parameter values and each side's win share with its interval."""
    points: dict[int, list[dict]] = {}
    for r in records:
        points.setdefault(r["point"], []).append(r)
    rows = []
    for p in sorted(points):
        rs = points[p]
        n = len(rs)
        row = {"point": p, "games": n, "params": {k: rs[0][f"param.{k}"] for k in names}}
        wins = Counter(r["winner"] for r in rs)
        row["winners"] = {w: share(wins.get(w, 0), n) for w in (*sc.players, None)}
        row["turns"] = _mean_sd([r["turns"] for r in rs])[0]
        rows.append(row)
    return rows
