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
