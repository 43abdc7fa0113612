"""What every screen has: build its widgets, react to input, update, draw under and over the GUI."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame
import pygame_gui

from game.ui.screens.common import button, button_height

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

    # The layout of the menu-like screens (briefing, end, saves, settings, picker, help, error):
    # a big heading, panels under it, a row of buttons along the bottom of the window.
    def layout_metrics(self) -> tuple[int, int]:
        """(padding, button height); the padding (one body line) is also kept in ``self.pad``."""
        pad, bh = _metrics(self)
        self.pad = pad
        return pad, bh

    def content_top(self) -> int:
        """Where the panels start, under the screen's big heading."""
        return round(self.theme.body * 4.2)

    def two_columns(self, top: int, ratio: float) -> tuple[pygame.Rect, pygame.Rect]:
        """Two panels side by side from ``top`` down to the button row; the left one takes ``ratio``
        of the width left over by the margins."""
        W, H = self.size
        pad, bh = _metrics(self)
        bottom = H - pad * 2 - bh
        left = pygame.Rect(pad * 2, top, round((W - pad * 5) * ratio), bottom - top)
        right = pygame.Rect(left.right + pad, top, W - left.right - pad * 3, bottom - top)
        return left, right

    def centred_panel(self, max_w: int, height: int | None = None) -> pygame.Rect:
        """One panel centred under the heading, at most ``max_w`` times the body text size wide and,
        unless ``height`` is given, reaching down to a pad above the button row."""
        W, H = self.size
        pad, bh = _metrics(self)
        top = self.content_top()
        rect = pygame.Rect(0, top, min(W - pad * 4, self.theme.body * max_w),
                           H - top - pad * 3 - bh if height is None else height)
        rect.centerx = W // 2
        return rect

    def back_button(self, x: int | None = None):
        """The "‹ Back" button on the button row, at ``x`` (by default the left margin); its tooltip
        names Esc, which each screen handles itself."""
        _, H = self.size
        pad, bh = _metrics(self)
        x = pad * 2 if x is None else x
        return button(self.manager, (x, H - pad - bh, self.theme.body * 8, bh), "‹ Back", tooltip="Esc")

    def popup_blocks(self, event: pygame.event.Event) -> bool:
        """True when the screen's open pop-up (``self.popup``) used ``event``, or holds it back from
        the screen under it (keys, clicks and button presses do not reach past a pop-up)."""
        popup = getattr(self, "popup", None)
        if popup is None:
            return False
        return popup.handle(event) or event.type in (pygame.KEYDOWN, pygame.MOUSEBUTTONDOWN,
                                                     pygame_gui.UI_BUTTON_PRESSED)


def _metrics(screen: Screen) -> tuple[int, int]:
    th = screen.theme
    return th.body, button_height(th)
