"""The left column of the main screen: every meter with its change since the viewer's last turn
(hover one to see why it moved), and under them the other side's estimated mood and your standing."""

from __future__ import annotations

import pygame

from game.engine import utility, view
from game.ui import explain
from game.ui.screens.panels import viewer_index
from game.ui.text import Rich, ellipsize
from game.ui.widgets import ListView, Row, bar


class MetersPanel:
    def __init__(self):
        self.list: ListView | None = None
        self.key = None
        self.stance_rect = pygame.Rect(0, 0, 0, 0)
        self._stance: pygame.Surface | None = None

    def build(self, theme, rect: pygame.Rect, pad: int) -> None:
        self.theme = theme
        self.rect = rect
        self.pad = pad
        stance_h = round(theme.body * 5.6)
        self.stance_rect = pygame.Rect(rect.x + pad // 2, rect.bottom - stance_h - pad // 2, rect.w - pad, stance_h)
        self.list = ListView(theme, pygame.Rect(rect.x + pad // 2, rect.y + pad // 2, rect.w - pad,
                                                self.stance_rect.y - rect.y - pad), selectable=False)
        self.list.pad = 1
        self.key = None

    def invalidate(self) -> None:
        self.key = None

    def refresh(self, match, viewer: str, force: bool = False) -> None:
        key = ("meters", len(match.session.steps), viewer, self.list.rect.w)
        if not force and self.key == key:
            return
        self.key = key
        self.list.set_rows(self._rows(match, viewer))
        self._stance = None
        self._for = (match, viewer)

    def handle(self, event) -> None:
        self.list.handle(event)

    # --- the meters ------------------------------------------------------------------------------
    def _rows(self, match, viewer: str) -> list[Row]:
        th = self.theme
        sc = match.scenario
        st = match.session.state
        watch = not match.humans
        vi = sc.actor_index(viewer)
        v = view(st, viewer)
        net = explain.aggregate(match.recent_changes(viewer))
        w = self.list.inner_width - 4
        groups = [(viewer, sc.actor(viewer).name), (sc.players[1 - vi], sc.actor(sc.players[1 - vi]).name),
                  ("", "Shared")]
        if watch:
            groups = [(sc.players[0], sc.actor(sc.players[0]).name), (sc.players[1], sc.actor(sc.players[1]).name),
                      ("", "Shared")]
        rows = []
        small = th.fonts.role("small")
        bold = th.fonts.role("small_bold")
        lh = small.get_linesize()
        hint = Rich(th)
        hint.add("Arrows: change since your last turn. Hover a meter to see why it moved."
                 if not watch else "Arrows: change this turn. Hover a meter to see why.", "faint", "small")
        rows.append(Row(("hint",), hint.render(w), header=True))
        for owner, title in groups:
            ids = [mid for mid, m in sc.raw.meters.items() if (m.owner or "") == owner
                   and not (sc.lo[sc.slots[mid]] == 0 and sc.hi[sc.slots[mid]] == 1)]
            if not ids:
                continue
            h = Rich(th)
            col = th.side(sc.players.index(owner)) if owner in sc.players else th.c["dim"]
            h.add(title.upper(), col, "small_bold")
            if owner == viewer and not watch:
                h.add("  (yours)", "faint", "small")
            rows.append(Row(("h", owner), h.render(w), header=True))
            for mid in ids:
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
                    g = explain.good_for(sc, viewer_index(match, viewer), mid, d)
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
                    return self._tip(match, viewer, mid, hidden)
                rows.append(Row(mid, surf, header=False, enabled=False, tooltip=tip))
        return rows

    def _tip(self, match, viewer: str, mid: str, hidden: bool) -> pygame.Surface:
        th = self.theme
        sc = match.scenario
        watch = not match.humans
        vi = viewer_index(match, viewer)
        m = sc.raw.meters[mid]
        slot = sc.slots[mid]
        st = match.session.state
        t = Rich(th)
        t.line(m.name, "text", "bold")
        if m.about:
            t.line(m.about, "dim", "small")
        t.gap(4)
        if hidden:
            a, b = view(st, viewer).estimates[mid]
            t.line(f"Hidden from you: your estimate is {explain.fmt_num(a)}–{explain.fmt_num(b)} "
                   f"(range {explain.fmt_num(sc.lo[slot])}–{explain.fmt_num(sc.hi[slot])}).", "warn", "small")
        else:
            t.line(f"Now {explain.value_text(sc, mid, st.values[slot])} (range {explain.fmt_num(sc.lo[slot])}–"
                   f"{explain.fmt_num(sc.hi[slot])})", "text", "small")
        if not watch:
            w_ = explain.weight(sc, sc.actor_index(viewer), mid)
            if w_:
                t.line(f"You want it {'higher' if w_ > 0 else 'lower'}.", "good", "small")
        if m.formula:
            t.line("Computed from: " + explain.humanise(sc, m.formula), "faint", "small")
        if not hidden:
            causes = explain.by_cause(match.recent_changes(viewer), mid)
            t.gap(4)
            label = "SINCE YOUR LAST TURN" if not watch else "THIS TURN"
            if causes:
                t.line(label, "dim", "small_bold")
                for cause, d, turn in causes[-10:]:
                    g = explain.good_for(sc, vi, mid, d)
                    col = "good" if g > 0 else "bad" if g < 0 else "dim"
                    t.add(f"{explain.fmt_delta(d):>6}  ", col, "small_bold")
                    t.line("Drift (the month's trend)" if explain.kind_of(cause) == "drift" else cause, "text", "small")
            else:
                t.line(f"{label}: no change", "faint", "small")
            if m.drift:
                t.gap(4)
                t.line("Each month it drifts by " + explain.humanise(sc, m.drift), "faint", "small")
        return t.render(th.body * 26)

    # --- the mood and the standing ---------------------------------------------------------------
    def _stance_surface(self) -> pygame.Surface:
        if self._stance is not None:
            return self._stance
        match, viewer = self._for
        th = self.theme
        sc = match.scenario
        st = match.session.state
        w = self.stance_rect.w - 2 * self.pad
        surf = pygame.Surface((w, self.stance_rect.h - self.pad), pygame.SRCALPHA)
        small = th.fonts.role("small")
        bold = th.fonts.role("small_bold")
        y = 0
        if not match.humans:
            surf.blit(th.fonts.render(bold, "SCORES NOW (0–100)", th.c["dim"]), (0, y))
            y += bold.get_linesize() + 2
            for i, p in enumerate(sc.players):
                u = utility(sc, st.values, i)
                surf.blit(th.fonts.render(small, f"{sc.actor(p).name}  {explain.fmt_num(u)}", th.side(i)), (0, y))
                y += small.get_linesize()
                bar(surf, th, pygame.Rect(0, y, w, 6), u / 100, th.side(i))
                y += 10
        else:
            vi = sc.actor_index(viewer)
            other = sc.players[1 - vi]
            lo, hi = explain.stance(st, viewer, match.belief_of(viewer))
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
        self._stance = surf
        return surf

    def draw(self, surf: pygame.Surface) -> None:
        c = self.theme.c
        self.list.draw(surf)
        r = self.stance_rect
        pygame.draw.line(surf, c["border"], (r.x, r.y - self.pad // 2), (r.right, r.y - self.pad // 2))
        surf.blit(self._stance_surface(), (r.x + self.pad // 2, r.y + 2))
