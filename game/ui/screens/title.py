"""The title screen: continue, new game, load, watch a replay, settings, help, quit."""

from __future__ import annotations

import pygame
import pygame_gui

from game import saves
from game.ui import storage
from game.ui.nav import Push, open_save
from game.ui.screens.base import Screen
from game.ui.screens.common import backdrop, button, button_height
from game.ui.screens.keynav import KeyNav
from game.ui.text import Rich


def _default_document() -> str:
    from game.scenario import DEFAULT_SCENARIO, ScenarioError, find_scenario
    from game.ui.explain import document_line

    try:
        return document_line(find_scenario(DEFAULT_SCENARIO))
    except ScenarioError:
        return ""


class TitleScreen(Screen):
    name = "title"

    def __init__(self, app):
        super().__init__(app)
        self.nav = KeyNav()
        self.buttons: dict = {}
        self.auto = None
        self._info = None

    def on_enter(self) -> None:
        found = saves.existing(storage.autosave_path())  # the .bak if a write was cut short
        info = storage.describe_file(found) if found is not None else None
        self.auto = info if info is not None and not info.error and not info.over else None

    def build(self) -> None:
        super().build()
        if self.auto is None and saves.existing(storage.autosave_path()) is not None:
            self.on_enter()
        th = self.theme
        W, H = self.size
        self.nav.clear()
        self.buttons = {}
        self.actions = {}
        x = round(W * 0.07)
        bw = max(th.body * 20, round(W * 0.26))
        bh = round(button_height(th) * 1.15)
        gap = round(th.body * 0.6)
        y = round(H * 0.36)
        items = [
            ("continue", "Continue", self.continue_game, None),
            ("new", "New game", self.new_game, "Pick a scenario and a side"),
            ("load", "Load a saved game", self.load_game, None),
            ("replay", "Watch a replay", self.watch_replay, "Watch a finished or saved game play itself"),
            ("settings", "Settings", self.settings, "Text size, contrast, full screen, animation speed"),
            ("help", "How to play", self.help, "Keys and the rules in brief (F1)"),
            ("quit", "Quit", self.quit, None),
        ]
        for key, text, cb, tip in items:
            if key == "continue":
                if self.auto is not None:
                    a = self.auto
                    who = {"both": ", two players", "none": ", watching"}.get(a.side, f", as {a.side.title()}"
                                                                             if a.side else "")
                    tip = f"{a.title}, turn {a.turn}{who}"
                else:
                    tip = "No game in progress"
            b = button(self.manager, (x, y, bw, bh), text, "@menu", tip)
            if key == "continue" and self.auto is None:
                b.disable()
            self.buttons[key] = b
            self.actions[key] = cb
            self.nav.add(b, cb)
            y += bh + gap
        self.menu_bottom = y
        self._info = None

    def handle(self, event) -> None:
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            for key, b in self.buttons.items():
                if event.ui_element is b:
                    self.actions[key]()
                    return
        if self.nav.handle(event):
            return
        if event.type == pygame.KEYDOWN:
            if event.key == pygame.K_F1:
                self.help()
            elif event.key == pygame.K_ESCAPE:
                pass
            elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER) and self.nav.index < 0:
                (self.continue_game if self.auto else self.new_game)()

    # --- actions ---------------------------------------------------------------------------
    def continue_game(self) -> None:
        nav = open_save(self.app, self.auto.path) if self.auto is not None else None
        if nav is not None:
            self.app.navigate(nav)

    def new_game(self) -> None:
        self.app.navigate(Push("picker"))

    def load_game(self) -> None:
        self.app.navigate(Push("saves", mode="load"))

    def watch_replay(self) -> None:
        self.app.navigate(Push("saves", mode="replay"))

    def settings(self) -> None:
        self.app.navigate(Push("settings"))

    def help(self) -> None:
        self.app.navigate(Push("help"))

    def quit(self) -> None:
        self.app.running = False

    # --- drawing -----------------------------------------------------------------------------
    def draw(self, surf) -> None:
        th = self.theme
        W, H = self.size
        surf.blit(backdrop(self.app), (0, 0))
        x = round(W * 0.07)
        y = round(H * 0.1)
        t = th.fonts.get(round(th.title * 1.25), True).render("UNION STATE", True, th.c["accent"])
        surf.blit(t, (x, y))
        y += t.get_height() + th.body // 3
        sub = th.fonts.role("heading").render("Minsk and Moscow bargain over the Union State", True, th.c["text"])
        surf.blit(sub, (x, y))
        y += sub.get_height() + th.body // 3
        line = th.fonts.role("body").render("Programmes, a base near Hrodno, and the question of Crimea",
                                            True, th.c["dim"])
        surf.blit(line, (x, y))
        if self._info is None:
            r = Rich(th)
            doc = _default_document()
            if doc:
                r.add(f"Content drawn from {doc}. ", "faint", "small")
            r.add("Map: Natural Earth (public domain). Fonts: DejaVu Sans.", "faint", "small")
            self._info = r.render(min(W - 2 * x, th.body * 60))
        surf.blit(self._info, (x, H - self._info.get_height() - th.body))

    def draw_over(self, surf) -> None:
        self.nav.draw(surf, self.theme)
