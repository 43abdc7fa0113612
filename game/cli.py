"""The `union-state` command.

Subcommands live with the code they drive: this module holds the core ones (validate, describe,
list, replay) and asks ``game.sim.commands``, ``game.ui.commands`` and ``game.authoring.commands``
to add theirs. No traceback reaches the user: expected errors print a message, unexpected ones a
short note and the path of a full report.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time

from game import __version__
# The data folder, crash reports, the display check and the two errors live in game.paths (the
# interface uses them too); they are re-exported here under their old names.
from game.paths import DisplayError, UsageError, check_display, data_dir, write_crash_report  # noqa: F401
from game.scenario import ScenarioError, find_scenario, load_scenario, scenario_files
from game.scenario.loader import load_cached

EXTENSIONS = ("game.sim.commands", "game.ui.commands", "game.authoring.commands",
              "game.sim.backtest", "game.sim.sensitivity")


# --- core commands ------------------------------------------------------------------------------

def cmd_validate(args) -> int:
    results = []
    bad = 0
    for p in args.paths:
        t0 = time.perf_counter()
        try:
            sc = load_scenario(p)
            ms = (time.perf_counter() - t0) * 1000
            results.append({"file": p, "ok": True, "id": sc.id, "problems": []})
            if not args.json:
                print(f"{p}: ok: '{sc.id}' - {len(sc.moves)} moves, {len(sc.terms)} terms, "
                      f"{len(sc.events)} events, {len(sc.endings)} endings ({ms:.0f} ms)")
        except ScenarioError as exc:
            bad += 1
            results.append({"file": p, "ok": False, "problems": [pr.to_dict() for pr in exc.problems]})
            if not args.json:
                for pr in exc.problems:
                    print(str(pr))
    if args.json:
        print(json.dumps(results, indent=2))
    elif bad:
        print(f"{bad} of {len(args.paths)} file(s) have problems", file=sys.stderr)
    return 1 if bad else 0


def cmd_describe(args) -> int:
    from game.describe import describe

    print(describe(find_scenario(args.scenario)))
    return 0


def cmd_list(args) -> int:
    rows = []
    for f in scenario_files():
        try:
            sc = load_cached(f)
            rows.append((sc.id, sc.title, sc.raw.scenario.period, str(f)))
        except ScenarioError as exc:  # listed with a note; `validate` shows the problems
            rows.append((f.stem, f"(invalid: {len(exc.problems)} problem(s); run validate)", "", str(f)))
    if args.json:
        print(json.dumps([dict(zip(("id", "title", "period", "file"), r)) for r in rows], indent=2))
        return 0
    if not rows:
        print("No scenarios found.")
        return 0
    w = max(len(r[0]) for r in rows)
    for r in rows:
        print(f"{r[0]:<{w}}  {r[1]}  ({r[2]})" if r[2] else f"{r[0]:<{w}}  {r[1]}")
    return 0


def cmd_replay(args) -> int:
    from game import saves
    from game.describe import describe_move

    session, meta = saves.load(args.file)
    sc = session.scenario
    print(f"{sc.title} - seed {session.seed}, {len(session.moves)} moves")
    last_turn = 1
    print(f"Turn 1 ({sc.date_label(1)})")
    for f in session.steps[0].fired:
        if f.kind == "event":
            print(f"    event: {sc.event_by_id[f.id].title}")
    for step, move in zip(session.steps[1:], session.moves):
        print(f"  {describe_move(sc, move)}")
        for f in step.fired:
            if f.kind == "event":
                print(f"    event: {sc.event_by_id[f.id].title}")
        if step.state.turn != last_turn and not step.state.is_over:
            last_turn = step.state.turn
            print(f"Turn {last_turn} ({sc.date_label(last_turn)})")
    o = session.outcome
    if o:
        who = sc.actor(o.winner).name if o.winner else "nobody"
        print(f"Outcome: {o.title} (turn {o.turn}) - winner: {who}; scores " +
              ", ".join(f"{sc.actor(k).name} {v:.1f}" for k, v in o.scores.items()))
    else:
        print(f"Unfinished: turn {session.state.turn} of {sc.turns}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="union-state",
        description="Union State: bargain as Minsk or Moscow over the Union State's programmes, "
                    "bases and Crimea. With no command, opens the game.")
    parser.add_argument("--version", action="version", version=f"union-state {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    p = sub.add_parser("validate", help="check scenario files and report every problem")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("describe", help="print a scenario's actors, meters, issues, moves, events and endings")
    p.add_argument("scenario", metavar="SCENARIO", help="an id or a path")
    p.set_defaults(func=cmd_describe)
    p = sub.add_parser("list", help="list the scenarios found")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)
    p = sub.add_parser("replay", help="re-run a save or replay file headless and print each turn")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=cmd_replay)
    for name in EXTENSIONS:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue
            raise
        mod.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            if "play" in parser._subparsers._group_actions[0].choices:  # type: ignore[union-attr]
                args = parser.parse_args(["play", *argv])
            else:
                parser.print_help()
                return 0
        return int(args.func(args) or 0)
    except ScenarioError as exc:
        for pr in exc.problems:
            print(str(pr), file=sys.stderr)
        return 1
    except UsageError as exc:
        print(f"union-state: error: {exc}", file=sys.stderr)
        return 2
    except DisplayError as exc:
        print(exc, file=sys.stderr)
        return 1
    except BrokenPipeError:
        try:
            sys.stdout = open(os.devnull, "w")  # the reader went away (e.g. `| head`): stop quietly
        except OSError:
            pass
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last guard before the user's terminal
        from game.saves import SaveError

        if isinstance(exc, SaveError):
            print(f"union-state: {exc}", file=sys.stderr)
            return 1
        path = write_crash_report(exc)
        where = f"A full report was written to {path}" if path else "No report could be written (no writable folder)."
        print(f"union-state: internal error: {type(exc).__name__}: {str(exc)[:500]}\n{where}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    raise SystemExit(main())
