"""Learning agents' interface to the game (the ``rl`` extra: pettingzoo, gymnasium, numpy,
open-spiel): a PettingZoo AEC environment, an OpenSpiel game, and what both share, the fixed
action table and the observation vector.

    from game.env import env                  # PettingZoo
    import game.env.spiel                     # registers "python_union_state" with OpenSpiel

Nothing under ``game.env`` is imported by the game itself.
"""

from game.env.actions import ActionTable
from game.env.observe import Observer

__all__ = ["ActionTable", "Observer", "env", "raw_env", "UnionStateEnv"]


def __getattr__(name):  # PettingZoo is imported only when the environment is asked for
    if name in ("env", "raw_env", "UnionStateEnv"):
        from game.env import aec

        return getattr(aec, name)
    raise AttributeError(f"module 'game.env' has no attribute '{name}'")
