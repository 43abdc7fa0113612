"""Charts of a batch (matplotlib, imported here only, drawn off-screen with the Agg canvas)."""

from __future__ import annotations

import math
from pathlib import Path


def _figure(w: float, h: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(w, h), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def _colour(sc, who, default="#7f7f7f"):
    if who is None:
        return default
    return sc.actor(who).color or ("#1f77b4" if who == sc.players[0] else "#d62728")


def _quantiles(xs, qs):
    xs = sorted(xs)
    n = len(xs)
    out = []
    for q in qs:
        pos = q * (n - 1)
        lo = math.floor(pos)
        hi = min(lo + 1, n - 1)
        out.append(xs[lo] + (xs[hi] - xs[lo]) * (pos - lo))
    return out


def plot_summary(records, summary: dict, sc, path) -> None:
    """Outcome shares (with 95% intervals) and each meter's median with its interquartile band.

    At each turn the band covers the games still running then.
    """
    meters = [sc.names[s] for s in range(sc.n_meters)]
    cols = 4
    rows = math.ceil(len(meters) / cols)
    fig = _figure(3.2 * cols, 2.6 + 2.2 * rows)
    gs = fig.add_gridspec(rows + 1, cols, height_ratios=[1.4] + [1] * rows, hspace=0.6, wspace=0.3)
    ax = fig.add_subplot(gs[0, :])
    outs = summary.get("outcomes", [])[::-1]
    labels = [o["title"] for o in outs]
    shares = [100 * o["share"] for o in outs]
    err = [[100 * (o["share"] - o["lo"]) for o in outs], [100 * (o["hi"] - o["share"]) for o in outs]]
    colours = []
    for o in outs:
        ws = o["winners"]
        colours.append(_colour(sc, next(iter(ws))) if len(ws) == 1 else "#7f7f7f")
    ax.barh(labels, shares, xerr=err, color=colours, capsize=3)
    ax.set_xlabel("share of games (%), with 95% interval")
    pols = " vs ".join(f"{sc.actor(p).name}: {', '.join(summary.get('policies', {}).get(p, []))}"
                       for p in sc.players)
    ax.set_title(f"{sc.title}: {summary['games']:,} games ({pols})")
    ax.set_xlim(0, 100)
    from matplotlib.patches import Patch

    names = {w: ("nobody" if w is None else sc.actor(w).name) + " wins" for w in (*sc.players, None)}
    ax.legend(handles=[Patch(color=_colour(sc, w), label=label) for w, label in names.items()],
              loc="lower right", fontsize=8)
    for y, o in enumerate(outs):
        ax.text(min(100 * o["hi"] + 1, 92), y, f"{100 * o['share']:.1f}%", va="center", fontsize=8)
    fig.text(0.5, 0.005, "Meters by turn: median (line) and interquartile range (band) over the games "
             "still running at that turn", ha="center", va="bottom", fontsize=9)
    for k, name in enumerate(meters):
        a = fig.add_subplot(gs[1 + k // cols, k % cols])
        series = [r["trajectory"][name] for r in records if "trajectory" in r]
        longest = max((len(s) for s in series), default=0)
        xs, med, q1, q3 = [], [], [], []
        for t in range(longest):
            vals = [s[t] for s in series if len(s) > t]
            lo, mid, hi = _quantiles(vals, (0.25, 0.5, 0.75))
            xs.append(t + 1)
            med.append(mid)
            q1.append(lo)
            q3.append(hi)
        a.fill_between(xs, q1, q3, alpha=0.3, color="#4c72b0", linewidth=0)
        a.plot(xs, med, color="#4c72b0")
        slot = sc.slots[name]
        a.set_ylim(sc.lo[slot], sc.hi[slot])
        a.set_title(sc.labels[slot], fontsize=9)
        a.tick_params(labelsize=7)
        if k // cols == rows - 1:
            a.set_xlabel("turn", fontsize=8)
    fig.savefig(Path(path), bbox_inches="tight")


def plot_sweep(rows: list[dict], sc, names: list[str], path) -> None:
    """Each side's win share against one parameter (line with band) or two (one heatmap each)."""
    if len(names) == 1:
        fig = _figure(7, 4.5)
        ax = fig.add_subplot()
        name = names[0]
        xs = [r["params"][name] for r in rows]
        for who in (*sc.players, None):
            ys = [100 * r["winners"][who]["share"] for r in rows]
            lo = [100 * r["winners"][who]["lo"] for r in rows]
            hi = [100 * r["winners"][who]["hi"] for r in rows]
            c = _colour(sc, who)
            label = ("nobody" if who is None else sc.actor(who).name) + " wins"
            ax.plot(xs, ys, marker="o", color=c, label=label)
            ax.fill_between(xs, lo, hi, color=c, alpha=0.15, linewidth=0)
        ax.set_xlabel(name)
        ax.set_ylabel("win share (%), with 95% interval")
        ax.set_ylim(0, 100)
        ax.legend()
        ax.set_title(f"{sc.title}: win share as {name} varies")
    elif len(names) == 2:
        fig = _figure(6 * len(sc.players), 4.8)
        xn, yn = names
        xs = sorted({r["params"][xn] for r in rows})
        ys = sorted({r["params"][yn] for r in rows})
        for k, who in enumerate(sc.players):
            ax = fig.add_subplot(1, len(sc.players), k + 1)
            grid = [[math.nan] * len(xs) for _ in ys]
            for r in rows:
                grid[ys.index(r["params"][yn])][xs.index(r["params"][xn])] = 100 * r["winners"][who]["share"]
            im = ax.imshow(grid, origin="lower", aspect="auto", vmin=0, vmax=100, cmap="viridis",
                           extent=_extent(xs, ys))
            if len(xs) * len(ys) <= 100:
                for yi, y in enumerate(ys):
                    for xi, x in enumerate(xs):
                        val = grid[yi][xi]
                        if not math.isnan(val):
                            ax.text(x, y, f"{val:.0f}", ha="center", va="center", fontsize=8,
                                    color="white" if val < 60 else "black")
            ax.set_xlabel(xn)
            ax.set_ylabel(yn)
            ax.set_title(f"{sc.actor(who).name} wins (%)")
            fig.colorbar(im, ax=ax)
        fig.suptitle(f"{sc.title}: win share over {xn} × {yn}")
    else:
        raise ValueError("a sweep plot shows one parameter (line) or two (heatmap)")
    fig.savefig(Path(path), bbox_inches="tight")


def _extent(xs, ys):
    def edges(v):
        if len(v) == 1:
            return v[0] - 0.5, v[0] + 0.5
        step = (v[-1] - v[0]) / (len(v) - 1)
        return v[0] - step / 2, v[-1] + step / 2

    return (*edges(xs), *edges(ys))
