"""One headless game between two policies, reduced to a flat record.

A game is a pure function of (scenario, policies, seed): the engine's dice come from the seed, and
each side's policy gets its own ``random.Random`` derived from it. The record is plain data that
loads straight into a data frame (see docs/simulation.md for its fields).
"""

from __future__ import annotations

import random

from game.ai import make_policy
from game.ai.policy import learners
from game.engine import OVER, legal_moves, outcome, start, view
from game.engine.outcome import outcome_of
from game.engine.rules import Headless
from game.scenario import Scenario

_MASK = (1 << 64) - 1


def game_seed(base: int, index: int) -> int:
    """The seed of game ``index`` in a batch with seed ``base`` (splitmix64; 62 bits)."""
    z = (int(base) * 0x9E3779B97F4A7C15 + (int(index) + 1) * 0xD1B54A32D192ED03) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return (z ^ (z >> 31)) >> 2


def _rng_seeds(seed: int) -> tuple[int, int]:
    """The seeds of each side's ``random.Random`` in game ``seed`` (its policy's own draws)."""
    return game_seed(seed, 1_000_003), game_seed(seed, 1_000_004)


def _record_keys(sc: Scenario) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The record keys of the meters ("meter.NAME") and of the issues ("level.NAME"), in slot
    order (meters come first); kept in the scenario's memo (they depend only on its names)."""
    keys = sc.cache.get("runner.keys")
    if keys is None or keys[0] is not sc.names:
        n = sc.n_meters
        keys = sc.cache["runner.keys"] = (sc.names, (tuple("meter." + x for x in sc.names[:n]),
                                                     tuple("level." + x for x in sc.names[n:])))
    return keys[1]


def play_game(sc: Scenario, specs: tuple[str, str], seed: int, *, index: int = 0,
              params: dict | None = None, trajectory: bool = False, max_moves: int = 100_000) -> dict:
    """Play one game; ``specs`` are the policies of ``sc.players`` in order. Returns its record."""
    players = sc.players
    first = start(sc, seed, record=False)
    fired = [f.id for f in first.fired if f.kind == "event"]
    if specs[0] == specs[1] == "random":
        rec = _play_compiled(sc, specs, seed, index, params, trajectory, max_moves, first.state, fired)
        if rec is not None:
            return rec
    policies = [make_policy(specs[i], sc, players[i], seed=seed) for i in (0, 1)]
    for spec, pol in zip(specs, policies):
        if "time=" not in spec and getattr(pol, "time", None) is not None:
            pol.time = None  # a difficulty's time cap would make results depend on the machine
    if not trajectory:
        rec = _play_compiled_greedy(sc, specs, seed, index, params, max_moves, first.state, fired, policies)
        if rec is not None:
            return rec
    rngs = [random.Random(x) for x in _rng_seeds(seed)]
    needs_view = [getattr(p, "needs_view", True) for p in policies]
    points: dict[int, tuple] = {}
    moves = 0
    # The game is played in place: the engine's own rules (and legality checks) without a State
    # and Step per move; a State is made only for a policy that looks at the view.
    game = Headless(first.state)
    if trajectory:
        points[game.turn] = first.state.values
    choose = [p.choose for p in policies]
    # Policies that learn see every move with the position it was made in.
    observers = [p.observe for p in policies if getattr(p, "observe", None) is not None]
    learn = learners(policies)
    legal, play = game.legal, game.play
    while game.phase != OVER:
        a = game.actor
        if needs_view[a] or learn:
            state = game.state()
            if needs_view[a]:
                move = choose[a](view(state, players[a]), legal_moves(state), rngs[a])
            else:
                move = choose[a](None, legal(), rngs[a])
            for observe in observers:
                observe(state, move)
        else:
            move = choose[a](None, legal(), rngs[a])
        play(move)
        moves += 1
        if trajectory:
            points[game.turn] = tuple(game.values)
        if moves > max_moves:  # pragma: no cover - a scenario bug, not a policy one
            raise RuntimeError(f"game {index} (seed {seed}) did not end after {max_moves} moves")
    deals = 0
    for f in game.fired:
        if f.kind == "event":
            fired.append(f.id)
        elif f.kind == "deal" and f.id == "accepted":
            deals += 1
    state = game.state()
    return _record(sc, specs, seed, index, params, state.values, outcome(state), fired, deals, moves,
                   points if trajectory else None)


def _play_compiled(sc: Scenario, specs: tuple[str, str], seed: int, index: int, params: dict | None,
                   trajectory: bool, max_moves: int, first, fired: list[str]) -> dict | None:
    """A random-vs-random game in compiled code (``game.fast.games``), once the scenario's
    kernels are ready; None to play it here (the record is the same either way)."""
    from game.fast import games

    fg = games.for_scenario(sc)
    if fg is None:
        return None
    try:
        done = fg.play_summary(first, seed, _rng_seeds(seed), trajectory=trajectory, max_moves=max_moves)
    except RuntimeError:  # pragma: no cover - a scenario bug, not a policy one
        raise RuntimeError(f"game {index} (seed {seed}) did not end after {max_moves} moves") from None
    if done is None:
        return None
    state, events, deals, moves, points, utilities = done
    if trajectory:
        points.setdefault(first.turn, first.values)
    return _record(sc, specs, seed, index, params, state.values, outcome(state, utilities), fired + events, deals,
                   moves, points)


def _play_compiled_greedy(sc: Scenario, specs: tuple[str, str], seed: int, index: int, params: dict | None,
                          max_moves: int, first, fired: list[str], policies) -> dict | None:
    """A game of two greedy players (fresh, learning, no blunders) in compiled code
    (``game.fast.games``), once the scenario's kernels are ready; None to play it here (the
    record is the same either way)."""
    from game.ai.greedy import GreedyPolicy
    from game.fast import games

    if not all(type(p) is GreedyPolicy for p in policies):
        return None
    fg = games.for_scenario(sc)
    if fg is None:
        return None
    try:
        done = fg.play_greedy_summary(first, seed, _rng_seeds(seed), policies, max_moves=max_moves)
    except RuntimeError:  # pragma: no cover - a scenario bug, not a policy one
        raise RuntimeError(f"game {index} (seed {seed}) did not end after {max_moves} moves") from None
    if done is None:
        return None
    state, events, deals, moves, _, utilities = done
    return _record(sc, specs, seed, index, params, state.values, outcome(state, utilities), fired + events, deals,
                   moves, None)


def play_random_games(sc: Scenario, games: list[tuple[int, int]], *, params: dict | None = None,
                      max_moves: int = 100_000) -> list[dict | None] | None:
    """Random-vs-random games ``(index, seed)`` played together in compiled code, once the
    scenario's kernels are ready (None before: play them one by one). Each record is the one
    ``play_game(sc, ("random", "random"), seed, index=index, params=params)`` returns; a game
    the kernels gave back (too many moves, arrays full) is None, for the caller to play alone."""
    from game.fast import games as compiled

    fg = compiled.for_scenario(sc, len(games))
    if fg is None:
        return None
    specs = ("random", "random")
    firsts = [start(sc, seed, record=False) for _, seed in games]
    done = fg.play_many([f.state for f in firsts], [seed for _, seed in games],
                        [_rng_seeds(seed) for _, seed in games], max_moves=max_moves)
    out: list[dict | None] = []
    for (index, seed), first, d in zip(games, firsts, done):
        if d is None:
            out.append(None)
            continue
        values, turn, ending, winner, events, deals, moves, util = d
        fired = [f.id for f in first.fired if f.kind == "event"] + events
        out.append(_record(sc, specs, seed, index, params, values, outcome_of(sc, ending, winner, turn, values, util),
                           fired, deals, moves, None))
    return out


def _record(sc: Scenario, specs: tuple[str, str], seed: int, index: int, params: dict | None, vals: tuple,
            out, fired: list[str], deals: int, moves: int, points: dict | None) -> dict:
    """A finished game's record (see docs/simulation.md) from its final values and outcome."""
    players = sc.players
    rec: dict = {"game": index, "seed": seed, "scenario": sc.id}
    for i, p in enumerate(players):
        rec[f"policy.{p}"] = specs[i]
    rec.update({"outcome": out.ending, "grade": out.grade, "winner": out.winner, "turns": out.turn,
                "moves": moves, "deals": deals})
    for p in players:
        rec[f"score.{p}"] = out.scores[p]
    meters, levels = _record_keys(sc)
    n = len(meters)
    rec.update(zip(meters, [round(x, 4) for x in vals[:n]]))
    rec.update(zip(levels, [int(x) for x in vals[n:]]))
    for k, v in (params or {}).items():
        rec[f"param.{k}"] = v
    rec["events"] = fired
    if points is not None:
        turns = sorted(points)
        rec["trajectory"] = {name: [round(points[t][slot], 3) for t in turns]
                             for slot, name in enumerate(sc.names)}
    return rec

