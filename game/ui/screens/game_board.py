"""The main screen's own drawing: meters, the other side's mood, the top bar, the detail box,
the announcement banner over the map, and tooltips. A mixin of ``GameScreen``."""

from __future__ import annotations

import pygame

from game.engine import ANSWER, ANSWER_COUNTER, PROPOSE, Move, utility, view
from game.ui import explain
from game.ui.screens import panels
from game.ui.text import Rich, ellipsize
from game.ui.widgets import Row, bar, draw_tooltip, panel, spinner


class BoardMixin:
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
        hint = Rich(th)
        hint.add("Arrows: change since your last turn. Hover a meter to see why it moved."
                 if not self.watch else "Arrows: change this turn. Hover a meter to see why.", "faint", "small")
        rows.append(Row(("hint",), hint.render(w), header=True))
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
                surf = pygame.Surface((w, lh + 5), pygame.SRCALPHA)
                hidden = mid in v.estimates
                if hidden:
                    a, b = v.estimates[mid]
                    vtxt = f"≈{round(a)}–{round(b)}"
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
                br = pygame.Rect(0, lh + 1, w, 4)
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
            label = "SINCE YOUR LAST TURN" if not self.watch else "THIS TURN"
            if causes:
                t.line(label, "dim", "small_bold")
                for cause, d, turn in causes[-10:]:
                    g = explain.good_for(sc, self.viewer_idx, mid, d)
                    col = "good" if g > 0 else "bad" if g < 0 else "dim"
                    t.add(f"{explain.fmt_delta(d):>6}  ", col, "small_bold")
                    t.line("Drift (the month's trend)" if explain.kind_of(cause) == "drift" else cause, "text", "small")
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
            lo, hi = explain.stance(st, self.viewer, self.match.belief_of(self.viewer))
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
        chip_col = c["accent_text"] if not th.high_contrast else c["bg"]
        chip = th.fonts.render(th.fonts.role("small_bold"), chip_txt, chip_col)
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
        dots = "…" if spin and not prompt.endswith("…") else ""
        ptxt = ellipsize(f_h, prompt + dots, avail - (th.body * 2 if spin else 0))
        pimg = th.fonts.render(f_h, ptxt, c["text"] if human else c["dim"])
        px = left_end + (avail - pimg.get_width()) // 2 + (th.body if spin else 0)
        surf.blit(pimg, (px, self.r_top.centery - pimg.get_height() // 2))
        if spin:
            spinner(surf, th, (px - th.body, self.r_top.centery), max(5, th.body // 2), self.now)

    def _draw_detail(self, surf) -> None:
        th = self.theme
        r = self.r_detail
        key = (self.tab, self.version, self.sel_move, tuple(self.terms), r.w, self.viewer)
        hit = self.cache.get("detail")
        if not hit or hit[0] != key:
            if hit and self._over_budget():
                self.stale = True  # show the old text one more frame
            else:
                hit = (key, self._detail_surface(r.w - 2 * self.pad))
                self.cache["detail"] = hit
        want = min(round(self.r_right.h * 0.42), max(self.detail_h, hit[1].get_height() + self.pad + 4))
        if want != r.h:
            # the box grows (within limits) to hold its text; the list above gives way
            self.r_detail = r = pygame.Rect(r.x, self.r_actions.y - self.pad - want, r.w, want)
            self.content.rect = self._content_rect()
            self.content._layout()
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
        chart = None  # the bargaining range, drawn under the text on the deal tab
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
            moved = explain.belief_moved(sc, self.match.belief_of(me)) if self.match.belief_of(me) else ""
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
                if proj.ok:
                    du = (utility(sc, proj.step.state.values, vi) - utility(sc, st.values, vi)) if proj.step else 0
                    belief = self.match.belief_of(me)
                    deal = explain.bargain(base, mv, belief) if belief is not None else None
                    if deal is not None:
                        p = deal.chance
                        r.add(f"{oname} would accept: ", "text", "small_bold")
                        r.add(f"{explain.chance_words(p)} (≈{round(p * 100)}%)",
                              "good" if p >= 0.6 else "bad" if p < 0.4 else "warn", "small_bold")
                        r.add("  from what you have learnt of its goals", "faint", "small")
                        r.br()
                        chart = panels.bargain_chart(th, w, deal, oname, vi)
                    r.add(f"Your standing {explain.fmt_delta(du)}", "good" if du > 0 else "bad" if du < 0 else "dim",
                          "small_bold")
                    r.add(f"   ·   {len(self.terms)} of {sc.deal_max_terms} terms", "dim", "small")
                    r.br()
                    r.add("If accepted: ", "text", "small_bold")
                    panels.add_changes(r, sc, proj.changes, self.viewer_idx, limit=8)
                    r.br()
                else:
                    r.line(proj.error, "bad", "small")
            else:
                if self._can_deal():
                    r.line(f"Pick terms from both columns (up to {sc.deal_max_terms}): what {oname} gives and "
                           "what you give. Each term shows what it would do if accepted.", "dim", "small")
                    r.gap(4)
                    r.line("Then propose it, or skip the deal this turn.", "faint", "small")
                else:
                    r.line("Deals are tabled by the side with the initiative at the start of its turn.", "dim", "small")
                    log = st.deal_log[-3:]
                    if log:
                        r.gap(4)
                        r.line("Recent deals: " + ", ".join(f"turn {t} {o}" for t, o in log), "faint", "small")
            if moved:
                r.gap(4)
                r.line(moved, "dim", "small")
        text = r.render(w)
        if chart is None:
            return text
        out = pygame.Surface((w, text.get_height() + chart.get_height() + 6), pygame.SRCALPHA)
        out.blit(text, (0, 0))
        out.blit(chart, (0, text.get_height() + 6))
        return out

    def _banner_width(self) -> int:
        return self.r_map.w - 2 * self.pad

    def _banner_cached(self):
        """The banner rendered for the current notice at the map's current width, if there is one:
        (notice, width, surface)."""
        hit = self.cache.get("banner")
        if not hit or hit[0] is not self.current or hit[1] != self._banner_width():
            return None
        return hit

    def _banner_surface(self):
        hit = self._banner_cached()
        if hit is None:
            th = self.theme
            n = self.current
            sc = self.sc
            w = self._banner_width()
            r = Rich(th)
            if n.kind == "turn":
                r.line(n.title, "accent", "big")
            else:
                if n.kind == "move" and n.actor in sc.players:
                    i = sc.players.index(n.actor)
                    r.line(sc.actor(n.actor).name.upper(), th.side(i), "small_bold")
                    title = n.title[len(sc.actor(n.actor).name):].lstrip(": ").strip()
                    head, _, terms = title.partition(": ")
                    if terms and " a deal" in head:
                        r.line(head[:1].upper() + head[1:], "text", "heading")
                        for t in terms.split("; "):
                            r.add("• ", th.side(i), "small")
                            r.line(t, "text", "small")
                    else:
                        r.line(title[:1].upper() + title[1:], "text", "heading")
                else:
                    r.line(n.title, "text", "heading")
                if n.text:
                    r.line(n.text, "dim", "small")
                if n.changes:
                    panels.add_changes(r, sc, n.changes, self.viewer_idx, limit=8)
            hit = (n, w, r.render(w - 2 * self.pad))
            self.cache["banner"] = hit
        return hit

    def _draw_banner(self, surf) -> None:
        hit = self._banner_cached()
        if hit is None:
            self.stale = True  # rendered in the next update
            return
        th = self.theme
        n = self.current
        sc = self.sc
        _, w, content = hit
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
        if self.modal:
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
                    # rest the mouse a moment before a tooltip shows (and is rendered)
                    if self._tip_wait is None or self._tip_wait[0] != key:
                        self._tip_wait = (key, self.app.now())
                        self.app.poke(0.6)
                        return
                    if self.app.now() - self._tip_wait[1] < 0.3 or self._over_budget():
                        return
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
