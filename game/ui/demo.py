"""Demo mode: the computer plays itself through the real interface, visiting every screen.

One side is played by the computer *as a player would*: the director asks an AI policy for a move,
then makes it with posted clicks and keys (open the Deal tab, tick the terms, press Enter; click a
move, press Enter; press a number in a pop-up). The other side is the game's own computer
opponent. Time is virtual (1/60 s a frame) so the tour is the same length on any machine, and the
frames are timed for real.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import pygame

from game.engine import (ACT, ANSWER, ANSWER_COUNTER, CHOOSE, PROPOSE, STANDOFF, STANDOFF_PRESS, Move,
                         legal_moves, view)
from game.paths import UsageError
from game.ui.app import App
from game.ui.process import peak_memory_mb
from game.ui.driver import Driver
from game.ui.nav import Push, build
from game.ui.opponent import make_policy
from game.ui.settings import Settings

ANNOUNCE = 0.25   # seconds of virtual time an announcement stays up in the demo


class DemoSettings(Settings):
    """Settings the demo never writes back: it must not change the player's own."""

    def save(self) -> None:
        pass


class VirtualClock:
    def __init__(self, step: float = 1 / 60):
        self.t = 0.0
        self.step = step

    def __call__(self) -> float:
        return self.t

    def tick(self) -> None:
        self.t += self.step


class Director:
    def __init__(self, scenario_ref: str, frames: int = 1500, screenshots: Path | None = None,
                 size: tuple[int, int] = (1280, 720), seed: int = 7, side: str | None = None,
                 out=sys.stdout, settings: Settings | None = None, realtime: bool = False,
                 animation: str = "fast", hover: bool = False, difficulty: str = "normal"):
        self.scenario_ref = scenario_ref
        self.budget = frames
        self.shots = screenshots
        self.seed = seed
        self.side = side
        self.out = out
        self.realtime = realtime
        self.hover = hover
        self.animation = animation
        self.difficulty = difficulty
        s = DemoSettings(**{k: getattr(settings, k) for k in ("text_size", "high_contrast")}) if settings \
            else DemoSettings()
        s.window = size
        s.fullscreen = False
        s.animation = animation
        self.clock = VirtualClock()
        self.app = App(size=size, fullscreen=False, settings=s, wait_when_idle=realtime)
        if not realtime:
            self.app.now = self.clock
        self.app.autosave_enabled = False
        self.drv = Driver(self.app, self._frame)
        self.stop_at: float | None = None  # realtime: stop playing at this perf_counter time
        self.saved: list[Path] = []
        self.policy = None
        self.rng = random.Random(seed)
        self.fast = False

    def _frame(self) -> None:
        if self.realtime:
            if self.hover and self.app.frame_no % 15 == 0:
                # a restless mouse: hover effects and tooltips are part of the cost of a frame
                W, H = self.app.window.get_size()
                self.drv.move((self.rng.randrange(W), self.rng.randrange(H)))
            self.app.frame()
            if self.stop_at is not None and time.perf_counter() > self.stop_at:
                self.app.running = False
        else:
            self.clock.tick()
            self.app.frame(wait=False)

    def shot(self, name: str) -> None:
        if self.shots is not None:
            self.saved.append(self.drv.screenshot(self.shots / f"{name}.png"))

    # --- the tour ---------------------------------------------------------------------------------
    def run(self) -> int:
        from game.scenario import find_scenario

        sc = find_scenario(self.scenario_ref)
        self.sc = sc
        side = self.side or sc.players[0]
        if side not in sc.players:
            raise UsageError(f"--side {side}: {sc.id} has the sides {' and '.join(sc.players)}")
        d = self.drv
        app = self.app
        app.navigate(Push("title"))
        d.frames(30)
        self.shot("01-title")
        # Help and settings from the title screen
        d.key(pygame.K_F1, frames=10)
        self.shot("02-help")
        d.key(pygame.K_ESCAPE, frames=5)
        d.click_element(d.button("Settings"), frames=10)
        self.shot("03-settings")
        d.key(pygame.K_ESCAPE, frames=5)
        # New game: the picker
        d.click_element(d.button("New game"), frames=10)
        picker = app.screen
        found = next((i for i, (path, s) in enumerate(picker.entries)
                      if not isinstance(s, str) and (s.id == sc.id or str(path) == str(sc.path))), None)
        if found is None:  # a file outside the scenario folders: the picker shows it too
            picker.entries.append((str(sc.path), sc))
            picker.index = len(picker.entries) - 1
            app.retheme()
            d.frames(5)
        else:
            rect = picker.list.row_rect(found)
            if rect is not None:
                d.click(rect.center, frames=5)
        picker = app.screen
        d.click_element(picker.side_buttons[side], frames=3)
        d.click_element(picker.diff_buttons["normal"], frames=3)
        self.shot("04-picker")
        d.click_element(picker.start, frames=10)
        self.shot("05-briefing")
        # a fixed seed for a reproducible tour
        brief = app.screen
        from game.session import Session

        brief.sess = Session(sc, self.seed)
        d.key(pygame.K_RETURN, frames=5)
        game = app.screen
        app.settings.animation = self.animation
        self.policy = make_policy("normal", sc, side, seed=self.seed)
        self.game = game
        self.side = side
        self.play()
        d.frames(30)
        self.shot("13-end")
        return 0

    def start_game(self) -> None:
        """Straight into a game (no tour), for the benchmark."""
        from game.scenario import find_scenario
        from game.session import Session
        from game.ui.match import Match

        sc = find_scenario(self.scenario_ref)
        self.sc = sc
        self.side = self.side or sc.players[0]
        match = Match(Session(sc, self.seed), {self.side}, self.difficulty)
        self.game = build(self.app, Push("game", match=match, side=self.side, difficulty=self.difficulty))
        self.app.push(self.game)
        self.policy = make_policy("normal", sc, self.side, seed=self.seed)

    def play(self) -> None:
        d = self.drv
        app = self.app
        taken = set()
        tabs_done = False
        last_decision = None
        stall = 0
        while app.running and app.screen is self.game:
            g = self.game
            m = g.match
            if app.frame_no > self.budget and not self.fast:
                self.fast = True
                app.settings.animation = "instant"
            if g.dialogs.factory is not None:
                d.frames(1)
                continue
            if g.dialogs.popup is not None:
                if g.dialogs.kind.startswith("event:") and "event" not in taken:
                    d.frames(20)
                    self.shot("08-event")
                    taken.add("event")
                if g.dialogs.kind.startswith("event:") and m.human_to_move() and m.state.phase == CHOOSE:
                    self._choose_in_popup(g)
                elif g.dialogs.kind == "standoff":
                    if "standoff" not in taken:
                        self.shot("11-standoff")
                        taken.add("standoff")
                    self._choose_in_popup(g)
                else:
                    d.frames(2 if self.fast else 18)
                    d.key(pygame.K_RETURN, frames=2)
                continue
            if g.banner.current is not None or g.announcements.queue or m.notices:
                shown = g.banner.current
                if not self.fast and shown is not None and shown.kind == "move" and "announce" not in taken:
                    d.frames(8)
                    self.shot("07-announcement")
                    taken.add("announce")
                d.frames(1)
                if self.fast:
                    d.key(pygame.K_SPACE, frames=1)
                continue
            st = m.state
            if m.over:
                d.frames(3)
                continue
            if not m.human_to_move():
                if st.phase in (ANSWER, ANSWER_COUNTER) and st.deal and "deal-offer" not in taken:
                    self._tab("deal")
                    d.frames(4)
                    self.shot("09-deal-offered")
                    taken.add("deal-offer")
                d.frames(1)
                continue
            if "main" not in taken:
                d.frames(10)
                self.shot("06-main")
                taken.add("main")
            if not tabs_done and st.turn >= 3 and st.phase == ACT:
                tabs_done = True
                # why did a number move? hover a meter for its causes
                from game.ui.explain import by_cause

                recent = m.recent_changes(self.side)
                names = [r.key for r in g.meters_panel.list.rows if isinstance(r.key, str)]
                name = max(names, key=lambda k: len(by_cause(recent, k)), default=None)
                rect = g.meters_panel.list.row_rect(name) if name else None
                if rect is not None:
                    d.move(rect.center)
                    d.frames(30)
                    self.shot("06b-why-it-moved")
                    d.move((g.r_map.centerx, g.r_map.centery))
                    d.frames(2)
                for n, (key, _, _) in enumerate(g.decision.tabs):
                    self._tab(key)
                    d.frames(4)
                    self.shot(f"10-tab-{n + 1}-{key}")
                self._tab("moves")
            key = (len(m.session.moves), st.phase)
            if key == last_decision:
                stall += 1
                if stall > 5:  # a move the interface refused: fall back to the plainest one
                    self._plain(st)
                    stall = 0
                    continue
            else:
                stall = 0
            last_decision = key
            self._decide()

    def _tab(self, key: str) -> None:
        g = self.game
        if g.decision.tab != key:
            self.drv.click_element(g.decision.tab_buttons[key], frames=2)

    def _choose_in_popup(self, g) -> None:
        m = g.match
        st = m.state
        legal = legal_moves(st)
        mv = self.policy.choose(view(st, self.side), legal, self.rng) if legal else None
        keys = g.dialogs.popup.keys
        if mv is not None and mv.kind == "choose" and mv.ref in keys:
            n = keys.index(mv.ref)
        elif mv is not None and mv.kind in keys:
            n = keys.index(mv.kind)
        else:
            n = 0
        self.drv.frames(2 if self.fast else 20)
        self.drv.key(pygame.K_1 + n, frames=2)

    def _decide(self) -> None:
        g = self.game
        d = self.drv
        m = g.match
        st = m.state
        legal = legal_moves(st)
        mv: Move = self.policy.choose(view(st, self.side), legal, self.rng)
        pause = 2 if self.fast else 12
        shots = self.__dict__.setdefault("_shots", set())
        if st.phase == PROPOSE:
            self._tab("deal")
            if mv.kind != "propose" and "deal" not in shots:
                # Show the deal table at work once even if the computer would rather not bargain:
                # tick a term from each side, look at the projection, untick them.
                picks = []
                for side in (1 - st.actor, st.actor):
                    t = next((t for t in self.sc.terms if t.by == side and
                              any(r.key == t.id and r.enabled for r in g.decision.content.rows)), None)
                    if t is not None:
                        picks.append(t.id)
                for t in picks:
                    self._click_row(t)
                d.frames(pause)
                shots.add("deal")
                self.shot("09-deal-table")
                for t in picks:
                    self._click_row(t)
            if mv.kind == "propose":
                for t in mv.terms:
                    self._click_row(t)
                d.frames(pause)
                if "deal" not in shots:
                    shots.add("deal")
                    self.shot("09-deal-table")
            d.frames(pause)
            d.key(pygame.K_RETURN)
        elif st.phase in (ANSWER, ANSWER_COUNTER):
            self._tab("deal")
            d.frames(pause)
            if mv.kind == "accept":
                d.key(pygame.K_RETURN)
            elif mv.kind == "counter":
                for t in list(g.decision.terms):
                    self._click_row(t)
                for t in mv.terms:
                    self._click_row(t)
                d.click_element(g.decision.actions.btn_third)
            else:
                d.click_element(g.decision.actions.btn_second)
        elif st.phase == ACT:
            self._tab("moves")
            if mv.kind == "unilateral":
                self._click_row(mv.ref)
                d.frames(pause)
                if "move" not in shots:
                    shots.add("move")
                    self.shot("12-move-selected")
            d.key(pygame.K_RETURN)
        elif st.phase in (CHOOSE, STANDOFF, STANDOFF_PRESS):
            d.frames(2)

    def _click_row(self, key) -> None:
        g = self.game
        rect = g.decision.content.row_rect(key)
        if rect is not None:
            self.drv.frames(1)
            rect = g.decision.content.row_rect(key)
            self.drv.click((rect.x + rect.w // 2, rect.y + min(rect.h // 2, 12)))

    def _plain(self, st) -> None:
        g = self.game
        me = st.actor_id
        for kind in ("pass", "no_deal", "reject", "concede", "back_down"):
            mv = Move(kind, me)
            if mv in legal_moves(st):
                g.submit(mv)
                return

    def report(self) -> str:
        app = self.app
        main = app.stats("game")
        total = len(app.frame_times)
        first = app.first_frame or 0.0
        return (f"frames {total}  p50 {main['p50']:.1f} ms  p99 {main['p99']:.1f} ms  "
                f"first frame {first:.2f} s  peak memory {peak_memory_mb():.0f} MB")


def run_demo(scenario: str, frames: int = 1500, screenshots: str | None = None,
             size: tuple[int, int] = (1280, 720), seed: int = 7, side: str | None = None,
             text_size: str = "medium", high_contrast: bool = False) -> int:
    t0 = time.perf_counter()
    shots = Path(screenshots) if screenshots else None
    s = DemoSettings(text_size=text_size, high_contrast=high_contrast)
    director = Director(scenario, frames, shots, size, seed, side, settings=s)
    try:
        rc = director.run()
    finally:
        director.app.shutdown()
    line = director.report()
    print(line)
    if shots is not None:
        print(f"{len(director.saved)} screenshots in {shots} ({time.perf_counter() - t0:.1f} s)", file=sys.stderr)
    return rc
