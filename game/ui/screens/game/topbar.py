"""The bar across the top of the main screen: the scenario and the date, who holds the initiative,
what is asked of the player now, and the Help and Menu buttons."""

from __future__ import annotations

import pygame
import pygame_gui

from game.ui import explain
from game.ui.nav import Push
from game.ui.screens.common import button, button_height
from game.ui.screens.game.intents import Go, OpenMenu
from game.ui.text import ellipsize
from game.ui.widgets import spinner


class TopBar:
    def build(self, manager, theme, rect: pygame.Rect, pad: int) -> None:
        self.theme = theme
        self.rect = rect
        self.pad = pad
        W = rect.w
        bh = button_height(theme)
        bw = theme.body * 6
        y = (rect.h - bh) // 2
        self.btn_help = button(manager, (W - pad - bw, y, bw, bh), "Help", tooltip="Keys and rules (F1)")
        self.btn_menu = button(manager, (W - 2 * pad - 2 * bw, y, bw, bh), "Menu",
                               tooltip="Save, load, settings, quit (Esc)")

    def handle(self, event):
        """An intent for a press of Help or Menu, else None."""
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is self.btn_menu:
                return OpenMenu()
            if event.ui_element is self.btn_help:
                return Go(Push("help"))
        return None

    def key(self, event):
        """The buttons' keys: Esc opens the menu, F1 the help."""
        if event.key == pygame.K_ESCAPE:
            return OpenMenu()
        if event.key == pygame.K_F1:
            return Go(Push("help"))
        return None

    def draw(self, surf: pygame.Surface, match, now: float) -> None:
        th = self.theme
        c = th.c
        st = match.session.state
        sc = match.scenario
        top = self.rect
        pygame.draw.rect(surf, c["panel"], top)
        pygame.draw.line(surf, c["border"], (0, top.bottom - 1), (top.w, top.bottom - 1))
        pad = self.pad
        f_b = th.fonts.role("bold")
        f_s = th.fonts.role("small")
        t1 = th.fonts.render(f_b, sc.title, c["accent"])
        surf.blit(t1, (pad * 2, top.centery - t1.get_height() + 1))
        turn_txt = f"Turn {min(st.turn, sc.turns)} of {sc.turns} · {sc.date_label(st.turn)}"
        t2 = th.fonts.render(f_s, turn_txt, c["dim"])
        surf.blit(t2, (pad * 2, top.centery + 2))
        left_end = pad * 2 + max(t1.get_width(), t2.get_width()) + pad * 2
        # initiative chip
        ini = st.initiative
        chip_txt = f"Initiative: {sc.actor(ini).name}"
        chip_col = c["accent_text"] if not th.high_contrast else c["bg"]
        chip = th.fonts.render(th.fonts.role("small_bold"), chip_txt, chip_col)
        cr = chip.get_rect()
        cr.inflate_ip(th.body, th.body // 2)
        right_end = self.btn_menu.rect.x - pad
        cr.midright = (right_end, top.centery)
        pygame.draw.rect(surf, th.side(ini), cr, border_radius=cr.h // 2)
        surf.blit(chip, chip.get_rect(center=cr.center))
        # the prompt
        m = match
        human = m.human_to_move()
        watch = not m.humans
        if watch and m.replay is not None:
            prefix = "Replay · "
        elif watch:
            prefix = "Watching · "
        else:
            prefix = ""
        if m.over:
            prompt = "The game is over"
        else:
            prompt = prefix + explain.phase_prompt(st, human)
            if human and len(m.humans) > 1:
                prompt = f"{sc.actor(st.actor).name}: " + prompt
        avail = cr.x - left_end - pad * 2
        f_h = th.fonts.role("heading")
        spin = m.thinking or (m.computer_to_move() and not m.over)
        dots = "…" if spin and not prompt.endswith("…") else ""
        ptxt = ellipsize(f_h, prompt + dots, avail - (th.body * 2 if spin else 0))
        pimg = th.fonts.render(f_h, ptxt, c["text"] if human else c["dim"])
        px = left_end + (avail - pimg.get_width()) // 2 + (th.body if spin else 0)
        surf.blit(pimg, (px, top.centery - pimg.get_height() // 2))
        if spin:
            spinner(surf, th, (px - th.body, top.centery), max(5, th.body // 2), now)
