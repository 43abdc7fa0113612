"""Demo mode: the computer plays itself through the real interface, every screen is visited, each
screenshot shows something, and the figures line is printed."""

import os
import re
import shutil
from pathlib import Path

import pygame
import pytest

from tests.conftest import TEST_SCENARIO

pytestmark = pytest.mark.timeout(180)

REQUIRED = ["01-title", "02-help", "03-settings", "04-picker", "05-briefing", "06-main", "08-event",
            "09-deal-table", "10-tab-1-moves", "10-tab-2-deal", "10-tab-3-programmes", "10-tab-4-military",
            "10-tab-5-crimea", "10-tab-6-log", "10-tab-7-sources", "13-end"]


def _not_blank(path: Path) -> bool:
    img = pygame.image.load(str(path))
    w, h = img.get_size()
    colours = set()
    lum = []
    for x in range(0, w, max(1, w // 48)):
        for y in range(0, h, max(1, h // 27)):
            c = img.get_at((x, y))
            colours.add((c.r // 8, c.g // 8, c.b // 8))
            lum.append(0.3 * c.r + 0.59 * c.g + 0.11 * c.b)
    mean = sum(lum) / len(lum)
    spread = (sum((v - mean) ** 2 for v in lum) / len(lum)) ** 0.5
    return len(colours) >= 12 and spread > 4


def test_the_demo_visits_every_screen_with_non_blank_screenshots(tmp_path, capsys):
    home = Path(os.environ["UNION_STATE_HOME"])
    (home / "scenarios").mkdir(parents=True, exist_ok=True)
    shutil.copy(TEST_SCENARIO, home / "scenarios" / "harbour.toml")
    from game.ui.demo import run_demo

    shots = tmp_path / "shots"
    assert run_demo("harbour-test", frames=500, screenshots=str(shots)) == 0
    out = capsys.readouterr().out
    assert re.search(r"^frames \d+  p50 [\d.]+ ms  p99 [\d.]+ ms  first frame [\d.]+ s  peak memory \d+ MB$",
                     out, re.M), out
    names = {p.stem for p in shots.glob("*.png")}
    missing = [n for n in REQUIRED if n not in names]
    assert not missing, f"screens not visited: {missing}"
    blank = [p.name for p in sorted(shots.glob("*.png")) if not _not_blank(p)]
    assert not blank, f"blank screenshots: {blank}"
    # The demo never touches the player's own autosave.
    assert not (home / "saves" / "autosave.json").exists()
    assert not (home / "settings.json").exists()


def test_the_demo_command_is_registered():
    from game.cli import build_parser

    args = build_parser().parse_args(["demo", "harbour-test", "--frames", "10", "--screenshots", "x"])
    assert args.frames == 10 and args.screenshots == "x"
    args = build_parser().parse_args(["play", "roadmap-2021", "--side", "moscow", "--difficulty", "hard",
                                      "--seed", "3", "--size", "1024x640", "--fullscreen"])
    assert args.size == (1024, 640) and args.side == "moscow" and args.fullscreen
