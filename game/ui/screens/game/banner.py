"""The announcements: the notices waiting to be presented, and the banner over the map showing the
computer's move or the new turn for a few seconds, with a bar that runs down (click it or press
Space to skip)."""

from __future__ import annotations

from collections import deque

import pygame

from game.ui.match import Notice
from game.ui.screens.game.intents import Skip
from game.ui.screens.panels import add_changes, viewer_index
from game.ui.text import Rich


class Banner:
    def __init__(self):
        self.current: Notice | None = None
        self.start = 0.0
        self.until = 0.0
        self.rect = pygame.Rect(0, 0, 0, 0)
        self._surf = None  # (notice, width, surface)

    def show(self, n: Notice, now: float, seconds: float) -> None:
        self.current = n
        self.start = now
        self.until = now + seconds
        self._surf = None

    def clear(self) -> None:
        self.current = None

    def invalidate(self) -> None:
        """Render the banner again (a new theme or viewer)."""
        self._surf = None

    def key(self, event):
        """Space skips the announcement."""
        return Skip() if event.key == pygame.K_SPACE else None

    def clicked(self, event) -> bool:
        """A click on the banner (it skips it)."""
        return (event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.current is not None
                and self.rect.collidepoint(event.pos))

    def _cached(self, width: int):
        hit = self._surf
        if not hit or hit[0] is not self.current or hit[1] != width:
            return None
        return hit

    def refresh(self, match, viewer: str, theme, width: int, pad: int) -> None:
        """Render the current notice (done in the update, so drawing never waits for it)."""
        if self.current is None or self._cached(width) is not None:
            return
        th = theme
        sc = match.scenario
        viewer_idx = viewer_index(match, viewer)
        n = self.current
        r = Rich(th)
        if n.kind == "turn":
            r.line(n.title, "accent", "big")
        else:
            if n.kind == "move" and n.actor in sc.players:
                i = sc.players.index(n.actor)
                r.line(sc.actor(n.actor).name.upper(), th.side(i), "small_bold")
                title = n.title[len(sc.actor(n.actor).name):].lstrip(": ").strip()
                head, _, terms = title.partition(": ")
                if terms and " a deal" in head:
                    r.line(head[:1].upper() + head[1:], "text", "heading")
                    for t in terms.split("; "):
                        r.add("• ", th.side(i), "small")
                        r.line(t, "text", "small")
                else:
                    r.line(title[:1].upper() + title[1:], "text", "heading")
            else:
                r.line(n.title, "text", "heading")
            if n.text:
                r.line(n.text, "dim", "small")
            if n.changes:
                add_changes(r, sc, n.changes, viewer_idx, limit=8)
        self._surf = (n, width, r.render(width - 2 * pad))

    def draw(self, surf: pygame.Surface, theme, sc, map_rect: pygame.Rect, pad: int, now: float) -> bool:
        """Draw over the map; False when the banner is not rendered yet (it is, in the next update)."""
        hit = self._cached(map_rect.w - 2 * pad)
        if hit is None:
            return False
        th = theme
        n = self.current
        _, w, content = hit
        h = content.get_height() + 2 * pad + 6
        rect = pygame.Rect(map_rect.x + pad, map_rect.bottom - pad - h, w, h)
        if n.kind == "turn":
            rect.center = map_rect.center
        self.rect = rect
        box = pygame.Surface(rect.size, pygame.SRCALPHA)
        box.fill(th.c["tooltip"])
        surf.blit(box, rect)
        col = th.side(sc.players.index(n.actor)) if n.actor in sc.players else th.c["accent"]
        pygame.draw.rect(surf, col, rect, 2, border_radius=6)
        surf.blit(content, (rect.x + pad, rect.y + pad))
        total = max(0.01, self.until - self.start)
        frac = max(0.0, min(1.0, (self.until - now) / total))
        pygame.draw.rect(surf, col, (rect.x + 2, rect.bottom - 5, int((rect.w - 4) * frac), 3))
        hint = th.fonts.render(th.fonts.get(max(9, th.small - 1)), "click or Space to skip", th.c["faint"])
        surf.blit(hint, (rect.right - hint.get_width() - pad, rect.y + 4))
        return True


class Announcements:
    """The notices waiting to be presented, one at a time, and the banner showing one of them."""

    def __init__(self):
        self.queue: deque[Notice] = deque()
        self.banner = Banner()
        self.skip_all = False

    @property
    def busy(self) -> bool:
        return self.banner.current is not None or bool(self.queue)

    def collect(self, match) -> None:
        while match.notices:
            self.queue.append(match.notices.popleft())

    def next(self, now: float, blocked) -> Notice | None:
        """The next notice to present once the banner has had its time; None while it shows, while
        ``blocked()`` (a pop-up, the frame's time is up), or when there is none."""
        b = self.banner
        if b.current is not None and (now >= b.until or self.skip_all):
            b.clear()
        if b.current is not None or not self.queue or blocked():
            return None
        return self.queue.popleft()

    def settle(self) -> None:
        if not self.busy:
            self.skip_all = False

    def seconds(self, base: float) -> float:
        """How long an announcement stays up: ``base`` (the settings'), or nothing while skipping."""
        return 0.0 if self.skip_all else base

    def show(self, n: Notice, now: float, seconds: float) -> None:
        if seconds > 0:
            self.banner.show(n, now, seconds)

    def skip(self, all_: bool = False) -> None:
        self.banner.clear()
        if all_:
            self.skip_all = True

    def clear(self) -> None:
        self.queue.clear()
        self.banner.clear()
        self.skip_all = False
