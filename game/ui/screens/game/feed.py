"""What happened: this turn's feed under the map, and the whole game's log (shown in the Log tab).
Both are fed notices by the screen as it presents them."""

from __future__ import annotations

import pygame

from game.ui.match import Notice
from game.ui.screens.panels import add_changes, add_source, notice_rich, viewer_index
from game.ui.text import Rich
from game.ui.widgets import ListView, Row


def notice_tip(theme, sc, n: Notice, viewer: int | None) -> pygame.Surface:
    """A notice in full: its text, every change it made and its source."""
    t = Rich(theme)
    t.line(n.title, "text", "bold")
    if n.text:
        t.line(n.text, "dim", "small")
    if n.changes:
        t.gap(4)
        add_changes(t, sc, n.changes, viewer)
        t.br()
    src = None
    if n.kind == "event":
        ev = sc.event_by_id.get(n.ref)
        src = ev.source if ev else None
    elif n.kind == "move" and n.ref in sc.move_by_id:
        src = sc.move_by_id[n.ref].source
    if src is not None:
        t.gap(4)
        add_source(t, sc, src)
    return t.render(theme.body * 26)


def empty_row(theme, w: int, text: str) -> Row:
    r = Rich(theme)
    r.add(text, "faint")
    return Row("empty", r.render(w), header=True)


def replay_history(match, feed: Feed, log: Log) -> None:
    """Fill the log and this turn's feed quietly from the match's history (a game back at its very
    first step announces turn 1 again instead: the new Match queued it)."""
    log.notices = []
    feed.clear()
    if match.notices:
        return
    for n in match.history_notices():
        if n.kind == "turn":
            feed.clear()
        elif n.kind != "ending":
            feed.add(n)
        log.notices.append(n)


class Feed:
    """This turn's notices, newest at the bottom, in a panel under the map."""

    def __init__(self):
        self.notices: list[Notice] = []
        self.list: ListView | None = None
        self.key = None

    def build(self, theme, rect: pygame.Rect, pad: int) -> None:
        self.theme = theme
        self.rect = rect
        self.pad = pad
        self.list = ListView(theme, pygame.Rect(rect.x + pad // 2, rect.y + round(theme.body * 1.7), rect.w - pad,
                                                rect.h - round(theme.body * 1.7) - pad // 2), selectable=False)
        self.key = None

    def clear(self) -> None:
        self.notices = []

    def add(self, n: Notice) -> None:
        self.notices.append(n)

    def invalidate(self) -> None:
        self.key = None

    def refresh(self, match, viewer: str, force: bool = False) -> None:
        key = ("feed", len(self.notices), self.list.rect.w, viewer)
        if not force and self.key == key:
            return
        self.key = key
        th = self.theme
        sc = match.scenario
        viewer_idx = viewer_index(match, viewer)
        w = self.list.inner_width - 8
        rows = []
        for i, n in enumerate(self.notices):
            r = Rich(th)
            notice_rich(r, th, sc, n, viewer_idx, limit=3)
            acc = None
            if n.kind == "move" and n.actor in sc.players:
                acc = th.side(sc.players.index(n.actor))
            elif n.kind == "event":
                acc = th.c["warn"]

            def tip(n=n):
                return notice_tip(th, sc, n, viewer_idx)
            rows.append(Row(i, r.render(w), header=False, enabled=False, accent=acc, tooltip=tip))
        if not rows:
            rows = [empty_row(th, w, "Nothing has happened yet this turn.")]
        self.list.set_rows(rows)
        self.list.scroll_to_end()

    def handle(self, event) -> None:
        self.list.handle(event)

    def draw(self, surf: pygame.Surface, title: str) -> None:
        th = self.theme
        img = th.fonts.render(th.fonts.role("small_bold"), title, th.c["dim"])
        surf.blit(img, (self.rect.x + self.pad, self.rect.y + round(th.body * 0.45)))
        self.list.draw(surf)


class Log:
    """Every notice of the game, turn by turn, rendered once as it arrives."""

    def __init__(self):
        self.notices: list[Notice] = []
        self.rows: list[Row] = []
        self.width = 0

    def rebuild(self, theme, sc, viewer_idx: int | None, width: int) -> None:
        """Render every row again (a new width, theme or viewer)."""
        self.width = width
        notices, self.notices, self.rows = self.notices, [], []
        for n in notices:
            self.add(theme, sc, n, viewer_idx)

    def add(self, theme, sc, n: Notice, viewer_idx: int | None) -> None:
        self.notices.append(n)
        w = self.width or theme.body * 30
        r = Rich(theme)
        if n.kind == "turn":
            r.add(n.title.upper(), "accent", "small_bold")
            self.rows.append(Row(("t", n.turn, len(self.notices)), r.render(w), header=True))
            return
        notice_rich(r, theme, sc, n, viewer_idx)
        acc = theme.side(sc.players.index(n.actor)) if n.actor in sc.players else theme.c["warn"]

        def tip(n=n):
            return notice_tip(theme, sc, n, viewer_idx)
        self.rows.append(Row(("n", len(self.notices)), r.render(w), enabled=False, accent=acc, tooltip=tip))
