import os
from pathlib import Path

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

HERE = Path(__file__).parent
ROOT = HERE.parent
TEST_SCENARIO = HERE / "scenarios" / "harbour.toml"


# The fast path's kernels for tests/test_fast.py: compiling a scenario takes 5-35 s, so as soon as
# the tests are collected, another process compiles every scenario test_fast uses, in its order,
# into a folder of the session's own, while the tests before it run (the suite runs in one
# process, so on two cores one is free). test_fast's fixture then loads each scenario's kernels
# from there (about a second), waiting for any that are not ready yet; if that process is gone it
# compiles in-process, as before. (Two compiling processes were tried: each pays numba's own
# start-up, and on our busy two-core machine they gained nothing over one.)
_PRECOMPILE = """import os, sys
os.nice(5)
from game.ai.evaluate import Model
from game.fast import games
from game.scenario import load_scenario
cut = sys.argv.index("--")
for path in sys.argv[1:cut]:
    Model.of(load_scenario(path)).use_fast(True)
for path in sys.argv[cut + 1:]:
    games.prepare(load_scenario(path))
"""
FAST_SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml")) + sorted((HERE / "scenarios").glob("*.toml"))


class FastKernels:
    """The session's folder of compiled kernels and the processes filling it (none when the
    tests compile in-process). Two processes: the first compiles every scenario's AI kernels and
    then half the scenarios' whole games, the second the other half's whole games (each takes
    30–60 s), so that on two cores the whole-game compiles do not hold the last tests up."""

    def __init__(self):
        self.home: Path | None = None
        self.procs: list = []

    def start(self, compile: bool = True) -> None:
        import subprocess
        import sys
        import tempfile

        self.home = Path(tempfile.mkdtemp(prefix="union-state-fast-tests-"))
        if not compile:
            return
        env = {**os.environ, "UNION_STATE_HOME": str(self.home)}
        paths = [str(p) for p in FAST_SCENARIOS]
        for args in ([*paths, "--", *paths[0::2]], ["--", *paths[1::2]]):
            self.procs.append(subprocess.Popen([sys.executable, "-c", _PRECOMPILE, *args], cwd=ROOT, env=env,
                                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                               stderr=subprocess.DEVNULL))

    def compiling(self) -> bool:
        """Whether a compiling process is still at work."""
        return any(p.poll() is None for p in self.procs)

    def wait(self, sc, model, timeout: float = 900.0) -> None:
        """Wait until ``sc``'s kernels are compiled in ``home`` (or the compiling process ended)."""
        import time

        from game import fast

        t0 = time.monotonic()
        while self.compiling() and not fast.is_cached(sc, model) and time.monotonic() - t0 < timeout:
            time.sleep(0.2)

    def wait_games(self, sc, timeout: float = 900.0) -> None:
        """Wait until ``sc``'s whole-game kernels are compiled in ``home`` (or the process ended)."""
        import time

        from game.fast import games

        t0 = time.monotonic()
        while (self.compiling() and not games._ready_on_disk(games._slot(sc))
               and time.monotonic() - t0 < timeout):
            time.sleep(0.2)

    def stop(self) -> None:
        import shutil

        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        if self.home is not None:
            shutil.rmtree(self.home, ignore_errors=True)


KERNELS = FastKernels()


def pytest_collection_modifyitems(session, config, items):
    """Tests that need compiled kernels run last, so the process compiling them has the rest of
    the suite's time (in their own order, and the others in theirs)."""
    later = [it for it in items if "fast_kernels" in getattr(it, "fixturenames", ())]
    if later:
        items[:] = [it for it in items if "fast_kernels" not in getattr(it, "fixturenames", ())] + later


def pytest_collection_finish(session):
    if not any("fast_kernels" in getattr(item, "fixturenames", ()) for item in session.items):
        return
    from game import fast

    if fast.enabled():
        KERNELS.start()


def pytest_sessionfinish(session, exitstatus):
    KERNELS.stop()


@pytest.fixture(scope="session")
def fast_kernels():
    """Where test_fast compiles and loads its kernels (see ``FastKernels``)."""
    if KERNELS.home is None:  # not started at collection (fast path off): compile in-process
        KERNELS.start(compile=False)
    return KERNELS


@pytest.fixture(scope="session")
def harbour():
    from game.scenario import load_scenario

    return load_scenario(TEST_SCENARIO)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """Saves, settings and user scenarios go to a temporary folder in every test; and no batch
    of random games starts compiling their kernels in the background (a test that wants it
    lowers ``games.WARM`` itself)."""
    monkeypatch.setenv("UNION_STATE_HOME", str(tmp_path / "home"))
    from game.fast import games

    monkeypatch.setattr(games, "WARM", 10**9)


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


@pytest.fixture(scope="module", params=FAST_SCENARIOS, ids=lambda p: p.stem)
def compiled(request, fast_kernels):
    """(scenario, its compiled whole games) for each of FAST_SCENARIOS, from the session's kernels."""
    from game.fast import games
    from game.scenario import load_scenario

    sc = load_scenario(request.param)
    with pytest.MonkeyPatch.context() as mp:  # the session's kernels, not the user's cache
        mp.setenv("UNION_STATE_HOME", str(fast_kernels.home))
        fast_kernels.wait_games(sc)
        fg = games.prepare(sc)
    assert fg is not None, games.declined(sc)
    return sc, fg
