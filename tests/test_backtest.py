"""`union-state backtest`: AI vs AI from the start, held up against the historical line."""

import json

from game.cli import main
from game.sim.backtest import run_backtest, summarize_backtest
from tests.conftest import TEST_SCENARIO

H = str(TEST_SCENARIO)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_historical_policy_agrees_with_every_historical_choice_and_reaches_the_end_state(capsys):
    code, out, err = run(capsys, "backtest", H, "--policy", "historical", "--games", "6", "--workers", "1",
                         "--json")
    assert code == 0, err
    s = json.loads(out)
    assert s["games"] == 6
    assert all(side["share"] == 1.0 for side in s["sides"].values())
    for row in s["decisions"]:
        assert row["reached"]["share"] == 1.0 and row["agree"]["share"] == 1.0 and row["instead"] == []
    assert s["expect"]["share"] == 1.0
    assert [c["text"] for c in s["expect"]["clauses"]] == ["customs == 1", "flag == 0"]


def test_random_play_diverges_and_the_table_says_where_and_what_it_did_instead(capsys, tmp_path):
    plot = tmp_path / "bt.png"
    code, out, err = run(capsys, "backtest", H, "--policy", "random", "--games", "30", "--workers", "1",
                         "--plot", str(plot))
    assert code == 0, err
    assert "Decision by decision:" in out
    assert "The end state the document describes, after turn 2" in out
    # The line's first decision: the port proposes the customs union with a grant. Among its many
    # legal moves random play hardly ever picks exactly that, so the row shows what it did instead.
    first = next(line for line in out.splitlines() if "Port proposes a deal: Customs union" in line)
    assert "100%" in first and ("Port proposes" in first.split("%", 2)[-1]
                                or "tables no deal" in first)
    assert "Port  " in out and "Capital  " in out
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_divergence_is_counted_against_the_side_that_made_it(harbour):
    records = run_backtest(harbour, games=20, seed=4, policies={"port": "historical", "capital": "random"})
    s = summarize_backtest(records, harbour)
    assert s["sides"]["port"]["share"] == 1.0  # the port follows the line wherever it is reached
    assert s["sides"]["capital"]["share"] < 1.0
    subsidy = next(r for r in s["decisions"] if r["move"] == "unilateral|subsidy|")
    assert subsidy["agree"]["share"] < 1.0 and subsidy["instead"]
    assert s["expect"]["of"] == 20


def test_backtest_results_do_not_depend_on_the_number_of_workers(harbour):
    one = run_backtest(H, games=6, seed=2, policies="greedy", workers=1)
    two = run_backtest(H, games=6, seed=2, policies="greedy", workers=2)
    assert one == two


def test_backtest_of_a_scenario_without_a_historical_line_stops_with_a_message(capsys, tmp_path):
    text = TEST_SCENARIO.read_text(encoding="utf-8").split("[historical]")[0]
    path = tmp_path / "nohistory.toml"
    path.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "backtest", str(path), "--games", "2", "--workers", "1")
    assert code == 2
    assert "no [historical] line" in err
