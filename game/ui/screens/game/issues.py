"""The scenario's issue panels (programmes, military, ladders) as lists of rich rows, and the tabs
of the main screen's decision panel."""

from __future__ import annotations

import re

import pygame

from game.engine import State
from game.ui import explain
from game.ui.charts import line_chart
from game.ui.screens.panels import add_source
from game.ui.text import Rich
from game.ui.theme import Theme
from game.ui.widgets import Row, bar


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
