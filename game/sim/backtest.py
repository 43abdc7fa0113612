"""Backtest: AI against AI from a scenario's start, held up against what really happened.

Each game is played freely by the chosen policies. Whenever a side faces a decision that its
scenario's ``[historical]`` line scripts for that turn (and the scripted move is legal then), the
AI's own choice is compared with the historical one; the game then goes on with the AI's choice.
Once the line's last turn is over (or the game ends before), the state is checked against the
line's ``expect``: the end state the source document describes, clause by clause.

A decision is *reached* in a game when it came up with the historical move legal; a line that
the AI left earlier may never reach later decisions.
"""

from __future__ import annotations

import ast
import random
import sys
from collections import Counter

from game.engine import OVER, Move, legal_moves, outcome, start, view
from game.engine.rules import Headless
from game.scenario import Scenario
from game.sim.runner import game_seed
from game.sim.stats import wilson


class BacktestError(ValueError):
    """A scenario that cannot be backtested (no historical line)."""


# --- the line ------------------------------------------------------------------------------------

# Every kind of move but unilateral: a line's ``move`` is one of these, or a unilateral move's id.
_KINDS = frozenset(("propose", "no_deal", "accept", "reject", "counter", "choose", "concede",
                    "stand_firm", "press", "back_down", "pass"))


def _key(move: Move, sc: Scenario) -> str:
    """A move as text that ignores the order of a deal's terms: 'kind|ref|term+term'."""
    terms = sorted(move.terms, key=lambda t: sc.term_by_id[t].index if t in sc.term_by_id else 1 << 30)
    return f"{move.kind}|{move.ref}|{'+'.join(terms)}"


def move_of(key: str, actor: str) -> Move:
    kind, ref, terms = key.split("|", 2)
    return Move(kind, actor, ref, tuple(t for t in terms.split("+") if t))


def line_entries(sc: Scenario) -> list[tuple[int, int, Move, object]]:
    """The historical line as (turn, actor index, move, source), in file order."""
    return [e[:4] for e in _entries(sc)]


def _entries(sc: Scenario) -> list[tuple]:
    """``line_entries`` plus, for an answer (accept, reject, counter), the terms of the deal the
    line put on the table that turn (None when it put none): the answer is only the historical
    one when the AI's table holds that deal."""
    hist = sc.raw.historical
    if hist is None:
        raise BacktestError(f"scenario '{sc.id}' has no [historical] line to test against")
    out = []
    table: dict[int, frozenset] = {}
    for hm in hist.moves:
        if hm.move in _KINDS:
            ref = hm.choice if hm.move == "choose" else ""
            move = Move(hm.move, hm.by, ref, tuple(hm.terms))
        else:
            move = Move("unilateral", hm.by, hm.move)
        deal = table.get(hm.turn) if hm.move in ("accept", "reject", "counter") else None
        if hm.move in ("propose", "counter"):
            table[hm.turn] = frozenset(hm.terms)
        out.append((hm.turn, sc.actor_index(hm.by), move, hm.source, deal))
    return out


def expect_clauses(sc: Scenario) -> list[str]:
    """The ``expect`` condition split at its top-level 'and' (the whole text if it has none)."""
    text = sc.raw.historical.expect if sc.raw.historical else ""
    if not text:
        return []
    try:
        node = ast.parse(text, mode="eval").body
    except SyntaxError:  # pragma: no cover - the loader has checked it
        return [text]
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
        return [ast.get_source_segment(text, v) or text for v in node.values]
    return [text]


def _compiled(sc: Scenario):
    hit = sc.cache.get("backtest")
    if hit is None or hit[0] is not sc:
        from game.scenario.expr import Compiler

        comp = Compiler(sc.slots)
        entries = _entries(sc)
        index = {(turn, a, _key(mv, sc)): k for k, (turn, a, mv, _, _) in enumerate(entries)}
        text = sc.raw.historical.expect
        whole = comp.compile(text) if text else None
        clauses = [comp.compile(c) for c in expect_clauses(sc)] if text else []
        hit = sc.cache["backtest"] = (sc, entries, index, whole, clauses)
    return hit[1:]


# --- one game --------------------------------------------------------------------------------------

def play_backtest(sc: Scenario, specs: tuple[str, str], seed: int, *, index: int = 0,
                  params: dict | None = None, trajectory: bool = False) -> dict:
    """One free game between ``specs``, scored against the line; a flat record (see the docs).

    Policies and their random generators are made exactly as ``play_game`` makes them, so the
    same seed plays the same game."""
    from game.ai import make_policy
    from game.ai.historical import HistoricalPolicy

    entries, at, whole, clauses = _compiled(sc)
    until = sc.raw.historical.until
    players = sc.players
    policies = [make_policy(specs[i], sc, players[i], seed=seed) for i in (0, 1)]
    for spec, pol in zip(specs, policies):
        if "time=" not in spec and getattr(pol, "time", None) is not None:
            pol.time = None  # as in play_game: results must not depend on the machine
    rngs = [random.Random(game_seed(seed, 1_000_003 + i)) for i in (0, 1)]
    lines = [HistoricalPolicy(sc, p, seed) for p in players]
    chosen: dict[int, Move] = {}
    odds: dict[int, float] = {}  # the chance that a uniform pick of the legal moves is the historical one
    game = Headless(start(sc, seed, record=False).state)
    met = None
    moves = 0
    while game.phase != OVER:
        a = game.actor
        state = game.state()
        legal = legal_moves(state)
        move = policies[a].choose(view(state, players[a]), legal, rngs[a])
        if state.turn <= until:
            scripted = lines[a].scripted(state, legal)
            if scripted is not None:
                k = at.get((state.turn, a, _key(scripted, sc)))
                deal = entries[k][4] if k is not None else None
                if deal is not None and deal != frozenset(sc.terms[t].id for t in state.deal):
                    k = None  # an answer to another deal than the one history put on the table
                if k is not None and k not in chosen:
                    chosen[k] = move
                    odds[k] = 1 / len(legal)
        game.play(move)
        moves += 1
        if met is None and (game.turn > until or game.phase == OVER):
            vals = tuple(game.values)
            met = [bool(fn(vals, game.ctx)) for fn in clauses], bool(whole(vals, game.ctx)) if whole else None
    out = outcome(game.state())
    rec: dict = {"game": index, "seed": seed, "scenario": sc.id}
    for i, p in enumerate(players):
        rec[f"policy.{p}"] = specs[i]
    rec.update({"outcome": out.ending, "grade": out.grade, "winner": out.winner, "turns": out.turn,
                "moves": moves})
    for p in players:
        rec[f"score.{p}"] = out.scores[p]
    for k, v in (params or {}).items():
        rec[f"param.{k}"] = v
    for k, (_, _, hist_move, _, _) in enumerate(entries):
        ai = chosen.get(k)
        rec[f"line.{k}"] = None if ai is None else int(_key(ai, sc) == _key(hist_move, sc))
        rec[f"line.{k}.move"] = None if ai is None else _key(ai, sc)
        rec[f"line.{k}.chance"] = None if ai is None else round(odds[k], 6)
    if met is not None:
        parts, all_met = met
        rec["expect"] = all_met
        for j, ok in enumerate(parts):
            rec[f"expect.{j}"] = ok
    return rec


def run_backtest(scenario, games: int = 50, seed: int = 0, policies=None, *, workers=1, dask=None,
                 overrides=None, progress=None) -> list[dict]:
    """``games`` backtest games through the batch runner (same seeds as ``run_batch``)."""
    from game.sim.batch import Task, check_overrides, execute, load, seat_specs

    sc, src = load(scenario)
    line_entries(sc)  # no line: BacktestError before any game
    specs = seat_specs(sc, policies)
    items = check_overrides(sc, overrides)
    tasks = [Task(i, game_seed(seed, i), specs, items, player=play_backtest) for i in range(games)]
    return execute(sc, src, tasks, workers=workers, dask=dask, progress=progress)


# --- the summary -----------------------------------------------------------------------------------

def _text(sc: Scenario, move: Move) -> str:
    """A move in words; a deal by its term ids, which are shorter than their names."""
    from game.describe import describe_move

    if move.kind in ("propose", "counter"):
        verb = "proposes" if move.kind == "propose" else "counters with"
        return f"{sc.actor(move.actor).name} {verb} {' + '.join(move.terms)}"
    return describe_move(sc, move)


def _share(k: int, n: int) -> dict:
    lo, hi = wilson(k, n)
    return {"count": k, "of": n, "share": k / n if n else None, "lo": lo, "hi": hi}


def summarize_backtest(records: list[dict], sc: Scenario) -> dict:
    """What the games say: agreement per decision and per side, and how often ``expect`` held."""
    from game.describe import describe_move

    entries = line_entries(sc)
    n = len(records)
    out: dict = {"scenario": sc.id, "title": sc.title, "games": n,
                 "policies": {p: sorted({r[f"policy.{p}"] for r in records}) for p in sc.players},
                 "until": sc.raw.historical.until}
    rows = []
    per_side = {p: [0, 0] for p in sc.players}
    chance = {p: 0.0 for p in sc.players}
    for k, (turn, a, move, source) in enumerate(entries):
        got = [r[f"line.{k}"] for r in records if r.get(f"line.{k}") is not None]
        agree = sum(got)
        instead = Counter(r[f"line.{k}.move"] for r in records if r.get(f"line.{k}") == 0)
        side = sc.players[a]
        per_side[side][0] += agree
        per_side[side][1] += len(got)
        chance[side] += sum(r[f"line.{k}.chance"] for r in records if r.get(f"line.{k}") is not None)
        rows.append({"turn": turn, "side": side, "move": _key(move, sc), "text": describe_move(sc, move),
                     "para": getattr(source, "para", None), "reached": _share(len(got), n),
                     "agree": _share(agree, len(got)),
                     "instead": [{"move": m, "text": _text(sc, move_of(m, side)), "share": c / len(got)}
                                 for m, c in instead.most_common(3)]})
    out["decisions"] = rows
    out["sides"] = {p: {**_share(*per_side[p]), "chance": chance[p] / per_side[p][1] if per_side[p][1] else None}
                    for p in sc.players}
    text = sc.raw.historical.expect
    if text:
        checked = [r for r in records if r.get("expect") is not None]
        out["expect"] = {"text": text, **_share(sum(r["expect"] for r in checked), len(checked)),
                         "clauses": [{"text": c, **_share(sum(r[f"expect.{j}"] for r in checked), len(checked))}
                                     for j, c in enumerate(expect_clauses(sc))]}
    wins = Counter(r["winner"] for r in records)
    out["winners"] = {str(w): _share(wins.get(w, 0), n) for w in (*sc.players, None)}
    return out


def _pct(s: dict) -> str:
    return "–" if s["share"] is None else f"{100 * s['share']:.0f}%"


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"


def format_backtest(summary: dict, sc: Scenario, seed: int = 0) -> str:
    """The summary as plain text: per side, per decision, then the end state."""
    n = summary["games"]
    pols = " vs ".join(f"{sc.actor(p).name} ({', '.join(summary['policies'][p])})" for p in sc.players)
    lines = [f"Backtest of {sc.title} ({sc.id}): {n:,} games, {pols}, seed {seed}",
             f"The historical line: {len(summary['decisions'])} decisions in turns 1–{summary['until']}.", ""]
    lines.append("How often each side's AI makes the historical choice (decisions reached):")
    for p, s in summary["sides"].items():
        ci = "" if s["share"] is None else f" (95% CI {100 * s['lo']:.0f}–{100 * s['hi']:.0f}%)"
        rand = "" if s["chance"] is None else f"; a uniform random pick would agree {100 * s['chance']:.0f}%"
        lines.append(f"  {sc.actor(p).name:<12} {_pct(s):>5}{ci}, {s['count']} of {s['of']}{rand}")
    lines += ["", "Decision by decision:",
              f"  {'turn':<4} {'historical choice':<52} {'reached':>7} {'agrees':>6}  the AI did instead (share of reached)"]
    for row in summary["decisions"]:
        src = f" ¶{row['para']}" if row["para"] else ""
        text = _cut(row["text"] + src, 52)
        instead = "; ".join(f"{_cut(i['text'], 72)} {100 * i['share']:.0f}%" for i in row["instead"][:2]) or "–"
        lines.append(f"  {row['turn']:<4} {text:<52} {_pct(row['reached']):>7} {_pct(row['agree']):>6}  {instead}")
    ex = summary.get("expect")
    if ex:
        lines += ["", f"The end state the document describes, after turn {summary['until']}: reached in "
                      f"{_pct(ex)} of games ({ex['count']} of {ex['of']}; 95% CI "
                      f"{100 * ex['lo']:.0f}–{100 * ex['hi']:.0f}%)"]
        if len(ex["clauses"]) > 1:
            for c in ex["clauses"]:
                lines.append(f"  {_pct(c):>5}  {c['text']}")
    w = summary["winners"]
    lines += ["", "Winners at the end of the game: " +
              ", ".join(f"{'nobody' if k == 'None' else sc.actor(k).name} {_pct(v)}" for k, v in w.items())]
    return "\n".join(lines)


def plot_backtest(summary: dict, sc: Scenario, path) -> None:
    """Agreement per decision (bars, 95% intervals, the share of games reaching it behind) and the
    share of games reaching the described end state, whole and clause by clause."""
    from game.sim.plots import _colour, _figure

    rows = summary["decisions"][::-1]
    ex = summary.get("expect")
    clauses = (ex["clauses"][::-1] + [{"text": "all of it", **{k: ex[k] for k in ("share", "lo", "hi")}}]
               if ex else [])
    fig = _figure(11, 1.6 + 0.38 * (len(rows) + len(clauses)) + 1.2)
    gs = fig.add_gridspec(2, 1, height_ratios=[max(1, len(rows)), max(1, len(clauses))], hspace=0.45)
    ax = fig.add_subplot(gs[0])
    labels = [f"T{r['turn']} {r['text']}"[:60] for r in rows]
    ys = range(len(rows))
    ax.barh(ys, [100 * (r["reached"]["share"] or 0) for r in rows], color="#dddddd", label="decision reached")
    agree = [100 * (r["agree"]["share"] or 0) for r in rows]
    err = [[a - 100 * r["agree"]["lo"] if r["agree"]["share"] is not None else 0 for a, r in zip(agree, rows)],
           [100 * r["agree"]["hi"] - a if r["agree"]["share"] is not None else 0 for a, r in zip(agree, rows)]]
    ax.barh(ys, agree, xerr=err, height=0.5, capsize=3, color=[_colour(sc, r["side"]) for r in rows],
            label="AI makes the historical choice (share of reached)")
    ax.set_yticks(list(ys), labels, fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of games")
    pols = " vs ".join(", ".join(v) for v in summary["policies"].values())
    ax.set_title(f"Backtest: {sc.title}, {summary['games']} games ({pols})")
    ax.legend(loc="lower right", fontsize=8)
    if clauses:
        bx = fig.add_subplot(gs[1])
        ys = range(len(clauses))
        vals = [100 * (c["share"] or 0) for c in clauses]
        err = [[v - 100 * c["lo"] for v, c in zip(vals, clauses)], [100 * c["hi"] - v for v, c in zip(vals, clauses)]]
        bx.barh(ys, vals, xerr=err, capsize=3, color=["#999999"] * (len(clauses) - 1) + ["#555555"])
        bx.set_yticks(list(ys), [c["text"][:60] for c in clauses], fontsize=8)
        bx.set_xlim(0, 100)
        bx.set_xlabel(f"% of games in the described end state after turn {summary['until']}")
    fig.savefig(path, bbox_inches="tight")


# --- the command -----------------------------------------------------------------------------------

def register(subparsers) -> None:
    from game.sim.commands import _common, _policies

    p = subparsers.add_parser(
        "backtest", help="play AI vs AI from the start and compare with what really happened",
        description="Play AI-vs-AI games from the scenario's start and report how often each side's AI "
                    "makes the choices of the historical line, where it diverges, and how often the "
                    "end state the document describes is reached.")
    _common(p, 50)
    _policies(p)
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--plot", metavar="FILE.png", help="save a chart of agreement and the end state")
    p.set_defaults(func=cmd_backtest)


def cmd_backtest(args) -> int:
    import json

    from game.sim.commands import (_check_common, _load, _progress, _run, _side_policies, _usage,
                                   _warn_time)

    sets = _check_common(args)
    sc, _ = _load(args)
    if sc.raw.historical is None:
        raise _usage(f"scenario '{sc.id}' has no [historical] line to backtest against")
    pols = _side_policies(args, sc)
    _warn_time(pols.values())
    with _progress(args.games, "Backtesting") as cb:
        records = _run(run_backtest, sc, args.games, args.seed, pols, workers=args.workers,
                       dask=args.dask, overrides=sets, progress=cb)
    summary = summarize_backtest(records, sc)
    if args.json:
        print(json.dumps(summary, indent=2, ensure_ascii=False))
    else:
        print(format_backtest(summary, sc, args.seed))
    if args.out:
        from game.sim.output import write_records

        write_records(records, args.out)
        print(f"Wrote {len(records):,} records to {args.out}", file=sys.stderr if args.json else sys.stdout)
    if args.plot:
        plot_backtest(summary, sc, args.plot)
        print(f"Saved the plot to {args.plot}", file=sys.stderr if args.json else sys.stdout)
    return 0

