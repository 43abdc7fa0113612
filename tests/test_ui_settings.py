"""Every setting applies at once and survives a restart; every screen lays out cleanly at the
supported window sizes and text sizes; resizing the window rebuilds the layout."""

import json
import os
import shutil
from pathlib import Path

import pygame
import pytest

from tests.conftest import TEST_SCENARIO

pytestmark = pytest.mark.timeout(180)


def _app(size=(1280, 720), **kw):
    from game.ui.app import App
    from game.ui.settings import Settings

    s = Settings.load()
    for k, v in kw.items():
        setattr(s, k, v)
    return App(size=size, fullscreen=False, settings=s, wait_when_idle=False)


@pytest.fixture
def home():
    h = Path(os.environ["UNION_STATE_HOME"])
    (h / "scenarios").mkdir(parents=True, exist_ok=True)
    shutil.copy(TEST_SCENARIO, h / "scenarios" / "harbour.toml")
    return h


def test_every_setting_applies_at_once_and_is_remembered(home):
    from game.ui.driver import Driver
    from game.ui.screens.title import TitleScreen

    app = _app()
    app.push(TitleScreen(app))
    d = Driver(app)
    d.frames(2)
    d.click_element(d.button("Settings"), frames=2)
    scr = app.screen
    assert scr.name == "settings"

    def press(key, val):
        for b, kv in app.screen.option_buttons.items():
            if kv == (key, val):
                d.click_element(b, frames=2)
                return
        raise AssertionError((key, val))

    sizes = []
    for ts in ("small", "medium", "large", "huge"):
        press("text_size", ts)
        assert app.settings.text_size == ts
        sizes.append(app.theme.body)
    assert sizes == sorted(sizes) and len(set(sizes)) == 4
    press("high_contrast", True)
    assert app.theme.high_contrast and tuple(app.theme.c["bg"])[:3] == (0, 0, 0)
    assert tuple(app.window.get_at((2, 2)))[:3] == (0, 0, 0)
    press("animation", "slow")
    assert app.settings.announce_seconds > 3
    press("fullscreen", True)
    assert app.settings.fullscreen
    press("fullscreen", False)
    assert not app.settings.fullscreen
    doc = json.loads((home / "settings.json").read_text())
    assert doc["text_size"] == "huge" and doc["high_contrast"] is True and doc["animation"] == "slow"
    app.shutdown()
    again = _app()
    assert again.settings.text_size == "huge" and again.theme.high_contrast
    again.shutdown()


def _walk_screens(app, d):
    """Title, picker, briefing, the main screen with every tab and a pop-up, help, settings, end."""
    from game.ui.screens.title import TitleScreen

    seen = {}
    app.replace(TitleScreen(app))
    d.frames(2)
    seen["title"] = app.screen.name
    yield "title"
    d.click_element(d.button("New game"), frames=2)
    yield "picker"
    d.click_element(app.screen.start, frames=2)
    yield "briefing"
    d.key(pygame.K_RETURN, frames=3)
    g = app.screen
    d.until(lambda: g.dialogs.popup is not None or (g.match.human_to_move() and not g.modal), 500)
    yield "game-popup" if g.dialogs.popup is not None else "game"
    while g.modal:
        d.frames(1)
        if g.dialogs.popup is not None:
            d.key(pygame.K_1, frames=2)
        d.until(lambda: g.dialogs.popup is not None
                or (g.match.human_to_move() and not g.announcements.queue and not g.modal), 500)
    for key, _, _ in g.decision.tabs:
        d.click_element(g.decision.tab_buttons[key], frames=2)
        yield f"game-{key}"
    d.key(pygame.K_ESCAPE, frames=2)
    yield "game-menu"
    d.key(pygame.K_ESCAPE, frames=2)
    d.key(pygame.K_F1, frames=2)
    yield "help"
    d.key(pygame.K_ESCAPE, frames=2)
    from game.ui.screens.end import EndScreen

    app.replace(EndScreen(app, g.match, g.side, g.difficulty))
    d.frames(2)
    yield "end"


@pytest.mark.parametrize("size,text", [((1024, 640), "medium"), ((1024, 640), "huge"), ((1280, 720), "large"),
                                       ((1920, 1080), "medium"), ((1920, 1080), "huge")])
def test_every_screen_fits_the_window_at_supported_sizes(home, size, text):
    from game.ui.driver import Driver, layout_problems

    app = _app(size=size, text_size=text, side="port")
    d = Driver(app)
    problems = []
    for where in _walk_screens(app, d):
        assert app.window.get_size() == size
        problems += [f"{where}: {p}" for p in layout_problems(app)]
    app.shutdown()
    assert not problems, "\n".join(problems)


def test_resizing_the_window_rebuilds_the_main_screen(home):
    from game.ui.driver import Driver, layout_problems

    app = _app(side="port")
    d = Driver(app)
    walk = _walk_screens(app, d)
    for where in walk:
        if where.startswith("game"):
            break
    g = app.screen
    for size in ((1024, 640), (1920, 1080), (1280, 720)):
        pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=size[0], h=size[1], size=size))
        d.frames(1)  # the resize waits for the window to settle (a few hundredths of a second)
        d.until(lambda: app.window.get_size() == size and app._pending_size is None, 5000)
        assert app.window.get_size() == size
        assert app.screen is g and g.r_right.right <= size[0] and g.r_left.bottom <= size[1]
        assert not layout_problems(app)
    assert app.settings.window == (1280, 720)
    app.shutdown()
