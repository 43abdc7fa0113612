"""The command line under hostile or unlucky conditions: bad flags are refused before any work,
a failing game or a dying worker never loses the batch, Ctrl-C keeps finished games."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from game.cli import main
from game.sim import batch
from game.sim.output import read_records
from tests.conftest import ROOT, TEST_SCENARIO

H = str(TEST_SCENARIO)


def run(*args, env=None, timeout=60):
    return subprocess.run([sys.executable, "-m", "game", *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})}, cwd=ROOT)


@pytest.mark.parametrize("argv, needle", [
    (["simulate", H, "--out", "/no/such/folder/r.jsonl"], "--out /no/such/folder/r.jsonl: its folder"),
    (["simulate", H, "--plot", "{tmp}/file/p.png"], "its folder"),
    (["simulate", H, "--out", "{tmp}/r.jsonl/"], "is a folder"),
    (["sweep", H, "--vary", "rating=0:1:1", "--out", "{tmp}/x/y.csv"], "its folder"),
    (["schema", "--output", "/no/such/folder/s.json"], "--output /no/such/folder/s.json: its folder"),
    (["new", "x-y", "--path", "{tmp}/file/x.toml"], "cannot write"),
    (["simulate", H, "--games", "1000000000"], "--games must be from 0 to 1,000,000"),
    (["simulate", H, "--policy", "search:iterations=-1"], "must be between 1 and 10,000,000"),
    (["simulate", H, "--policy", "search:time=nan"], "time"),
    (["simulate", H, "--set", "autonomy=nan"], "finite"),
    (["sweep", H, "--vary", "autonomy=0:inf:1"], "finite"),
    (["sweep", H, "--vary", "autonomy=0:100:1e-300"], "over 1000 values"),
    (["sweep", H, "--vary", "autonomy=0:100:1", "--vary", "trade=0:100:1"], "at most 10,000"),
])
def test_bad_flags_are_refused_before_any_game_with_exit_2(tmp_path, capsys, argv, needle):
    (tmp_path / "file").write_text("a file, not a folder")
    (tmp_path / "r.jsonl").mkdir()
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    t0 = time.perf_counter()
    assert main(argv) == 2
    assert time.perf_counter() - t0 < 30
    assert needle in capsys.readouterr().err


def test_play_size_is_bounded():
    out = run("play", "--size", "99999x99999")
    assert out.returncode == 2 and "at most" in out.stderr


def test_one_policy_with_options_is_for_both_sides(capsys):
    assert main(["simulate", H, "--games", "2", "--workers", "1", "--policy", "search:iterations=2"]) == 0
    assert capsys.readouterr().out.count("search:iterations=2") == 2


def test_a_game_that_raises_is_recorded_and_the_batch_goes_on(tmp_path, monkeypatch, capsys):
    real = batch.play_game

    def flaky(sc, specs, seed, *, index=0, **kw):
        if index == 3:
            raise RuntimeError("boom in game 3")
        return real(sc, specs, seed, index=index, **kw)

    monkeypatch.setattr(batch, "play_game", flaky)
    out = tmp_path / "r.jsonl"
    assert main(["simulate", H, "--games", "6", "--workers", "1", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "1 of 6 games failed" in err and "boom in game 3" in err
    recs = read_records(out)
    assert [r["game"] for r in recs] == list(range(6)) and "boom" in recs[3]["error"]


def test_a_killed_worker_does_not_lose_the_batch(tmp_path, monkeypatch):
    marker = tmp_path / "killed-once"
    real = batch.play_game

    def killer(sc, specs, seed, *, index=0, **kw):  # forked workers see this patch
        if index == 5 and not marker.exists():
            marker.write_text("x")
            os._exit(9)
        return real(sc, specs, seed, index=index, **kw)

    monkeypatch.setattr(batch, "play_game", killer)
    recs = batch.run_batch(H, games=12, seed=1, workers=2)
    assert marker.exists()
    assert [r["game"] for r in recs] == list(range(12)) and not any("error" in r for r in recs)
    assert recs == batch.run_batch(H, games=12, seed=1, workers=1)


def test_ctrl_c_keeps_the_games_that_finished(tmp_path, monkeypatch, capsys):
    real = batch.play_game

    def interrupted(sc, specs, seed, *, index=0, **kw):
        if index == 5:
            raise KeyboardInterrupt
        return real(sc, specs, seed, index=index, **kw)

    monkeypatch.setattr(batch, "play_game", interrupted)
    out = tmp_path / "r.csv"
    assert main(["simulate", H, "--games", "50", "--workers", "1", "--out", str(out)]) == 130
    assert "games that finished are in" in capsys.readouterr().err
    assert [int(r["game"]) for r in read_records(out)] == list(range(5))


def test_workers_exit_when_their_parent_is_killed(tmp_path):
    script = (
        "import concurrent.futures as cf, multiprocessing, time, sys\n"
        "from game.sim.batch import exit_with_parent\n"
        "import os\n"
        "if __name__ == '__main__':\n"
        "    ex = cf.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context('spawn'), initializer=exit_with_parent)\n"
        "    print(ex.submit(os.getpid).result(), flush=True)\n"
        "    ex.submit(time.sleep, 60)\n"
        "    time.sleep(60)\n")
    f = tmp_path / "parent.py"
    f.write_text(script)
    parent = subprocess.Popen([sys.executable, str(f)], stdout=subprocess.PIPE, text=True, cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    worker = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    deadline = time.time() + 10
    while time.time() < deadline:
        status = Path(f"/proc/{worker}/status")
        if not status.exists() or "zombie" in status.read_text():
            break
        time.sleep(0.2)
    else:
        os.kill(worker, 9)
        pytest.fail("the worker kept running after its parent was killed")


def test_a_crash_report_in_an_unwritable_home_is_still_a_short_note(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("UNION_STATE_HOME", str(blocker / "home"))
    monkeypatch.setattr("game.cli.cmd_list", lambda args: 1 / 0)
    assert main(["list"]) == 3
    err = capsys.readouterr().err
    assert "internal error: ZeroDivisionError" in err and "Traceback" not in err


def test_with_no_display_the_game_says_so_and_exits_1():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
    out = subprocess.run([sys.executable, "-m", "game"], capture_output=True, text=True, timeout=30, env=env, cwd=ROOT)
    assert out.returncode == 1 and "no display" in out.stderr


def test_help_shows_a_single_percent_sign():
    out = run("simulate", "--help")
    assert "95%" in out.stdout and "95%%" not in out.stdout


def test_demo_plays_a_scenario_given_by_path():
    out = run("demo", H, "--frames", "5", env={"SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"},
              timeout=120)
    assert out.returncode == 0, out.stderr


@pytest.mark.parametrize("name", ["1" * 5000, "x" * 5000 + ".toml", "a\x00b.toml", "a\x00b"])
@pytest.mark.parametrize("command", [["describe"], ["replay"], ["validate"], ["new", "abc", "--path"],
                                     ["simulate", "--games", "1"]])
def test_a_file_name_the_system_refuses_is_a_message_not_an_internal_error(capsys, command, name):
    argv = [*command, name] if command[0] != "simulate" else ["simulate", name, *command[1:]]
    assert main(argv) in (1, 2)
    assert "internal error" not in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["sweep", H, "--vary", "autonomy=40:50:10", "--games", "3"],
                                  ["compare", H, "--a", "greedy", "--b", "random", "--games", "4"]])
def test_sweep_and_compare_record_a_failing_game_and_exit_1(tmp_path, monkeypatch, capsys, argv):
    real = batch.play_game

    def flaky(sc, specs, seed, *, index=0, **kw):
        if index == 1:
            raise ValueError("bad game")
        return real(sc, specs, seed, index=index, **kw)

    monkeypatch.setattr(batch, "play_game", flaky)
    out = tmp_path / "r.jsonl"
    assert main([*argv, "--workers", "1", "--out", str(out)]) == 1
    assert "games failed" in capsys.readouterr().err
    recs = read_records(out)
    assert any("bad game" in r.get("error", "") for r in recs) and any("error" not in r for r in recs)
