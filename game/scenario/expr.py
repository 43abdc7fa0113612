"""The scenario expression language: a whitelisted subset of Python expressions, compiled once.

Source text is parsed with ``ast`` in eval mode, every node is checked against a whitelist, names
are resolved to slots of the state's flat value tuple, and the checked tree is turned into Python
source over that tuple and compiled. Nothing from the file is ever evaluated as Python: the
generated source contains only numbers, slot subscripts and the operators below. The ``fuse_*``
functions join such generated sources (never file text) into one function evaluating several
expressions at once, for the engine's hot paths.
"""

from __future__ import annotations

import ast
import difflib
import math
import warnings
import weakref
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
# What a refused construct is called in messages (never Python's node names).
_NODE_NAMES = {
    ast.Attribute: "attribute access ('.')", ast.Subscript: "a subscript ('[ ]')",
    ast.Lambda: "a lambda", ast.ListComp: "a comprehension", ast.GeneratorExp: "a comprehension",
    ast.SetComp: "a comprehension", ast.DictComp: "a comprehension",
    ast.IfExp: "'x if c else y'", ast.NamedExpr: "':='", ast.List: "a list ('[ ]')",
    ast.Tuple: "a tuple", ast.Set: "a set ('{ }')", ast.Dict: "a table ('{ }')",
    ast.JoinedStr: "an f-string", ast.FormattedValue: "an f-string", ast.Starred: "'*'",
    ast.Await: "'await'", ast.Yield: "'yield'", ast.YieldFrom: "'yield'", ast.Slice: "a slice",
    ast.Pow: "'**'", ast.Mod: "'%'", ast.FloorDiv: "'//'", ast.MatMult: "'@'",
    ast.LShift: "'<<'", ast.RShift: "'>>'", ast.BitOr: "'|'", ast.BitAnd: "'&'", ast.BitXor: "'^'",
    ast.Invert: "'~'", ast.In: "'in'", ast.NotIn: "'not in'", ast.Is: "'is'", ast.IsNot: "'is not'",
}
# Numbers an expression may produce: anything beyond (an overflow to inf, or NaN) is brought
# back by _finite, so the engine never rounds or compares a non-finite value.
LIMIT = 1e300


def _what(thing: object) -> str:
    return _NODE_NAMES.get(type(thing), "this construct")


def _finite(x: float) -> float:
    if x != x:
        return 0.0
    return LIMIT if x > 0 else -LIMIT


SUGGEST_POOL = 300  # names compared for one hint: a file with thousands of names stays fast


def suggest(name: str, known: list[str] | set[str] | tuple[str, ...]) -> str | None:
    """A 'did you mean' hint for a misspelt name, or None. Among many names, only a few hundred
    of about the same length and first letter are compared (a typo rarely changes those)."""
    pool = known
    if len(pool) > SUGGEST_POOL:
        pool = [k for k in pool if abs(len(k) - len(name)) <= 2 and k[:1] == name[:1]][:SUGGEST_POOL]
    close = difflib.get_close_matches(name, sorted(pool), n=1, cutoff=0.6)
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
        with warnings.catch_warnings():  # '1inf' would print a SyntaxWarning on the user's terminal
            warnings.simplefilter("ignore")
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
        if node.id in FUNCTIONS:  # a function used as a value ("abs > 1", "max(min, 1)")
            raise ExprError(f"'{node.id}' is a function, not a value",
                            f"call it with arguments, e.g. {node.id}(x, y)" if node.id != "abs"
                            else "call it with an argument, e.g. abs(x)")
        return
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _BINOPS:
            raise ExprError(f"operator {_what(node.op)} is not allowed",
                            _FORBIDDEN_HINTS.get(type(node.op), "use + - * / only"))
        _check(node.left, d)
        _check(node.right, d)
        return
    if isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, (ast.USub, ast.UAdd, ast.Not)):
            raise ExprError(f"operator {_what(node.op)} is not allowed", "use - and not")
        _check(node.operand, d)
        return
    if isinstance(node, ast.BoolOp):
        for v in node.values:
            _check(v, d)
        return
    if isinstance(node, ast.Compare):
        for op in node.ops:
            if type(op) not in _CMPOPS:
                raise ExprError(f"comparison {_what(op)} is not allowed", "use < <= > >= == !=")
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
    raise ExprError(f"{_what(node)} is not allowed in expressions",
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


_RUNTIME = {"_min": min, "_max": max, "_abs": abs, "_clamp": _clamp, "_div": _div, "_finite": _finite}


def _is_bool(node: ast.AST) -> bool:
    """Whether a checked node can only give a bool or a value read as it is (never an overflow)."""
    if isinstance(node, (ast.Compare, ast.Constant, ast.Name)):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return True
    return isinstance(node, ast.BoolOp) and all(_is_bool(v) for v in node.values)


class Compiler:
    """Compiles checked expressions to functions of (values, ctx).

    ``values`` is the flat tuple of meter and issue values; ``ctx`` is (turn, year, month, round).
    """

    def __init__(self, slots: Mapping[str, int]):
        self.slots = dict(slots)
        self._cache: dict[str, Callable] = {}
        self._known: list[str] | None = None

    def known(self) -> list[str]:
        if self._known is None:  # asked once per unknown name: sorting thousands each time adds up
            self._known = sorted(set(self.slots) | set(CONTEXT) | {"true", "false"})
        return self._known

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
        """A function (values, ctx) -> number for an expression, a number or a bool.

        Its generated source is remembered (``source_text``) so that the ``fuse_*`` functions
        can later join several into one function."""
        if isinstance(text, bool):
            return _known((lambda v, c: True) if text else (lambda v, c: False), repr(text))
        if isinstance(text, (int, float)):
            const = float(text)
            return _known(lambda v, c: const, repr(const))
        key = text
        if key in self._cache:
            return self._cache[key]
        tree = parse(text)
        self.check_names(tree)
        src = self.source(tree)
        if not _is_bool(tree):  # arithmetic can overflow: keep the result finite (see LIMIT)
            src = f"(_n if {-LIMIT!r} <= (_n := {src}) <= {LIMIT!r} else _finite(_n))"
        fn = self._cache[key] = _known(_build(src, {}), src)
        return fn


# The source of every function this module made, by function: only sources generated here from
# checked trees (or numbers it wrote itself) are ever joined into fused functions.
_SOURCES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _known(fn: Callable, src: str) -> Callable:
    _SOURCES[fn] = src
    return fn


def source_text(fn: Callable) -> str | None:
    """The generated Python source of a function made by this module, or None for any other."""
    try:
        return _SOURCES.get(fn)
    except TypeError:  # not weakly referenceable: not one of ours
        return None


def _build(body: str, env: dict) -> Callable:
    """Compile ``lambda v, c: body``. ``body`` is only ever made by this module: sources from
    ``Compiler.source`` (checked trees), literals it writes itself and names bound in ``env``."""
    code = compile(f"lambda v, c: {body}", "<scenario expression>", "eval")
    return eval(code, {"__builtins__": {}, **_RUNTIME, **env})  # noqa: S307 - see above


def _source_of(fn: Callable, env: dict) -> str:
    """Source computing ``fn(v, c)``: this module's own source for its functions; any other
    function (one built by hand, say in a test) is bound in ``env`` and called."""
    src = source_text(fn)
    if src is not None:
        return f"({src})"
    env["_tuple"] = tuple
    return f"{_bind(fn, env)}(_tuple(v), c)"  # such a function may expect the engine's tuple


def constant(x: float) -> Callable:
    """A function (values, ctx) -> x, fusable like the compiler's own."""
    fn = lambda v, c: x  # noqa: E731
    if type(x) in (int, float) and math.isfinite(x):
        _known(fn, repr(x))  # a finite int or float's repr reads back as the same number
    return fn


def _bind(x: object, env: dict) -> str:
    """A fresh name for ``x`` in ``env``."""
    name = f"_f{len(env)}"
    env[name] = x
    return name


# --- fused functions: several compiled expressions evaluated in one call ----------------------
# Scenario expressions are pure (no side effects, no errors: division by zero gives 0), so
# evaluating them together, even ones a caller would have skipped, gives the same values.

def fuse_values(fns) -> Callable:
    """One function (v, c) -> (fn(v, c) for fn in fns) as a tuple."""
    env: dict = {}
    return _build("(" + "".join(_source_of(f, env) + ", " for f in fns) + ")", env)


def fuse_flags(rows) -> Callable:
    """One function (v, c) -> tuple of bools, one per row. A row is (when, costs): true when
    ``when`` (a function or None) holds and ``not v[slot] - amount < low`` for each
    (slot, amount, low) of ``costs``."""
    env: dict = {}
    parts = []
    for when, costs in rows:
        conds = [] if when is None else [_source_of(when, env)]
        conds += [f"not (v[{int(slot)}] - {_bind(amount, env)} < {_bind(low, env)})"
                  for slot, amount, low in costs]
        parts.append(f"(True if {' and '.join(conds)} else False)" if conds else "True")
    return _build("(" + "".join(p + ", " for p in parts) + ")", env)


def fuse_first(fns) -> Callable:
    """One function (v, c) -> index of the first fn that holds, or -1 (a flat ``or`` chain)."""
    env: dict = {}
    parts = [f"({_source_of(f, env)} and {i + 1})" for i, f in enumerate(fns)]
    return _build("(" + " or ".join(parts + ["0"]) + ") - 1", env)
