"""The main screen's pop-ups: events, standoffs, the hot-seat curtain, the menu and the save
dialog. A mixin of ``GameScreen``: pop-ups are built on the frame after their text is rendered,
so no single frame does both."""

from __future__ import annotations

from game.authoring import console
from game.engine import STANDOFF, Move
from game.ui import explain, storage
from game.ui.match import Notice
from game.ui.nav import Push, Replace
from game.ui.screens import panels
from game.ui.screens.common import Popup, name_popup
from game.ui.text import Rich


class DialogsMixin:
    @property
    def modal(self) -> bool:
        """A pop-up is open, or about to open on the next frame."""
        return self.popup is not None or self.popup_factory is not None

    def _open(self, popup: Popup, kind: str, auto: float = 0.0) -> None:
        self.popup = popup
        self.popup_kind = kind
        self.popup_auto_until = (self.now + auto) if auto > 0 else 0.0

    def _open_later(self, factory, kind: str, auto: float = 0.0) -> None:
        """Open a pop-up on the next frame: its text is rendered now, its window built then, so
        neither frame does both."""
        self.popup_factory = (factory, kind, auto)
        self.popup_kind = kind

    def _build_pending_popup(self) -> None:
        if self.popup_factory is None:
            return
        factory, kind, auto = self.popup_factory
        self.popup_factory = None
        self._open(factory(), kind, auto)

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
        content = r.render(Popup.inner_width(self.app))

        def make(content=content, buttons=buttons, on_choice=on_choice, choose=choose):
            return Popup(self, "Event", content, buttons, on_choice, default="ok" if not choose else None,
                         vertical=choose and len(buttons) > 1)
        self._open_later(make, "event:" + ev.id, auto)

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
        content = r.render(Popup.inner_width(self.app))
        self._open_later(lambda: Popup(self, "Standoff", content, buttons, on_choice), "standoff")

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

    def _replay_ended(self) -> None:
        if not self.modal:
            r = Rich(self.theme)
            r.line("The recorded game stops here.", "text")

            def on_choice(key):
                self.popup = None
                self.app.navigate(Replace("title"))
            self._open(Popup(self, "Replay", r, [("title", "Back to the title", "@primary")], on_choice,
                             default="title"), "replay")

    def open_menu(self) -> None:
        if self.modal:
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
                self.app.navigate(Push("saves", mode="load"))
            elif key == "settings":
                self.app.navigate(Push("settings"))
            elif key == "help":
                self.app.navigate(Push("help"))
            elif key == "title":
                self.autosave(sync=True)
                self.app.navigate(Replace("title"))
            elif key == "quit":
                self.app.quit()
        self._open(Popup(self, "Menu", r, items, on_choice, width=self.theme.body * 24, cancel="resume",
                         vertical=True), "menu")

    def save_dialog(self) -> None:
        default = self.slot or f"{self.sc.id}-turn{self.state.turn}"
        self._open(name_popup(self, "Save game", "Name this save:", f"Saves are kept in {storage.saves_dir()}",
                              default, self.save_as), "save")

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
