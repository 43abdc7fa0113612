"""The map data that ships with the game (``assets/map/outlines.json``): country outlines and named
places. The loader checks a scenario's ``[map]`` against it; the interface draws it."""

from __future__ import annotations

import json
from functools import lru_cache

from game.data import data_dir


@lru_cache(maxsize=1)
def outlines() -> dict:
    """The whole file; an empty map (no countries, no places) when it is missing or unreadable."""
    try:
        return json.loads((data_dir("assets") / "map" / "outlines.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"bbox": [-180.0, -90.0, 180.0, 90.0], "countries": {}, "places": {}}


def bbox() -> tuple[float, float, float, float]:
    """lon_min, lat_min, lon_max, lat_max of the data."""
    return tuple(outlines()["bbox"])


def country_codes() -> list[str]:
    return list(outlines()["countries"])


def builtin_places() -> dict[str, tuple[str, float, float]]:
    """Place id -> (name, lon, lat) of the places the map data names."""
    return {pid: (p["name"], p["lon"], p["lat"]) for pid, p in outlines()["places"].items()}
