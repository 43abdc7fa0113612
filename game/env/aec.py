"""A PettingZoo AEC environment: two sides take turns as the engine asks them to decide.

    from game.env import env
    e = env("roadmap-2021")
    e.reset(seed=1)
    for agent in e.agent_iter():
        obs, reward, terminated, truncated, info = e.last()
        action = None if terminated or truncated else e.action_space(agent).sample(obs["action_mask"])
        e.step(action)

Agents are the scenario's sides (``minsk``, ``moscow``). An observation is a dict: ``observation``
(``game.env.observe``: the side's view only) and ``action_mask`` (int8 over the fixed action
table of ``game.env.actions``; all zeros for the side not deciding). Rewards: with
``reward="delta"`` (the default) both sides get, after every move, the change in their score
(``game.engine.scores``), so a game's rewards add up to the final score (the ending's bonus
included) minus the starting one; with ``reward="final"`` they get nothing until the end and then
the final scores. The game always ends, so there is no truncation.
"""

from __future__ import annotations

import random

import numpy as np
from gymnasium import spaces
from pettingzoo import AECEnv

from game.engine import IllegalMove, apply, legal_moves, new_game, scores, view
from game.env.actions import ActionTable
from game.env.observe import Observer
from game.scenario import Scenario, find_scenario

REWARDS = ("delta", "final")


class UnionStateEnv(AECEnv):
    metadata = {"name": "union_state_v0", "render_modes": ["ansi"], "is_parallelizable": False}

    def __init__(self, scenario: Scenario | str = "roadmap-2021", reward: str = "delta",
                 render_mode: str | None = None, seed: int | None = None):
        super().__init__()
        if reward not in REWARDS:
            raise ValueError(f"reward must be one of {', '.join(REWARDS)}, not '{reward}'")
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(f"render_mode must be 'ansi' or None, not '{render_mode}'")
        self.scenario = scenario if isinstance(scenario, Scenario) else find_scenario(scenario)
        self.reward_mode = reward
        self.render_mode = render_mode
        self.table = ActionTable.of(self.scenario)
        self.observer = Observer.of(self.scenario)
        self.possible_agents = list(self.scenario.players)
        obs_space = spaces.Dict({
            "observation": spaces.Box(0.0, 1.0, (self.observer.size,), dtype=np.float32),
            "action_mask": spaces.Box(0, 1, (self.table.size,), dtype=np.int8)})
        self.observation_spaces = {a: obs_space for a in self.possible_agents}
        self.action_spaces = {a: spaces.Discrete(self.table.size) for a in self.possible_agents}
        self._seeds = random.Random(seed)
        self.state = None

    def observation_space(self, agent):
        return self.observation_spaces[agent]

    def action_space(self, agent):
        return self.action_spaces[agent]

    # --- the game ---------------------------------------------------------------------------------

    def reset(self, seed: int | None = None, options: dict | None = None) -> None:
        if seed is not None:
            self._seeds = random.Random(seed)
        self.game_seed = self._seeds.getrandbits(62)
        self.state = new_game(self.scenario, self.game_seed)
        self.agents = list(self.possible_agents)
        self.rewards = {a: 0.0 for a in self.agents}
        self._cumulative_rewards = {a: 0.0 for a in self.agents}
        self.terminations = {a: False for a in self.agents}
        self.truncations = {a: False for a in self.agents}
        self.infos = {a: {} for a in self.agents}
        self._scores = scores(self.state)
        self._legal = None
        self.agent_selection = self.state.actor_id

    def _mask(self):
        if self._legal is None:
            self._legal = self.table.mask(legal_moves(self.state))
        return self._legal

    def observe(self, agent: str) -> dict:
        obs = self.observer.vector(view(self.state, agent))
        if agent == self.state.actor_id:
            mask = self._mask()[0].copy()
        else:
            mask = np.zeros(self.table.size, dtype=np.int8)
        return {"observation": obs, "action_mask": mask}

    def step(self, action) -> None:
        agent = self.agent_selection
        if self.terminations[agent] or self.truncations[agent]:
            self._was_dead_step(action)
            return
        mask, legal = self._mask()
        move = legal.get(int(action)) if action is not None else None
        if move is None:
            what = "no action" if action is None else f"action {action}"
            if action is not None and 0 <= int(action) < self.table.size:
                what += f" ({self.table.describe(int(action), agent)})"
            raise IllegalMove(f"{what} is not legal for {agent} now; use the action mask")
        self._cumulative_rewards[agent] = 0.0
        self.state = apply(self.state, move, record=False).state
        self._legal = None
        new = scores(self.state)
        if self.reward_mode == "delta":
            self.rewards = {a: new[a] - self._scores[a] for a in self.agents}
        else:
            self.rewards = {a: (new[a] if self.state.is_over else 0.0) for a in self.agents}
        self._scores = new
        if self.state.is_over:
            self.terminations = {a: True for a in self.agents}
            self.infos = {a: {"ending": self._ending(), "scores": dict(new)} for a in self.agents}
            self.agent_selection = self.agents[(self.agents.index(agent) + 1) % len(self.agents)]
        else:
            self.agent_selection = self.state.actor_id
        self._accumulate_rewards()
        if self.render_mode == "ansi":
            print(self.render())

    def _ending(self) -> str:
        from game.engine import outcome

        o = outcome(self.state)
        return o.ending if o else ""

    def render(self) -> str | None:
        if self.render_mode is None or self.state is None:
            return None
        s = self.state
        sc = self.scenario
        head = f"turn {s.turn}/{sc.turns}, {s.phase}, deciding: {s.actor_id or 'nobody'}"
        vals = ", ".join(f"{n}={s.values[i]:g}" for i, n in enumerate(sc.names))
        return f"{head}\n{vals}"

    def close(self) -> None:
        pass


def raw_env(scenario: Scenario | str = "roadmap-2021", **kwargs) -> UnionStateEnv:
    return UnionStateEnv(scenario, **kwargs)


def env(scenario: Scenario | str = "roadmap-2021", **kwargs):
    """The environment with PettingZoo's order-enforcing wrapper (as PettingZoo's own games)."""
    from pettingzoo.utils import wrappers

    return wrappers.OrderEnforcingWrapper(raw_env(scenario, **kwargs))
