"""Pieces several screens share: button helpers, modal pop-ups, the map backdrop, headings."""

from __future__ import annotations

from collections.abc import Callable

import pygame
import pygame_gui
from pygame_gui.core import ObjectID
from pygame_gui.elements import UIButton, UIImage, UILabel, UITextEntryLine, UIWindow

from game.ui.text import Rich, ellipsize
from game.ui.theme import Theme


def button(manager, rect, text: str, cls: str | None = None, tooltip: str | None = None,
           container=None, object_id: str | None = None) -> UIButton:
    """A themed button. Its tooltip is drawn by the app (``overlays.ButtonTip``), not by
    pygame_gui, whose tooltips build a text box each time (tens of milliseconds)."""
    oid = ObjectID(class_id=cls, object_id=object_id) if (cls or object_id) else None
    b = UIButton(pygame.Rect(rect), text, manager, container=container, object_id=oid)
    b.tip_text = tooltip or ""
    return b


def label(manager, rect, text: str, cls: str | None = None, container=None) -> UILabel:
    oid = ObjectID(class_id=cls) if cls else None
    return UILabel(pygame.Rect(rect), text, manager, container=container, object_id=oid)


def button_height(theme: Theme) -> int:
    return round(theme.body * 2.3)


def fit_label(theme: Theme, text: str, width: int, role: str = "body") -> str:
    return ellipsize(theme.fonts.role(role), text, width - 20)


def image(manager, rect, surf: pygame.Surface, container=None) -> UIImage:
    return UIImage(pygame.Rect(rect), surf, manager, container=container)


_dims: dict = {}


def _dim_surface(size: tuple[int, int], colour) -> pygame.Surface:
    """The veil behind a pop-up, premultiplied once per size and colour (doing it per pop-up
    costs several milliseconds at full HD)."""
    key = (size, tuple(colour))
    surf = _dims.get(key)
    if surf is None:
        surf = pygame.Surface(size, pygame.SRCALPHA)
        surf.fill(colour)
        surf = surf.premul_alpha()
        _dims.clear()
        _dims[key] = surf
    return surf


class Popup:
    """A blocking pop-up window: rich text and a row (or column) of buttons.

    ``buttons`` are (key, label, class, tooltip). ``on_choice(key)`` is called with the pressed
    button's key; number keys 1-9 press the matching button, Enter the default one, Esc the
    ``cancel`` one when there is one.
    """

    def __init__(self, screen, title: str, rich: Rich | None, buttons: list[tuple], on_choice: Callable,
                 width: int | None = None, default=None, cancel=None, vertical: bool | None = None,
                 opaque: bool = False, extra: tuple[int, Callable] | None = None):
        app = screen.app
        th = app.theme
        self.app = app
        self.on_choice = on_choice
        self.default = default
        self.cancel = cancel
        self.keys = [b[0] for b in buttons]
        W, H = app.window.get_size()
        width = min(width or th.body * 46, W - 40)
        pad = th.body
        inner = width - 2 * pad - 8
        if isinstance(rich, pygame.Surface):
            content = rich  # rendered beforehand (see ``inner_width``), to spread the work over frames
        else:
            content = rich.render(inner) if rich is not None else None
        bh = button_height(th)
        font = th.fonts.role("body")
        widths = [font.size(b[1])[0] + th.body * 2 for b in buttons]
        if vertical is None:
            vertical = sum(widths) + pad * (len(buttons) - 1) > inner
        btn_block = (len(buttons) * (bh + pad // 2) if vertical else bh + pad // 2) if buttons else 0
        title_h = round(th.body * 2.1)
        max_content = H - 80 - title_h - btn_block - 3 * pad
        ch = content.get_height() if content is not None else 0
        if content is not None and ch > max_content:
            clipped = pygame.Surface((content.get_width(), max(1, max_content)), pygame.SRCALPHA)
            clipped.blit(content, (0, 0))
            content = clipped
            ch = max_content
        extra_h = extra[0] + pad if extra is not None else 0
        height = title_h + pad + ch + pad + extra_h + btn_block + pad
        rect = pygame.Rect(0, 0, width, height)
        rect.center = (W // 2, H // 2)
        col = th.c["bg"] if opaque else th.c["dim_overlay"]
        self.dim = UIImage(pygame.Rect(0, 0, W, H), _dim_surface((W, H), col), app.manager,
                           image_is_alpha_premultiplied=True)
        self.window = UIWindow(rect, app.manager, window_display_title=title, draggable=False)
        self.window.set_blocking(True)
        cont = self.window
        y = pad // 2
        if content is not None:
            UIImage(pygame.Rect(pad, y, content.get_width(), content.get_height()), content, app.manager,
                    container=cont)
            y += ch + pad
        self.buttons: dict = {}
        self.typing = extra is not None  # a text field: digits and spaces are text, not shortcuts
        if extra is not None:
            extra[1](self, cont, pad, y, inner)
            y += extra_h
        if vertical:
            for i, b in enumerate(buttons):
                key, text, cls, tip = (tuple(b) + (None, None))[:4]
                txt = fit_label(th, text, inner)
                self.buttons[key] = button(app.manager, (pad, y, inner, bh), txt, cls, tip, container=cont)
                y += bh + pad // 2
        else:
            x = pad + inner
            for b, w in reversed(list(zip(buttons, widths))):
                key, text, cls, tip = (tuple(b) + (None, None))[:4]
                x -= w
                self.buttons[key] = button(app.manager, (x, y, w, bh), text, cls, tip, container=cont)
                x -= pad // 2
        self.alive = True

    @staticmethod
    def inner_width(app, width: int | None = None) -> int:
        """The width the content of a pop-up of ``width`` is laid out in."""
        th = app.theme
        W, _ = app.window.get_size()
        return min(width or th.body * 46, W - 40) - 2 * th.body - 8

    def handle(self, event) -> bool:
        """True when the pop-up used the event."""
        if not self.alive:
            return False
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            for key, b in self.buttons.items():
                if event.ui_element is b:
                    self._choose(key)
                    return True
            return False
        if event.type == pygame.KEYDOWN:
            if pygame.K_1 <= event.key <= pygame.K_9 and not self.typing:
                n = event.key - pygame.K_1
                if n < len(self.keys) and self.buttons[self.keys[n]].is_enabled:
                    self._choose(self.keys[n])
                return True
            enter = event.key in (pygame.K_RETURN, pygame.K_KP_ENTER)
            if (enter or (event.key == pygame.K_SPACE and not self.typing)) and self.default is not None:
                self._choose(self.default)
                return True
            if event.key == pygame.K_ESCAPE and self.cancel is not None:
                self._choose(self.cancel)
                return True
            return True
        return False

    def _choose(self, key) -> None:
        self.close()
        self.on_choice(key)

    def close(self) -> None:
        if self.alive:
            self.alive = False
            self.window.kill()
            if self.dim is not None:
                self.dim.kill()


def name_popup(screen, title: str, prompt: str, folder: str, default: str, on_save: Callable[[str], None]) -> Popup:
    """The "name this file" pop-up: ``prompt`` over ``folder`` (where the files are kept), a text
    field holding ``default``, Cancel and Save. Either button clears ``screen.popup``; Save then
    calls ``on_save`` with the name typed. The caller shows the returned pop-up."""
    th = screen.theme
    holder: dict = {}

    def extra(popup, cont, pad, y, inner):
        e = UITextEntryLine(pygame.Rect(pad, y, inner, button_height(th)), screen.manager, container=cont)
        e.set_text(default)
        e.focus()
        holder["entry"] = e
    r = Rich(th)
    r.line(prompt, "text", "small")
    r.add(folder, "faint", "small")

    def on_choice(key):
        screen.popup = None
        if key == "save":
            on_save(holder["entry"].get_text() if "entry" in holder else default)
    return Popup(screen, title, r, [("cancel", "Cancel", None, "Esc"), ("save", "Save", "@primary", "Enter")],
                 on_choice, width=th.body * 32, default="save", cancel="cancel",
                 extra=(button_height(th), extra))


_backdrops: dict = {}


def backdrop(app, scenario=None) -> pygame.Surface:
    """The title screens' background: the map, darkened, cached per size and theme."""
    from game.scenario import DEFAULT_SCENARIO, ScenarioError, find_scenario
    from game.ui.mapview import MapView, scenario_frame

    size = app.window.get_size()
    key = (size, app.theme.key, id(scenario))
    surf = _backdrops.get(key)
    if surf is not None:
        return surf
    if scenario is None:
        try:
            scenario = find_scenario(DEFAULT_SCENARIO)
        except ScenarioError:
            scenario = None
    surf = pygame.Surface(size)
    surf.fill(app.theme.c["bg"])
    if scenario is not None:
        # A window is wider than the map panel: let it show a third more than the scenario's frame
        # on each axis, zooming in to fill the window rather than showing far-off countries.
        lon0, lat0, lon1, lat1 = scenario_frame(scenario)
        dx, dy = (lon1 - lon0) / 6, (lat1 - lat0) / 6
        mv = MapView(app.theme, scenario, pygame.Rect(0, 0, *size), credit=False, labels=False,
                     bounds=(lon0 - dx, lat0 - dy, lon1 + dx, lat1 + dy))
        surf.blit(mv.base(), (0, 0))
    shade = pygame.Surface(size, pygame.SRCALPHA)
    bg = app.theme.c["bg"]
    w = size[0]
    for x in range(0, w, 4):
        # darker on the left where the menu sits
        a = int(235 - 120 * (x / w))
        pygame.draw.rect(shade, (bg.r, bg.g, bg.b, a), (x, 0, 4, size[1]))
    surf.blit(shade, (0, 0))
    _backdrops.clear()
    _backdrops[key] = surf
    return surf


def heading(surf: pygame.Surface, theme: Theme, text: str, pos: tuple[int, int], role: str = "heading",
            colour: str = "text") -> pygame.Rect:
    img = theme.fonts.role(role).render(text, True, theme.c[colour])
    return surf.blit(img, pos)
