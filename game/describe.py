"""Readable text about a scenario and its moves, for the command line and the interface."""

from __future__ import annotations

from game.engine import Move
from game.scenario import Scenario
from game.scenario.schema import Source


def cite(src: Source | None) -> str:
    if src is None:
        return ""
    if src.invented is not None:
        return f"[invented: {src.invented}]"
    return f"[¶{src.para} “{src.quote}”]"


def effects_text(sc: Scenario, table: dict) -> str:
    parts = []
    for k, v in table.items():
        label = sc.labels[sc.slots[k]] if k in sc.slots else k
        if isinstance(v, str):
            parts.append(f"{label} {v}")
        else:
            parts.append(f"{label} {v:+g}")
    return ", ".join(parts)


def describe(sc: Scenario) -> str:
    raw = sc.raw
    h = raw.scenario
    out = [f"{h.title} ({sc.id})", f"  {h.period}; {sc.turns} turns of {h.months_per_turn} month(s) "
           f"from {sc.date_label(1)}", f"  {h.summary}", ""]
    if raw.document:
        d = raw.document
        out += [f"Source: {d.author}, “{d.title}”, {d.publication}, {d.date}", ""]
    out.append("Actors")
    for aid in sc.players:
        a = raw.actors[aid]
        out.append(f"  {a.name} ({aid}), led by {a.leader}: {a.goal}")
    out += ["", "Meters"]
    for mid, m in raw.meters.items():
        rng = f"{m.range[0]:g}-{m.range[1]:g}"
        extra = f"formula {m.formula}" if m.formula else f"start {m.start:g}"
        if m.drift:
            extra += f", drift {m.drift}"
        hid = f", hidden from {', '.join(m.hidden_from)}" if m.hidden_from else ""
        out.append(f"  {mid:<18} {m.name} [{rng}] {extra}{hid} {cite(m.source)}")
    if raw.issues:
        out += ["", "Issues"]
        for iid, i in raw.issues.items():
            grp = f" ({i.group})" if i.group else ""
            out.append(f"  {iid:<18} {i.name}{grp}: " + " → ".join(
                f"[{lv}]" if n == i.start else lv for n, lv in enumerate(i.levels)) + f" {cite(i.source)}")
    for aid in sc.players:
        a = sc.actor_index(aid)
        out += ["", f"Moves for {raw.actors[aid].name}"]
        for m in sc.moves:
            if m.by == a:
                cond = f" when {m.when_text}" if m.when_text else ""
                cd = f", cooldown {m.cooldown}" if m.cooldown else ""
                out.append(f"  {m.id:<22} {m.name}{cond}{cd} {cite(m.source)}")
    out += ["", "Deal terms"]
    for t in sc.terms:
        out.append(f"  {t.id:<22} {t.name} (given by {sc.actor(t.by).name}) {cite(t.source)}")
    if raw.standoffs:
        out += ["", "Standoffs"]
        for s in raw.standoffs:
            out.append(f"  {s.id:<22} {s.name}: {s.by} against {s.target}, up to {s.rounds} rounds {cite(s.source)}")
    out += ["", "Events"]
    for e in raw.events:
        cond = f" when {e.when}" if e.when else ""
        ch = f", chance {e.chance:g}" if e.chance < 1 else ""
        choices = f", choices: {', '.join(c.label for c in e.choices)}" if e.choices else ""
        out.append(f"  {e.id:<22} {e.title}{cond}{ch}{choices} {cite(e.source)}")
    out += ["", "Endings"]
    for e in raw.endings:
        who = "nobody" if e.winner == "none" else raw.actors[e.winner].name
        tm = " (at the end)" if e.timeout else ""
        out.append(f"  {e.id:<22} {e.title}: {e.when}{tm} - winner {who}, {e.grade} {cite(e.source)}")
    hist = raw.historical
    if hist is not None:
        out += ["", f"Historical line (turns 1 to {hist.until})"]
        for hm in hist.moves:
            what = hm.move + (f" {hm.choice}" if hm.choice else "") + (f" [{', '.join(hm.terms)}]" if hm.terms else "")
            out.append(f"  turn {hm.turn:<3} {raw.actors[hm.by].name}: {what} {cite(hm.source)}".rstrip())
        if hist.expect:
            held = expect_held(sc)
            out.append(f"  expect: {hist.expect} - " + ("holds" if held else "does NOT hold") +
                       " after both sides play the line (seed 0)")
    return "\n".join(out)


def play_line(sc: Scenario, seed: int = 0):
    """The state after both sides play the historical line to its last turn (greedy where the line
    has no move)."""
    return _play_line(sc, seed)[0]


def missed_moves(sc: Scenario, seed: int = 0) -> list[int]:
    """Indexes of the historical moves that were not played when both sides played the line: not
    that side's move at that point of the turn, or not legal then."""
    hist = sc.raw.historical
    if hist is None:
        return []
    played = set(_play_line(sc, seed)[1])
    missed = []
    for i, hm in enumerate(hist.moves):
        special = hm.move in ("pass", "propose", "no_deal", "accept", "reject", "counter", "choose", "concede",
                              "stand_firm", "press", "back_down")
        kind, ref = (hm.move, hm.choice if hm.move == "choose" else "") if special else ("unilateral", hm.move)
        if (hm.turn, hm.by, kind, ref) not in played:
            missed.append(i)
    return missed


def _play_line(sc: Scenario, seed: int):
    """(the state after the line, (turn, side, kind, ref) of every move played on the way)."""
    import random

    from game.ai import make_policy
    from game.engine import apply, legal_moves, new_game, view

    hist = sc.raw.historical
    policies = {a: make_policy("historical", sc, a, seed=seed) for a in sc.players}
    rng = random.Random(seed)
    state = new_game(sc, seed)
    played = []
    while not state.is_over and hist is not None and state.turn <= hist.until:
        actor = state.actor_id
        move = policies[actor].choose(view(state, actor), legal_moves(state), rng)
        played.append((state.turn, actor, move.kind, move.ref))
        state = apply(state, move).state
    return state, played


def expect_held(sc: Scenario, seed: int = 0) -> bool | None:
    """Whether the historical line's ``expect`` holds after playing the line; None without one."""
    from game.scenario.expr import Compiler

    hist = sc.raw.historical
    if hist is None or not hist.expect:
        return None
    state = play_line(sc, seed)
    return bool(Compiler(sc.slots).compile(hist.expect)(state.values, state.ctx))


def describe_move(sc: Scenario, move: Move) -> str:
    """One line for a move, e.g. 'Moscow: Publish an unflattering poll'."""
    who = sc.actor(move.actor).name
    k = move.kind
    if k == "unilateral":
        m = sc.move_by_id.get(move.ref)
        return f"{who}: {m.name if m else move.ref}"
    if k in ("propose", "counter"):
        names = [sc.term_by_id[t].name if t in sc.term_by_id else t for t in move.terms]
        return f"{who} {'proposes' if k == 'propose' else 'counters with'} a deal: " + "; ".join(names)
    if k == "choose":
        for ev in sc.events:
            for ch in ev.choices:
                if ch.id == move.ref:
                    return f"{who} chooses: {ch.label}"
        return f"{who} chooses {move.ref}"
    if k == "console":
        return f"Console: {move.ref}"
    text = {"pass": "passes", "no_deal": "tables no deal", "accept": "accepts the deal",
            "reject": "rejects the deal", "concede": "gives way in the standoff",
            "stand_firm": "stands firm", "press": "presses the demand", "back_down": "backs down"}
    return f"{who} {text.get(k, k)}"
