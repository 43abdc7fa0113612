"""The greedy player's decisions in compiled code (``FastGames.decide``) against the Python path.

The contract is identity: at the same position, with the same policy (its learning belief, its
calibrated forecasts, the packages it remembers refused) and the same ``random.Random`` state, the
compiled decision is the same move and leaves the generator in the same state, on every shipped
and test scenario; so whole games, and a batch's records, are the same whichever path decides.
"""

import random
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


def test_whole_greedy_games_have_the_same_records(compiled):
    sc, fg = compiled
    for specs in PAIRS[:2]:
        for seed in (3, 4):
            fast = play_game(sc, specs, seed)
            with python_path(sc):
                assert play_game(sc, specs, seed) == fast


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
