"""`union-state play SCENARIO --watch` on the main screen: hot reload and the developer console.

The app's ``ScenarioWatcher`` (``app.watcher``, see ``game.authoring.watch``) is polled every frame
and while the loop sleeps. When the file changes and loads, the game goes on around the replayed
session (a new ``Match``, the log rebuilt from its history, the layout rebuilt for the new
scenario). When it does not load, its problems stay in a red panel over the board, and the last
good version goes on, until the next good save.

F12 opens a one-line console over the lower left of the board (``game.authoring.console``: set a
meter, fire an event, jump to a turn). While its entry has the keyboard, the board's shortcuts
(Enter, Tab, Space, the number keys, Esc) are its own: Enter runs, Tab completes, ↑ ↓ recall,
Esc closes. It does nothing for a game that is not watched; what it changes (a reloaded or edited
session) goes back to the screen as an ``Adopt`` intent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pygame
import pygame_gui
from pygame_gui.elements import UITextEntryLine

from game.authoring import console
from game.authoring.watch import LoadFailed, Reloaded, reload_session
from game.ui.match import Match
from game.ui.screens.common import button_height
from game.ui.screens.game.intents import Adopt
from game.ui.screens.game.loaderror import LoadErrorPanel
from game.ui.text import Rich

MAX_LOG = 80           # console lines kept
OUT_LINES = 8          # console lines shown
KEY_REPEAT = (400, 40)  # the app's (pygame_gui's text entry changes it while focused)


def _same_file(a, b) -> bool:
    if a is None or b is None:
        return False
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()


def rematch(old: Match, session, difficulty: str) -> Match:
    """A new Match around ``session`` for the same people (the first side, if theirs was renamed).
    It thinks on a thread: a searching computer's separate process reads the file and could not
    replay console edits."""
    sc = session.scenario
    humans = frozenset(h for h in old.humans if h in sc.players)
    if old.humans and not humans:
        humans = frozenset([sc.players[0]])
    old.close()
    return Match(session, humans, difficulty, worker=False)


class DevTools:
    def __init__(self, app, match):
        self.app = app
        w = getattr(app, "watcher", None)
        ok = w is not None and match.replay is None and _same_file(match.scenario.path, w.path)
        self.watcher = w if ok else None
        self.on = ok                       # hot reload and the console are on
        self.load_error: LoadFailed | None = None
        self.console_open = False
        self.console_entry: UITextEntryLine | None = None
        self.console_text = ""             # what the entry held when the widgets were torn down
        self.console_focus = False
        self.console_log: list[tuple[str, str]] = []   # (text, kind: cmd/ok/bad/good)
        self.console_history: list[str] = []
        self._hist_i: int | None = None
        self._console_surf: dict = {}    # rendered console lines
        self.error_panel = LoadErrorPanel()
        self.over_noted = False
        self._had_focus = False
        self.built = False
        self.r_console = pygame.Rect(0, 0, 0, 0)
        if ok and w.error is not None:
            self.load_error = LoadFailed(w.error)

    def first_session(self, session):
        """The session a watched game starts on: the file may have changed (and loaded) between the
        briefing and the game."""
        w = self.watcher
        if w.scenario is not None and w.scenario.digest != session.scenario.digest:
            session, _, _ = reload_session(session, w.scenario)
        return session

    @property
    def manager(self):
        return self.app.manager

    def build(self, theme, left: int, right: int, bottom: int, pad: int) -> None:
        """Place the console (and its entry, when open): over the lower part of the meters and
        this turn's feed, below the map, leaving the right-hand panel and its buttons free."""
        self.theme = theme
        self.pad = pad
        self.console_entry = None
        self.built = True
        if not self.on:
            return
        th = theme
        x = left
        w = right - x
        head_h = round(th.body * 1.9)
        out_h = th.fonts.role("small").get_linesize() * OUT_LINES + pad // 2
        entry_h = button_height(th)
        h = head_h + out_h + entry_h + pad * 2
        self.r_console = pygame.Rect(x, bottom - h, w, h)
        self.r_console_out = pygame.Rect(x + pad, self.r_console.y + head_h, w - 2 * pad, out_h)
        if self.console_open:
            e = UITextEntryLine(pygame.Rect(x + pad, self.r_console.bottom - pad - entry_h, w - 2 * pad, entry_h),
                                self.manager)
            e.set_text(self.console_text)
            if self.console_focus:
                self.manager.set_focus_set(e)
            self.console_entry = e

    def teardown(self) -> None:
        self.built = False
        if self.console_entry is not None:
            self.console_text = self.console_entry.get_text()
            self.console_focus = self.console_entry.is_focused
            self.console_entry = None

    # --- the watched file ------------------------------------------------------------------------
    def poll(self, session):
        """Look at the file: an Adopt intent when it reloaded, else None."""
        if self.watcher is None:
            return None
        r = self.watcher.poll(session)
        out = None
        if isinstance(r, Reloaded):
            self.load_error = None
            if r.session is not None:
                out = Adopt(r.session)
            self._say(r.message, "good" if not r.dropped else "bad")
            if not self.console_open:
                self.app.toast(r.message, 4.0)
            self.app.poke()
        elif isinstance(r, LoadFailed):
            self.load_error = r
            self._say(r.message, "bad")
            self.app.poke()
        return out

    def game_over(self, session) -> None:
        """Watched games stay on the board at the end, so the console can go back a few turns."""
        if self.over_noted:
            return
        self.over_noted = True
        o = session.outcome
        text = f"Game over: {o.title}." if o is not None else "Game over."
        self._say(text + " Enter shows the outcome; 'jump TURN' goes back.", "good")
        if not self.console_open:
            self.app.toast(text + " Enter for the outcome, F12 to go back", 5.0)

    # --- the console -----------------------------------------------------------------------------
    def _say(self, text: str, kind: str = "ok") -> None:
        self.console_log.append((text, kind))
        del self.console_log[:-MAX_LOG]

    def console_focused(self) -> bool:
        e = self.console_entry
        return e is not None and e.alive() and e.is_focused

    def open_console(self, focus: bool = True) -> None:
        if not self.on:
            return
        if not self.console_open:
            self.console_open = True
            self.console_text = ""
            if not self.console_log:
                self._say("Developer console. Type 'help' for the commands; Tab completes names.", "good")
        self.console_focus = focus
        if self.console_entry is None and self.built:
            self.build(self.theme, self.r_console.x, self.r_console.right, self.r_console.bottom, self.pad)
        elif focus and self.console_entry is not None:
            self.manager.set_focus_set(self.console_entry)
        self.app.poke()

    def close_console(self) -> None:
        self.console_open = False
        self.console_focus = False
        if self.console_entry is not None:
            self.console_text = self.console_entry.get_text()
            if self.console_entry.is_focused:
                self.manager.set_focus_set(None)
            self.console_entry.kill()
            self.console_entry = None
        pygame.key.set_repeat(*KEY_REPEAT)
        self.app.poke()

    def handle(self, event, session) -> tuple[bool, object]:
        """The console's share of the input: (used up, an Adopt intent or None)."""
        if not self.on:
            return False, None
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F12:
            if self.console_focused():
                self.close_console()
            else:
                self.open_console()
            return True, None
        if event.type in (pygame_gui.UI_TEXT_ENTRY_FINISHED, pygame_gui.UI_TEXT_ENTRY_CHANGED) \
                and getattr(event, "ui_element", None) is self.console_entry:
            return True, None
        if self.console_open and event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEWHEEL):
            pos = getattr(event, "pos", None) or pygame.mouse.get_pos()
            if self.r_console.collidepoint(pos):
                if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
                    self.open_console()  # a click anywhere on the console gives it the keyboard
                return True, None  # not for the feed and the meters under it
        if not self.console_focused():
            return False, None
        if event.type == pygame.KEYDOWN:
            k = event.key
            e = self.console_entry
            out = None
            if k in (pygame.K_RETURN, pygame.K_KP_ENTER):
                text = e.get_text()
                e.set_text("")
                out = self.run_console(text, session)
            elif k == pygame.K_TAB:
                self._complete(e, session)
            elif k in (pygame.K_UP, pygame.K_DOWN):
                self._recall(e, -1 if k == pygame.K_UP else 1)
            elif k == pygame.K_ESCAPE:
                self.close_console()
            return True, out  # every other key is the entry's, not the board's
        return event.type in (pygame.KEYUP, pygame.TEXTINPUT), None

    def run_console(self, text: str, session):
        """Run a console command on ``session``: an Adopt intent when it made a new one."""
        text = text.strip()
        if not text:
            return None
        if not self.console_history or self.console_history[-1] != text:
            self.console_history.append(text)
        self._hist_i = None
        self._say(text, "cmd")
        try:
            res = console.run(session, text)
        except Exception as exc:  # noqa: BLE001 - a console command must not end the game being tested
            self._say(f"That failed: {type(exc).__name__}: {exc}", "bad")
            return None
        self._say(res.message, "ok" if res.ok else "bad")
        self.app.poke()
        return Adopt(res.session) if res.session is not session else None

    def _complete(self, e, session) -> None:
        text = e.get_text()
        options = console.complete(session, text)
        if not options:
            return
        if len(options) == 1:
            e.set_text(options[0] + " ")
            return
        prefix = os.path.commonprefix(options)
        if len(prefix) > len(text):
            e.set_text(prefix)
        else:
            words = [o.rsplit(" ", 1)[-1] for o in options]
            shown = "  ".join(words[:40]) + (f"  … {len(words) - 40} more" if len(words) > 40 else "")
            self._say(shown, "hint")

    def _recall(self, e, step: int) -> None:
        hist = self.console_history
        if not hist:
            return
        i = len(hist) if self._hist_i is None else self._hist_i
        i = max(0, min(len(hist), i + step))
        self._hist_i = i
        e.set_text(hist[i] if i < len(hist) else "")

    def update(self, session):
        """Each frame: look at the file; put the key repeat back once the entry lets go."""
        out = self.poll(session)
        focused = self.console_focused()
        if self._had_focus and not focused:
            pygame.key.set_repeat(*KEY_REPEAT)
        self._had_focus = focused
        return out

    # --- drawing ---------------------------------------------------------------------------------
    def draw(self, surf) -> None:
        if self.on and self.console_open:
            self._draw_console(surf)

    def draw_over(self, surf, map_rect: pygame.Rect, bottom: int) -> bool:
        """The error panel over the map; True when the mouse is over a panel (no tooltips of what
        lies under it)."""
        if not self.on:
            return False
        if self.load_error is not None:
            name = self.watcher.path.name if self.watcher is not None else "The scenario file"
            bottom = (self.r_console.y if self.console_open else bottom) - self.pad
            self.error_panel.draw(surf, self.theme, self.load_error, name, map_rect, bottom, self.pad)
        pos = pygame.mouse.get_pos()
        return bool((self.console_open and self.r_console.collidepoint(pos)) or
                    (self.load_error is not None and self.error_panel.rect.collidepoint(pos)))

    def _console_entry_surface(self, text: str, kind: str, w: int) -> pygame.Surface:
        th = self.theme
        key = (text, kind, w, th.key)
        cache = self._console_surf
        surf = cache.get(key)
        if surf is None:
            r = Rich(th)
            if kind == "cmd":
                r.add("▸ ", "accent", "small_bold")
                r.line(text, "text", "small_bold")
            else:
                _add_message(r, text, {"ok": "dim", "bad": "bad", "good": "good", "hint": "faint"}.get(kind, "dim"))
            surf = r.render(w)
            if len(cache) > 2 * MAX_LOG:
                cache.clear()
            cache[key] = surf
        return surf

    def _draw_console(self, surf) -> None:
        th = self.theme
        c = th.c
        r = self.r_console
        pad = self.pad
        t = c["tooltip"]
        pygame.draw.rect(surf, (t.r, t.g, t.b), r, border_radius=6)
        pygame.draw.rect(surf, c["accent"] if self.console_focused() else c["border_hi"], r,
                         width=2 if th.high_contrast or self.console_focused() else 1, border_radius=6)
        head = th.fonts.render(th.fonts.role("small_bold"), "DEVELOPER CONSOLE", c["accent"])
        hy = r.y + (round(th.body * 1.9) - head.get_height()) // 2
        surf.blit(head, (r.x + pad, hy))
        keys = ("Enter runs · Tab completes · ↑↓ earlier lines · Esc or F12 closes" if self.console_focused()
                else "click here or press F12 to type")
        hint = th.fonts.render(th.fonts.role("small"), keys, c["faint"])
        surf.blit(hint, (r.right - pad - hint.get_width(), hy + head.get_height() - hint.get_height()))
        out = self.r_console_out
        clip = surf.get_clip()
        surf.set_clip(out)
        # the newest lines at the bottom, older ones above them; the oldest shown loses its first
        # lines (whole lines: every console line has the small font's height)
        lh = th.fonts.role("small").get_linesize()
        y = out.bottom
        for text, kind in reversed(self.console_log):
            img = self._console_entry_surface(text, kind, out.w)
            h = img.get_height()
            if y - h < out.y:
                keep = (y - out.y) // lh * lh
                if keep > 0:
                    surf.blit(img, (out.x, y - keep), pygame.Rect(0, h - keep, img.get_width(), keep))
                break
            y -= h
            surf.blit(img, (out.x, y))
            y -= 2
        surf.set_clip(clip)


def _add_message(r: Rich, text: str, colour: str) -> None:
    """A console message; the help's 'command  what it does' lines get a bold command."""
    lines = text.split("\n")
    if len(lines) > 1 and all("   " in ln.strip() or ln.startswith(" ") for ln in lines if ln.strip()):
        rows: list[list[str]] = []
        for ln in lines:
            if not ln.strip():
                continue
            if ln.startswith(" ") and rows:
                rows[-1][1] += " " + ln.strip()
            else:
                cmd, _, what = ln.strip().partition("   ")
                rows.append([cmd.strip(), what.strip()])
        for cmd, what in rows:
            r.add(cmd + "  ", "text", "small_bold")
            r.line(what, colour, "small")
        return
    r.line(text, colour, "small")
