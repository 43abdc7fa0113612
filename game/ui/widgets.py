"""Widgets the interface draws itself under the pygame_gui layer: scrolling lists of rich rows,
tooltips, panels, bars and a spinner. They are cheap to draw every frame: rows are rendered once
and cached until their content changes."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import attrs
import pygame

from game.ui.theme import Theme


def panel(surf: pygame.Surface, theme: Theme, rect: pygame.Rect, colour: str = "panel",
          border: str | None = "border", radius: int = 6) -> None:
    pygame.draw.rect(surf, theme.c[colour], rect, border_radius=radius)
    if border:
        pygame.draw.rect(surf, theme.c[border], rect, width=2 if theme.high_contrast else 1,
                         border_radius=radius)


def bar(surf: pygame.Surface, theme: Theme, rect: pygame.Rect, frac: float, colour,
        band: tuple[float, float] | None = None) -> None:
    """A horizontal gauge; ``band`` draws an estimate range instead of a filled bar."""
    pygame.draw.rect(surf, theme.c["bar_bg"], rect, border_radius=3)
    if band is not None:
        a, b = (max(0.0, min(1.0, v)) for v in band)
        r = pygame.Rect(rect.x + int(a * rect.w), rect.y, max(3, int((b - a) * rect.w)), rect.h)
        s = pygame.Surface(r.size, pygame.SRCALPHA)
        col = pygame.Color(colour)
        s.fill((col.r, col.g, col.b, 110))
        for x in range(-r.h, r.w, 5):  # hatching says "estimate"
            pygame.draw.line(s, (col.r, col.g, col.b, 230), (x, r.h), (x + r.h, 0))
        surf.blit(s, r)
    else:
        frac = max(0.0, min(1.0, frac))
        if frac > 0:
            pygame.draw.rect(surf, colour, (rect.x, rect.y, max(2, int(frac * rect.w)), rect.h),
                             border_radius=3)
    pygame.draw.rect(surf, theme.c["border"], rect, width=1, border_radius=3)


def spinner(surf: pygame.Surface, theme: Theme, centre: tuple[int, int], radius: int, t: float) -> None:
    for i in range(8):
        a = t * 6.0 + i * math.pi / 4
        alpha = int(255 * ((i + 1) / 8))
        col = pygame.Color(theme.c["accent"])
        col.a = alpha
        x = centre[0] + math.cos(a) * radius
        y = centre[1] + math.sin(a) * radius
        dot = pygame.Surface((6, 6), pygame.SRCALPHA)
        pygame.draw.circle(dot, col, (3, 3), max(1, radius // 4))
        surf.blit(dot, (x - 3, y - 3))


def draw_tooltip(surf: pygame.Surface, theme: Theme, content: pygame.Surface, mouse: tuple[int, int]) -> None:
    """A tooltip box holding a pre-rendered ``content`` near the mouse, kept on screen."""
    pad = max(6, theme.body // 2)
    w, h = content.get_width() + 2 * pad, content.get_height() + 2 * pad
    W, H = surf.get_size()
    x = mouse[0] + 16
    y = mouse[1] + 18
    if x + w > W - 4:
        x = max(4, mouse[0] - w - 12)
    if y + h > H - 4:
        y = max(4, H - h - 4)
    r = pygame.Rect(x, y, w, h)
    box = pygame.Surface(r.size, pygame.SRCALPHA)
    box.fill(theme.c["tooltip"])
    surf.blit(box, r)
    pygame.draw.rect(surf, theme.c["border_hi"], r, width=2 if theme.high_contrast else 1, border_radius=4)
    surf.blit(content, (x + pad, y + pad))


@attrs.define
class Row:
    key: Any
    surface: pygame.Surface
    enabled: bool = True
    tooltip: Callable[[], pygame.Surface] | None = None
    accent: pygame.Color | None = None     # a coloured stripe on the left (side colour)
    header: bool = False                   # a section heading: not selectable


class ListView:
    """A vertical list of pre-rendered rows with hover, selection, wheel and scrollbar."""

    def __init__(self, theme: Theme, rect: pygame.Rect, multi: bool = False, selectable: bool = True):
        self.theme = theme
        self.rect = pygame.Rect(rect)
        self.rows: list[Row] = []
        self.scroll = 0
        self.hover = -1
        self.selected: set = set()
        self.multi = multi
        self.selectable = selectable
        self.focus = -1
        self._drag: int | None = None
        self.pad = max(4, theme.body // 3)
        self._tops: list[int] = []
        self.content_h = 0

    # --- content ----------------------------------------------------------------------------
    @property
    def inner_width(self) -> int:
        return self.rect.w - 2 * self.pad - self.scrollbar_w - 4

    @property
    def scrollbar_w(self) -> int:
        return max(6, self.theme.body // 2)

    def set_rows(self, rows: list[Row]) -> None:
        self.rows = rows
        self._layout()
        self.hover = -1

    def _layout(self) -> None:
        y = 0
        self._tops = []
        for r in self.rows:
            self._tops.append(y)
            y += r.surface.get_height() + 2 * self.pad + 2
        self.content_h = y
        self.scroll = max(0, min(self.scroll, self.max_scroll))

    @property
    def max_scroll(self) -> int:
        return max(0, self.content_h - self.rect.h)

    def scroll_to_end(self) -> None:
        self.scroll = self.max_scroll

    def ensure_visible(self, index: int) -> None:
        if not (0 <= index < len(self.rows)):
            return
        top = self._tops[index]
        bot = top + self.rows[index].surface.get_height() + 2 * self.pad
        if top < self.scroll:
            self.scroll = top
        elif bot > self.scroll + self.rect.h:
            self.scroll = bot - self.rect.h
        self.scroll = max(0, min(self.scroll, self.max_scroll))

    def index_at(self, pos: tuple[int, int]) -> int:
        if not self.rect.collidepoint(pos):
            return -1
        if pos[0] > self.rect.right - self.scrollbar_w - 2 and self.max_scroll:
            return -1
        y = pos[1] - self.rect.y + self.scroll
        for i, top in enumerate(self._tops):
            h = self.rows[i].surface.get_height() + 2 * self.pad
            if top <= y < top + h:
                return i
        return -1

    def row_rect(self, key) -> pygame.Rect | None:
        """Scroll the row with ``key`` into view and return where it is on screen."""
        for i, r in enumerate(self.rows):
            if r.key == key:
                self.ensure_visible(i)
                top = self.rect.y + self._tops[i] - self.scroll
                return pygame.Rect(self.rect.x, top, self.rect.w - self.scrollbar_w - 4,
                                   r.surface.get_height() + 2 * self.pad)
        return None

    def keys(self) -> list:
        return [r.key for r in self.rows if not r.header]

    # --- input -------------------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> Any:
        """Returns the key of a clicked, enabled row, else None."""
        if event.type == pygame.MOUSEWHEEL:
            if self.rect.collidepoint(pygame.mouse.get_pos()):
                self.scroll = max(0, min(self.max_scroll, self.scroll - event.y * self.theme.body * 3))
                return None
        elif event.type == pygame.MOUSEMOTION:
            if self._drag is not None and self.max_scroll:
                track = self.rect.h - self._thumb_h()
                dy = event.pos[1] - self._drag
                moved = int(dy * self.max_scroll / max(1, track))
                self.scroll = max(0, min(self.max_scroll, self._drag_scroll + moved))
            self.hover = self.index_at(event.pos)
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            self._drag = None
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            if not self.rect.collidepoint(event.pos):
                return None
            if self.max_scroll and event.pos[0] > self.rect.right - self.scrollbar_w - 4:
                thumb = self._thumb_rect()
                if thumb.collidepoint(event.pos):
                    self._drag = event.pos[1]
                    self._drag_scroll = self.scroll
                else:
                    page = self.rect.h - self.theme.body * 2
                    step = page if event.pos[1] > thumb.y else -page
                    self.scroll = max(0, min(self.max_scroll, self.scroll + step))
                return None
            i = self.index_at(event.pos)
            if i >= 0 and self.rows[i].enabled and not self.rows[i].header:
                return self.rows[i].key
        return None

    def _thumb_h(self) -> int:
        if not self.content_h:
            return self.rect.h
        return max(self.theme.body * 2, int(self.rect.h * self.rect.h / self.content_h))

    def _thumb_rect(self) -> pygame.Rect:
        th = self._thumb_h()
        track = self.rect.h - th
        y = self.rect.y + (int(track * self.scroll / self.max_scroll) if self.max_scroll else 0)
        return pygame.Rect(self.rect.right - self.scrollbar_w - 2, y, self.scrollbar_w, th)

    def draw(self, surf: pygame.Surface) -> None:
        th = self.theme
        c = th.c
        clip = surf.get_clip()
        surf.set_clip(self.rect.clip(clip) if clip else self.rect)
        x0 = self.rect.x
        w = self.rect.w - self.scrollbar_w - 4
        if len(self._tops) != len(self.rows):
            self._layout()
        for i, r in enumerate(self.rows):
            top = self.rect.y + self._tops[i] - self.scroll
            h = r.surface.get_height() + 2 * self.pad
            if top + h < self.rect.y:
                continue
            if top > self.rect.bottom:
                break
            box = pygame.Rect(x0, top, w, h)
            if not r.header:
                sel = r.key in self.selected
                if sel:
                    pygame.draw.rect(surf, c["button_selected"], box, border_radius=4)
                    pygame.draw.rect(surf, c["accent"], box, width=2, border_radius=4)
                elif i == self.hover and r.enabled:
                    pygame.draw.rect(surf, c["button_hover"], box, border_radius=4)
                elif i == self.focus:
                    pygame.draw.rect(surf, c["panel_hi"], box, border_radius=4)
                else:
                    pygame.draw.rect(surf, c["panel_alt"], box, border_radius=4)
                if i == self.focus:
                    pygame.draw.rect(surf, c["border_hi"], box, width=1, border_radius=4)
                if r.accent is not None:
                    pygame.draw.rect(surf, r.accent, (box.x, box.y + 3, 3, box.h - 6))
            surf.blit(r.surface, (x0 + self.pad + 3, top + self.pad))
        if self.max_scroll:
            track = pygame.Rect(self.rect.right - self.scrollbar_w - 2, self.rect.y, self.scrollbar_w, self.rect.h)
            pygame.draw.rect(surf, c["bar_bg"], track, border_radius=3)
            pygame.draw.rect(surf, c["border_hi"], self._thumb_rect(), border_radius=3)
        surf.set_clip(clip)

    def tooltip_at(self, pos) -> pygame.Surface | None:
        i = self.index_at(pos)
        if i >= 0 and self.rows[i].tooltip is not None:
            return self.rows[i].tooltip()
        return None

