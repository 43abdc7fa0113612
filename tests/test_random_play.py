import random

from game.engine import apply, legal_moves, new_game, outcome


def play_random(scenario, seed):
    rng = random.Random(seed)
    state = new_game(scenario, seed)
    moves = 0
    while not state.is_over:
        state = apply(state, rng.choice(legal_moves(state))).state
        moves += 1
        assert moves < 10_000
    return state


def test_random_play_of_the_test_scenario_always_reaches_an_ending(harbour):
    endings = set()
    for seed in range(200):
        state = play_random(harbour, seed)
        out = outcome(state)
        assert out is not None
        assert state.turn <= harbour.turns
        endings.add(out.ending)
    assert len(endings) >= 2
