"""The authoring subcommands of `union-state`: new, schema and lint."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("new", help="write a commented starter scenario (or a copy of one) to edit",
                       description="Write a commented starter scenario that validates and plays as it is, "
                                   "or a copy of an existing scenario with a new id, into your scenario "
                                   "folder or to FILE.")
    p.add_argument("name", metavar="NAME", help="the new scenario's id: lower-case letters, digits and '-'")
    p.add_argument("--from", dest="source", metavar="SCENARIO", help="copy this scenario (an id or a path) "
                   "instead of writing the starter")
    p.add_argument("--path", metavar="FILE", help="where to write it (default: NAME.toml in your scenario folder)")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("schema", help="print a JSON Schema of the scenario format, for editors",
                       description="Print a JSON Schema of the scenario format. Editors that read schemas "
                                   "for TOML (taplo, VS Code's Even Better TOML) use it for completion and "
                                   "checking as you type; see docs/authoring.md.")
    p.add_argument("--output", "-o", metavar="FILE", help="write it to FILE instead of printing it")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("lint", help="validate a scenario, then report on its balance from simulated games",
                       description="Validate a scenario, then play simulated games between every pairing "
                                   "of the random, greedy and search players and report outcome shares, "
                                   "endings never reached, events never fired, moves never allowed or "
                                   "never chosen, dominant moves, meters stuck at a bound, and games that "
                                   "crash or never end. Exit status 1 when there are errors.")
    p.add_argument("scenario", metavar="SCENARIO", help="an id or a path")
    p.add_argument("--games", type=int, default=10, metavar="N", help="games per pairing (default 10; 0 "
                   "skips the games)")
    p.add_argument("--search-games", type=int, default=None, metavar="N",
                   help="games per pairing with a search player, at most --games (default: as many as "
                   "keep a run of the scenario quick, e.g. 4 on the road map; the report says when "
                   "it capped them)")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="seed of the first game (default 0)")
    p.add_argument("--players", default="random,greedy,search", metavar="LIST",
                   help="the players to pair, comma-separated (default random,greedy,search)")
    p.add_argument("--sources", metavar="FILE", help="check every source quote against this document "
                   "(paragraphs marked ¶N, or separated by blank lines)")
    p.add_argument("--workers", type=int, default=0, metavar="K", help="processes to play the games in "
                   "(default: one per CPU, up to 4, for runs big enough to gain from it); the results are "
                   "the same for any K")
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    p.add_argument("--json", action="store_true", help="machine-readable output, for CI")
    p.set_defaults(func=cmd_lint)


def cmd_new(args) -> int:
    from game.authoring.starter import StarterError, check_id, write_new
    from game.cli import UsageError
    from game.scenario import find_scenario, user_scenario_dir

    try:
        check_id(args.name)
    except StarterError as exc:
        raise UsageError(str(exc)) from None
    path = Path(args.path) if args.path else user_scenario_dir() / f"{args.name}.toml"
    if args.path:
        from game.files import unwritable

        # (a missing folder is made by write_new; an existing file is refused without --force)
        try:
            check = path.parent.is_dir() and (args.force or not path.exists())
        except (OSError, ValueError):
            check = True  # unwritable() says what is wrong with the name
        why = unwritable(path) if check else None
        if why:
            raise UsageError(f"--path {path}: {why}")
    source = None
    if args.source:
        sc = find_scenario(args.source)  # a ScenarioError here is reported by the cli
        if sc.path is None:
            raise UsageError(f"scenario '{args.source}' has no file to copy")
        source = sc.path
    try:
        write_new(args.name, path, source, force=args.force)
    except StarterError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    what = f"a copy of {source.name}" if source else "a starter scenario"
    print(f"Wrote {what} with id '{args.name}' to {path}")
    ref = args.name if not args.path else str(path)
    print("Next: edit it, then\n"
          f"  union-state validate {path}\n"
          f"  union-state lint {ref}\n"
          f"  union-state play {ref} --watch")
    return 0


def cmd_schema(args) -> int:
    from game.authoring.json_schema import schema_text

    if args.output:
        from game.cli import UsageError
        from game.files import unwritable

        why = unwritable(args.output)
        if why:
            raise UsageError(f"--output {args.output}: {why}")
    text = schema_text()
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"Wrote the scenario JSON Schema to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_lint(args) -> int:
    from game.authoring.lint import PLAYERS, invalid_report, lint, render, search_cap
    from game.cli import UsageError
    from game.scenario import ScenarioError, find_scenario

    if not 0 <= args.games <= 100_000:
        raise UsageError(f"--games must be from 0 to 100,000 per pairing, not {args.games:,}")
    if args.workers < 0:
        raise UsageError("--workers cannot be negative")
    if args.search_games is not None and not 0 <= args.search_games <= 100_000:
        raise UsageError(f"--search-games must be from 0 to 100,000, not {args.search_games:,}")
    players = tuple(p.strip() for p in args.players.split(",") if p.strip())
    unknown = [p for p in players if p not in PLAYERS]
    if unknown or not players:
        raise UsageError(f"unknown player(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(PLAYERS)}")
    if args.sources and not Path(args.sources).is_file():
        raise UsageError(f"no document at {args.sources}")
    try:
        sc = find_scenario(args.scenario)
    except ScenarioError as exc:
        report = invalid_report(args.scenario, exc)
        if args.json:
            print(json.dumps(report.to_dict(), indent=2))
        else:
            for p in exc.problems:
                print(f"error: {p}")
            print(f"\n{len(exc.problems)} error{'s' * (len(exc.problems) != 1)}: the scenario does not load, "
                  "so no games were played")
        return 1
    progress = None
    if not args.json and sys.stderr.isatty():
        def progress(done: int, total: int) -> None:
            end = "\n" if done == total else ""
            print(f"\rplaying {done}/{total} games", end=end, file=sys.stderr, flush=True)
    search_games = search_cap(sc) if args.search_games is None else args.search_games
    searching = sum(1 for a in players for b in players if "search" in (a, b))
    games = args.games * (len(players) ** 2 - searching) + min(args.games, search_games) * searching
    workers = args.workers or _auto_workers(sc, games, "search" in players)
    report = lint(sc, games=args.games, seed=args.seed, players=players, sources=args.sources,
                  progress=progress, workers=workers, search_games=search_games)
    if args.json:
        print(json.dumps(report.to_dict(sc), indent=2, ensure_ascii=False))
    else:
        print(render(report, sc, _shown(sc.path, args.scenario)))
    if report.errors or (args.strict and report.warnings):
        return 1
    return 0


def _auto_workers(sc, games: int, searching: bool) -> int:
    """Processes worth starting: only for runs long enough to repay their start-up (about half a
    second each). A search game costs roughly in proportion to the choices a side has."""
    import os

    choices = len(sc.moves) + len(sc.terms)
    if games * choices * (40 if searching else 1) < 100_000:
        return 1
    return max(1, min(4, os.cpu_count() or 1))


def _shown(path: Path | None, ref: str) -> str:
    """The file name to print: as the user typed it when they typed a path."""
    if path is None:
        return ref
    if Path(ref).exists():
        return ref
    return str(path)
