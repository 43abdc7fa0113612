"""Batches of games on one core, a process pool or a Dask cluster, with identical results.

Every game is a pure function of (scenario, overrides, policies, game seed), and its seed depends
only on the batch seed and the game's index, so how games are split into chunks and where the chunks
run cannot change any record. Workers get the scenario file's bytes (compiled scenarios hold code
and do not pickle) and keep the compiled scenario per process.
"""

from __future__ import annotations

import concurrent.futures as cf
import gc
import math
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from hashlib import sha256
from pathlib import Path

import attrs

from game.ai import PolicyError, parse_spec
from game.scenario import Scenario, find_scenario, load_bytes
from game.sim.overrides import OverrideError, apply_overrides
from game.sim.runner import game_seed, play_game, play_random_games


MAX_GAMES = 1_000_000     # per batch (a sweep: over all its points)
MAX_POINTS = 10_000       # grid points of a sweep
ROUNDS = 3                # a chunk whose worker died is tried this many times in all


class SimError(ValueError):
    """A batch that cannot run as asked (bad policy, override, worker count or executor)."""


class Tasks(Sequence):
    """Tasks made on demand (a million games need no million objects up front)."""

    def __init__(self, n: int, make: Callable[[int], Task]):
        self.n = n
        self.make = make

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self.make(k) for k in range(*i.indices(self.n))]
        if not -self.n <= i < self.n:
            raise IndexError(i)
        return self.make(i % self.n)


def error_record(task: Task, players: Sequence[str], scenario: str, error: str) -> dict:
    """The record of a game that could not be played: what it was, and the error."""
    rec: dict = {"game": task.index, "seed": task.seed, "scenario": scenario}
    for p, spec in zip(players, task.specs):
        rec[f"policy.{p}"] = spec
    for k, v in task.overrides:
        rec[f"param.{k}"] = v
    for k, v in task.extra:
        rec[k] = v
    rec["error"] = error[:500]
    return rec


def exit_with_parent() -> None:
    """Initialiser of worker processes: ignore Ctrl-C (the parent handles it and stops them) and
    exit when the parent dies, even by SIGKILL, so no worker is left running on its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


@attrs.frozen
class Task:
    """One game to play: its index, seed, the policies by seat and the what-if overrides."""

    index: int
    seed: int
    specs: tuple[str, str]
    overrides: tuple[tuple[str, float], ...] = ()
    extra: tuple[tuple[str, object], ...] = ()  # fields copied into the record (e.g. a sweep point)
    # What plays the game: a module-level function with play_game's signature (a backtest's, say);
    # None for play_game. Module-level, so process pools and Dask send it by name.
    player: Callable[..., dict] | None = None


# --- the scenario as workers see it -----------------------------------------------------------

@attrs.frozen
class Source:
    """What a worker needs to rebuild a scenario: the file's bytes and a name for messages."""

    data: bytes = attrs.field(repr=False)
    name: str
    digest: str


_CACHE: dict[tuple, tuple] = {}


def _scenario_for(src: Source | Scenario, overrides: tuple) -> Scenario:
    """The compiled scenario with overrides applied, kept per process."""
    key = (src.digest if isinstance(src, Source) else id(src), overrides)
    hit = _CACHE.get(key)
    if hit is not None:
        return hit[1]
    if isinstance(src, Scenario):
        base = src
    else:
        base_hit = _CACHE.get((src.digest, ()))
        base = base_hit[1] if base_hit else load_bytes(src.data, src.name)
        _CACHE[(src.digest, ())] = (src, base)
    sc = apply_overrides(base, dict(overrides))
    if len(_CACHE) > 64:
        _CACHE.clear()
    _CACHE[key] = (src, sc)  # the source stays referenced, so its id() cannot be reused
    return sc


def load(scenario: Scenario | str | os.PathLike) -> tuple[Scenario, Source | None]:
    """The scenario and the exact bytes it was compiled from (None if it has no file)."""
    if isinstance(scenario, Scenario):
        sc = scenario
        if sc.path is None or not Path(sc.path).is_file():
            return sc, None
        data = Path(sc.path).read_bytes()
        if sha256(data).hexdigest() != sc.digest:
            return sc, None  # changed on disk since: only the loaded copy can be run
        # Whether this (frozen) object still matches its file is checked once and remembered on
        # the object itself (the identity check skips a memo copied along by attrs.evolve).
        memo = sc.cache.get("batch.matches_file")
        if memo is None or memo[0] is not sc:
            fresh = load_bytes(data, str(sc.path))
            same = (fresh.start, fresh.weights, fresh.raw) == (sc.start, sc.weights, sc.raw)
            memo = sc.cache["batch.matches_file"] = (sc, same)
        if not memo[1]:
            return sc, None  # changed in memory (pass what-ifs as overrides= instead)
        return sc, Source(data, str(sc.path), sc.digest)
    sc = find_scenario(scenario)
    if sc.path is None:  # pragma: no cover - find_scenario always loads from a file
        return sc, None
    data = Path(sc.path).read_bytes()
    digest = sha256(data).hexdigest()
    if digest != sc.digest:  # edited between two reads: compile what we send to the workers
        sc = load_bytes(data, str(sc.path), Path(sc.path))
    sc.cache["batch.matches_file"] = (sc, True)  # compiled from these bytes: no need to check again
    return sc, Source(data, str(sc.path), sc.digest)


def run_chunk(src: Source | Scenario, tasks: Sequence[Task], trajectory: bool = False) -> list[dict]:
    """Play a chunk of games (in whatever process this runs) and return their records.

    The cyclic garbage collector waits while it plays (a chunk is at most 100 games, whose
    records are kept anyway): each game makes a few hundred objects, and the collections they
    set off would walk the whole process (numba's compiled modules, a notebook's data), a third
    of a compiled random game's time. (``gc.freeze`` was tried instead: in a process holding
    millions of objects it made later full collections walk them all, 30 times slower.)"""
    pause = gc.isenabled()
    if pause:
        gc.disable()
    try:
        return _run_chunk(src, tasks, trajectory)
    finally:
        if pause:
            gc.enable()


def _run_chunk(src: Source | Scenario, tasks: Sequence[Task], trajectory: bool) -> list[dict]:
    done = _random_together(src, tasks, trajectory)
    out = []
    for k, t in enumerate(tasks):
        if done is not None and done[k] is not None:
            out.append(done[k])
            continue
        sc = None
        try:  # one game that raises is recorded with its error; the others go on
            sc = _scenario_for(src, t.overrides)
            params = dict(t.overrides)
            rec = (t.player or play_game)(sc, t.specs, t.seed, index=t.index, params=params, trajectory=trajectory)
            for k, v in t.extra:
                rec[k] = v
        except Exception as exc:  # noqa: BLE001 - reported in the batch's summary
            base = sc if sc is not None else src
            rec = error_record(t, getattr(base, "players", ()), getattr(base, "id", getattr(base, "name", "?")),
                               f"{type(exc).__name__}: {exc}")
        out.append(rec)
    return out


def _random_together(src: Source | Scenario, tasks: Sequence[Task], trajectory: bool) -> list | None:
    """A chunk of random-vs-random games of one scenario, played in one call to their compiled
    kernels (``runner.play_random_games``) when they are ready: records, None where a game is
    left to be played alone; or None for the whole chunk."""
    if trajectory or len(tasks) < 2:
        return None
    first = tasks[0]
    if any(t.player is not None or t.specs != ("random", "random") or t.overrides != first.overrides
           for t in tasks):
        return None
    try:
        sc = _scenario_for(src, first.overrides)
        done = play_random_games(sc, [(t.index, t.seed) for t in tasks], params=dict(first.overrides))
    except Exception:  # noqa: BLE001 - each game is then played (and any error recorded) alone
        return None
    if done is not None:
        for t, rec in zip(tasks, done):
            if rec is not None:
                for k, v in t.extra:
                    rec[k] = v
    return done


# --- executors -----------------------------------------------------------------------------------

def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _pool(workers: int) -> cf.Executor:
    ctx = multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None
    return cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=exit_with_parent)


def _shutdown(ex: cf.Executor, wait: bool) -> None:
    try:
        ex.shutdown(wait=wait, cancel_futures=True)
    except TypeError:  # an executor without cancel_futures (Dask's)
        ex.shutdown(wait=wait)


def _stop(ex: cf.Executor) -> None:
    """Stop an executor at once (after Ctrl-C): cancel what waits and end the worker processes."""
    _shutdown(ex, wait=False)
    for proc in list((getattr(ex, "_processes", None) or {}).values()):
        try:
            proc.terminate()
        except (OSError, AttributeError):
            pass


class _Dask:
    """A dask.distributed client (and, for 'local', the cluster it started), closed on exit."""

    def __init__(self, target, workers: int):
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise SimError("--dask needs dask.distributed, an optional extra: "
                           "pip install 'union-state[distributed]'") from None
        self.own = []
        if hasattr(target, "get_executor"):  # a Client made by the caller
            self.client = target
        elif target == "local":
            import logging

            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.CRITICAL)  # no tracebacks on Ctrl-C
            self.client = Client(cluster)
            self.own = [self.client, cluster]
        else:
            try:
                self.client = Client(str(target), timeout="10s")
            except (OSError, TimeoutError) as exc:
                raise SimError(f"cannot reach the Dask scheduler at {target}: {exc}") from None
            self.own = [self.client]

    def executor(self) -> cf.Executor:
        return self.client.get_executor(pure=False)

    def close(self) -> None:
        """Close the client and the cluster it started, each within a few seconds."""
        import logging

        logging.getLogger("distributed").setLevel(logging.CRITICAL)  # no tracebacks on the way out
        for x in self.own:
            try:
                x.close(timeout=5)
            except Exception:  # noqa: BLE001 - closing must not hide why we stopped
                pass


def execute(sc: Scenario, src: Source | None, tasks: Sequence[Task], *, workers: int | None = 1,
            dask=None, trajectory: bool = False,
            progress: Callable[[int, int], None] | None = None, chunk: int | None = None,
            on_records: Callable[[list[dict]], None] | None = None) -> list[dict]:
    """Run the tasks and return their records in task order.

    One worker and no Dask: in this process, on the loaded scenario. Otherwise chunks go to a
    process pool (or Dask) with the scenario's bytes ``src``. ``on_records`` gets each chunk's
    records as soon as they are played (to write them before the batch ends). A game that raises
    gives a record with an ``error``; a chunk whose worker died is tried again in a new pool, and
    after ROUNDS tries its games get error records: the batch always finishes.
    """
    total = len(tasks)
    if workers is None:
        workers = default_workers()
    if workers < 1:
        raise SimError(f"workers must be at least 1 (or None for all cores), not {workers}")
    done = 0

    def finished(recs: list[dict]) -> None:
        nonlocal done
        done += len(recs)
        if on_records:
            on_records(recs)
        if progress:
            progress(done, total)

    if dask is None and (workers == 1 or total <= 1):
        out: list[dict] = []
        step = chunk or max(1, min(50, total // 50))
        for i in range(0, total, step):
            recs = run_chunk(sc, tasks[i:i + step], trajectory)
            out += recs
            finished(recs)
        return out
    if src is None:
        raise SimError(f"scenario '{sc.id}' cannot be sent to worker processes: it has no file, or "
                       "differs from its file (changed on disk or in memory); pass what-ifs as "
                       "overrides=, load it again, or use one worker")
    if src.digest == sc.digest:
        # Forked workers inherit this process's memo, so they need not compile the file again.
        _CACHE.setdefault((src.digest, ()), (src, sc))
    size = chunk or max(1, min(100, math.ceil(total / (workers * 8))))
    n_chunks = math.ceil(total / size)

    def part(k: int) -> list[Task]:
        return list(tasks[k * size:(k + 1) * size])

    results: dict[int, list[dict]] = {}
    pending = list(range(n_chunks))
    last_error = ""
    dk = _Dask(dask, workers) if dask is not None else None
    try:
        for _ in range(ROUNDS):
            if not pending:
                break
            failed: list[int] = []
            ex = dk.executor() if dk else _pool(min(workers, len(pending)))
            todo = iter(pending)
            running: dict = {}
            stopped = False
            try:
                while True:
                    while not failed and len(running) < workers * 4:  # chunks are submitted as others end
                        k = next(todo, None)
                        if k is None:
                            break
                        try:
                            running[ex.submit(run_chunk, src, part(k), trajectory)] = k
                        except Exception as exc:  # noqa: BLE001 - the pool broke since the last wait
                            last_error = f"{type(exc).__name__}: {exc}"
                            failed.append(k)
                    if not running:
                        break
                    ready, _ = cf.wait(running, return_when=cf.FIRST_COMPLETED)
                    for fut in ready:
                        k = running.pop(fut)
                        try:
                            recs = fut.result()
                        except Exception as exc:  # noqa: BLE001 - a worker died (or Dask lost it)
                            last_error = f"{type(exc).__name__}: {exc}"
                            failed.append(k)
                            continue
                        results[k] = recs
                        finished(recs)
                if failed:  # a process pool is broken once a worker dies: the rest go to the next round
                    failed += list(todo)
            except BaseException:
                stopped = True
                _stop(ex)
                raise
            finally:
                if not stopped:
                    _shutdown(ex, wait=True)
            pending = sorted(set(failed))
        for k in pending:
            recs = [error_record(t, sc.players, sc.id, f"the worker process playing this game stopped "
                                 f"({last_error or 'no reason given'})") for t in part(k)]
            results[k] = recs
            finished(recs)
    finally:
        if dk:
            dk.close()
    return [r for k in range(n_chunks) for r in results[k]]


# --- the public API ------------------------------------------------------------------------------

def seat_specs(sc: Scenario, policies: str | Sequence[str] | Mapping[str, str] | None) -> tuple[str, str]:
    """Policies by seat, from one spec for both sides, a pair, or a mapping by side id."""
    if policies is None:
        pair = ("greedy", "greedy")
    elif isinstance(policies, str):
        pair = (policies, policies)
    elif isinstance(policies, Mapping):
        for k in policies:
            if k not in sc.players:
                raise SimError(f"unknown side '{k}'; sides in {sc.id}: {', '.join(sc.players)}")
        pair = tuple(policies.get(p, "greedy") for p in sc.players)
    else:
        pair = tuple(policies)
        if len(pair) != 2:
            raise SimError("give one policy per side: two in all")
    for spec in pair:
        try:
            parse_spec(spec)
        except PolicyError as exc:
            raise SimError(str(exc)) from None
    return pair  # type: ignore[return-value]


def check_overrides(sc: Scenario, overrides: Mapping[str, float] | None) -> tuple[tuple[str, float], ...]:
    items = tuple((str(k), float(v)) for k, v in (overrides or {}).items())
    try:
        apply_overrides(sc, dict(items))
    except OverrideError as exc:
        raise SimError(str(exc)) from None
    return items


def run_batch(scenario: Scenario | str | os.PathLike, games: int = 100, seed: int = 0,
              policies: str | Sequence[str] | Mapping[str, str] | None = None, *,
              workers: int | None = 1, dask=None, overrides: Mapping[str, float] | None = None,
              trajectory: bool = False, progress: Callable[[int, int], None] | None = None,
              on_records: Callable[[list[dict]], None] | None = None) -> list[dict]:
    """Play ``games`` games and return one flat record per game (see docs/simulation.md).

    ``scenario`` is a loaded Scenario, an id or a path; ``policies`` one spec for both sides, a
    pair in seat order, or {side: spec}; ``workers`` a process count (None: all cores); ``dask``
    "local", a scheduler address or a dask.distributed Client; ``overrides`` what-if values as
    for ``--set``. Same seed, same records, whatever the workers or executor.
    """
    sc, src = load(scenario)
    _check_games(games)
    specs = seat_specs(sc, policies)
    items = check_overrides(sc, overrides)
    tasks = Tasks(games, lambda i: Task(i, game_seed(seed, i), specs, items))
    return execute(sc, src, tasks, workers=workers, dask=dask, trajectory=trajectory, progress=progress,
                   on_records=on_records)


def _check_games(games: int) -> None:
    if not 0 <= games <= MAX_GAMES:
        raise SimError(f"games must be from 0 to {MAX_GAMES:,}, not {games:,}")


def grid(vary: Iterable[tuple[str, float, float, float]]) -> list[dict[str, float]]:
    """Every combination of parameter values, each range START:STOP:STEP with STOP included."""
    axes = []
    for name, start, stop, step in vary:
        if step <= 0:
            raise SimError(f"--vary {name}: STEP must be positive")
        if stop < start:
            raise SimError(f"--vary {name}: STOP is below START")
        span = (stop - start) / step
        if not math.isfinite(span) or span >= 1000:  # a tiny step overflows to inf
            raise SimError(f"--vary {name}: over 1000 values is too many; use a larger STEP")
        n = int(math.floor(span + 1e-9)) + 1
        axes.append((name, [round(start + k * step, 10) for k in range(n)]))
    count = math.prod(len(values) for _, values in axes)
    if count > MAX_POINTS:
        raise SimError(f"--vary: the grid has {count:,} points; at most {MAX_POINTS:,}")
    points: list[dict[str, float]] = [{}]
    for name, values in axes:
        points = [{**p, name: v} for p in points for v in values]
    return points


def run_sweep(scenario, vary, games: int = 100, seed: int = 0, policies=None, *, workers=1, dask=None,
              overrides=None, progress=None, on_records=None) -> list[dict]:
    """The same games at every grid point (common seeds); records carry ``param.NAME`` fields."""
    sc, src = load(scenario)
    specs = seat_specs(sc, policies)
    base = dict(check_overrides(sc, overrides))
    points = [check_overrides(sc, {**base, **point}) for point in grid(vary)]
    _check_games(games * len(points))
    tasks = Tasks(games * len(points), lambda k: Task(k % games, game_seed(seed, k % games), specs,
                                                      points[k // games], (("point", k // games),)))
    return execute(sc, src, tasks, workers=workers, dask=dask, progress=progress, on_records=on_records)


def run_compare(scenario, a: str, b: str, games: int = 100, seed: int = 0, *, workers=1, dask=None,
                overrides=None, progress=None, on_records=None) -> list[dict]:
    """A/B games with seats balanced: pairs of games share a seed, A takes each seat once.

    Records carry ``a_side`` (the side A played) besides the usual fields.
    """
    sc, src = load(scenario)
    _check_games(games)
    seat_specs(sc, (a, b))
    items = check_overrides(sc, overrides)
    p0, p1 = sc.players

    def task(i: int) -> Task:
        s = game_seed(seed, i // 2)
        if i % 2 == 0:
            return Task(i, s, (a, b), items, (("a_side", p0),))
        return Task(i, s, (b, a), items, (("a_side", p1),))

    return execute(sc, src, Tasks(games, task), workers=workers, dask=dask, progress=progress,
                   on_records=on_records)
