"""Text the interface draws itself: word wrapping and 'rich' paragraphs built from spans.

A ``Rich`` is built with ``add(text, colour, role)`` calls (no markup to escape: scenario text may
contain anything) and rendered once to a surface of a given width; callers cache the surface.
"""

from __future__ import annotations

import re

import pygame

from game.ui.theme import Theme

_TOKENS = re.compile(r"\S+\s*|\s+")
_WIDTHS: dict[int, tuple[pygame.font.Font, dict[str, int]]] = {}


def _widths(font: pygame.font.Font):
    """A cached measure of a font's words (summing word widths ignores kerning across a space,
    which is well under a pixel per word)."""
    entry = _WIDTHS.get(id(font))
    if entry is None or entry[0] is not font:
        entry = (font, {})
        _WIDTHS[id(font)] = entry
        if len(_WIDTHS) > 64:
            _WIDTHS.clear()
            _WIDTHS[id(font)] = entry
    cache = entry[1]

    def measure(s: str) -> int:
        w = cache.get(s)
        if w is None:
            w = font.size(s)[0]
            if len(cache) > 20000:
                cache.clear()
            cache[s] = w
        return w
    return measure


def ellipsize(font: pygame.font.Font, text: str, width: int) -> str:
    if width <= 0:
        return ""
    if font.size(text)[0] <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if font.size(text[:mid].rstrip() + "…")[0] <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…"


def wrap(font: pygame.font.Font, text: str, width: int) -> list[str]:
    """Lines of ``text`` no wider than ``width`` (a word longer than a line is cut)."""
    out: list[str] = []
    for para in text.split("\n"):
        words = para.split(" ")
        line = ""
        for w in words:
            cand = w if not line else line + " " + w
            if font.size(cand)[0] <= width:
                line = cand
                continue
            if line:
                out.append(line)
            while font.size(w)[0] > width and len(w) > 1:
                # hard-cut an over-long word
                k = len(w)
                while k > 1 and font.size(w[:k])[0] > width:
                    k -= 1
                out.append(w[:k])
                w = w[k:]
            line = w
        out.append(line)
    return out


class Rich:
    """Paragraphs of coloured, bold or small spans."""

    def __init__(self, theme: Theme):
        self.theme = theme
        self.items: list = []  # ("span", text, colour, role) | ("br",) | ("gap", px) | ("rule",)

    def add(self, text: str, colour: str | pygame.Color = "text", role: str = "body") -> Rich:
        if text:
            self.items.append(("span", text, colour, role))
        return self

    def line(self, text: str = "", colour="text", role="body") -> Rich:
        self.add(text, colour, role)
        self.items.append(("br",))
        return self

    def br(self) -> Rich:
        self.items.append(("br",))
        return self

    def gap(self, px: int | None = None) -> Rich:
        self.items.append(("gap", px if px is not None else self.theme.body // 2))
        return self

    def indent(self, px: int) -> Rich:
        """Lines that start after this begin ``px`` pixels in (0 to stop); for hanging text."""
        self.items.append(("indent", px))
        return self

    def rule(self) -> Rich:
        self.items.append(("rule",))
        return self

    def render(self, width: int, bg=None) -> pygame.Surface:
        """Lay the spans out in ``width`` pixels; the height is what they need."""
        th = self.theme
        fonts = th.fonts
        lines: list[list[tuple[pygame.Surface, int]]] = [[]]
        heights: list[int] = [0]
        extras: list = []  # (line index, kind, px)
        x = 0
        indent = 0

        def newline():
            nonlocal x
            lines.append([])
            heights.append(0)
            x = indent

        for it in self.items:
            if it[0] == "indent":
                indent = max(0, min(int(it[1]), width // 2))
                if not lines[-1]:
                    x = indent
                continue
            if it[0] == "br":
                if not lines[-1]:
                    heights[-1] = max(heights[-1], fonts.role("small").get_linesize() // 2)
                newline()
                continue
            if it[0] in ("gap", "rule"):
                # space goes before the line being built, or after it when it already has text
                idx = len(lines) - 1 if not lines[-1] else len(lines)
                if lines[-1]:
                    newline()
                extras.append((idx, it[0], it[1] if it[0] == "gap" else 0))
                continue
            _, text, colour, role = it
            font = fonts.role(role)
            col = th.c[colour] if isinstance(colour, str) else colour
            lh = font.get_linesize()
            widths = _widths(font)
            for n, chunk_line in enumerate(text.split("\n")):
                if n:
                    newline()
                buf, buf_x, buf_w = "", x, 0
                for token in _TOKENS.findall(chunk_line):
                    word = token.rstrip()
                    tw = widths(word) if word else 0
                    cur = buf_x + buf_w
                    # never start a line with a lone comma: let it hang a few pixels instead
                    hang = word in (",", ";", ".", ":", ")") and cur + tw <= width + 10
                    if cur > indent and cur + tw > width and not hang:
                        if buf.strip():
                            lines[-1].append((fonts.render(font, buf.rstrip(), col), buf_x))
                            heights[-1] = max(heights[-1], lh)
                        newline()
                        buf, buf_x, buf_w = "", indent, 0
                        if not word:
                            continue
                        token = token.lstrip()
                    if not buf and buf_x == indent and tw > width - indent:
                        pieces = wrap(font, word, width - indent)
                        for piece in pieces[:-1]:
                            lines[-1].append((fonts.render(font, piece, col), indent))
                            heights[-1] = max(heights[-1], lh)
                            newline()
                        token = pieces[-1] + token[len(word):]
                    buf += token
                    buf_w += widths(token)
                if buf:
                    if buf.strip():
                        lines[-1].append((fonts.render(font, buf, col), buf_x))
                        heights[-1] = max(heights[-1], lh)
                    x = buf_x + buf_w
                else:
                    x = buf_x
        gap_before: dict[int, int] = {}
        rules: set[int] = set()
        rule_h = th.body // 2 + 1
        for idx, kind, px in extras:
            if kind == "gap":
                gap_before[idx] = gap_before.get(idx, 0) + px
            else:
                rules.add(idx)
        # trailing empty lines add nothing
        while len(lines) > 1 and not lines[-1] and heights[-1] == 0 and (len(lines) - 1) not in rules:
            lines.pop()
            heights.pop()
        total = 0
        for i, h in enumerate(heights):
            total += gap_before.get(i, 0) + (rule_h if i in rules else 0) + h
        right = max((sx + s_.get_width() for row in lines for s_, sx in row), default=0)
        surf = pygame.Surface((max(1, width, min(right, width + 10)), max(1, total)), pygame.SRCALPHA)
        if bg is not None:
            surf.fill(bg)
        y = 0
        for i, row in enumerate(lines):
            y += gap_before.get(i, 0)
            if i in rules:
                pygame.draw.line(surf, th.c["border"], (0, y + rule_h // 2), (width, y + rule_h // 2))
                y += rule_h
            h = heights[i]
            for s_, sx in row:
                surf.blit(s_, (sx, y + (h - s_.get_height())))
            y += h
        return surf
