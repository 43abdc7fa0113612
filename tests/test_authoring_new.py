"""`union-state new`: a commented starter, or a copy with a new id, that validates and plays."""

from __future__ import annotations

import random

import pytest

from game.authoring.starter import copy_text, starter_text
from game.cli import main
from game.engine import apply, legal_moves, new_game, outcome, view
from game.scenario import find_scenario, load_scenario, load_text, user_scenario_dir
from tests.conftest import ROOT


def play_to_the_end(sc, seed, policies=None):
    rng = random.Random(seed)
    state = new_game(sc, seed)
    for _ in range(10_000):
        if state.is_over:
            return outcome(state)
        legal = legal_moves(state)
        pol = policies[state.actor] if policies else None
        move = pol.choose(view(state, state.actor_id), legal, rng) if pol else rng.choice(legal)
        state = apply(state, move).state
    raise AssertionError("the game did not end")


def test_new_writes_a_starter_into_the_user_folder_that_validates(capsys):
    assert main(["new", "two-towns"]) == 0
    path = user_scenario_dir() / "two-towns.toml"
    assert path.is_file()
    out = capsys.readouterr().out
    assert str(path) in out and "union-state play two-towns --watch" in out
    assert main(["validate", str(path)]) == 0
    sc = find_scenario("two-towns")  # found by id in the user folder
    assert sc.id == "two-towns" and sc.title == "Two Towns"


def test_the_starter_is_commented_and_plays_to_an_ending_with_every_kind_of_player():
    text = starter_text("two-towns")
    assert sum(1 for line in text.splitlines() if line.lstrip().startswith("#")) >= 20
    sc = load_text(text)
    endings = {play_to_the_end(sc, seed).ending for seed in range(40)}
    assert len(endings) >= 2
    ai = pytest.importorskip("game.ai")
    for name in ("greedy", "search:iterations=4"):
        policies = [ai.make_policy(name, sc, a, seed=1) for a in sc.players]
        assert play_to_the_end(sc, 1, policies) is not None


def test_new_with_path_writes_there_and_refuses_to_overwrite(tmp_path, capsys):
    path = tmp_path / "mine.toml"
    assert main(["new", "mine", "--path", str(path)]) == 0
    assert load_scenario(path).id == "mine"
    assert main(["new", "mine", "--path", str(path)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["new", "mine", "--path", str(path), "--force"]) == 0


def test_new_from_copies_a_scenario_with_a_new_id_keeping_its_comments(tmp_path):
    path = tmp_path / "what-if.toml"
    assert main(["new", "what-if", "--from", str(ROOT / "scenarios" / "roadmap-2021.toml"), "--path", str(path)]) == 0
    text = path.read_text(encoding="utf-8")
    original = (ROOT / "scenarios" / "roadmap-2021.toml").read_text(encoding="utf-8")
    assert text == original.replace('id = "roadmap-2021"', 'id = "what-if"', 1)
    sc = load_scenario(path)
    assert sc.id == "what-if" and play_to_the_end(sc, 3) is not None


def test_new_from_an_id_finds_the_shipped_scenario(capsys):
    assert main(["new", "my-roadmap", "--from", "roadmap-2021"]) == 0
    assert load_scenario(user_scenario_dir() / "my-roadmap.toml").id == "my-roadmap"


def test_a_bad_name_is_a_usage_error_with_a_suggestion(capsys):
    assert main(["new", "My Scenario"]) == 2
    assert "try 'my-scenario'" in capsys.readouterr().err


def test_copy_text_changes_only_the_header_id():
    text = '# id = "not this"\nformat = 1\n[scenario]\ntitle = "x"\nid = \'old\'   # keep me\n[actors.a]\nid = "x"\n'
    assert copy_text(text, "new-id") == text.replace("id = 'old'", 'id = "new-id"')
