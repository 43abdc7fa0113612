"""The main screen: map, meters, the decision panel with its tabs, this turn's feed, pop-ups.

The screen lays its widgets out, routes input to them and polls the ``Match``. Widgets own their
state and return intents (``intents.py``); only the screen submits moves to the match or moves to
another screen. The computer's moves arrive as notices, which are presented one at a time (a banner
over the map, an event pop-up) at a pace the player can read, while the map lights up and the log
grows.
"""

from __future__ import annotations

import time

import pygame
import pygame_gui

from game.engine import IllegalMove, Move
from game.ui import storage
from game.ui.mapview import MapView
from game.ui.match import Match, Notice
from game.ui.nav import Replace
from game.ui.screens.base import Screen
from game.ui.screens.game.banner import Announcements
from game.ui.screens.game.decision import DecisionPanel
from game.ui.screens.game.dev import DevTools, rematch
from game.ui.screens.game.dialogs import Dialogs, must_choose
from game.ui.screens.game.feed import Feed, Log, replay_history
from game.ui.screens.game import saving
from game.ui.screens.game.issues import scenario_tabs
from game.ui.screens.game.layout import layout
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
        # whose side the board shows: the one human's, or in hot-seat whoever is to move
        self.viewer_shown: str | None = next(iter(match.humans)) if len(match.humans) == 1 else None
        self.finished = False
        self.map: MapView | None = None
        self.now = 0.0
        self.clock0 = app.now()
        self.last_saved_turn = -1
        self.stale = False
        self._frame_t0 = time.perf_counter()
        self.decision = DecisionPanel(scenario_tabs(match.scenario))
        self.meters_panel = MetersPanel()
        self.feed_panel = Feed()
        self.log = Log()
        self.announcements = Announcements()
        self.dialogs = Dialogs(app)
        self.topbar = TopBar()
        self.tip = HoverTip()
        # `play --watch`: hot reload and the developer console (dev.py). A watched game thinks on a
        # thread in a new Match: a searching computer's process could not replay console edits.
        self.devtools = DevTools(app, match)
        if self.dev:
            self._swap_match(self.devtools.first_session(match.session))

    # --- what the screen shows ---------------------------------------------------------------------
    sc = property(lambda self: self.match.scenario)
    state = property(lambda self: self.match.session.state)
    dev = property(lambda self: self.devtools.on)        # `play --watch`
    modal = property(lambda self: self.dialogs.modal)    # a pop-up is open, or opens next frame
    banner = property(lambda self: self.announcements.banner)

    def session(self):
        return self.match.session

    @property
    def viewer(self) -> str:
        return self.viewer_shown or self.sc.players[0]

    @property
    def viewer_idx(self) -> int | None:
        """Whose goals colour the deltas (None when watching)."""
        return None if self.watch else self.sc.actor_index(self.viewer)

    def _over_budget(self) -> bool:
        return time.perf_counter() - self._frame_t0 > self.BUDGET

    def close(self) -> None:
        self.dialogs.close()
        self.match.close()

    def autosave(self, sync: bool = False) -> bool:
        """Save the game in progress to the autosave; False for games that are not saved
        (watching, replays, the demo, and games under `play --watch`, whose scenario changes
        with every edit and whose console edits cannot be replayed)."""
        if not saving.saveable(self.match, self.watch) or self.dev or not self.app.autosave_enabled:
            return False
        saving.autosave(self.app, self.match, self.side, self.difficulty, sync)
        return True

    # --- layout ----------------------------------------------------------------------------------
    def build(self) -> None:
        super().build()
        th = self.theme
        lay = layout(th, self.size)
        pad = self.pad = lay.pad
        self.r_top, self.r_left, self.r_centre, self.r_map, self.r_feed, self.r_right = (
            lay.top, lay.left, lay.centre, lay.map, lay.feed, lay.right)
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
        jobs = (lambda: self.feed_panel.refresh(m, v, force),
                lambda: self.meters_panel.refresh(m, v, force),
                lambda: d.move_infos(m, v) if d.tab == "moves" else None,
                lambda: d.refresh(m, v, self.log.rows, force),
                lambda: force or d.warm(m, v, self._over_budget) is not False)
        self.stale = False
        for job in jobs:
            if (not force and self._over_budget()) or job() is False:
                self.stale = True  # the rest in the next frame
                return

    def _invalidate(self) -> None:
        """Everything shown is out of date (a new viewer, a new session): render it all again."""
        for widget in (self.decision, self.meters_panel, self.feed_panel, self.banner):
            widget.invalidate()
        self.tip.clear()

    # --- polling and presenting ------------------------------------------------------------------
    def busy(self) -> bool:
        m = self.match
        return (self.stale or self.announcements.busy or m.thinking
                or m.computer_to_move() or (self.map is not None and self.map.animating(self.now))
                or self.dialogs.busy
                or (m.over and not self.finished and not self.dev))

    def idle(self) -> None:
        self.carry_out(self.devtools.poll(self.match.session))

    def update(self, dt: float) -> None:
        self._frame_t0 = time.perf_counter()
        self.now = self.app.now() - self.clock0
        if self.dev:
            self.carry_out(self.devtools.update(self.match.session))
        m = self.match
        if self.dialogs.build_pending(self.now):
            self._sync_buttons()
            return
        ann = self.announcements
        ann.collect(m)
        self.dialogs.expire(self.now)
        if not self.modal:
            while (n := ann.next(self.now, lambda: self.modal or self._over_budget())) is not None:
                self._present(n)
        ann.settle()
        if not self.modal and not ann.busy:
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
        tab = self.decision.follow(self.match, self.viewer)  # a new decision: its panel opens
        if tab is not None:
            self.set_tab(tab)
        self._refresh()
        if self.banner.current is not None and not self._over_budget():
            self.banner.refresh(self.match, self.viewer, self.theme, self.r_map.w - 2 * self.pad, self.pad)
        self._sync_buttons()

    def _speed(self) -> float:
        return self.announcements.seconds(self.app.settings.announce_seconds)

    def _present(self, n: Notice) -> None:
        sc = self.sc
        if n.kind == "turn":
            self.feed_panel.clear()
            self.map.clear_lights()
            self._log(n)
            if self.last_saved_turn != n.turn:
                self.last_saved_turn = n.turn
                self.autosave()
            self.announcements.show(n, self.now, self._speed() * 0.45)
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
            if ev is not None and not self.announcements.skip_all or must_choose(self.match, n.ref):
                self._event_popup(n)
            return
        if n.kind == "move" and n.human:
            return
        self.announcements.show(n, self.now, self._speed())

    def _log(self, n: Notice) -> None:
        self.log.add(self.theme, self.sc, n, self.viewer_idx)

    def _event_popup(self, n: Notice) -> None:
        self.dialogs.event(n, self.match, self.viewer_idx, self.watch, self._speed())

    def _human_turn(self) -> None:
        self.carry_out(self.dialogs.for_turn(self.match, self.viewer_shown, self.viewer_idx, self.now))

    def _sync_buttons(self) -> None:
        self.decision.sync_buttons(self.match, self.viewer_shown, self.announcements.busy)

    def _finish(self) -> None:
        self.finished = True
        self.autosave()
        self.app.navigate(Replace("end", match=self.match, side=self.side, difficulty=self.difficulty))

    # --- intents ---------------------------------------------------------------------------------
    def submit(self, move: Move) -> None:
        try:
            self.match.submit(move)
        except IllegalMove as exc:
            self.app.toast(str(exc), 3.5)
            return
        self.decision.submitted(move)
        self.app.poke()

    def carry_out(self, intent) -> None:
        """Carry out what a widget asked for: an intent, a list of them, or None."""
        for i in intent if isinstance(intent, list) else [intent]:
            if i is not None:
                i.apply(self)

    def see_outcome(self) -> None:
        if not self.finished and not self.announcements.busy:
            self._finish()

    def respond(self) -> None:
        if not self.modal:
            self._human_turn()

    def show_side(self, actor: str) -> None:
        self.viewer_shown = actor
        self._invalidate()

    def to_title(self) -> None:
        self.autosave(sync=True)
        self.app.navigate(Replace("title"))

    def open_menu(self) -> None:
        if not self.modal:
            self.dialogs.menu(self.sc, self.state.turn, saving.saveable(self.match, self.watch), self.now)

    def save_dialog(self) -> None:
        default = self.slot or f"{self.sc.id}-turn{self.state.turn}"
        self.dialogs.save(default, storage.saves_dir(), self.now)

    def save_as(self, name: str) -> None:
        self.slot = saving.save_as(self.app, self.match, self.side, self.difficulty, self.watch, name) or self.slot

    # --- input -----------------------------------------------------------------------------------
    def handle(self, event) -> None:
        used, intent = self.devtools.handle(event, self.match.session)
        if used:
            self.carry_out(intent)
            return
        ctrl_s = event.type == pygame.KEYDOWN and event.key == pygame.K_s and event.mod & pygame.KMOD_CTRL
        if ctrl_s and self.dialogs.kind != "save":  # saves at once, over any pop-up but the save dialog
            self.save_as(self.slot or "quicksave")
            return
        used, intents = self.dialogs.handle(event)
        self.carry_out(intents)
        if used:
            return
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            used, intent = self.decision.press(event.ui_element, self.match)
            self.carry_out(intent if used else self.topbar.handle(event))
            return
        if event.type == pygame.KEYDOWN:
            if ctrl_s:
                self.save_as(self.slot or "quicksave")
            else:  # Esc and F1 are the top bar's, Space the banner's, the rest the decision panel's
                self.carry_out(self.topbar.key(event) or self.banner.key(event)
                               or self.decision.key(event, self.match, self.viewer))
            return
        if self.banner.clicked(event):
            self.announcements.skip()
            return
        key = self.decision.content.handle(event)
        if key is not None:
            self.carry_out(self.decision.click(key, self.match, self.viewer))
        self.feed_panel.handle(event)
        self.meters_panel.handle(event)

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
        self.match = rematch(self.match, session, self.difficulty)
        if self.viewer_shown is not None and self.viewer_shown not in self.sc.players:
            self.viewer_shown = next(iter(self.match.humans)) if len(self.match.humans) == 1 else None

    def adopt(self, session) -> None:
        """Go on with ``session`` (from a reload or a console command): a new Match around it,
        the log rebuilt from its history, the layout rebuilt when the scenario is a new one."""
        old_sc = self.sc
        self.dialogs.close()
        self._swap_match(session)
        self.announcements.clear()
        self.decision.adopt(self.sc)
        self.finished = False
        self.devtools.over_noted = False
        self.last_saved_turn = self.state.turn
        replay_history(self.match, self.feed_panel, self.log)
        self._invalidate()
        if self.sc is not old_sc:
            self.map = None
            if self.built:
                self.teardown()
                self.manager.clear_and_reset()
                self.build()
        elif self.built:
            self.log.rebuild(self.theme, self.sc, self.viewer_idx, self.log.width)
            self._refresh(force=True)
            self._sync_buttons()
        if self.map is not None:
            self.map.light_all(self.feed_panel.notices, self.now)

    @property
    def popup(self):
        """The open pop-up, if any (benchmarks/ui.py reads it)."""
        return self.dialogs.popup
