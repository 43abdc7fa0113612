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


def open_app(*scenario_files: Path):
    """The interface at 1280x720 with instant animation, the given scenario files copied into the
    user's scenario folder so the picker lists them. Call ``shutdown()`` when done."""
    import shutil

    from game.ui.app import App
    from game.ui.settings import Settings

    folder = Path(os.environ["UNION_STATE_HOME"]) / "scenarios"
    folder.mkdir(parents=True, exist_ok=True)
    for f in scenario_files:
        shutil.copy(f, folder / f.name)
    s = Settings()
    s.animation = "instant"
    return App(size=(1280, 720), fullscreen=False, settings=s, wait_when_idle=False)


def title_driver(app):
    """A driver for ``app``, started on the title screen."""
    from game.ui.driver import Driver
    from game.ui.screens.title import TitleScreen

    app.push(TitleScreen(app))
    d = Driver(app)
    d.frames(3)
    return d
