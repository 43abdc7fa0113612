"""Headless batches: records, determinism across executors, overrides, statistics."""

import json
import math
import subprocess
import sys

from pathlib import Path

import pytest

from game.sim import (SimError, ab_test, game_seed, grid, read_records, run_batch, run_compare,
                      run_sweep, summarize, wilson, write_records)
from game.sim.overrides import OverrideError, apply_overrides
from game.sim.stats import sign_test

TEST_SCENARIO = Path(__file__).parent / "scenarios" / "harbour.toml"

FIELDS = {"game", "seed", "scenario", "policy.port", "policy.capital", "outcome", "grade", "winner",
          "turns", "moves", "deals", "score.port", "score.capital", "events"}


def test_a_games_seed_depends_only_on_the_batch_seed_and_its_index():
    assert game_seed(7, 3) == game_seed(7, 3)
    assert len({game_seed(7, i) for i in range(1000)}) == 1000
    assert game_seed(7, 3) != game_seed(8, 3)


def test_records_hold_the_documented_fields(harbour):
    recs = run_batch(harbour, games=4, seed=1, policies={"port": "greedy", "capital": "random"},
                     overrides={"trade": 40}, trajectory=True)
    assert [r["game"] for r in recs] == [0, 1, 2, 3]
    for r in recs:
        assert FIELDS <= set(r)
        assert r["winner"] in ("port", "capital", None)
        assert r["policy.port"] == "greedy" and r["policy.capital"] == "random"
        assert r["param.trade"] == 40
        assert {f"meter.{m}" for m in ("autonomy", "trade", "integration")} <= set(r)
        assert r["level.customs"] in (0, 1, 2)
        assert len(r["trajectory"]["trade"]) >= 1
        json.dumps(r)


def test_the_same_seed_gives_the_same_records_with_one_or_two_worker_processes(harbour):
    one = run_batch(harbour, games=12, seed=5, policies="greedy", workers=1)
    two = run_batch(TEST_SCENARIO, games=12, seed=5, policies="greedy", workers=2)
    assert one == two


def test_a_dask_cluster_gives_the_same_records_as_the_process_pool(harbour):
    distributed = pytest.importorskip("dask.distributed")
    pool = run_batch(harbour, games=10, seed=9, policies=("greedy", "random"), workers=2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        remote = run_batch(harbour, games=10, seed=9, policies=("greedy", "random"), dask=client)
    assert remote == pool


def test_a_search_batch_repeats_exactly(harbour):
    a = run_batch(harbour, games=2, seed=3, policies=("search:iterations=6", "random"))
    b = run_batch(harbour, games=2, seed=3, policies=("search:iterations=6", "random"))
    assert a == b


def test_overrides_change_start_values_weights_and_traits(harbour):
    sc = apply_overrides(harbour, {"trade": 20, "customs": 1, "port.trade": 3.0, "capital.caution": 0.9})
    assert sc.start[sc.slots["trade"]] == 20
    assert sc.start[sc.slots["customs"]] == 1
    assert dict(sc.weights[0])[sc.slots["trade"]] == 3.0
    assert sc.actor("capital").ai.caution == 0.9
    assert harbour.start[harbour.slots["trade"]] == 50  # the original is untouched


@pytest.mark.parametrize("name, value, message", [
    ("trad", 20, "did you mean 'trade'"),
    ("trade", 500, "outside its range"),
    ("integration", 10, "derived"),
    ("customs", 1.5, "level index"),
    ("mayor.trade", 1, "unknown side"),
    ("port.trad", 1, "did you mean 'trade'"),
    ("port.caution", 2, "between 0 and 1"),
])
def test_a_bad_override_is_refused_with_a_reason(harbour, name, value, message):
    with pytest.raises(OverrideError, match=message):
        apply_overrides(harbour, {name: value})
    with pytest.raises(SimError, match=message):
        run_batch(harbour, games=1, overrides={name: value})


def test_a_bad_policy_name_is_refused_before_any_game(harbour):
    with pytest.raises(SimError, match="unknown policy 'greedyy'"):
        run_batch(harbour, games=1, policies={"port": "greedyy"})
    with pytest.raises(SimError, match="unknown side"):
        run_batch(harbour, games=1, policies={"minsk": "greedy"})


def test_the_summary_adds_up(harbour):
    recs = run_batch(harbour, games=30, seed=2, policies=("greedy", "random"))
    s = summarize(recs, harbour)
    assert s["games"] == 30
    assert sum(w["count"] for w in s["winners"].values()) == 30
    assert math.isclose(sum(o["share"] for o in s["outcomes"]), 1.0)
    for o in s["outcomes"]:
        assert o["lo"] <= o["share"] <= o["hi"]
    assert s["events"][0]["games"] == 1.0  # the opening event fires in every game
    assert {m["id"] for m in s["meters"]} >= {"autonomy", "integration"}


def test_wilson_intervals_and_the_sign_test_match_known_values():
    lo, hi = wilson(50, 100)
    assert math.isclose(lo, 0.4038, abs_tol=1e-4) and math.isclose(hi, 0.5962, abs_tol=1e-4)
    assert wilson(0, 10)[0] == 0.0
    assert math.isclose(sign_test(10, 0), 2 * 0.5 ** 10)
    assert sign_test(5, 5) == 1.0
    assert math.isclose(sign_test(60, 40), 0.0569, abs_tol=1e-3)


def test_a_comparison_balances_seats_and_pairs_games_by_seed(harbour):
    recs = run_compare(harbour, "greedy", "random", games=8, seed=4)
    assert [r["a_side"] for r in recs] == ["port", "capital"] * 4
    assert all(recs[i]["seed"] == recs[i + 1]["seed"] for i in range(0, 8, 2))
    assert recs[0]["policy.port"] == "greedy" and recs[1]["policy.capital"] == "greedy"
    res = ab_test(recs, "greedy", "random")
    assert res["a_wins"]["count"] + res["b_wins"]["count"] + res["nobody"]["count"] == 8
    assert res["diff_lo"] <= res["diff"] <= res["diff_hi"]


def test_a_sweep_runs_every_grid_point_with_the_same_seeds(harbour):
    points = grid([("trade", 20, 40, 10), ("port.trade", 0.5, 1.0, 0.5)])
    assert len(points) == 6 and points[-1] == {"trade": 40, "port.trade": 1.0}
    recs = run_sweep(harbour, [("trade", 20, 40, 10)], games=3, seed=1, policies="random")
    assert [r["param.trade"] for r in recs] == [20] * 3 + [30] * 3 + [40] * 3
    assert [r["seed"] for r in recs[:3]] == [r["seed"] for r in recs[3:6]]
    with pytest.raises(SimError, match="STEP must be positive"):
        grid([("trade", 0, 10, 0)])


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_records_write_and_read_back(harbour, tmp_path, suffix):
    recs = run_batch(harbour, games=3, seed=0, policies="random")
    path = tmp_path / f"out{suffix}"
    write_records(recs, path)
    back = read_records(path)
    assert len(back) == 3
    assert str(back[1]["game"]) == "1"
    assert set(back[0]) >= FIELDS


def test_the_engine_and_the_batch_api_import_no_rich_matplotlib_or_dask():
    code = ("import sys, game.engine, game.scenario, game.ai, game.sim;"
            "bad = [m for m in ('rich', 'matplotlib', 'dask', 'distributed', 'pygame') if m in sys.modules];"
            "print(bad); sys.exit(1 if bad else 0)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
