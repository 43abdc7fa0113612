"""Interface figures at 1280x720 (or --size): time to the first frame, frame times on the main
screen while a game is played at the normal pace, and the CPU the window uses when nothing moves.

    SDL_VIDEODRIVER=dummy python benchmarks/ui.py            # about 40 s
    python benchmarks/ui.py --seconds 60 --size 1920x1080    # with a real window

Targets (DESIGN §8): p99 frame <= 8 ms on the main screen, first frame <= 1 s after launch, no busy
loop when idle. The player's side is played by the computer through posted clicks and keys, with
a pause of about a fifth of a second before each action and a restless mouse (hover and tooltips),
while the opponent thinks on its worker thread and its moves are announced at the normal pace.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="roadmap-2021")
    ap.add_argument("--seconds", type=float, default=30.0, help="how long to play (default 30)")
    ap.add_argument("--idle", type=float, default=6.0, help="how long to sit still at the end (default 6)")
    ap.add_argument("--size", default="1280x720")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--difficulty", default="normal", choices=("easy", "normal", "hard"),
                    help="the computer opponent's level")
    args = ap.parse_args(argv)
    os.environ.setdefault("UNION_STATE_HOME", tempfile.mkdtemp(prefix="union-state-bench-"))
    w, h = (int(x) for x in args.size.lower().split("x"))

    from game.ui.app import peak_memory_mb
    from game.ui.demo import Director

    d = Director(args.scenario, frames=10**9, size=(w, h), seed=args.seed, realtime=True,
                 animation="normal", hover=True, difficulty=args.difficulty)
    app = d.app
    d.start_game()
    t0 = time.perf_counter()
    d.stop_at = t0 + args.seconds
    d.play()
    played = time.perf_counter() - t0
    stats = app.stats("game")
    first = app.first_frame or 0.0
    # Idle: the player's turn, nothing moving, no input.
    app.running = True
    g = d.game
    settle_until = time.perf_counter() + 30
    while time.perf_counter() < settle_until and app.screen is g:
        if g.popup is not None:
            d.drv.key(__import__("pygame").K_1, frames=1)
        elif g.match.human_to_move() and not app.busy():
            break
        app.frame()
    n0 = app.frame_no
    wake0 = app.idle_wakeups
    c0 = time.process_time()
    w0 = time.perf_counter()
    while time.perf_counter() - w0 < args.idle:
        app.frame()
    idle_cpu = (time.process_time() - c0) / (time.perf_counter() - w0) * 100
    idle_frames = app.frame_no - n0
    wakeups = app.idle_wakeups - wake0
    import pygame

    driver = pygame.display.get_driver()
    app.shutdown()
    turn = g.match.state.turn
    print(f"first frame {first:.2f} s after launch")
    flips = sorted(app.flip_times)
    flip50 = flips[len(flips) // 2] * 1000 if flips else 0.0
    print(f"main screen {w}x{h}, {args.difficulty} opponent: {stats['frames']} frames in {played:.0f} s of play "
          f"(turn {turn}): "
          f"p50 {stats['p50']:.1f} ms  p99 {stats['p99']:.1f} ms  max {stats['max']:.1f} ms "
          f"(of which display.flip p50 {flip50:.1f} ms; video driver {driver})")
    print(f"idle: {idle_frames} frames drawn and {wakeups} quiet wake-ups in {args.idle:.0f} s, "
          f"CPU {idle_cpu:.1f} % of one core")
    print(f"peak memory {peak_memory_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
