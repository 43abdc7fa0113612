"""Where scenarios are found: the project's `scenarios/` folder and the user's scenario folder."""

from __future__ import annotations

import os
from pathlib import Path

from game.data import data_dir
from game.scenario.errors import Problem, ScenarioError
from game.scenario.loader import load_cached, load_scenario
from game.scenario.model import Scenario

DEFAULT_SCENARIO = "roadmap-2021"


def shipped_scenario_dir() -> Path:
    if "UNION_STATE_SCENARIOS" in os.environ:
        return Path(os.environ["UNION_STATE_SCENARIOS"])
    return data_dir("scenarios")


def user_scenario_dir() -> Path:
    """The user's own scenario folder (platformdirs), e.g. ~/.local/share/union-state/scenarios."""
    if "UNION_STATE_HOME" in os.environ:
        return Path(os.environ["UNION_STATE_HOME"]) / "scenarios"
    from platformdirs import user_data_dir

    return Path(user_data_dir("union-state", appauthor=False)) / "scenarios"


def scenario_files() -> list[Path]:
    """Every .toml file in the shipped folder, then the user's folder."""
    out: list[Path] = []
    for folder in (shipped_scenario_dir(), user_scenario_dir()):
        if folder.is_dir():
            out += sorted(folder.glob("*.toml"))
    return out


def find_scenario(ref: str | Path) -> Scenario:
    """Load a scenario by path, or by id from the scenario folders."""
    p = Path(ref)
    try:
        is_path = p.suffix == ".toml" or os.sep in str(ref) or p.exists()
    except (OSError, ValueError):  # a name too long for the system, or with a NUL: not a file
        is_path = False
    if is_path:
        return load_scenario(p)
    for f in scenario_files():
        if f.stem == str(ref):
            return load_scenario(f)
    broken = []
    for f in scenario_files():
        try:
            s = load_cached(f)
        except ScenarioError:
            broken.append(f.name)  # a broken file is skipped; the note below names it
            continue
        if s.id == str(ref):
            return s
    known = [f.stem for f in scenario_files()]
    from game.scenario.expr import suggest

    hint = suggest(str(ref), known) or ("known: " + ", ".join(known) if known
                                        else "put .toml files in " + str(user_scenario_dir()))
    if broken:
        hint += f"; skipped {len(broken)} file(s) with problems ({', '.join(broken[:5])}): run validate on them"
    raise ScenarioError([Problem(str(ref), "", None, f"no scenario called '{ref}'", hint)])
