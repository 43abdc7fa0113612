import os
from pathlib import Path

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

HERE = Path(__file__).parent
ROOT = HERE.parent
TEST_SCENARIO = HERE / "scenarios" / "harbour.toml"


@pytest.fixture(scope="session")
def harbour():
    from game.scenario import load_scenario

    return load_scenario(TEST_SCENARIO)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """Saves, settings and user scenarios go to a temporary folder in every test."""
    monkeypatch.setenv("UNION_STATE_HOME", str(tmp_path / "home"))
