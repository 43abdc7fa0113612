"""The search's greedy playouts in compiled code (``FastGames.playout``) against the Python loop.

The contract is identity: from the same position, with the same players and the same
``random.Random`` seed, the compiled playout ends in the same place after the same number of moves
(values bit for bit, context, ending and winner), on every shipped and test scenario; and a search
player makes the same decisions, playout for playout, whichever path plays them.
"""

import random
import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("numba")

from game.ai import make_policy  # noqa: E402
from game.ai.greedy import GreedyPolicy  # noqa: E402
from game.ai.search import SearchPolicy  # noqa: E402
from game.engine import apply, legal_moves, new_game, view  # noqa: E402
from game.engine import rules  # noqa: E402
from game.fast import games  # noqa: E402
from game.sim.runner import game_seed  # noqa: E402


def _bits(values) -> list[bytes]:
    return [struct.pack("<d", x) for x in values]


def _positions(sc, games_: int = 2, every: int = 4) -> list:
    """Positions with a real choice from greedy games: every ``every``-th of them."""
    out = []
    for g in range(games_):
        seed = game_seed(11, g)
        pols = [make_policy("greedy", sc, sc.players[i], seed=seed) for i in (0, 1)]
        rngs = [random.Random(seed + i) for i in (0, 1)]
        s = new_game(sc, seed)
        k = 0
        while not s.is_over:
            legal = legal_moves(s)
            if len(legal) > 1:
                k += 1
                if k % every == 0:
                    out.append(s)
            move = pols[s.actor].choose(view(s, sc.players[s.actor]), legal, rngs[s.actor])
            for p in pols:
                p.observe(s, move)
            s = apply(s, move).state
    return out


def _players(sc, s, seed: int, model: int = 0):
    """The two playout players a search for the side to move at ``s`` would use."""
    me = s.actor
    search = SearchPolicy(sc, sc.players[me], seed=seed)
    other = search.models[model % len(search.models)]
    return (search.rollout, other) if me == 0 else (other, search.rollout)


def _same(fast_end, py_end) -> None:
    assert fast_end is not None
    v, ctx, over, ending, winner, moves = fast_end
    pv, pctx, pover, pending, pwinner, pmoves = py_end
    assert moves == pmoves
    assert _bits(v) == _bits(pv)
    assert (tuple(ctx), over, ending, winner) == (tuple(pctx), pover, pending, pwinner)


def test_greedy_playouts_end_the_same_on_both_paths(compiled):
    sc, fg = compiled
    for i, s in enumerate(_positions(sc)):
        players = _players(sc, s, i, i)
        seed = random.Random(i).getrandbits(62)
        _same(fg.playout(s, seed, players, 1 << 30),
              SearchPolicy._play_out(s, players, random.Random(seed), 1 << 30, None))


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_playouts_from_drawn_positions_and_horizons_end_the_same(compiled, data):
    """From wherever random play leads (a standoff open, a deal on the table, a choice pending),
    with any seed, any opponent model and a horizon or none."""
    sc, fg = compiled
    s = new_game(sc, data.draw(st.integers(0, 2**62), label="game"))
    rng = random.Random(data.draw(st.integers(0, 2**32), label="walk"))
    for _ in range(data.draw(st.integers(0, 150), label="moves")):
        if s.is_over:
            return
        s = rules.apply(s, rng.choice(legal_moves(s)), record=False).state
    if s.is_over:
        return
    players = _players(sc, s, data.draw(st.integers(0, 99), label="search seed"),
                       data.draw(st.integers(0, 7), label="model"))
    stop = s.turn + data.draw(st.sampled_from([1, 2, 5, 1 << 20]), label="horizon")
    seed = data.draw(st.integers(0, 2**62), label="playout seed")
    _same(fg.playout(s, seed, players, stop), SearchPolicy._play_out(s, players, random.Random(seed), stop, None))


def test_a_search_decides_the_same_with_compiled_playouts(compiled, monkeypatch):
    sc, fg = compiled
    positions = _positions(sc, games_=1, every=9)[:4]
    for fast_on in (False, True):
        monkeypatch.setattr(games, "for_scenario", (lambda s: fg) if fast_on else (lambda s: None))
        got = []
        for i, s in enumerate(positions):
            side = sc.players[s.actor]
            pol = SearchPolicy(sc, side, seed=i, iterations=16)
            move = pol.choose(view(s, side), legal_moves(s), random.Random(i))
            got.append((move, pol.last_iterations))
        if fast_on:
            assert got == slow
        slow = got


def test_players_the_kernel_does_not_play_are_left_to_python(compiled):
    sc, fg = compiled
    s = new_game(sc, 5)
    learning = tuple(GreedyPolicy(sc, p, 1) for p in sc.players)  # beliefs that learn
    assert games.greedy_params(sc, learning) is None
    assert fg.playout(s, 7, learning, 1 << 30) is None
    blundering = _players(sc, s, 1)
    blundering[0].blunder = 0.1
    assert fg.playout(s, 7, blundering, 1 << 30) is None


def test_simulate_compile_compiles_the_playouts_and_plays_the_same_games(fast_kernels, monkeypatch, capsys,
                                                                         tmp_path):
    """``union-state simulate --compile`` with a searching player compiles the AI's kernels and
    the whole games its playouts are played with; the records are the Python path's."""
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
    args = ["simulate", str(TEST_SCENARIO), "--games", "2", "--seed", "4", "--workers", "1",
            "--policy", "search:iterations=4"]
    calls = []
    real = games.FastGames.playout
    monkeypatch.setattr(games.FastGames, "playout", lambda self, *a, **k: calls.append(1) or real(self, *a, **k))
    assert main([*args, "--compile", "--out", str(quick)]) == 0
    err = capsys.readouterr().err
    assert "Compiled the AI's kernels for harbour-test" in err
    assert "Compiled the search's playouts for harbour-test" in err
    assert calls  # the playouts were compiled ones
    n = len(calls)
    monkeypatch.setattr(games, "for_scenario", lambda s: None)  # now every playout in Python
    assert main([*args, "--out", str(slow)]) == 0
    assert len(calls) == n
    assert [json.loads(x) for x in quick.read_text().splitlines()] == [
        json.loads(x) for x in slow.read_text().splitlines()]
