"""A compiled fast path for the greedy AI's hot loop: numba kernels, one module per scenario.

What it covers (``game.ai.evaluate.Model`` and ``game.ai.greedy`` call it): ``Model.project``
(effects added and clamped, or the engine's preview with issue levels, cascades and derived
meters), the closeness of the endings near a position (``Model.near``), and the deal builder's
term table (every offered term projected and scored in one call). The numbers are bit-identical
to the Python path, which stays the reference: the kernels are generated from the expression
compiler's own output (``codegen``) and keep the order of every floating-point operation, with
libm's ``exp`` as ``math.exp`` uses.

It is off when numba is not installed, when ``UNION_STATE_NO_FAST=1``, and for a scenario the
generator declines (``declined`` says why); the Python path then runs. Once a scenario has been
used enough to pay for a compile (``WARM`` projections), its kernels are compiled by another
process (``compile_in_background``: no decision waits for it) and loaded when ready; when an
earlier process left them compiled on disk they are loaded at once. They are cached there
(numba's ``cache=True``), keyed by a hash of the generated source, which the scenario
determines.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from pathlib import Path

import numpy as np

from game.fast.codegen import Declined, generate

# Projections of one scenario before its kernels are built: a compile takes 5-35 s (in another
# process, but it still takes a core), worth it only for a long run (this is a few road-map games).
WARM = 20_000
POLL = 2_000        # projections between looks for a background compile's result
MAX_POLLS = 500     # looks before giving up on it (a compile that died)
_NUMBA: bool | None = None
_REASONS: dict[int, tuple[object, str]] = {}  # id(scenario) -> (scenario, why it was declined)


def enabled() -> bool:
    """Whether the fast path may run in this process (numba importable, not turned off)."""
    global _NUMBA
    if os.environ.get("UNION_STATE_NO_FAST", "") not in ("", "0"):
        return False
    if _NUMBA is None:  # found, not imported: importing numba takes a second or more
        try:
            _NUMBA = importlib.util.find_spec("numba") is not None
        except (ImportError, ValueError):
            _NUMBA = False
    return _NUMBA


def declined(sc) -> str | None:
    """Why the fast path declined a scenario, or None (not declined, or not tried yet)."""
    hit = _REASONS.get(id(sc))
    return hit[1] if hit is not None and hit[0] is sc else None


def cache_dir() -> Path:
    home = os.environ.get("UNION_STATE_HOME")
    if home:
        base = Path(home) / "cache" / "fast"
    else:
        from platformdirs import user_cache_dir

        base = Path(user_cache_dir("union-state", appauthor=False)) / "fast"
    try:
        base.mkdir(parents=True, exist_ok=True)
        return base
    except OSError:
        import tempfile

        alt = Path(tempfile.gettempdir()) / f"union-state-fast-{os.getuid() if hasattr(os, 'getuid') else 0}"
        alt.mkdir(parents=True, exist_ok=True)
        return alt


def _module_path(sc, src: str, kind: str = "scenario") -> Path:
    """Where a generated module lives: named by its kind (``scenario``: the greedy AI's kernels,
    ``games``: whole games), the scenario's digest and a hash of the source and numba's version."""
    import numba

    key = hashlib.sha256(f"{numba.__version__}\n{src}".encode()).hexdigest()[:16]
    return cache_dir() / f"{kind}_{sc.digest[:12]}_{key}.py"


def _module_name(path: Path) -> str:
    return f"_union_state_fast_{path.stem}"


def is_cached(sc, model) -> bool:
    """Whether this process or an earlier one already compiled this scenario's kernels."""
    prefix = f"scenario_{sc.digest[:12]}_"
    try:  # a cheap look first: no module of this scenario's digest, nothing to generate
        if (not any(n.startswith("_union_state_fast_" + prefix) for n in list(sys.modules))
                and not any(cache_dir().glob(prefix + "*.ok"))):
            return False
        src, _ = generate(sc, model)
        path = _module_path(sc, src)
        return f"_union_state_fast_{path.stem}" in sys.modules or path.with_suffix(".ok").exists()
    except Exception:
        return False


def _write_module(sc, src: str, kind: str = "scenario") -> Path:
    path = _module_path(sc, src, kind)
    if not path.exists():
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(src, encoding="utf-8")
        os.replace(tmp, path)
    return path


_COMPILE = """import importlib.util, sys
path, name = sys.argv[1], sys.argv[2]
spec = importlib.util.spec_from_file_location(name, path)
mod = sys.modules[name] = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
mod._warm()
open(path[:-3] + ".ok", "w").close()
import os
os.remove(path[:-3] + ".lock")
"""
LOCK_STALE = 900.0  # seconds after which a compile lock is taken to be a dead process's


def start_compile(sc, src: str, kind: str = "scenario") -> Path:
    """Compile a generated module in another process (one per machine and module: a lock file);
    the path whose ``.ok`` file says it is done."""
    path = _write_module(sc, src, kind)
    if path.with_suffix(".ok").exists():
        return path
    lock = path.with_suffix(".lock")
    try:
        import time

        if lock.exists() and time.time() - lock.stat().st_mtime > LOCK_STALE:
            lock.unlink()
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return path  # another process compiles it
    os.close(fd)
    import subprocess

    subprocess.Popen([sys.executable, "-c", _COMPILE, str(path), _module_name(path)], stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True)
    return path


def compile_in_background(sc, model) -> Path | None:
    """Start compiling a scenario's kernels in another process (``start_compile``), so that no
    decision waits for it; the path whose ``.ok`` file says it is done, or None when the fast
    path is off or declines the scenario (the reason is kept)."""
    if not enabled():
        return None
    try:
        src, _ = generate(sc, model)
        return start_compile(sc, src)
    except Declined as exc:
        _decline(sc, str(exc))
    except Exception as exc:
        _decline(sc, f"could not start its compile ({type(exc).__name__}: {exc})")
    return None


def load_module(sc, src: str, kind: str = "scenario"):
    """A generated module, imported (numba loads its compiled kernels from disk, if there, when
    they are first called; the caller's ``_warm`` does that) and marked ``.ok`` once warm."""
    path = _write_module(sc, src, kind)
    name = _module_name(path)
    mod = sys.modules.get(name)
    if mod is None:  # in sys.modules first, as numba's cache expects (and as _COMPILE does)
        spec = importlib.util.spec_from_file_location(name, path)
        mod = sys.modules[name] = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(mod)
        except BaseException:
            del sys.modules[name]
            raise
    mod._warm()
    ok = path.with_suffix(".ok")
    if not ok.exists():
        ok.touch()
    return mod


def failure(exc: Exception) -> str:
    """Why a compile failed, in a line."""
    if isinstance(exc, Declined):
        return str(exc)
    text = str(exc).splitlines()[0][:200] if str(exc) else ""
    return f"numba could not compile it ({type(exc).__name__}: {text})"


def build(sc, model) -> Fast | None:
    """The scenario's kernels, compiled (or loaded from disk), or None with the reason kept."""
    if not enabled():
        return None
    try:
        src, facts = generate(sc, model)
        return Fast(sc, model, load_module(sc, src), facts)
    except Exception as exc:  # declined, or numba could not type or compile it: the Python path runs
        _decline(sc, failure(exc))
    return None


def _decline(sc, reason: str) -> None:
    if len(_REASONS) > 64:  # each entry keeps its scenario alive
        _REASONS.clear()
    _REASONS[id(sc)] = (sc, reason)


class Fast:
    """One scenario's compiled kernels and the tables to call them with."""

    def __init__(self, sc, model, mod, facts):
        from game.engine.rules import _plan

        self.sc = sc
        self.model = model
        self.mod = mod
        self.index = facts["index"]
        self.tables = facts["tables"]
        self.cx = facts["complex"]
        self.plan = _plan(sc)
        self._arrays: dict = {}  # id(values tuple) -> (values, its array, fresh), last few
        self._call_memo: dict = {}
        self._parts: dict = {}  # id(parts) -> (parts, sudden closeness array, timeout's), last few

    def table_of(self, effs) -> int:
        k = self.index.get(id(effs), -1)
        if k < 0 or self.tables[k][0] is not effs:
            return -1
        return k

    def _values(self, state, ctx=None):
        """(values as float64, ctx as float64, derived_fresh) of a state (whose ``ctx`` the
        caller may already hold), remembered for the last few positions (a decision asks many
        times about one position)."""
        vals = state.values
        if ctx is None:
            ctx = state.ctx
        hit = self._arrays.get(id(vals))
        if hit is None or hit[0] is not vals or hit[1] != ctx:
            if len(self._arrays) > 64:
                self._arrays.clear()
            hit = self._arrays[id(vals)] = (vals, ctx, np.asarray(vals, dtype=np.float64),
                                            np.asarray(ctx, dtype=np.float64),
                                            bool(self.plan.derived_fresh(vals, ctx)))
        return hit[2], hit[3], hit[4]

    # --- what the Python side calls ----------------------------------------------------------
    def _calls(self, effects):
        """(table indices, scales, whether any touches a complex slot) for ``effects``, or None
        when some are not the scenario's own tables; remembered by the tables' identities (the
        memo keeps them alive, so an id is not reused while its entry lasts)."""
        key = tuple([(id(effs), scale) for effs, scale in effects])
        hit = self._call_memo.get(key)
        if hit is not None:
            return hit[1]
        ks = []
        scales = []
        cx = False
        for effs, scale in effects:
            if not effs:
                continue
            k = self.table_of(effs)
            if k < 0:
                return None
            cx = cx or self.cx[k]
            ks.append(k)
            scales.append(scale)
        call = (np.asarray(ks, dtype=np.int64), np.asarray(scales, dtype=np.float64), cx)
        if len(self._call_memo) > 4096:
            self._call_memo.clear()
        self._call_memo[key] = (tuple(effs for effs, _ in effects), call)  # keeps the ids alive
        return call

    def project(self, state, effects) -> list[float] | None:
        """``Model.project``; None when some effects are not the scenario's own tables."""
        call = self._calls(effects)
        if call is None:
            return None
        values, c, fresh = self._values(state)
        return self.mod.project(call[0], call[1], call[2], values, c, fresh).tolist()

    def project_near(self, ev, state, effects, prep):
        """(values, ``ev.score_near(prep, values)``) of ``Model.project``; None as ``project``."""
        call = self._calls(effects)
        if call is None or prep[0] is not state.values:
            return None
        values, c, fresh = self._values(state, prep[1])  # the caller checked it is state's ctx
        su0, to0 = self._closeness(prep[2])
        a = self.evaluator_args(ev)
        v, score = self.mod.project_near(call[0], call[1], call[2], values, c, fresh, su0, to0,
                                         a[0], a[1], a[2], a[6], a[7])
        return v.tolist(), score

    def _closeness(self, parts) -> tuple:
        """A position's closeness lists (``Model.parts``) as arrays, remembered for the last few
        positions as ``_values`` is (a decision projects many moves from one position)."""
        hit = self._parts.get(id(parts))
        if hit is None or hit[0] is not parts:
            if len(self._parts) > 64:
                self._parts.clear()
            hit = self._parts[id(parts)] = (parts, np.asarray(parts[2], dtype=np.float64),
                                            np.asarray(parts[3], dtype=np.float64))
        return hit[1], hit[2]

    def evaluator_args(self, ev) -> tuple:
        """An evaluator's linear parts and ending values as arrays (kept on the evaluator)."""
        hit = getattr(ev, "_fast_args", None)
        if hit is None:
            mix_c, mix = ev.mix_pairs
            own_c, own = ev.own_pairs
            hit = (float(mix_c), np.asarray([s for s, _ in mix], dtype=np.int64),
                   np.asarray([k for _, k in mix], dtype=np.float64),
                   float(own_c), np.asarray([s for s, _ in own], dtype=np.int64),
                   np.asarray([k for _, k in own], dtype=np.float64),
                   np.asarray([x for _, x in ev.sudden], dtype=np.float64),
                   np.asarray([x for _, x in ev.timeout], dtype=np.float64))
            ev._fast_args = hit
        return hit

    def term_table(self, ev, opp, state, terms, prep):
        """Per term (values after it, score gain, own utility gain, other side's endings):
        ``GreedyPolicy._term_table``'s rows as arrays; None when a term's effects are not the
        scenario's own."""
        ks = np.empty(len(terms), dtype=np.int64)
        cx = np.empty(len(terms), dtype=np.bool_)
        for i, t in enumerate(terms):
            effs = t.effects
            if not effs:
                return None
            k = self.table_of(effs)
            if k < 0:
                return None
            ks[i] = k
            cx[i] = self.cx[k]
        values, c, fresh = self._values(state)
        su0, to0 = self._closeness(prep[2])
        a = self.evaluator_args(ev)
        b = self.evaluator_args(opp)
        V = np.empty((len(terms), len(values)))
        out = np.empty((len(terms), 3))
        self.mod.term_table(ks, cx, values, c, fresh, su0, to0, a[0], a[1], a[2], a[3], a[4], a[5],
                            a[6], a[7], b[6], b[7], float(prep[3]), float(ev.mine(state.values)),
                            V, out)
        return V, out
