"""A state survives serialize -> JSON -> deserialize unchanged, and a corrupt dict is refused with
a ValueError that says where, never another exception."""

import copy
import re
import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine import (IllegalMove, apply, deserialize, legal_moves, new_game, serialize)
from game.scenario import load_scenario
from tests.conftest import ROOT, TEST_SCENARIO

SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml")) + [TEST_SCENARIO]


def random_states(sc, seed, limit=400):
    rng = random.Random(seed)
    state = new_game(sc, seed)
    out = [state]
    while not state.is_over and len(out) < limit:
        state = apply(state, rng.choice(legal_moves(state))).state
        out.append(state)
    return out


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_state_of_a_random_game_survives_a_json_round_trip(path):
    sc = load_scenario(path)
    for seed in (1, 2):
        states = random_states(sc, seed)
        for state in states:
            data = json.loads(json.dumps(serialize(state)))
            back = deserialize(data, sc)
            assert back == state
            assert serialize(back) == data
        assert states[-1].is_over or len(states) == 400


def test_a_restored_state_plays_on_exactly_like_the_original(harbour):
    rng = random.Random(5)
    state = new_game(harbour, 5)
    for _ in range(30):
        state = apply(state, rng.choice(legal_moves(state))).state
    twin = deserialize(json.loads(json.dumps(serialize(state))), harbour)
    a, b = random.Random(9), random.Random(9)
    while not state.is_over:
        state = apply(state, a.choice(legal_moves(state))).state
        twin = apply(twin, b.choice(legal_moves(twin))).state
        assert twin == state
    assert twin.ending == state.ending and twin.winner == state.winner


@pytest.mark.parametrize("change, where", [
    (lambda d: d["values"].update(autonomy=250), "values.autonomy"),
    (lambda d: d["values"].update(autonomy="60"), "values.autonomy"),
    (lambda d: d["values"].update(autonomy=float("nan")), "values.autonomy"),
    (lambda d: d["values"].update(autonomy=10 ** 5000), "values.autonomy"),
    (lambda d: d.update(turn=10 ** 5000), "turn"),
    (lambda d: d["values"].update(customs=1.5), "values.customs"),
    (lambda d: d["values"].pop("trade"), "values.trade"),
    (lambda d: d["values"].update(ratng=3), "values.ratng"),
    (lambda d: d.update(phase="dance"), "phase"),
    (lambda d: d.update(turn=0), "turn"),
    (lambda d: d.update(turn=True), "turn"),
    (lambda d: d.update(seed=1.5), "seed"),
    (lambda d: d.update(actor="moon"), "actor"),
    (lambda d: d.update(deal=["no_such_term"]), "deal[0]"),
    (lambda d: d["scenario"].update(id="roadmap-2021"), "scenario.id"),
    (lambda d: d["scenario"].update(digest="0" * 64), "scenario.digest"),
    (lambda d: d.pop("ready"), "ready"),
    (lambda d: d.update(version=99), "version"),
    (lambda d: d.update(phase="over"), "actor"),
    (lambda d: d.update(deal_log=[[1, "maybe"]]), "deal_log[0]"),
])
def test_a_corrupt_state_is_refused_with_the_path_of_the_fault(harbour, change, where):
    data = serialize(new_game(harbour, 3))
    change(data)
    with pytest.raises(ValueError, match="@ " + re.escape("$." + where)):
        deserialize(data, harbour)


def test_a_deciding_side_that_does_not_fit_the_phase_is_refused(harbour):
    state = new_game(harbour, 3)
    data = serialize(state)
    other = [p for p in harbour.players if p != data["actor"]][0]
    data["actor"] = other
    with pytest.raises(ValueError, match="decides"):
        deserialize(data, harbour)


_json = st.recursive(st.none() | st.booleans() | st.integers(-5, 200) | st.integers() | st.floats(allow_nan=True)
                     | st.text(max_size=8), lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=6)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_mangled_state_either_loads_and_plays_or_raises_value_error(harbour, data):
    states = random_states(harbour, data.draw(st.integers(0, 3)), limit=60)
    doc = copy.deepcopy(serialize(data.draw(st.sampled_from(states))))
    for _ in range(data.draw(st.integers(1, 3))):
        key = data.draw(st.sampled_from(sorted(doc)))
        target = doc
        if isinstance(doc[key], dict) and doc[key] and data.draw(st.booleans()):
            target, key = doc[key], data.draw(st.sampled_from(sorted(doc[key])))
        if data.draw(st.booleans()):
            target[key] = data.draw(_json)
        else:
            del target[key]
    try:
        state = deserialize(doc, harbour)
    except ValueError as exc:
        assert "bad state" in str(exc)
        return
    rng = random.Random(0)
    for _ in range(50):  # whatever loads, the rules can play on from it
        if state.is_over:
            break
        moves = legal_moves(state)
        if not moves:
            break
        try:
            state = apply(state, rng.choice(moves)).state
        except IllegalMove:
            break
