"""`union-state play SCENARIO --watch` through the real window (SDL dummy driver): edits to the file
reload the game and keep its moves, a broken file shows its problems in the window and the game goes
on, and the F12 developer console sets meters, fires events and jumps turns, all driven by posted
keys and text like the other interface tests."""

from __future__ import annotations

import os
import time

import pygame
import pytest

from game.engine import ACT, ANSWER, ANSWER_COUNTER, Move
from tests.conftest import TEST_SCENARIO
from tests.test_ui_flow import click_row, settle

pytestmark = pytest.mark.timeout(120)

BASE = TEST_SCENARIO.read_text(encoding="utf-8")
RENAMED = BASE.replace('name = "Call a dock strike"', 'name = "Down tools"')
BROKEN = RENAMED.replace('when = "patience > 20"', 'when = "patince > 20"')  # a typo in an expression


def write(path, text):
    path.write_text(text, encoding="utf-8")
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))  # a later save, even within a second


def wait_for(drv, pred, seconds=10.0) -> bool:
    """Run frames until ``pred`` holds: the watcher looks at the file every 0.3 s of real time."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if pred():
            return True
        drv.frames(1)
    return pred()


@pytest.fixture
def watched(tmp_path):
    """`union-state play harbour.toml --watch ...` on a copy of the test scenario, through the real
    command-line parser; returns (driver, path)."""
    from game.cli import build_parser
    from game.ui.commands import open_play
    from game.ui.driver import Driver

    path = tmp_path / "harbour.toml"
    path.write_text(BASE, encoding="utf-8")
    args = build_parser().parse_args(["play", str(path), "--watch", "--side", "port", "--difficulty", "easy",
                                      "--seed", "11", "--size", "1280x720"])
    app = open_play(args)
    app.settings.animation = "instant"
    d = Driver(app)
    d.frames(3)
    assert app.screen.name == "briefing" and app.watcher is not None
    yield d, path
    app.shutdown()


def start(drv):
    drv.key(pygame.K_RETURN, frames=3)  # Begin turn 1
    g = drv.app.screen
    assert g.name == "game" and g.dev and g.devtools.watcher is drv.app.watcher
    settle(drv)
    return g


def to_my_move(drv, g):
    """Skip the deal (and turn down any the computer offers) until Port may take its move."""
    for _ in range(8):
        settle(drv)
        st = g.match.state
        if st.phase == ACT and st.actor_id == "port":
            return
        if st.phase in (ANSWER, ANSWER_COUNTER):
            drv.click_element(g.decision.actions.btn_second)  # reject
        elif g.dialogs.popup is not None:
            drv.key(pygame.K_1, frames=2)
        else:
            drv.key(pygame.K_RETURN, frames=2)
    raise AssertionError(f"Port never got to move: {g.match.state.phase}")


def clear_popups(drv, g):
    """Answer pop-ups that wait for the player (the first choice) until the board is free."""
    for _ in range(10):
        settle(drv)
        if g.dialogs.popup is None:
            return
        drv.key(pygame.K_1, frames=2)
    raise AssertionError(f"a pop-up stays open: {g.dialogs.kind}")


def keyboard(drv, text):
    """Type as a keyboard does: a key press and the text it makes, for every character."""
    for ch in text:
        key = pygame.key.key_code(ch) if ch != " " else pygame.K_SPACE
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode=ch, scancode=0))
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=ch))
        pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=0, unicode=ch, scancode=0))
    drv.frames(2)


def command(drv, g, text):
    keyboard(drv, text)
    assert g.devtools.console_entry.get_text() == text
    drv.key(pygame.K_RETURN, frames=2)
    assert g.devtools.console_entry.get_text() == ""
    return g.devtools.console_log[-1]


def test_edits_reload_and_keep_the_moves_and_a_broken_file_is_shown_in_the_window(watched, tmp_path):
    drv, path = watched
    app = drv.app
    g = start(drv)
    to_my_move(drv, g)
    click_row(drv, g, "strike")
    drv.key(pygame.K_RETURN, frames=3)
    assert Move("unilateral", "port", "strike") in g.match.session.moves
    settle(drv)
    moves = list(g.match.session.moves)
    state = g.match.state
    old = g.sc

    # An edit: the move is renamed; the game reloads and keeps every move made so far.
    write(path, RENAMED)
    assert wait_for(drv, lambda: g.sc is not old)
    assert g.sc.move_by_id["strike"].name == "Down tools" and g.sc is app.watcher.scenario
    assert g.match.session.moves == moves and g.match.state == state
    assert g.match.scenario is g.sc and g.map.sc is g.sc
    assert any(n.title == "Port: Down tools" for n in g.log.notices)  # the log speaks the new text
    assert app.toast_text.startswith("Reloaded The Harbour Compact:") and "replayed" in app.toast_text
    assert app.screen is g and g.devtools.load_error is None

    # A typo: the game goes on with the last good version and shows the problem, with its line.
    write(path, BROKEN)
    assert wait_for(drv, lambda: g.devtools.load_error is not None)
    drv.frames(3)
    assert app.screen is g and app.crashes == []
    line = BROKEN[: BROKEN.index("patince")].count("\n") + 1
    assert g.devtools.load_error.lines == [f"line {line}: moves[0].when: unknown name 'patince' in 'patince > 20' "
                                  "(did you mean 'patience'?)"]
    assert g.sc.move_by_id["strike"].name == "Down tools" and g.match.session.moves == moves
    panel = g.devtools.error_panel.rect
    assert panel.h > 40 and pygame.Rect(0, 0, 1280, 720).contains(panel)
    assert g.r_map.contains(panel)  # over the map: the meters and the panels stay in view
    assert app.window.get_at((panel.centerx, panel.y))[:3] == tuple(app.theme.c["bad"])[:3]
    drv.screenshot(tmp_path / "watch-error.png")
    # ... and the game can still be played under it.
    clear_popups(drv, g)
    drv.key(pygame.K_RETURN, frames=3)
    assert len(g.match.session.moves) > len(moves)
    settle(drv)  # the computer's answer too, which it may take a while to think of on a busy machine
    moves = list(g.match.session.moves)

    # Fixed: the panel goes, the original text comes back, the moves are still there.
    write(path, BASE)
    assert wait_for(drv, lambda: g.devtools.load_error is None)
    drv.frames(2)
    assert g.sc.move_by_id["strike"].name == "Call a dock strike"
    assert g.match.session.moves == moves
    assert app.crashes == []


def test_a_move_the_new_file_forbids_is_dropped_with_what_follows(watched):
    drv, path = watched
    g = start(drv)
    to_my_move(drv, g)
    click_row(drv, g, "strike")
    drv.key(pygame.K_RETURN, frames=3)
    i = g.match.session.moves.index(Move("unilateral", "port", "strike"))
    write(path, BASE.replace('when = "patience > 20"', 'when = "patience > 200"'))
    assert wait_for(drv, lambda: "dropped" in (g.devtools.console_log[-1][0] if g.devtools.console_log else ""))
    assert len(g.match.session.moves) == i  # back to just before the strike
    assert g.match.state.phase == ACT and g.match.state.actor_id == "port"
    drv.frames(3)
    assert drv.app.crashes == []


def test_the_console_sets_fires_and_jumps_and_keeps_the_keys_to_itself(watched, tmp_path):
    drv, path = watched
    app = drv.app
    g = start(drv)
    to_my_move(drv, g)
    tab, n_moves = g.decision.tab, len(g.match.session.moves)

    drv.key(pygame.K_F12)
    assert g.devtools.console_open and g.devtools.console_focused()
    # set: digits, Space, Enter and Tab are the console's while it has the keyboard.
    text, kind = command(drv, g, "set patience 50")
    assert kind == "ok" and text == "patience is now 50."
    assert g.match.state.value("patience") == 50
    assert g.decision.tab == tab and g.decision.sel_move is None and app.screen is g
    assert len(g.match.session.moves) == n_moves + 1 and g.match.session.moves[-1].kind == "console"
    assert any(n.title == "Console: set patience 50" for n in g.log.notices)
    keyboard(drv, "set pati")
    drv.key(pygame.K_TAB)
    assert g.devtools.console_entry.get_text() == "set patience " and g.decision.tab == tab
    g.devtools.console_entry.set_text("")
    # A mistake is answered in the console, in red, and changes nothing.
    text, kind = command(drv, g, "set patiense 10")
    assert kind == "bad" and "did you mean 'patience'" in text
    # fire: an event with a choice.
    autonomy = g.match.state.value("autonomy")
    text, kind = command(drv, g, "fire protest promise")
    assert kind == "ok" and text.startswith("Fired 'Protest on the quay' (Promise to delay)")
    assert "protest" in g.match.session.steps[-1].fired
    assert g.match.state.value("autonomy") == autonomy + 3
    # jump: on to turn 4, then back to turn 2.
    text, kind = command(drv, g, "jump 4")
    assert kind == "ok" and g.match.state.turn == 4
    settle(drv)
    drv.screenshot(tmp_path / "watch-console.png")
    text, kind = command(drv, g, "jump 2")
    assert kind == "ok" and g.match.state.turn == 2
    # ↑ brings the last line back.
    drv.key(pygame.K_UP)
    assert g.devtools.console_entry.get_text() == "jump 2"
    g.devtools.console_entry.set_text("")

    # A reload runs the console edits again.
    edits = [m for m in g.match.session.moves if m.kind == "console"]
    write(path, RENAMED)
    assert wait_for(drv, lambda: g.sc.move_by_id["strike"].name == "Down tools")
    assert [m for m in g.match.session.moves if m.kind == "console"] == edits
    assert g.devtools.console_open and g.devtools.console_focused()  # the console survives the rebuilt layout

    # Esc closes the console; then Esc is the board's again (the menu).
    drv.key(pygame.K_ESCAPE)
    assert not g.devtools.console_open and g.devtools.console_entry is None
    clear_popups(drv, g)
    drv.key(pygame.K_ESCAPE)
    assert g.dialogs.popup is not None and g.dialogs.kind == "menu"
    drv.key(pygame.K_ESCAPE)
    # Nothing of a watched game is saved: not the autosave, not a save with console edits in it.
    from game.ui import storage

    drv.key(pygame.K_s, mod=pygame.KMOD_CTRL)
    assert not (storage.saves_dir() / "quicksave.json").exists() and "cannot be saved" in app.toast_text
    app.quit()
    assert not storage.autosave_path().exists()
    assert app.crashes == []


def test_a_file_edited_while_the_window_sleeps_is_reloaded(watched):
    """The loop sleeps when nothing moves; the watched file is still looked at."""
    drv, path = watched
    app = drv.app
    g = start(drv)
    for _ in range(200):
        if not app.busy():
            break
        drv.frames(1)
    wakeups = app.idle_wakeups
    write(path, RENAMED)
    end = time.monotonic() + 10
    while g.sc.move_by_id["strike"].name != "Down tools" and time.monotonic() < end:
        app.frame(wait=True)
    assert g.sc.move_by_id["strike"].name == "Down tools"
    assert app.idle_wakeups > wakeups or app.busy()


def test_watch_needs_a_scenario_file(capsys, tmp_path):
    from game.cli import main

    assert main(["play", "--watch"]) == 2
    assert "--watch needs a SCENARIO" in capsys.readouterr().err
    (tmp_path / "s.json").write_text("{}")
    assert main(["play", str(TEST_SCENARIO), "--watch", "--load", str(tmp_path / "s.json")]) == 2


def test_a_watched_game_that_ends_stays_on_the_board_so_the_console_can_go_back(watched):
    drv, path = watched
    app = drv.app
    g = start(drv)
    to_my_move(drv, g)
    drv.key(pygame.K_F12)
    command(drv, g, "set trade 0")
    command(drv, g, "set patience 5")
    drv.key(pygame.K_ESCAPE)  # the console closes; the board has the keys again
    for _ in range(20):
        if g.match.over:
            break
        clear_popups(drv, g)
        if not g.match.over:
            drv.key(pygame.K_RETURN, frames=3)
    assert g.match.over and g.match.session.outcome.ending == "rupture"
    drv.frames(5)
    assert app.screen is g and "Game over: Rupture" in app.toast_text
    drv.key(pygame.K_F12)
    command(drv, g, "jump 1")
    assert not g.match.over and g.match.state.turn == 1 and app.screen is g
    # At the end, Enter still shows the outcome.
    command(drv, g, "set trade 0")
    command(drv, g, "set patience 5")
    drv.key(pygame.K_ESCAPE)
    for _ in range(20):
        if g.match.over:
            break
        clear_popups(drv, g)
        if not g.match.over:
            drv.key(pygame.K_RETURN, frames=3)
    drv.frames(3)
    drv.key(pygame.K_RETURN, frames=3)
    assert app.screen.name == "end" and not app.screen.btn_save.is_enabled  # console edits: no replay
    assert app.crashes == []
