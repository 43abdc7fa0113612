"""`union-state sensitivity`: Morris screening and Sobol indices over start values and weights."""

import builtins
import json

import pytest

from game.cli import main
from tests.conftest import TEST_SCENARIO

pytest.importorskip("SALib", reason="the sensitivity command needs the 'research' extra (SALib)")

H = str(TEST_SCENARIO)
VARY = ["--vary", "trade=0:100", "--vary", "autonomy=58:62", "--vary", "port.caution=0.59:0.61"]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_morris_ranks_the_harbours_trade_first_when_it_spans_its_whole_range(capsys):
    code, out, err = run(capsys, "sensitivity", H, *VARY, "--games", "8", "--samples", "6", "--workers", "1",
                         "--json")
    assert code == 0, err
    res = json.loads(out)
    assert res["method"] == "morris" and res["points"] == 6 * (3 + 1)
    assert res["ranking"][0] == "trade"
    top = res["parameters"][0]["effect"]
    assert top >= 0.75 and all(p["effect"] < top for p in res["parameters"][1:])
    for key in ("score.port", "score.capital"):  # the scores move most with trade (win shares are coarse at 8 games)
        out_ = next(o for o in res["outputs"] if o["key"] == key)
        assert max(out_["tornado"], key=lambda t: abs(t["high"] - t["low"]))["name"] == "trade"
    port = next(o for o in res["outputs"] if o["key"] == "win.port")
    trade = next(t for t in port["tornado"] if t["name"] == "trade")
    assert trade["high"] > trade["low"]  # more trade, more wins for the port


def test_sobol_prints_a_ranked_table_and_draws_a_tornado_chart(capsys, tmp_path):
    plot = tmp_path / "tornado.png"
    code, out, err = run(capsys, "sensitivity", H, *VARY, "--method", "sobol", "--samples", "8",
                         "--games", "6", "--workers", "1", "--plot", str(plot))
    assert code == 0, err
    lines = out.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("rank"))
    assert "Port win share" in lines[head] and "Capital score" in lines[head]
    assert lines[head + 1].split()[:2] == ["1", "trade"]
    assert "Sobol total index" in out and "sobol, 40 points x 6 games" in out
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_bad_range_stops_before_any_game(capsys):
    code, out, err = run(capsys, "sensitivity", H, "--vary", "trade=80:20", "--games", "2", "--workers", "1")
    assert code == 2 and "HI must be above LO" in err
    code, out, err = run(capsys, "sensitivity", H, "--vary", "trad=0:50", "--games", "2", "--workers", "1")
    assert code == 2 and "trade" in err  # the suggestion
    code, out, err = run(capsys, "sensitivity", H, "--vary", "trade=0:50", "--method", "sobol",
                         "--samples", "5", "--games", "2", "--workers", "1")
    assert code == 2 and "power of two" in err
    code, out, err = run(capsys, "sensitivity", H, "--vary", "trade=0:50", "--games", "0", "--workers", "1")
    assert code == 2 and "--games must be at least 1" in err


def test_without_salib_the_command_prints_a_one_line_install_hint(capsys, monkeypatch):
    real = builtins.__import__

    def no_salib(name, *args, **kwargs):
        if name.startswith("SALib"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_salib)
    code, out, err = run(capsys, "sensitivity", H, "--vary", "trade=0:50", "--games", "2", "--workers", "1")
    assert code == 1
    assert err.strip().count("\n") == 0 and "pip install 'union-state[research]'" in err
