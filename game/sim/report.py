"""Summaries as rich tables for the terminal (rich is imported here, never by the engine)."""

from __future__ import annotations

import math
import os


def _console():
    """The terminal's width on a terminal; 120 columns in a file or a pipe (tables stay on one line)."""
    from rich.console import Console

    con = Console()
    if not con.is_terminal and "COLUMNS" not in os.environ:
        con = Console(width=120)
    return con


def _pct(x: float) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{100 * x:.1f}%"


def _ci(s: dict) -> str:
    return f"{100 * s['lo']:.1f}–{100 * s['hi']:.1f}%"


def _num(x) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:,.1f}"


def _e(text) -> str:
    """Scenario text (titles, names) made safe for rich: '[/bold]' in a title is shown, not parsed."""
    from rich.markup import escape

    return escape(str(text))


def _side(sc, who) -> str:
    return "nobody" if who is None else _e(sc.actor(who).name)


def print_summary(summary: dict, sc, seed: int, console=None, overrides: dict | None = None) -> None:
    from rich.table import Table

    con = console or _console()
    n = summary["games"]
    pols = " vs ".join(f"{_side(sc, p)} ({_e(', '.join(summary.get('policies', {}).get(p, ['?'])))})"
                       for p in sc.players)
    con.print(f"[bold]{_e(sc.title)}[/bold] ({sc.id}): {n:,} games, {pols}, seed {seed}", soft_wrap=True)
    if overrides:
        con.print("What-if: " + ", ".join(f"{k} = {v:g}" for k, v in overrides.items()), soft_wrap=True)
    if not n:
        con.print("No games were played.", soft_wrap=True)
        return
    w = summary["winners"]
    order = sorted(w, key=lambda k: -w[k]["count"])
    lead = order[0]
    con.print(f"[bold]{_side(sc, lead).capitalize() if lead is None else _side(sc, lead)}[/bold] won"
              f" {_pct(w[lead]['share'])} of games (95% CI {_ci(w[lead])}); " +
              "; ".join(f"{_side(sc, k)} {_pct(w[k]['share'])}" for k in order[1:]) + ".", soft_wrap=True)

    t = Table(title="Who won", title_justify="left")
    t.add_column("Winner")
    t.add_column("Games", justify="right")
    t.add_column("Share", justify="right")
    t.add_column("95% CI", justify="right")
    for k in order:
        t.add_row(_side(sc, k), f"{w[k]['count']:,}", _pct(w[k]["share"]), _ci(w[k]))
    con.print(t)

    t = Table(title="How the games ended", title_justify="left")
    t.add_column("Ending")
    t.add_column("Winner")
    t.add_column("Grade")
    t.add_column("Share", justify="right")
    t.add_column("95% CI", justify="right")
    for row in summary["outcomes"]:
        winners = row["winners"]
        who = ", ".join(_side(sc, k) for k in winners) if len(winners) > 1 else _side(sc, next(iter(winners)))
        t.add_row(f"{_e(row['title'])} [dim]({row['id']})[/dim]", who, row["grade"], _pct(row["share"]), _ci(row))
    con.print(t)

    tr = summary["turns"]
    con.print(f"Games lasted [bold]{tr['mean']:.1f}[/bold] turns on average (of {tr['max']}; sd "
              f"{tr['sd']:.1f}); {summary['deals']:.1f} deals were accepted per game.", soft_wrap=True)

    t = Table(title="Final meters (mean over games)", title_justify="left")
    t.add_column("Meter")
    t.add_column("Start", justify="right")
    t.add_column("Mean", justify="right")
    t.add_column("Change", justify="right")
    t.add_column("SD", justify="right")
    for m in summary["meters"]:
        change = "" if m["start"] is None else f"{m['mean'] - m['start']:+.1f}"
        t.add_row(_e(m["name"]), "derived" if m["start"] is None else _num(m["start"]), _num(m["mean"]),
                  change, _num(m["sd"]))
    con.print(t)

    events = summary["events"][:8]
    if events:
        t = Table(title="Events that fired most", title_justify="left")
        t.add_column("Event")
        t.add_column("In % of games", justify="right")
        t.add_column("Times per game", justify="right")
        for e in events:
            t.add_row(f"{_e(e['title'])} [dim]({e['id']})[/dim]", _pct(e["games"]), f"{e['mean']:.2f}")
        con.print(t)


def print_sweep(rows: list[dict], sc, names: list[str], games: int, console=None) -> None:
    from rich.table import Table

    con = console or _console()
    con.print(f"[bold]{_e(sc.title)}[/bold] ({sc.id}): sweep of {', '.join(names)}, {games:,} games a point",
              soft_wrap=True)
    t = Table(title="Win share at each point (95% CI)", title_justify="left")
    for nm in names:
        t.add_column(nm, justify="right")
    for p in sc.players:
        t.add_column(f"{_side(sc, p)} wins", justify="right")
    t.add_column("nobody", justify="right")
    t.add_column("turns", justify="right")
    for row in rows:
        cells = [f"{row['params'][nm]:g}" for nm in names]
        for p in (*sc.players, None):
            s = row["winners"][p]
            cells.append(f"{_pct(s['share'])} [dim]({100 * s['lo']:.0f}–{100 * s['hi']:.0f})[/dim]")
        cells.append(f"{row['turns']:.1f}")
        t.add_row(*cells)
    con.print(t)


def print_compare(res: dict, sc, console=None) -> None:
    from rich.table import Table

    con = console or _console()
    a, b = res["a"], res["b"]
    n = res["games"]
    con.print(f"[bold]{_e(sc.title)}[/bold] ({sc.id}): A = {_e(a)} vs B = {_e(b)}, {n:,} games, each setting "
              f"playing each side in half of them (pairs share a seed)", soft_wrap=True)
    if not n:
        return
    t = Table(title_justify="left")
    t.add_column("")
    t.add_column("Wins", justify="right")
    t.add_column("Share", justify="right")
    t.add_column("95% CI", justify="right")
    for label, key in ((f"A: {_e(a)}", "a_wins"), (f"B: {_e(b)}", "b_wins"), ("nobody", "nobody")):
        s = res[key]
        t.add_row(label, f"{s['count']:,}", _pct(s["share"]), _ci(s))
    con.print(t)
    t = Table(title="By side A played", title_justify="left")
    t.add_column("A played")
    t.add_column("Games", justify="right")
    t.add_column("A won", justify="right")
    t.add_column("B won", justify="right")
    for side, s in res["by_side"].items():
        t.add_row(_side(sc, side), str(s["games"]), _pct(s["a"]), _pct(s["b"]))
    con.print(t)
    d = res["diff"]
    p = res["p"]
    pt = "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
    verdict = ("A is better" if d > 0 else "B is better") if p < 0.05 else "no significant difference"
    con.print(f"Difference in win share (A − B): [bold]{100 * d:+.1f}[/bold] points "
              f"(95% CI {100 * res['diff_lo']:+.1f} to {100 * res['diff_hi']:+.1f}); sign test {pt}: "
              f"[bold]{verdict}[/bold].", soft_wrap=True)
    if res.get("pairs"):
        con.print(f"Score in the same seat on the same seed (A − B): {res['score_diff']:+.1f} points per "
                  f"game (95% CI {res['score_lo']:+.1f} to {res['score_hi']:+.1f}; {res['pairs']} pairs).",
                  soft_wrap=True)
