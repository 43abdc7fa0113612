"""The box under the Moves and Deal panels: what the selected move would do, or what the deal on the
table (or the one being put together) would do, with its bargaining range drawn under the text."""

from __future__ import annotations

import pygame

from game.engine import ANSWER, ANSWER_COUNTER, PROPOSE, Move, utility
from game.ui import explain
from game.ui.screens.panels import add_changes, add_source, preview_state
from game.ui.text import Rich


class DetailBox:
    """Owns its rendered text: rendered again only when the tab, the state, the selection, the
    width or the viewer change."""

    def __init__(self):
        self.key = None
        self.surface: pygame.Surface | None = None

    def fresh(self, key) -> bool:
        return self.surface is not None and self.key == key

    def render(self, key, theme, w: int, match, viewer: str, tab: str, sel_move: str | None, terms: list[str],
               infos, can_act: bool, can_deal: bool) -> pygame.Surface:
        self.key = key
        self.surface = detail_surface(theme, w, match, viewer, tab, sel_move, terms, infos, can_act, can_deal)
        return self.surface


def detail_surface(th, w: int, match, viewer: str, tab: str, sel_move: str | None, terms: list[str], infos,
                   can_act: bool, can_deal: bool) -> pygame.Surface:
    sc = match.scenario
    st = match.session.state
    r = Rich(th)
    vi = sc.actor_index(viewer)
    vidx = None if not match.humans else vi
    me = viewer
    chart = None  # the bargaining range, drawn under the text on the deal tab
    if tab == "moves":
        if sel_move and sel_move in sc.move_by_id:
            mv = sc.move_by_id[sel_move]
            info = next((i for i in infos if i.move.ref == sel_move), None)
            r.line(mv.name, "text", "bold")
            if mv.text:
                r.line(mv.text, "dim", "small")
            if info is not None and info.enabled:
                r.add("Effects: ", "text", "small_bold")
                add_changes(r, sc, info.projection.changes, vidx)
                r.br()
            add_source(r, sc, mv.source)
        else:
            if can_act:
                r.line("Pick one move (click it, or press its number), then take it with Enter — "
                       "or end the turn without one.", "dim", "small")
            else:
                r.line("Moves come after diplomacy. You can look at what each would do: its effects "
                       "are on its second line; hover for the full text and source.", "dim", "small")
            r.gap(4)
            r.line("Greyed moves say why they are not possible now.", "faint", "small")
    else:  # deal
        table = match.deal_on_table()
        ph = st.phase
        other = sc.players[1 - vi]
        oname = sc.actor(other).name
        moved = explain.belief_moved(sc, match.belief_of(me)) if match.belief_of(me) else ""
        if ph in (ANSWER, ANSWER_COUNTER) and table:
            who = sc.actor(st.actor_id).name if st.actor_id else ""
            proposer = sc.players[1 - st.actor] if st.actor >= 0 else other
            r.add(f"{sc.actor(proposer).name} proposes: ", th.side(sc.actor_index(proposer)), "small_bold")
            r.line("; ".join(sc.term_by_id[t].name for t in table), "text", "small")
            if st.actor_id == me and match.human_to_move():
                proj = explain.project(st, Move("accept", me))
                r.add("Accepting would: ", "text", "small_bold")
                add_changes(r, sc, proj.changes, vidx)
                r.br()
                du = utility(sc, proj.step.state.values, vi) - utility(sc, st.values, vi) if proj.step else 0
                r.line(f"Your standing {explain.fmt_delta(du)}", "good" if du > 0 else "bad" if du < 0 else "dim",
                       "small_bold")
                if ph == ANSWER:
                    r.line("Or change the selection and send it back as a counter-offer.", "faint", "small")
            else:
                r.line(f"Waiting for {who}.", "dim", "small")
        elif terms:
            mv = Move("propose" if ph != ANSWER else "counter", me, terms=tuple(terms))
            base = st if can_deal else preview_state(st, vi, "propose")
            if mv.kind == "propose" and base.phase != PROPOSE:
                base = preview_state(st, vi, "propose")
            proj = explain.project(base, mv)
            if proj.ok:
                du = (utility(sc, proj.step.state.values, vi) - utility(sc, st.values, vi)) if proj.step else 0
                belief = match.belief_of(me)
                deal = explain.bargain(base, mv, belief) if belief is not None else None
                if deal is not None:
                    p = deal.chance
                    r.add(f"{oname} would accept: ", "text", "small_bold")
                    r.add(f"{explain.chance_words(p)} (≈{round(p * 100)}%)",
                          "good" if p >= 0.6 else "bad" if p < 0.4 else "warn", "small_bold")
                    r.add("  from what you have learnt of its goals", "faint", "small")
                    r.br()
                    chart = bargain_chart(th, w, deal, oname, vi)
                r.add(f"Your standing {explain.fmt_delta(du)}", "good" if du > 0 else "bad" if du < 0 else "dim",
                      "small_bold")
                r.add(f"   ·   {len(terms)} of {sc.deal_max_terms} terms", "dim", "small")
                r.br()
                r.add("If accepted: ", "text", "small_bold")
                add_changes(r, sc, proj.changes, vidx, limit=8)
                r.br()
            else:
                r.line(proj.error, "bad", "small")
        else:
            if can_deal:
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


def bargain_chart(theme, width: int, b: explain.Bargain, oname: str, viewer: int) -> pygame.Surface:
    """The bargaining range of a package: what it is worth to you (exactly) and what you believe
    it is worth to the other side (a hatched 10–90% band with its mean), on one scale of score
    points, with the line the other side is believed to need crossed before it says yes. Where
    both bars lie right of their lines, there is a zone where both gain."""
    th = theme
    small = th.fonts.role("small")
    bold = th.fonts.role("small_bold")
    lh = small.get_linesize()
    label_w = max(small.size("You")[0], small.size(oname)[0]) + 8
    value_w = small.size("+00.0 (+00.0…+00.0)")[0]
    axis_w = max(40, width - label_w - value_w - 8)
    lo = min(0.0, b.mine, b.lo, -1.0)
    hi = max(0.0, b.mine, b.hi, b.need, 1.0)
    pad = 0.06 * (hi - lo)
    lo, hi = lo - pad, hi + pad

    def x(v: float) -> int:
        return label_w + round((v - lo) / (hi - lo) * axis_w)

    bar_h = max(8, lh - 6)
    rows_y = (lh + 2, 2 * lh + 6)
    h = rows_y[1] + lh + lh + 4
    surf = pygame.Surface((width, h), pygame.SRCALPHA)
    surf.blit(th.fonts.render(bold, "BARGAINING RANGE (score points)", th.c["dim"]), (0, 0))
    # You: exact.
    y = rows_y[0]
    surf.blit(th.fonts.render(small, "You", th.side(viewer)), (0, y))
    a, c = sorted((x(0.0), x(b.mine)))
    pygame.draw.rect(surf, th.side(viewer), (a, y + 3, max(2, c - a), bar_h), border_radius=2)
    surf.blit(th.fonts.render(small, explain.fmt_delta(b.mine), th.c["text"]), (label_w + axis_w + 8, y))
    # Them: the belief's band, its mean, and the caution they need.
    y = rows_y[1]
    surf.blit(th.fonts.render(small, oname, th.side(1 - viewer)), (0, y))
    a, c = x(b.lo), x(b.hi)
    band = pygame.Rect(a, y + 3, max(3, c - a), bar_h)
    col = pygame.Color(th.side(1 - viewer))
    s = pygame.Surface(band.size, pygame.SRCALPHA)
    s.fill((col.r, col.g, col.b, 90))
    for k in range(-band.h, band.w, 5):  # hatching says "estimate"
        pygame.draw.line(s, (col.r, col.g, col.b, 220), (k, band.h), (k + band.h, 0))
    surf.blit(s, band)
    m = x(b.theirs)
    pygame.draw.line(surf, th.c["text"], (m, y + 1), (m, y + 3 + bar_h + 1), 2)
    need = x(b.need)
    pygame.draw.line(surf, th.c["warn"], (need, y - 2), (need, y + bar_h + 7), 2)
    surf.blit(th.fonts.render(small, f"{explain.fmt_delta(b.theirs)} ({explain.fmt_delta(b.lo)}…"
                                     f"{explain.fmt_delta(b.hi)})", th.c["text"]), (label_w + axis_w + 8, y))
    # The zero line across both rows.
    z = x(0.0)
    pygame.draw.line(surf, th.c["border"], (z, rows_y[0]), (z, rows_y[1] + bar_h + 4), 1)
    # The verdict.
    y = rows_y[1] + lh + 4
    if b.mine <= 0:
        text, colour = "No zone where both gain: this package costs you.", "bad"
    elif b.lo > b.need:
        text, colour = "Both gain, by what you believe of them.", "good"
    elif b.hi > b.need:
        text, colour = "Both may gain: you are unsure it is enough for them.", "warn"
    else:
        text, colour = f"No zone where both gain: not enough for {oname}, you believe.", "bad"
    surf.blit(th.fonts.render(small, text, th.c[colour]), (0, y))
    key = th.fonts.render(small, "│ they need", th.c["warn"])
    if key.get_width() + th.fonts.render(small, text, th.c[colour]).get_width() + 12 < width:
        surf.blit(key, (width - key.get_width(), y))
    return surf
