"""The action buttons under the decision panel: the big one (Enter: take the move, send the deal,
accept), and the second and third (clear, reject, counter, skip the announcements)."""

from __future__ import annotations

import pygame

from game.engine import ACT, ANSWER, ANSWER_COUNTER, PROPOSE
from game.ui.screens.common import button, fit_label


def button_texts(match, viewer_shown: str | None, announcing: bool, sel_move: str | None,
                 terms: list[str]) -> dict:
    """{"p"/"s"/"t": (label, enabled) or None (hidden)} for the state of the game and the selection."""
    st = match.session.state
    m = match
    sc = match.scenario
    if m.over:
        return {"p": ("See the outcome ▸", True), "s": None, "t": None}
    if m.human_to_move() and (len(m.humans) < 2 or st.actor_id == viewer_shown):
        ph = st.phase
        if ph == ACT:
            if sel_move:
                return {"p": ("Take: " + sc.move_by_id[sel_move].name, True), "s": ("Clear", True), "t": None}
            return {"p": ("End turn ⏎", True), "s": None, "t": None}
        if ph == PROPOSE:
            if terms:
                return {"p": (f"Propose deal ({len(terms)}) ⏎", True), "s": ("Clear", True), "t": None}
            return {"p": ("Skip the deal ⏎", True), "s": None, "t": None}
        if ph == ANSWER:
            counter_ok = bool(terms) and set(terms) != set(m.deal_on_table())
            return {"p": ("Accept ⏎", True), "s": ("Reject", True), "t": ("Counter", counter_ok)}
        if ph == ANSWER_COUNTER:
            return {"p": ("Accept ⏎", True), "s": ("Reject", True), "t": None}
        return {"p": ("Respond ⏎", True), "s": None, "t": None}
    if m.replay is not None and m.replay_done:
        return {"p": ("Replay finished", False), "s": None, "t": None}
    who = sc.actor(st.actor).name if st.actor >= 0 else ""
    return {"p": (f"{who} is thinking…" if m.thinking else f"{who} to move", False),
            "s": ("Skip ▸▸", announcing), "t": None}


class ActionBar:
    """Three buttons whose labels (and whether they are shown and enabled) follow the game."""

    def build(self, manager, theme, rect: pygame.Rect, pad: int) -> None:
        self.theme = theme
        a = rect
        inner, bh = a.w, a.h
        pw = round(inner * 0.5)
        sw = (inner - pw - pad) // 2
        self.btn_primary = button(manager, (a.right - pw, a.y, pw, bh), "…", "@primary", "Enter")
        self.btn_second = button(manager, (a.x, a.y, sw, bh), "…")
        self.btn_third = button(manager, (a.x + sw + pad // 2, a.y, inner - pw - sw - pad, bh), "…")
        self._btn_text: dict = {"p": False, "s": False, "t": False}

    def which(self, element) -> str | None:
        """"p", "s" or "t" for a press of one of the buttons."""
        return {id(self.btn_primary): "p", id(self.btn_second): "s", id(self.btn_third): "t"}.get(id(element))

    def show(self, texts: dict) -> None:
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

