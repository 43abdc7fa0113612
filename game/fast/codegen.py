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


_INLINE = {  # each helper as a statement over simple operands (names, numbers, subscripts)
    "_fin": "{0} if -1e300 <= {0} <= 1e300 else (0.0 if {0} != {0} else (1e300 if {0} > 0 else -1e300))",
    "_div": "{0} / {1} if {1} != 0.0 else 0.0",
    "_min2": "{1} if {1} < {0} else {0}",
    "_max2": "{1} if {1} > {0} else {0}",
    "_clamp": "{1} if {0} < {1} else ({2} if {0} > {2} else {0})",
    "_abs": "abs({0})",
    "_and": "{0} if {0} == 0.0 else {1}",
    "_or": "{0} if {0} != 0.0 else {1}",
    "_not": "1.0 if {0} == 0.0 else 0.0",
}


class _Lower:
    """Turns ``translate``'s output (one expression with helper calls) into statements, one per
    operation, each helper written out in place: numba then compiles one function per scenario
    table instead of one per helper, and every operation still runs once, in the same order."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self.lines: list[str] = []

    def _tmp(self, text: str) -> str:
        name = f"{self.prefix}{len(self.lines)}"
        self.lines.append(f"{name} = {text}")
        return name

    def __call__(self, node: ast.AST) -> str:
        if isinstance(node, ast.Constant) or isinstance(node, ast.Subscript):
            return ast.unparse(node)
        if isinstance(node, ast.BinOp):
            a, b = self(node.left), self(node.right)
            return self._tmp(f"{a} {_OPS[type(node.op)]} {b}")
        if isinstance(node, ast.UnaryOp):
            a = self(node.operand)
            return self._tmp(f"{'-' if isinstance(node.op, ast.USub) else '+'}{a}")
        if isinstance(node, ast.Call):
            args = [self(a) for a in node.args]
            return self._tmp(_INLINE[node.func.id].format(*args))
        if isinstance(node, ast.IfExp):  # a comparison: (1.0 if (a < b) and (b < c) else 0.0)
            tests = node.test.values if isinstance(node.test, ast.BoolOp) else [node.test]
            conds = []
            for t in tests:
                a, b = self(t.left), self(t.comparators[0])
                conds.append(f"({a} {_CMPS[type(t.ops[0])]} {b})")
            return self._tmp(f"1.0 if {' and '.join(conds)} else 0.0")
        raise Declined(f"cannot lower {type(node).__name__}")  # pragma: no cover - translate's own output


def lower(expr_src: str, prefix: str = "t") -> tuple[list[str], str]:
    """(statements, the name or literal holding the value) for a ``translate`` output."""
    low = _Lower(prefix)
    out = low(ast.parse(expr_src, mode="eval").body)
    return low.lines, out


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


def effect_tables(sc, complex_slots=frozenset()) -> tuple[list[str], dict]:
    """The source shared by every generated module: the scenario's effects tables (``amounts``,
    with per-effect arrays), the level cascades (``ONLVL``), the ranges and the derived meters
    (``derived_value``); and the facts the Python side needs (each table's index by id, whether
    it touches one of ``complex_slots``, the tables)."""
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
            lines, res = lower(source_of(fn), f"a{j}_")
            body += lines + [f"out[{j}] = {res}"]
            e_slot.append(int(slot))
            e_lo.append(float(lo))
            e_hi.append(float(hi))
            e_issue.append(bool(issue))
            e_feeds.append(bool(feeds))
        body.append("return")
        amount_cases.append("\n".join(body))
        complex_.append(any(s in complex_slots for s, _ in effs))
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
    derived_cases = []
    for _, fn in sc.derived:
        lines, res = lower(source_of(fn))
        derived_cases.append("\n".join(lines + [f"return {res}"]))
    out = [_arr("T_START", starts, "int64") + _arr("T_LEN", lens, "int64")]
    out.append(_arr("E_SLOT", e_slot or [0], "int64") + _arr("E_LO", e_lo or [0.0], "float64")
               + _arr("E_HI", e_hi or [0.0], "float64") + _arr("E_ISSUE", e_issue or [False], "bool_")
               + _arr("E_FEEDS", e_feeds or [False], "bool_"))
    out.append(f"ONLVL = np.array({onlvl!r}, dtype=np.int64)\n")
    out.append(_arr("LO", sc.lo, "float64") + _arr("HI", sc.hi, "float64"))
    out.append(_arr("D_SLOT", [s for s, _ in sc.derived] or [0], "int64"))
    out.append(f"N_DERIVED = {len(sc.derived)}\nDERIVED_KNOWN = {sc.derived_inputs is not None}\n")
    out.append(f"MAXLEVEL = {maxlevel}\nMAXTAB = {max(lens, default=0) or 1}\n\n")
    out.append(_branches("amounts", amount_cases, "v, c, out", "return"))
    out.append(_branches("derived_value", derived_cases, "v, c", "return 0.0"))
    return out, {"index": index, "complex": tuple(complex_), "tables": tables}


def check_names(body: str) -> str:
    """``body`` (generated from a scenario), refused if it holds a name it never should."""
    if re.search(r"\b(import|exec|eval|open|__)\w*", body):
        raise Declined("generated source holds a name it should not")  # pragma: no cover
    return body


def closeness_source(sc, model) -> str:
    """The endings' closeness (``evaluate.Model.closeness``, the margin and the condition written
    out, one case each), with the timeout endings' order and every ending's inputs; the caller
    defines ``SUDDEN`` and ``N_SUDDEN`` (the sudden endings in file order, as both modules do)."""
    close_cases = []
    for en in sc.endings:
        mlines, m = lower(margin_source(sc, sc.raw.endings[en.index].when), "m")
        hlines, h = lower(source_of(en.when), "h")
        body = mlines + [f"x = {m}", "if x >= -1e-9:"] + ["    " + x for x in hlines]
        body += [f"    if {h} != 0.0:", "        return 1.0",
                 "return 1.0 / (1.0 + math.exp(-8.0 * x)) if x > -6.0 else 0.0"]
        close_cases.append("\n".join(body))
    timeout = [i for i, _ in model.timeout]
    ins_start, ins = [], []
    for en, _, inputs in model.endings:
        ins_start.append(len(ins))
        ins.extend(sorted(inputs))
    ins_start.append(len(ins))
    return (_arr("TIMEOUT", timeout or [0], "int64") + f"N_TIMEOUT = {len(timeout)}\n"
            + _arr("INS_START", ins_start, "int64") + _arr("INS", ins or [0], "int64") + "\n"
            + _branches("closeness", close_cases, "v, c", "return 0.0"))


def generate(sc, model) -> tuple[str, dict]:
    """(module source, facts the Python side needs: effects table index by id, complex flags)."""
    shared, facts = effect_tables(sc, model.complex)
    sudden = [i for i, _ in model.sudden]
    out = [_PRELUDE, *shared]
    out.append(_arr("SUDDEN", sudden or [0], "int64") + f"N_SUDDEN = {len(sudden)}\n")
    out.append(f"TURNS = {float(sc.turns)!r}\n\n")
    out.append(closeness_source(sc, model))
    check_names("".join(out[1:]))
    out.append(_KERNELS)
    return "".join(out), facts


_PRELUDE = '''"""Generated by game.fast.codegen for one scenario: do not edit."""
import math
import numpy as np
import numba
from numba import njit


'''

# The kernels, the same text for every scenario (they read the tables above). Each mirrors a
# Python function line by line; the comments name it.
# derive and one effect's application: the same text in every generated module (codegen's and
# gamegen's), as each mirrors the same engine code.
SHARED_KERNELS = '''

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


@njit(cache=True, error_model='numpy', inline='always')
def _apply_one(e, amount, v, fl):
    # one effect of rules._Work.effects: add, round an issue, clamp; returns (before, after)
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
    return before, after


@njit(cache=True, error_model='numpy')
def _add_clamped(k, scale, v, c, buf):
    # evaluate.Model.project's own path for a table touching no complex slot: every amount
    # (from the values before any) added and clamped
    amounts(k, v, c, buf)
    s0 = T_START[k]
    for j in range(T_LEN[k]):
        amount = buf[j] * scale
        if amount != 0.0:
            slot = E_SLOT[s0 + j]
            x = v[slot] + amount
            lo = LO[slot]
            hi = HI[slot]
            v[slot] = lo if x < lo else (hi if x > hi else x)


@njit(cache=True, error_model='numpy')
def _apply_table(k, scale, v, c, fl, buf, moved):
    # rules._Work.effects' first half: every amount from the values before any, each applied;
    # the issues that moved go into moved (slot, before, after); returns how many
    n = T_LEN[k]
    amounts(k, v, c, buf)
    s0 = T_START[k]
    m = 0
    for j in range(n):
        amount = buf[j] * scale
        if amount == 0.0:
            continue
        e = s0 + j
        before, after = _apply_one(e, amount, v, fl)
        if after != before and E_ISSUE[e]:
            moved[m, 0] = E_SLOT[e]
            moved[m, 1] = int(before)
            moved[m, 2] = int(after)
            m += 1
    return m

'''

# The endings' part of a score: the same text in both generated modules.
EVAL_KERNELS = '''

@njit(cache=True, error_model='numpy')
def near(v, c, v0, su0, to0, su, to):
    # evaluate.Model.near: an ending is judged again only when one of its inputs moved
    for j in range(N_SUDDEN + N_TIMEOUT):
        i = SUDDEN[j] if j < N_SUDDEN else TIMEOUT[j - N_SUDDEN]
        same = True
        for q in range(INS_START[i], INS_START[i + 1]):
            if v[INS[q]] != v0[INS[q]]:
                same = False
                break
        if j < N_SUDDEN:
            su[j] = su0[j] if same else closeness(i, v, c)
        else:
            to[j - N_SUDDEN] = to0[j - N_SUDDEN] if same else closeness(i, v, c)


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


@njit(cache=True, error_model='numpy', inline='always')
def _first_holding(close, vals):
    # evaluate._first_holding: endings in file order, each weighted by the chance none before held
    total = 0.0
    rest = 1.0
    for j in range(len(close)):
        x = close[j]
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


'''

_KERNELS = SHARED_KERNELS + EVAL_KERNELS + '''

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
        if amount != 0.0:
            _apply_one(s0 + j, amount, v, fl)
    if not fl[0]:
        derive(v, c, fl)


@njit(cache=True, error_model='numpy')
def effects(k, scale, v, c, fl, buf, buf2, moved):
    # rules._Work.effects with cascade=True (ledgers change no values, so they are left out)
    if T_LEN[k] == 0:
        return
    m = _apply_table(k, scale, v, c, fl, buf, moved)
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
        _add_clamped(ks[q], scales[q], v, c, buf)


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


def _warm():
    # Compile (or load) every kernel with exactly the argument types game.fast passes.
    n = len(LO)
    values = LO.copy()
    c = np.zeros(4)
    ks = np.zeros(1, dtype=np.int64)
    one = np.ones(1)
    su = np.zeros(N_SUDDEN)
    to = np.zeros(N_TIMEOUT)
    i0 = np.zeros(0, dtype=np.int64)
    f0 = np.zeros(0)
    if len(T_LEN) and T_LEN[0] > 0:
        project(ks, one, False, values, c, True)
        project_near(ks, one, True, values, c, False, su, to, 0.0, i0, f0, su, to)
        term_table(ks, np.zeros(1, dtype=np.bool_), values, c, False, su, to, 0.0, i0, f0,
                   0.0, i0, f0, su, to, su, to, 0.0, 0.0, np.empty((1, n)), np.empty((1, 3)))
'''
