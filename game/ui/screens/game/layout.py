"""Where the main screen's parts go, for a theme and a window size."""

from __future__ import annotations

import attrs
import pygame


@attrs.frozen
class Layout:
    pad: int
    top: pygame.Rect      # the top bar
    left: pygame.Rect     # the meters
    centre: pygame.Rect   # the map over this turn's feed
    map: pygame.Rect
    feed: pygame.Rect
    right: pygame.Rect    # the decision panel


def layout(theme, size: tuple[int, int]) -> Layout:
    th = theme
    W, H = size
    pad = max(6, round(th.body * 0.55))
    top_h = round(th.body * 3.3)
    left_w = max(th.body * 16, round(W * 0.225))
    right_w = max(th.body * 25, round(W * 0.37))
    centre_w = W - left_w - right_w - 4 * pad
    if centre_w < th.body * 18:
        right_w -= th.body * 18 - centre_w
        centre_w = th.body * 18
    left = pygame.Rect(pad, top_h + pad, left_w, H - top_h - 2 * pad)
    centre = pygame.Rect(left.right + pad, top_h + pad, centre_w, H - top_h - 2 * pad)
    map_h = min(round(centre_w * 0.95), round(centre.h * 0.62))
    map_rect = pygame.Rect(centre.x, centre.y, centre_w, map_h)
    feed = pygame.Rect(centre.x, map_rect.bottom + pad, centre_w, centre.bottom - map_rect.bottom - pad)
    right = pygame.Rect(centre.right + pad, top_h + pad, W - centre.right - 2 * pad, H - top_h - 2 * pad)
    return Layout(pad, pygame.Rect(0, 0, W, top_h), left, centre, map_rect, feed, right)
