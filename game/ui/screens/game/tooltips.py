"""The tooltips of the main screen's lists and map: shown once the mouse has rested on a row a
moment, and rendered only then."""

from __future__ import annotations

import pygame

from game.ui.text import Rich
from game.ui.widgets import draw_tooltip


class HoverTip:
    def __init__(self):
        self._tip = None    # (key, surface)
        self._wait = None   # (key, since)

    def clear(self) -> None:
        self._tip = None

    def draw(self, surf, theme, app, lists, key_extra, mapview, over) -> None:
        """``lists``: (name, ListView) pairs; ``key_extra`` tells a row's tooltip of one state from
        the same row's of another."""
        pos = pygame.mouse.get_pos()
        for name, lv in lists:
            if lv.rect.collidepoint(pos):
                i = lv.index_at(pos)
                if i < 0 or lv.rows[i].tooltip is None:
                    return
                key = (name, lv.rows[i].key, *key_extra)
                if self._tip is None or self._tip[0] != key:
                    # rest the mouse a moment before a tooltip shows (and is rendered)
                    if self._wait is None or self._wait[0] != key:
                        self._wait = (key, app.now())
                        app.poke(0.6)
                        return
                    if app.now() - self._wait[1] < 0.3 or over():
                        return
                    self._tip = (key, lv.rows[i].tooltip())
                draw_tooltip(surf, theme, self._tip[1], pos)
                return
        if mapview.rect.collidepoint(pos):
            pid = mapview.place_at(pos)
            if pid is not None:
                r = Rich(theme)
                r.line(mapview.places[pid][0], "text", "bold")
                for t in mapview.lit_text.get(pid, [])[-4:]:
                    r.line(t, "accent", "small")
                if not mapview.lit_text.get(pid):
                    r.line("Nothing here this turn.", "faint", "small")
                draw_tooltip(surf, theme, r.render(theme.body * 18), pos)
