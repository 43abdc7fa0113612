"""Drives the running interface with real input events (posted to pygame's queue): the demo mode
and the interface tests use it, so both go through exactly what a player's mouse and keys do."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pygame


class Driver:
    def __init__(self, app, frame: Callable | None = None):
        self.app = app
        self._frame = frame or (lambda: app.frame(wait=False))

    def frames(self, n: int = 1) -> None:
        for _ in range(n):
            self._frame()
            if not self.app.running:
                return

    def until(self, pred: Callable[[], bool], limit: int = 2000) -> bool:
        for _ in range(limit):
            if pred():
                return True
            self._frame()
            if not self.app.running:
                return pred()
        return pred()

    # --- mouse ------------------------------------------------------------------------------
    def move(self, pos) -> None:
        pos = (int(pos[0]), int(pos[1]))
        try:
            pygame.mouse.set_pos(pos)
        except pygame.error:
            pass
        pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))

    def click(self, pos, button: int = 1, frames: int = 2) -> None:
        pos = (int(pos[0]), int(pos[1]))
        self.move(pos)
        self.frames(1)
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button))
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=button))
        self.frames(frames)

    def click_element(self, element, frames: int = 2) -> None:
        self.click(element.rect.center, frames=frames)

    def wheel(self, pos, dy: int) -> None:
        self.move(pos)
        pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=dy, flipped=False, precise_x=0.0,
                                             precise_y=float(dy)))
        self.frames(1)

    # --- keys -------------------------------------------------------------------------------
    def key(self, key: int, mod: int = 0, frames: int = 2, unicode: str = "") -> None:
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode=unicode, scancode=0))
        pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=mod, unicode=unicode, scancode=0))
        self.frames(frames)

    def type_text(self, text: str) -> None:
        for ch in text:
            pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=ch))
        self.frames(2)

    def screenshot(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        pygame.image.save(self.app.window, str(path))
        return path

    # --- finding things -----------------------------------------------------------------------
    @property
    def screen(self):
        return self.app.screen

    def button(self, text_start: str):
        """The first visible, enabled pygame_gui button whose text starts with ``text_start``."""
        for el in self.app.manager.get_sprite_group().sprites():
            if (el.__class__.__name__ == "UIButton" and getattr(el, "text", "").startswith(text_start)
                    and el.visible and el.is_enabled):
                return el
        return None


def layout_problems(app) -> list[str]:
    """What a player would see as broken: widgets outside the window, buttons overlapping each
    other, button labels wider than their button."""
    W, H = app.window.get_size()
    win = pygame.Rect(0, 0, W, H)
    out = []
    buttons = []
    for el in app.manager.get_sprite_group().sprites():
        name = el.__class__.__name__
        if not getattr(el, "visible", True) or name in ("UIContainer",):
            continue
        r = el.rect
        if r.w <= 0 or r.h <= 0:
            continue
        if not win.contains(r):
            out.append(f"{name} {getattr(el, 'text', '')!r} at {r} is outside the {W}x{H} window")
        if name == "UIButton" and "title_bar" not in str(getattr(el, "most_specific_combined_id", "")):
            buttons.append(el)
            text = getattr(el, "text", "")
            font = el.font if hasattr(el, "font") else None
            if font is not None and text:
                tw = font.size(text)[0]
                if tw > r.w - 4:
                    out.append(f"button label {text!r} ({tw}px) does not fit its {r.w}px button")
    for i, a in enumerate(buttons):
        for b in buttons[i + 1:]:
            if a.rect.colliderect(b.rect) and a.ui_container is b.ui_container:
                out.append(f"buttons {getattr(a, 'text', '')!r} and {getattr(b, 'text', '')!r} overlap")
    return out
