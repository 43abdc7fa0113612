"""Numba source for one scenario, generated from the expression compiler's own output.

The input is only ever Python source that ``game.scenario.expr`` generated from checked trees
(``expr.source_text``; a function it did not make has none, and the scenario is declined) and the
margins ``game.ai.margins`` generates from the same checked trees. That source is parsed again
and every node checked against the small grammar the compiler writes (numbers, ``v[i]``, ``c[i]``,
+ - *, comparisons, and/or/not, its helpers, the finite wrapper); anything else declines the
scenario. The translation keeps every operation and its order, so the numbers are bit-identical:
values are float64 throughout (a bool is 1.0 or 0.0, as Python's arithmetic treats it), and
``and``/``or``/``min``/``max`` keep Python's rules (``x and y`` is ``x`` when ``x`` is false;
``min`` keeps the first of equal items and replaces only on ``<``).
"""

from __future__ import annotations

import ast
import re

from game.ai.margins import _Margins
from game.scenario import expr
from game.scenario.expr import parse


class Declined(Exception):
    """The fast path cannot run this scenario; the message says why."""


_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*"}
_CMPS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
_HELPERS = {"_div": 2, "_clamp": 3, "_abs": 1, "_finite": 1}


def _const(node: ast.AST):
    """The value of a number literal, negated ones included (``-1e+300`` parses as a minus)."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        x = _const(node.operand)
        return None if x is None else -x
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return node.value
    return None


def _is_finite_wrapper(node: ast.AST) -> ast.AST | None:
    """The wrapped expression of ``(_n if -L <= (_n := X) <= L else _finite(_n))``, else None."""
    if not (isinstance(node, ast.IfExp) and isinstance(node.test, ast.Compare)):
        return None
    t = node.test
    if not (len(t.ops) == 2 and all(isinstance(o, ast.LtE) for o in t.ops)
            and _const(t.left) == -expr.LIMIT
            and isinstance(t.comparators[1], ast.Constant) and t.comparators[1].value == expr.LIMIT
            and isinstance(t.comparators[0], ast.NamedExpr) and t.comparators[0].target.id == "_n"
            and isinstance(node.body, ast.Name) and node.body.id == "_n"
            and isinstance(node.orelse, ast.Call) and isinstance(node.orelse.func, ast.Name)
            and node.orelse.func.id == "_finite" and len(node.orelse.args) == 1
            and isinstance(node.orelse.args[0], ast.Name) and node.orelse.args[0].id == "_n"):
        return None
    return t.comparators[0].value


def translate(src: str) -> str:
    """Numba source (float64 over ``v`` and ``c``) for a source the compiler generated."""
    try:
        tree = ast.parse(src, mode="eval").body
    except SyntaxError:
        raise Declined("an expression's generated source does not parse") from None
    return _tr(tree)


def _num(x) -> str:
    if isinstance(x, bool):
        return "1.0" if x else "0.0"
    if isinstance(x, (int, float)):
        f = float(x)
        if f != f or f in (float("inf"), float("-inf")):
            raise Declined("a constant is not finite")
        return repr(f)
    raise Declined(f"a constant of type {type(x).__name__}")


def _tr(node: ast.AST) -> str:
    inner = _is_finite_wrapper(node)
    if inner is not None:
        return f"_fin({_tr(inner)})"
    if isinstance(node, ast.Constant):
        return _num(node.value)
    if isinstance(node, ast.Name) and node.id in ("True", "False"):
        return "1.0" if node.id == "True" else "0.0"
    if isinstance(node, ast.Subscript):
        if (isinstance(node.value, ast.Name) and node.value.id in ("v", "c")
                and isinstance(node.slice, ast.Constant) and type(node.slice.value) is int
                and node.slice.value >= 0):
            return f"{node.value.id}[{node.slice.value}]"
        raise Declined("a subscript the compiler does not write")
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return f"({_tr(node.left)} {_OPS[type(node.op)]} {_tr(node.right)})"
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.Not):
            return f"_not({_tr(node.operand)})"
        if isinstance(node.op, ast.USub):
            return f"(-{_tr(node.operand)})"
        if isinstance(node.op, ast.UAdd):
            return f"(+{_tr(node.operand)})"
    if isinstance(node, ast.BoolOp):
        fn = "_and" if isinstance(node.op, ast.And) else "_or"
        out = _tr(node.values[0])
        for x in node.values[1:]:
            out = f"{fn}({out}, {_tr(x)})"
        return out
    if isinstance(node, ast.Compare) and all(type(o) in _CMPS for o in node.ops):
        items = [_tr(node.left)] + [_tr(c) for c in node.comparators]
        conds = [f"({a} {_CMPS[type(o)]} {b})" for o, a, b in zip(node.ops, items, items[1:])]
        return f"(1.0 if {' and '.join(conds)} else 0.0)"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        name = node.func.id
        args = [_tr(a) for a in node.args]
        if name in ("_min", "_max") and len(args) >= 2:
            out = args[0]
            for a in args[1:]:
                out = f"{name}2({out}, {a})"
            return out
        if _HELPERS.get(name) == len(args):
            if name == "_finite":
                raise Declined("a bare _finite call")
            return f"{name}({', '.join(args)})"
    raise Declined(f"a construct the compiler does not write ({type(node).__name__})")


def source_of(fn) -> str:
    src = expr.source_text(fn)
    if src is None:
        raise Declined("a function not made by the expression compiler (hand-built effects?)")
    return translate(src)


def margin_source(sc, text: str) -> str:
    """The numba source of an ending's margin, from the same generator ``margins.margin`` uses."""
    m = _Margins(sc)
    tree = parse(text)
    m.comp.check_names(tree)
    return translate(m.source(tree))


def _branches(name: str, cases: list[str], args: str, empty: str) -> str:
    """``def name(i, args)`` returning case i (an if-chain; numba turns it into a switch)."""
    lines = ["@njit(cache=True, error_model='numpy')", f"def {name}(i, {args}):"]
    for i, body in enumerate(cases):
        lines.append(f"    if i == {i}:")
        lines.extend("        " + b for b in body.splitlines())
    lines.append(f"    {empty}")
    return "\n".join(lines) + "\n"


def _arr(name: str, xs, dtype: str) -> str:
    return f"{name} = np.array({list(xs)!r}, dtype=np.{dtype})\n"


def generate(sc, model) -> tuple[str, dict]:
    """(module source, facts the Python side needs: effects table index by id, complex flags)."""
    tables = list(sc.fused_effects.values())  # (effs, effect_slots, fused fn)
    index = {id(effs): k for k, (effs, _, _) in enumerate(tables)}
    amount_cases = []
    starts, lens = [], []
    e_slot, e_lo, e_hi, e_issue, e_feeds = [], [], [], [], []
    complex_ = []
    for effs, slots, _ in tables:
        starts.append(len(e_slot))
        lens.append(len(effs))
        body = []
        for j, ((slot, fn), (s2, lo, hi, issue, feeds)) in enumerate(zip(effs, slots)):
            assert slot == s2
            body.append(f"out[{j}] = {source_of(fn)}")
            e_slot.append(int(slot))
            e_lo.append(float(lo))
            e_hi.append(float(hi))
            e_issue.append(bool(issue))
            e_feeds.append(bool(feeds))
        body.append("return")
        amount_cases.append("\n".join(body))
        complex_.append(any(s in model.complex for s, _ in effs))
    # Level cascades: per issue slot and level, the effects table, or -1.
    maxlevel = 1
    for table in sc.on_level.values():
        maxlevel = max([maxlevel, *table.keys()])
    for s in range(sc.n_meters, len(sc.names)):
        maxlevel = max(maxlevel, int(sc.hi[s]) + 1)
    onlvl = [[-1] * (maxlevel + 1) for _ in sc.names]
    for slot, table in sc.on_level.items():
        for level, effs in table.items():
            if effs:
                if level < 0:
                    raise Declined("a level cascade below level 0")
                onlvl[slot][level] = index[id(effs)]
    derived_cases = [f"return {source_of(fn)}" for _, fn in sc.derived]
    margin_cases, holds_cases = [], []
    for en in sc.endings:
        margin_cases.append(f"return {margin_source(sc, sc.raw.endings[en.index].when)}")
        holds_cases.append(f"return {source_of(en.when)}")
    sudden = [i for i, _ in model.sudden]
    timeout = [i for i, _ in model.timeout]
    ins_start, ins = [], []
    for en, _, inputs in model.endings:
        ins_start.append(len(ins))
        ins.extend(sorted(inputs))
    ins_start.append(len(ins))

    out = [_PRELUDE]
    out.append(_arr("T_START", starts, "int64") + _arr("T_LEN", lens, "int64"))
    out.append(_arr("E_SLOT", e_slot or [0], "int64") + _arr("E_LO", e_lo or [0.0], "float64")
               + _arr("E_HI", e_hi or [0.0], "float64") + _arr("E_ISSUE", e_issue or [False], "bool_")
               + _arr("E_FEEDS", e_feeds or [False], "bool_"))
    out.append(f"ONLVL = np.array({onlvl!r}, dtype=np.int64)\n")
    out.append(_arr("LO", sc.lo, "float64") + _arr("HI", sc.hi, "float64"))
    out.append(_arr("D_SLOT", [s for s, _ in sc.derived] or [0], "int64"))
    out.append(f"N_DERIVED = {len(sc.derived)}\nDERIVED_KNOWN = {sc.derived_inputs is not None}\n")
    out.append(_arr("SUDDEN", sudden or [0], "int64") + f"N_SUDDEN = {len(sudden)}\n")
    out.append(_arr("TIMEOUT", timeout or [0], "int64") + f"N_TIMEOUT = {len(timeout)}\n")
    out.append(_arr("INS_START", ins_start, "int64") + _arr("INS", ins or [0], "int64"))
    out.append(f"TURNS = {float(sc.turns)!r}\nMAXLEVEL = {maxlevel}\n")
    out.append(f"MAXTAB = {max(lens, default=0) or 1}\n\n")
    out.append(_branches("amounts", amount_cases, "v, c, out", "return"))
    out.append(_branches("derived_value", derived_cases, "v, c", "return 0.0"))
    out.append(_branches("margin", margin_cases, "v, c", "return 0.0"))
    out.append(_branches("holds", holds_cases, "v, c", "return 0.0"))
    out.append(_KERNELS)
    src = "".join(out)
    if re.search(r"\b(import|exec|eval|open|__)\w*", src.replace(_PRELUDE, "").replace(_KERNELS, "")):
        raise Declined("generated source holds a name it should not")  # pragma: no cover
    return src, {"index": index, "complex": tuple(complex_), "tables": tables}


_PRELUDE = '''"""Generated by game.fast.codegen for one scenario: do not edit."""
import math
import numpy as np
from numba import njit


@njit(cache=True, error_model='numpy')
def _fin(x):
    if -1e300 <= x <= 1e300:
        return x
    if x != x:
        return 0.0
    return 1e300 if x > 0 else -1e300


@njit(cache=True, error_model='numpy')
def _div(a, b):
    return a / b if b != 0.0 else 0.0


@njit(cache=True, error_model='numpy')
def _min2(a, b):
    return b if b < a else a


@njit(cache=True, error_model='numpy')
def _max2(a, b):
    return b if b > a else a


@njit(cache=True, error_model='numpy')
def _clamp(x, lo, hi):
    return lo if x < lo else (hi if x > hi else x)


@njit(cache=True, error_model='numpy')
def _abs(x):
    return abs(x)


@njit(cache=True, error_model='numpy')
def _and(a, b):
    return a if a == 0.0 else b


@njit(cache=True, error_model='numpy')
def _or(a, b):
    return a if a != 0.0 else b


@njit(cache=True, error_model='numpy')
def _not(a):
    return 1.0 if a == 0.0 else 0.0


'''

# The kernels, the same text for every scenario (they read the tables above). Each mirrors a
# Python function line by line; the comments name it.
_KERNELS = '''

@njit(cache=True, error_model='numpy')
def derive(v, c, fl):
    # rules._Work.derive
    if N_DERIVED == 0:
        return
    fl[0] = DERIVED_KNOWN
    for k in range(N_DERIVED):
        slot = D_SLOT[k]
        after = derived_value(k, v, c)
        lo = LO[slot]
        hi = HI[slot]
        after = lo if after < lo else (hi if after > hi else after)
        before = v[slot]
        if after != before:
            if after != after:
                fl[0] = False
            v[slot] = after


@njit(cache=True, error_model='numpy')
def _effects_flat(k, scale, v, c, fl, buf):
    # rules._Work.effects with cascade=False (a level's own effects)
    n = T_LEN[k]
    if n == 0:
        return
    amounts(k, v, c, buf)
    s0 = T_START[k]
    for j in range(n):
        amount = buf[j] * scale
        if amount == 0.0:
            continue
        e = s0 + j
        slot = E_SLOT[e]
        before = v[slot]
        after = before + amount
        if E_ISSUE[e]:
            after = np.rint(after) + 0.0  # float(round(x)): never -0.0
        lo = E_LO[e]
        hi = E_HI[e]
        after = lo if after < lo else (hi if after > hi else after)
        if after != before:
            v[slot] = after
            if E_FEEDS[e]:
                fl[0] = False
    if not fl[0]:
        derive(v, c, fl)


@njit(cache=True, error_model='numpy')
def effects(k, scale, v, c, fl, buf, buf2, moved):
    # rules._Work.effects with cascade=True (ledgers change no values, so they are left out)
    n = T_LEN[k]
    if n == 0:
        return
    amounts(k, v, c, buf)
    s0 = T_START[k]
    m = 0
    for j in range(n):
        amount = buf[j] * scale
        if amount == 0.0:
            continue
        e = s0 + j
        slot = E_SLOT[e]
        before = v[slot]
        after = before + amount
        if E_ISSUE[e]:
            after = np.rint(after) + 0.0  # float(round(x)): never -0.0
        lo = E_LO[e]
        hi = E_HI[e]
        after = lo if after < lo else (hi if after > hi else after)
        if after != before:
            v[slot] = after
            if E_FEEDS[e]:
                fl[0] = False
            if E_ISSUE[e]:
                moved[m, 0] = slot
                moved[m, 1] = int(before)
                moved[m, 2] = int(after)
                m += 1
    for q in range(m):
        slot = moved[q, 0]
        b = moved[q, 1]
        a = moved[q, 2]
        if a > b:
            for level in range(b + 1, a + 1):
                if 0 <= level <= MAXLEVEL:
                    t = ONLVL[slot, level]
                    if t >= 0:
                        _effects_flat(t, 1.0, v, c, fl, buf2)
    if not fl[0]:
        derive(v, c, fl)


@njit(cache=True, error_model='numpy')
def project_into(ks, scales, cx, values, c, fresh, v, buf, buf2, moved, fl):
    # evaluate.Model.project: the engine's preview when a table touches a complex slot
    for i in range(len(values)):
        v[i] = values[i]
    if cx:
        fl[0] = fresh
        for q in range(len(ks)):
            effects(ks[q], scales[q], v, c, fl, buf, buf2, moved)
        return
    for q in range(len(ks)):
        k = ks[q]
        n = T_LEN[k]
        if n == 0:
            continue
        amounts(k, v, c, buf)
        s0 = T_START[k]
        for j in range(n):
            amount = buf[j] * scales[q]
            if amount != 0.0:
                slot = E_SLOT[s0 + j]
                x = v[slot] + amount
                lo = LO[slot]
                hi = HI[slot]
                v[slot] = lo if x < lo else (hi if x > hi else x)


@njit(cache=True, error_model='numpy')
def closeness(i, v, c):
    # evaluate.Model.closeness
    x = margin(i, v, c)
    if x >= -1e-9 and holds(i, v, c) != 0.0:
        return 1.0
    return 1.0 / (1.0 + math.exp(-8.0 * x)) if x > -6.0 else 0.0


@njit(cache=True, error_model='numpy')
def _same_inputs(i, v, v0):
    for q in range(INS_START[i], INS_START[i + 1]):
        s = INS[q]
        if v[s] != v0[s]:
            return False
    return True


@njit(cache=True, error_model='numpy')
def near(v, c, v0, su0, to0, su, to):
    # evaluate.Model.near
    for j in range(N_SUDDEN):
        i = SUDDEN[j]
        su[j] = su0[j] if _same_inputs(i, v, v0) else closeness(i, v, c)
    for j in range(N_TIMEOUT):
        i = TIMEOUT[j]
        to[j] = to0[j] if _same_inputs(i, v, v0) else closeness(i, v, c)


@njit(cache=True, error_model='numpy')
def parts(v, c, su, to):
    # evaluate.Model.parts (the closeness of every ending)
    for j in range(N_SUDDEN):
        su[j] = closeness(SUDDEN[j], v, c)
    for j in range(N_TIMEOUT):
        to[j] = closeness(TIMEOUT[j], v, c)


@njit(cache=True, error_model='numpy')
def dot(const, slots, ks, v):
    # evaluate._dot
    n = len(slots)
    if n == 0:
        return const
    if n == 1:
        return const + ks[0] * v[slots[0]]
    s = 0.0
    for q in range(n):
        s += ks[q] * v[slots[q]]
    return const + s


@njit(cache=True, error_model='numpy')
def _first_holding(ch, vals):
    total = 0.0
    rest = 1.0
    for j in range(len(ch)):
        x = ch[j]
        if x != 0.0:
            total += rest * x * vals[j]
            rest *= 1.0 - x
            if rest == 0.0:
                break
    return total, rest


@njit(cache=True, error_model='numpy')
def combine(su, to, c, su_vals, to_vals):
    # evaluate.Evaluator._combine
    total, rest = _first_holding(su, su_vals)
    if N_TIMEOUT > 0 and rest != 0.0:
        t, _ = _first_holding(to, to_vals)
        total += rest * (0.3 + 0.7 * c[0] / TURNS) * t
    return total


@njit(cache=True, error_model='numpy')
def term_table(ks, cx, values, c, fresh, su0, to0, mix_c, mix_s, mix_k, own_c, own_s, own_k,
               su_vals, to_vals, opp_su_vals, opp_to_vals, base, mine0, V, out):
    # greedy.GreedyPolicy._term_table: per term its values, score gain, own utility gain and
    # the other side's endings value
    n = len(values)
    buf = np.empty(MAXTAB)
    buf2 = np.empty(MAXTAB)
    moved = np.empty((MAXTAB, 3), dtype=np.int64)
    fl = np.empty(1, dtype=np.bool_)
    su = np.empty(N_SUDDEN)
    to = np.empty(N_TIMEOUT)
    one_k = np.empty(1, dtype=np.int64)
    one_s = np.ones(1)
    v = np.empty(n)
    for t in range(len(ks)):
        one_k[0] = ks[t]
        project_into(one_k, one_s, cx[t], values, c, fresh, v, buf, buf2, moved, fl)
        for i in range(n):
            V[t, i] = v[i]
        near(v, c, values, su0, to0, su, to)
        out[t, 0] = dot(mix_c, mix_s, mix_k, v) + combine(su, to, c, su_vals, to_vals) - base
        out[t, 1] = dot(own_c, own_s, own_k, v) - mine0
        out[t, 2] = combine(su, to, c, opp_su_vals, opp_to_vals)


@njit(cache=True, error_model='numpy')
def project(ks, scales, cx, values, c, fresh):
    # evaluate.Model.project, alone
    buf = np.empty(MAXTAB)
    buf2 = np.empty(MAXTAB)
    moved = np.empty((MAXTAB, 3), dtype=np.int64)
    fl = np.empty(1, dtype=np.bool_)
    v = np.empty(len(values))
    project_into(ks, scales, cx, values, c, fresh, v, buf, buf2, moved, fl)
    return v


@njit(cache=True, error_model='numpy')
def project_near(ks, scales, cx, values, c, fresh, su0, to0, mix_c, mix_s, mix_k, su_vals,
                 to_vals):
    # Model.project then Evaluator.score_near: the values and their score
    v = project(ks, scales, cx, values, c, fresh)
    su = np.empty(N_SUDDEN)
    to = np.empty(N_TIMEOUT)
    near(v, c, values, su0, to0, su, to)
    return v, dot(mix_c, mix_s, mix_k, v) + combine(su, to, c, su_vals, to_vals)
'''
