"""Learning agents (the `rl` extra): the PettingZoo environment and the OpenSpiel game."""

import itertools
import math
import random
import warnings

import numpy as np
import pytest

from game.engine import IllegalMove, Move, apply, legal_moves, new_game, scores, view
from game.scenario import load_scenario
from tests.conftest import ROOT, TEST_SCENARIO

pytest.importorskip("pettingzoo", reason="the learning-agent tests need the 'rl' extra (pettingzoo)")

from game.env import ActionTable, Observer, env  # noqa: E402

SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml")) + [TEST_SCENARIO]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_pettingzoo_api_test_passes(path):
    with warnings.catch_warnings():
        # The same advice PettingZoo gives its own board games: dict observations with an
        # action mask, and agents named after the sides rather than player_0. (Importing its
        # tests also loads its board games, which warns of their old creation API.)
        warnings.simplefilter("ignore")
        from pettingzoo.test import api_test

        api_test(env(load_scenario(path), seed=3), num_cycles=1000)


def test_the_same_seed_gives_the_same_game(harbour):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pettingzoo.test import seed_test

        seed_test(lambda: env(harbour), num_cycles=300)


def test_the_action_table_numbers_every_deal_up_to_the_scenarios_limit(harbour):
    table = ActionTable.of(harbour)
    n = len(harbour.terms)
    deals = sum(math.comb(n, r) for r in range(1, harbour.deal_max_terms + 1))
    assert len(table.deals) == deals and table.size == table.propose_base + 2 * deals
    assert ActionTable.of(harbour) is table  # built once per scenario
    ids = [t.id for t in harbour.terms]
    for combo in itertools.combinations(ids, min(3, n)):
        a = table.action_of(Move("propose", "port", terms=combo))
        b = table.action_of(Move("propose", "port", terms=tuple(reversed(combo))))
        assert a == b  # a deal is its set of terms
        assert set(table.move_of(a, "port").terms) == set(combo)
    with pytest.raises(ValueError):
        table.action_of(Move("propose", "port", terms=("no_such_term",)))


@pytest.mark.parametrize("name", ["harbour", "roadmap-2021"])
def test_the_mask_enables_exactly_the_legal_moves_and_each_action_plays_its_move(name, harbour):
    sc = harbour if name == "harbour" else load_scenario(ROOT / "scenarios" / f"{name}.toml")
    table = ActionTable.of(sc)
    rng = random.Random(1)
    state = new_game(sc, 1)
    while not state.is_over:
        legal = legal_moves(state)
        mask, by_action = table.mask(legal)
        keys = {(m.kind, m.ref, frozenset(m.terms)) for m in legal}
        assert int(mask.sum()) == len(keys) == len(by_action)
        a = rng.choice(sorted(by_action))
        move = table.move_of(a, state.actor_id)
        assert (move.kind, move.ref, frozenset(move.terms)) == (by_action[a].kind, by_action[a].ref,
                                                                 frozenset(by_action[a].terms))
        mine, theirs = apply(state, move).state, apply(state, by_action[a]).state
        assert (mine.values, mine.phase, sorted(mine.deal)) == (theirs.values, theirs.phase, sorted(theirs.deal))
        state = apply(state, by_action[a]).state


def test_an_observation_shows_hidden_meters_only_as_the_sides_estimates():
    sc = load_scenario(ROOT / "scenarios" / "roadmap-2021.toml")
    obs = Observer.of(sc)
    n = len(sc.names)
    rng = random.Random(4)
    state = new_game(sc, 4)
    differs = 0
    while not state.is_over:
        for side in sc.players:
            v = view(state, side)
            vec = obs.vector(v)
            assert vec.dtype == np.float32 and ((0 <= vec) & (vec <= 1)).all()
            for name, (lo, hi) in v.estimates.items():
                slot = sc.slots[name]
                span = sc.hi[slot] - sc.lo[slot]
                assert vec[slot] == pytest.approx(((lo + hi) / 2 - sc.lo[slot]) / span, abs=1e-6)
                assert vec[n + slot] == pytest.approx((lo - sc.lo[slot]) / span, abs=1e-6)
                assert vec[2 * n + slot] == pytest.approx((hi - sc.lo[slot]) / span, abs=1e-6)
                true = (state.values[slot] - sc.lo[slot]) / span
                differs += abs(vec[slot] - true) > 1e-3
        state = apply(state, rng.choice(legal_moves(state))).state
    assert differs > 0  # the true values were there to leak, and did not


def test_per_step_rewards_add_up_to_the_final_score_minus_the_starting_one(harbour):
    e = env(harbour, seed=5)
    e.reset(seed=5)
    start = scores(e.unwrapped.state)
    total = {a: 0.0 for a in e.possible_agents}
    for agent in e.agent_iter():
        obs, reward, terminated, truncated, info = e.last()
        total[agent] += reward
        e.step(None if terminated or truncated else e.action_space(agent).sample(obs["action_mask"]))
    final = info["scores"]
    for a in e.possible_agents:
        assert total[a] == pytest.approx(final[a] - start[a], abs=1e-6)


def test_final_rewards_are_the_final_scores(harbour):
    e = env(harbour, seed=6, reward="final")
    e.reset(seed=6)
    got = {}
    for agent in e.agent_iter():
        obs, reward, terminated, truncated, info = e.last()
        if terminated:
            got[agent] = reward
            assert reward == info["scores"][agent]
        else:
            assert reward == 0
        e.step(None if terminated or truncated else e.action_space(agent).sample(obs["action_mask"]))
    assert set(got) == set(e.possible_agents)


def test_an_illegal_action_is_refused_with_a_readable_reason(harbour):
    e = env(harbour, seed=1)
    e.reset(seed=1)
    agent = e.agent_selection
    mask = e.observe(agent)["action_mask"]
    bad = int(np.flatnonzero(mask == 0)[0])
    with pytest.raises(IllegalMove, match="not legal for .* use the action mask"):
        e.step(bad)


# --- OpenSpiel ---------------------------------------------------------------------------------

def _spiel():
    pyspiel = pytest.importorskip("pyspiel", reason="the OpenSpiel tests need the 'rl' extra (open-spiel)")
    import game.env.spiel  # noqa: F401 - registers the game

    return pyspiel


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_openspiel_random_simulation_checks_pass(path):
    pyspiel = _spiel()
    g = pyspiel.load_game("python_union_state", {"scenario": str(path), "seed": 2})
    pyspiel.random_sim_test(g, num_sims=2, serialize=False, verbose=False)


def test_openspiels_mcts_bot_plays_a_full_game_of_the_test_scenario():
    pyspiel = _spiel()
    from open_spiel.python.algorithms import mcts

    g = pyspiel.load_game("python_union_state", {"scenario": str(TEST_SCENARIO), "seed": 3})
    bot = mcts.MCTSBot(g, uct_c=2, max_simulations=8,
                       evaluator=mcts.RandomRolloutEvaluator(1, np.random.RandomState(0)),
                       random_state=np.random.RandomState(0))
    state = g.new_initial_state()
    moves = 0
    while not state.is_terminal():
        action = bot.step(state)
        assert action in state.legal_actions()
        state.apply_action(action)
        moves += 1
    assert moves > 10
    final = scores(state.engine_state)
    assert state.returns() == pytest.approx([final[p] / 100 for p in ("port", "capital")])


def test_openspiel_observations_are_the_environments(harbour):
    pyspiel = _spiel()
    g = pyspiel.load_game("python_union_state", {"scenario": str(TEST_SCENARIO), "seed": 3})
    state = g.new_initial_state()
    for p, side in enumerate(harbour.players):
        expect = Observer.of(harbour).vector(view(state.engine_state, side))
        assert np.array_equal(np.array(state.observation_tensor(p), dtype=np.float32), expect)
