"""The interface's explanations (projections, causes, estimates, sources) without a display."""

import subprocess
import sys
from pathlib import Path

import pytest

from game.engine import ACT, PROPOSE, Move, apply, legal_moves, new_game
from game.session import Session
from game.ui import explain
from game.ui.match import Match
from game.ui.settings import Settings


def _to_phase(sc, phase, seed=3):
    state = new_game(sc, seed)
    for _ in range(400):
        if state.phase == phase:
            return state
        moves = legal_moves(state)
        simple = [m for m in moves if m.kind in ("no_deal", "pass", "reject", "concede", "back_down", "choose")]
        state = apply(state, simple[0] if simple else moves[0]).state
    raise AssertionError(f"never reached {phase}")


def test_a_unilateral_projection_matches_what_the_move_then_does(harbour):
    st = _to_phase(harbour, ACT)
    moves = [m for m in legal_moves(st) if m.kind == "unilateral"]
    assert moves
    for m in moves:
        proj = explain.project(st, m)
        assert proj.ok
        after = apply(st, m).state
        for name, before, value in proj.changes:
            slot = harbour.slots[name]
            assert before == st.values[slot]
            if after.turn == st.turn:  # no drift in between
                assert after.values[slot] == pytest.approx(value)


def test_a_deal_projection_shows_the_terms_as_if_accepted(harbour):
    st = _to_phase(harbour, PROPOSE)
    me = st.actor_id
    term = next(t for t in harbour.terms if t.id == "grant")
    proj = explain.project(st, Move("propose", me, terms=(term.id,)))
    assert proj.ok and proj.changes
    names = {n for n, _, _ in proj.changes}
    assert "treasury" in names or "trade" in names or "autonomy" in names
    from game.ai.beliefs import Belief

    belief = Belief(harbour, harbour.actor_index(me), st.seed)
    p = explain.accept_chance(st, Move("propose", me, terms=(term.id,)), belief)
    assert 0.0 < p < 1.0


def test_an_illegal_move_projects_to_a_reason_not_an_exception(harbour):
    st = new_game(harbour, 1)
    proj = explain.project(st, Move("unilateral", "nobody", "strike"))
    assert not proj.ok and "side" in proj.error


def test_conditions_read_as_words(harbour):
    text = explain.humanise(harbour, "customs >= 2 and turn >= 3 and patience > 20")
    assert "Customs union at ‘Implemented’" in text
    assert "from turn 3" in text
    assert "Capital's patience > 20" in text
    assert explain.humanise(harbour, "month == 12") == "in December"
    assert explain.humanise(harbour, "not valid ((") == "not valid (("


def test_the_other_sides_stance_is_a_range_inside_0_to_100(harbour):
    st = new_game(harbour, 5)
    lo, hi = explain.stance(st, "port")
    assert 0 <= lo < hi <= 100


def test_changes_are_broken_down_by_cause(harbour):
    s = Session(harbour, 4)
    m = Match(s, {"port"})
    while s.state.turn < 3 and not s.state.is_over:
        moves = legal_moves(s.state)
        s.apply(next((x for x in moves if x.kind in ("pass", "no_deal", "reject", "choose", "concede")), moves[0]))
    changes = [c for st in s.steps for c in st.changes]
    causes = explain.by_cause(changes, "autonomy")
    assert causes and all(isinstance(c[0], str) for c in causes)
    start = harbour.start[harbour.slots["autonomy"]]
    assert sum(d for _, d, _ in causes) == pytest.approx(s.state.value("autonomy") - start)
    m.close()


def test_the_end_screens_turning_points_are_the_heaviest_causes_told_in_order(harbour):
    import random

    from game.engine import apply, start

    rng = random.Random(4)
    step = start(harbour, 4)
    changes = list(step.changes)
    while not step.state.is_over:
        step = apply(step.state, rng.choice(legal_moves(step.state)))
        changes += step.changes
    pts = explain.turning_points(harbour, changes, n=4)
    everything = explain.turning_points(harbour, changes, n=10_000)
    assert len(everything) > 8
    assert sorted(p.weight for p in pts) == sorted(p.weight for p in everything)[-4:]
    assert [p.turn for p in pts] == sorted(p.turn for p in pts)


def test_every_scenario_element_with_a_source_is_listed(harbour):
    rows = explain.sources(harbour)
    assert any(r.kind == "Event" and r.para == 1 for r in rows)
    assert [r.para for r in rows if r.para is not None] == sorted(r.para for r in rows if r.para is not None)
    assert all(r.para is None for r in rows[[r.para is None for r in rows].index(True):])


def test_a_title_holding_quotes_gets_single_quotes_around_it():
    from game.scenario import find_scenario

    line = explain.document_line(find_scenario("roadmap-2021"))
    assert "““" not in line and line.startswith("Alina Turyshyn, ‘“I am all yours”.")
    assert line.endswith("8 December 2021")


def test_numbers_use_a_real_minus_sign():
    assert explain.fmt_delta(-2.0) == "\u22122"
    assert explain.fmt_delta(3.25) == "+3.2" or explain.fmt_delta(3.25) == "+3.3"
    assert explain.fmt_num(45.0) == "45"


def test_settings_survive_a_restart_and_ignore_garbage(tmp_path):
    s = Settings.load()
    assert s.text_size == "medium"
    s.text_size = "large"
    s.high_contrast = True
    s.save()
    again = Settings.load()
    assert again.text_size == "large" and again.high_contrast
    Settings.path().write_text('{"text_size": "enormous", "window": [1, 2], "high_contrast": "yes"}')
    bad = Settings.load()
    assert bad.text_size == "medium" and bad.window == (1280, 720) and bad.high_contrast is False


def test_the_pure_interface_modules_do_not_load_pygame():
    code = ("import sys; import game.ui.explain, game.ui.match, game.ui.settings, game.ui.storage, "
            "game.ui.commands, game.ui.opponent, game.ui.aiworker; "
            "assert 'pygame' not in sys.modules, 'pygame was imported'")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_a_searching_computer_thinks_in_its_own_process_and_plays_legal_moves(harbour):
    import time

    s = Session(harbour, 6)
    m = Match(s, {"port"}, "search:iterations=24,time=0.25")
    assert m.thinker.in_process
    made = 0
    deadline = time.time() + 60
    while made < 3 and time.time() < deadline and not s.state.is_over:
        if m.human_to_move():
            moves = legal_moves(s.state)
            m.submit(next((x for x in moves if x.kind in ("pass", "no_deal", "reject", "choose", "concede")),
                          moves[0]))
        elif m.poll() is not None:
            made += 1
        else:
            time.sleep(0.01)
    proc = m.thinker._worker._proc
    m.close()
    assert made == 3
    assert proc.wait(timeout=5) is not None  # the worker ends when the match closes


def test_a_computer_player_without_a_file_thinks_on_a_thread():
    from game.scenario import load_text

    sc = load_text((Path(__file__).parent / "scenarios" / "harbour.toml").read_text(), "harbour.toml")
    assert sc.path is None
    m = Match(Session(sc, 1), {"port"}, "search:iterations=24,time=0.25")
    assert not m.thinker.in_process
    m.close()
