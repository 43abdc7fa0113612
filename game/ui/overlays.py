"""What the app draws over every screen: the tooltip of the button under the mouse, and the toast."""

from __future__ import annotations

import pygame

from game.ui.text import Rich
from game.ui.widgets import draw_tooltip

TIP_DELAY = 0.4


class ButtonTip:
    """The tooltip of the button under the mouse, after it has rested there a moment."""

    def __init__(self):
        self._for = None
        self._since = 0.0
        self._cache = None  # (key, surface)

    def draw(self, surf: pygame.Surface, app) -> None:
        hovered = None
        for el in app.manager.get_sprite_group().sprites():
            if getattr(el, "tip_text", "") and getattr(el, "hovered", False) and el.visible:
                hovered = el
                break
        now = app.now()
        if hovered is None:
            self._for = None
            return
        if self._for is not hovered:
            self._for = hovered
            self._since = now
            app.poke(TIP_DELAY + 0.2)
            return
        if now - self._since < TIP_DELAY:
            return
        theme = app.theme
        key = (hovered.tip_text, theme.key)
        if self._cache is None or self._cache[0] != key:
            r = Rich(theme)
            r.add(hovered.tip_text, "text", "small")
            font = theme.fonts.role("small")
            width = min(theme.body * 22, font.size(hovered.tip_text)[0] + 2)
            self._cache = (key, r.render(max(40, width)))
        draw_tooltip(surf, theme, self._cache[1], pygame.mouse.get_pos())


def draw_toast(surf: pygame.Surface, th, text: str) -> None:
    font = th.fonts.role("bold")
    img = font.render(text, True, th.c["accent_text"])
    pad = th.body // 2
    r = img.get_rect()
    r.inflate_ip(pad * 3, pad * 2)
    r.midbottom = (surf.get_width() // 2, surf.get_height() - th.body * 2)
    pygame.draw.rect(surf, th.c["accent"], r, border_radius=6)
    surf.blit(img, img.get_rect(center=r.center))
