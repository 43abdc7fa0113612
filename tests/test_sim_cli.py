"""The simulate, sweep and compare commands: outputs parse, errors exit 2 with a clear message."""

import csv
import json

from pathlib import Path

import pytest

from game.cli import main

TEST_SCENARIO = Path(__file__).parent / "scenarios" / "harbour.toml"

H = str(TEST_SCENARIO)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_simulate_prints_a_summary_and_writes_records_and_a_plot(capsys, tmp_path):
    out_file = tmp_path / "games.jsonl"
    plot = tmp_path / "games.png"
    code, out, err = run(capsys, "simulate", H, "--games", "20", "--seed", "3", "--workers", "1",
                         "--policy", "port=greedy", "--policy", "capital=random",
                         "--out", str(out_file), "--plot", str(plot))
    assert code == 0, err
    assert "20 games" in out and "Who won" in out and "95% CI" in out
    assert "How the games ended" in out and "Events that fired most" in out
    assert "\x1b[" not in out  # no colour codes when piped
    recs = [json.loads(line) for line in out_file.read_text().splitlines()]
    assert len(recs) == 20
    for r in recs:
        assert {"game", "seed", "policy.port", "policy.capital", "outcome", "winner", "turns",
                "score.port", "score.capital", "meter.trade", "level.customs", "events"} <= set(r)
    assert plot.stat().st_size > 10_000
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_simulate_writes_csv_with_the_parameters_used(capsys, tmp_path):
    out_file = tmp_path / "games.csv"
    code, out, err = run(capsys, "simulate", H, "--games", "6", "--workers", "2", "--policy", "random",
                         "--set", "trade=30", "--set", "port.autonomy=2", "--out", str(out_file))
    assert code == 0, err
    rows = list(csv.DictReader(out_file.open()))
    assert len(rows) == 6
    assert rows[0]["param.trade"] == "30.0" and rows[0]["param.port.autonomy"] == "2.0"
    assert rows[0]["policy.port"] == "random"
    assert "What-if: trade = 30" in out


def test_simulate_gives_the_same_records_whatever_the_worker_count(capsys, tmp_path):
    files = []
    for workers in ("1", "2"):
        f = tmp_path / f"w{workers}.jsonl"
        code, _, err = run(capsys, "simulate", H, "--games", "10", "--seed", "8", "--workers", workers,
                           "--out", str(f))
        assert code == 0, err
        files.append(f.read_text())
    assert files[0] == files[1]


@pytest.mark.parametrize("argv, message", [
    (["--set", "trad=30"], "did you mean 'trade'"),
    (["--set", "trade"], "NAME=VALUE"),
    (["--policy", "port=greedyy"], "unknown policy 'greedyy'"),
    (["--policy", "mayor=greedy"], "'mayor' is not a side"),
    (["--minsk", "greedy"], "has no side 'minsk'"),
    (["--out", "games.xlsx"], ".jsonl or .csv"),
    (["--plot", "games.txt"], ".png"),
    (["--games", "-1"], "--games"),
    (["--workers", "0"], "--workers"),
])
def test_bad_input_exits_2_with_a_clear_message(capsys, argv, message):
    code, out, err = run(capsys, "simulate", H, "--games", "2", *argv)
    assert code == 2
    assert "union-state: error:" in err and message in err


def test_an_unknown_scenario_exits_1_with_the_loaders_message(capsys):
    code, out, err = run(capsys, "simulate", "no-such-scenario", "--games", "1")
    assert code == 1 and "no scenario called" in err


def test_sweep_prints_a_table_and_plots_one_or_two_parameters(capsys, tmp_path):
    plot = tmp_path / "line.png"
    code, out, err = run(capsys, "sweep", H, "--vary", "trade=20:40:10", "--games", "4",
                         "--policy", "random", "--workers", "1", "--plot", str(plot))
    assert code == 0, err
    assert "Port wins" in out and "Capital wins" in out
    assert plot.stat().st_size > 10_000
    heat = tmp_path / "heat.png"
    code, out, err = run(capsys, "sweep", H, "--vary", "trade=20:40:20", "--vary", "port.trade=0.5:1:0.5",
                         "--games", "2", "--policy", "random", "--workers", "1", "--plot", str(heat))
    assert code == 0, err
    assert heat.stat().st_size > 10_000
    code, _, err = run(capsys, "sweep", H, "--vary", "trade=20-40", "--games", "1")
    assert code == 2 and "START:STOP:STEP" in err


def test_compare_reports_the_difference_and_its_test(capsys, tmp_path):
    out_file = tmp_path / "ab.jsonl"
    code, out, err = run(capsys, "compare", H, "--a", "greedy", "--b", "random", "--games", "10",
                         "--workers", "1", "--out", str(out_file))
    assert code == 0, err
    assert "Difference in win share" in out and "sign test" in out
    recs = [json.loads(line) for line in out_file.read_text().splitlines()]
    assert [r["a_side"] for r in recs[:2]] == ["port", "capital"]
    code, _, err = run(capsys, "compare", H, "--a", "greedy", "--b", "random", "--games", "3")
    assert code == 2 and "even" in err
    code, _, err = run(capsys, "compare", H, "--a", "clever", "--b", "random", "--games", "2")
    assert code == 2 and "unknown policy 'clever'" in err


def test_simulate_runs_on_a_local_dask_cluster(capsys, tmp_path):
    pytest.importorskip("dask.distributed")
    f1, f2 = tmp_path / "pool.jsonl", tmp_path / "dask.jsonl"
    code, _, err = run(capsys, "simulate", H, "--games", "6", "--workers", "2", "--out", str(f1))
    assert code == 0, err
    code, out, err = run(capsys, "simulate", H, "--games", "6", "--workers", "2", "--dask", "local",
                         "--out", str(f2))
    assert code == 0, err
    assert f1.read_text() == f2.read_text()
