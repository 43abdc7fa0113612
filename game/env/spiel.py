"""The game as an OpenSpiel Python game, so that OpenSpiel's algorithms can play it.

    import pyspiel
    import game.env.spiel                      # registers the game
    g = pyspiel.load_game("python_union_state", {"scenario": "roadmap-2021", "seed": 7})

Parameters: ``scenario`` (an id or a path; default roadmap-2021) and ``seed`` (the engine's dice;
default 0). The dice come from the seed, so for a given seed the game is deterministic
(``ChanceMode.DETERMINISTIC``); it is of imperfect information, as each side sees hidden meters
only as estimates. Actions are ``game.env.actions`` numbers, the same for both players;
observations are ``game.env.observe`` vectors (a player's view only). Returns, at the end, are the
final scores divided by 100 (general sum); nothing is paid before the end.
"""

from __future__ import annotations

import numpy as np
import pyspiel

from game.engine import apply, legal_moves, new_game, scores, view
from game.env.actions import ActionTable
from game.env.observe import Observer
from game.scenario import find_scenario

SHORT_NAME = "python_union_state"
DEFAULTS = {"scenario": "roadmap-2021", "seed": 0}

_GAME_TYPE = pyspiel.GameType(
    short_name=SHORT_NAME,
    long_name="Union State (Python)",
    dynamics=pyspiel.GameType.Dynamics.SEQUENTIAL,
    chance_mode=pyspiel.GameType.ChanceMode.DETERMINISTIC,
    information=pyspiel.GameType.Information.IMPERFECT_INFORMATION,
    utility=pyspiel.GameType.Utility.GENERAL_SUM,
    reward_model=pyspiel.GameType.RewardModel.TERMINAL,
    max_num_players=2,
    min_num_players=2,
    provides_information_state_string=False,
    provides_information_state_tensor=False,
    provides_observation_string=True,
    provides_observation_tensor=True,
    parameter_specification=DEFAULTS)


class _Shared:
    """Holds an immutable value. OpenSpiel clones a Python state by deep-copying its attributes;
    the engine's states (and the scenario they point to) never change, so a clone shares them."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __deepcopy__(self, memo):
        return self


def _game_info(sc, table: ActionTable) -> pyspiel.GameInfo:
    bonus = [b for en in sc.endings for b in en.bonus] or [0.0]
    rounds = max((so.rounds for so in sc.standoffs), default=0)
    per_turn = len(sc.events) + 3 + 2 + 2 * (rounds + 1)  # choices, deal, moves, standoff
    return pyspiel.GameInfo(
        num_distinct_actions=table.size, max_chance_outcomes=0, num_players=2,
        min_utility=min(0.0, min(bonus)) / 100, max_utility=(100.0 + max(0.0, max(bonus))) / 100,
        utility_sum=None, max_game_length=sc.turns * per_turn + len(sc.events))


class UnionStateGame(pyspiel.Game):
    def __init__(self, params=None):
        params = {**DEFAULTS, **(params or {})}
        sc = find_scenario(str(params["scenario"]))
        table = ActionTable.of(sc)
        super().__init__(_GAME_TYPE, _game_info(sc, table), params)
        self._shared = _Shared((sc, table, Observer.of(sc), int(params["seed"])))

    def new_initial_state(self):
        return UnionStateState(self)

    def make_py_observer(self, iig_obs_type=None, params=None):
        if iig_obs_type is not None and iig_obs_type.perfect_recall:
            raise ValueError("this game provides observations, not perfect-recall information states")
        return _Observer(self._shared.value, params)


class UnionStateState(pyspiel.State):
    def __init__(self, game: UnionStateGame):
        super().__init__(game)
        shared = game._shared
        sc, _, _, seed = shared.value
        self._shared = shared
        self._state = _Shared(new_game(sc, seed))
        self._legal = _Shared(None)

    @property
    def engine_state(self):
        """The engine's State (read it, never change it)."""
        return self._state.value

    def _moves(self) -> dict:
        if self._legal.value is None:
            self._legal = _Shared(self._shared.value[1].legal(legal_moves(self._state.value)))
        return self._legal.value

    def current_player(self):
        s = self._state.value
        return pyspiel.PlayerId.TERMINAL if s.is_over else s.actor

    def _legal_actions(self, player):
        s = self._state.value
        if s.is_over or player != s.actor:
            return []
        return sorted(self._moves())

    def _apply_action(self, action):
        move = self._moves()[action]
        self._state = _Shared(apply(self._state.value, move, record=False).state)
        self._legal = _Shared(None)

    def _action_to_string(self, player, action):
        sc, table = self._shared.value[:2]
        return table.describe(action, sc.players[player])

    def is_terminal(self):
        return self._state.value.is_over

    def returns(self):
        s = self._state.value
        if not s.is_over:
            return [0.0, 0.0]
        sc = self._shared.value[0]
        final = scores(s)
        return [final[p] / 100 for p in sc.players]

    def __str__(self):
        s = self._state.value
        sc = self._shared.value[0]
        return f"turn {s.turn}/{sc.turns}, {s.phase}, deciding: {s.actor_id or 'nobody'}"


class _Observer:
    """OpenSpiel's PyObserver over ``game.env.observe``: one player's view, flat."""

    def __init__(self, shared, params):
        if params:
            raise ValueError(f"observation parameters are not supported; got {params}")
        self._sc, _, self._observer, _ = shared
        self.tensor = np.zeros(self._observer.size, np.float32)
        self.dict = {"observation": self.tensor}

    def set_from(self, state, player):
        self.tensor[:] = self._observer.vector(view(state.engine_state, self._sc.players[player]))

    def string_from(self, state, player):
        v = view(state.engine_state, self._sc.players[player])
        s = v.state
        shown = []
        for i, name in enumerate(self._sc.names):
            est = v.estimates.get(name)
            shown.append(f"{name}={est[0]:g}..{est[1]:g}" if est else f"{name}={s.values[i]:g}")
        return f"turn {s.turn}, {s.phase}, deciding: {s.actor_id or 'nobody'}; " + ", ".join(shown)


if SHORT_NAME not in pyspiel.registered_names():
    pyspiel.register_game(_GAME_TYPE, UnionStateGame)
