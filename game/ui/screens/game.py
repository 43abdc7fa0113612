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

from game.engine import (ACT, ANSWER, ANSWER_COUNTER, CHOOSE, PROPOSE, STANDOFF, STANDOFF_PRESS,
                         IllegalMove, Move)
from game.ui import explain, storage
from game.ui.mapview import MapView
from game.ui.match import Match, Notice
from game.ui.nav import Push, Replace
from game.ui.screens import panels
from game.ui.screens.panels import scenario_tabs
from game.ui.screens.base import Screen
from game.ui.screens.common import Popup, button, button_height, fit_label
from game.ui.screens.game_board import BoardMixin
from game.ui.screens.game_dev import DevMixin
from game.ui.screens.game_dialogs import DialogsMixin
from game.ui.text import Rich
from game.ui.widgets import ListView, Row

class GameScreen(DevMixin, BoardMixin, DialogsMixin, Screen):
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
        self.tabs = scenario_tabs(self.sc)
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
        self.popup_factory = None
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
        self._tip_wait = None
        self._frame_t0 = time.perf_counter()
        self.stale = False
        hum = sorted(match.humans)
        if len(hum) == 1:
            self.viewer_shown = hum[0]
        self._dev_init()  # `play --watch`: hot reload and the developer console (game_dev.py)

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

    def autosave(self, sync: bool = False) -> bool:
        """Save the game in progress to the autosave; False for games that are not saved
        (watching, replays, the demo, and games under `play --watch`, whose scenario changes
        with every edit and whose console edits cannot be replayed)."""
        if self.watch or self.dev or self.match.replay is not None or not self.app.autosave_enabled:
            return False
        meta = storage.meta_for(self.match.session, self.side, self.difficulty)
        if sync:
            self.app.autosaver.save_sync(self.match.session, meta)
        else:
            self.app.autosaver.submit(self.match.session, meta)
        return True

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
        tabs = [(key, lab) for key, lab, _ in self.tabs]
        tips = {key: tip for key, _, tip in self.tabs}
        widths = [small_bold.size(lab)[0] + th.body for _, lab in tabs]
        rows = 1 if sum(widths) + (len(tabs) - 1) * 2 <= inner else 2
        tab_h = round(th.body * 2.0)
        self.tab_buttons = {}
        half = (len(tabs) + 1) // 2
        per_row = [tabs] if rows == 1 else [tabs[:half], tabs[half:]]
        ty = self.r_right.y + pad
        for row in per_row:
            total = sum(small_bold.size(lab)[0] + th.body for _, lab in row)
            spare = (inner - total - (len(row) - 1) * 2) / len(row)
            x = self.r_right.x + pad
            for key, lab in row:
                w = int(small_bold.size(lab)[0] + th.body + spare)
                b = button(self.manager, (x, ty, w, tab_h), lab, "@tab", tips[key])
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
        self._dev_build()

    def _content_rect(self) -> pygame.Rect:
        top = self.tabs_bottom + self.pad // 2
        bottom = (self.r_detail.y - self.pad // 2) if self.tab in ("moves", "deal") else (self.r_actions.y - self.pad)
        return pygame.Rect(self.r_right.x + self.pad, top, self.r_right.w - 2 * self.pad, bottom - top)

    # --- tabs --------------------------------------------------------------------------------
    def set_tab(self, key: str) -> None:
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
        for job in (self._refresh_feed, self._refresh_meters, self._move_infos_job, self._refresh_content,
                    self._warm):
            if not force and self._over_budget():
                self.stale = True
                return
            job(force)

    def _move_infos_job(self, force: bool = False) -> None:
        if self.tab == "moves":
            self._move_infos()

    def _warm(self, force: bool = False) -> None:
        """Use spare time in a frame to prepare the Moves and Deal panels before they are opened."""
        if force:
            return
        if "infos" not in self.cache or self.cache["infos"][0] != ("infos", self.version, self.viewer):
            self._move_infos()
            return
        if self.state.is_over:
            return
        tc = self._terms_cache()
        sc = self.sc
        vi = sc.actor_index(self.viewer)
        me = self.viewer
        pst = panels.preview_state(self.state, vi, "propose")
        from game.engine.rules import term_available
        for t in sc.terms:
            key = ("proj", t.id)
            if key in tc:
                continue
            if self._over_budget():
                self.stale = True
                return
            avail = term_available(self.state, t)
            tc[key] = explain.project(pst, Move("propose", me, terms=(t.id,))) if avail else None

    def _terms_cache(self) -> dict:
        tc = self.cache.get("terms")
        if tc is None or tc[0] != (self.version, self.viewer):
            tc = ((self.version, self.viewer), {})
            self.cache["terms"] = tc
        return tc[1]

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
            who = self.viewer_idx if self.viewer_idx is not None else vi
            rows = panels.move_rows(self.theme, w, st, infos, who, can)
            self.content.multi = False
            self.content.set_rows(rows)
            self.content.selected = {self.sel_move} if self.sel_move else set()
        elif tab == "deal":
            table = self.match.deal_on_table()
            rows = panels.term_rows(self.theme, w, st, vi, self.terms, self._can_deal(), self.sc.deal_max_terms,
                                    table, self._terms_cache())
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

    # --- presentation -------------------------------------------------------------------------
    def busy(self) -> bool:
        return (self.stale or self.current is not None or bool(self.queue) or self.match.thinking
                or self.match.computer_to_move() or (self.map is not None and self.map.animating(self.now))
                or self.popup_factory is not None or (self.popup is not None and self.popup_auto_until > 0)
                or (self.match.over and not self.finished and not self.dev))

    def update(self, dt: float) -> None:
        self._frame_t0 = time.perf_counter()
        self.now = self.app.now() - self.clock0
        if self.dev:
            self._dev_update()
        m = self.match
        if self.popup_factory is not None:
            self._build_pending_popup()
            self._sync_buttons()
            return
        while m.notices:
            self.queue.append(m.notices.popleft())
        if self.popup is not None and self.popup_auto_until and self.now >= self.popup_auto_until:
            p = self.popup
            self.popup = None
            self.popup_auto_until = 0.0
            p.close()
        if not self.modal:
            if self.current is not None and (self.now >= self.current_until or self.skip_all):
                self.current = None
            while self.current is None and self.queue and not self.modal and not self._over_budget():
                self._present(self.queue.popleft())
        if not self.queue and self.current is None:
            self.skip_all = False
        idle = not self.modal and self.current is None and not self.queue
        if idle:
            if m.over:
                if self.dev:
                    self._dev_game_over()  # stay on the board: the console can go back
                elif not self.finished:
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
        if self.current is not None and not self._over_budget():
            self._banner_surface()
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
            if d > 0:
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

    def _human_turn(self) -> None:
        st = self.state
        actor = st.actor_id
        if len(self.match.humans) > 1 and actor != self.viewer_shown:
            self._curtain(actor)
            return
        if self.viewer_shown is None:
            self.viewer_shown = actor
        if st.phase == CHOOSE and not self.modal:
            ev = self.sc.events[st.pending_event]
            n = Notice("event", None, ev.title, ev.text, (), ev.id, st.turn)
            self._event_popup(n)
        elif st.phase in (STANDOFF, STANDOFF_PRESS) and not self.modal:
            self._standoff_popup()

    def _phase_changed(self) -> None:
        st = self.state
        key = (st.turn, st.phase, st.actor, self.version if st.phase in (ANSWER, ANSWER_COUNTER) else 0)
        if key == self.phase_key:
            return
        self.phase_key = key
        if not self.match.human_to_move():
            return
        if st.actor_id != self.viewer and len(self.match.humans) > 1:
            return
        if st.phase in (PROPOSE, ANSWER, ANSWER_COUNTER):
            self.terms = list(self.match.deal_on_table()) if st.phase != PROPOSE else []
            self.set_tab("deal")
        elif st.phase == ACT:
            self.sel_move = None
            self.set_tab("moves")
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
        elif not self.modal:
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
        self.finished = True
        self.autosave()
        self.app.navigate(Replace("end", match=self.match, side=self.side, difficulty=self.difficulty))

    # --- input -----------------------------------------------------------------------------------
    def handle(self, event) -> None:
        if self._dev_handle(event):
            return
        if (event.type == pygame.KEYDOWN and event.key == pygame.K_s and event.mod & pygame.KMOD_CTRL
                and self.popup_kind != "save"):
            self.save_as(self.slot or "quicksave")
            return
        if self.popup_factory is not None and event.type in (pygame.KEYDOWN, pygame.MOUSEBUTTONDOWN,
                                                             pygame_gui.UI_BUTTON_PRESSED):
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
                self.app.navigate(Push("help"))
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
            self.app.navigate(Push("help"))
        elif k == pygame.K_TAB:
            keys = [t for t, _, _ in self.tabs]
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
