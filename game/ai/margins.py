"""Soft conditions: how far a scenario condition is from holding, as a signed number.

An ending's ``when`` is a yes/no test; a player also wants to know whether it is getting closer.
``margin`` turns a condition into a function of (values, ctx) that is positive when it holds and
negative when it does not, measured in fractions of the meters' ranges: ``tension >= 95`` at 80
on a 0–100 meter is −0.15; ``a and b`` is the smaller margin, ``a or b`` the larger, ``not a`` the
negation. The function is generated from the checked expression tree exactly as the scenario
compiler does (numbers, slot subscripts and operators only), never from raw text.
"""

from __future__ import annotations

import ast

from game.scenario.expr import _RUNTIME, CONTEXT, Compiler, names_in, parse  # the compiler's helpers
from game.scenario.model import Scenario

EPS = 0.5  # an integer step: makes == hold at the value itself and != fail there


class _Margins:
    def __init__(self, sc: Scenario):
        self.sc = sc
        self.comp = Compiler(sc.slots)

    def scale(self, node: ast.AST) -> float:
        """The range that a comparison's distance is measured against."""
        best = 0.0
        for name in names_in(node):
            if name in self.sc.slots:
                s = self.sc.slots[name]
                best = max(best, self.sc.hi[s] - self.sc.lo[s])
            elif name == "turn":
                best = max(best, float(self.sc.turns))
            elif name == "month":
                best = max(best, 12.0)
            elif name == "year":
                best = max(best, 10.0)
            elif name == "round":
                best = max(best, 5.0)
        return best or 10.0

    def source(self, node: ast.AST) -> str:
        num = self.comp.source
        if isinstance(node, ast.BoolOp):
            fn = "_min" if isinstance(node.op, ast.And) else "_max"
            return f"{fn}(" + ", ".join(self.source(v) for v in node.values) + ")"
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return f"(-{self.source(node.operand)})"
        if isinstance(node, ast.Compare):
            items = [node.left, *node.comparators]
            parts = []
            for op, a, b in zip(node.ops, items, items[1:]):
                k = repr(1.0 / self.scale(ast.Tuple([a, b])))
                x, y = num(a), num(b)
                if isinstance(op, (ast.Gt, ast.GtE)):
                    parts.append(f"(({x}) - ({y})) * {k}")
                elif isinstance(op, (ast.Lt, ast.LtE)):
                    parts.append(f"(({y}) - ({x})) * {k}")
                elif isinstance(op, ast.Eq):
                    parts.append(f"({EPS!r} - _abs(({x}) - ({y}))) * {k}")
                else:
                    parts.append(f"(_abs(({x}) - ({y})) - {EPS!r}) * {k}")
            return parts[0] if len(parts) == 1 else "_min(" + ", ".join(parts) + ")"
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            return "1.0" if node.value else "-1.0"
        if isinstance(node, ast.Name) and node.id in ("true", "false"):
            return "1.0" if node.id == "true" else "-1.0"
        # A number used as a condition: true when it is not zero.
        k = repr(1.0 / self.scale(node))
        return f"(_abs({num(node)}) - {EPS!r}) * {k}"


def margin(sc: Scenario, text: str):
    """A function (values, ctx) -> signed distance from ``text`` holding (see module docstring)."""
    m = _Margins(sc)
    tree = parse(text)
    m.comp.check_names(tree)
    code = compile(f"lambda v, c: {m.source(tree)}", "<scenario margin>", "eval")
    return eval(code, {"__builtins__": {}, **_RUNTIME})  # noqa: S307 - built from the checked tree


def inputs(sc: Scenario, text: str) -> frozenset[int]:
    """The slots a condition depends on, following derived meters to their own inputs."""
    formulas = {mid: met.formula for mid, met in sc.raw.meters.items() if met.formula}
    out: set[int] = set()
    todo = [n for n in names_in(parse(text)) if n not in CONTEXT]
    seen: set[str] = set()
    while todo:
        n = todo.pop()
        if n in seen or n not in sc.slots:
            continue
        seen.add(n)
        out.add(sc.slots[n])
        if n in formulas:
            todo += names_in(parse(formulas[n]))
    return frozenset(out)
