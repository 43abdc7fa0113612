"""The greedy player in compiled code against the Python path: one decision at a time
(``FastGames.decide``) and whole games of two learning greedy players (``play_greedy_summary``).

The contract is identity: at the same position, with the same policy (its learning belief, its
calibrated forecasts, the packages it remembers refused) and the same ``random.Random`` state, the
compiled decision is the same move and leaves the generator in the same state; a whole compiled
game (views, decisions, both beliefs learning from every move) ends with the same record as the
Python loop; on every shipped and test scenario.
"""

import math
import random
import struct
from collections import Counter
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("numba")

from game.ai import make_policy  # noqa: E402
from game.engine import apply, legal_moves, new_game, view  # noqa: E402
from game.engine import rules  # noqa: E402
from game.engine.state import ANSWER, ANSWER_COUNTER, PROPOSE  # noqa: E402
from game.fast import games  # noqa: E402
from game.sim.runner import game_seed, play_game  # noqa: E402

PAIRS = [("greedy", "greedy"), ("hard", "easy"), ("greedy:risk=0.9,rivalry=0.4", "greedy:caution=0.9,noise=0.2")]


@contextmanager
def python_path(sc):
    """Decisions in Python: the scenario's compiled games are not handed out."""
    games.use(sc, False)
    try:
        yield
    finally:
        games.use(sc, True)


def _both(sc, fg, pol, state, legal, rng):
    """The compiled and the Python decision from the same generator state, and both generators."""
    r1, r2 = random.Random(), random.Random()
    r1.setstate(rng.getstate())
    r2.setstate(rng.getstate())
    pol._refresh()
    fast = fg.decide(pol, state, legal, r1)
    with python_path(sc):
        slow = pol.choose_in(state, legal, r2)
    return fast, slow, r1, r2


def test_decisions_in_real_games_are_the_same_on_both_paths(compiled):
    """Every decision of three greedy games (learning beliefs that calibrate and remember refusals)."""
    sc, fg = compiled
    seen = Counter()
    for g, specs in enumerate(PAIRS):
        seed = game_seed(5, g)
        pols = [make_policy(specs[i], sc, sc.players[i], seed=seed) for i in (0, 1)]
        rngs = [random.Random(seed + i) for i in (0, 1)]
        s = new_game(sc, seed)
        while not s.is_over:
            a = s.actor
            legal = legal_moves(s)
            vs = view(s, sc.players[a]).state
            if len(legal) > 1:
                fast, slow, r1, r2 = _both(sc, fg, pols[a], vs, legal, rngs[a])
                assert fast is not None, (s.phase, s.turn)
                assert fast == slow
                assert r1.getstate() == r2.getstate()
                bel = pols[a].belief
                seen[s.phase] += 1
                if s.phase in (PROPOSE, ANSWER):
                    seen["calibrated"] += bel.cal != (1.0, 0.0)
                    seen["refusals"] += bool(bel.offers)
            move = pols[a].choose(view(s, sc.players[a]), legal, rngs[a])
            for p in pols:
                p.observe(s, move)
            s = apply(s, move).state
    assert seen[PROPOSE] > 0
    if sc.id in ("roadmap-2021", "union-treaty-1999", "medvedev-ultimatum-2018"):
        # deals are offered, answered, refused and learnt from
        assert seen["calibrated"] > 0 and seen["refusals"] > 0 and seen[ANSWER] > 0


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_decisions_at_drawn_positions_and_beliefs_are_the_same(compiled, data):
    """Wherever random play leads, after the belief learnt from it, with any calibration and any
    packages remembered refused."""
    sc, fg = compiled
    seed = data.draw(st.integers(0, 2**62), label="game")
    s = new_game(sc, seed)
    side = data.draw(st.integers(0, 1), label="side")
    spec = data.draw(st.sampled_from(["greedy", "hard", "easy", "greedy:risk=1,rivalry=0.5", "greedy:noise=0"]),
                     label="policy")
    pol = make_policy(spec, sc, sc.players[side], seed=seed)
    walk = random.Random(data.draw(st.integers(0, 2**32), label="walk"))
    for _ in range(data.draw(st.integers(0, 120), label="moves")):
        if s.is_over:
            return
        move = walk.choice(legal_moves(s))
        pol.observe(s, move)
        s = rules.apply(s, move, record=False).state
    if s.is_over or s.actor != side:
        return
    legal = legal_moves(s)
    if len(legal) < 2:
        return
    bel = pol.belief
    if data.draw(st.booleans(), label="calibrated"):
        bel.cal = (data.draw(st.floats(0.3, 1.5), label="a"), data.draw(st.floats(-3, 3), label="b"))
    ids = [t.id for t in sc.terms]
    for _ in range(data.draw(st.integers(0, 4), label="refusals")):
        key = frozenset(data.draw(st.lists(st.sampled_from(ids), min_size=1, max_size=sc.deal_max_terms)))
        bel.offers[key] = (s.turn - data.draw(st.integers(0, 3)), data.draw(st.floats(0, 1)))
    if s.phase in (ANSWER, ANSWER_COUNTER) and s.deal and data.draw(st.booleans(), label="table refused"):
        bel.offers[frozenset(sc.terms[i].id for i in s.deal)] = (s.turn - 2, 0.0)
    rng = random.Random(data.draw(st.integers(0, 2**32), label="rng"))
    if data.draw(st.booleans(), label="kept gauss"):
        rng.gauss(0.0, 1.0)  # a second normal draw waiting in the generator
    vs = view(s, sc.players[side]).state
    fast, slow, r1, r2 = _both(sc, fg, pol, vs, legal, rng)
    assert fast == slow
    assert r1.getstate() == r2.getstate()


@pytest.fixture
def kernel_games(monkeypatch):
    """How many whole games the compiled greedy games played (not given back to Python)."""
    played = []
    real = games.FastGames.play_greedy_summary

    def spy(self, *args, **kw):
        out = real(self, *args, **kw)
        played.append(out is not None)
        return out

    monkeypatch.setattr(games.FastGames, "play_greedy_summary", spy)
    return played


def test_whole_greedy_games_have_the_same_records(compiled, kernel_games):
    sc, fg = compiled
    for specs in PAIRS:
        for seed in (3, 4):
            fast = play_game(sc, specs, seed)
            with python_path(sc):
                assert play_game(sc, specs, seed) == fast
    assert kernel_games == [True] * len(PAIRS) * 2


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(seed=st.integers(0, 2**62), noise=st.sampled_from([0.0, 0.03, 0.1, 0.3]), caution=st.floats(0, 2),
       risk=st.floats(0, 1), rivalry=st.sampled_from([0.0, 0.25, 1.0]))
def test_whole_games_with_drawn_seeds_and_personalities_have_the_same_records(compiled, seed, noise, caution,
                                                                              risk, rivalry):
    sc, fg = compiled
    specs = (f"greedy:noise={noise},caution={caution},risk={risk},rivalry={rivalry}", "greedy")
    first = rules.start(sc, seed, record=False).state
    pols = [make_policy(specs[i], sc, sc.players[i], seed=seed) for i in (0, 1)]
    from game.sim.runner import _rng_seeds

    assert fg.play_greedy_summary(first, seed, _rng_seeds(seed), pols) is not None
    fast = play_game(sc, specs, seed)
    with python_path(sc):
        assert play_game(sc, specs, seed) == fast


def test_players_a_compiled_game_does_not_play_are_left_to_python(compiled):
    sc, fg = compiled
    first = rules.start(sc, 9, record=False).state
    blunders = [make_policy("greedy:blunder=0.1", sc, p, seed=9) for p in sc.players]
    assert games.greedy_game_params(sc, blunders) is None
    assert fg.play_greedy_summary(first, 9, (1, 2), blunders) is None
    learnt = [make_policy("greedy", sc, p, seed=9) for p in sc.players]
    learnt[1].belief.version = 1  # a belief that has already seen moves
    assert games.greedy_game_params(sc, learnt) is None
    search = [make_policy("greedy", sc, sc.players[0], seed=9), make_policy("search:iterations=4", sc,
                                                                              sc.players[1], seed=9)]
    assert games.greedy_game_params(sc, search) is None


def test_a_policy_the_kernel_does_not_play_is_decided_in_python(compiled):
    """A subclass of the greedy player (its methods may differ) is left to Python."""
    from game.ai.greedy import GreedyPolicy

    sc, fg = compiled

    class Stubborn(GreedyPolicy):
        def _deal_options(self, state, legal):
            return super()._deal_options(state, legal)[:1]

    pol = Stubborn(sc, sc.players[0], 1)
    s = new_game(sc, 1)
    rng = random.Random(3)
    before = rng.getstate()
    assert fg.decide(pol, s, legal_moves(s), rng) is None
    assert rng.getstate() == before


def test_simulate_compile_compiles_whole_greedy_games_and_plays_the_same_records(fast_kernels, kernel_games,
                                                                                 monkeypatch, capsys, tmp_path):
    """``union-state simulate --compile`` with greedy players compiles the whole-game kernels
    first; every game is then played by them, and the records are the Python path's."""
    import json

    from game.ai.evaluate import Model
    from game.cli import main
    from game.scenario import load_scenario
    from tests.conftest import TEST_SCENARIO

    monkeypatch.setenv("UNION_STATE_HOME", str(fast_kernels.home))
    sc = load_scenario(TEST_SCENARIO)
    fast_kernels.wait(sc, Model.of(sc))
    fast_kernels.wait_games(sc)
    quick, slow = tmp_path / "quick.jsonl", tmp_path / "slow.jsonl"
    args = ["simulate", str(TEST_SCENARIO), "--games", "12", "--seed", "8", "--workers", "1", "--policy", "hard"]
    assert main([*args, "--compile", "--out", str(quick)]) == 0
    assert "Compiled whole greedy games for harbour-test" in capsys.readouterr().err
    assert kernel_games == [True] * 12
    monkeypatch.setattr(games, "for_scenario", lambda s: None)  # now every game in Python
    assert main([*args, "--out", str(slow)]) == 0
    assert len(kernel_games) == 12
    assert [json.loads(x) for x in quick.read_text().splitlines()] == [
        json.loads(x) for x in slow.read_text().splitlines()]



def test_the_views_rounding_is_pythons_bit_for_bit(compiled):
    """A view's estimates are rounded to one decimal as Python's ``round(x, 1)`` rounds (the exact
    value's nearest tenth, ties to even, the sign of a zero kept): halves and their neighbours,
    tenths and theirs, and numbers drawn over a wide range."""
    sc, fg = compiled
    r = random.Random(7)
    ties = [k / 20 for k in range(-4000, 4000)] + [k / 10 for k in range(-2000, 2000)]
    xs = ([r.uniform(-100.0, 100.0) for _ in range(3000)] + [r.uniform(-1e6, 1e6) for _ in range(1000)] + ties
          + [math.nextafter(t, math.inf) for t in ties] + [math.nextafter(t, -math.inf) for t in ties])
    bad = [x for x in xs if struct.pack("<d", fg.mod._round1(x)) != struct.pack("<d", round(x, 1))]
    assert bad == []
