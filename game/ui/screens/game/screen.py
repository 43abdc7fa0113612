"""The main screen: map, meters, the decision panel with its tabs, this turn's feed, pop-ups.

The screen lays its widgets out, routes input to them and polls the ``Match``. Widgets own their
state and return intents (``intents.py``); only the screen submits moves to the match or moves to
another screen. The computer's moves arrive as notices, which are presented one at a time (a banner
over the map, an event pop-up) at a pace the player can read, while the map lights up and the log
grows.
"""

from __future__ import annotations

import time
from collections import deque

import pygame
import pygame_gui

from game.authoring import console
from game.engine import ANSWER, ANSWER_COUNTER, CHOOSE, STANDOFF, STANDOFF_PRESS, IllegalMove, Move
from game.ui import storage
from game.ui.mapview import MapView
from game.ui.match import Match, Notice
from game.ui.nav import Push, Replace
from game.ui.screens.base import Screen
from game.ui.screens.game import intents as I
from game.ui.screens.game.banner import Banner
from game.ui.screens.game.decision import DecisionPanel
from game.ui.screens.game.dev import DevTools
from game.ui.screens.game.dialogs import Dialogs
from game.ui.screens.game.feed import Feed, Log
from game.ui.screens.game.issues import scenario_tabs
from game.ui.screens.game.meters import MetersPanel
from game.ui.screens.game.tooltips import HoverTip
from game.ui.screens.game.topbar import TopBar
from game.ui.widgets import panel


class GameScreen(Screen):
    name = "game"
    # Widgets are refreshed lazily and within a budget of a few milliseconds a frame: after a move
    # the feed updates first, then the meters, then the open panel, each in its own frame if need
    # be, so no single frame stalls (the player sees them settle within a few hundredths of a second).
    BUDGET = 0.0035

    def __init__(self, app, match: Match, side: str, difficulty: str, slot: str = ""):
        super().__init__(app)
        self.match = match
        self.side = side
        self.difficulty = difficulty
        self.slot = slot
        self.watch = not match.humans
        self.queue: deque[Notice] = deque()
        self.viewer_shown: str | None = None
        self.phase_key = None
        self.finished = False
        self.map: MapView | None = None
        self.now = 0.0
        self.clock0 = app.now()
        self.skip_all = False
        self.last_saved_turn = -1
        self.stale = False
        self._frame_t0 = time.perf_counter()
        self.decision = DecisionPanel(scenario_tabs(match.scenario))
        self.meters_panel = MetersPanel()
        self.feed_panel = Feed()
        self.log = Log()
        self.banner = Banner()
        self.dialogs = Dialogs(app)
        self.topbar = TopBar()
        self.tip = HoverTip()
        hum = sorted(match.humans)
        if len(hum) == 1:
            self.viewer_shown = hum[0]
        # `play --watch`: hot reload and the developer console (dev.py). A watched game thinks on a
        # thread in a new Match: a searching computer's process could not replay console edits.
        self.devtools = DevTools(app, match)
        if self.dev:
            self._swap_match(self.devtools.first_session(match.session))

    # --- what the screen shows ---------------------------------------------------------------------
    @property
    def sc(self):
        return self.match.scenario

    @property
    def state(self):
        return self.match.session.state

    def session(self):
        return self.match.session

    @property
    def dev(self) -> bool:
        return self.devtools.on

    @property
    def viewer(self) -> str:
        return self.viewer_shown or self.sc.players[0]

    @property
    def viewer_idx(self) -> int | None:
        """Whose goals colour the deltas (None when watching)."""
        return None if self.watch else self.sc.actor_index(self.viewer)

    @property
    def modal(self) -> bool:
        return self.dialogs.modal

    def _over_budget(self) -> bool:
        return time.perf_counter() - self._frame_t0 > self.BUDGET

    def close(self) -> None:
        if self.dialogs.popup is not None:
            self.dialogs.popup.close()
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
        self.topbar.build(self.manager, th, self.r_top, pad)
        self.decision.build(self.manager, th, self.r_right, pad)
        self.feed_panel.build(th, self.r_feed, pad)
        self.meters_panel.build(th, self.r_left, pad)
        self.tip.clear()
        self.banner.invalidate()
        self.log.rebuild(th, self.sc, self.viewer_idx, self.decision.content.inner_width - 8)
        self._refresh(force=True)
        self._sync_buttons()
        if self.dialogs.popup is not None:
            # pop-ups are rebuilt from the state after a resize
            if self.dialogs.forget().startswith("event:"):
                self._event_popup(self.dialogs.notice)
        self.devtools.build(th, self.r_left.x, self.r_centre.right, self.size[1] - pad, pad)

    def teardown(self) -> None:
        self.devtools.teardown()
        super().teardown()

    def set_tab(self, key: str) -> None:
        if self.decision.set_tab(key):
            self.decision.refresh(self.match, self.viewer, self.log.rows, force=True)
            self.decision.restore_scroll()

    # --- refreshing ------------------------------------------------------------------------------
    def _refresh(self, force: bool = False) -> None:
        m, v, d = self.match, self.viewer, self.decision
        jobs = (lambda: self.feed_panel.refresh(self.sc, v, self.viewer_idx, force),
                lambda: self.meters_panel.refresh(m, v, force),
                lambda: d.move_infos(m, v) if d.tab == "moves" else None,
                lambda: d.refresh(m, v, self.log.rows, force),
                lambda: force or d.warm(m, v, self._over_budget) is not False)
        self.stale = False
        for job in jobs:
            if not force and self._over_budget():
                self.stale = True
                return
            if job() is False:
                self.stale = True
                return

    def _invalidate(self) -> None:
        """Everything shown is out of date (a new viewer, a new session): render it all again."""
        self.decision.content_key = None
        self.decision.detail.key = None
        self.meters_panel.key = None
        self.feed_panel.key = None
        self.banner.invalidate()
        self.tip.clear()

    # --- polling and presenting ------------------------------------------------------------------
    def busy(self) -> bool:
        m = self.match
        return (self.stale or self.banner.current is not None or bool(self.queue) or m.thinking
                or m.computer_to_move() or (self.map is not None and self.map.animating(self.now))
                or self.dialogs.factory is not None
                or (self.dialogs.popup is not None and self.dialogs.auto_until > 0)
                or (m.over and not self.finished and not self.dev))

    def idle(self) -> None:
        self._do(self.devtools.poll(self.match.session))

    def update(self, dt: float) -> None:
        self._frame_t0 = time.perf_counter()
        self.now = self.app.now() - self.clock0
        if self.dev:
            self._do(self.devtools.update(self.match.session))
        m = self.match
        if self.dialogs.build_pending(self.now):
            self._sync_buttons()
            return
        while m.notices:
            self.queue.append(m.notices.popleft())
        self.dialogs.expire(self.now)
        banner = self.banner
        if not self.modal:
            if banner.current is not None and (self.now >= banner.until or self.skip_all):
                banner.clear()
            while banner.current is None and self.queue and not self.modal and not self._over_budget():
                self._present(self.queue.popleft())
        if not self.queue and banner.current is None:
            self.skip_all = False
        if not self.modal and banner.current is None and not self.queue:
            if m.over:
                if self.dev:
                    self.devtools.game_over(m.session)  # stay on the board: the console can go back
                elif not self.finished:
                    self._finish()
                    return
            elif m.human_to_move():
                self._human_turn()
            elif m.computer_to_move():
                m.poll()
            elif m.replay is not None and m.replay_done and not m.over:
                self.dialogs.replay_ended(self.now)
        self._phase_changed()
        self._refresh()
        if banner.current is not None and not self._over_budget():
            banner.prepare(self.theme, self.sc, self.viewer_idx, self.r_map.w - 2 * self.pad, self.pad)
        self._sync_buttons()

    def _speed(self) -> float:
        return 0.0 if self.skip_all else self.app.settings.announce_seconds

    def _present(self, n: Notice) -> None:
        sc = self.sc
        if n.kind == "turn":
            self.feed_panel.clear()
            self.map.clear_lights()
            self._log(n)
            if self.last_saved_turn != n.turn:
                self.last_saved_turn = n.turn
                self.autosave()
            d = self._speed() * 0.45
            if d > 0:
                self.banner.show(n, self.now, d)
            return
        if n.kind == "ending":
            self._log(n)
            return
        self.feed_panel.add(n)
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
            self.banner.show(n, self.now, d)

    def _log(self, n: Notice) -> None:
        self.log.add(self.theme, self.sc, n, self.viewer_idx)

    def _human_must_choose(self, event_id: str) -> bool:
        ev = self.match.pending_choice_event()
        return ev is not None and ev.id == event_id and self.match.human_to_move()

    def _event_popup(self, n: Notice) -> None:
        auto = 0.0
        if self.watch:
            auto = max(0.8, self._speed() * 1.6) if self._speed() > 0 else 0.05
        self.dialogs.event(n, self.match, self.viewer_idx, self._human_must_choose(n.ref), auto)

    def _human_turn(self) -> None:
        st = self.state
        actor = st.actor_id
        if len(self.match.humans) > 1 and actor != self.viewer_shown:
            self.dialogs.curtain(self.sc, actor, self.now)
            return
        if self.viewer_shown is None:
            self.viewer_shown = actor
        if st.phase == CHOOSE and not self.modal:
            ev = self.sc.events[st.pending_event]
            self._event_popup(Notice("event", None, ev.title, ev.text, (), ev.id, st.turn))
        elif st.phase in (STANDOFF, STANDOFF_PRESS) and not self.modal:
            self.dialogs.standoff(self.match, self.viewer_idx)

    def _phase_changed(self) -> None:
        st = self.state
        key = (st.turn, st.phase, st.actor, len(self.match.session.steps) if st.phase in (ANSWER, ANSWER_COUNTER) else 0)
        if key == self.phase_key:
            return
        self.phase_key = key
        if not self.match.human_to_move():
            return
        if st.actor_id != self.viewer and len(self.match.humans) > 1:
            return
        tab = self.decision.phase_changed(self.match)
        if tab is not None:
            self.set_tab(tab)
        self.decision.content_key = None

    def _sync_buttons(self) -> None:
        self.decision.sync_buttons(self.match, self.viewer_shown, self.banner.current is not None or bool(self.queue))

    def _finish(self) -> None:
        self.finished = True
        self.autosave()
        self.app.navigate(Replace("end", match=self.match, side=self.side, difficulty=self.difficulty))

    # --- intents ---------------------------------------------------------------------------------
    def _submit(self, move: Move) -> None:
        try:
            self.match.submit(move)
        except IllegalMove as exc:
            self.app.toast(str(exc), 3.5)
            return
        self.decision.submitted(move)
        self.app.poke()

    def _do(self, intent) -> None:
        """Carry out what a widget asked for."""
        if intent is None:
            return
        if isinstance(intent, (list, tuple)):
            if intent and intent[0] == "tab":
                self.set_tab(intent[1])
            else:
                for i in intent:
                    self._do(i)
        elif isinstance(intent, I.PlayMove):
            self._submit(intent.move)
        elif isinstance(intent, I.Toast):
            self.app.toast(intent.text, intent.seconds)
        elif isinstance(intent, I.Go):
            self.app.navigate(intent.nav)
        elif isinstance(intent, I.Skip):
            self.skip(all_=intent.all_)
        elif isinstance(intent, I.SeeOutcome):
            if not self.finished and not self.queue and self.banner.current is None:
                self._finish()
        elif isinstance(intent, I.Respond):
            if not self.modal:
                self._human_turn()
        elif isinstance(intent, I.ShowSide):
            self.viewer_shown = intent.actor
            self._invalidate()
        elif isinstance(intent, I.OpenMenu):
            self.open_menu()
        elif isinstance(intent, I.OpenSaveDialog):
            self.save_dialog()
        elif isinstance(intent, I.SaveAs):
            self.save_as(intent.name)
        elif isinstance(intent, I.ToTitle):
            self.autosave(sync=True)
            self.app.navigate(Replace("title"))
        elif isinstance(intent, I.Quit):
            self.app.quit()
        elif isinstance(intent, I.Adopt):
            self._adopt(intent.session)

    def skip(self, all_: bool = False) -> None:
        self.banner.clear()
        if all_:
            self.skip_all = True

    def primary(self) -> None:
        self._do(self.decision.primary(self.match))

    def open_menu(self) -> None:
        if not self.modal:
            self.dialogs.menu(self.sc, self.state.turn, not (self.watch or self.match.replay is not None), self.now)

    def save_dialog(self) -> None:
        default = self.slot or f"{self.sc.id}-turn{self.state.turn}"
        self.dialogs.save(default, storage.saves_dir(), self.now)

    def save_as(self, name: str) -> None:
        if self.watch or self.match.replay is not None:
            self.app.toast("Only games you play can be saved")
            return
        if not console.is_replayable(self.match.session):
            self.app.toast("Console edits (set, fire) cannot be replayed: this game cannot be saved", 4)
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
        used, intent = self.devtools.handle(event, self.match.session)
        if used:
            self._do(intent)
            return
        if (event.type == pygame.KEYDOWN and event.key == pygame.K_s and event.mod & pygame.KMOD_CTRL
                and self.dialogs.kind != "save"):
            self.save_as(self.slot or "quicksave")
            return
        used, intents = self.dialogs.handle(event)
        self._do(intents)
        if used:
            return
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            used, intent = self.decision.press(event.ui_element, self.match)
            self._do(intent if used else self.topbar.handle(event))
            return
        if event.type == pygame.KEYDOWN:
            self._key(event)
            return
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.banner.hit(event.pos):
            self.skip()
            return
        key = self.decision.content.handle(event)
        if key is not None:
            self._do(self.decision.click(key, self.match, self.viewer))
        self.feed_panel.handle(event)
        self.meters_panel.handle(event)

    def _key(self, event) -> None:
        k = event.key
        if k == pygame.K_ESCAPE:
            self.open_menu()
        elif k == pygame.K_SPACE:
            self.skip()
        elif k == pygame.K_s and event.mod & pygame.KMOD_CTRL:
            self.save_as(self.slot or "quicksave")
        elif k == pygame.K_F1:
            self.app.navigate(Push("help"))
        else:
            self._do(self.decision.key(event, self.match, self.viewer))

    # --- drawing ---------------------------------------------------------------------------------
    def draw(self, surf) -> None:
        th = self.theme
        self.topbar.draw(surf, self.match, self.now)
        panel(surf, th, self.r_left)
        self.meters_panel.draw(surf)
        self.map.draw(surf, self.now)
        pygame.draw.rect(surf, th.c["border"], self.r_map, 1)
        panel(surf, th, self.r_feed)
        self.feed_panel.draw(surf, f"THIS TURN · {self.sc.date_label(self.state.turn).upper()}")
        panel(surf, th, self.r_right)
        if not self.decision.draw(surf, self.match, self.viewer, self._over_budget):
            self.stale = True
        if self.banner.current is not None and not self.banner.draw(surf, th, self.sc, self.r_map, self.pad,
                                                                    self.now):
            self.stale = True  # rendered in the next update
        self.devtools.draw(surf)

    def draw_over(self, surf) -> None:
        if self.devtools.draw_over(surf, self.r_map, self.size[1]):
            return  # no tooltips of what lies under the developer's panels
        if self.modal or self.manager.get_hovering_any_element():
            return
        d = self.decision
        lists = (("content", d.content), ("meters", self.meters_panel.list), ("feed", self.feed_panel.list))
        self.tip.draw(surf, self.theme, self.app, lists, (d.tab, len(self.match.session.steps), self.viewer),
                      self.map, self._over_budget)

    # --- `play --watch`: a new session ----------------------------------------------------------------
    def _swap_match(self, session) -> None:
        old = self.match
        sc = session.scenario
        humans = frozenset(h for h in old.humans if h in sc.players)
        if old.humans and not humans:  # the players were renamed: take the first side
            humans = frozenset([sc.players[0]])
        old.close()
        self.match = Match(session, humans, self.difficulty, worker=False)
        if self.viewer_shown is not None and self.viewer_shown not in sc.players:
            self.viewer_shown = sorted(humans)[0] if len(humans) == 1 else None

    def _adopt(self, session) -> None:
        """Go on with ``session`` (from a reload or a console command): a new Match around it,
        the log rebuilt from its history, the layout rebuilt when the scenario is a new one."""
        old_sc = self.sc
        self.dialogs.close()
        self._swap_match(session)
        sc = self.sc
        self.queue.clear()
        self.banner.clear()
        self.skip_all = False
        d = self.decision
        if d.sel_move not in sc.move_by_id:
            d.sel_move = None
        d.terms = []
        self.phase_key = None
        self.finished = False
        self.devtools.over_noted = False
        self.last_saved_turn = self.state.turn
        self.log.notices = []
        self.feed_panel.clear()
        # A game back at its very first step announces turn 1 again (the new Match queued it);
        # otherwise the log and this turn's feed are rebuilt quietly from the history.
        if not self.match.notices:
            for n in self.match.history_notices():
                if n.kind == "turn":
                    self.feed_panel.clear()
                elif n.kind != "ending":
                    self.feed_panel.add(n)
                self.log.notices.append(n)
        self._invalidate()
        if sc is not old_sc:
            self.map = None
            d.tabs = scenario_tabs(sc)
            if d.tab not in {k for k, _, _ in d.tabs}:
                d.tab = "moves"
            if self.built:
                self.teardown()
                self.manager.clear_and_reset()
                self.build()
        elif self.built:
            self.log.rebuild(self.theme, sc, self.viewer_idx, self.log.width)
            self._refresh(force=True)
            self._sync_buttons()
        if self.map is not None:
            self.map.clear_lights()
            for n in self.feed_panel.notices:
                for p in n.places:
                    self.map.light(p, self.now, n.title)

    # --- what tests, the demo and the benchmark read -------------------------------------------------
    popup = property(lambda self: self.dialogs.popup)
    popup_kind = property(lambda self: self.dialogs.kind)
    popup_factory = property(lambda self: self.dialogs.factory)
    current = property(lambda self: self.banner.current)
    tab = property(lambda self: self.decision.tab)
    tabs = property(lambda self: self.decision.tabs)
    tab_buttons = property(lambda self: self.decision.tab_buttons)
    terms = property(lambda self: self.decision.terms)
    sel_move = property(lambda self: self.decision.sel_move)
    content = property(lambda self: self.decision.content)
    meters = property(lambda self: self.meters_panel.list)
    log_notices = property(lambda self: self.log.notices)
    btn_primary = property(lambda self: self.decision.btn_primary)
    btn_second = property(lambda self: self.decision.btn_second)
    btn_third = property(lambda self: self.decision.btn_third)

    def _move_infos(self):
        return self.decision.move_infos(self.match, self.viewer)
