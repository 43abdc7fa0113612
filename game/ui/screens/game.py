"""The main screen: map, meters, the decision panel with its tabs, this turn's feed, pop-ups.

The screen reads a ``Match``: human decisions become ``Move`` objects submitted to it; the
computer's moves arrive as notices, which are presented one at a time (a banner over the map, an
event pop-up) at a pace the player can read, while the map lights up and the log grows.
"""

from __future__ import annotations

import time
from collections import deque

import pygame
import pygame_gui
from pygame_gui.elements import UITextEntryLine

from game.engine import (ACT, ANSWER, ANSWER_COUNTER, CHOOSE, PROPOSE, STANDOFF, STANDOFF_PRESS,
                         IllegalMove, Move, utility, view)
from game.ui import explain, storage
from game.ui.mapview import MapView
from game.ui.match import Match, Notice
from game.ui.screens import panels
from game.ui.screens.base import Screen
from game.ui.screens.common import Popup, button, button_height, fit_label
from game.ui.text import Rich, ellipsize
from game.ui.widgets import ListView, Row, bar, draw_tooltip, panel, spinner

TABS = (("moves", "Moves"), ("deal", "Deal"), ("programmes", "Programmes"), ("military", "Military"),
        ("crimea", "Crimea"), ("log", "Log"), ("sources", "Sources"))
TAB_TIPS = {
    "moves": "Your unilateral moves: one a turn, after diplomacy",
    "deal": "The deal table: pick terms from both sides and see the projected effects",
    "programmes": "Every integration programme and the commitment ledger",
    "military": "The Hrodno centre, troops and standoffs",
    "crimea": "The recognition ladder and the goodwill words buy",
    "log": "Everything that happened, turn by turn, with sources",
    "sources": "Every element of the scenario and the paragraph it comes from",
}


class GameScreen(Screen):
    name = "game"

    def __init__(self, app, match: Match, side: str, difficulty: str, slot: str = ""):
        super().__init__(app)
        self.match = match
        self.sc = match.scenario
        self.side = side
        self.difficulty = difficulty
        self.slot = slot
        self.watch = not match.humans
        self.tab = "moves"
        self.scrolls: dict[str, int] = {}
        self.sel_move: str | None = None
        self.terms: list[str] = []
        self.queue: deque[Notice] = deque()
        self.current: Notice | None = None
        self.current_start = 0.0
        self.current_until = 0.0
        self.popup: Popup | None = None
        self.popup_auto_until = 0.0
        self.popup_kind = ""
        self.log_rows: list[Row] = []
        self.log_notices: list[Notice] = []
        self.feed_notices: list[Notice] = []
        self.viewer_shown: str | None = None
        self.phase_key = None
        self.finished = False
        self.cache: dict = {}
        self.map: MapView | None = None
        self.now = 0.0
        self.clock0 = app.now()
        self.skip_all = False
        self.last_saved_turn = -1
        self.built = False
        self.banner_rect = pygame.Rect(0, 0, 0, 0)
        self._tip = None
        self._frame_t0 = time.perf_counter()
        self.stale = False
        hum = sorted(match.humans)
        if len(hum) == 1:
            self.viewer_shown = hum[0]

    # --- helpers ---------------------------------------------------------------------------------
    @property
    def state(self):
        return self.match.session.state

    def session(self):
        return self.match.session

    @property
    def viewer(self) -> str:
        if self.viewer_shown:
            return self.viewer_shown
        return self.sc.players[0]

    @property
    def viewer_idx(self) -> int | None:
        """Whose goals colour the deltas (None when watching)."""
        return None if self.watch else self.sc.actor_index(self.viewer)

    @property
    def version(self) -> int:
        return len(self.match.session.steps)

    def close(self) -> None:
        if self.popup is not None:
            self.popup.close()
        self.match.close()

    def autosave(self, sync: bool = False) -> None:
        if self.watch or self.match.replay is not None:
            return
        meta = storage.meta_for(self.match.session, self.side, self.difficulty)
        if sync:
            self.app.autosaver.save_sync(self.match.session, meta)
        else:
            self.app.autosaver.submit(self.match.session, meta)

    # --- layout ----------------------------------------------------------------------------------
    def build(self) -> None:
        super().build()
        th = self.theme
        W, H = self.size
        pad = max(6, round(th.body * 0.55))
        self.pad = pad
        top_h = round(th.body * 3.3)
        left_w = max(th.body * 16, round(W * 0.225))
        right_w = max(th.body * 25, round(W * 0.37))
        centre_w = W - left_w - right_w - 4 * pad
        if centre_w < th.body * 18:
            right_w -= th.body * 18 - centre_w
            centre_w = th.body * 18
        self.r_top = pygame.Rect(0, 0, W, top_h)
        self.r_left = pygame.Rect(pad, top_h + pad, left_w, H - top_h - 2 * pad)
        self.r_centre = pygame.Rect(self.r_left.right + pad, top_h + pad, centre_w, H - top_h - 2 * pad)
        map_h = min(round(centre_w * 0.95), round(self.r_centre.h * 0.62))
        self.r_map = pygame.Rect(self.r_centre.x, self.r_centre.y, centre_w, map_h)
        self.r_feed = pygame.Rect(self.r_centre.x, self.r_map.bottom + pad, centre_w,
                                  self.r_centre.bottom - self.r_map.bottom - pad)
        self.r_right = pygame.Rect(self.r_centre.right + pad, top_h + pad, W - self.r_centre.right - 2 * pad,
                                   H - top_h - 2 * pad)
        if self.map is None:
            self.map = MapView(th, self.sc, self.r_map)
        else:
            self.map.theme = th
            self.map.resize(self.r_map)
        # top bar buttons
        bh = button_height(th)
        bw = th.body * 6
        y = (top_h - bh) // 2
        self.btn_help = button(self.manager, (W - pad - bw, y, bw, bh), "Help", tooltip="Keys and rules (F1)")
        self.btn_menu = button(self.manager, (W - 2 * pad - 2 * bw, y, bw, bh), "Menu",
                               tooltip="Save, load, settings, quit (Esc)")
        # tabs
        small_bold = th.fonts.role("small_bold")
        inner = self.r_right.w - 2 * pad
        widths = [small_bold.size(lab)[0] + th.body for _, lab in TABS]
        rows = 1 if sum(widths) + (len(TABS) - 1) * 2 <= inner else 2
        tab_h = round(th.body * 2.0)
        self.tab_buttons = {}
        per_row = [list(TABS)] if rows == 1 else [list(TABS[:4]), list(TABS[4:])]
        ty = self.r_right.y + pad
        for row in per_row:
            total = sum(small_bold.size(lab)[0] + th.body for _, lab in row)
            spare = (inner - total - (len(row) - 1) * 2) / len(row)
            x = self.r_right.x + pad
            for key, lab in row:
                w = int(small_bold.size(lab)[0] + th.body + spare)
                b = button(self.manager, (x, ty, w, tab_h), lab, "@tab", TAB_TIPS[key])
                self.tab_buttons[key] = b
                x += w + 2
            ty += tab_h + 2
        self.tabs_bottom = ty
        # action bar
        self.r_actions = pygame.Rect(self.r_right.x + pad, self.r_right.bottom - pad - bh, inner, bh)
        self.detail_h = round(th.body * 8.2)
        self.r_detail = pygame.Rect(self.r_right.x + pad, self.r_actions.y - pad - self.detail_h, inner,
                                    self.detail_h)
        pw = round(inner * 0.5)
        sw = (inner - pw - pad) // 2
        self.btn_primary = button(self.manager, (self.r_actions.right - pw, self.r_actions.y, pw, bh), "…",
                                  "@primary", "Enter")
        self.btn_second = button(self.manager, (self.r_actions.x, self.r_actions.y, sw, bh), "…")
        self.btn_third = button(self.manager, (self.r_actions.x + sw + pad // 2, self.r_actions.y,
                                               inner - pw - sw - pad, bh), "…")
        self._btn_text: dict = {"p": False, "s": False, "t": False}
        # list views
        self.content = ListView(th, self._content_rect())
        self.content.multi = True
        self.feed = ListView(th, pygame.Rect(self.r_feed.x + pad // 2, self.r_feed.y + round(th.body * 1.7),
                                             self.r_feed.w - pad, self.r_feed.h - round(th.body * 1.7) - pad // 2),
                             selectable=False)
        stance_h = round(th.body * 5.6)
        self.r_stance = pygame.Rect(self.r_left.x + pad // 2, self.r_left.bottom - stance_h - pad // 2,
                                    self.r_left.w - pad, stance_h)
        self.meters = ListView(th, pygame.Rect(self.r_left.x + pad // 2, self.r_left.y + pad // 2,
                                               self.r_left.w - pad, self.r_stance.y - self.r_left.y - pad),
                               selectable=False)
        self.meters.pad = 1
        self.cache.clear()
        self._tip = None
        self.log_rows = [self._log_row(n) for n in self.log_notices]
        self._sync_tabs()
        self._refresh(force=True)
        self._sync_buttons()
        if self.popup is not None:
            # pop-ups are rebuilt from the state after a resize
            kind = self.popup_kind
            self.popup = None
            if kind.startswith("event:"):
                n = self._popup_notice
                self._event_popup(n)

    def _content_rect(self) -> pygame.Rect:
        top = self.tabs_bottom + self.pad // 2
        bottom = (self.r_detail.y - self.pad // 2) if self.tab in ("moves", "deal") else (self.r_actions.y - self.pad)
        return pygame.Rect(self.r_right.x + self.pad, top, self.r_right.w - 2 * self.pad, bottom - top)

    # --- tabs --------------------------------------------------------------------------------
    def set_tab(self, key: str, by_user: bool = True) -> None:
        if key == self.tab:
            return
        self.scrolls[self.tab] = self.content.scroll
        self.tab = key
        self.content.rect = self._content_rect()
        self.content.selected = set()
        self._sync_tabs()
        self._refresh_content(force=True)
        self.content.scroll = self.scrolls.get(key, 0)
        if key == "log":
            self.content.scroll_to_end()
        self.content._layout()

    def _sync_tabs(self) -> None:
        for k, b in self.tab_buttons.items():
            (b.select if k == self.tab else b.unselect)()

    # --- refreshing panels -------------------------------------------------------------------
    # Panels are refreshed lazily and within a budget of a few milliseconds a frame: after a move
    # the feed updates first, then the meters, then the open panel, each in its own frame if need
    # be, so no single frame stalls (the player sees them settle within a few hundredths of a second).
    BUDGET = 0.0035

    def _over_budget(self) -> bool:
        return time.perf_counter() - self._frame_t0 > self.BUDGET

    def _refresh(self, force: bool = False) -> None:
        self.stale = False
        for job in (self._refresh_feed, self._refresh_meters, self._move_infos_job, self._refresh_content):
            if not force and self._over_budget():
                self.stale = True
                return
            job(force)

    def _move_infos_job(self, force: bool = False) -> None:
        if self.tab == "moves":
            self._move_infos()

    def _refresh_meters(self, force: bool = False) -> None:
        key = ("meters", self.version, self.viewer, self.meters.rect.w)
        if not force and self.cache.get("meters") == key:
            return
        self.cache["meters"] = key
        self.meters.set_rows(self._meter_rows())
        self._stance_surf = None

    def _refresh_content(self, force: bool = False) -> None:
        tab = self.tab
        sel = (self.sel_move, tuple(self.terms))
        key = (tab, self.version, self.viewer, self.content.rect.w, sel if tab == "deal" else None,
               self._can_act() if tab == "moves" else None, len(self.log_rows) if tab == "log" else 0)
        if not force and self.cache.get("content") == key:
            return
        self.cache["content"] = key
        w = self.content.inner_width - 8
        st = self.state
        vi = self.sc.actor_index(self.viewer)
        at_end = self.content.scroll >= self.content.max_scroll - 4
        if tab == "moves":
            infos = self._move_infos()
            can = self._can_act()
            rows = panels.move_rows(self.theme, w, st, infos, self.viewer_idx if self.viewer_idx is not None else vi, can)
            self.content.multi = False
            self.content.set_rows(rows)
            self.content.selected = {self.sel_move} if self.sel_move else set()
        elif tab == "deal":
            table = self.match.deal_on_table()
            tc = self.cache.get("terms")
            if tc is None or tc[0] != (self.version, self.viewer):
                tc = ((self.version, self.viewer), {})
                self.cache["terms"] = tc
            rows = panels.term_rows(self.theme, w, st, vi, self.terms, self._can_deal(), self.sc.deal_max_terms,
                                    table, tc[1])
            self.content.multi = True
            self.content.set_rows(rows)
            self.content.selected = set(self.terms)
        elif tab == "programmes":
            self.content.set_rows(panels.programme_rows(self.theme, w, st, self.match.session.steps, vi))
        elif tab == "military":
            self.content.set_rows(panels.ladder_rows(self.theme, w, st, self.match.session.steps, vi, "military"))
        elif tab == "crimea":
            self.content.set_rows(panels.ladder_rows(self.theme, w, st, self.match.session.steps, vi, "crimea"))
        elif tab == "log":
            self.content.set_rows(list(self.log_rows) if self.log_rows else [self._empty_row(w, "Nothing yet.")])
            if at_end:
                self.content.scroll_to_end()
        elif tab == "sources":
            if "sources" not in self.cache or self.cache["sources"][0] != w:
                self.cache["sources"] = (w, panels.source_rows(self.theme, w, self.sc))
            self.content.set_rows(self.cache["sources"][1])

    def _empty_row(self, w: int, text: str) -> Row:
        r = Rich(self.theme)
        r.add(text, "faint")
        return Row("empty", r.render(w), header=True)

    def _refresh_feed(self, force: bool = False) -> None:
        key = ("feed", len(self.feed_notices), self.feed.rect.w, self.viewer)
        if not force and self.cache.get("feed") == key:
            return
        self.cache["feed"] = key
        w = self.feed.inner_width - 8
        rows = []
        for i, n in enumerate(self.feed_notices):
            r = Rich(self.theme)
            panels.notice_rich(r, self.theme, self.sc, n, self.viewer_idx, limit=3)
            acc = None
            if n.kind == "move" and n.actor in self.sc.players:
                acc = self.theme.side(self.sc.players.index(n.actor))
            elif n.kind == "event":
                acc = self.theme.c["warn"]
            def tip(n=n):
                return self._notice_tip(n)
            rows.append(Row(i, r.render(w), header=False, enabled=False, accent=acc, tooltip=tip))
        if not rows:
            rows = [self._empty_row(w, "Nothing has happened yet this turn.")]
        self.feed.set_rows(rows)
        self.feed.scroll_to_end()

    def _move_infos(self):
        key = ("infos", self.version, self.viewer)
        hit = self.cache.get("infos")
        if hit and hit[0] == key:
            return hit[1]
        infos = panels.move_infos(self.state, self.viewer)
        self.cache["infos"] = (key, infos)
        return infos

    # --- meters -------------------------------------------------------------------------------
    def _meter_rows(self) -> list[Row]:
        th = self.theme
        sc = self.sc
        st = self.state
        vi = self.sc.actor_index(self.viewer)
        v = view(st, self.viewer)
        recent = self.match.recent_changes(self.viewer)
        net = explain.aggregate(recent)
        w = self.meters.inner_width - 4
        order = []
        groups = [(self.viewer, sc.actor(self.viewer).name), (sc.players[1 - vi], sc.actor(sc.players[1 - vi]).name),
                  ("", "Shared")]
        if self.watch:
            groups = [(sc.players[0], sc.actor(sc.players[0]).name), (sc.players[1], sc.actor(sc.players[1]).name),
                      ("", "Shared")]
        rows = []
        small = th.fonts.role("small")
        bold = th.fonts.role("small_bold")
        lh = small.get_linesize()
        for owner, title in groups:
            ids = [mid for mid, m in sc.raw.meters.items() if (m.owner or "") == owner
                   and not (sc.lo[sc.slots[mid]] == 0 and sc.hi[sc.slots[mid]] == 1)]
            if not ids:
                continue
            h = Rich(th)
            col = th.side(sc.players.index(owner)) if owner in sc.players else th.c["dim"]
            h.add(title.upper(), col, "small_bold")
            if owner == self.viewer and not self.watch:
                h.add("  (yours)", "faint", "small")
            rows.append(Row(("h", owner), h.render(w), header=True))
            for mid in ids:
                order.append(mid)
                slot = sc.slots[mid]
                lo, hi = sc.lo[slot], sc.hi[slot]
                val = st.values[slot]
                surf = pygame.Surface((w, lh + 4), pygame.SRCALPHA)
                hidden = mid in v.estimates
                if hidden:
                    a, b = v.estimates[mid]
                    vtxt = f"≈{explain.fmt_num(a)}–{explain.fmt_num(b)}"
                else:
                    vtxt = explain.value_text(sc, mid, val)
                d = None
                if mid in net and not hidden:
                    b0, b1 = net[mid]
                    d = b1 - b0
                dcol = th.c["faint"]
                dtxt = ""
                if d is not None and abs(d) >= 0.05:
                    g = explain.good_for(sc, self.viewer_idx, mid, d)
                    dcol = th.c["good"] if g > 0 else th.c["bad"] if g < 0 else th.c["dim"]
                    dtxt = ("▲" if d > 0 else "▼") + explain.fmt_delta(d)
                dimg = th.fonts.render(small, dtxt, dcol) if dtxt else None
                dw = small.size("▲+10.0")[0]
                vimg = th.fonts.render(bold, vtxt, th.c["text"])
                name_w = w - dw - vimg.get_width() - 10
                nimg = th.fonts.render(small, ellipsize(small, sc.labels[slot], name_w), th.c["dim"])
                surf.blit(nimg, (0, 0))
                surf.blit(vimg, (w - dw - 6 - vimg.get_width(), 0))
                if dimg is not None:
                    surf.blit(dimg, (w - dimg.get_width(), 0))
                barcol = th.side(sc.players.index(owner)) if owner in sc.players else th.c["bar"]
                br = pygame.Rect(0, lh, w, 3)
                if hidden:
                    a, b = v.estimates[mid]
                    bar(surf, th, br, 0, barcol, band=((a - lo) / ((hi - lo) or 1), (b - lo) / ((hi - lo) or 1)))
                else:
                    bar(surf, th, br, (val - lo) / ((hi - lo) or 1), barcol)

                def tip(mid=mid, hidden=hidden):
                    return self._meter_tip(mid, hidden)
                rows.append(Row(mid, surf, header=False, enabled=False, tooltip=tip))
        return rows

    def _meter_tip(self, mid: str, hidden: bool) -> pygame.Surface:
        th = self.theme
        sc = self.sc
        m = sc.raw.meters[mid]
        slot = sc.slots[mid]
        st = self.state
        t = Rich(th)
        t.line(m.name, "text", "bold")
        if m.about:
            t.line(m.about, "dim", "small")
        t.gap(4)
        if hidden:
            a, b = view(st, self.viewer).estimates[mid]
            t.line(f"Hidden from you: your estimate is {explain.fmt_num(a)}–{explain.fmt_num(b)} "
                   f"(range {explain.fmt_num(sc.lo[slot])}–{explain.fmt_num(sc.hi[slot])}).", "warn", "small")
        else:
            t.line(f"Now {explain.value_text(sc, mid, st.values[slot])} (range {explain.fmt_num(sc.lo[slot])}–"
                   f"{explain.fmt_num(sc.hi[slot])})", "text", "small")
        if not self.watch:
            w_ = explain.weight(sc, self.sc.actor_index(self.viewer), mid)
            if w_:
                t.line(f"You want it {'higher' if w_ > 0 else 'lower'}.", "good", "small")
        if m.formula:
            t.line("Computed from: " + explain.humanise(sc, m.formula), "faint", "small")
        if not hidden:
            causes = explain.by_cause(self.match.recent_changes(self.viewer), mid)
            t.gap(4)
            label = "SINCE YOUR LAST MOVE" if not self.watch else "THIS TURN"
            if causes:
                t.line(label, "dim", "small_bold")
                for cause, d, turn in causes[-10:]:
                    g = explain.good_for(sc, self.viewer_idx, mid, d)
                    col = "good" if g > 0 else "bad" if g < 0 else "dim"
                    t.add(f"{explain.fmt_delta(d):>6}  ", col, "small_bold")
                    t.line("Drift (the month's trend)" if cause == "drift" else cause, "text", "small")
            else:
                t.line(f"{label}: no change", "faint", "small")
            if m.drift:
                t.gap(4)
                t.line("Each month it drifts by " + explain.humanise(sc, m.drift), "faint", "small")
        return t.render(th.body * 26)

    def _stance(self) -> pygame.Surface:
        if getattr(self, "_stance_surf", None) is not None:
            return self._stance_surf
        th = self.theme
        sc = self.sc
        st = self.state
        w = self.r_stance.w - 2 * self.pad
        surf = pygame.Surface((w, self.r_stance.h - self.pad), pygame.SRCALPHA)
        small = th.fonts.role("small")
        bold = th.fonts.role("small_bold")
        y = 0
        if self.watch:
            surf.blit(th.fonts.render(bold, "SCORES NOW (0–100)", th.c["dim"]), (0, y))
            y += bold.get_linesize() + 2
            for i, p in enumerate(sc.players):
                u = utility(sc, st.values, i)
                surf.blit(th.fonts.render(small, f"{sc.actor(p).name}  {explain.fmt_num(u)}", th.side(i)), (0, y))
                y += small.get_linesize()
                bar(surf, th, pygame.Rect(0, y, w, 6), u / 100, th.side(i))
                y += 10
        else:
            vi = sc.actor_index(self.viewer)
            other = sc.players[1 - vi]
            lo, hi = explain.stance(st, self.viewer)
            head = ellipsize(bold, f"{sc.actor(other).name.upper()}'S MOOD (ESTIMATE)", w)
            surf.blit(th.fonts.render(bold, head, th.side(1 - vi)), (0, y))
            y += bold.get_linesize() + 1
            surf.blit(th.fonts.render(small, f"≈{round(lo)}–{round(hi)} of 100 · "
                                             f"{'content' if lo > 55 else 'uneasy' if hi < 45 else 'watchful'}",
                                      th.c["text"]), (0, y))
            y += small.get_linesize()
            bar(surf, th, pygame.Rect(0, y, w, 7), 0, th.side(1 - vi), band=(lo / 100, hi / 100))
            y += 12
            u = utility(sc, st.values, vi)
            surf.blit(th.fonts.render(bold, "YOUR STANDING", th.side(vi)), (0, y))
            t = th.fonts.render(small, f"{round(u)} of 100", th.c["text"])
            surf.blit(t, (w - t.get_width(), y))
            y += bold.get_linesize() + 1
            bar(surf, th, pygame.Rect(0, y, w, 7), u / 100, th.side(vi))
        self._stance_surf = surf
        return surf

    # --- presentation -------------------------------------------------------------------------
    def busy(self) -> bool:
        return (self.stale or self.current is not None or bool(self.queue) or self.match.thinking
                or self.match.computer_to_move() or (self.map is not None and self.map.animating(self.now))
                or (self.popup is not None and self.popup_auto_until > 0)
                or (self.match.over and not self.finished))

    def update(self, dt: float) -> None:
        self._frame_t0 = time.perf_counter()
        self.now = self.app.now() - self.clock0
        m = self.match
        while m.notices:
            self.queue.append(m.notices.popleft())
        if self.popup is not None and self.popup_auto_until and self.now >= self.popup_auto_until:
            p = self.popup
            self.popup = None
            self.popup_auto_until = 0.0
            p.close()
        if self.popup is None:
            if self.current is not None and (self.now >= self.current_until or self.skip_all):
                self.current = None
            while self.current is None and self.queue and self.popup is None:
                self._present(self.queue.popleft())
        if not self.queue and self.current is None:
            self.skip_all = False
        idle = self.popup is None and self.current is None and not self.queue
        if idle:
            if m.over:
                if not self.finished:
                    self._finish()
                    return
            elif m.human_to_move():
                self._human_turn()
            elif m.computer_to_move():
                m.poll()
            elif m.replay is not None and m.replay_done and not m.over:
                self._replay_ended()
        self._phase_changed()
        self._refresh()
        self._sync_buttons()

    def _speed(self) -> float:
        s = self.app.settings.announce_seconds
        if self.skip_all:
            return 0.0
        return s

    def _present(self, n: Notice) -> None:
        sc = self.sc
        if n.kind == "turn":
            self.feed_notices = []
            self.map.clear_lights()
            self._log(n)
            if self.last_saved_turn != n.turn:
                self.last_saved_turn = n.turn
                self.autosave()
            d = self._speed() * 0.45
            if d > 0 and (self.watch or not self.match.human_to_move() or True):
                self._banner(n, d)
            return
        if n.kind == "ending":
            self._log(n)
            return
        self.feed_notices.append(n)
        self._log(n)
        for p in n.places:
            self.map.light(p, self.now, n.title)
        if n.kind == "event":
            ev = sc.event_by_id.get(n.ref)
            if ev is not None and not self.skip_all or self._human_must_choose(n.ref):
                self._event_popup(n)
            return
        if n.kind == "move" and n.human:
            return
        d = self._speed()
        if d > 0:
            self._banner(n, d)

    def _banner(self, n: Notice, seconds: float) -> None:
        self.current = n
        self.current_start = self.now
        self.current_until = self.now + seconds
        self.cache.pop("banner", None)

    def _log(self, n: Notice) -> None:
        self.log_notices.append(n)
        self.log_rows.append(self._log_row(n))

    def _log_row(self, n: Notice) -> Row:
        th = self.theme
        w = self.content.inner_width - 8 if self.built and hasattr(self, "content") else th.body * 30
        r = Rich(th)
        if n.kind == "turn":
            r.add(n.title.upper(), "accent", "small_bold")
            return Row(("t", n.turn, len(self.log_notices)), r.render(w), header=True)
        panels.notice_rich(r, th, self.sc, n, self.viewer_idx)
        acc = th.side(self.sc.players.index(n.actor)) if n.actor in self.sc.players else th.c["warn"]

        def tip(n=n):
            return self._notice_tip(n)
        return Row(("n", len(self.log_notices)), r.render(w), enabled=False, accent=acc, tooltip=tip)

    def _notice_tip(self, n: Notice) -> pygame.Surface:
        th = self.theme
        sc = self.sc
        t = Rich(th)
        t.line(n.title, "text", "bold")
        if n.text:
            t.line(n.text, "dim", "small")
        if n.changes:
            t.gap(4)
            panels.add_changes(t, sc, n.changes, self.viewer_idx)
            t.br()
        src = None
        if n.kind == "event":
            ev = sc.event_by_id.get(n.ref)
            src = ev.source if ev else None
        elif n.kind == "move" and n.ref in sc.move_by_id:
            src = sc.move_by_id[n.ref].source
        if src is not None:
            t.gap(4)
            panels.add_source(t, sc, src)
        return t.render(th.body * 26)

    def _human_must_choose(self, event_id: str) -> bool:
        ev = self.match.pending_choice_event()
        return ev is not None and ev.id == event_id and self.match.human_to_move()

    # --- pop-ups -------------------------------------------------------------------------------
    def _open(self, popup: Popup, kind: str, auto: float = 0.0) -> None:
        self.popup = popup
        self.popup_kind = kind
        self.popup_auto_until = (self.now + auto) if auto > 0 else 0.0

    def _event_popup(self, n: Notice) -> None:
        th = self.theme
        sc = self.sc
        ev = sc.event_by_id[n.ref]
        self._popup_notice = n
        choose = self._human_must_choose(ev.id)
        r = Rich(th)
        r.line(ev.title, "accent", "big")
        r.line(f"{sc.date_label(n.turn)} · turn {n.turn}", "faint", "small")
        r.gap(th.body // 2)
        r.line(ev.text, "text")
        r.gap(th.body // 2)
        if n.changes:
            r.add("What it did: ", "text", "small_bold")
            panels.add_changes(r, sc, n.changes, self.viewer_idx)
            r.br()
        buttons = []
        if ev.choices:
            r.gap(th.body // 2)
            who = sc.actor(ev.actor).name
            st = self.state
            if choose:
                r.line("YOUR RESPONSE", "dim", "small_bold")
                for i, ch in enumerate(ev.choices):
                    mv = Move("choose", sc.players[ev.actor], ch.id)
                    proj = explain.project(st, mv)
                    if not proj.ok:
                        continue
                    r.add(f"{i + 1}. {ch.label}: ", "text", "small_bold")
                    if ch.text:
                        r.add(ch.text + " ", "dim", "small")
                    panels.add_changes(r, sc, proj.changes, self.viewer_idx)
                    r.br()
                    buttons.append((ch.id, f"{i + 1} · {ch.label}", None,
                                    explain.changes_text(sc, proj.changes)))
            else:
                r.line(f"{who} must respond.", "dim", "small")
        r.gap(th.body // 2)
        r.rule()
        panels.add_source(r, sc, ev.source)
        doc = explain.document_line(sc)
        if doc and ev.source is not None and ev.source.para is not None:
            r.br()
            r.add(doc, "faint", "small")
        if not buttons:
            buttons = [("ok", "Continue", "@primary", "Enter")]

        def on_choice(key, ev=ev, choose=choose):
            self.popup = None
            if choose and key != "ok":
                self._submit(Move("choose", sc.players[ev.actor], key))
        auto = 0.0
        if self.watch:
            auto = max(0.8, self._speed() * 1.6) if self._speed() > 0 else 0.05
        p = Popup(self, "Event", r, buttons, on_choice, default="ok" if not choose else None,
                  vertical=choose and len(buttons) > 1)
        self._open(p, "event:" + ev.id, auto)

    def _standoff_popup(self) -> None:
        th = self.theme
        sc = self.sc
        st = self.state
        so = sc.standoffs[st.standoff]
        me = st.actor_id
        r = Rich(th)
        r.line(so.name, "accent", "big")
        r.line(f"Round {st.standoff_round} of {so.rounds} · tension now "
               f"{explain.fmt_num(st.values[so.tension])}", "faint", "small")
        r.gap(th.body // 2)
        if so.text:
            r.line(so.text, "text")
            r.gap(th.body // 2)
        vi = self.viewer_idx
        if st.phase == STANDOFF:
            opts = [("concede", "Give way"), ("stand_firm", "Stand firm")]
            notes = {"stand_firm": f"{sc.actor(so.by).name} then presses or backs down."}
        else:
            opts = [("press", "Press the demand"), ("back_down", "Back down")]
            notes = {"press": "Risk: " + (explain.humanise(sc, sc.raw.standoffs[so.index].rupture) +
                                         " means a rupture" if sc.raw.standoffs[so.index].rupture else "none"),
                     "back_down": "Backing down late costs more (audience costs)."}
        buttons = []
        for i, (kind, lab) in enumerate(opts):
            proj = explain.project(st, Move(kind, me))
            r.add(f"{i + 1}. {lab}: ", "text", "small_bold")
            panels.add_changes(r, sc, proj.changes, vi, empty="nothing at once")
            if kind in notes:
                r.add(" — " + notes[kind], "faint", "small")
            r.br()
            buttons.append((kind, f"{i + 1} · {lab}", "@primary" if i == 0 else None,
                            explain.changes_text(sc, proj.changes)))
        r.gap(th.body // 2)
        r.rule()
        panels.add_source(r, sc, so.source)

        def on_choice(key):
            self.popup = None
            self._submit(Move(key, me))
        self._open(Popup(self, "Standoff", r, buttons, on_choice), "standoff")

    def _curtain(self, actor: str) -> None:
        th = self.theme
        sc = self.sc
        i = sc.actor_index(actor)
        r = Rich(th)
        r.line(f"{sc.actor(actor).name} to play", th.side(i), "big")
        r.line("Hot-seat: hand the computer to the other player. What each side sees of the other's "
               "hidden meters differs, so the board is hidden until they are ready.", "dim", "small")

        def on_choice(key, actor=actor):
            self.popup = None
            self.viewer_shown = actor
            self.cache.clear()
        self._open(Popup(self, "Next player", r, [("go", f"I am {sc.actor(actor).name} ▸", "@primary", "Enter")],
                         on_choice, default="go", opaque=True), "curtain")

    def _human_turn(self) -> None:
        st = self.state
        actor = st.actor_id
        if len(self.match.humans) > 1 and actor != self.viewer_shown:
            self._curtain(actor)
            return
        if self.viewer_shown is None:
            self.viewer_shown = actor
        if st.phase == CHOOSE and self.popup is None:
            ev = self.sc.events[st.pending_event]
            n = Notice("event", None, ev.title, ev.text, (), ev.id, st.turn)
            self._event_popup(n)
        elif st.phase in (STANDOFF, STANDOFF_PRESS) and self.popup is None:
            self._standoff_popup()

    def _phase_changed(self) -> None:
        st = self.state
        key = (st.turn, st.phase, st.actor, self.version if st.phase in (ANSWER, ANSWER_COUNTER) else 0)
        if key == self.phase_key:
            return
        self.phase_key = key
        if not self.match.human_to_move():
            if self.watch:
                if st.phase in (PROPOSE, ANSWER, ANSWER_COUNTER) and self.tab == "moves":
                    pass
            return
        if st.actor_id != self.viewer and len(self.match.humans) > 1:
            return
        if st.phase in (PROPOSE, ANSWER, ANSWER_COUNTER):
            self.terms = list(self.match.deal_on_table()) if st.phase != PROPOSE else []
            self.set_tab("deal", by_user=False)
        elif st.phase == ACT:
            self.sel_move = None
            self.set_tab("moves", by_user=False)
        self.cache.pop("content", None)

    # --- decisions ---------------------------------------------------------------------------------
    def _can_act(self) -> bool:
        st = self.state
        return self.match.human_to_move() and st.phase == ACT and st.actor_id == self.viewer

    def _can_deal(self) -> bool:
        st = self.state
        return self.match.human_to_move() and st.phase in (PROPOSE, ANSWER) and st.actor_id == self.viewer

    def _submit(self, move: Move) -> None:
        try:
            self.match.submit(move)
        except IllegalMove as exc:
            self.app.toast(str(exc), 3.5)
            return
        if move.kind in ("unilateral", "pass"):
            self.sel_move = None
        if move.kind in ("propose", "counter", "accept", "reject", "no_deal"):
            self.terms = []
        self.cache.pop("content", None)
        self.app.poke()

    def primary(self) -> None:
        m = self.match
        st = self.state
        if m.over:
            if not self.finished and not self.queue and self.current is None:
                self._finish()
            return
        if not m.human_to_move():
            self.skip()
            return
        me = st.actor_id
        if st.phase == ACT:
            if self.sel_move:
                self._submit(Move("unilateral", me, self.sel_move))
            else:
                self._submit(Move("pass", me))
        elif st.phase == PROPOSE:
            if self.terms:
                self._submit(Move("propose", me, terms=tuple(self.terms)))
            else:
                self._submit(Move("no_deal", me))
        elif st.phase in (ANSWER, ANSWER_COUNTER):
            self._submit(Move("accept", me))
        elif self.popup is None:
            self._human_turn()

    def second(self) -> None:
        m = self.match
        st = self.state
        if not m.human_to_move():
            self.skip(all_=True)
            return
        me = st.actor_id
        if st.phase == ACT:
            self.sel_move = None
        elif st.phase == PROPOSE:
            self.terms = []
        elif st.phase in (ANSWER, ANSWER_COUNTER):
            self._submit(Move("reject", me))

    def third(self) -> None:
        st = self.state
        if self.match.human_to_move() and st.phase == ANSWER and self.terms:
            self._submit(Move("counter", st.actor_id, terms=tuple(self.terms)))

    def skip(self, all_: bool = False) -> None:
        if self.current is not None:
            self.current = None
        if all_:
            self.skip_all = True

    def _sync_buttons(self) -> None:
        st = self.state
        m = self.match
        sc = self.sc
        texts: dict = {}
        if m.over:
            texts = {"p": ("See the outcome ▸", True), "s": None, "t": None}
        elif m.human_to_move() and (len(m.humans) < 2 or st.actor_id == self.viewer_shown):
            ph = st.phase
            if ph == ACT:
                if self.sel_move:
                    name = sc.move_by_id[self.sel_move].name
                    texts = {"p": ("Take: " + name, True), "s": ("Clear", True), "t": None}
                else:
                    texts = {"p": ("End turn ⏎", True), "s": None, "t": None}
            elif ph == PROPOSE:
                if self.terms:
                    texts = {"p": (f"Propose deal ({len(self.terms)}) ⏎", True), "s": ("Clear", True), "t": None}
                else:
                    texts = {"p": ("Skip the deal ⏎", True), "s": None, "t": None}
            elif ph == ANSWER:
                table = set(m.deal_on_table())
                counter_ok = bool(self.terms) and set(self.terms) != table
                texts = {"p": ("Accept ⏎", True), "s": ("Reject", True), "t": ("Counter", counter_ok)}
            elif ph == ANSWER_COUNTER:
                texts = {"p": ("Accept ⏎", True), "s": ("Reject", True), "t": None}
            else:
                texts = {"p": ("Respond ⏎", True), "s": None, "t": None}
        else:
            who = sc.actor(st.actor).name if st.actor >= 0 else ""
            if m.replay is not None and m.replay_done:
                texts = {"p": ("Replay finished", False), "s": None, "t": None}
            else:
                texts = {"p": (f"{who} is thinking…" if m.thinking else f"{who} to move", False),
                         "s": ("Skip ▸▸", self.current is not None or bool(self.queue)), "t": None}
        for key, btn in (("p", self.btn_primary), ("s", self.btn_second), ("t", self.btn_third)):
            want = texts.get(key)
            if self._btn_text.get(key) == want:
                continue
            self._btn_text[key] = want
            if want is None:
                btn.hide()
                continue
            text, enabled = want
            btn.set_text(fit_label(self.theme, text, btn.rect.w, "bold" if key == "p" else "body"))
            btn.show()
            (btn.enable if enabled else btn.disable)()

    def _finish(self) -> None:
        from game.ui.screens.end import EndScreen

        self.finished = True
        self.autosave()
        self.app.replace(EndScreen(self.app, self.match, self.side, self.difficulty))

    def _replay_ended(self) -> None:
        if self.popup is None:
            r = Rich(self.theme)
            r.line("The recorded game stops here.", "text")

            def on_choice(key):
                self.popup = None
                from game.ui.screens.title import TitleScreen
                self.app.replace(TitleScreen(self.app))
            self._open(Popup(self, "Replay", r, [("title", "Back to the title", "@primary")], on_choice,
                             default="title"), "replay")

    # --- menu and saving -----------------------------------------------------------------------
    def open_menu(self) -> None:
        if self.popup is not None:
            return
        items = [("resume", "Resume", "@primary", "Esc"), ("save", "Save game…", None, "Ctrl+S saves at once"),
                 ("load", "Load game…", None, None), ("settings", "Settings…", None, None),
                 ("help", "How to play", None, "F1"), ("title", "Quit to the title screen", None,
                                                       "The game is saved automatically"),
                 ("quit", "Quit Union State", None, "The game is saved automatically")]
        if self.watch or self.match.replay is not None:
            items = [i for i in items if i[0] != "save"]
        r = Rich(self.theme)
        r.line(f"{self.sc.title} · turn {self.state.turn} of {self.sc.turns}", "dim", "small")

        def on_choice(key):
            self.popup = None
            if key == "save":
                self.save_dialog()
            elif key == "load":
                from game.ui.screens.saves import SavesScreen
                self.app.push(SavesScreen(self.app, "load"))
            elif key == "settings":
                from game.ui.screens.settings import SettingsScreen
                self.app.push(SettingsScreen(self.app))
            elif key == "help":
                from game.ui.screens.help import HelpScreen
                self.app.push(HelpScreen(self.app))
            elif key == "title":
                self.autosave(sync=True)
                from game.ui.screens.title import TitleScreen
                self.app.replace(TitleScreen(self.app))
            elif key == "quit":
                self.app.quit()
        self._open(Popup(self, "Menu", r, items, on_choice, width=self.theme.body * 24, cancel="resume",
                         vertical=True), "menu")

    def save_dialog(self) -> None:
        th = self.theme
        default = self.slot or f"{self.sc.id}-turn{self.state.turn}"
        holder: dict = {}

        def extra(popup, cont, pad, y, inner):
            e = UITextEntryLine(pygame.Rect(pad, y, inner, round(th.body * 2.3)), self.manager, container=cont)
            e.set_text(default)
            e.focus()
            holder["entry"] = e
        r = Rich(th)
        r.line("Name this save:", "text", "small")
        r.add(f"Saves are kept in {storage.saves_dir()}", "faint", "small")

        def on_choice(key):
            self.popup = None
            if key == "save":
                name = holder["entry"].get_text() if "entry" in holder else default
                self.save_as(name)
        p = Popup(self, "Save game", r, [("cancel", "Cancel", None, "Esc"), ("save", "Save", "@primary", "Enter")],
                  on_choice, width=th.body * 32, default="save", cancel="cancel",
                  extra=(round(th.body * 2.3), extra))
        self._open(p, "save")

    def save_as(self, name: str) -> None:
        if self.watch or self.match.replay is not None:
            self.app.toast("Only games you play can be saved")
            return
        slot = storage.slot_name(name)
        path = storage.saves_dir() / f"{slot}.json"
        try:
            storage.save_now(self.match.session, path, storage.meta_for(self.match.session, self.side,
                                                                         self.difficulty))
        except OSError as exc:
            self.app.toast(f"Could not save: {exc.strerror or exc}", 4)
            return
        self.slot = slot
        self.app.toast(f"Saved as ‘{slot}’")

    # --- input -----------------------------------------------------------------------------------
    def handle(self, event) -> None:
        if (event.type == pygame.KEYDOWN and event.key == pygame.K_s and event.mod & pygame.KMOD_CTRL
                and self.popup_kind != "save"):
            self.save_as(self.slot or "quicksave")
            return
        if self.popup is not None:
            if self.popup.handle(event):
                return
            if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE and self.popup_kind.startswith("event"):
                return
            if event.type in (pygame.KEYDOWN, pygame.MOUSEBUTTONDOWN, pygame_gui.UI_BUTTON_PRESSED):
                return
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            el = event.ui_element
            if el is self.btn_primary:
                self.primary()
            elif el is self.btn_second:
                self.second()
            elif el is self.btn_third:
                self.third()
            elif el is self.btn_menu:
                self.open_menu()
            elif el is self.btn_help:
                from game.ui.screens.help import HelpScreen
                self.app.push(HelpScreen(self.app))
            else:
                for k, b in self.tab_buttons.items():
                    if el is b:
                        self.set_tab(k)
            return
        if event.type == pygame.KEYDOWN:
            self._key(event)
            return
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.current is not None \
                and self.banner_rect.collidepoint(event.pos):
            self.skip()
            return
        key = self.content.handle(event)
        if key is not None:
            self._clicked(key)
        self.feed.handle(event)
        self.meters.handle(event)

    def _clicked(self, key) -> None:
        if self.tab == "moves" and isinstance(key, str):
            if not self._can_act():
                self.app.toast("Moves come after diplomacy, on your turn", 2.0)
            self.sel_move = None if self.sel_move == key else key
        elif self.tab == "deal" and isinstance(key, str):
            if key in self.terms:
                self.terms.remove(key)
            elif len(self.terms) < self.sc.deal_max_terms:
                self.terms.append(key)
        self.cache.pop("content", None)

    def _key(self, event) -> None:
        k = event.key
        mods = event.mod
        if k == pygame.K_ESCAPE:
            self.open_menu()
        elif k in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.primary()
        elif k == pygame.K_SPACE:
            self.skip()
        elif k == pygame.K_s and mods & pygame.KMOD_CTRL:
            self.save_as(self.slot or "quicksave")
        elif k == pygame.K_F1:
            from game.ui.screens.help import HelpScreen
            self.app.push(HelpScreen(self.app))
        elif k == pygame.K_TAB:
            keys = [t for t, _ in TABS]
            i = keys.index(self.tab)
            i = (i - 1) % len(keys) if mods & pygame.KMOD_SHIFT else (i + 1) % len(keys)
            self.set_tab(keys[i])
        elif pygame.K_1 <= k <= pygame.K_9 or pygame.K_KP1 <= k <= pygame.K_KP9:
            n = (k - pygame.K_1) if k <= pygame.K_9 else (k - pygame.K_KP1)
            if self.tab == "moves":
                infos = [i for i in self._move_infos() if i.enabled]
                if n < len(infos):
                    self._clicked(infos[n].move.ref)
                    self.content.ensure_visible(next((j for j, r in enumerate(self.content.rows)
                                                      if r.key == infos[n].move.ref), 0))
            elif self.tab == "deal" and self._can_deal():
                keys = [r.key for r in self.content.rows if not r.header and r.enabled]
                if n < len(keys):
                    self._clicked(keys[n])
        elif k in (pygame.K_DOWN, pygame.K_UP, pygame.K_PAGEDOWN, pygame.K_PAGEUP):
            step = {pygame.K_DOWN: 1, pygame.K_UP: -1, pygame.K_PAGEDOWN: 8, pygame.K_PAGEUP: -8}[k]
            self.content.scroll = max(0, min(self.content.max_scroll, self.content.scroll + step * self.theme.body * 2))

    # --- drawing --------------------------------------------------------------------------------
    def draw(self, surf) -> None:
        th = self.theme
        c = th.c
        self._draw_top(surf)
        panel(surf, th, self.r_left)
        self.meters.draw(surf)
        pygame.draw.line(surf, c["border"], (self.r_stance.x, self.r_stance.y - self.pad // 2),
                         (self.r_stance.right, self.r_stance.y - self.pad // 2))
        surf.blit(self._stance(), (self.r_stance.x + self.pad // 2, self.r_stance.y + 2))
        self.map.draw(surf, self.now)
        pygame.draw.rect(surf, c["border"], self.r_map, 1)
        panel(surf, th, self.r_feed)
        title = th.fonts.render(th.fonts.role("small_bold"),
                                f"THIS TURN · {self.sc.date_label(self.state.turn).upper()}", c["dim"])
        surf.blit(title, (self.r_feed.x + self.pad, self.r_feed.y + round(th.body * 0.45)))
        self.feed.draw(surf)
        panel(surf, th, self.r_right)
        self.content.draw(surf)
        if self.tab in ("moves", "deal"):
            self._draw_detail(surf)
        if self.current is not None:
            self._draw_banner(surf)

    def _draw_top(self, surf) -> None:
        th = self.theme
        c = th.c
        st = self.state
        sc = self.sc
        pygame.draw.rect(surf, c["panel"], self.r_top)
        pygame.draw.line(surf, c["border"], (0, self.r_top.bottom - 1), (self.r_top.w, self.r_top.bottom - 1))
        pad = self.pad
        f_b = th.fonts.role("bold")
        f_s = th.fonts.role("small")
        t1 = th.fonts.render(f_b, sc.title, c["accent"])
        surf.blit(t1, (pad * 2, self.r_top.centery - t1.get_height() + 1))
        turn_txt = f"Turn {min(st.turn, sc.turns)} of {sc.turns} · {sc.date_label(st.turn)}"
        t2 = th.fonts.render(f_s, turn_txt, c["dim"])
        surf.blit(t2, (pad * 2, self.r_top.centery + 2))
        left_end = pad * 2 + max(t1.get_width(), t2.get_width()) + pad * 2
        # initiative chip
        ini = st.initiative
        chip_txt = f"Initiative: {sc.actor(ini).name}"
        chip = th.fonts.render(th.fonts.role("small_bold"), chip_txt, c["accent_text"] if not th.high_contrast else c["bg"])
        cr = chip.get_rect()
        cr.inflate_ip(th.body, th.body // 2)
        right_end = self.btn_menu.rect.x - pad
        cr.midright = (right_end, self.r_top.centery)
        pygame.draw.rect(surf, th.side(ini), cr, border_radius=cr.h // 2)
        surf.blit(chip, chip.get_rect(center=cr.center))
        # the prompt
        m = self.match
        human = m.human_to_move()
        if self.watch and m.replay is not None:
            prefix = "Replay · "
        elif self.watch:
            prefix = "Watching · "
        else:
            prefix = ""
        if m.over:
            prompt = "The game is over"
        else:
            prompt = prefix + explain.phase_prompt(st, human)
            if human and len(m.humans) > 1:
                prompt = f"{sc.actor(st.actor).name}: " + prompt
        avail = cr.x - left_end - pad * 2
        f_h = th.fonts.role("heading")
        spin = m.thinking or (m.computer_to_move() and not m.over)
        ptxt = ellipsize(f_h, prompt + ("…" if spin and not prompt.endswith("…") else ""), avail - (th.body * 2 if spin else 0))
        pimg = th.fonts.render(f_h, ptxt, c["text"] if human else c["dim"])
        px = left_end + (avail - pimg.get_width()) // 2 + (th.body if spin else 0)
        surf.blit(pimg, (px, self.r_top.centery - pimg.get_height() // 2))
        if spin:
            spinner(surf, th, (px - th.body, self.r_top.centery), max(5, th.body // 2), self.now)

    def _draw_detail(self, surf) -> None:
        th = self.theme
        r = self.r_detail
        key = (self.tab, self.version, self.sel_move, tuple(self.terms), r.size, self.viewer)
        hit = self.cache.get("detail")
        if not hit or hit[0] != key:
            if hit and self._over_budget():
                self.stale = True  # show the old text one more frame
            else:
                hit = (key, self._detail_surface(r.w - 2 * self.pad))
                self.cache["detail"] = hit
        pygame.draw.rect(surf, th.c["panel_alt"], r, border_radius=4)
        pygame.draw.rect(surf, th.c["border"], r, 1, border_radius=4)
        clip = surf.get_clip()
        surf.set_clip(r.inflate(-4, -4))
        surf.blit(hit[1], (r.x + self.pad, r.y + self.pad // 2 + 2))
        surf.set_clip(clip)

    def _detail_surface(self, w: int) -> pygame.Surface:
        th = self.theme
        sc = self.sc
        st = self.state
        r = Rich(th)
        vi = self.sc.actor_index(self.viewer)
        me = self.viewer
        if self.tab == "moves":
            if self.sel_move and self.sel_move in sc.move_by_id:
                mv = sc.move_by_id[self.sel_move]
                info = next((i for i in self._move_infos() if i.move.ref == self.sel_move), None)
                r.line(mv.name, "text", "bold")
                if mv.text:
                    r.line(mv.text, "dim", "small")
                if info is not None and info.enabled:
                    r.add("Effects: ", "text", "small_bold")
                    panels.add_changes(r, sc, info.projection.changes, self.viewer_idx)
                    r.br()
                panels.add_source(r, sc, mv.source)
            else:
                if self._can_act():
                    r.line("Pick one move (click it, or press its number), then take it with Enter — "
                           "or end the turn without one.", "dim", "small")
                else:
                    r.line("Moves come after diplomacy. You can look at what each would do: its effects "
                           "are on its second line; hover for the full text and source.", "dim", "small")
                r.gap(4)
                r.line("Greyed moves say why they are not possible now.", "faint", "small")
        else:  # deal
            table = self.match.deal_on_table()
            ph = st.phase
            other = sc.players[1 - vi]
            oname = sc.actor(other).name
            if ph in (ANSWER, ANSWER_COUNTER) and table:
                who = sc.actor(st.actor_id).name if st.actor_id else ""
                proposer = sc.players[1 - st.actor] if st.actor >= 0 else other
                r.add(f"{sc.actor(proposer).name} proposes: ", th.side(sc.actor_index(proposer)), "small_bold")
                r.line("; ".join(sc.term_by_id[t].name for t in table), "text", "small")
                if st.actor_id == me and self.match.human_to_move():
                    proj = explain.project(st, Move("accept", me))
                    r.add("Accepting would: ", "text", "small_bold")
                    panels.add_changes(r, sc, proj.changes, self.viewer_idx)
                    r.br()
                    du = utility(sc, proj.step.state.values, vi) - utility(sc, st.values, vi) if proj.step else 0
                    r.line(f"Your standing {explain.fmt_delta(du)}", "good" if du > 0 else "bad" if du < 0 else "dim",
                           "small_bold")
                    if ph == ANSWER:
                        r.line("Or change the selection and send it back as a counter-offer.", "faint", "small")
                else:
                    r.line(f"Waiting for {who}.", "dim", "small")
            elif self.terms:
                mv = Move("propose" if ph != ANSWER else "counter", me, terms=tuple(self.terms))
                base = st if (self._can_deal()) else panels.preview_state(st, vi, "propose")
                if mv.kind == "propose" and base.phase != PROPOSE:
                    base = panels.preview_state(st, vi, "propose")
                proj = explain.project(base, mv)
                r.add(f"On the table: {len(self.terms)} of {sc.deal_max_terms} terms. ", "text", "small_bold")
                if proj.ok:
                    r.add("If accepted: ", "text", "small_bold")
                    panels.add_changes(r, sc, proj.changes, self.viewer_idx)
                    r.br()
                    du = (utility(sc, proj.step.state.values, vi) - utility(sc, st.values, vi)) if proj.step else 0
                    p = explain.accept_chance(base, mv)
                    r.add(f"Your standing {explain.fmt_delta(du)}   ", "good" if du > 0 else "bad" if du < 0 else "dim",
                          "small_bold")
                    if p is not None:
                        r.add(f"{oname} would accept: ", "text", "small_bold")
                        r.add(f"{explain.chance_words(p)} (≈{round(p * 100)}%)",
                              "good" if p >= 0.6 else "bad" if p < 0.4 else "warn", "small_bold")
                    r.br()
                    r.line("The estimate reads their goals from what you can see of the board.", "faint", "small")
                else:
                    r.line(proj.error, "bad", "small")
            else:
                if self._can_deal():
                    r.line(f"Pick terms from both columns (up to {sc.deal_max_terms}): what {oname} gives and "
                           "what you give. Each term shows what it would do if accepted.", "dim", "small")
                    r.gap(4)
                    r.line("Then propose it, or skip diplomacy this turn.", "faint", "small")
                else:
                    r.line("Deals are tabled by the side with the initiative at the start of its turn.", "dim", "small")
                    log = st.deal_log[-3:]
                    if log:
                        r.gap(4)
                        r.line("Recent deals: " + ", ".join(f"turn {t} {o}" for t, o in log), "faint", "small")
        return r.render(w)

    def _draw_banner(self, surf) -> None:
        th = self.theme
        n = self.current
        sc = self.sc
        w = self.r_map.w - 2 * self.pad
        hit = self.cache.get("banner")
        if not hit or hit[0] is not n or hit[1] != w:
            r = Rich(th)
            if n.kind == "turn":
                r.line(n.title, "accent", "big")
            else:
                if n.kind == "move" and n.actor in sc.players:
                    i = sc.players.index(n.actor)
                    r.line(sc.actor(n.actor).name.upper(), th.side(i), "small_bold")
                    title = n.title[len(sc.actor(n.actor).name):].lstrip(": ").strip()
                    r.line(title[:1].upper() + title[1:], "text", "heading")
                else:
                    r.line(n.title, "text", "heading")
                if n.text:
                    r.line(n.text, "dim", "small")
                if n.changes:
                    panels.add_changes(r, sc, n.changes, self.viewer_idx)
            hit = (n, w, r.render(w - 2 * self.pad))
            self.cache["banner"] = hit
        content = hit[2]
        h = content.get_height() + 2 * self.pad + 6
        rect = pygame.Rect(self.r_map.x + self.pad, self.r_map.bottom - self.pad - h, w, h)
        if n.kind == "turn":
            rect.center = self.r_map.center
        self.banner_rect = rect
        box = pygame.Surface(rect.size, pygame.SRCALPHA)
        box.fill(th.c["tooltip"])
        surf.blit(box, rect)
        col = th.side(sc.players.index(n.actor)) if n.actor in sc.players else th.c["accent"]
        pygame.draw.rect(surf, col, rect, 2, border_radius=6)
        surf.blit(content, (rect.x + self.pad, rect.y + self.pad))
        total = max(0.01, self.current_until - self.current_start)
        frac = max(0.0, min(1.0, (self.current_until - self.now) / total))
        pygame.draw.rect(surf, col, (rect.x + 2, rect.bottom - 5, int((rect.w - 4) * frac), 3))
        hint = th.fonts.render(th.fonts.get(max(9, th.small - 1)), "click or Space to skip", th.c["faint"])
        surf.blit(hint, (rect.right - hint.get_width() - self.pad, rect.y + 4))

    def draw_over(self, surf) -> None:
        if self.popup is not None:
            return
        if self.manager.get_hovering_any_element():
            return
        pos = pygame.mouse.get_pos()
        for name, lv in (("content", self.content), ("meters", self.meters), ("feed", self.feed)):
            if lv.rect.collidepoint(pos):
                i = lv.index_at(pos)
                if i < 0 or lv.rows[i].tooltip is None:
                    return
                key = (name, self.tab, lv.rows[i].key, self.version, self.viewer)
                if self._tip is None or self._tip[0] != key:
                    self._tip = (key, lv.rows[i].tooltip())
                draw_tooltip(surf, self.theme, self._tip[1], pos)
                return
        if self.map.rect.collidepoint(pos):
            pid = self.map.place_at(pos)
            if pid is not None:
                name = self.map.places[pid][0]
                r = Rich(self.theme)
                r.line(name, "text", "bold")
                for t in self.map.lit_text.get(pid, [])[-4:]:
                    r.line(t, "accent", "small")
                if not self.map.lit_text.get(pid):
                    r.line("Nothing here this turn.", "faint", "small")
                draw_tooltip(surf, self.theme, r.render(self.theme.body * 18), pos)
