"""The `simulate`, `sweep` and `compare` subcommands of `union-state` (registered by game.cli)."""

from __future__ import annotations

import contextlib
import math
import sys
import time

PLOT_SUFFIXES = (".png", ".svg", ".pdf")


def _usage(message: str):
    from game.cli import UsageError

    return UsageError(message)


# --- arguments ---------------------------------------------------------------------------------

def _common(p, games: int) -> None:
    p.add_argument("scenario", metavar="SCENARIO", help="a scenario id or a path to a .toml file")
    p.add_argument("--games", type=int, default=games, metavar="N", help=f"games to play (default {games})")
    p.add_argument("--seed", type=int, default=0, metavar="S",
                   help="batch seed; game i's seed derives from (S, i) only (default 0)")
    p.add_argument("--workers", type=int, default=None, metavar="K",
                   help="worker processes (default: all cores; 1 runs in this process)")
    p.add_argument("--dask", metavar="ADDRESS",
                   help="run on a Dask cluster: a scheduler address, or 'local' to start one here")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", dest="sets",
                   help="what-if: a start value (rating=30), a weight (minsk.regime=2) or a trait "
                        "(moscow.caution=0.9); repeatable")
    p.add_argument("--out", metavar="FILE", help="write one record per game: .jsonl or .csv")


def _policies(p) -> None:
    p.add_argument("--minsk", metavar="POLICY", help="Minsk's policy (in scenarios with a 'minsk' side)")
    p.add_argument("--moscow", metavar="POLICY", help="Moscow's policy (in scenarios with a 'moscow' side)")
    p.add_argument("--policy", action="append", default=[], metavar="SIDE=POLICY",
                   help="a side's policy, or POLICY alone for both sides; policies: random, greedy, "
                        "search, historical, or a difficulty (easy, normal, hard); options as "
                        "search:iterations=8 (default greedy)")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "simulate", help="play AI-vs-AI games headless and summarise the outcomes",
        description="Play AI-vs-AI games headless and print who won, how the games ended, the final "
                    "meters and the events that fired most, with 95% confidence intervals.")
    _common(p, 1000)
    _policies(p)
    p.add_argument("--plot", metavar="FILE.png", help="save outcome shares and meter trajectories")
    p.add_argument("--compile", action="store_true",
                   help="compile the fast path for this scenario before playing (needs numba; "
                        "otherwise a long run compiles it in the background once under way)")
    p.set_defaults(func=cmd_simulate)

    p = subparsers.add_parser(
        "sweep", help="simulate across a grid of start values or weights",
        description="Run the simulation at every point of a grid and show each side's win share.")
    _common(p, 200)
    _policies(p)
    p.add_argument("--vary", action="append", default=[], metavar="NAME=START:STOP:STEP", required=True,
                   help="a parameter (as for --set) and its range, STOP included; repeatable")
    p.add_argument("--plot", metavar="FILE.png", help="line chart (one parameter) or heatmaps (two)")
    p.set_defaults(func=cmd_sweep)

    p = subparsers.add_parser(
        "compare", help="A/B-test two AI settings with seats balanced",
        description="Play setting A against setting B, each taking each side in half the games "
                    "(pairs of games share a seed), and test the difference in win share.")
    _common(p, 400)
    p.add_argument("--a", required=True, metavar="POLICY", help="setting A, e.g. search:iterations=8")
    p.add_argument("--b", required=True, metavar="POLICY", help="setting B, e.g. greedy")
    p.set_defaults(func=cmd_compare)


# --- helpers -----------------------------------------------------------------------------------

def _load(args):
    from game.sim.batch import load

    return load(args.scenario)


def _check_common(args) -> dict[str, float]:
    from game.sim.output import format_of
    from game.sim.overrides import OverrideError, parse_assignment

    from game.files import unwritable
    from game.sim.batch import MAX_GAMES

    if not 0 <= args.games <= MAX_GAMES:
        raise _usage(f"--games must be from 0 to {MAX_GAMES:,}, not {args.games:,}")
    if args.workers is not None and args.workers < 1:
        raise _usage(f"--workers must be at least 1, not {args.workers}")
    if args.out and format_of(args.out) is None:
        raise _usage(f"--out {args.out}: use a .jsonl or .csv file name")
    plot = getattr(args, "plot", None)
    if plot and not plot.lower().endswith(PLOT_SUFFIXES):
        raise _usage(f"--plot {plot}: use a .png (or .svg, .pdf) file name")
    for flag, path in (("--out", args.out), ("--plot", plot)):
        why = path and unwritable(path)
        if why:  # found now, not after every game has been played
            raise _usage(f"{flag} {path}: {why}")
    sets: dict[str, float] = {}
    for text in args.sets:
        try:
            name, value = parse_assignment(text)
        except OverrideError as exc:
            raise _usage(f"--set {text}: {exc}") from None
        sets[name] = value
    return sets


def _side_policies(args, sc) -> dict[str, str]:
    out: dict[str, str] = {}
    for text in args.policy:
        side, eq, spec = text.partition("=")
        if not eq or ":" in side:  # POLICY alone (search:iterations=8) is for both sides
            out.update({p: text.strip() for p in sc.players})
            continue
        side = side.strip()
        if side not in sc.players:
            raise _usage(f"--policy {text}: '{side}' is not a side in {sc.id}; "
                         f"sides: {', '.join(sc.players)}")
        out[side] = spec.strip()
    for side in ("minsk", "moscow"):
        spec = getattr(args, side)
        if spec is None:
            continue
        if side not in sc.players:
            raise _usage(f"--{side}: {sc.id} has no side '{side}'; its sides are "
                         f"{' and '.join(sc.players)}: use --policy {sc.players[0]}=POLICY")
        out[side] = spec
    return {p: out.get(p, "greedy") for p in sc.players}


@contextlib.contextmanager
def _progress(total: int, label: str):
    """A rich progress bar on stderr when it is a terminal; nothing when piped."""
    from rich.console import Console

    con = Console(stderr=True)
    if not con.is_terminal or total <= 0:
        yield None
        return
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                               TimeRemainingColumn)

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("games"), TimeElapsedColumn(), TimeRemainingColumn(), console=con,
                  transient=True) as prog:
        task = prog.add_task(label, total=total)
        yield lambda done, _total: prog.update(task, completed=done)


def _workers_text(workers) -> str:
    from game.sim.batch import default_workers

    n = workers or default_workers()
    return "1 core (this process)" if n == 1 else f"{n} worker processes"


def _warn_time(specs) -> None:
    if any("time=" in s for s in specs):
        print("note: a time budget makes results depend on the machine's speed; use iterations= for "
              "reproducible runs", file=sys.stderr)


def _run(fn, *args, **kwargs):
    from game.sim.batch import SimError

    try:
        return fn(*args, **kwargs)
    except SimError as exc:
        raise _usage(str(exc)) from None


def _play(args, total: int, label: str, fn, *fargs, **kwargs) -> list[dict]:
    """Run a batch with a progress bar; with --out, each finished game is written at once, so
    Ctrl-C (or a crash) keeps them. The file is rewritten in game order by ``_write``."""
    from game.sim.output import RecordWriter

    sink = RecordWriter(args.out) if args.out else None
    args.sink = sink
    try:
        with _progress(total, label) as cb:
            return _run(fn, *fargs, progress=cb, on_records=sink.write if sink else None, **kwargs)
    except BaseException:
        if sink:
            sink.close()
            if isinstance(sys.exc_info()[1], KeyboardInterrupt):
                print(f"The {sink.count:,} games that finished are in {args.out}", file=sys.stderr)
        raise


def _split(records: list[dict]) -> tuple[list[dict], list[dict]]:
    """(records of played games, records of games that failed)."""
    return [r for r in records if "error" not in r], [r for r in records if "error" in r]


def _failures(failed: list[dict], total: int) -> int:
    """Print a summary of the games that failed; the exit status."""
    if not failed:
        return 0
    first = failed[0]
    print(f"{len(failed):,} of {total:,} games failed and are left out of the figures above; the first, "
          f"game {first['game']} (seed {first['seed']}): {first['error']}", file=sys.stderr)
    return 1


def _write(records, args) -> None:
    if args.out:
        args.sink.finish(records)
        print(f"Wrote {len(records):,} records to {args.out}")


# --- commands ----------------------------------------------------------------------------------

def cmd_simulate(args) -> int:
    from game.sim.batch import run_batch
    from game.sim.report import print_summary
    from game.sim.stats import summarize

    sets = _check_common(args)
    sc, _ = _load(args)
    pols = _side_policies(args, sc)
    _warn_time(pols.values())
    if args.compile:
        _compile(sc, pols.values())
    compiled_before = _random_compiled(sc, pols.values())
    t0 = time.perf_counter()
    played = _play(args, args.games, "Simulating", run_batch, sc, args.games, args.seed, pols,
                    workers=args.workers, dask=args.dask, overrides=sets, trajectory=bool(args.plot))
    dt = time.perf_counter() - t0
    records, failed = _split(played)
    summary = summarize(records, sc)
    print_summary(summary, sc, args.seed, overrides=sets)
    if args.games and dt > 0:
        where = f"Dask ({args.dask})" if args.dask else _workers_text(args.workers)
        print(f"Played {args.games:,} games in {dt:.1f} s ({args.games / dt:,.0f} games/s) on {where}.")
        if compiled_before is False and dt > TIP_SECONDS:
            print("Random games run much faster compiled: their kernels compile in the background once a "
                  "run is under way and are kept for later runs; --compile compiles them before playing.",
                  file=sys.stderr)
    _write(played, args)
    if args.plot:
        from game.sim.plots import plot_summary

        plot_summary(records, summary, sc, args.plot)
        print(f"Saved the plot to {args.plot}")
    return _failures(failed, args.games)


TIP_SECONDS = 20.0  # a random run longer than this, played without compiled games, gets a tip


def _random_compiled(sc, specs) -> bool | None:
    """For random-vs-random runs with numba: whether the compiled games are ready; else None."""
    from game import fast

    if not all(s == "random" for s in specs) or not fast.enabled():
        return None
    from game.fast import games

    return None if games.declined(sc) else games.ready(sc)


def _compile(sc, specs) -> None:
    """Compile (or load from disk) the fast path's kernels the policies use, saying how long each
    took or why it could not: the AI's kernels for any AI player, and the whole-game kernels
    (random games, the greedy player's decisions and games, the search's playouts) for any run."""
    from game import fast
    from game.ai import parse_spec

    if not fast.enabled():
        print("The fast path is off (numba is not installed, or UNION_STATE_NO_FAST is set): "
              "playing on the Python path.", file=sys.stderr)
        return
    from game.ai.evaluate import Model
    from game.fast import games

    def ai_kernels():
        model = Model.of(sc)
        model.use_fast(True)
        return model.fast() is not None, fast.declined(sc)

    def whole_games():
        return games.prepare(sc) is not None, games.declined(sc)

    kinds = [parse_spec(s)[0] for s in specs]
    jobs = []
    if any(k != "random" for k in kinds):
        jobs.append(("the AI's kernels", ai_kernels))
    if all(k == "random" for k in kinds):
        jobs.append(("whole random games", whole_games))
    elif "search" in kinds:
        jobs.append(("the search's playouts", whole_games))
    else:  # the greedy player's decisions, and whole games when both sides play it
        jobs.append(("whole greedy games", whole_games))
    for what, build in jobs:
        t0 = time.perf_counter()
        ok, why = build()
        if ok:
            print(f"Compiled {what} for {sc.id} in {time.perf_counter() - t0:.1f} s "
                  "(kept on disk for later runs).", file=sys.stderr)
        else:
            print(f"Could not compile {what} for {sc.id}: {why}; playing on the Python path.", file=sys.stderr)


def _parse_vary(text: str) -> tuple[str, float, float, float]:
    name, eq, rng = text.partition("=")
    parts = rng.split(":")
    if not eq or not name.strip() or len(parts) != 3:
        raise _usage(f"--vary {text}: write NAME=START:STOP:STEP, e.g. rating=10:40:5")
    try:
        start, stop, step = (float(x) for x in parts)
    except ValueError:
        raise _usage(f"--vary {text}: START, STOP and STEP must be numbers") from None
    if not all(math.isfinite(x) for x in (start, stop, step)):
        raise _usage(f"--vary {text}: START, STOP and STEP must be finite numbers")
    return name.strip(), start, stop, step


def cmd_sweep(args) -> int:
    from game.sim.batch import run_sweep
    from game.sim.report import print_sweep
    from game.sim.stats import sweep_table

    sets = _check_common(args)
    vary = [_parse_vary(v) for v in args.vary]
    names = [v[0] for v in vary]
    if len(set(names)) != len(names):
        raise _usage("--vary: each parameter may be varied once")
    if args.plot and len(names) > 2:
        raise _usage("--plot draws one parameter (a line) or two (a heatmap), not more")
    sc, _ = _load(args)
    pols = _side_policies(args, sc)
    _warn_time(pols.values())
    from game.sim.batch import grid

    points = _run(grid, vary)
    played = _play(args, args.games * len(points), "Sweeping", run_sweep, sc, vary, args.games, args.seed,
                    pols, workers=args.workers, dask=args.dask, overrides=sets)
    records, failed = _split(played)
    rows = sweep_table(records, sc, names)
    print_sweep(rows, sc, names, args.games)
    _write(played, args)
    if args.plot:
        from game.sim.plots import plot_sweep

        plot_sweep(rows, sc, names, args.plot)
        print(f"Saved the plot to {args.plot}")
    return _failures(failed, args.games * len(points))


def cmd_compare(args) -> int:
    from game.sim.batch import run_compare
    from game.sim.report import print_compare
    from game.sim.stats import ab_test

    sets = _check_common(args)
    if args.games % 2:
        raise _usage(f"--games must be even so each setting plays each side equally, not {args.games}")
    sc, _ = _load(args)
    _warn_time((args.a, args.b))
    played = _play(args, args.games, "Comparing", run_compare, sc, args.a, args.b, args.games, args.seed,
                    workers=args.workers, dask=args.dask, overrides=sets)
    records, failed = _split(played)
    print_compare(ab_test(records, args.a, args.b), sc)
    _write(played, args)
    return _failures(failed, args.games)
