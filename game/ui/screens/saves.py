"""Load a saved game or watch a replay: the files in the user's data folder."""

from __future__ import annotations

from pathlib import Path

import pygame
import pygame_gui

from game.ui import storage
from game.ui.nav import Pop, open_save
from game.ui.screens.base import Screen
from game.ui.screens.common import Popup, backdrop, button
from game.ui.text import Rich
from game.ui.widgets import ListView, Row, panel


class SavesScreen(Screen):
    name = "saves"

    def __init__(self, app, mode: str = "load"):
        super().__init__(app)
        self.mode = mode  # "load" or "replay"
        self.files = []
        self.selected: Path | None = None
        self.popup = None
        self._scan()

    def _scan(self) -> None:
        files = storage.list_files(storage.saves_dir())
        if self.mode == "replay":
            files = storage.list_files(storage.replays_dir()) + files
        self.files = files
        ok = [f for f in files if not f.error]
        if self.selected not in [f.path for f in ok]:
            self.selected = ok[0].path if ok else None

    def build(self) -> None:
        super().build()
        th = self.theme
        _, H = self.size
        pad, bh = self.layout_metrics()
        self.rect = self.centred_panel(60)
        self.list = ListView(th, self.rect.inflate(-pad, -pad))
        self.back = self.back_button(self.rect.x)
        verb = "Watch ▸" if self.mode == "replay" else "Load ▸"
        self.go_btn = button(self.manager, (self.rect.right - th.body * 10, H - pad - bh, th.body * 10, bh), verb,
                             "@primary", "Enter")
        self.del_btn = button(self.manager, (self.rect.right - th.body * 19 - pad // 2, H - pad - bh, th.body * 9, bh),
                              "Delete", tooltip="Delete the selected file")
        self._fill()

    def _fill(self) -> None:
        th = self.theme
        w = self.list.inner_width - 8
        rows = []
        for f in self.files:
            r = Rich(th)
            name = "Autosave" if f.name == storage.AUTOSAVE else f.name
            r.add(name, "text" if not f.error else "disabled", "bold")
            if f.path.parent == storage.replays_dir():
                r.add("  replay", "accent", "small_bold")
            r.br()
            if f.error:
                r.add(f.error, "bad", "small")
            else:
                bits = [f.title, f"turn {f.turn}" + (" (finished)" if f.over else ""), f"{f.moves} moves"]
                if f.side:
                    bits.append({"both": "two players", "none": "watched"}.get(f.side, f"as {f.side}"))
                if f.saved_at:
                    bits.append(f.saved_at.replace("T", " "))
                r.add(" · ".join(bits), "dim", "small")
            rows.append(Row(f.path, r.render(w), enabled=not f.error))
        if not rows:
            r = Rich(th)
            r.line("Nothing here yet." if self.mode == "load" else "No replays yet.", "dim")
            r.add(f"Files live in {storage.saves_dir() if self.mode == 'load' else storage.replays_dir()}",
                  "faint", "small")
            rows.append(Row(None, r.render(w), header=True))
        self.list.set_rows(rows)
        self.list.selected = {self.selected} if self.selected else set()
        if self.selected is None:
            self.go_btn.disable()
            self.del_btn.disable()
        else:
            self.go_btn.enable()
            self.del_btn.enable()

    def handle(self, event) -> None:
        if self.popup_blocks(event):
            return
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is self.back:
                self.app.navigate(Pop())
            elif event.ui_element is self.go_btn:
                self.go()
            elif event.ui_element is self.del_btn:
                self.confirm_delete()
            return
        key = self.list.handle(event)
        if key is not None:
            if key == self.selected:
                self.go()
                return
            self.selected = key
            self.list.selected = {key}
            self._fill()
        if event.type == pygame.KEYDOWN:
            if event.key == pygame.K_ESCAPE:
                self.app.navigate(Pop())
            elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self.go()
            elif event.key in (pygame.K_DOWN, pygame.K_UP):
                ok = [f.path for f in self.files if not f.error]
                if ok:
                    i = ok.index(self.selected) if self.selected in ok else -1
                    i = min(len(ok) - 1, i + 1) if event.key == pygame.K_DOWN else max(0, i - 1)
                    self.selected = ok[i]
                    self._fill()

    def go(self) -> None:
        if self.selected is not None:
            nav = open_save(self.app, self.selected, replay=self.mode == "replay")
            if nav is not None:
                self.app.navigate(nav)

    def confirm_delete(self) -> None:
        if self.selected is None:
            return
        path = self.selected
        r = Rich(self.theme)
        r.line(f"Delete ‘{path.stem}’? This cannot be undone.", "text")

        def on_choice(key):
            self.popup = None
            if key == "delete":
                try:
                    path.unlink()
                    bak = path.with_name(path.name + ".bak")
                    if bak.exists():
                        bak.unlink()
                except OSError as exc:
                    self.app.toast(f"Could not delete: {exc.strerror or exc}")
                self.selected = None
                self._scan()
                self._fill()
        self.popup = Popup(self, "Delete", r, [("cancel", "Keep it", None, "Esc"), ("delete", "Delete", "@primary")],
                           on_choice, width=self.theme.body * 30, cancel="cancel")

    def draw(self, surf) -> None:
        th = self.theme
        surf.blit(backdrop(self.app), (0, 0))
        title = "Watch a replay" if self.mode == "replay" else "Load a saved game"
        img = th.fonts.role("big").render(title, True, th.c["accent"])
        surf.blit(img, (self.rect.x, round(th.body * 1.4)))
        panel(surf, th, self.rect)
        self.list.draw(surf)
