"""The end screen: the ending, the scores, charts of every meter, turning points, what happened."""

from __future__ import annotations

import random

import pygame
import pygame_gui

from game.authoring import console
from game.session import Session
from game.ui import explain, storage
from game.ui.charts import line_chart
from game.ui.nav import Replace
from game.ui.screens.base import Screen
from game.ui.screens.common import Popup, button, name_popup
from game.ui.screens.panels import add_changes
from game.ui.text import Rich
from game.ui.widgets import ListView, Row, bar, panel

GRADE_WORDS = {"decisive": "a decisive result", "marginal": "a narrow result", "draw": "a draw",
               "disaster": "a disaster for both"}


class EndScreen(Screen):
    name = "end"

    def __init__(self, app, match, side: str, difficulty: str):
        super().__init__(app)
        self.match = match
        self.sess = match.session
        self.sc = match.scenario
        self.side = side
        self.difficulty = difficulty
        self.outcome = self.sess.outcome
        self.popup: Popup | None = None
        self._charts = None

    def session(self):
        return None

    def build(self) -> None:
        super().build()
        th = self.theme
        W, H = self.size
        pad, bh = self.layout_metrics()
        self.lrect, self.rrect = self.two_columns(round(th.body * 5.4), 0.44)  # under a two-line heading
        self.left = ListView(th, self.lrect.inflate(-pad * 1.4, -pad), selectable=False)
        bw = th.body * 11
        self.btn_title = button(self.manager, (pad * 2, H - pad - bh, bw, bh), "Title screen", tooltip="Esc")
        self.btn_save = button(self.manager, (W - pad * 2 - bw * 2 - pad, H - pad - bh, bw, bh), "Save replay…",
                               tooltip="Keep this game to watch again from the title screen")
        self.btn_again = button(self.manager, (W - pad * 2 - bw, H - pad - bh, bw, bh), "Play again ▸",
                                "@primary", "Same scenario and side, a new game (Enter)")
        if self.match.replay is not None or not console.is_replayable(self.match.session):
            self.btn_save.disable()  # a replay, or console edits (play --watch) that cannot be replayed
        self._fill_left()
        self._charts = None
        self.popup = None

    def _fill_left(self) -> None:
        th = self.theme
        sc = self.sc
        o = self.outcome
        w = self.left.inner_width - 8
        r = Rich(th)
        if o is not None:
            r.line(o.text, "text")
            r.gap()
            r.line("FINAL SCORES (HOW CLOSE EACH SIDE CAME TO ITS GOALS, 0–100)", "dim", "small_bold")
        rows = [Row("text", r.render(w), header=True)]
        if o is not None:
            for i, p in enumerate(sc.players):
                s = o.scores.get(p, 0.0)
                surf = pygame.Surface((w, th.body * 2), pygame.SRCALPHA)
                you = " (you)" if p == self.side else ""
                text = f"{sc.actor(p).name}{you}  {explain.fmt_num(s)}"
                img = th.fonts.render(th.fonts.role("bold"), text, th.side(i))
                surf.blit(img, (0, 0))
                bar(surf, th, pygame.Rect(0, img.get_height() + 3, w, 7), s / 100, th.side(i))
                rows.append(Row(("s", p), surf, header=True))
        r = Rich(th)
        r.gap()
        r.line("TURNING POINTS", "dim", "small_bold")
        pts = explain.turning_points(sc, [c for st in self.sess.steps for c in st.changes])
        vi = sc.actor_index(self.side) if self.side in sc.players else None
        if not pts:
            r.line("Nothing much moved.", "faint", "small")
        for tp in pts:
            r.add(f"Turn {tp.turn} · ", "accent", "small_bold")
            r.add(("The month's drift" if explain.kind_of(tp.cause) == "drift" else tp.cause) + ": ", "text", "small_bold")
            add_changes(r, sc, tp.changes, vi, limit=4)
            r.br()
            r.gap(3)
        h = sc.raw.scenario.history.strip()
        if h:
            r.gap()
            r.line("WHAT ACTUALLY HAPPENED", "dim", "small_bold")
            for para in [p.strip() for p in h.split("\n\n") if p.strip()]:
                r.line(para.replace("\n", " "), "text", "small")
                r.gap(4)
        doc = explain.document_line(sc)
        if doc:
            r.gap(4)
            r.add("Source: ", "faint", "small_bold")
            r.add(doc, "faint", "small")
        rows.append(Row("rest", r.render(w), header=True))
        self.left.set_rows(rows)

    def _chart_grid(self) -> pygame.Surface:
        if self._charts is not None and self._charts[0] == self.rrect.size:
            return self._charts[1]
        th = self.theme
        sc = self.sc
        w, h = self.rrect.w - 2 * self.pad, self.rrect.h - 2 * self.pad
        surf = pygame.Surface((w, h), pygame.SRCALPHA)
        steps = self.sess.steps
        last = max(1, self.sess.state.turn)
        # scores over time, large
        hist = explain.score_history(steps)
        series = []
        for i, p in enumerate(sc.players):
            series.append((f"{sc.actor(p).name} score", th.side(i), [(t, a if i == 0 else b) for t, a, b in hist]))
        top_h = round(h * 0.26)
        surf.blit(line_chart(th, (w, top_h), series, (0, 100), (1, last), "Scores over the game",
                             show_legend=True), (0, 0))
        names = [mid for mid in sc.raw.meters if not (sc.lo[sc.slots[mid]] == 0 and sc.hi[sc.slots[mid]] == 1)]
        gap = round(th.body * 0.5)
        avail = h - top_h - gap
        # as many columns as it takes for every meter's chart to be at least about four lines tall
        for cols in range(3, 7):
            rows_n = (len(names) + cols - 1) // cols
            ch = (avail - (rows_n - 1) * gap) // max(1, rows_n)
            if ch >= th.body * 4 or cols == 6:
                break
        cw = (w - (cols - 1) * gap) // cols
        for k, mid in enumerate(names):
            x = (k % cols) * (cw + gap)
            y = top_h + gap + (k // cols) * (ch + gap)
            if y + ch > h:
                break
            slot = sc.slots[mid]
            owner = sc.raw.meters[mid].owner
            col = th.side(sc.players.index(owner)) if owner in sc.players else th.c["text"]
            pts = explain.value_history(steps, mid)
            surf.blit(line_chart(th, (cw, ch), [(sc.labels[slot], col, pts)], (sc.lo[slot], sc.hi[slot]),
                                 (0, last), sc.labels[slot]), (x, y))
        self._charts = (self.rrect.size, surf)
        return surf

    def handle(self, event) -> None:
        if self.popup_blocks(event):
            return
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is self.btn_title:
                self.to_title()
            elif event.ui_element is self.btn_again:
                self.again()
            elif event.ui_element is self.btn_save:
                self.save_dialog()
            return
        self.left.handle(event)
        if event.type == pygame.KEYDOWN:
            if event.key == pygame.K_ESCAPE:
                self.to_title()
            elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self.again()
            elif event.key == pygame.K_s and event.mod & pygame.KMOD_CTRL:
                self.save_replay("replay")

    def to_title(self) -> None:
        self.app.navigate(Replace("title"))

    def again(self) -> None:
        from game.ui.match import Match, humans_for

        side = self.side
        sess = Session(self.sc, random.SystemRandom().randrange(1, 2**31))
        self.app.navigate(Replace("game", match=Match(sess, humans_for(self.sc, side), self.difficulty), side=side,
                                  difficulty=self.difficulty))

    def save_dialog(self) -> None:
        default = f"{self.sc.id}-{self.outcome.ending if self.outcome else 'game'}"
        self.popup = name_popup(self, "Save replay", "Name this replay:",
                                f"Replays are kept in {storage.replays_dir()}", default, self.save_replay)

    def save_replay(self, name: str) -> None:
        if not console.is_replayable(self.sess):
            self.app.toast("Console edits (set, fire) cannot be replayed: this game cannot be saved", 4)
            return
        slot = storage.slot_name(name)
        path = storage.replays_dir() / f"{slot}.json"
        try:
            storage.save_now(self.sess, path, storage.meta_for(self.sess, self.side, self.difficulty, {"replay": True}))
        except OSError as exc:
            self.app.toast(f"Could not save: {exc.strerror or exc}", 4)
            return
        self.app.toast(f"Replay saved as ‘{slot}’")

    def draw(self, surf) -> None:
        th = self.theme
        c = th.c
        sc = self.sc
        o = self.outcome
        pad = self.pad
        W, _ = self.size
        title = o.title if o else "The game ended"
        img = th.fonts.role("title").render(title, True, c["accent"])
        if img.get_width() > W - 4 * pad:
            img = th.fonts.role("big").render(title, True, c["accent"])
        surf.blit(img, (pad * 2, round(th.body * 0.9)))
        y = round(th.body * 0.9) + img.get_height() + 2
        if o is not None:
            if o.winner:
                i = sc.players.index(o.winner)
                who = "You win" if o.winner == self.side else f"{sc.actor(o.winner).name} wins"
                col = th.side(i)
            else:
                who = "Nobody wins"
                col = c["bad"] if o.grade == "disaster" else c["dim"]
            line = f"{who} — {GRADE_WORDS.get(o.grade, o.grade)} · turn {o.turn} of {sc.turns}, {sc.date_label(o.turn)}"
            surf.blit(th.fonts.role("heading").render(line, True, col), (pad * 2, y))
        panel(surf, th, self.lrect)
        panel(surf, th, self.rrect)
        self.left.draw(surf)
        surf.blit(self._chart_grid(), (self.rrect.x + pad, self.rrect.y + pad))
