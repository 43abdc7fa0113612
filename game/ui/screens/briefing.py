"""The briefing before turn 1: the situation, your goals, how each side wins or loses, the source."""

from __future__ import annotations

import pygame
import pygame_gui

from game.ui import explain
from game.ui.nav import Pop, Replace
from game.ui.screens.base import Screen
from game.ui.screens.common import backdrop, button
from game.ui.text import Rich
from game.ui.widgets import ListView, Row, panel


def goals_rich(r: Rich, sc, side: str, theme) -> None:
    """'How each side can win or lose', from the viewpoint of ``side``."""
    players = list(sc.players)
    me = side if side in players else None
    endings = explain.endings(sc)
    wins: dict[str | None, list] = {p: [] for p in players}
    wins[None] = []
    for e in endings:
        wins[e.winner if e.winner in players else None].append(e)
    order = ([me] + [p for p in players if p != me]) if me else players
    for p in order:
        i = players.index(p)
        a = sc.actor(p)
        who = "You win" if p == me else f"{a.name} wins"
        r.add(who, theme.side(i), "bold")
        r.line(" if…", "text", "bold")
        for e in wins[p]:
            when = "at the end: " if e.timeout else ""
            r.add("  • ", theme.side(i), "small")
            r.add(f"{e.title}: ", "text", "small_bold")
            r.line(f"{when}{e.condition}", "dim", "small")
        r.gap(theme.body // 2)
    if wins[None]:
        r.line("Everyone loses if…", "bad", "bold")
        for e in wins[None]:
            when = "at the end: " if e.timeout else ""
            r.add("  • ", "bad", "small")
            r.add(f"{e.title}: ", "text", "small_bold")
            r.line(f"{when}{e.condition}", "dim", "small")
        r.gap(theme.body // 2)
    r.line(f"If nothing decides it by turn {sc.turns}, the side closer to its goals wins on points "
           "(a draw within 2 points).", "dim", "small")


class BriefingScreen(Screen):
    name = "briefing"

    def __init__(self, app, session, side: str, difficulty: str):
        super().__init__(app)
        self.sess = session
        self.side = side
        self.difficulty = difficulty
        self.left: ListView | None = None
        self.right: ListView | None = None

    def build(self) -> None:
        super().build()
        th = self.theme
        W, H = self.size
        pad, bh = self.layout_metrics()
        self.lrect, self.rrect = self.two_columns(self.content_top(), 0.54)
        self.left = ListView(th, self.lrect.inflate(-pad * 1.5, -pad), selectable=False)
        self.right = ListView(th, self.rrect.inflate(-pad * 1.5, -pad), selectable=False)
        self.back = self.back_button()
        self.begin = button(self.manager, (W - pad * 2 - th.body * 14, H - pad - bh, th.body * 14, bh),
                            "Begin turn 1 ▸", "@primary", "Enter")
        self._fill()

    def _fill(self) -> None:
        th = self.theme
        sc = self.sess.scenario
        h = sc.raw.scenario
        r = Rich(th)
        r.line("THE SITUATION", "dim", "small_bold")
        r.gap(th.body // 3)
        text = (h.briefing or h.summary).strip()
        for para in [p.strip() for p in text.split("\n\n") if p.strip()]:
            r.line(para.replace("\n", " "), "text")
            r.gap(th.body // 2)
        self.left.set_rows([Row(0, r.render(self.left.inner_width - 8), header=True)])
        r = Rich(th)
        if self.side in sc.players:
            i = sc.players.index(self.side)
            a = sc.actor(self.side)
            r.add("YOU PLAY ", "dim", "small_bold")
            r.line(a.name.upper(), th.side(i), "small_bold")
            r.line(a.leader, "dim", "small")
            r.gap(th.body // 3)
            r.add("Your goal: ", "text", "bold")
            r.line(a.goal, "text")
            other = sc.players[1 - i]
            r.gap(th.body // 3)
            r.add(f"{sc.actor(other).name} wants: ", th.side(1 - i), "bold")
            r.line(sc.actor(other).goal, "dim", "small")
        else:
            r.line("TWO PLAYERS" if self.side == "both" else "YOU ARE WATCHING", "dim", "small_bold")
            for i, p in enumerate(sc.players):
                a = sc.actor(p)
                r.add(f"{a.name}: ", th.side(i), "bold")
                r.line(a.goal, "text", "small")
                r.gap(th.body // 3)
        r.gap()
        r.line("HOW IT ENDS", "dim", "small_bold")
        r.gap(th.body // 3)
        goals_rich(r, sc, self.side, th)
        r.gap()
        r.line("EACH TURN", "dim", "small_bold")
        r.line("Events fire, then the side with the initiative may table a deal, then each side takes "
               "one move. Meters drift at the end of the month.", "dim", "small")
        doc = explain.document_line(sc)
        if doc:
            r.gap()
            r.line("WHERE THIS COMES FROM", "dim", "small_bold")
            r.line(doc, "text", "small")
            r.line("Every event, move and ending cites its paragraph (¶) of the article; the Sources tab "
                   "lists them all.", "dim", "small")
        self.right.set_rows([Row(0, r.render(self.right.inner_width - 8), header=True)])

    def handle(self, event) -> None:
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is self.back:
                self.app.navigate(Pop())
            elif event.ui_element is self.begin:
                self.go()
            return
        for lv in (self.left, self.right):
            if lv is not None:
                lv.handle(event)
        if event.type == pygame.KEYDOWN:
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
                self.go()
            elif event.key == pygame.K_ESCAPE:
                self.app.navigate(Pop())

    def go(self) -> None:
        from game.ui.match import Match, humans_for

        sc = self.sess.scenario
        match = Match(self.sess, humans_for(sc, self.side), self.difficulty)
        self.app.navigate(Replace("game", match=match, side=self.side, difficulty=self.difficulty))

    def draw(self, surf) -> None:
        th = self.theme
        surf.blit(backdrop(self.app), (0, 0))
        sc = self.sess.scenario
        img = th.fonts.role("big").render(sc.title, True, th.c["accent"])
        surf.blit(img, (self.pad * 2, round(th.body * 1.4)))
        sub = th.fonts.role("small").render(f"Briefing · {sc.raw.scenario.period}", True, th.c["dim"])
        surf.blit(sub, (self.pad * 2 + img.get_width() + self.pad,
                        round(th.body * 1.4) + img.get_height() - sub.get_height() - 3))
        panel(surf, th, self.lrect)
        panel(surf, th, self.rrect)
        self.left.draw(surf)
        self.right.draw(surf)
