"""Headless batch runs of AI-vs-AI games: records, summaries, sweeps, A/B tests, plots.

    from game.sim import run_batch
    records = run_batch("roadmap-2021", games=1000, seed=1, policies={"minsk": "greedy", "moscow": "search:iterations=8"})
    import pandas as pd; df = pd.DataFrame(records)

Imports no rich, matplotlib or dask until a report, a plot or a Dask run asks for them.
"""

from game.sim.batch import SimError, grid, run_batch, run_compare, run_sweep
from game.sim.output import read_records, write_records
from game.sim.overrides import OverrideError, apply_overrides
from game.sim.runner import game_seed, play_game
from game.sim.stats import ab_test, summarize, sweep_table, wilson

__all__ = ["OverrideError", "SimError", "ab_test", "apply_overrides", "game_seed", "grid", "play_game",
           "read_records", "run_batch", "run_compare", "run_sweep", "summarize", "sweep_table",
           "wilson", "write_records"]
