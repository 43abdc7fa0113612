"""The application: the window, the pygame_gui manager, a stack of screens and the main loop.

The loop sleeps when nothing moves (``pygame.event.wait`` with a timeout) and runs at up to 60
frames a second while something does. An exception during a frame never reaches the player as a
traceback: the game in progress is saved, a crash report is written next to the autosave, and an
error screen offers the way back.
"""

from __future__ import annotations

import gc
import os
import sys
import time
import warnings
from pathlib import Path

import pygame

from game.paths import write_crash_report
from game.ui.nav import Pop, Push, Replace, build, screen_class
from game.ui.overlays import ButtonTip, draw_toast
# peak_memory_mb is imported from here by the demo and benchmarks/ui.py
from game.ui.process import peak_memory_mb, process_age  # noqa: F401
from game.ui.settings import Settings
from game.ui.storage import Autosaver, saves_dir
from game.ui.theme import Theme, make_manager

MIN_SIZE = (960, 600)
FPS_ACTIVE = 60
IDLE_TIMEOUT_MS = 500
IDLE_POLL_S = 0.025


def _icon() -> pygame.Surface:
    """Two overlapping discs, amber and blue: the two capitals."""
    surf = pygame.Surface((32, 32), pygame.SRCALPHA)
    pygame.draw.circle(surf, (240, 166, 48), (12, 16), 10)
    pygame.draw.circle(surf, (90, 174, 240), (20, 16), 10)
    pygame.draw.circle(surf, (16, 20, 26), (20, 16), 10, 2)
    return surf


class App:
    def __init__(self, size: tuple[int, int] | None = None, fullscreen: bool | None = None,
                 settings: Settings | None = None, wait_when_idle: bool = True):
        self.launch_age = process_age()
        self.t0 = time.perf_counter() - self.launch_age
        os.environ.setdefault("SDL_VIDEO_CENTERED", "1")
        # The computer thinks on a worker thread; switch threads often so frames are not held up.
        sys.setswitchinterval(0.001)
        pygame.display.init()
        pygame.font.init()
        pygame.key.set_repeat(400, 40)
        self.settings = settings or Settings.load()
        if size is not None:
            self.settings.window = size
        if fullscreen is not None:
            self.settings.fullscreen = fullscreen
        pygame.display.set_caption("Union State")
        pygame.display.set_icon(_icon())
        self.window = self._set_mode()
        self.theme = Theme(self.settings.text_size, self.settings.high_contrast, self.window.get_size())
        self.manager = make_manager(self.theme, self.window.get_size())
        self.stack: list = []
        self.clock = pygame.time.Clock()
        self.running = True
        self.wait_when_idle = wait_when_idle
        self.active_until = 0.0
        self.frame_times: list[tuple[str, float]] = []
        self.flip_times: list[float] = []
        self.first_frame: float | None = None
        self.crashes: list[Path] = []
        self.autosaver = Autosaver()
        self._pending_size: tuple[int, int] | None = None
        self._pending_at = 0.0
        self._last_crash = 0.0
        self.toast_text = ""
        self.button_tip = ButtonTip()
        self.toast_until = 0.0
        self.frame_no = 0
        self.idle_wakeups = 0
        self.exit_code = 0
        self.on_frame = None  # a hook the demo and the tests use
        self.now = time.perf_counter  # the demo swaps in a virtual clock
        self.autosave_enabled = True  # the demo must not overwrite the player's autosave
        self.watcher = None  # `play --watch`: a game.authoring.watch.ScenarioWatcher on the scenario file

    # --- window -------------------------------------------------------------------------------
    def _set_mode(self) -> pygame.Surface:
        if self.settings.fullscreen:
            try:
                desk = pygame.display.get_desktop_sizes()[0]
            except (pygame.error, IndexError):
                desk = self.settings.window
            surf = pygame.display.set_mode(desk, pygame.FULLSCREEN)
        else:
            w, h = self.settings.window
            surf = pygame.display.set_mode((max(MIN_SIZE[0], w), max(MIN_SIZE[1], h)), pygame.RESIZABLE)
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", DeprecationWarning)
                    pygame.Window.from_display_module().minimum_size = MIN_SIZE
            except (AttributeError, pygame.error, TypeError, ValueError):
                pass
        return surf

    def set_fullscreen(self, on: bool) -> None:
        if on == self.settings.fullscreen:
            return
        self.settings.fullscreen = on
        self.settings.save()
        self.window = self._set_mode()
        self.retheme()

    def resize(self, size: tuple[int, int]) -> None:
        w, h = max(MIN_SIZE[0], int(size[0])), max(MIN_SIZE[1], int(size[1]))
        if self.window.get_size() != (w, h):
            self.window = pygame.display.set_mode((w, h), pygame.RESIZABLE)
        if not self.settings.fullscreen:
            self.settings.window = (w, h)
        self.retheme()

    def retheme(self) -> None:
        """Rebuild the theme and the widgets for new settings or a new window size."""
        size = self.window.get_size()
        theme = Theme(self.settings.text_size, self.settings.high_contrast, size)
        if theme.key != self.theme.key:
            if self.stack:
                self.stack[-1].teardown()
            self.theme = theme
            self.manager = make_manager(theme, size)
        else:
            self.theme = theme
            self.manager.set_window_resolution(size)
            if self.stack:
                self.stack[-1].teardown()
            self.manager.clear_and_reset()
        if self.stack:
            self.stack[-1].build()
        self.poke()

    def apply_settings(self) -> None:
        self.settings.save()
        self.retheme()

    # --- screens ------------------------------------------------------------------------------
    @property
    def screen(self):
        return self.stack[-1] if self.stack else None

    def _leave_top(self) -> None:
        top = self.screen
        if top is not None:
            top.on_leave()
            top.teardown()
            self.manager.clear_and_reset()

    def push(self, screen) -> None:
        self._leave_top()
        self.stack.append(screen)
        screen.build()
        screen.on_enter()
        self.poke()

    def replace(self, screen) -> None:
        """Drop every screen (closing any game in them) and show ``screen``."""
        self._leave_top()
        for s in self.stack:
            close = getattr(s, "close", None)
            if close:
                close()
        self.stack = [screen]
        screen.build()
        screen.on_enter()
        self.poke()

    def pop(self) -> None:
        self._leave_top()
        if self.stack:
            s = self.stack.pop()
            close = getattr(s, "close", None)
            if close:
                close()
        if self.stack:
            self.stack[-1].build()
            self.stack[-1].on_enter()
        else:
            self.running = False
        self.poke()

    def navigate(self, nav) -> None:
        """Go where a screen asks (``game.ui.nav``): the screen a Push or a Replace names is built
        through the registry, so screens never import each other."""
        if isinstance(nav, Pop):
            self.pop()
        elif isinstance(nav, Replace):
            self.replace(build(self, nav))
        else:
            self.push(build(self, nav))

    def game_session(self):
        for s in reversed(self.stack):
            sess = s.session()
            if sess is not None:
                return s, sess
        return None, None

    # --- loop ---------------------------------------------------------------------------------
    def poke(self, seconds: float = 1.0) -> None:
        """Keep the loop awake for a while (after input, for hover effects and tooltips)."""
        self.active_until = max(self.active_until, time.perf_counter() + seconds)

    def toast(self, text: str, seconds: float = 2.5) -> None:
        self.toast_text = text
        self.toast_until = time.perf_counter() + seconds
        self.poke(seconds)

    def busy(self) -> bool:
        now = time.perf_counter()
        top = self.screen
        return (now < self.active_until or self._pending_size is not None
                or (top is not None and top.busy()))

    def run(self) -> int:
        while self.running:
            self.frame()
        self.shutdown()
        return self.exit_code

    def shutdown(self) -> None:
        for s in self.stack:
            close = getattr(s, "close", None)
            if close:
                try:
                    close()
                except Exception:  # noqa: BLE001 - closing must not mask the exit
                    pass
        self.autosaver.flush()
        pygame.display.quit()

    def frame(self, wait: bool | None = None) -> None:
        """One pass of the loop: input, update, draw. Never raises."""
        wait = self.wait_when_idle if wait is None else wait
        if wait and not self.busy():
            # Nothing moves: sleep until an event arrives. A timeout with no event changes nothing
            # on screen (everything that animates keeps the loop busy), so nothing is redrawn.
            # (pygame's event.wait polls inside SDL and costs ~2 % of a core while idle; short
            # sleeps between peeks cost a tenth of that and answer within IDLE_POLL_S.)
            timeout = IDLE_TIMEOUT_MS / 1000
            if self.watcher is not None:
                timeout = min(timeout, self.watcher.interval)  # look at the watched file that often
            end = time.perf_counter() + timeout
            while not pygame.event.peek():
                if time.perf_counter() >= end:
                    self.idle_wakeups += 1
                    self._idle()
                    return
                time.sleep(IDLE_POLL_S)
        events = pygame.event.get()
        dt = min(0.1, self.clock.tick(FPS_ACTIVE if wait else 0) / 1000.0)
        t = time.perf_counter()
        try:
            self._frame(events, dt)
        except Exception as exc:  # noqa: BLE001 - the crash screen is the last line of defence
            self.on_crash(exc)
        work = time.perf_counter() - t
        name = self.screen.name if self.screen else "none"
        self.frame_times.append((name, work))
        self.frame_no += 1
        if self.first_frame is None:
            self.first_frame = time.perf_counter() - self.t0
            # Everything loaded so far lives for the whole run: keep it out of the collector's
            # full passes, which otherwise stall a frame now and then.
            gc.collect()
            gc.freeze()
        if self.on_frame is not None:
            self.on_frame(self)

    def _idle(self) -> None:
        """A wake-up with nothing to draw: let the screen do its cheap checks (the watched file);
        one that finds something to show pokes the loop awake."""
        top = self.screen
        if top is None:
            return
        try:
            top.idle()
        except Exception as exc:  # noqa: BLE001 - as for a frame
            self.on_crash(exc)

    def _frame(self, events: list, dt: float) -> None:
        for event in events:
            self._dispatch(event)
        if self._pending_size is not None and time.perf_counter() - self._pending_at > 0.12:
            size, self._pending_size = self._pending_size, None
            self.resize(size)
        top = self.screen
        if top is None:
            self.running = False
            return
        top.update(dt)
        self.manager.update(dt)
        surf = self.window
        surf.fill(self.theme.c["bg"])
        top = self.screen
        if top is None:
            return
        top.draw(surf)
        self.manager.draw_ui(surf)
        top.draw_over(surf)
        self.button_tip.draw(surf, self)
        if self.toast_text and time.perf_counter() <= self.toast_until:
            draw_toast(surf, self.theme, self.toast_text)
        t = time.perf_counter()
        pygame.display.flip()
        self.flip_times.append(time.perf_counter() - t)

    def _dispatch(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.quit()
            return
        if event.type in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP,
                          pygame.KEYDOWN, pygame.MOUSEWHEEL, pygame.TEXTINPUT):
            self.poke()
        if event.type == pygame.VIDEORESIZE:
            if not self.settings.fullscreen:
                self._pending_size = (event.w, event.h)
                self._pending_at = time.perf_counter()
            return
        if event.type in (pygame.WINDOWSIZECHANGED, pygame.WINDOWRESIZED):
            return
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F11:
            self.set_fullscreen(not self.settings.fullscreen)
            return
        consumed = self.manager.process_events(event)
        top = self.screen
        if top is None:
            return
        if consumed and event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEWHEEL):
            return
        top.handle(event)

    def quit(self) -> None:
        """Close the window; a game in progress is saved first."""
        for s in reversed(self.stack):
            saver = getattr(s, "autosave", None)
            if saver and s.session() is not None:
                try:
                    saver(sync=True)
                except Exception:  # noqa: BLE001 - quitting must not fail over a save
                    pass
                break
        self.running = False

    # --- crashes ------------------------------------------------------------------------------
    def on_crash(self, exc: BaseException) -> None:
        try:
            path = write_crash_report(exc, saves_dir())
        except OSError:
            path = None
        if path:
            self.crashes.append(path)
        saved = False
        for s in reversed(self.stack):
            saver = getattr(s, "autosave", None)
            if saver and s.session() is not None:
                try:
                    saved = bool(saver(sync=True))
                except Exception:  # noqa: BLE001 - the game is still in memory; report what we can
                    pass
                break
        now = time.perf_counter()
        if now - self._last_crash < 0.5 and isinstance(self.screen, screen_class("error")):
            # The error screen itself fails: give up cleanly rather than spin.
            self.running = False
            self.exit_code = 3
            return
        self._last_crash = now
        try:
            self._leave_top_quietly()
            self.stack = []
            self.navigate(Push("error", exc=exc, report=path, game_saved=saved))
        except Exception:  # noqa: BLE001
            self.running = False
            self.exit_code = 3

    def _leave_top_quietly(self) -> None:
        for s in self.stack:
            try:
                s.teardown()
            except Exception:  # noqa: BLE001
                pass
            close = getattr(s, "close", None)
            if close:
                try:
                    close()
                except Exception:  # noqa: BLE001
                    pass
        try:
            self.manager.clear_and_reset()
        except Exception:  # noqa: BLE001
            self.manager = make_manager(self.theme, self.window.get_size())

    # --- statistics ---------------------------------------------------------------------------
    def stats(self, screen: str | None = None) -> dict:
        times = sorted(t for n, t in self.frame_times if screen is None or n == screen)
        if not times:
            return {"frames": 0, "p50": 0.0, "p99": 0.0}

        def pct(p: float) -> float:
            return times[min(len(times) - 1, int(round(p * (len(times) - 1))))] * 1000

        return {"frames": len(times), "p50": pct(0.5), "p99": pct(0.99), "max": times[-1] * 1000}
