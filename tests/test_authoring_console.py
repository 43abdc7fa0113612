"""The developer console: set a meter, fire an event, jump to a turn; never changes the session given."""

from __future__ import annotations

import pytest

from game import saves
from game.authoring import console
from game.authoring.watch import reload_session
from game.session import Session


@pytest.fixture
def session(harbour):
    return Session(harbour, 5)


def test_set_puts_a_meter_at_a_value_and_leaves_the_original_session_alone(session):
    before = session.state
    result = console.run(session, "set patience 25")
    assert result.ok and result.message == "patience is now 25."
    assert result.session.state.value("patience") == 25
    assert session.state is before and session.moves == []
    change = result.session.steps[-1].changes[0]
    assert (change.meter, change.after, change.cause) == ("patience", 25, "Console: set patience to 25")


def test_set_keeps_values_in_range_and_moves_issues_by_level_with_their_effects(session):
    r = console.run(session, "set trade 500")
    assert r.session.state.value("trade") == 100 and "kept inside its range 0..100" in r.message
    r = console.run(session, "set customs Implemented")
    state = r.session.state
    assert state.value("customs") == 2
    assert state.value("integration") == 50  # derived meters follow
    assert state.value("autonomy") == session.state.value("autonomy") - 5  # on_level.2 applied


def test_set_refuses_derived_meters_unknown_names_and_bad_numbers(session):
    assert not console.run(session, "set integration 10").ok
    r = console.run(session, "set patiense 10")
    assert not r.ok and "did you mean 'patience'" in r.message
    assert not console.run(session, "set patience lots").ok
    assert not console.run(session, "set patience").ok


def test_fire_applies_an_event_and_its_choice_once(session):
    r = console.run(session, "fire protest promise")
    assert r.ok and "Promise to delay" in r.message
    state = r.session.state
    assert state.value("autonomy") == session.state.value("autonomy") + 3
    assert "protest" in r.session.steps[-1].fired
    ev = session.scenario.event_by_id["protest"]
    assert state.event_ready[ev.index] == -1  # a once-only event is used up
    r = console.run(session, "fire protest")  # the default choice
    assert "Ignore them" in r.message
    assert not console.run(session, "fire protest shout").ok
    assert not console.run(session, "fire storm promise").ok
    assert not console.run(session, "fire tsunami").ok


def test_jump_passes_through_to_a_later_turn_and_back(session):
    r = console.run(session, "jump 6")
    assert r.ok and r.session.state.turn == 6 and session.state.turn == 1
    assert all(m.kind in ("no_deal", "pass", "reject", "choose", "stand_firm", "back_down") for m in r.session.moves)
    back = console.run(r.session, "jump 3")
    assert back.session.state.turn == 3 and "moves undone" in back.message
    assert back.session.state == Session(session.scenario, 5, back.session.moves).state
    assert not console.run(session, "jump 99").ok
    assert console.run(session, "jump 1").message == "Already on turn 1."


def test_jump_with_a_computer_player(session):
    pytest.importorskip("game.ai")
    r = console.run(session, "jump 8 greedy")
    assert r.ok and (r.session.state.turn == 8 or r.session.state.is_over)
    assert console.is_replayable(r.session)
    assert not console.run(session, "jump 8 genius").ok


def test_edits_make_a_game_unreplayable_but_undo_and_reload_still_work(session, harbour, tmp_path):
    r = console.run(session, "set patience 30")
    r = console.run(r.session, "fire storm")
    r = console.run(r.session, "jump 4")
    edited = r.session
    assert not console.is_replayable(edited) and console.is_replayable(session)
    new, kept, dropped = reload_session(edited, harbour)
    assert dropped == [] and new.state == edited.state
    path = saves.save(edited, tmp_path / "edited.json")
    with pytest.raises(saves.SaveError):
        saves.load(path, harbour)  # a console-edited game is not a faithful replay
    edited.undo()
    while edited.moves and not console.is_edit(edited.moves[-1]):
        edited.undo()
    edited.undo()
    edited.undo()
    assert edited.moves == [] and edited.state == session.state


def test_show_help_and_unknown_commands(session):
    assert "patience = 72  [0..100]" in console.run(session, "show patience").message
    assert "customs = 0 (Separate)" in console.run(session, "show").message
    assert "set METER VALUE" in console.run(session, "help").message
    r = console.run(session, "fier storm")
    assert not r.ok and "did you mean 'fire'" in r.message
    assert console.run(session, "").message == console.HELP


def test_completion_offers_commands_and_names(session):
    assert console.complete(session, "j") == ["jump"]
    assert "set patience" in console.complete(session, "set pa")
    assert "set integration" not in console.complete(session, "set in")
    assert console.complete(session, "fire protest p") == ["fire protest promise"]
