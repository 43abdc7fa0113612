"""Keyboard navigation over a screen's buttons: arrows or Tab move a focus ring, Enter presses."""

from __future__ import annotations

import pygame


class KeyNav:
    def __init__(self):
        self.items: list = []   # (UIButton, callback)
        self.index = -1

    def clear(self) -> None:
        self.items = []

    def add(self, button, callback) -> None:
        self.items.append((button, callback))

    def _enabled(self) -> list[int]:
        return [i for i, (b, _) in enumerate(self.items) if b.alive() and b.is_enabled and b.visible]

    def handle(self, event) -> bool:
        if event.type != pygame.KEYDOWN or not self.items:
            return False
        ok = self._enabled()
        if not ok:
            return False
        shift = bool(event.mod & pygame.KMOD_SHIFT)
        if event.key in (pygame.K_DOWN, pygame.K_RIGHT) or (event.key == pygame.K_TAB and not shift):
            later = [i for i in ok if i > self.index]
            self.index = later[0] if later else ok[0]
            return True
        if event.key in (pygame.K_UP, pygame.K_LEFT) or (event.key == pygame.K_TAB and shift):
            earlier = [i for i in ok if i < self.index]
            self.index = earlier[-1] if earlier else ok[-1]
            return True
        if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER) and self.index in ok:
            self.items[self.index][1]()
            return True
        return False

    def draw(self, surf: pygame.Surface, theme) -> None:
        if 0 <= self.index < len(self.items):
            b = self.items[self.index][0]
            if b.alive() and b.visible:
                r = b.rect.inflate(6, 6)
                pygame.draw.rect(surf, theme.c["accent"], r, width=2, border_radius=6)
