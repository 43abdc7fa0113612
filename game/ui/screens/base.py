"""What every screen has: build its widgets, react to input, update, draw under and over the GUI."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

if TYPE_CHECKING:
    from game.ui.app import App


class Screen:
    name = "screen"

    def __init__(self, app: App):
        self.app = app
        self.built = False

    # Widgets are built on entry and again after a resize or a theme change; state that must
    # survive (selection, scroll, tab) lives in plain attributes, not in the widgets.
    def build(self) -> None:
        self.built = True

    def teardown(self) -> None:
        self.built = False

    def on_enter(self) -> None:
        pass

    def on_leave(self) -> None:
        pass

    def handle(self, event: pygame.event.Event) -> None:
        """An event pygame_gui did not consume (and its own UI_* events)."""

    def update(self, dt: float) -> None:
        pass

    def idle(self) -> None:
        """Called now and then while the loop sleeps (nothing moves, no input): cheap checks only;
        poke the app (``self.app.poke()``) to wake the loop when something needs drawing."""

    def draw(self, surf: pygame.Surface) -> None:
        """Drawn under the pygame_gui layer."""

    def draw_over(self, surf: pygame.Surface) -> None:
        """Drawn over everything: the interface's own tooltips."""

    def busy(self) -> bool:
        """True while something moves on screen, so the loop must not sleep."""
        return False

    @property
    def theme(self):
        return self.app.theme

    @property
    def manager(self):
        return self.app.manager

    @property
    def size(self) -> tuple[int, int]:
        return self.app.window.get_size()

    def session(self):
        """The game in progress on this screen, if any (for crash saves)."""
        return None
