"""Rich text for the things of a game, shared by the main screen and the end screen: a list of
changes with coloured deltas, a source citation, a notice of the log, the list of sources."""

from __future__ import annotations

import attrs

from game.engine import ACT, State
from game.ui import explain
from game.ui.match import Notice
from game.ui.text import Rich
from game.ui.theme import Theme
from game.ui.widgets import Row


def viewer_index(match, viewer: str) -> int | None:
    """Whose goals colour the deltas: the viewer's index, or None when watching."""
    return None if not match.humans else match.scenario.actor_index(viewer)


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
