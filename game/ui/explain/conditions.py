"""Conditions in words: a scenario's expressions humanised, and which part of a condition fails."""

from __future__ import annotations

import ast

from game.engine import State
from game.scenario import Scenario
from game.ui.explain.figures import _MONTHS, MINUS, fmt_num, kind_of


# --- conditions in words --------------------------------------------------------------------------

_OPS = {ast.Lt: "<", ast.LtE: "≤", ast.Gt: ">", ast.GtE: "≥", ast.Eq: "=", ast.NotEq: "≠"}


def humanise(sc: Scenario, text: str) -> str:
    """'crimea >= 5 and hrodno >= 4' -> "Recognition of Crimea at 'Formal legal recognition' and …"."""
    try:
        tree = ast.parse(text.strip(), mode="eval").body
        return _human(sc, tree, top=True)
    except (SyntaxError, ValueError, KeyError, IndexError, RecursionError):
        return text


_PREC = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 2}


def _label(sc: Scenario, node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        if node.id in sc.slots:
            return sc.labels[sc.slots[node.id]]
        return node.id
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool):
            return str(node.value).lower()
        if isinstance(node.value, (int, float)):
            return f"{node.value:g}".replace("-", MINUS)
        return str(node.value)
    if isinstance(node, ast.BinOp):
        op = {ast.Add: "+", ast.Sub: MINUS, ast.Mult: "×", ast.Div: "/"}.get(type(node.op), "?")
        prec = _PREC.get(type(node.op), 3)

        def side(child, right):
            text = _label(sc, child)
            if isinstance(child, ast.BinOp):
                cp = _PREC.get(type(child.op), 3)
                if cp < prec or (right and cp == prec and isinstance(node.op, (ast.Sub, ast.Div))):
                    return f"({text})"
            return text
        return f"{side(node.left, False)} {op} {side(node.right, True)}"
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return MINUS + _label(sc, node.operand)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return f"{node.func.id}({', '.join(_label(sc, a) for a in node.args)})"
    return ast.unparse(node)


def _human(sc: Scenario, node: ast.AST, top: bool = False) -> str:
    if isinstance(node, ast.BoolOp):
        word = " and " if isinstance(node.op, ast.And) else " or "
        parts = [_human(sc, v) for v in node.values]
        s = word.join(parts)
        return s if top or isinstance(node.op, ast.And) else f"({s})"
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return f"not ({_human(sc, node.operand)})"
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        left, op, right = node.left, type(node.ops[0]), node.comparators[0]
        if isinstance(left, ast.Name) and isinstance(right, ast.Constant):
            name, k = left.id, right.value
            if name == "turn":
                return {ast.GtE: f"from turn {k}", ast.Gt: f"after turn {k}", ast.Eq: f"on turn {k}",
                        ast.Lt: f"before turn {k}", ast.LtE: f"up to turn {k}"}.get(op, f"turn {_OPS[op]} {k}")
            if name == "month" and op is ast.Eq and isinstance(k, int) and 1 <= k <= 12:
                return f"in {_MONTHS[k - 1]}"
            if name == "year":
                return f"year {_OPS[op]} {k}"
            if name in sc.slots and sc.slots[name] >= sc.n_meters and isinstance(k, (int, float)):
                lab = sc.labels[sc.slots[name]]
                levels = sc.raw.issues[name].levels
                k = int(k)

                def lv(i: int) -> str:
                    return f"‘{levels[max(0, min(i, len(levels) - 1))]}’"
                if op is ast.GtE:
                    return f"{lab} at {lv(k)}" + ("" if k >= len(levels) - 1 else " or beyond")
                if op is ast.Gt:
                    return f"{lab} beyond {lv(k)}"
                if op is ast.Lt:
                    return f"{lab} below {lv(k)}"
                if op is ast.LtE:
                    return f"{lab} at most {lv(k)}"
                if op is ast.Eq:
                    return f"{lab} at {lv(k)}"
                if op is ast.NotEq:
                    return f"{lab} not at {lv(k)}"
        return f"{_label(sc, left)} {_OPS.get(op, '?')} {_label(sc, right)}"
    if isinstance(node, ast.Compare):
        out = _label(sc, node.left)
        for op, c in zip(node.ops, node.comparators):
            out += f" {_OPS.get(type(op), '?')} {_label(sc, c)}"
        return out
    return _label(sc, node)


def reason_text(sc: Scenario, reason: str) -> str:
    """The engine's reason for a disabled move (a Reason), with conditions put into words."""
    if kind_of(reason) == "needs":
        return "Needs " + humanise(sc, reason.id)
    return str(reason)


def _conjuncts(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
        return [c for v in node.values for c in _conjuncts(v)]
    return [node]


def failing_parts(state: State, viewer: str, text: str) -> list[str]:
    """The parts of a condition (its 'and'-ed clauses) that fail as ``viewer`` sees the position,
    in words: a clause on a hidden meter is judged over the viewer's estimate range, and said to
    fail only when it fails across the whole range, or that it may fail otherwise."""
    import itertools

    from game.engine import view
    from game.scenario.expr import Compiler, ExprError, names_in, parse

    sc = state.scenario
    try:
        tree = parse(text)
    except ExprError:
        return [humanise(sc, text)]
    comp = sc.cache.get("explain.compiler")
    if comp is None:
        comp = sc.cache["explain.compiler"] = Compiler(sc.slots)
    v = view(state, viewer)
    out = []
    for node in _conjuncts(tree):
        try:
            fn = comp.compile(ast.unparse(node))
        except (ExprError, SyntaxError):
            continue
        hidden = [n for n in dict.fromkeys(names_in(node)) if n in v.estimates][:4]
        vals = list(v.state.values)
        results = set()
        for corner in itertools.product(*(v.estimates[n] for n in hidden)):
            for n, x in zip(hidden, corner):
                vals[sc.slots[n]] = x
            results.add(bool(fn(tuple(vals), state.ctx)))
        words = humanise(sc, ast.unparse(node))
        if results == {False}:
            out.append(words)
        elif False in results:
            est = ", ".join(f"{sc.labels[sc.slots[n]]} {fmt_num(a)}–{fmt_num(b)}"
                            for n, (a, b) in ((n, v.estimates[n]) for n in hidden))
            out.append(f"{words} (may not hold: you estimate {est})")
    return out


def disabled_text(state: State, viewer: str, move, reason: str) -> str:
    """Why a unilateral move is not possible, in words the viewer may read: only the failing
    parts of its condition, judged on what the viewer can see."""
    sc = state.scenario
    if kind_of(reason) == "needs" and move.when_text:
        parts = failing_parts(state, viewer, move.when_text)
        if parts:
            return "Needs " + "; ".join(parts)
        return "Not possible now: it turns on something you cannot see exactly"
    return reason_text(sc, reason)
