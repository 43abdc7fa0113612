"""The right-hand panel of the main screen: its tabs, the open panel (moves, the deal table, the
scenario's issues, the log, the sources), the detail box and the action buttons. It owns the
selection (the move picked, the terms ticked); what the player decides comes back as intents."""

from __future__ import annotations

import pygame

from game.engine import ACT, ANSWER, ANSWER_COUNTER, PROPOSE, Move
from game.engine.rules import term_available
from game.ui import explain
from game.ui.screens.common import button, button_height
from game.ui.screens.game import issues, rows
from game.ui.screens.game.actions import ActionBar, button_texts
from game.ui.screens.game.detail import DetailBox
from game.ui.screens.game.feed import empty_row
from game.ui.screens.game.intents import OpenTab, PlayMove, Respond, SeeOutcome, Skip, Toast
from game.ui.screens.panels import preview_state, source_rows
from game.ui.widgets import ListView


def can_act(match, viewer: str) -> bool:
    st = match.session.state
    return match.human_to_move() and st.phase == ACT and st.actor_id == viewer


def can_deal(match, viewer: str) -> bool:
    st = match.session.state
    return match.human_to_move() and st.phase in (PROPOSE, ANSWER) and st.actor_id == viewer


class DecisionPanel:
    def __init__(self, tabs: list[tuple[str, str, str]]):
        self.tabs = tabs
        self.tab = "moves"
        self.scrolls: dict[str, int] = {}
        self.sel_move: str | None = None
        self.terms: list[str] = []
        self.detail = DetailBox()
        self.actions = ActionBar()
        self.content_key = None
        self.phase_key = None
        self._infos = None     # ((version, viewer), move infos)
        self._terms = None     # ((version, viewer), {projections and rendered term rows})
        self._sources = None   # (width, rows)

    # --- layout ----------------------------------------------------------------------------------
    def build(self, manager, theme, rect: pygame.Rect, pad: int) -> None:
        self.theme = theme
        self.rect = rect
        self.pad = pad
        th = theme
        small_bold = th.fonts.role("small_bold")
        inner = rect.w - 2 * pad
        tabs = [(key, lab) for key, lab, _ in self.tabs]
        tips = {key: tip for key, _, tip in self.tabs}
        widths = [small_bold.size(lab)[0] + th.body for _, lab in tabs]
        n_rows = 1 if sum(widths) + (len(tabs) - 1) * 2 <= inner else 2
        tab_h = round(th.body * 2.0)
        self.tab_buttons = {}
        half = (len(tabs) + 1) // 2
        per_row = [tabs] if n_rows == 1 else [tabs[:half], tabs[half:]]
        ty = rect.y + pad
        for row in per_row:
            total = sum(small_bold.size(lab)[0] + th.body for _, lab in row)
            spare = (inner - total - (len(row) - 1) * 2) / len(row)
            x = rect.x + pad
            for key, lab in row:
                w = int(small_bold.size(lab)[0] + th.body + spare)
                self.tab_buttons[key] = button(manager, (x, ty, w, tab_h), lab, "@tab", tips[key])
                x += w + 2
            ty += tab_h + 2
        self.tabs_bottom = ty
        # the action bar, and the detail box over it
        bh = button_height(th)
        self.r_actions = pygame.Rect(rect.x + pad, rect.bottom - pad - bh, inner, bh)
        self.detail_h = round(th.body * 8.2)
        self.r_detail = pygame.Rect(rect.x + pad, self.r_actions.y - pad - self.detail_h, inner, self.detail_h)
        self.actions.build(manager, th, self.r_actions, pad)
        self.content = ListView(th, self._content_rect())
        self.content.multi = True
        self.content_key = None
        self.detail = DetailBox()
        self._terms = None
        self._sources = None
        self._sync_tabs()

    def _content_rect(self) -> pygame.Rect:
        top = self.tabs_bottom + self.pad // 2
        bottom = (self.r_detail.y - self.pad // 2) if self.tab in ("moves", "deal") else (self.r_actions.y - self.pad)
        return pygame.Rect(self.rect.x + self.pad, top, self.rect.w - 2 * self.pad, bottom - top)

    # --- tabs ------------------------------------------------------------------------------------
    def set_tab(self, key: str) -> bool:
        """Open the panel ``key``; True when it was not open. The caller refreshes its content."""
        if key == self.tab:
            return False
        self.scrolls[self.tab] = self.content.scroll
        self.tab = key
        self.content.rect = self._content_rect()
        self.content.selected = set()
        self._sync_tabs()
        return True

    def restore_scroll(self) -> None:
        self.content.scroll = self.scrolls.get(self.tab, 0)
        if self.tab == "log":
            self.content.scroll_to_end()
        self.content._layout()

    def _sync_tabs(self) -> None:
        for k, b in self.tab_buttons.items():
            (b.select if k == self.tab else b.unselect)()

    def follow(self, match, viewer: str) -> str | None:
        """Once for each new decision of the human at the computer: a fresh selection, and the panel
        to open for it."""
        st = match.session.state
        key = (st.turn, st.phase, st.actor, len(match.session.steps) if st.phase in (ANSWER, ANSWER_COUNTER) else 0)
        if key == self.phase_key:
            return None
        self.phase_key = key
        if not match.human_to_move() or (st.actor_id != viewer and len(match.humans) > 1):
            return None
        self.content_key = None
        if st.phase in (PROPOSE, ANSWER, ANSWER_COUNTER):
            self.terms = list(match.deal_on_table()) if st.phase != PROPOSE else []
            return "deal"
        if st.phase == ACT:
            self.sel_move = None
            return "moves"
        return None

    def adopt(self, sc) -> None:
        """A new session (`play --watch`): keep the open panel and the picked move where they
        still exist; the terms start afresh."""
        if self.sel_move not in sc.move_by_id:
            self.sel_move = None
        self.terms = []
        self.phase_key = None
        self.tabs = issues.scenario_tabs(sc)
        if self.tab not in {k for k, _, _ in self.tabs}:
            self.tab = "moves"

    # --- content ---------------------------------------------------------------------------------
    def move_infos(self, match, viewer: str):
        key = (len(match.session.steps), viewer)
        if self._infos is None or self._infos[0] != key:
            self._infos = (key, rows.move_infos(match.session.state, viewer))
        return self._infos[1]

    def infos_ready(self, match, viewer: str) -> bool:
        return self._infos is not None and self._infos[0] == (len(match.session.steps), viewer)

    def _term_cache(self, match, viewer: str) -> dict:
        key = (len(match.session.steps), viewer)
        if self._terms is None or self._terms[0] != key:
            self._terms = (key, {})
        return self._terms[1]

    def warm(self, match, viewer: str, over) -> bool:
        """Use spare time in a frame to prepare the Moves and Deal panels before they are opened;
        False when time ran out first."""
        if not self.infos_ready(match, viewer):
            self.move_infos(match, viewer)
            return True
        st = match.session.state
        if st.is_over:
            return True
        tc = self._term_cache(match, viewer)
        sc = match.scenario
        pst = preview_state(st, sc.actor_index(viewer), "propose")
        for t in sc.terms:
            key = ("proj", t.id)
            if key in tc:
                continue
            if over():
                return False
            tc[key] = explain.project(pst, Move("propose", viewer, terms=(t.id,))) if term_available(st, t) else None
        return True

    def invalidate(self) -> None:
        """What the panel shows is out of date: render the list and the detail box again."""
        self.content_key = None
        self.detail.key = None

    def refresh(self, match, viewer: str, log_rows: list, force: bool = False) -> None:
        tab = self.tab
        sel = (self.sel_move, tuple(self.terms))
        key = (tab, len(match.session.steps), viewer, self.content.rect.w, sel if tab == "deal" else None,
               can_act(match, viewer) if tab == "moves" else None, len(log_rows) if tab == "log" else 0)
        if not force and self.content_key == key:
            return
        self.content_key = key
        th = self.theme
        sc = match.scenario
        w = self.content.inner_width - 8
        st = match.session.state
        vi = sc.actor_index(viewer)
        steps = match.session.steps
        c = self.content
        at_end = c.scroll >= c.max_scroll - 4
        if tab == "moves":
            who = vi  # whose goals colour the deltas: the viewer's (the shown side when watching)
            c.multi = False
            c.set_rows(rows.move_rows(th, w, st, self.move_infos(match, viewer), who, can_act(match, viewer)))
            c.selected = {self.sel_move} if self.sel_move else set()
        elif tab == "deal":
            c.multi = True
            c.set_rows(rows.term_rows(th, w, st, vi, self.terms, can_deal(match, viewer), sc.deal_max_terms,
                                      match.deal_on_table(), self._term_cache(match, viewer)))
            c.selected = set(self.terms)
        elif tab == "programmes":
            c.set_rows(issues.programme_rows(th, w, st, steps, vi))
        elif tab in ("military", "crimea"):
            c.set_rows(issues.ladder_rows(th, w, st, steps, vi, tab))
        elif tab == "log":
            c.set_rows(list(log_rows) if log_rows else [empty_row(th, w, "Nothing yet.")])
            if at_end:
                c.scroll_to_end()
        elif tab == "sources":
            if self._sources is None or self._sources[0] != w:
                self._sources = (w, source_rows(th, w, sc))
            c.set_rows(self._sources[1])

    # --- decisions -------------------------------------------------------------------------------
    def primary(self, match):
        """Enter, or the big button: take the move, send the deal, accept."""
        st = match.session.state
        if match.over:
            return SeeOutcome()
        if not match.human_to_move():
            return Skip()
        me = st.actor_id
        if st.phase == ACT:
            return PlayMove(Move("unilateral", me, self.sel_move) if self.sel_move else Move("pass", me))
        if st.phase == PROPOSE:
            return PlayMove(Move("propose", me, terms=tuple(self.terms)) if self.terms else Move("no_deal", me))
        if st.phase in (ANSWER, ANSWER_COUNTER):
            return PlayMove(Move("accept", me))
        return Respond()

    def second(self, match):
        st = match.session.state
        if not match.human_to_move():
            return Skip(all_=True)
        if st.phase == ACT:
            self.sel_move = None
        elif st.phase == PROPOSE:
            self.terms = []
        elif st.phase in (ANSWER, ANSWER_COUNTER):
            return PlayMove(Move("reject", st.actor_id))
        return None

    def third(self, match):
        st = match.session.state
        if match.human_to_move() and st.phase == ANSWER and self.terms:
            return PlayMove(Move("counter", st.actor_id, terms=tuple(self.terms)))
        return None

    def submitted(self, move: Move) -> None:
        """``move`` was accepted by the match: clear the selection it used."""
        if move.kind in ("unilateral", "pass"):
            self.sel_move = None
        if move.kind in ("propose", "counter", "accept", "reject", "no_deal"):
            self.terms = []
        self.content_key = None

    def sync_buttons(self, match, viewer_shown: str | None, announcing: bool) -> None:
        self.actions.show(button_texts(match, viewer_shown, announcing, self.sel_move, self.terms))

    # --- input -----------------------------------------------------------------------------------
    def press(self, element, match):
        """A pygame_gui button of this panel was pressed: (used, intent)."""
        which = self.actions.which(element)
        if which:
            return True, {"p": self.primary, "s": self.second, "t": self.third}[which](match)
        for k, b in self.tab_buttons.items():
            if element is b:
                return True, OpenTab(k)
        return False, None

    def click(self, key, match, viewer: str):
        """A row of the open panel was clicked: pick the move, tick or untick the term."""
        out = None
        if self.tab == "moves" and isinstance(key, str):
            if not can_act(match, viewer):
                out = Toast("Moves come after diplomacy, on your turn", 2.0)
            self.sel_move = None if self.sel_move == key else key
        elif self.tab == "deal" and isinstance(key, str):
            if key in self.terms:
                self.terms.remove(key)
            elif len(self.terms) < match.scenario.deal_max_terms:
                self.terms.append(key)
        self.content_key = None
        return out

    def key(self, event, match, viewer: str):
        """The panel's keys: Enter, Tab (the next panel), the number keys, the arrows."""
        k = event.key
        if k in (pygame.K_RETURN, pygame.K_KP_ENTER):
            return self.primary(match)
        if k == pygame.K_TAB:
            keys = [t for t, _, _ in self.tabs]
            i = keys.index(self.tab)
            i = (i - 1) % len(keys) if event.mod & pygame.KMOD_SHIFT else (i + 1) % len(keys)
            return OpenTab(keys[i])
        if pygame.K_1 <= k <= pygame.K_9 or pygame.K_KP1 <= k <= pygame.K_KP9:
            n = (k - pygame.K_1) if k <= pygame.K_9 else (k - pygame.K_KP1)
            if self.tab == "moves":
                infos = [i for i in self.move_infos(match, viewer) if i.enabled]
                if n < len(infos):
                    out = self.click(infos[n].move.ref, match, viewer)
                    self.content.ensure_visible(next((j for j, r in enumerate(self.content.rows)
                                                      if r.key == infos[n].move.ref), 0))
                    return out
            elif self.tab == "deal" and can_deal(match, viewer):
                keys = [r.key for r in self.content.rows if not r.header and r.enabled]
                if n < len(keys):
                    return self.click(keys[n], match, viewer)
        elif k in (pygame.K_DOWN, pygame.K_UP, pygame.K_PAGEDOWN, pygame.K_PAGEUP):
            step = {pygame.K_DOWN: 1, pygame.K_UP: -1, pygame.K_PAGEDOWN: 8, pygame.K_PAGEUP: -8}[k]
            c = self.content
            c.scroll = max(0, min(c.max_scroll, c.scroll + step * self.theme.body * 2))
        return None

    # --- drawing ---------------------------------------------------------------------------------
    def draw(self, surf: pygame.Surface, match, viewer: str, over) -> bool:
        """The open panel and, under Moves and Deal, the detail box; False when the box still shows
        last frame's text (time ran out: it is rendered next frame)."""
        self.content.draw(surf)
        if self.tab not in ("moves", "deal"):
            return True
        return self._draw_detail(surf, match, viewer, over)

    def _draw_detail(self, surf, match, viewer: str, over) -> bool:
        th = self.theme
        r = self.r_detail
        done = True
        key = (self.tab, len(match.session.steps), self.sel_move, tuple(self.terms), r.w, viewer)
        if not self.detail.fresh(key):
            if self.detail.surface is not None and over():
                done = False  # show the old text one more frame
            else:
                self.detail.render(key, th, r.w - 2 * self.pad, match, viewer, self.tab, self.sel_move, self.terms,
                                   self.move_infos(match, viewer) if self.tab == "moves" else (),
                                   can_act(match, viewer), can_deal(match, viewer))
        text = self.detail.surface
        want = min(round(self.rect.h * 0.42), max(self.detail_h, text.get_height() + self.pad + 4))
        if want != r.h:
            # the box grows (within limits) to hold its text; the list above gives way
            self.r_detail = r = pygame.Rect(r.x, self.r_actions.y - self.pad - want, r.w, want)
            self.content.rect = self._content_rect()
            self.content._layout()
        pygame.draw.rect(surf, th.c["panel_alt"], r, border_radius=4)
        pygame.draw.rect(surf, th.c["border"], r, 1, border_radius=4)
        clip = surf.get_clip()
        surf.set_clip(r.inflate(-4, -4))
        surf.blit(text, (r.x + self.pad, r.y + self.pad // 2 + 2))
        surf.set_clip(clip)
        return done
