"""The interface's subcommands: ``play`` (the default when no command is given) and ``demo``.

pygame is imported only when one of them runs, so ``union-state validate`` and the other headless
commands never load it.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from game.paths import UsageError, check_display
from game.ui.settings import DIFFICULTIES

SIDE_HELP = "minsk, moscow (or the scenario's own actor ids), both (hot-seat) or none (watch)"


def _size(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d{3,5})\s*[x×X]\s*(\d{3,5})\s*", text or "")
    if not m:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT such as 1280x720, got '{text}'")
    w, h = int(m.group(1)), int(m.group(2))
    if w < 640 or h < 400:
        raise argparse.ArgumentTypeError("the window must be at least 640x400")
    if w > 7680 or h > 4320:
        raise argparse.ArgumentTypeError("the window must be at most 7680x4320")
    return w, h


def register(sub) -> None:
    p = sub.add_parser("play", help="open the game (the default): the title screen, or straight into a game",
                       description="Open the game. With a scenario, a side or a save, go straight into a game; "
                                   "otherwise show the title screen.")
    p.add_argument("scenario", nargs="?", metavar="SCENARIO", help="an id (roadmap-2021) or a .toml path")
    p.add_argument("--side", help=SIDE_HELP)
    p.add_argument("--difficulty", choices=DIFFICULTIES)
    p.add_argument("--seed", type=int, help="the game's random seed (default: a new one)")
    p.add_argument("--load", metavar="FILE", help="continue a saved game")
    p.add_argument("--fullscreen", action="store_true", help="start in full screen (F11 toggles)")
    p.add_argument("--size", type=_size, metavar="WxH", help="window size, e.g. 1280x720")
    p.add_argument("--watch", action="store_true",
                   help="for scenario authors: reload SCENARIO whenever the file changes, replaying the moves "
                        "so far, and open a developer console with F12 (see docs/authoring.md)")
    p.set_defaults(func=cmd_play)

    p = sub.add_parser("demo", help="the computer plays itself through the interface, visiting every screen",
                       description="Play a game through the real interface, driven by posted clicks and keys; "
                                   "print frame-time figures at the end. Works with SDL_VIDEODRIVER=dummy.")
    p.add_argument("scenario", nargs="?", metavar="SCENARIO", default=None)
    p.add_argument("--frames", type=int, default=1500,
                   help="frame budget: past it the game is played out at full speed (default 1500)")
    p.add_argument("--screenshots", metavar="DIR", help="save a PNG of every screen visited into DIR")
    p.add_argument("--size", type=_size, default=(1280, 720), metavar="WxH")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--side", help="the side the director plays through the interface")
    p.add_argument("--text-size", choices=("small", "medium", "large", "huge"), default="medium")
    p.add_argument("--high-contrast", action="store_true")
    p.set_defaults(func=cmd_demo)


def cmd_play(args) -> int:
    check_display()
    return open_play(args).run()


def open_play(args):
    """The window ``play`` opens, with its first screens pushed (the tests drive it from here)."""
    from game.scenario import DEFAULT_SCENARIO, find_scenario

    watch = getattr(args, "watch", False)
    if watch and (args.load or not args.scenario):
        raise UsageError("--watch needs a SCENARIO file to watch (and no --load), "
                         "e.g. union-state play my-scenario.toml --watch")
    loaded = None
    if args.load:
        from game import saves

        loaded = saves.load(args.load)  # a SaveError is reported by the command line, not a window
    sc = None
    if args.scenario or args.side or args.difficulty or args.seed is not None:
        sc = find_scenario(args.scenario or DEFAULT_SCENARIO)
        if args.side and args.side not in (*sc.players, "both", "none"):
            raise UsageError(f"--side must be one of {', '.join((*sc.players, 'both', 'none'))}")
    if watch and sc.path is None:
        raise UsageError(f"--watch needs a scenario file; '{args.scenario}' has none")
    from game.ui.app import App
    from game.ui.nav import Push, open_save

    app = App(size=args.size, fullscreen=True if args.fullscreen else None)
    if watch:
        from game.authoring.watch import ScenarioWatcher

        app.watcher = ScenarioWatcher(sc.path, sc)
    app.navigate(Push("title"))
    if loaded is not None:
        nav = open_save(app, Path(args.load))
        if nav is not None:
            app.navigate(nav)
    elif sc is not None:
        import random

        from game.session import Session

        side = args.side or (app.settings.side if app.settings.side in sc.players else sc.players[0])
        difficulty = args.difficulty or app.settings.difficulty or "normal"
        seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1, 2**31)
        app.navigate(Push("briefing", session=Session(sc, seed), side=side, difficulty=difficulty))
    return app


def cmd_demo(args) -> int:
    from game.scenario import DEFAULT_SCENARIO
    from game.ui.demo import run_demo

    return run_demo(args.scenario or DEFAULT_SCENARIO, frames=args.frames, screenshots=args.screenshots,
                    size=args.size, seed=args.seed, side=args.side, text_size=args.text_size,
                    high_contrast=args.high_contrast)
