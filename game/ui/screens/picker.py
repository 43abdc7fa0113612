"""The scenario picker: every scenario found (shipped and the user's folder), a side, a difficulty."""

from __future__ import annotations

import random

import pygame
import pygame_gui

from game.scenario import DEFAULT_SCENARIO, ScenarioError, scenario_files, user_scenario_dir
from game.scenario.loader import load_cached
from game.session import Session
from game.ui import explain
from game.ui.nav import Pop, Push
from game.ui.screens.base import Screen
from game.ui.screens.common import backdrop, button, button_height
from game.ui.screens.keynav import KeyNav
from game.ui.text import Rich, ellipsize
from game.ui.widgets import ListView, Row, panel

def _difficulty_text() -> dict:
    try:
        from game.ai import DIFFICULTY_TEXT
        return dict(DIFFICULTY_TEXT)
    except ImportError:
        return {}


_DT = _difficulty_text()
DIFFS = (("easy", "Easy", _DT.get("easy", "The computer plays loosely and makes mistakes")),
         ("normal", "Normal", _DT.get("normal", "The computer weighs each move against its goals")),
         ("hard", "Hard", _DT.get("hard", "The computer rarely slips")),
         ("expert", "Expert", _DT.get("expert", "The computer searches ahead")))


def find_all() -> list[tuple[str, object]]:
    """(path, Scenario or error text) for every .toml found, the default first."""
    out = []
    for f in scenario_files():
        try:
            out.append((str(f), load_cached(f)))  # compiled once per file content
        except ScenarioError as exc:
            first = exc.problems[0] if exc.problems else None
            out.append((str(f), f"{len(exc.problems)} problem(s)" + (f": {first.message}" if first else "")))
    out.sort(key=lambda x: (not (not isinstance(x[1], str) and x[1].id == DEFAULT_SCENARIO), x[0]))
    return out


class PickerScreen(Screen):
    name = "picker"

    def __init__(self, app):
        super().__init__(app)
        self.entries = find_all()
        self.index = next((i for i, e in enumerate(self.entries) if not isinstance(e[1], str)), 0)
        self.side = app.settings.side or ""
        self.difficulty = app.settings.difficulty or "normal"
        self.nav = KeyNav()
        self.list: ListView | None = None
        self.detail: ListView | None = None

    @property
    def scenario(self):
        if not self.entries:
            return None
        sc = self.entries[self.index][1]
        return None if isinstance(sc, str) else sc

    def _sides(self, sc) -> list[tuple[str, str, str]]:
        out = []
        for p in sc.players:
            a = sc.actor(p)
            out.append((p, f"Play {a.name}", a.goal))
        out.append(("both", "Two players", "Hot-seat: both sides play on this computer, taking turns"))
        out.append(("none", "Watch", "The computer plays both sides; you watch"))
        return out

    def build(self) -> None:
        super().build()
        th = self.theme
        W, H = self.size
        pad, bh = self.layout_metrics()
        top = self.content_top()
        self.nav.clear()
        list_w = max(th.body * 16, round(W * 0.27))
        self.list_rect = pygame.Rect(pad * 2, top, list_w, H - top - pad * 2 - bh - pad)
        self.list = ListView(th, self.list_rect.inflate(-pad, -pad))
        rx = self.list_rect.right + pad
        self.right = pygame.Rect(rx, top, W - rx - pad * 2, H - top - pad * 2 - bh - pad)
        # options block at the bottom of the right side
        opt_h = bh * 2 + pad * 3 + th.small * 2
        self.detail_rect = pygame.Rect(self.right.x, self.right.y, self.right.w, self.right.h - opt_h)
        self.detail = ListView(th, self.detail_rect.inflate(-pad, -pad), selectable=False)
        self.opt_rect = pygame.Rect(self.right.x, self.detail_rect.bottom + pad // 2, self.right.w, opt_h - pad // 2)
        self.back = self.back_button()
        self.start = button(self.manager, (W - pad * 2 - th.body * 14, H - pad - bh, th.body * 14, bh),
                            "Start ▸", "@primary", "Read the briefing, then play (Enter)")
        self._fill_list()
        self._build_options()
        self._fill_detail()
        self.nav.add(self.start, self.go)
        self.nav.add(self.back, lambda: self.app.navigate(Pop()))

    def _build_options(self) -> None:
        th = self.theme
        pad = self.pad
        bh = button_height(th)
        self.side_buttons = {}
        self.diff_buttons = {}
        sc = self.scenario
        r = self.opt_rect.inflate(-pad, -pad)
        self.side_label_y = r.y
        y = r.y + th.small + pad // 3
        if sc is not None:
            sides = self._sides(sc)
            if self.side not in [s[0] for s in sides]:
                self.side = sc.players[0]
            n = len(sides)
            w = (r.w - (n - 1) * (pad // 2)) // n
            for i, (key, text, tip) in enumerate(sides):
                b = button(self.manager, (r.x + i * (w + pad // 2), y, w, bh), text, "@option", tip)
                self.side_buttons[key] = b
            y += bh + pad // 2
            self.diff_label_y = y
            y += th.small + pad // 3
            w = (r.w - (len(DIFFS) - 1) * (pad // 2)) // len(DIFFS)
            for i, (key, text, tip) in enumerate(DIFFS):
                b = button(self.manager, (r.x + i * (w + pad // 2), y, w, bh), text, "@option", tip)
                self.diff_buttons[key] = b
        self._sync_options()

    def difficulty_note(self) -> str:
        """The sentence shown beside DIFFICULTY: what the chosen level does."""
        if self.side == "both":
            return "Two players: no computer opponent."
        return dict((k, t) for k, _, t in DIFFS).get(self.difficulty, "")

    def _sync_options(self) -> None:
        for k, b in self.side_buttons.items():
            (b.select if k == self.side else b.unselect)()
        for k, b in self.diff_buttons.items():
            (b.select if k == self.difficulty else b.unselect)()
            if self.side == "both":
                b.disable()
            else:
                b.enable()
        if self.scenario is None:
            self.start.disable()
        else:
            self.start.enable()

    def _fill_list(self) -> None:
        th = self.theme
        rows = []
        w = self.list.inner_width - 8
        user = str(user_scenario_dir())
        for i, (path, sc) in enumerate(self.entries):
            r = Rich(th)
            if isinstance(sc, str):
                r.line(path.rsplit("/", 1)[-1], "dim", "bold")
                r.add("Cannot be played: " + sc, "bad", "small")
            else:
                r.line(sc.title, "text", "bold")
                r.add(sc.raw.scenario.period, "dim", "small")
                if path.startswith(user):
                    r.add("  · your folder", "accent", "small")
            rows.append(Row(i, r.render(w), enabled=not isinstance(sc, str)))
        if not rows:
            r = Rich(th)
            r.add(f"No scenarios found. Put .toml files in {user}", "dim")
            rows.append(Row(-1, r.render(w), enabled=False, header=True))
        self.list.set_rows(rows)
        self.list.selected = {self.index}

    def _fill_detail(self) -> None:
        th = self.theme
        sc = self.scenario
        w = self.detail.inner_width - 8
        r = Rich(th)
        if sc is None:
            r.add("This file has problems; run ‘union-state validate’ on it to see them.", "dim")
            self.detail.set_rows([Row(0, r.render(w), header=True)])
            return
        h = sc.raw.scenario
        r.line(sc.title, "accent", "big")
        r.line(f"{h.period} · {sc.turns} turns of {h.months_per_turn} month{'s' if h.months_per_turn > 1 else ''}",
               "dim", "small")
        r.gap()
        r.line(h.summary.strip(), "text")
        r.gap()
        for i, p in enumerate(sc.players):
            a = sc.actor(p)
            r.add(f"{a.name} ", th.side(i), "bold")
            r.add(f"({a.leader}) ", "dim", "small")
            r.line(a.goal, "text", "small")
            r.gap(th.body // 3)
        doc = explain.document_line(sc)
        if doc:
            r.gap()
            r.add("Source: ", "dim", "small_bold")
            r.add(doc, "dim", "small")
        self.detail.set_rows([Row(0, r.render(w), header=True)])
        self.detail.scroll = 0

    # --- input -------------------------------------------------------------------------------
    def handle(self, event) -> None:
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            el = event.ui_element
            if el is self.back:
                self.app.navigate(Pop())
                return
            if el is self.start:
                self.go()
                return
            for k, b in self.side_buttons.items():
                if el is b:
                    self.side = k
                    self._sync_options()
                    return
            for k, b in self.diff_buttons.items():
                if el is b:
                    self.difficulty = k
                    self._sync_options()
                    return
            return
        if self.list is not None:
            key = self.list.handle(event)
            if key is not None and key >= 0 and key != self.index:
                self.index = key
                self.list.selected = {key}
                self.app.retheme()  # rebuild the options for this scenario's sides
                return
        if self.detail is not None:
            self.detail.handle(event)
        if event.type == pygame.KEYDOWN:
            if event.key == pygame.K_ESCAPE:
                self.app.navigate(Pop())
            elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER) and self.nav.index < 0:
                self.go()
            elif event.key in (pygame.K_DOWN, pygame.K_UP) and self.entries:
                step = 1 if event.key == pygame.K_DOWN else -1
                j = self.index
                for _ in range(len(self.entries)):
                    j = (j + step) % len(self.entries)
                    if not isinstance(self.entries[j][1], str):
                        break
                if j != self.index:
                    self.index = j
                    self.list.selected = {j}
                    self.list.ensure_visible(j)
                    self.app.retheme()
            else:
                self.nav.handle(event)

    def go(self) -> None:
        sc = self.scenario
        if sc is None:
            return

        self.app.settings.side = self.side
        self.app.settings.difficulty = self.difficulty
        self.app.settings.save()
        seed = random.SystemRandom().randrange(1, 2**31)
        session = Session(sc, seed)
        self.app.navigate(Push("briefing", session=session, side=self.side, difficulty=self.difficulty))

    # --- drawing -----------------------------------------------------------------------------
    def draw(self, surf) -> None:
        th = self.theme
        surf.blit(backdrop(self.app), (0, 0))
        pad = self.pad
        img = th.fonts.role("big").render("New game", True, th.c["accent"])
        surf.blit(img, (pad * 2, round(th.body * 1.4)))
        hint = th.fonts.role("small").render("Choose a scenario, a side and a difficulty", True, th.c["dim"])
        y = round(th.body * 1.4) + img.get_height() - hint.get_height() - 3
        surf.blit(hint, (pad * 2 + img.get_width() + pad, y))
        panel(surf, th, self.list_rect)
        panel(surf, th, self.detail_rect)
        panel(surf, th, self.opt_rect)
        self.list.draw(surf)
        self.detail.draw(surf)
        r = self.opt_rect.inflate(-pad, -pad)
        f = th.fonts.role("small_bold")
        if self.side_buttons:
            surf.blit(f.render("PLAY AS", True, th.c["dim"]), (r.x, self.side_label_y))
            label = f.render("DIFFICULTY", True, th.c["dim"])
            surf.blit(label, (r.x, self.diff_label_y))
            # What the chosen level does, in a sentence beside the label (the buttons' tooltips
            # say the same for each level).
            said = self.difficulty_note()
            if said:
                x = r.x + label.get_width() + pad // 2
                txt = ellipsize(th.fonts.role("small"), said, r.right - x)
                surf.blit(th.fonts.role("small").render(txt, True, th.c["dim"]),
                          (x, self.diff_label_y + (label.get_height() - th.fonts.role("small").get_height()) // 2))

    def draw_over(self, surf) -> None:
        self.nav.draw(surf, self.theme)
