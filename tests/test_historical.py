"""Played with the historical policy on both sides, each shipped scenario reaches, after the turns
its document covers, the state the document describes (the scenario's `historical.expect`)."""

import pytest

from game.describe import play_line
from game.scenario import load_scenario
from game.scenario.expr import Compiler
from tests.conftest import ROOT, TEST_SCENARIO

SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml")) + [TEST_SCENARIO]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_the_historical_line_ends_in_the_state_the_document_describes(path):
    sc = load_scenario(path)
    hist = sc.raw.historical
    assert hist is not None, "every shipped scenario has a historical line"
    assert hist.expect, "the line says what state the document describes"
    check = Compiler(sc.slots).compile(hist.expect)
    for seed in range(5):
        state = play_line(sc, seed)
        assert state.turn > hist.until or state.is_over
        assert check(state.values, state.ctx), (
            f"seed {seed}: after turn {hist.until} the state does not match '{hist.expect}'")



@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_the_historical_line_reaches_the_same_ladder_levels_whatever_the_seed(path):
    """Chance events may fire in other months, but what the line scripts does not hang on a roll."""
    sc = load_scenario(path)
    issues = range(sc.n_meters, len(sc.names))
    levels = [tuple(play_line(sc, seed).values[i] for i in issues) for seed in range(6)]
    assert all(lv == levels[0] for lv in levels), dict(zip((sc.names[i] for i in issues), zip(*levels)))
