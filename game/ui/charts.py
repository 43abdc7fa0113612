"""Small line charts of meters over the game, drawn with pygame."""

from __future__ import annotations

import pygame

from game.ui.explain import fmt_num
from game.ui.theme import Theme


def line_chart(theme: Theme, size: tuple[int, int], series: list[tuple[str, pygame.Color, list]],
               y_range: tuple[float, float], x_range: tuple[int, int], title: str = "",
               show_legend: bool = False, marks: list[int] | None = None) -> pygame.Surface:
    """A chart of ``series`` [(label, colour, [(x, y), ...])] on its own surface."""
    w, h = size
    c = theme.c
    surf = pygame.Surface((max(1, w), max(1, h)), pygame.SRCALPHA)
    small = theme.fonts.get(max(9, theme.small - 1))
    bold = theme.fonts.get(max(9, theme.small), True)
    top = 2
    if title:
        img = theme.fonts.render(bold, title, c["text"])
        if img.get_width() > w - 4:
            from game.ui.text import ellipsize
            img = theme.fonts.render(bold, ellipsize(bold, title, w - 4), c["text"])
        surf.blit(img, (2, 0))
        top = img.get_height() + 2
    lo, hi = y_range
    if hi <= lo:
        hi = lo + 1
    lab_lo = theme.fonts.render(small, fmt_num(lo), c["faint"])
    lab_hi = theme.fonts.render(small, fmt_num(hi), c["faint"])
    left = max(lab_lo.get_width(), lab_hi.get_width()) + 4
    bottom = h - small.get_linesize() - 1
    plot = pygame.Rect(left, top + 2, max(1, w - left - 4), max(1, bottom - top - 4))
    pygame.draw.rect(surf, c["bar_bg"], plot)
    pygame.draw.rect(surf, c["border"], plot, 1)
    surf.blit(lab_hi, (left - lab_hi.get_width() - 3, plot.y - 2))
    surf.blit(lab_lo, (left - lab_lo.get_width() - 3, plot.bottom - lab_lo.get_height() + 2))
    x0, x1 = x_range
    if x1 <= x0:
        x1 = x0 + 1

    def px(x, y):
        return (plot.x + (x - x0) / (x1 - x0) * (plot.w - 1),
                plot.bottom - 1 - (min(max(y, lo), hi) - lo) / (hi - lo) * (plot.h - 1))

    for m in marks or ():
        mx, _ = px(m, lo)
        pygame.draw.line(surf, c["border_hi"], (mx, plot.y), (mx, plot.bottom - 1))
    # x labels: first and last turn
    for x in (x0, x1):
        img = theme.fonts.render(small, f"{x}", c["faint"])
        xx, _ = px(x, lo)
        surf.blit(img, (min(w - img.get_width() - 1, max(0, xx - img.get_width() / 2)), bottom + 1))
    for _, colour, pts in series:
        if len(pts) >= 2:
            pygame.draw.lines(surf, colour, False, [px(x, y) for x, y in pts], 2)
        elif pts:
            x, y = px(*pts[0])
            pygame.draw.circle(surf, colour, (int(x), int(y)), 2)
    if show_legend and series:
        x = plot.x + 4
        y = plot.y + 2
        for label, colour, _ in series:
            img = theme.fonts.render(small, label, colour)
            surf.blit(img, (x, y))
            y += img.get_height()
    return surf
