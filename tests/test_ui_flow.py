"""The interface driven end to end with posted mouse clicks and key presses (SDL dummy driver):
title, picker, briefing, a deal, a unilateral move, save, load, the end screen and a replay."""


import pygame
import pytest

from game.engine import ACT, ANSWER, ANSWER_COUNTER, PROPOSE
from tests.conftest import TEST_SCENARIO, open_app, title_driver

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def app():
    a = open_app(TEST_SCENARIO)
    yield a
    a.shutdown()


@pytest.fixture
def drv(app):
    return title_driver(app)


def settle(drv, limit=3000):
    """Run until a human decision is due, pressing Continue on pop-ups that only inform."""
    app = drv.app
    for _ in range(limit):
        g = app.screen
        if g.name != "game":
            return
        if g.dialogs.factory is not None:
            drv.frames(1)
            continue
        if g.dialogs.popup is not None:
            if g.dialogs.kind.startswith("event:") and not g.match.human_to_move():
                drv.key(pygame.K_RETURN, frames=1)
                continue
            if g.dialogs.kind.startswith("event:") and g.match.state.phase != "choose":
                drv.key(pygame.K_RETURN, frames=1)
                continue
            if g.dialogs.kind == "curtain":
                drv.key(pygame.K_RETURN, frames=1)
                continue
            return
        if g.match.over or (g.match.human_to_move() and not g.announcements.busy and not g.stale):
            return
        drv.frames(1)
    raise AssertionError("the game never came back to the player")


def start_harbour_game(drv, seed=11):
    from game.session import Session

    app = drv.app
    drv.click_element(drv.button("New game"))
    picker = app.screen
    assert picker.name == "picker"
    idx = next(i for i, (_, s) in enumerate(picker.entries) if not isinstance(s, str) and s.id == "harbour-test")
    drv.click(picker.list.row_rect(idx).center)
    assert picker.scenario.id == "harbour-test"
    drv.click_element(picker.side_buttons["port"])
    drv.click_element(picker.diff_buttons["easy"])
    assert picker.side == "port" and picker.difficulty == "easy"
    from game.ai import DIFFICULTY_TEXT

    assert picker.difficulty_note() == DIFFICULTY_TEXT["easy"]  # said beside the buttons
    drv.click_element(picker.start, frames=3)
    brief = app.screen
    assert brief.name == "briefing"
    brief.sess = Session(brief.sess.scenario, seed)  # a fixed game, chosen through the real screens
    drv.key(pygame.K_RETURN, frames=3)
    g = app.screen
    assert g.name == "game" and g.match.humans == {"port"}
    return g


def click_row(drv, g, key):
    rect = g.decision.content.row_rect(key)
    assert rect is not None, f"no row {key} in the {g.decision.tab} panel"
    drv.frames(1)
    rect = g.decision.content.row_rect(key)
    drv.click((rect.x + rect.w // 2, rect.y + 10))


def play_to_end(drv, limit=400):
    app = drv.app
    for _ in range(limit):
        if app.screen.name != "game":
            return
        settle(drv)
        g = app.screen
        if g.name != "game":
            return
        if g.dialogs.popup is not None:
            drv.key(pygame.K_1, frames=2)
        else:
            drv.key(pygame.K_RETURN, frames=2)
    raise AssertionError("the game did not end")


def test_a_whole_game_from_the_title_screen_with_a_deal_a_move_save_load_and_replay(drv):
    app = drv.app
    g = start_harbour_game(drv)
    settle(drv)
    st = g.match.state
    assert st.phase == PROPOSE and st.actor_id == "port"
    assert g.decision.tab == "deal"  # the deal table opens itself when it is time to bargain
    # Pick one term from each side, see the projection, send it.
    click_row(drv, g, "grant")
    click_row(drv, g, "raise:customs")
    assert g.decision.terms == ["grant", "raise:customs"]
    drv.frames(3)
    detail = g.decision.detail.surface  # the deal's projection, rendered by the detail box
    assert detail is not None and detail.get_height() > 20
    assert drv.button("Propose deal (2)") is not None
    drv.key(pygame.K_RETURN, frames=3)
    proposed = [m for m in g.match.session.moves if m.kind == "propose"]
    assert proposed and set(proposed[0].terms) == {"grant", "raise:customs"}
    # Wait for the answer, answer any counter, then take a unilateral move.
    for _ in range(6):
        settle(drv)
        st = g.match.state
        if st.phase == ACT and st.actor_id == "port":
            break
        if st.phase in (ANSWER, ANSWER_COUNTER):
            drv.click_element(g.decision.actions.btn_second)  # reject
        elif g.dialogs.popup is not None:
            drv.key(pygame.K_1, frames=2)
    assert g.match.state.phase == ACT
    assert g.decision.tab == "moves"
    info = next(i for i in g.decision.move_infos(g.match, g.viewer) if i.enabled)
    click_row(drv, g, info.move.ref)
    assert g.decision.sel_move == info.move.ref
    assert drv.button("Take:") is not None
    drv.key(pygame.K_RETURN, frames=3)
    assert any(m.kind == "unilateral" and m.ref == info.move.ref for m in g.match.session.moves)
    settle(drv)
    while g.dialogs.popup is not None:  # an event asking for a response: take the first
        drv.key(pygame.K_1, frames=2)
        settle(drv)
    # Save with Ctrl+S, go back to the title through the menu, load it again.
    n_moves = len(g.match.session.moves)
    drv.key(pygame.K_s, mod=pygame.KMOD_CTRL)
    from game.ui import storage

    assert (storage.saves_dir() / "quicksave.json").exists()
    drv.key(pygame.K_ESCAPE)
    assert g.dialogs.popup is not None and g.dialogs.kind == "menu"
    drv.click_element(g.dialogs.popup.buttons["title"], frames=3)
    assert app.screen.name == "title"
    assert storage.autosave_path().exists()
    drv.click_element(drv.button("Load a saved game"), frames=3)
    saves_screen = app.screen
    assert saves_screen.name == "saves"
    rect = saves_screen.list.row_rect(storage.saves_dir() / "quicksave.json")
    drv.click(rect.center)
    drv.click_element(saves_screen.go_btn, frames=3)
    g2 = app.screen
    assert g2.name == "game" and len(g2.match.session.moves) == n_moves
    # Play on to the end by pressing Enter (pass, no deal, accept) and 1 in pop-ups.
    play_to_end(drv)
    end = app.screen
    assert end.name == "end" and end.outcome is not None
    outcome = end.outcome
    drv.click_element(end.btn_save, frames=2)
    assert end.popup is not None
    drv.key(pygame.K_RETURN, frames=2)
    replays = list(storage.replays_dir().glob("*.json"))
    assert len(replays) == 1
    # Watch it from the title screen: the same ending comes out.
    drv.click_element(end.btn_title, frames=3)
    drv.click_element(drv.button("Watch a replay"), frames=3)
    sc = app.screen
    assert sc.name == "saves" and sc.mode == "replay"
    drv.click(sc.list.row_rect(replays[0]).center)
    drv.click_element(sc.go_btn, frames=3)
    r = app.screen
    assert r.name == "game" and r.match.replay is not None
    assert drv.until(lambda: app.screen.name == "end", limit=6000)
    assert app.screen.outcome.ending == outcome.ending
    assert app.crashes == []


def test_the_keyboard_reaches_every_panel_and_the_menu(drv):
    app = drv.app
    g = start_harbour_game(drv, seed=5)
    settle(drv)

    tabs = [k for k, _, _ in g.decision.tabs]
    seen = [g.decision.tab]
    for _ in tabs:
        drv.key(pygame.K_TAB)
        seen.append(g.decision.tab)
    assert set(seen) == set(tabs)
    drv.key(pygame.K_TAB, mod=pygame.KMOD_SHIFT)
    assert g.decision.tab == tabs[-1] if seen[-1] == tabs[0] else True
    # Number keys pick moves in the Moves panel
    while g.decision.tab != "moves":
        drv.key(pygame.K_TAB)
    drv.key(pygame.K_1)
    first = next(i for i in g.decision.move_infos(g.match, g.viewer) if i.enabled)
    assert g.decision.sel_move == first.move.ref
    drv.key(pygame.K_F1, frames=2)
    assert app.screen.name == "help"
    drv.key(pygame.K_ESCAPE, frames=2)
    assert app.screen is g
    drv.key(pygame.K_ESCAPE)
    assert g.dialogs.popup is not None and g.dialogs.kind == "menu"
    drv.key(pygame.K_ESCAPE)
    assert g.dialogs.popup is None
    before = app.settings.fullscreen
    drv.key(pygame.K_F11, frames=2)
    assert app.settings.fullscreen != before
    drv.key(pygame.K_F11, frames=2)
    assert app.settings.fullscreen == before
    assert app.crashes == []


def test_a_crash_during_a_frame_shows_the_error_screen_and_keeps_the_game(drv, monkeypatch):
    app = drv.app
    g = start_harbour_game(drv, seed=2)
    settle(drv)
    n = len(g.match.session.moves)
    from game.ui.screens.game import GameScreen

    original = GameScreen.draw

    def boom(self, surf):
        raise RuntimeError("a bug in drawing")
    monkeypatch.setattr(GameScreen, "draw", boom)
    drv.frames(2)
    monkeypatch.setattr(GameScreen, "draw", original)
    assert app.screen.name == "error"
    from game.ui import storage

    assert app.crashes and app.crashes[0].parent == storage.saves_dir()
    assert "a bug in drawing" in app.crashes[0].read_text()
    assert storage.autosave_path().exists()
    drv.click_element(app.screen.btn_continue, frames=3)
    assert app.screen.name == "game"
    assert len(app.screen.match.session.moves) == n


def test_the_play_command_reports_a_bad_save_without_opening_a_window(tmp_path, capsys):
    from game.cli import main

    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert main(["play", "--load", str(bad)]) == 1
    assert "damaged" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["play", "--size", "10x10"])
    assert exc.value.code == 2


def test_the_window_keeps_drawing_while_the_computer_thinks(drv, monkeypatch):
    """A slow policy (half a second a move) must not freeze the window: frames go on, quickly,
    with the thinking indicator up."""
    import time

    app = drv.app
    g = start_harbour_game(drv, seed=8)
    settle(drv)

    class Slow:
        name = "slow"

        def __init__(self, inner):
            self.inner = inner

        def choose(self, view, legal, rng):
            time.sleep(0.5)
            return self.inner.choose(view, legal, rng)
    for actor, pol in list(g.match.policies.items()):
        g.match.policies[actor] = Slow(pol)
    # hand the turn to the computer: skip the deal and end the turn
    for _ in range(4):
        if g.match.computer_to_move():
            break
        if g.dialogs.popup is not None:
            drv.key(pygame.K_1, frames=2)
        else:
            drv.key(pygame.K_RETURN, frames=2)
        drv.frames(2)
    assert drv.until(lambda: g.match.thinking, 200)
    t0 = time.perf_counter()
    n0 = len(app.frame_times)
    seen_indicator = False
    while g.match.thinking and time.perf_counter() - t0 < 3:
        drv.frames(1)
        if g.match.thinking:
            seen_indicator |= "thinking" in g.decision.actions.btn_primary.text
    assert seen_indicator
    frames = [t for _, t in app.frame_times[n0:]]
    assert len(frames) >= 10
    assert max(frames) < 0.25


def test_two_players_share_the_screen_behind_a_curtain_and_watching_needs_no_hands(app):
    from game.scenario import load_scenario
    from game.session import Session
    from game.ui.driver import Driver
    from game.ui.match import Match
    from game.ui.screens.game import GameScreen

    sc = load_scenario(TEST_SCENARIO)
    d = Driver(app)
    g = GameScreen(app, Match(Session(sc, 3), set(sc.players), "normal"), "both", "normal")
    app.push(g)
    curtains = set()
    for _ in range(60):
        d.frames(2)
        if g.dialogs.popup is not None and g.dialogs.kind == "curtain":
            d.key(pygame.K_RETURN, frames=2)
            curtains.add(g.viewer)
        elif g.dialogs.popup is not None:
            d.key(pygame.K_1, frames=2)
        elif g.match.human_to_move():
            d.key(pygame.K_RETURN, frames=2)
        if len(curtains) == 2:
            break
    assert curtains == set(sc.players)
    # Watching: the computer plays both sides to the end with nobody at the keys.
    w = GameScreen(app, Match(Session(sc, 4), set(), "easy"), "none", "easy")
    app.replace(w)
    assert d.until(lambda: app.screen.name == "end", limit=20000)
    assert app.crashes == []


def test_the_menu_saves_under_a_typed_name_with_digits_and_spaces(drv):
    app = drv.app
    g = start_harbour_game(drv, seed=9)
    settle(drv)
    drv.key(pygame.K_ESCAPE)
    drv.click_element(g.dialogs.popup.buttons["save"], frames=3)
    assert g.dialogs.kind == "save"
    entry = next(el for el in app.manager.get_sprite_group().sprites()
                 if el.__class__.__name__ == "UITextEntryLine")
    entry.set_text("")
    drv.click_element(entry)
    drv.type_text("Game 2 of 3")
    for ch in "23":  # digits typed as keys must not press the pop-up's buttons
        drv.key(getattr(pygame, f"K_{ch}"), unicode=ch)
    assert g.dialogs.kind == "save" and g.dialogs.popup is not None
    drv.key(pygame.K_RETURN, frames=3)
    from game.ui import storage

    assert (storage.saves_dir() / "Game-2-of-3.json").exists(), list(storage.saves_dir().iterdir())
    assert g.slot == "Game-2-of-3"


def test_the_picker_offers_four_levels_and_the_expert_thinks_in_its_own_process(drv):
    """Four difficulty buttons side by side within the options panel; Expert is a searching
    player, which the game gives a process of its own so the window never waits on it."""
    app = drv.app
    drv.click_element(drv.button("New game"))
    picker = app.screen
    idx = next(i for i, (_, s) in enumerate(picker.entries) if not isinstance(s, str) and s.id == "harbour-test")
    drv.click(picker.list.row_rect(idx).center)
    buttons = [picker.diff_buttons[k] for k in ("easy", "normal", "hard", "expert")]
    rects = [b.get_abs_rect() for b in buttons]
    assert all(a.right < b.left for a, b in zip(rects, rects[1:]))  # in a row, none overlapping
    assert all(picker.opt_rect.contains(r) for r in rects)
    drv.click_element(picker.side_buttons["port"])
    drv.click_element(picker.diff_buttons["expert"])
    from game.ai import DIFFICULTY_TEXT

    assert picker.difficulty == "expert" and picker.difficulty_note() == DIFFICULTY_TEXT["expert"]
    drv.click_element(picker.start, frames=3)
    drv.key(pygame.K_RETURN, frames=3)
    g = app.screen
    assert g.name == "game" and g.match.difficulty == "expert"
    assert g.match.thinker.in_process
