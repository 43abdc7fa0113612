"""Whole random games in compiled code (game.fast.games) against the Python engine, the reference.

The contract is identity: from the same position with the same generators, the same moves (the
same number of legal moves and the same pick at every step), the same fired records and the same
final state, bit for bit, on every shipped and test scenario; and the same batch records. The
kernels are compiled once for the session by the process ``tests/conftest.py`` starts at
collection; these tests run last (``pytest_collection_modifyitems``) to give it time.
"""

import random
import struct

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("numba")

from game import fast  # noqa: E402
from game.engine import start  # noqa: E402
from game.engine.rules import Headless, roll  # noqa: E402
from game.engine.state import OVER  # noqa: E402
from game.fast import games  # noqa: E402
from game.fast.gamegen import PHASES  # noqa: E402
from game.scenario import load_scenario  # noqa: E402
from game.sim import run_batch  # noqa: E402
from game.sim.runner import game_seed, play_game  # noqa: E402
from tests.conftest import HERE  # noqa: E402


def _python_game(first, rngs, limit=100_000):
    """The random policy's game in the Python engine: (final state, fired records, trace)."""
    g = Headless(first)
    trace = []
    while g.phase != OVER and len(trace) < limit:
        legal = g.legal()
        pick = int(rngs[g.actor].random() * len(legal))
        trace.append((PHASES.index(g.phase), len(legal), pick))
        g.play(legal[pick])
    return g.state(), list(g.fired), trace


def _bits(values) -> list[bytes]:
    return [struct.pack("<d", x) for x in values]


def _rngs(seed):
    return [random.Random(game_seed(seed, 1_000_003 + i)) for i in (0, 1)]


def test_random_games_are_move_for_move_the_same_as_the_engines(compiled):
    sc, fg = compiled
    for seed in range(40):
        first = start(sc, seed, record=False).state
        trace = np.zeros((5000, 3), dtype=np.int64)
        state, fired, moves, _ = fg.play(first, seed, rng_seeds=(game_seed(seed, 1_000_003),
                                                                 game_seed(seed, 1_000_004)), trace=trace)
        ref, ref_fired, ref_trace = _python_game(first, _rngs(seed))
        assert moves == len(ref_trace)
        assert [tuple(row) for row in trace[:moves].tolist()] == ref_trace
        assert fired == ref_fired
        assert state == ref
        assert _bits(state.values) == _bits(ref.values)


def test_batch_records_are_the_same_on_both_paths(compiled, monkeypatch):
    sc, fg = compiled
    monkeypatch.setattr(games, "for_scenario", lambda s: None)
    slow = [play_game(sc, ("random", "random"), seed, index=seed, trajectory=seed % 2 == 0) for seed in range(12)]
    monkeypatch.setattr(games, "for_scenario", lambda s: fg if s is sc else None)
    quick = [play_game(sc, ("random", "random"), seed, index=seed, trajectory=seed % 2 == 0) for seed in range(12)]
    assert quick == slow


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_games_from_drawn_positions_end_the_same_on_both_paths(compiled, data):
    """From anywhere a random game can reach (a standoff open, a deal on the table, an event's
    choice pending), with generators in any state."""
    sc, fg = compiled
    seed = data.draw(st.integers(0, 2**62), label="seed")
    first = start(sc, seed, record=False).state
    rngs = [random.Random(data.draw(st.integers(0, 2**70), label=f"rng{i}")) for i in (0, 1)]
    state, _, trace = _python_game(first, rngs, limit=data.draw(st.integers(0, 120), label="moves"))
    if state.is_over:
        return
    copies = [random.Random() for _ in (0, 1)]
    for r, copy in zip(rngs, copies):
        copy.setstate(r.getstate())
    before = [c.getstate() for c in copies]
    out = fg.play(state, seed, copies)
    ref, ref_fired, ref_trace = _python_game(state, rngs)
    assert out is not None
    assert out[0] == ref and out[1] == ref_fired and out[2] == len(ref_trace)
    assert [c.getstate() for c in copies] == before  # the caller's generators are left as they were


@settings(max_examples=200, deadline=None)
@given(x=st.integers(0, 2**63 - 1), draws=st.integers(1, 1400))
def test_each_sides_generator_is_cpythons(compiled, x, draws):
    _, fg = compiled
    mt = np.zeros((2, 624), dtype=np.int64)
    pos = np.zeros(2, dtype=np.int64)
    fg.mod.seed_mt(mt, pos, 1, np.uint64(x))
    ref = random.Random(x)
    got = [fg.mod.random(mt, pos, 1) for _ in range(draws)]
    assert got == [ref.random() for _ in range(draws)]


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 2**64 - 1), turn=st.integers(0, 500), salt=st.integers(0, 5000))
def test_the_dice_are_the_engines(compiled, seed, turn, salt):
    _, fg = compiled
    assert fg.mod.roll(np.uint64(seed), turn, salt) == roll(seed, turn, salt)


def test_a_game_too_big_for_the_kernels_arrays_is_played_in_python(compiled, monkeypatch):
    sc, fg = compiled
    small = games.FastGames(sc, fg.mod)
    small._fired = np.empty((0, 2), dtype=np.int64)  # no room for a fired record (every game fires its ending)
    first = start(sc, 3, record=False).state
    assert small.play(first, 3, _rngs(3)) is None
    monkeypatch.setattr(games, "for_scenario", lambda s: small)
    quick = play_game(sc, ("random", "random"), 3)
    monkeypatch.setattr(games, "for_scenario", lambda s: None)
    assert quick == play_game(sc, ("random", "random"), 3)


def test_a_batch_starts_the_compile_only_after_enough_games(tmp_path, monkeypatch):
    """Short runs never pay for a compile: the first WARM random games of a scenario run in
    Python, then another process compiles and the runner polls for it."""
    monkeypatch.setenv("UNION_STATE_HOME", str(tmp_path))
    sc = load_scenario(HERE / "scenarios" / "harbour.toml")
    started = []

    def start_compile(s, src, kind="scenario"):
        started.append((s, kind))
        return tmp_path / "never.py"  # no .ok beside it: never ready

    monkeypatch.setattr(fast, "start_compile", start_compile)
    monkeypatch.setattr(games, "WARM", 5)
    monkeypatch.setattr(games, "POLL", 3)
    recs = run_batch(sc, 4, seed=1, policies="random")
    assert len(recs) == 4 and not started
    run_batch(sc, 4, seed=2, policies="random")
    assert started == [(sc, "games")]  # once, on the fifth game
    run_batch(sc, 6, seed=3, policies="random")
    assert started == [(sc, "games")]  # polled, not started again


def test_a_scenario_with_effects_the_compiler_did_not_make_is_played_in_python():
    sc = load_scenario(HERE / "scenarios" / "harbour.toml")
    t = sc.terms[0]
    hand = attrs.evolve(t, effects=((t.effects[0][0], lambda v, c: 1.0),))
    sc2 = attrs.evolve(sc, terms=(hand,) + sc.terms[1:], term_by_id={**sc.term_by_id, t.id: hand}, cache={})
    assert "not made by the expression compiler" in games.declined(sc2)
    assert games.prepare(sc2) is None and games.for_scenario(sc2) is None
    assert play_game(sc2, ("random", "random"), 1)["moves"] > 0


def test_no_compiled_games_when_the_fast_path_is_off(monkeypatch):
    monkeypatch.setenv("UNION_STATE_NO_FAST", "1")
    sc = load_scenario(HERE / "scenarios" / "harbour.toml")
    assert games.prepare(sc) is None and games.for_scenario(sc) is None


def test_simulate_compile_compiles_first_and_plays_the_same_games(fast_kernels, monkeypatch, capsys, tmp_path):
    """``union-state simulate --compile`` with random players: the whole games are compiled (here
    loaded from the session's folder) before the batch, which then plays them compiled, with
    the records the Python path writes."""
    import json

    from game.cli import main

    path = str(HERE / "scenarios" / "harbour.toml")
    monkeypatch.setenv("UNION_STATE_HOME", str(fast_kernels.home))
    fast_kernels.wait_games(load_scenario(path))
    quick, slow = tmp_path / "quick.jsonl", tmp_path / "slow.jsonl"
    args = ["simulate", path, "--games", "30", "--seed", "4", "--workers", "1", "--policy", "random"]
    calls = []
    real = games.FastGames.play_summary
    monkeypatch.setattr(games.FastGames, "play_summary", lambda self, *a, **k: calls.append(1) or real(self, *a, **k))
    assert main([*args, "--compile", "--out", str(quick)]) == 0
    err = capsys.readouterr().err
    assert "Compiled whole random games for harbour-test" in err
    assert len(calls) == 30  # every game played compiled
    monkeypatch.setenv("UNION_STATE_NO_FAST", "1")
    assert main([*args, "--compile", "--out", str(slow)]) == 0
    assert "The fast path is off" in capsys.readouterr().err
    assert [json.loads(x) for x in quick.read_text().splitlines()] == [
        json.loads(x) for x in slow.read_text().splitlines()]


def test_a_batch_plays_its_random_games_together_with_the_same_records(compiled, monkeypatch):
    """``run_batch`` hands a chunk of random games to one kernel call (``play_many``); a game
    it gives back (here every third) is played alone; the records are the Python path's."""
    sc, fg = compiled
    games.use(sc, False)
    try:
        slow = run_batch(sc, 150, seed=9, policies="random")
    finally:
        games.use(sc, True)
    assert run_batch(sc, 150, seed=9, policies="random") == slow
    real = games.FastGames.play_many
    calls = []

    def some_given_back(self, first, seeds, rng_seeds, **kw):
        calls.append(len(seeds))
        return [None if k % 3 == 0 else d for k, d in enumerate(real(self, first, seeds, rng_seeds, **kw))]

    monkeypatch.setattr(games.FastGames, "play_many", some_given_back)
    assert run_batch(sc, 150, seed=9, policies="random") == slow
    assert sum(calls) == 150


def test_a_long_random_run_without_compiled_games_tells_how_to_get_them(monkeypatch, capsys):
    from game.cli import main
    from game.sim import commands

    monkeypatch.setattr(commands, "TIP_SECONDS", 0.0)  # every run counts as long here
    path = str(HERE / "scenarios" / "harbour.toml")
    assert main(["simulate", path, "--games", "5", "--workers", "1", "--policy", "random"]) == 0
    assert "--compile compiles them before playing" in capsys.readouterr().err
    assert main(["simulate", path, "--games", "5", "--workers", "1", "--policy", "greedy"]) == 0
    assert "--compile" not in capsys.readouterr().err  # only random runs are compiled whole
