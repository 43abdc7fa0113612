"""A monkey at the keyboard: thousands of random clicks, keys, wheel turns and resizes, posted as
real events to the running interface. Nothing may raise and no crash report may be written."""

import os
import random
import shutil
from pathlib import Path

import pygame
import pytest

from tests.conftest import TEST_SCENARIO

pytestmark = pytest.mark.timeout(240)

KEYS = [pygame.K_RETURN, pygame.K_ESCAPE, pygame.K_TAB, pygame.K_SPACE, pygame.K_F1, pygame.K_1, pygame.K_2,
        pygame.K_3, pygame.K_5, pygame.K_9, pygame.K_UP, pygame.K_DOWN, pygame.K_PAGEDOWN, pygame.K_a,
        pygame.K_BACKSPACE, pygame.K_F11, pygame.K_s]
SIZES = [(1024, 640), (1280, 720), (1600, 900), (1920, 1080), (1100, 700)]


def _new_app():
    from game.ui.app import App
    from game.ui.screens.title import TitleScreen
    from game.ui.settings import Settings

    s = Settings.load()
    s.animation = random.choice(["instant", "fast"])
    app = App(size=(1280, 720), fullscreen=False, settings=s, wait_when_idle=False)
    app.push(TitleScreen(app))
    return app


def test_thousands_of_random_events_never_break_the_interface():
    home = Path(os.environ["UNION_STATE_HOME"])
    (home / "scenarios").mkdir(parents=True, exist_ok=True)
    shutil.copy(TEST_SCENARIO, home / "scenarios" / "harbour.toml")
    from game.ui.driver import Driver

    rng = random.Random(20211208)
    app = _new_app()
    d = Driver(app)
    crashes = []
    screens = set()
    restarts = 0
    posted = 0
    for i in range(1800):
        if not app.running:
            crashes += app.crashes
            app.shutdown()
            app = _new_app()
            d = Driver(app)
            restarts += 1
        W, H = app.window.get_size()
        r = rng.random()
        if r < 0.5:
            buttons = [el for el in app.manager.get_sprite_group().sprites()
                       if el.__class__.__name__ == "UIButton" and el.visible and el.is_enabled
                       and getattr(el, "text", "") not in ("Quit", "Quit Union State")]
            if buttons and rng.random() < 0.6:
                pos = rng.choice(buttons).rect.center
            else:
                pos = (rng.randrange(W), rng.randrange(H))
            d.click(pos, button=rng.choice([1, 1, 1, 3]), frames=0)
            posted += 3
        elif r < 0.8:
            mod = pygame.KMOD_CTRL if rng.random() < 0.1 else (pygame.KMOD_SHIFT if rng.random() < 0.1 else 0)
            d.key(rng.choice(KEYS), mod=mod, frames=i % 2, unicode="a")
            posted += 2
        elif r < 0.9:
            d.wheel((rng.randrange(W), rng.randrange(H)), rng.choice([-3, -1, 1, 3]))
            posted += 2
        elif r < 0.91:
            w, h = rng.choice(SIZES)
            pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=w, h=h, size=(w, h)))
            d.frames(1)
            posted += 1
        else:
            d.move((rng.randrange(W), rng.randrange(H)))
            d.frames(rng.choice([1, 3, 10]))
            posted += 1
        if app.screen is not None:
            screens.add(app.screen.name)
    crashes += app.crashes
    app.shutdown()
    assert not crashes, "\n\n".join(p.read_text() for p in crashes[:3])
    assert posted >= 3000
    assert {"title", "picker", "game"} <= screens
