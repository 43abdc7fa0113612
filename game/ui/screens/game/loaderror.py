"""`play --watch`: the red panel over the map listing why the scenario file does not load (the
game goes on with the last version that did)."""

from __future__ import annotations

import pygame

from game.ui.text import Rich

MAX_PROBLEMS = 8       # problems listed


class LoadErrorPanel:
    def __init__(self):
        self.rect = pygame.Rect(0, 0, 0, 0)
        self._surf = None  # (key, surface)

    def _content(self, th, err, name: str, w: int) -> pygame.Surface:
        key = (err, w, th.key)
        if self._surf is not None and self._surf[0][0] is err and self._surf[0][1:] == key[1:]:
            return self._surf[1]
        problems = err.error.problems
        r = Rich(th)
        r.add("⚠ ", "bad", "heading")
        n = len(problems)
        r.add(f"{name} does not load: {n} problem{'s' * (n != 1)}", "bad", "heading")
        r.br()
        r.line("Still playing the last version that loaded. Fix the file and save it: the game "
               "reloads by itself.", "dim", "small")
        r.gap(th.body // 2)
        lines = err.lines
        for p, text in list(zip(problems, lines))[:MAX_PROBLEMS]:
            where = f"line {p.line}  " if p.line else "  "
            r.indent(0)
            r.add(where, "bad", "small_bold")
            r.indent(th.fonts.role("small_bold").size(where)[0])  # wrapped lines start under the text
            rest = text.split(": ", 1)[1] if p.line and ": " in text else text
            if p.hint and rest.endswith(f" ({p.hint})"):
                rest = rest[: -len(p.hint) - 3]
                r.add(rest + " ", "text", "small")
                r.add(f"({p.hint})", "warn", "small")
            else:
                r.add(rest, "text", "small")
            r.br()
        r.indent(0)
        if len(problems) > MAX_PROBLEMS:
            r.line(f"… and {len(problems) - MAX_PROBLEMS} more: union-state validate lists them all.",
                   "faint", "small")
        surf = r.render(w)
        self._surf = (key, surf)
        return surf

    def draw(self, surf, th, err, name: str, map_rect: pygame.Rect, bottom: int, pad: int) -> None:
        """Over the map, where announcements appear (the meters and the panels stay in view),
        down to ``bottom`` at most."""
        c = th.c
        x = map_rect.x + pad
        w = map_rect.w - 2 * pad
        top = map_rect.y + pad
        content = self._content(th, err, name, w - 3 * pad - 4)
        h = min(content.get_height() + 2 * pad, bottom - top)
        r = pygame.Rect(x, top, w, h)
        self.rect = r
        bg = pygame.Color(c["bg"]).lerp(c["bad"], 0.14)
        pygame.draw.rect(surf, (bg.r, bg.g, bg.b), r, border_radius=6)
        pygame.draw.rect(surf, c["bad"], r, width=2, border_radius=6)
        pygame.draw.rect(surf, c["bad"], (r.x + 2, r.y + 2, 4, r.h - 4), border_radius=2)
        clip = surf.get_clip()
        surf.set_clip(r.inflate(-4, -4))
        surf.blit(content, (r.x + 2 * pad, r.y + pad))
        surf.set_clip(clip)
