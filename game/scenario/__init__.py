"""The scenario file format: schema, loader, expression language and where scenarios live."""

from game.scenario.errors import Problem, ScenarioError
from game.scenario.loader import load_bytes, load_scenario, load_text
from game.scenario.model import Scenario
from game.scenario.paths import find_scenario, scenario_files, user_scenario_dir, DEFAULT_SCENARIO

__all__ = ["DEFAULT_SCENARIO", "Problem", "Scenario", "ScenarioError", "find_scenario", "load_bytes",
           "load_scenario", "load_text", "scenario_files", "user_scenario_dir"]
