"""The main screen's pop-ups: events, standoffs, the hot-seat curtain, the menu and the save
dialog. Pop-ups are built on the frame after their text is rendered, so no single frame does both.
A choice made in one comes back from ``handle`` as an intent."""

from __future__ import annotations

import pygame
import pygame_gui

from game.engine import CHOOSE, STANDOFF, STANDOFF_PRESS, Move
from game.ui import explain
from game.ui.match import Notice
from game.ui.nav import Push, Replace
from game.ui.screens.common import Popup, name_popup
from game.ui.screens.game.intents import Go, OpenSaveDialog, PlayMove, Quit, SaveAs, ShowSide, ToTitle
from game.ui.screens.panels import add_changes, add_source
from game.ui.text import Rich


def must_choose(match, event_id: str) -> bool:
    """The human at the computer is to answer the event ``event_id`` now."""
    ev = match.pending_choice_event()
    return ev is not None and ev.id == event_id and match.human_to_move()


class Dialogs:
    """At most one pop-up at a time (``popup``, of a ``kind`` such as "menu" or "event:ID")."""

    def __init__(self, app):
        self.app = app
        self.popup: Popup | None = None
        self.kind = ""
        self.factory = None
        self.auto_until = 0.0
        self.notice: Notice | None = None  # the event shown, to show again after a resize
        self._out = []

    # Popup and name_popup build on a "screen": an object with the app, its theme and manager.
    @property
    def theme(self):
        return self.app.theme

    @property
    def manager(self):
        return self.app.manager

    @property
    def modal(self) -> bool:
        """A pop-up is open, or about to open on the next frame."""
        return self.popup is not None or self.factory is not None

    @property
    def busy(self) -> bool:
        """A pop-up is about to open, or will close by itself."""
        return self.factory is not None or (self.popup is not None and self.auto_until > 0)

    def open(self, popup: Popup, kind: str, now: float, auto: float = 0.0) -> None:
        self.popup = popup
        self.kind = kind
        self.auto_until = (now + auto) if auto > 0 else 0.0

    def open_later(self, factory, kind: str, auto: float = 0.0) -> None:
        """Open a pop-up on the next frame: its text is rendered now, its window built then."""
        self.factory = (factory, kind, auto)
        self.kind = kind

    def build_pending(self, now: float) -> bool:
        if self.factory is None:
            return False
        factory, kind, auto = self.factory
        self.factory = None
        self.open(factory(), kind, now, auto)
        return True

    def expire(self, now: float) -> None:
        """Close a pop-up that shows itself only for a while (events, when watching)."""
        if self.popup is not None and self.auto_until and now >= self.auto_until:
            p = self.popup
            self.popup = None
            self.auto_until = 0.0
            p.close()

    def close(self) -> None:
        if self.popup is not None:
            self.popup.close()
        self.popup = None
        self.factory = None
        self.kind = ""
        self.auto_until = 0.0

    def forget(self) -> str:
        """Drop the pop-up's widgets (they are gone after a resize); the kind it was."""
        kind = self.kind
        self.popup = None
        return kind

    def handle(self, event) -> tuple[bool, list]:
        """(used, intents): a pop-up takes keys, clicks and presses; an event pop-up keeps Esc."""
        if self.factory is not None and event.type in (pygame.KEYDOWN, pygame.MOUSEBUTTONDOWN,
                                                       pygame_gui.UI_BUTTON_PRESSED):
            return True, []
        if self.popup is None:
            return False, []
        self._out = []
        used = self.popup.handle(event)
        out, self._out = self._out, []
        if used:
            return True, out
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE and self.kind.startswith("event"):
            return True, out
        return event.type in (pygame.KEYDOWN, pygame.MOUSEBUTTONDOWN, pygame_gui.UI_BUTTON_PRESSED), out

    def _emit(self, intent) -> None:
        self.popup = None
        if intent is not None:
            self._out.append(intent)

    # --- the pop-ups -----------------------------------------------------------------------------
    def for_turn(self, match, viewer_shown: str | None, viewer_idx: int | None, now: float):
        """The human is to move: hand the board over (hot-seat), or ask for the event's answer or the
        standoff's; a ShowSide intent when no side was shown yet."""
        st = match.session.state
        actor = st.actor_id
        if len(match.humans) > 1 and actor != viewer_shown:
            self.curtain(match.scenario, actor, now)
            return None
        if st.phase == CHOOSE and not self.modal:
            ev = match.scenario.events[st.pending_event]
            self.event(Notice("event", None, ev.title, ev.text, (), ev.id, st.turn), match, viewer_idx, False, 0.0)
        elif st.phase in (STANDOFF, STANDOFF_PRESS) and not self.modal:
            self.standoff(match, viewer_idx)
        return ShowSide(actor) if viewer_shown is None else None

    def event(self, n: Notice, match, viewer_idx: int | None, watch: bool, speed: float) -> None:
        """An event's pop-up, with the human's answers when it is theirs to answer; when watching it
        closes by itself after a while."""
        choose = must_choose(match, n.ref)
        auto = (max(0.8, speed * 1.6) if speed > 0 else 0.05) if watch else 0.0
        th = self.theme
        sc = match.scenario
        ev = sc.event_by_id[n.ref]
        self.notice = n
        r = Rich(th)
        r.line(ev.title, "accent", "big")
        r.line(f"{sc.date_label(n.turn)} · turn {n.turn}", "faint", "small")
        r.gap(th.body // 2)
        r.line(ev.text, "text")
        r.gap(th.body // 2)
        if n.changes:
            r.add("What it did: ", "text", "small_bold")
            add_changes(r, sc, n.changes, viewer_idx)
            r.br()
        buttons = []
        if ev.choices:
            r.gap(th.body // 2)
            who = sc.actor(ev.actor).name
            st = match.session.state
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
                    add_changes(r, sc, proj.changes, viewer_idx)
                    r.br()
                    buttons.append((ch.id, f"{i + 1} · {ch.label}", None, explain.changes_text(sc, proj.changes)))
            else:
                r.line(f"{who} must respond.", "dim", "small")
        r.gap(th.body // 2)
        r.rule()
        add_source(r, sc, ev.source)
        doc = explain.document_line(sc)
        if doc and ev.source is not None and ev.source.para is not None:
            r.br()
            r.add(doc, "faint", "small")
        if not buttons:
            buttons = [("ok", "Continue", "@primary", "Enter")]

        def on_choice(key, ev=ev, choose=choose):
            self._emit(PlayMove(Move("choose", sc.players[ev.actor], key)) if choose and key != "ok" else None)
        content = r.render(Popup.inner_width(self.app))

        def make(content=content, buttons=buttons, on_choice=on_choice, choose=choose):
            return Popup(self, "Event", content, buttons, on_choice, default="ok" if not choose else None,
                         vertical=choose and len(buttons) > 1)
        self.open_later(make, "event:" + ev.id, auto)

    def standoff(self, match, viewer_idx: int | None) -> None:
        th = self.theme
        sc = match.scenario
        st = match.session.state
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
        if st.phase == STANDOFF:
            opts = [("concede", "Give way"), ("stand_firm", "Stand firm")]
            notes = {"stand_firm": f"{sc.actor(so.by).name} then presses or backs down."}
        else:
            rupture = sc.raw.standoffs[so.index].rupture
            opts = [("press", "Press the demand"), ("back_down", "Back down")]
            notes = {"press": "Risk: " + (explain.humanise(sc, rupture) + " means a rupture" if rupture else "none"),
                     "back_down": "Backing down late costs more (audience costs)."}
        buttons = []
        for i, (kind, lab) in enumerate(opts):
            proj = explain.project(st, Move(kind, me))
            r.add(f"{i + 1}. {lab}: ", "text", "small_bold")
            add_changes(r, sc, proj.changes, viewer_idx, empty="nothing at once")
            if kind in notes:
                r.add(" — " + notes[kind], "faint", "small")
            r.br()
            buttons.append((kind, f"{i + 1} · {lab}", "@primary" if i == 0 else None,
                            explain.changes_text(sc, proj.changes)))
        r.gap(th.body // 2)
        r.rule()
        add_source(r, sc, so.source)

        def on_choice(key):
            self._emit(PlayMove(Move(key, me)))
        content = r.render(Popup.inner_width(self.app))
        self.open_later(lambda: Popup(self, "Standoff", content, buttons, on_choice), "standoff")

    def curtain(self, sc, actor: str, now: float) -> None:
        th = self.theme
        i = sc.actor_index(actor)
        r = Rich(th)
        r.line(f"{sc.actor(actor).name} to play", th.side(i), "big")
        r.line("Hot-seat: hand the computer to the other player. What each side sees of the other's "
               "hidden meters differs, so the board is hidden until they are ready.", "dim", "small")

        def on_choice(key, actor=actor):
            self._emit(ShowSide(actor))
        self.open(Popup(self, "Next player", r, [("go", f"I am {sc.actor(actor).name} ▸", "@primary", "Enter")],
                        on_choice, default="go", opaque=True), "curtain", now)

    def replay_ended(self, now: float) -> None:
        r = Rich(self.theme)
        r.line("The recorded game stops here.", "text")

        def on_choice(key):
            self._emit(Go(Replace("title")))
        self.open(Popup(self, "Replay", r, [("title", "Back to the title", "@primary")], on_choice,
                        default="title"), "replay", now)

    def menu(self, sc, turn: int, can_save: bool, now: float) -> None:
        items = [("resume", "Resume", "@primary", "Esc"), ("save", "Save game…", None, "Ctrl+S saves at once"),
                 ("load", "Load game…", None, None), ("settings", "Settings…", None, None),
                 ("help", "How to play", None, "F1"), ("title", "Quit to the title screen", None,
                                                       "The game is saved automatically"),
                 ("quit", "Quit Union State", None, "The game is saved automatically")]
        if not can_save:
            items = [i for i in items if i[0] != "save"]
        r = Rich(self.theme)
        r.line(f"{sc.title} · turn {turn} of {sc.turns}", "dim", "small")
        intents = {"save": OpenSaveDialog(), "load": Go(Push("saves", mode="load")), "settings": Go(Push("settings")),
                   "help": Go(Push("help")), "title": ToTitle(), "quit": Quit()}

        def on_choice(key):
            self._emit(intents.get(key))
        self.open(Popup(self, "Menu", r, items, on_choice, width=self.theme.body * 24, cancel="resume",
                        vertical=True), "menu", now)

    def save(self, default: str, folder, now: float) -> None:
        self.open(name_popup(self, "Save game", "Name this save:", f"Saves are kept in {folder}", default,
                             lambda name: self._out.append(SaveAs(name))), "save", now)

