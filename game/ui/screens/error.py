"""Shown when a frame raised: what happened, where the report is, and the way back."""

from __future__ import annotations

import pygame
import pygame_gui

from game.ui import storage
from game.ui.nav import Replace, open_save
from game.ui.screens.base import Screen
from game.ui.screens.common import button
from game.ui.text import Rich
from game.ui.widgets import panel


class ErrorScreen(Screen):
    name = "error"

    def __init__(self, app, exc: BaseException, report, game_saved: bool):
        super().__init__(app)
        self.exc = exc
        self.report = report
        self.game_saved = game_saved

    def build(self) -> None:
        super().build()
        th = self.theme
        W, H = self.size
        pad, bh = self.layout_metrics()
        w = min(W - pad * 4, th.body * 44)
        r = Rich(th)
        r.line("Something went wrong", "bad", "big")
        r.gap()
        r.line("The game hit an error it did not expect. Nothing you did caused it.", "text")
        r.gap(4)
        if self.game_saved:
            r.line("Your game was saved just now: choose ‘Continue the game’ to carry on from the last "
                   "position.", "good")
        r.gap(4)
        r.add("What happened: ", "dim", "small_bold")
        r.line(f"{type(self.exc).__name__}: {self.exc}"[:300], "dim", "small")
        if self.report:
            r.add("A report for the developers was written to ", "faint", "small")
            r.line(str(self.report), "faint", "small")
        self.content = r.render(w - 2 * pad)
        h = self.content.get_height() + 3 * pad + bh
        self.rect = pygame.Rect(0, 0, w, h)
        self.rect.center = (W // 2, H // 2)
        bw = (w - 4 * pad) // 3
        y = self.rect.bottom - pad - bh
        self.btn_continue = button(self.manager, (self.rect.x + pad, y, bw, bh), "Continue the game", "@primary")
        self.btn_title = button(self.manager, (self.rect.x + 2 * pad + bw, y, bw, bh), "Back to the title")
        self.btn_quit = button(self.manager, (self.rect.x + 3 * pad + 2 * bw, y, bw, bh), "Quit")
        if not storage.autosave_path().exists():
            self.btn_continue.disable()

    def handle(self, event) -> None:
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is self.btn_title:
                self.to_title()
            elif event.ui_element is self.btn_continue:
                nav = open_save(self.app, storage.autosave_path())
                if nav is None:
                    self.to_title()
                else:
                    self.app.navigate(nav)
            elif event.ui_element is self.btn_quit:
                self.app.running = False
        elif event.type == pygame.KEYDOWN and event.key in (pygame.K_ESCAPE, pygame.K_RETURN):
            self.to_title()

    def to_title(self) -> None:
        self.app.navigate(Replace("title"))

    def draw(self, surf) -> None:
        th = self.theme
        panel(surf, th, self.rect, border="bad")
        surf.blit(self.content, (self.rect.x + th.body, self.rect.y + th.body))
