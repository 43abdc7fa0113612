"""The scenario expression language: a whitelisted subset of Python expressions, compiled once.

Source text is parsed with ``ast`` in eval mode, every node is checked against a whitelist, names
are resolved to slots of the state's flat value tuple, and the checked tree is turned into Python
source over that tuple and compiled. Nothing from the file is ever evaluated as Python: the
generated source contains only numbers, slot subscripts and the operators below.
"""

from __future__ import annotations

import ast
import difflib
import math
from collections.abc import Callable, Mapping

MAX_LENGTH = 2000
MAX_DEPTH = 50
FUNCTIONS = {"min", "max", "clamp", "abs"}
# Names every expression may read, besides meters and issues; each maps to a context slot.
CONTEXT = ("turn", "year", "month", "round")


class ExprError(ValueError):
    """An expression that is not allowed or names something unknown."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_CMPOPS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
_FORBIDDEN_HINTS = {
    ast.Attribute: "attribute access ('.') is not part of the language",
    ast.Subscript: "subscripts ('[ ]') are not part of the language",
    ast.Lambda: "lambdas are not part of the language",
    ast.Pow: "'**' is not allowed; multiply instead",
    ast.ListComp: "comprehensions are not part of the language",
    ast.GeneratorExp: "comprehensions are not part of the language",
    ast.SetComp: "comprehensions are not part of the language",
    ast.DictComp: "comprehensions are not part of the language",
    ast.IfExp: "'x if c else y' is not allowed; use min/max/clamp or separate conditions",
    ast.NamedExpr: "':=' is not allowed",
}


def suggest(name: str, known: list[str] | set[str] | tuple[str, ...]) -> str | None:
    """A 'did you mean' hint for a misspelt name, or None."""
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def parse(text: str) -> ast.expr:
    """Parse and check an expression; raise ExprError on anything outside the language."""
    if not isinstance(text, str):
        raise ExprError(f"expected an expression string, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExprError(f"expression is {len(text)} characters long; the limit is {MAX_LENGTH}",
                        "split it into a derived meter with a formula")
    if not text.strip():
        raise ExprError("empty expression", "write a condition such as 'rating < 40', or leave the key out")
    # Depth check before ast.parse, which can itself recurse deeply on nested brackets.
    depth = best = 0
    for ch in text:
        if ch in "([{":
            depth += 1
            best = max(best, depth)
        elif ch in ")]}":
            depth -= 1
    if best > MAX_DEPTH:
        raise ExprError(f"expression nests {best} brackets deep; the limit is {MAX_DEPTH}")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExprError(f"cannot parse expression: {exc.msg}", "check brackets and operators") from None
    except (ValueError, RecursionError, MemoryError):
        raise ExprError("cannot parse expression") from None
    _check(tree.body, 0)
    return tree.body


def _check(node: ast.AST, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise ExprError(f"expression nests deeper than {MAX_DEPTH} levels")
    d = depth + 1
    if isinstance(node, ast.Constant):
        if node.value is True or node.value is False:
            return
        if not isinstance(node.value, (int, float)):
            raise ExprError(f"only numbers are allowed as constants, not {node.value!r}")
        try:
            ok = math.isfinite(float(node.value))
        except OverflowError:
            ok = False
        if not ok:
            raise ExprError("number too large", "use a number below 1e300")
        return
    if isinstance(node, ast.Name):
        return
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _BINOPS:
            raise ExprError(f"operator not allowed: {type(node.op).__name__}",
                            _FORBIDDEN_HINTS.get(type(node.op), "use + - * / only"))
        _check(node.left, d)
        _check(node.right, d)
        return
    if isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, (ast.USub, ast.UAdd, ast.Not)):
            raise ExprError(f"operator not allowed: {type(node.op).__name__}")
        _check(node.operand, d)
        return
    if isinstance(node, ast.BoolOp):
        for v in node.values:
            _check(v, d)
        return
    if isinstance(node, ast.Compare):
        for op in node.ops:
            if type(op) not in _CMPOPS:
                raise ExprError(f"comparison not allowed: {type(op).__name__}", "use < <= > >= == !=")
        _check(node.left, d)
        for c in node.comparators:
            _check(c, d)
        return
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            what = node.func.id if isinstance(node.func, ast.Name) else "this"
            raise ExprError(f"call to '{what}' is not allowed",
                            "the only functions are min, max, clamp and abs")
        if node.keywords:
            raise ExprError("keyword arguments are not allowed")
        name = node.func.id
        n = len(node.args)
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise ExprError("'*' arguments are not allowed")
        if name == "abs" and n != 1:
            raise ExprError("abs takes exactly one argument")
        if name == "clamp" and n != 3:
            raise ExprError("clamp takes three arguments: clamp(x, low, high)")
        if name in ("min", "max") and n < 2:
            raise ExprError(f"{name} takes two or more arguments")
        for a in node.args:
            _check(a, d)
        return
    hint = _FORBIDDEN_HINTS.get(type(node))
    raise ExprError(f"'{type(node).__name__}' is not allowed in expressions",
                    hint or "use numbers, names, + - * /, comparisons, and/or/not, min/max/clamp/abs")


def names_in(tree: ast.expr) -> list[str]:
    """The names an expression reads, in order of appearance (functions excluded)."""
    out: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in FUNCTIONS and node.id not in out:
            out.append(node.id)
    return out


def _clamp(x: float, lo: float, hi: float) -> float:
    return lo if x < lo else hi if x > hi else x


def _div(a: float, b: float) -> float:
    return a / b if b else 0.0


_RUNTIME = {"_min": min, "_max": max, "_abs": abs, "_clamp": _clamp, "_div": _div}


class Compiler:
    """Compiles checked expressions to functions of (values, ctx).

    ``values`` is the flat tuple of meter and issue values; ``ctx`` is (turn, year, month, round).
    """

    def __init__(self, slots: Mapping[str, int]):
        self.slots = dict(slots)
        self._cache: dict[str, Callable] = {}

    def known(self) -> list[str]:
        return sorted(set(self.slots) | set(CONTEXT) | {"true", "false"})

    def check_names(self, tree: ast.expr) -> None:
        for name in names_in(tree):
            if name in self.slots or name in CONTEXT or name in ("true", "false"):
                continue
            raise ExprError(f"unknown name '{name}'", suggest(name, self.known()))

    def source(self, node: ast.AST) -> str:
        """Python source for a checked node, over 'v' (values) and 'c' (context)."""
        s = self.source
        if isinstance(node, ast.Constant):
            return repr(node.value if isinstance(node.value, bool) else float(node.value))
        if isinstance(node, ast.Name):
            if node.id in ("true", "false"):
                return "True" if node.id == "true" else "False"
            if node.id in CONTEXT:
                return f"c[{CONTEXT.index(node.id)}]"
            return f"v[{self.slots[node.id]}]"
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Div):
                return f"_div({s(node.left)}, {s(node.right)})"
            return f"({s(node.left)} {_BINOPS[type(node.op)]} {s(node.right)})"
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                return f"(not {s(node.operand)})"
            return f"({'-' if isinstance(node.op, ast.USub) else '+'}{s(node.operand)})"
        if isinstance(node, ast.BoolOp):
            op = " and " if isinstance(node.op, ast.And) else " or "
            return "(" + op.join(s(v) for v in node.values) + ")"
        if isinstance(node, ast.Compare):
            parts = [s(node.left)]
            for op, comp in zip(node.ops, node.comparators):
                parts += [_CMPOPS[type(op)], s(comp)]
            return "(" + " ".join(parts) + ")"
        if isinstance(node, ast.Call):
            return f"_{node.func.id}(" + ", ".join(s(a) for a in node.args) + ")"
        raise ExprError(f"'{type(node).__name__}' is not allowed in expressions")  # pragma: no cover

    def compile(self, text: str | int | float | bool) -> Callable:
        """A function (values, ctx) -> number for an expression, a number or a bool."""
        if isinstance(text, bool):
            return (lambda v, c: True) if text else (lambda v, c: False)
        if isinstance(text, (int, float)):
            const = float(text)
            return lambda v, c: const
        key = text
        if key in self._cache:
            return self._cache[key]
        tree = parse(text)
        self.check_names(tree)
        code = compile(f"lambda v, c: {self.source(tree)}", "<scenario expression>", "eval")
        fn = eval(code, {"__builtins__": {}, **_RUNTIME})  # noqa: S307 - source built from checked AST only
        self._cache[key] = fn
        return fn
