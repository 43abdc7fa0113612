"""The map: Natural Earth outlines from ``assets/map/outlines.json``, the scenario's places, and
markers that light up where this turn's events happened.

The outlines are drawn once per size and theme into a cached surface (equirectangular, scaled by
the cosine of the middle latitude), clipped to the data's box; markers are drawn over it.
"""

from __future__ import annotations

import math

import pygame

from game.scenario import Scenario
from game.scenario.mapdata import outlines
from game.ui.theme import Theme

COUNTRY_LABELS = {"BLR": "BELARUS", "RUS": "RUSSIA", "UKR": "UKRAINE", "POL": "POLAND",
                  "LTU": "LITH.", "LVA": "LATVIA", "EST": "ESTONIA", "NOR": "NORWAY", "SWE": "SWEDEN",
                  "FIN": "FINLAND", "DEU": "GERMANY", "TUR": "TURKEY", "GEO": "GEORGIA"}
# Where to print country names (lon, lat), clear of the cities. (Those first drawn on the road map's
# frame stay where they were; the others lie outside it, so the shipped scenarios look as before.)
LABEL_AT = {"BLR": (28.2, 52.6), "RUS": (38.6, 53.2), "UKR": (31.6, 48.9), "POL": (21.8, 51.6),
            "LTU": (23.9, 55.3), "LVA": (25.4, 56.75), "EST": (25.8, 58.7), "NOR": (9.0, 61.4),
            "SWE": (15.3, 62.6), "FIN": (26.8, 63.2), "DEU": (10.3, 51.3), "TUR": (34.5, 39.2),
            "GEO": (43.4, 42.3)}
# A fitted frame: this much margin around the places, and at least this span (degrees).
FIT_MARGIN = 0.3
FIT_MIN_LON, FIT_MIN_LAT = 12.0, 9.0


def provenance() -> str:
    return "Map: Natural Earth 1:110m (public domain)"


def _inside(lon: float, lat: float, ring: list) -> bool:
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / ((yj - yi) or 1e-12) + xi:
            inside = not inside
        j = i
    return inside


def country_at(lon: float, lat: float) -> str | None:
    for iso, c in outlines()["countries"].items():
        for ring in c["polygons"]:
            if _inside(lon, lat, ring):
                return iso
    return None


def scenario_places(sc: Scenario) -> dict[str, tuple[str, float, float]]:
    """Place id -> (label, lon, lat): the map's named places, overridden by the scenario's own."""
    out: dict[str, tuple[str, float, float]] = {}
    for pid, p in outlines()["places"].items():
        out[pid] = (p["name"], p["lon"], p["lat"])
    for pid, p in sc.raw.places.items():
        out[pid] = (p.label or p.name, p.lon, p.lat)
    return out


def used_places(sc: Scenario) -> list[str]:
    """The places worth a label: those `[map] places` lists (else the scenario's own places), then
    any a move or event lights up."""
    places = scenario_places(sc)
    mp = sc.raw.map
    used = [p for p in (mp.places if mp is not None and mp.places else sc.raw.places) if p in places]
    for item in (*sc.raw.moves, *sc.raw.events):
        if item.place and item.place in places and item.place not in used:
            used.append(item.place)
    return used


def fit_frame(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    """A frame around ``points`` with a margin (the whole map data's box when there are none)."""
    if not points:
        return tuple(outlines()["bbox"])
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    w = max(max(lons) - min(lons), 0.0)
    h = max(max(lats) - min(lats), 0.0)
    w, h = max(w * (1 + 2 * FIT_MARGIN), FIT_MIN_LON), max(h * (1 + 2 * FIT_MARGIN), FIT_MIN_LAT)
    cx, cy = (max(lons) + min(lons)) / 2, (max(lats) + min(lats)) / 2
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def scenario_frame(sc: Scenario) -> tuple[float, float, float, float]:
    """The `[map] frame`, else one fitted around the labelled places and the players' places."""
    mp = sc.raw.map
    if mp is not None and mp.frame:
        return tuple(mp.frame)
    places = scenario_places(sc)
    ids = used_places(sc) + [a for a in sc.players if a in places]
    return fit_frame([places[p][1:] for p in ids])


def highlighted(sc: Scenario) -> set[str]:
    """The countries `[map] highlight` picks out (none by default)."""
    mp = sc.raw.map
    return set(mp.highlight) if mp is not None else set()


def side_countries(sc: Scenario) -> dict[str, int]:
    """ISO code -> player index, for the players whose id names a place on the map."""
    places = scenario_places(sc)
    out = {}
    for i, actor in enumerate(sc.players):
        if actor in places:
            _, lon, lat = places[actor]
            iso = country_at(lon, lat)
            if iso:
                out[iso] = i
    return out


class MapView:
    def __init__(self, theme: Theme, scenario: Scenario, rect: pygame.Rect, focus=None, credit: bool = True,
                 labels: bool = True, bounds=None):
        """``focus``: the box to fit (default: the scenario's frame); ``bounds``: the box the view
        never goes beyond (default: the map data's), filling the panel by zooming in if need be."""
        self.credit = credit
        self.labels = labels
        self.theme = theme
        self.sc = scenario
        self.rect = pygame.Rect(rect)
        self.focus = tuple(focus) if focus is not None else scenario_frame(scenario)
        self.highlight = highlighted(scenario)
        data = outlines()
        self.bbox = data["bbox"]
        self.bounds = tuple(bounds) if bounds is not None else tuple(self.bbox)
        self.places = scenario_places(scenario)
        self.labelled = used_places(scenario)
        self.sides = side_countries(scenario)
        self._base: pygame.Surface | None = None
        self._proj()
        self.lit: dict[str, float] = {}  # place -> time it lit up
        self.lit_text: dict[str, list[str]] = {}
        self.hover: str | None = None

    def _proj(self) -> None:
        """Fit the focus box in the panel, but never show the empty world beyond the data's box."""
        lon0, lat0, lon1, lat1 = self.focus
        b0, a0, b1, a1 = self.bounds
        self.k = math.cos(math.radians((lat0 + lat1) / 2))
        w, h = max(1, self.rect.w), max(1, self.rect.h)
        s_fit = min(w / ((lon1 - lon0) * self.k), h / (lat1 - lat0))
        s_cover = max(w / ((b1 - b0) * self.k), h / (a1 - a0))
        s = max(s_fit, s_cover)
        self.s = s
        half_lon = w / (2 * s * self.k)
        half_lat = h / (2 * s)
        cx = (lon0 + lon1) / 2
        cy = (lat0 + lat1) / 2
        self.cx = min(max(cx, b0 + half_lon), b1 - half_lon)
        self.cy = min(max(cy, a0 + half_lat), a1 - half_lat)

    def to_px(self, lon: float, lat: float) -> tuple[float, float]:
        x = self.rect.centerx + (lon - self.cx) * self.k * self.s
        y = self.rect.centery - (lat - self.cy) * self.s
        return x, y

    def resize(self, rect: pygame.Rect) -> None:
        self.rect = pygame.Rect(rect)
        self._proj()
        self._base = None

    def base(self) -> pygame.Surface:
        if self._base is None:
            self._base = self._render_base()
        return self._base

    def _render_base(self) -> pygame.Surface:
        th = self.theme
        c = th.c
        surf = pygame.Surface(self.rect.size)
        surf.fill(c["sea"])
        ox, oy = self.rect.topleft
        # The data stops at its box: shade what lies outside so straight cut edges read as a frame.
        lon0, lat0, lon1, lat1 = self.bbox
        x0, y0 = self.to_px(lon0, lat1)
        x1, y1 = self.to_px(lon1, lat0)
        inside = pygame.Rect(int(x0 - ox), int(y0 - oy), int(x1 - x0), int(y1 - y0))
        data = outlines()
        focus_iso = self.highlight
        for iso, country in data["countries"].items():
            if iso in self.sides:
                fill = th.side_dim(self.sides[iso])
            elif iso in focus_iso:
                fill = c["land_focus"]
            else:
                fill = c["land"]
            for ring in country["polygons"]:
                pts = [(x - ox, y - oy) for x, y in (self.to_px(lon, lat) for lon, lat in ring)]
                if len(pts) >= 3:
                    pygame.draw.polygon(surf, fill, pts)
        for iso, country in data["countries"].items():
            edge = th.side(self.sides[iso]) if iso in self.sides else c["land_edge"]
            for ring in country["polygons"]:
                pts = [(x - ox, y - oy) for x, y in (self.to_px(lon, lat) for lon, lat in ring)]
                if len(pts) >= 3:
                    pygame.draw.aalines(surf, edge, True, pts)
        # Outside the data's box
        shade = pygame.Surface(self.rect.size, pygame.SRCALPHA)
        shade.fill((0, 0, 0, 0))
        col = pygame.Color(c["bg"])
        col.a = 255
        for r in (pygame.Rect(0, 0, self.rect.w, max(0, inside.top)),
                  pygame.Rect(0, inside.bottom, self.rect.w, self.rect.h - inside.bottom),
                  pygame.Rect(0, 0, max(0, inside.left), self.rect.h),
                  pygame.Rect(inside.right, 0, self.rect.w - inside.right, self.rect.h)):
            if r.w > 0 and r.h > 0:
                shade.fill(col, r)
        surf.blit(shade, (0, 0))
        if not self.labels:
            return surf
        # Country names
        small = th.fonts.get(max(9, th.small - 1), True)
        for iso, name in COUNTRY_LABELS.items():
            if iso not in data["countries"] or iso not in LABEL_AT:
                continue
            x, y = self.to_px(*LABEL_AT[iso])
            col = th.side(self.sides[iso]) if iso in self.sides else c["faint"]
            img = small.render(name, True, col)
            r = img.get_rect(center=(x - ox, y - oy))
            if surf.get_rect().contains(r):
                surf.blit(img, r)
        # Places: dots, then labels placed clear of each other and of the dots
        font = th.fonts.get(th.small, True)
        dots = []
        for pid in self.labelled:
            if pid not in self.places:
                continue
            name, lon, lat = self.places[pid]
            if not (lon0 <= lon <= lon1 and lat0 <= lat <= lat1):
                continue
            x, y = self.to_px(lon, lat)
            dots.append((pid, name, x - ox, y - oy))
        r_dot = max(3, th.body // 4)
        r_mark = max(6, th.body // 2 + 2) + 2  # the ring a lit marker draws around the dot
        taken = [pygame.Rect(int(x) - r_mark, int(y) - r_mark, 2 * r_mark, 2 * r_mark)
                 for _, _, x, y in dots]
        tiny = th.fonts.get(max(9, th.small - 2))
        credit = tiny.render(provenance(), True, c["faint"]) if self.credit else None
        if credit is not None:
            credit_at = (6, self.rect.h - credit.get_height() - 4)
            taken.append(pygame.Rect(credit_at, credit.get_size()))
        for _, _, x, y in dots:
            pygame.draw.circle(surf, c["text"], (int(x), int(y)), r_dot)
            pygame.draw.circle(surf, c["bg"], (int(x), int(y)), r_dot, 1)
        bounds = surf.get_rect().inflate(-4, -4)
        for pid, name, x, y in dots:
            img = font.render(name, True, c["text"])
            shadow = font.render(name, True, c["bg"])
            w_, h_ = img.get_size()
            gap = r_mark + 1
            options = [(x + gap, y - h_ / 2), (x - gap - w_, y - h_ / 2), (x - w_ / 2, y + gap - 2),
                       (x - w_ / 2, y - gap - h_ + 2)]
            best = None
            for lx, ly in options:
                r = pygame.Rect(int(lx), int(ly), w_, h_)
                if bounds.contains(r) and r.collidelist(taken) < 0:
                    best = r
                    break
            if best is None:
                best = pygame.Rect(int(options[0][0]), int(options[0][1]), w_, h_).clamp(bounds)
            taken.append(best)
            for dx, dy in ((1, 1), (-1, 1), (1, -1), (-1, -1)):
                surf.blit(shadow, (best.x + dx, best.y + dy))
            surf.blit(img, best)
        if credit is not None:
            surf.blit(credit, credit_at)
        return surf

    # --- markers ------------------------------------------------------------------------------
    def light(self, place: str, now: float, text: str) -> None:
        if place not in self.places:
            return
        self.lit[place] = now
        self.lit_text.setdefault(place, [])
        if text not in self.lit_text[place]:
            self.lit_text[place].append(text)

    def clear_lights(self) -> None:
        self.lit.clear()
        self.lit_text.clear()

    def light_all(self, notices, now: float) -> None:
        """Light the places of ``notices`` afresh (this turn's, after a reload)."""
        self.clear_lights()
        for n in notices:
            for p in n.places:
                self.light(p, now, n.title)

    def animating(self, now: float) -> bool:
        return any(now - t < 2.5 for t in self.lit.values())

    def draw(self, surf: pygame.Surface, now: float) -> None:
        surf.blit(self.base(), self.rect)
        th = self.theme
        c = th.c
        clip = surf.get_clip()
        surf.set_clip(self.rect)
        for pid, t in self.lit.items():
            name, lon, lat = self.places[pid]
            x, y = self.to_px(lon, lat)
            age = now - t
            r0 = max(6, th.body // 2 + 2)
            if age < 2.5:
                phase = (age * 1.6) % 1.0
                rad = int(r0 + phase * r0 * 2.2)
                ring = pygame.Surface((rad * 2 + 4, rad * 2 + 4), pygame.SRCALPHA)
                col = pygame.Color(c["accent"])
                col.a = int(255 * (1 - phase))
                pygame.draw.circle(ring, col, (rad + 2, rad + 2), rad, 3)
                surf.blit(ring, (x - rad - 2, y - rad - 2))
            pygame.draw.circle(surf, c["accent"], (int(x), int(y)), r0, 3)
        surf.set_clip(clip)

    def place_at(self, pos) -> str | None:
        if not self.rect.collidepoint(pos):
            return None
        best, bd = None, (self.theme.body * 1.2) ** 2
        for pid in set(self.labelled) | set(self.lit):
            if pid not in self.places:
                continue
            _, lon, lat = self.places[pid]
            x, y = self.to_px(lon, lat)
            d = (x - pos[0]) ** 2 + (y - pos[1]) ** 2
            if d < bd:
                best, bd = pid, d
        return best
