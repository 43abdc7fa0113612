"""The main screen's panels as lists of rich rows: moves, deal terms, programmes, military, Crimea,
the log and the sources. Rows are rebuilt only when the state or the selection changes."""

from __future__ import annotations

import re

import attrs
import pygame

from game.engine import ACT, Move, State, disabled_moves
from game.engine.rules import term_available
from game.ui import explain
from game.ui.charts import line_chart
from game.ui.match import Notice
from game.ui.text import Rich
from game.ui.theme import Theme
from game.ui.widgets import Row


def add_changes(r: Rich, sc, changes, viewer: int | None, role: str = "small", limit: int = 0,
                empty: str = "no immediate effect") -> None:
    """'Economy +4, Sovereignty −2' with each delta coloured by whether it helps the viewer."""
    changes = list(changes)
    if not changes:
        r.add(empty, "faint", role)
        return
    if limit:
        changes = _collapse_issues(sc, changes)
    shown = changes[:limit] if limit else changes
    for i, (name, a, b) in enumerate(shown):
        if isinstance(name, tuple):  # several issues moved alike: ("group", count, kind)
            _, n, kind = name
            r.add(f"{n} {'clusters of programmes' if kind == 'programme' else 'issues'} ", "dim", role)
            r.add(f"{'▲' if b > 0 else '▼'}{'+' if b > 0 else explain.MINUS}{abs(b)} level ({a})", "dim", role)
            if i < len(shown) - 1:
                r.add(", ", "dim", role)
            continue
        label = sc.labels[sc.slots[name]]
        g = explain.good_for(sc, viewer, name, b - a)
        col = "good" if g > 0 else "bad" if g < 0 else "dim"
        arrow = "▲" if b > a else "▼"
        r.add(f"{label} ", "dim", role)
        r.add(f"{arrow}{explain.delta_text(sc, name, a, b)}", col, role)
        if i < len(shown) - 1:
            r.add(", ", "dim", role)
    if limit and len(changes) > limit:
        r.add(f"  +{len(changes) - limit} more", "faint", role)


def _collapse_issues(sc, changes: list) -> list:
    """Three or more issues moved by the same step to the same level read as one item
    ('11 clusters of programmes ▲+1 level (Signed on paper)'); tooltips keep the full list."""
    groups: dict = {}
    for name, a, b in changes:
        if sc.slots[name] >= sc.n_meters:
            groups.setdefault((int(b) - int(a), sc.level_name(name, int(b))), []).append(name)
    big = {k: v for k, v in groups.items() if len(v) >= 3}
    if not big:
        return changes
    out, done = [], set()
    for name, a, b in changes:
        key = None
        if sc.slots[name] >= sc.n_meters:
            key = (int(b) - int(a), sc.level_name(name, int(b)))
        if key in big:
            if key not in done:
                done.add(key)
                kinds = {sc.raw.issues[n].kind for n in big[key]}
                out.append((("group", len(big[key]), kinds.pop() if len(kinds) == 1 else "other"), key[1], key[0]))
            continue
        out.append((name, a, b))
    return out


def add_source(r: Rich, sc, src, role: str = "small") -> None:
    if src is None:
        return
    if src.invented is not None:
        r.add("Game mechanic: ", "faint", role)
        r.add(src.invented, "faint", role)
    else:
        r.add(f"¶{src.para} ", "accent", role)
        if src.quote:
            r.add(f"“{src.quote}”", "dim", role)


def preview_state(state: State, actor: int, phase: str = ACT) -> State:
    """The state as if ``actor`` were to act now: projections before it is their turn."""
    if state.phase == phase and state.actor == actor:
        return state
    return attrs.evolve(state, phase=phase, actor=actor, acted=0)


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


# --- programmes, military, Crimea ------------------------------------------------------------------

LEDGER_WORDS = {-1: "", -2: "delivered", -3: "broken"}


def ledger_text(state: State, issue: str) -> tuple[str, str]:
    sc = state.scenario
    for lg in sc.ledgers:
        if lg.issue == issue:
            v = state.ledger[lg.index]
            if v == -2:
                return "Promise delivered", "good"
            if v == -3:
                return "Promise broken", "bad"
            if v > 0:
                due = v + lg.within
                left = due - state.turn
                return f"Promised on turn {v}: implement by turn {due} ({left} left)", "warn" if left <= 3 else "dim"
            return "", "dim"
    return "", "dim"


def ledger_counts(state: State) -> tuple[int, int, int]:
    promised = sum(1 for v in state.ledger if v > 0)
    delivered = sum(1 for v in state.ledger if v == -2)
    broken = sum(1 for v in state.ledger if v == -3)
    return promised, delivered, broken


# The issue panels, by the interface hint each issue's `kind` gives: the key of the tab, the kinds
# it lists, and its label when its issues share no one group (with programmes among them, without).
ISSUE_TABS = (
    ("programmes", ("programme", "other"), "Programmes", "Issues"),
    ("military", ("military",), "Military", "Military"),
    ("crimea", ("crimea",), "Ladders", "Ladders"),
)
MAX_TAB_LABEL = 22


def tab_issue_ids(sc, key: str) -> list[str]:
    """The issues a tab lists, in file order."""
    kinds = next(k for t, k, _, _ in ISSUE_TABS if t == key)
    return [iid for iid, i in sc.raw.issues.items() if i.kind in kinds]


def issue_tabs(sc) -> list[tuple[str, str, str]]:
    """(key, label, tooltip) of the issue panels this scenario needs: one for each kind of issue it
    has, labelled by the group its issues share (else by the one issue's name, else by kind)."""
    out = []
    for key, kinds, plural, fallback in ISSUE_TABS:
        ids = tab_issue_ids(sc, key)
        if not ids:
            continue
        issues = [sc.raw.issues[i] for i in ids]
        groups = {i.group for i in issues}
        if len(groups) == 1 and "" not in groups and len(next(iter(groups))) <= MAX_TAB_LABEL:
            label = next(iter(groups))
        elif len(issues) == 1 and len(issues[0].name) <= MAX_TAB_LABEL:
            label = issues[0].name
        else:
            label = plural if any(i.kind == "programme" for i in issues) else fallback
        names = [i.name for i in issues]
        tip = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        if key == "programmes" and sc.ledgers:
            tip += ", and the commitment ledger"
        out.append((key, label, tip))
    return out


# The fixed panels around the scenario's own issue panels (issue_tabs).
FIRST_TABS = (("moves", "Moves", "Your unilateral moves: one a turn, after diplomacy"),
              ("deal", "Deal", "The deal table: pick terms from both sides and see the projected effects"))
LAST_TABS = (("log", "Log", "Everything that happened, turn by turn, with sources"),
             ("sources", "Sources", "Every element of the scenario and the paragraph it comes from"))


def scenario_tabs(sc) -> list[tuple[str, str, str]]:
    """(key, label, tooltip) of every panel of the main screen, for this scenario."""
    return [*FIRST_TABS, *issue_tabs(sc), *LAST_TABS]


def _derived_over(sc, issues: list[str]) -> list[str]:
    """Derived meters whose formula reads any of ``issues``."""
    out = []
    for mid, m in sc.raw.meters.items():
        if m.formula and any(re.search(rf"\b{re.escape(i)}\b", m.formula) for i in issues):
            out.append(mid)
    return out


def _level_effects_text(sc, issue: str, level: int) -> str:
    """'Sovereignty −7, Economy +2' for entering a level, from the file's on_level table."""
    entry = sc.raw.issues[issue].on_level.get(str(level))
    if entry is None or not entry.effects:
        return ""
    parts = []
    for k, v in entry.effects.items():
        if k not in sc.slots:
            continue
        lab = sc.labels[sc.slots[k]]
        parts.append(f"{lab} {v}" if isinstance(v, str) else f"{lab} {explain.fmt_delta(float(v))}")
    return ", ".join(parts)


def meter_bar_row(theme: Theme, width: int, sc, state: State, name: str, hist=None) -> pygame.Surface:
    """A labelled gauge for a meter, as a surface."""
    slot = sc.slots[name]
    v = state.values[slot]
    lo, hi = sc.lo[slot], sc.hi[slot]
    font = theme.fonts.role("small")
    bold = theme.fonts.role("small_bold")
    h = font.get_linesize() + 8
    surf = pygame.Surface((width, h), pygame.SRCALPHA)
    surf.blit(theme.fonts.render(font, sc.labels[slot], theme.c["text"]), (0, 0))
    val = theme.fonts.render(bold, explain.value_text(sc, name, v), theme.c["text"])
    surf.blit(val, (width - val.get_width(), 0))
    from game.ui.widgets import bar
    bar(surf, theme, pygame.Rect(0, h - 6, width, 5), (v - lo) / ((hi - lo) or 1), theme.c["bar"])
    return surf


def ladder_rich(r: Rich, theme: Theme, sc, state: State, issue: str, viewer: int) -> None:
    i = sc.raw.issues[issue]
    cur = int(state.value(issue))
    r.line(i.name, "text", "heading")
    if i.about:
        r.line(i.about, "dim", "small")
    r.gap(theme.body // 3)
    for lv, name in enumerate(i.levels):
        here = lv == cur
        done = lv < cur
        mark = "● " if here else ("✓ " if done else "○ ")
        r.add(mark, "accent" if here else ("dim" if done else "faint"), "bold")
        r.add(name, "text" if here else ("dim" if done else "faint"), "bold" if here else "body")
        if here:
            r.add("   ◂ now", "accent", "small_bold")
        r.br()
        eff = _level_effects_text(sc, issue, lv)
        if eff and lv > cur:
            r.indent(theme.body + 4)
            r.add("On reaching it: ", "faint", "small")
            r.line(eff, "faint", "small")
            r.indent(0)
    who = [sc.raw.actors[a].name for a in (i.moved_by or [])]
    if who:
        r.gap(theme.body // 3)
        r.line(f"Moves up one rung at a time, in a deal ({' or '.join(who)} gives it) or under a "
               "standoff.", "faint", "small")


def standoff_lines(r: Rich, theme: Theme, sc, state: State, issues: list[str]) -> None:
    rel = []
    for so_raw, so in zip(sc.raw.standoffs, sc.standoffs):
        touched = set(so_raw.concede) | set(so_raw.press)
        if touched & set(issues):
            rel.append(so)
    if not rel:
        return
    r.gap()
    r.line("STANDOFFS", "dim", "small_bold")
    for so in rel:
        if state.standoff == so.index:
            r.add("⚑ Open: ", "warn", "small_bold")
            r.add(so.name, "text", "small_bold")
            r.line(f" · round {state.standoff_round} of {so.rounds}", "warn", "small")
        else:
            r.add(f"{so.name}: ", "dim", "small_bold")
            r.line("not open", "faint", "small")


def history_chart(theme: Theme, width: int, steps, sc, names: list[str], title: str) -> pygame.Surface | None:
    names = [n for n in names if n in sc.slots]
    if not names:
        return None
    colours = [theme.c["accent"], theme.c["side1"], theme.c["side0"], theme.c["good"], theme.c["bad"]]
    series = []
    lo = min(sc.lo[sc.slots[n]] for n in names)
    hi = max(sc.hi[sc.slots[n]] for n in names)
    last = 1
    for i, n in enumerate(names):
        pts = explain.value_history(steps, n)
        last = max(last, pts[-1][0] if pts else 1)
        series.append((sc.labels[sc.slots[n]], colours[i % len(colours)], pts))
    return line_chart(theme, (width, theme.body * 8), series, (lo, hi), (0, max(last, 2)), title,
                      show_legend=True)


def programme_rows(theme: Theme, width: int, state: State, steps, viewer: int) -> list[Row]:
    sc = state.scenario
    rows = []
    ids = tab_issue_ids(sc, "programmes")
    derived = _derived_over(sc, ids)
    head = Rich(theme)
    p, d, b = ledger_counts(state)
    if sc.ledgers:
        head.add("Commitment ledger: ", "text", "bold")
        head.add(f"{p} promised", "warn", "bold")
        head.add(" · ", "dim")
        head.add(f"{d} delivered", "good", "bold")
        head.add(" · ", "dim")
        head.line(f"{b} broken", "bad", "bold")
        head.line("Signing on paper is a promise; implementing it in time delivers it; letting the "
                  "deadline pass breaks it and costs trust.", "dim", "small")
    rows.append(Row("head", head.render(width), header=True))
    for name in derived:
        rows.append(Row(("d", name), meter_bar_row(theme, width, sc, state, name), header=True))
    for iid in ids:
        i = sc.raw.issues[iid]
        lv = int(state.value(iid))
        r = Rich(theme)
        top = len(i.levels) - 1
        col = "good" if lv == top else ("warn" if lv > 0 else "faint")
        r.add(i.name, "text", "bold")
        r.br()
        for k, lname in enumerate(i.levels):
            r.add(lname, col if k == lv else "faint", "small_bold" if k == lv else "small")
            if k < top:
                r.add("  ›  ", "faint", "small")
        lt, lc = ledger_text(state, iid)
        if lt:
            r.br()
            r.add(lt, lc, "small")

        def tip(iid=iid, i=i, lv=lv):
            t = Rich(theme)
            t.line(i.name, "text", "bold")
            if i.about:
                t.line(i.about, "dim", "small")
            nxt = _level_effects_text(sc, iid, lv + 1) if lv + 1 < len(i.levels) else ""
            if nxt:
                t.gap(4)
                t.add(f"{i.levels[lv + 1]}: ", "text", "small_bold")
                t.line(nxt, "dim", "small")
            t.gap(4)
            add_source(t, sc, i.source)
            return t.render(theme.body * 26)
        rows.append(Row(iid, r.render(width), tooltip=tip))
    return rows


def ladder_rows(theme: Theme, width: int, state: State, steps, viewer: int, kind: str) -> list[Row]:
    sc = state.scenario
    ids = tab_issue_ids(sc, kind)
    rows = []
    if not ids:
        r = Rich(theme)
        r.add("This scenario has no issues of this kind.", "dim")
        return [Row("none", r.render(width), header=True)]
    for iid in ids:
        r = Rich(theme)
        ladder_rich(r, theme, sc, state, iid, viewer)
        rows.append(Row(iid, r.render(width), header=True))
    # the meters these rungs move, with erosion where a meter decays by itself
    touched: list[str] = []
    for iid in ids:
        for entry in sc.raw.issues[iid].on_level.values():
            for k in entry.effects:
                if k in sc.raw.meters and k not in touched:
                    touched.append(k)
    derived = _derived_over(sc, ids)
    if kind == "military":
        # the meters the rungs move, as gauges (troops at the border, trust, sovereignty, ...)
        h = Rich(theme)
        h.add("WHAT THE RUNGS MOVE", "dim", "small_bold")
        rows.append(Row("gh", h.render(width), header=True))
        for k in touched[:7]:
            rows.append(Row(("g", k), meter_bar_row(theme, width, sc, state, k), header=True))
    r = Rich(theme)
    standoff_lines(r, theme, sc, state, ids)
    if r.items:
        rows.append(Row("so", r.render(width), header=True))
    eroding = []
    for k in touched:
        m = sc.raw.meters[k]
        if m.drift and re.search(rf"-\s*[0-9.]+\s*\*\s*{re.escape(k)}\b", m.drift):
            eroding.append(k)
    for k in eroding:
        slot = sc.slots[k]
        drift = dict(sc.drift).get(slot)
        v = state.values[slot]
        path = [v]
        vals = list(state.values)
        for _ in range(3):
            if drift is None:
                break
            vals[slot] = min(max(vals[slot] + drift(tuple(vals), state.ctx), sc.lo[slot]), sc.hi[slot])
            path.append(vals[slot])
        r = Rich(theme)
        r.add(f"{sc.labels[slot]}: ", "text", "bold")
        r.add(explain.fmt_num(v), "accent", "bold")
        r.br()
        r.add("Erodes unless renewed: ", "dim", "small")
        r.line(" → ".join(explain.fmt_num(x) for x in path) + " over the next three months", "warn", "small")
        about = sc.raw.meters[k].about
        if about:
            r.line(about, "faint", "small")
        rows.append(Row(("e", k), r.render(width), header=True))
    chart_names = derived + eroding
    if kind == "military":
        chart_names += [k for k in touched if k not in chart_names and "troop" in k][:1]
    ch = history_chart(theme, width, steps, sc, chart_names[:3], "Over the game")
    if ch is not None:
        rows.append(Row("chart", ch, header=True))
    return rows


# --- log and sources ---------------------------------------------------------------------------

def notice_rich(r: Rich, theme: Theme, sc, n: Notice, viewer: int | None, role: str = "small",
                limit: int = 5) -> None:
    bold = "small_bold" if role == "small" else "bold"
    if n.kind == "move":
        i = sc.players.index(n.actor) if n.actor in sc.players else 0
        name = sc.actor(n.actor).name
        r.add(f"{name}: ", theme.side(i), bold)
        title = n.title[len(name):].lstrip(": ") if n.title.startswith(name) else n.title
        if ": " in title and (" a deal" in title.split(": ", 1)[0]):
            head, terms = title.split(": ", 1)
            r.add(head + ": ", "text", bold)
            r.add(terms.replace("; ", " · "), "dim", role)
        else:
            r.add(title, "text", bold)
        if n.changes:
            r.add(" — ", "faint", role)
            add_changes(r, sc, n.changes, viewer, role=role, limit=limit)
    elif n.kind == "event":
        r.add("Event: ", "warn", bold)
        r.add(n.title, "text", bold)
        if n.changes:
            r.add(" — ", "faint", role)
            add_changes(r, sc, n.changes, viewer, role=role, limit=limit)
        ev = sc.event_by_id.get(n.ref)
        if ev is not None and ev.source and ev.source.para:
            r.add(f"  ¶{ev.source.para}", "accent", role)
    elif n.kind == "broken":
        r.add(n.title, "bad", bold)
    elif n.kind == "standoff":
        r.add(n.title + ": ", "bad", bold)
        r.add(n.text, "text", role)
    else:
        r.add(n.title, "dim", bold)


def source_rows(theme: Theme, width: int, sc) -> list[Row]:
    rows = []
    h = Rich(theme)
    doc = explain.document_line(sc)
    if doc:
        h.line("Every scripted element cites the paragraph (¶) of the article it comes from:", "dim", "small")
        h.line(doc, "text", "small_bold")
    rows.append(Row("doc", h.render(width), header=True))
    invented_header = False
    for i, s in enumerate(explain.sources(sc)):
        r = Rich(theme)
        if s.para is None and not invented_header:
            invented_header = True
            hh = Rich(theme)
            hh.add("THE GAME'S OWN MECHANICS (NOT IN THE ARTICLE)", "dim", "small_bold")
            rows.append(Row(("ih",), hh.render(width), header=True))
        if s.para is not None:
            r.add(f"¶{s.para}  ", "accent", "small_bold")
        r.add(f"{s.kind}: ", "faint", "small")
        r.add(s.name, "text", "small_bold")
        r.br()
        r.add(f"“{s.quote}”" if s.para is not None else s.quote, "dim", "small")
        rows.append(Row(("s", i), r.render(width), header=True))
    return rows


def bargain_chart(theme: Theme, width: int, b: explain.Bargain, oname: str, viewer: int) -> pygame.Surface:
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
