"""The Moves and Deal panels as lists of rich rows: each move with its projected effects (or why it
is not possible now), each term of the deal table with what it would do if accepted."""

from __future__ import annotations

import attrs
import pygame

from game.engine import Move, State, disabled_moves
from game.engine.rules import term_available
from game.ui import explain
from game.ui.screens.panels import add_changes, add_source, preview_state
from game.ui.text import Rich
from game.ui.theme import Theme
from game.ui.widgets import Row


@attrs.define
class MoveInfo:
    move: Move
    name: str
    enabled: bool
    reason: str
    projection: explain.Projection
    index: int  # hotkey number (1-based) or 0


def move_infos(state: State, actor: str) -> list[MoveInfo]:
    """The actor's unilateral moves: available ones first (numbered), then the disabled ones."""
    sc = state.scenario
    a = sc.actor_index(actor)
    if state.is_over:
        return []
    pst = preview_state(state, a)
    reasons = {m.id: r for m, r in disabled_moves(pst, actor)}
    out = []
    n = 0
    for m in sc.moves:
        if m.by != a or m.id in reasons:
            continue
        n += 1
        mv = Move("unilateral", actor, m.id)
        out.append(MoveInfo(mv, m.name, True, "", explain.project(pst, mv), n))
    for m in sc.moves:
        if m.by == a and m.id in reasons:
            mv = Move("unilateral", actor, m.id)
            out.append(MoveInfo(mv, m.name, False, explain.disabled_text(pst, actor, m, reasons[m.id]),
                                explain.Projection(error=reasons[m.id]), 0))
    return out


def move_rows(theme: Theme, width: int, state: State, infos: list[MoveInfo], viewer: int,
              can_act: bool) -> list[Row]:
    sc = state.scenario
    rows = []
    for info in infos:
        m = sc.move_by_id[info.move.ref]
        r = Rich(theme)
        if info.enabled:
            if info.index and info.index <= 9:
                r.add(f"{info.index}  ", "accent", "bold")
            r.add(info.name, "text" if can_act else "dim", "bold")
            if info.projection.opens:
                r.add("  ⚑ opens a standoff", "warn", "small")
            r.br()
            add_changes(r, sc, info.projection.changes, viewer, limit=4)
        else:
            r.line(info.name, "disabled", "bold")
            r.add(info.reason, "faint", "small")

        def tip(m=m, info=info):
            t = Rich(theme)
            t.line(m.name, "text", "bold")
            if m.text:
                t.line(m.text, "dim", "small")
            t.gap(4)
            if info.enabled:
                t.add("Effects: ", "text", "small_bold")
                add_changes(t, sc, info.projection.changes, viewer)
                t.br()
            else:
                t.add("Not now: ", "bad", "small_bold")
                t.line(info.reason, "dim", "small")
            if m.cooldown:
                t.line(f"Can be used every {m.cooldown + 1} turns.", "faint", "small")
            if m.once:
                t.line("Once a game.", "faint", "small")
            t.gap(4)
            add_source(t, sc, m.source)
            return t.render(theme.body * 26)
        rows.append(Row(info.move.ref, r.render(width), enabled=info.enabled, tooltip=tip))
    return rows


# --- deals --------------------------------------------------------------------------------------

def term_rows(theme: Theme, width: int, state: State, viewer: int, selected: list[str], editable: bool,
              max_terms: int, table: tuple[str, ...], cache: dict | None = None) -> list[Row]:
    """Rows for the deal table. ``cache`` (per state) keeps projections and rendered rows, so
    ticking a term re-renders only that row."""
    sc = state.scenario
    me = sc.players[viewer]
    other = 1 - viewer
    rows = []
    cache = {} if cache is None else cache
    pst = preview_state(state, viewer, "propose")
    full = len(selected) >= max_terms
    for giver, title in ((other, f"{sc.actor(other).name} gives"), (viewer, "You give")):
        h = Rich(theme)
        h.add(title.upper(), theme.side(giver), "small_bold")
        rows.append(Row(("h", giver), h.render(width), header=True))
        for t in sc.terms:
            if t.by != giver:
                continue
            avail = term_available(state, t)
            pkey = ("proj", t.id)
            if pkey not in cache:
                cache[pkey] = explain.project(pst, Move("propose", me, terms=(t.id,))) if avail else None
            proj = cache[pkey]
            on_table = t.id in table
            enabled = editable and avail and (t.id in selected or not full)
            rkey = ("row", t.id, t.id in selected, on_table, width)
            surf = cache.get(rkey)
            if surf is None:
                surf = cache[rkey] = _term_surface(theme, width, sc, t, proj, avail, t.id in selected, on_table,
                                                   viewer)

            def tip(t=t, proj=proj):
                tt = Rich(theme)
                tt.line(t.name, "text", "bold")
                tt.line(f"Given by {sc.actor(t.by).name}", theme.side(t.by), "small")
                if t.text:
                    tt.line(t.text, "dim", "small")
                if proj is not None and proj.ok:
                    tt.gap(4)
                    tt.add("If accepted: ", "text", "small_bold")
                    add_changes(tt, sc, proj.changes, viewer)
                    tt.br()
                tt.gap(4)
                add_source(tt, sc, t.source)
                return tt.render(theme.body * 26)
            rows.append(Row(t.id, surf, enabled=enabled, tooltip=tip, accent=theme.side(giver)))
    return rows


def _term_surface(theme, width, sc, t, proj, avail, selected, on_table, viewer) -> pygame.Surface:
    r = Rich(theme)
    r.add("☑ " if selected else "☐ ", "accent" if selected else "dim", "bold")
    r.add(t.name, "text" if avail else "disabled", "bold" if selected else "body")
    if on_table:
        r.add("  on the table", "warn", "small")
    r.br()
    if not avail:
        r.add("Not on offer now", "faint", "small")
    elif proj is not None and proj.ok:
        add_changes(r, sc, proj.changes, viewer, limit=4)
    return r.render(width)
