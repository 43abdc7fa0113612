"""Settings, applied at once and remembered: text size, contrast, full screen, animation speed."""

from __future__ import annotations

import pygame
import pygame_gui

from game.ui.nav import Pop
from game.ui.screens.base import Screen
from game.ui.screens.common import backdrop, button, button_height
from game.ui.settings import ANIMATION_LABELS, ANIMATION_SPEEDS, TEXT_SIZE_LABELS, TEXT_SIZES
from game.ui.text import Rich
from game.ui.widgets import panel

OPTIONS = (
    ("text_size", "Text size", [(k, TEXT_SIZE_LABELS[k]) for k in TEXT_SIZES],
     "Text also grows with the window"),
    ("high_contrast", "High contrast", [(False, "Off"), (True, "On")],
     "Black background, white text, yellow highlights, thicker borders"),
    ("fullscreen", "Full screen", [(False, "Off"), (True, "On")], "F11 toggles it anywhere"),
    ("animation", "Animation speed", [(k, ANIMATION_LABELS[k]) for k in ANIMATION_SPEEDS],
     "How long the computer's moves stay on screen (you can always skip them)"),
)


class SettingsScreen(Screen):
    name = "settings"

    def build(self) -> None:
        super().build()
        th = self.theme
        pad, bh = self.layout_metrics()
        self.rect = self.centred_panel(50, height=0)  # as tall as the options, set below
        x0 = self.rect.x + pad
        lab_w = th.body * 12
        y = self.rect.y + pad
        self.option_buttons: dict = {}
        self.rows_y = []
        ow_total = self.rect.w - 2 * pad - lab_w
        for key, name, values, hint in OPTIONS:
            self.rows_y.append((y, name, hint))
            n = len(values)
            w = (ow_total - (n - 1) * (pad // 2)) // n
            for i, (val, text) in enumerate(values):
                b = button(self.manager, (x0 + lab_w + i * (w + pad // 2), y, w, bh), text, "@option", hint)
                self.option_buttons[b] = (key, val)
            y += bh + th.small + pad
        self.preview_y = y
        self.rect.h = y - self.rect.y + th.body * 6
        self.back = self.back_button(self.rect.x)
        self._sync()

    def _sync(self) -> None:
        s = self.app.settings
        for b, (key, val) in self.option_buttons.items():
            (b.select if getattr(s, key) == val else b.unselect)()

    def handle(self, event) -> None:
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is self.back:
                self.app.navigate(Pop())
                return
            hit = self.option_buttons.get(event.ui_element)
            if hit is not None:
                self.set(*hit)
            return
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.app.navigate(Pop())

    def set(self, key: str, val) -> None:
        s = self.app.settings
        if getattr(s, key) == val:
            return
        if key == "fullscreen":
            self.app.set_fullscreen(val)
            return
        setattr(s, key, val)
        self.app.apply_settings()

    def draw(self, surf) -> None:
        th = self.theme
        surf.blit(backdrop(self.app), (0, 0))
        img = th.fonts.role("big").render("Settings", True, th.c["accent"])
        surf.blit(img, (self.rect.x, round(th.body * 1.4)))
        panel(surf, th, self.rect)
        bh = button_height(th)
        for y, name, hint in self.rows_y:
            t = th.fonts.role("bold").render(name, True, th.c["text"])
            surf.blit(t, (self.rect.x + self.pad, y + (bh - t.get_height()) // 2))
            h = th.fonts.role("small").render(hint, True, th.c["faint"])
            surf.blit(h, (self.rect.x + self.pad + th.body * 12, y + bh + 2))
        r = Rich(th)
        r.add("Preview: ", "dim", "small_bold")
        r.add("Minsk ", th.side(0), "bold")
        r.add("and ", "text")
        r.add("Moscow ", th.side(1), "bold")
        r.add("bargain over 28 programmes. ", "text")
        r.add("Sovereignty ", "dim", "small")
        r.add("▼−3", "bad", "small")
        r.add(", Economy ", "dim", "small")
        r.add("▲+4", "good", "small")
        r.add(". Мінск · Москва · ¶27 “I am all yours”", "dim", "small")
        img = r.render(self.rect.w - 2 * self.pad)
        surf.blit(img, (self.rect.x + self.pad, self.preview_y))
