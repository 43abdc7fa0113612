"""The look: palettes, font sizes, the pygame_gui theme built from ``data/theme.json``, and fonts
for the parts of the screen the interface draws itself (map, meters, charts, rich text)."""

from __future__ import annotations

import copy
import json
import warnings
from pathlib import Path

import pygame

from game.data import data_dir

DATA = Path(__file__).resolve().parent / "data"
ASSETS = data_dir("assets")
FONT_REGULAR = ASSETS / "fonts" / "DejaVuSans.ttf"
FONT_BOLD = ASSETS / "fonts" / "DejaVuSans-Bold.ttf"

BASE_SIZES = {"small": 12, "medium": 14, "large": 16, "huge": 19}

_palettes: dict | None = None
_template: dict | None = None


def palettes() -> dict:
    global _palettes
    if _palettes is None:
        _palettes = json.loads((DATA / "palettes.json").read_text(encoding="utf-8"))
    return _palettes


def _colour(hex_: str) -> pygame.Color:
    return pygame.Color(hex_)


def scale_for(size: tuple[int, int]) -> float:
    """Text grows with the window: 1.0 at 1280x720, up to 1.45 at 1920x1080 and beyond."""
    w, h = size
    s = min(h / 720, w / 1280)
    return max(0.9, min(1.5, s))


class Theme:
    """Everything that depends on the settings' text size and contrast and on the window size."""

    def __init__(self, text_size: str = "medium", high_contrast: bool = False,
                 window: tuple[int, int] = (1280, 720)):
        self.text_size = text_size
        self.high_contrast = high_contrast
        self.scale = scale_for(window)
        base = BASE_SIZES.get(text_size, 14)
        body = round(base * self.scale)
        # Bigger text must still fit a small window: cap it by what 1024x640 can hold.
        self.body = max(11, body)
        self.small = max(10, round(self.body * 0.86))
        self.heading = round(self.body * 1.25)
        self.title = round(self.body * 2.6)
        self.big = round(self.body * 1.7)
        pal = palettes()["high_contrast" if high_contrast else "normal"]
        self.hex = dict(pal)
        self.c = {k: _colour(v) for k, v in pal.items() if not k.startswith("_")}
        self.fonts = Fonts(self)

    @property
    def key(self) -> tuple:
        return (self.text_size, self.high_contrast, self.body)

    def side(self, index: int) -> pygame.Color:
        return self.c["side0" if index == 0 else "side1"]

    def side_dim(self, index: int) -> pygame.Color:
        return self.c["side0_dim" if index == 0 else "side1_dim"]

    def gui_theme(self) -> dict:
        """The pygame_gui theme dictionary: data/theme.json with every $name filled in."""
        global _template
        if _template is None:
            _template = json.loads((DATA / "theme.json").read_text(encoding="utf-8"))
        subs = {f"${k}": v for k, v in self.hex.items()}
        subs.update({
            "$font": str(FONT_REGULAR), "$bold": str(FONT_BOLD),
            "$size_body": str(self.body), "$size_small": str(self.small),
            "$size_heading": str(self.heading), "$size_title": str(self.title),
            "$border_width": "2" if self.high_contrast else "1",
            "$shadow_width": "0" if self.high_contrast else "3",
            "$title_bar": str(round(self.body * 2.1)),
            "$tooltip_width": str(round(self.body * 24)),
        })

        def fill(x):
            if isinstance(x, dict):
                return {k: fill(v) for k, v in x.items() if not k.startswith("_")}
            if isinstance(x, str) and x.startswith("$"):
                return subs[x]
            return x
        return fill(copy.deepcopy(_template))

    def font_list(self) -> list[dict]:
        """Fonts the theme uses, for ``UIManager.preload_fonts``."""
        out = []
        for size in sorted({self.body, self.small, self.heading, self.title}):
            for style in ("regular", "bold"):
                out.append({"name": "dejavu", "point_size": size, "style": style})
        return out


def make_manager(theme: Theme, size: tuple[int, int]):
    import pygame_gui

    with warnings.catch_warnings():
        # pygame_gui warns when a theme font is preloaded twice; the theme already loads ours.
        warnings.simplefilter("ignore", UserWarning)
        manager = pygame_gui.UIManager(size, theme.gui_theme(), enable_live_theme_updates=False)
        manager.add_font_paths("dejavu", str(FONT_REGULAR), str(FONT_BOLD))
        manager.preload_fonts(theme.font_list())
        # The defaults pygame_gui falls back on for its own widgets (title bars' close glyph etc.).
        manager.preload_fonts([{"name": "noto_sans", "point_size": 14, "style": "bold"},
                               {"name": "noto_sans", "point_size": 14, "style": "regular"}])
    return manager


class Fonts:
    """pygame fonts for what the interface draws itself, cached by role, and an LRU cache of
    rendered strings: most labels repeat from frame to frame and turn to turn."""

    MAX_RENDERED = 1200

    def __init__(self, theme: Theme):
        self._cache: dict[tuple[int, bool], pygame.font.Font] = {}
        self._rendered: dict[tuple, pygame.Surface] = {}
        self.theme = theme

    def render(self, font: pygame.font.Font, text: str, colour) -> pygame.Surface:
        key = (id(font), text, tuple(pygame.Color(colour)))
        surf = self._rendered.get(key)
        if surf is None:
            surf = font.render(text, True, colour)
            if len(self._rendered) >= self.MAX_RENDERED:
                # drop the oldest quarter (dicts keep insertion order)
                for k in list(self._rendered)[: self.MAX_RENDERED // 4]:
                    del self._rendered[k]
            self._rendered[key] = surf
        return surf

    def get(self, size: int, bold: bool = False) -> pygame.font.Font:
        key = (size, bold)
        f = self._cache.get(key)
        if f is None:
            f = pygame.font.Font(str(FONT_BOLD if bold else FONT_REGULAR), size)
            self._cache[key] = f
        return f

    def role(self, role: str) -> pygame.font.Font:
        t = self.theme
        return {
            "body": lambda: self.get(t.body),
            "bold": lambda: self.get(t.body, True),
            "small": lambda: self.get(t.small),
            "small_bold": lambda: self.get(t.small, True),
            "heading": lambda: self.get(t.heading, True),
            "big": lambda: self.get(t.big, True),
            "title": lambda: self.get(t.title, True),
        }[role]()
