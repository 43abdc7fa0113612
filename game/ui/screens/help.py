"""How to play: the keys, a turn, reading the screen, where the numbers come from."""

from __future__ import annotations

import pygame
import pygame_gui

from game.ui.nav import Pop
from game.ui.screens.base import Screen
from game.ui.screens.common import backdrop
from game.ui.text import Rich
from game.ui.widgets import ListView, Row, panel

KEYS = (
    ("Enter", "End the turn, or do what the yellow button says (take the move, propose the deal, accept)"),
    ("Esc", "Open the menu (save, load, settings, quit); close a dialog"),
    ("Ctrl+S", "Save at once (to the slot you last saved to, else ‘quicksave’)"),
    ("F11", "Full screen on or off"),
    ("Tab / Shift+Tab", "Next / previous panel: Moves, Deal, the scenario's issues, Log, Sources"),
    ("1 – 9", "Pick a move (Moves panel), a term (Deal panel) or a response (pop-ups)"),
    ("Space", "Skip the announcement of the computer's move"),
    ("↑ ↓ PgUp PgDn, wheel", "Scroll the open panel"),
    ("F1", "This page"),
    ("F12", "The developer console, for scenario authors (only with union-state play SCENARIO --watch)"),
)

SECTIONS = (
    ("A turn", [
        "1. Events fire: some are news, some ask you to respond. Each cites its paragraph (¶) of the article.",
        "2. Diplomacy: the side with the initiative (it alternates) may table a deal of terms from both "
        "sides. The other side accepts, rejects or counters once; a counter is accepted or rejected.",
        "3. Moves: each side takes one unilateral move or passes, the initiative first.",
        "4. Drift: meters drift with the month's trends; promises whose deadline passed are broken.",
        "5. An ending is checked; after the last turn the side closer to its goals wins on points.",
    ]),
    ("Reading the screen", [
        "Left: the meters, yours first. The number is the value, the arrow what changed since your last "
        "turn (good for you in green-blue, bad in orange-red). Hover a meter for every cause.",
        "Meters the other side hides from you show an estimated range (hatched).",
        "Under the meters: the other side's mood as an estimate, and your own standing (your score).",
        "Centre: the map lights up where this turn's events happened; under it, this turn's feed.",
        "Right: the panels. Moves and deal terms show what they would do before you commit; greyed "
        "moves say why they are not possible; hover anything for its text and source.",
    ]),
    ("Standoffs and promises", [
        "Some moves open a standoff: the target gives way or stands firm; the demander presses (raising "
        "tension, risking a rupture) or backs down, which costs more the later it happens.",
        "Signing a programme on paper is a promise; implementing it in time delivers it; missing the "
        "deadline breaks it and costs trust. The Programmes panel keeps the ledger.",
    ]),
)


class HelpScreen(Screen):
    name = "help"

    def build(self) -> None:
        super().build()
        th = self.theme
        pad, _ = self.layout_metrics()
        self.rect = self.centred_panel(62)
        self.list = ListView(th, self.rect.inflate(-pad * 1.5, -pad), selectable=False)
        self.back = self.back_button(self.rect.x)
        w = self.list.inner_width - 8
        rows = []
        r = Rich(th)
        r.line("KEYS", "dim", "small_bold")
        rows.append(Row("kh", r.render(w), header=True))
        key_w = th.body * 12
        for k, text in KEYS:
            surf = pygame.Surface((w, 1), pygame.SRCALPHA)
            left = Rich(th)
            left.add(k, "accent", "bold")
            right = Rich(th)
            right.add(text, "text", "small")
            a = left.render(key_w - 8)
            b = right.render(w - key_w)
            surf = pygame.Surface((w, max(a.get_height(), b.get_height())), pygame.SRCALPHA)
            surf.blit(a, (0, 0))
            surf.blit(b, (key_w, 2))
            rows.append(Row(("k", k), surf, header=True))
        for title, paras in SECTIONS:
            r = Rich(th)
            r.gap()
            r.line(title.upper(), "dim", "small_bold")
            for p in paras:
                r.line(p, "text", "small")
                r.gap(4)
            rows.append(Row(title, r.render(w), header=True))
        self.list.set_rows(rows)

    def handle(self, event) -> None:
        if event.type == pygame_gui.UI_BUTTON_PRESSED and event.ui_element is self.back:
            self.app.navigate(Pop())
            return
        self.list.handle(event)
        if event.type == pygame.KEYDOWN:
            if event.key in (pygame.K_ESCAPE, pygame.K_F1, pygame.K_RETURN):
                self.app.navigate(Pop())
            elif event.key in (pygame.K_DOWN, pygame.K_PAGEDOWN):
                self.list.scroll = min(self.list.max_scroll, self.list.scroll + self.theme.body * 4)
            elif event.key in (pygame.K_UP, pygame.K_PAGEUP):
                self.list.scroll = max(0, self.list.scroll - self.theme.body * 4)

    def draw(self, surf) -> None:
        th = self.theme
        surf.blit(backdrop(self.app), (0, 0))
        img = th.fonts.role("big").render("How to play", True, th.c["accent"])
        surf.blit(img, (self.rect.x, round(th.body * 1.4)))
        panel(surf, th, self.rect)
        self.list.draw(surf)
