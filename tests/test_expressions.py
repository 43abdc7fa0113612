"""The compiled expression language agrees with a reference tree-walking evaluator."""

import ast
import math

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from game.scenario.expr import LIMIT, Compiler, ExprError, _finite, parse

NAMES = ["rating", "economy", "crimea"]
SLOTS = {n: i for i, n in enumerate(NAMES)}
CTX_NAMES = ("turn", "year", "month", "round")


def reference(node, env):
    """A deliberately naive evaluator over the checked AST, written independently of the compiler."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        if node.id == "true":
            return True
        if node.id == "false":
            return False
        return env[node.id]
    if isinstance(node, ast.BinOp):
        a, b = reference(node.left, env), reference(node.right, env)
        if isinstance(node.op, ast.Add):
            return a + b
        if isinstance(node.op, ast.Sub):
            return a - b
        if isinstance(node.op, ast.Mult):
            return a * b
        return a / b if b else 0.0
    if isinstance(node, ast.UnaryOp):
        x = reference(node.operand, env)
        return (not x) if isinstance(node.op, ast.Not) else (-x if isinstance(node.op, ast.USub) else +x)
    if isinstance(node, ast.BoolOp):
        if isinstance(node.op, ast.And):
            result = True
            for v in node.values:
                result = reference(v, env)
                if not result:
                    return result
            return result
        result = False
        for v in node.values:
            result = reference(v, env)
            if result:
                return result
        return result
    if isinstance(node, ast.Compare):
        left = reference(node.left, env)
        for op, comp in zip(node.ops, node.comparators):
            right = reference(comp, env)
            ok = {ast.Lt: left < right, ast.LtE: left <= right, ast.Gt: left > right,
                  ast.GtE: left >= right, ast.Eq: left == right, ast.NotEq: left != right}[type(op)]
            if not ok:
                return False
            left = right
        return True
    if isinstance(node, ast.Call):
        args = [reference(a, env) for a in node.args]
        f = node.func.id
        if f == "clamp":
            x, lo, hi = args
            return lo if x < lo else hi if x > hi else x
        return {"min": min, "max": max, "abs": abs}[f](*args)
    raise AssertionError(type(node))


numbers = st.one_of(st.integers(-50, 50).map(str), st.floats(-50, 50, allow_nan=False).map(lambda x: f"{x:.3f}"))
atoms = st.one_of(numbers, st.sampled_from(NAMES + list(CTX_NAMES)))


def combine(children):
    binop = st.tuples(children, st.sampled_from(["+", "-", "*", "/"]), children).map(lambda t: f"({t[0]} {t[1]} {t[2]})")
    cmp = st.tuples(children, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), children).map(lambda t: f"({t[0]} {t[1]} {t[2]})")
    boolean = st.tuples(children, st.sampled_from(["and", "or"]), children).map(lambda t: f"({t[0]} {t[1]} {t[2]})")
    unary = st.tuples(st.sampled_from(["-", "not "]), children).map(lambda t: f"({t[0]}{t[1]})")
    calls = st.one_of(
        st.tuples(children, children).map(lambda t: f"min({t[0]}, {t[1]})"),
        st.tuples(children, children, children).map(lambda t: f"max({t[0]}, {t[1]}, {t[2]})"),
        st.tuples(children, children, children).map(lambda t: f"clamp({t[0]}, {t[1]}, {t[2]})"),
        children.map(lambda c: f"abs({c})"),
    )
    return st.one_of(binop, cmp, boolean, unary, calls)


expressions = st.recursive(atoms, combine, max_leaves=12)
values = st.tuples(*[st.floats(-100, 100, allow_nan=False) for _ in NAMES])
contexts = st.tuples(st.integers(1, 40), st.integers(1990, 2030), st.integers(1, 12), st.integers(0, 3))


@settings(max_examples=400, deadline=None)
@given(expressions, values, contexts)
@example("(1 / rating)", (2.225073858507e-311, 0.0, 0.0), (1, 1990, 1, 0))
@example("((1 / rating) - (1 / rating))", (2.225073858507e-311, 0.0, 0.0), (1, 1990, 1, 0))
def test_compiled_expressions_agree_with_the_reference_evaluator(text, vals, ctx):
    compiler = Compiler(SLOTS)
    fn = compiler.compile(text)
    env = dict(zip(NAMES, vals)) | dict(zip(CTX_NAMES, ctx))
    try:
        expected = reference(parse(text), env)
    except (OverflowError, ZeroDivisionError):
        return
    try:
        got = fn(vals, ctx)
    except OverflowError:
        return
    if not isinstance(expected, bool) and not -LIMIT <= expected <= LIMIT:
        # A number's result is kept finite (expr.LIMIT): an overflow (1 / a subnormal value,
        # say) gives the limit, with its sign, and NaN (inf - inf) gives 0.
        expected = _finite(expected)
    if isinstance(expected, float) and math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == pytest.approx(expected, rel=1e-9, abs=1e-9) or got == expected


def test_a_misspelt_name_is_reported_with_a_suggestion():
    with pytest.raises(ExprError) as err:
        Compiler(SLOTS).compile("ratng < 40")
    assert "unknown name 'ratng'" in err.value.message
    assert err.value.hint == "did you mean 'rating'?"


def test_division_by_zero_gives_zero():
    assert Compiler(SLOTS).compile("rating / economy")((5.0, 0.0, 0.0), (1, 2000, 1, 0)) == 0.0


def test_chained_comparisons_work_like_in_arithmetic():
    fn = Compiler(SLOTS).compile("10 < rating <= 20")
    assert fn((15.0, 0, 0), (1, 2000, 1, 0)) is True
    assert fn((25.0, 0, 0), (1, 2000, 1, 0)) is False
