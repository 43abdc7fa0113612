"""The compiled fast path (game.fast) against the Python path, which is the reference.

The contract is identity: the same moves, the same records and bit-identical numbers, on every
shipped and test scenario, for several policy pairs and seeds, and on positions hypothesis draws.
Each scenario is compiled once for the session, by another process that starts as soon as the
tests are collected (``tests/conftest.py``: a compile takes seconds); both paths then run on the
same scenario object, switched with ``Model.use_fast``.
"""

import math
import random
import struct

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("numba")

from game import fast  # noqa: E402
from game.ai import make_policy  # noqa: E402
from game.ai.evaluate import Model  # noqa: E402
from game.ai.greedy import GreedyPolicy  # noqa: E402
from game.ai.policy import tell  # noqa: E402
from game.engine import Move, apply, legal_moves, new_game, view  # noqa: E402
from game.fast.codegen import Declined, translate  # noqa: E402
from game.scenario import load_scenario  # noqa: E402
from game.sim.runner import play_game  # noqa: E402
from tests.conftest import FAST_SCENARIOS, HERE  # noqa: E402

SCENARIOS = FAST_SCENARIOS  # compiled in another process as soon as the tests are collected
PAIRS = [
    ("greedy", "greedy"),
    ("random", "greedy"),
    ("greedy:noise=0.6,risk=0.9,caution=0.1", "greedy:noise=0.05,rivalry=0.5,caution=1.5"),
    ("easy", "normal"),
]
SEEDS = (1, 2)


@pytest.fixture(scope="module", params=SCENARIOS, ids=lambda p: p.stem)
def scenario(request, fast_kernels):
    sc = load_scenario(request.param)
    model = Model.of(sc)
    with pytest.MonkeyPatch.context() as mp:  # the session's kernels, not the user's cache
        mp.setenv("UNION_STATE_HOME", str(fast_kernels.home))
        fast_kernels.wait(sc, model)
        model.use_fast(True)
    assert model.fast() is not None, fast.declined(sc)
    yield sc
    model.use_fast(False)


def _bits(x) -> bytes:
    return struct.pack("<d", float(x))


def _moves(sc, specs, seed, limit=10_000):
    """Every move of a game (the first ``limit``), with the values after each."""
    pols = [make_policy(specs[i], sc, sc.players[i], seed=seed) for i in (0, 1)]
    rngs = [random.Random(seed * 2 + i) for i in (0, 1)]
    state = new_game(sc, seed)
    out = []
    while not state.is_over and len(out) < limit:
        a = state.actor
        move = pols[a].choose(view(state, sc.players[a]), legal_moves(state), rngs[a])
        tell(pols, state, move)
        state = apply(state, move).state
        out.append((move, state.values))
    return out


def _both(sc, fn):
    model = Model.of(sc)
    model.use_fast(False)
    try:
        slow = fn()
    finally:
        model.use_fast(True)
    return slow, fn()


@pytest.mark.parametrize("specs", PAIRS, ids=lambda p: "-".join(p))
def test_games_are_move_for_move_the_same_on_both_paths(scenario, specs):
    for seed in SEEDS if specs == PAIRS[0] else SEEDS[:1]:  # the other pairs: one game each way
        slow, quick = _both(scenario, lambda: _moves(scenario, specs, seed))
        assert quick == slow
        assert [tuple(map(_bits, v)) for _, v in quick] == [tuple(map(_bits, v)) for _, v in slow]


@pytest.mark.parametrize("specs", [("greedy", "greedy"), ("greedy", "random")], ids=lambda p: "-".join(p))
def test_batch_records_are_the_same_on_both_paths(scenario, specs):
    for seed in (5, 6):
        slow, quick = _both(scenario, lambda: play_game(scenario, specs, seed, trajectory=True))
        assert quick == slow


def test_search_playouts_are_the_same_on_both_paths(fast_kernels, monkeypatch):
    sc = load_scenario(HERE / "scenarios" / "harbour.toml")
    monkeypatch.setenv("UNION_STATE_HOME", str(fast_kernels.home))
    fast_kernels.wait(sc, Model.of(sc))
    Model.of(sc).use_fast(True)
    specs = ("search:iterations=4", "greedy")
    slow, quick = _both(sc, lambda: _moves(sc, specs, 3, limit=8))
    assert quick == slow


def _position(sc, data):
    """A state with values drawn in every slot's range (issues at whole levels; derived meters
    left as drawn, so they may be stale, which the engine's preview must repair)."""
    state = new_game(sc, data.draw(st.integers(0, 2**16), label="seed"))
    vals = []
    for slot in range(len(sc.names)):
        lo, hi = sc.lo[slot], sc.hi[slot]
        if slot >= sc.n_meters:
            vals.append(float(data.draw(st.integers(int(lo), int(hi)))))
        else:
            vals.append(data.draw(st.one_of(st.sampled_from([lo, hi, sc.start[slot]]),
                                            st.floats(lo, hi, allow_nan=False))))
    turn = data.draw(st.integers(1, sc.turns))
    rnd = data.draw(st.sampled_from([0, 0, 1, 2]))
    return attrs.evolve(state, values=tuple(vals), turn=turn, standoff_round=rnd)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_term_tables_are_bit_identical_on_drawn_positions(scenario, data):
    sc = scenario
    state = _position(sc, data)
    me = data.draw(st.sampled_from(sc.players))
    pol = GreedyPolicy(sc, me, seed=data.draw(st.integers(0, 99)),
                       rivalry=data.draw(st.sampled_from([0.0, 0.4])))
    legal = [Move("propose", me, terms=(t.id,)) for t in sc.terms]
    (p1, slow), (p2, quick) = _both(sc, lambda: pol._term_table(state, legal))
    assert p1 == p2
    assert len(slow) == len(quick)
    for a, b in zip(slow, quick):
        assert a[0] is b[0]
        assert [_bits(x) for x in a[1:3] + a[4:]] == [_bits(x) for x in b[1:3] + b[4:]]
        assert np.asarray(a[3], dtype=float).tobytes() == np.asarray(b[3], dtype=float).tobytes()


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_projections_and_scores_are_bit_identical_on_drawn_positions(scenario, data):
    sc = scenario
    state = _position(sc, data)
    tables = [effs for effs, _, _ in sc.fused_effects.values()]
    picks = data.draw(st.lists(st.sampled_from(tables), min_size=1, max_size=4))
    scales = data.draw(st.lists(st.sampled_from([1.0, 2.0, 0.5, -1.0]), min_size=len(picks),
                                max_size=len(picks)))
    effects = list(zip(picks, scales))
    pol = GreedyPolicy(sc, sc.players[data.draw(st.integers(0, 1))])
    ev = pol.ev
    prep = ev.prepare(state.values, state.ctx)
    slow, quick = _both(sc, lambda: (Model.of(sc).project(state, *effects),
                                     ev.project_near(state, prep, *effects)))
    assert [_bits(x) for x in quick[0]] == [_bits(x) for x in slow[0]]
    assert [_bits(x) for x in quick[1][0]] == [_bits(x) for x in slow[1][0]]
    assert _bits(quick[1][1]) == _bits(slow[1][1])


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_judging_only_the_endings_whose_inputs_moved_gives_every_endings_closeness(scenario, data):
    # What Model.near relies on (the score, the greedy player's exact check of a package): an
    # ending whose inputs did not move is as close as before, bit for bit.
    sc = scenario
    state = _position(sc, data)
    tables = [effs for effs, _, _ in sc.fused_effects.values()]
    picks = data.draw(st.lists(st.sampled_from(tables), min_size=1, max_size=3))
    model = Model.of(sc)
    ctx = state.ctx
    v = model.project(state, *((effs, 1.0) for effs in picks))
    near = model.near(model.parts(state.values, ctx), v, ctx)
    whole = model.parts(tuple(v), ctx)
    assert [_bits(x) for x in near[0] + near[1]] == [_bits(x) for x in whole[2] + whole[3]]


def test_the_fast_path_is_off_with_the_environment_variable(monkeypatch):
    monkeypatch.setenv("UNION_STATE_NO_FAST", "1")
    sc = load_scenario(HERE / "scenarios" / "harbour.toml")
    assert not fast.enabled()
    assert fast.build(sc, Model.of(sc)) is None
    assert Model(sc).fast() is None


def test_without_numba_the_python_path_runs_silently(monkeypatch):
    monkeypatch.setattr(fast, "_NUMBA", False)
    sc = load_scenario(HERE / "scenarios" / "harbour.toml")
    model = Model(sc)
    assert model.fast() is None
    assert fast.declined(sc) is None  # not declined: never tried


def test_a_scenario_with_effects_the_compiler_did_not_make_is_declined_with_a_reason():
    sc = load_scenario(HERE / "scenarios" / "harbour.toml")
    t = sc.terms[0]
    hand = attrs.evolve(t, effects=((t.effects[0][0], lambda v, c: 1.0),))
    sc2 = attrs.evolve(sc, terms=(hand,) + sc.terms[1:], term_by_id={**sc.term_by_id, t.id: hand},
                        cache={})
    model = Model.of(sc2)
    model.use_fast(True)
    assert model.fast() is None
    assert "not made by the expression compiler" in fast.declined(sc2)
    rec = play_game(sc2, ("greedy", "greedy"), 1)  # the Python path plays it
    assert rec["moves"] > 0


@pytest.mark.parametrize("src", ["__import__('os')", "v.x", "v[0](1)", "open('f')", "c[-1]",
                                 "(lambda: 1)()", "v[0] ** 2", "v[0] / 2", "x[0]", "[1, 2]"])
def test_the_translator_refuses_anything_the_compiler_does_not_write(src):
    with pytest.raises(Declined):
        translate(src)


def test_the_translator_keeps_pythons_rules_for_bools_and_ties():
    # and/or give an operand; min keeps the first of equal items; a comparison is 0 or 1
    assert translate("(v[0] and v[1])") == "_and(v[0], v[1])"
    assert translate("_min(v[0], v[1], 2.0)") == "_min2(_min2(v[0], v[1]), 2.0)"
    assert translate("(v[0] < v[1] <= 3.0)") == "(1.0 if (v[0] < v[1]) and (v[1] <= 3.0) else 0.0)"
    assert math.isclose(float(translate("1.5")), 1.5)
