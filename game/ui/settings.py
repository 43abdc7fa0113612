"""Player settings, remembered between runs in ``settings.json`` under the data folder."""

from __future__ import annotations

import json

import attrs

from game.paths import data_dir
from game.saves import write_atomic

TEXT_SIZES = ("small", "medium", "large", "huge")
TEXT_SIZE_LABELS = {"small": "Small", "medium": "Medium", "large": "Large", "huge": "Extra large"}
ANIMATION_SPEEDS = ("slow", "normal", "fast", "instant")
ANIMATION_LABELS = {"slow": "Slow", "normal": "Normal", "fast": "Fast", "instant": "Instant"}
# Seconds an announcement of the computer's move stays up at each speed.
ANNOUNCE_SECONDS = {"slow": 3.6, "normal": 2.2, "fast": 1.1, "instant": 0.0}
SIDES = ("minsk", "moscow", "both", "none")
DIFFICULTIES = ("easy", "normal", "hard", "expert")


@attrs.define
class Settings:
    text_size: str = "medium"
    high_contrast: bool = False
    fullscreen: bool = False
    animation: str = "normal"
    window: tuple[int, int] = (1280, 720)
    side: str = ""              # last side chosen in the picker ("" = the scenario's first player)
    difficulty: str = "normal"

    @property
    def announce_seconds(self) -> float:
        return ANNOUNCE_SECONDS.get(self.animation, 2.2)

    @classmethod
    def path(cls):
        return data_dir() / "settings.json"

    @classmethod
    def load(cls) -> Settings:
        """The saved settings, or the defaults when the file is missing or unreadable."""
        s = cls()
        try:
            doc = json.loads(cls.path().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return s
        if not isinstance(doc, dict):
            return s
        if doc.get("text_size") in TEXT_SIZES:
            s.text_size = doc["text_size"]
        if isinstance(doc.get("high_contrast"), bool):
            s.high_contrast = doc["high_contrast"]
        if isinstance(doc.get("fullscreen"), bool):
            s.fullscreen = doc["fullscreen"]
        if doc.get("animation") in ANIMATION_SPEEDS:
            s.animation = doc["animation"]
        w = doc.get("window")
        if (isinstance(w, list) and len(w) == 2 and all(isinstance(x, int) for x in w)
                and 640 <= w[0] <= 8000 and 400 <= w[1] <= 8000):
            s.window = (w[0], w[1])
        if isinstance(doc.get("side"), str):
            s.side = doc["side"]
        if doc.get("difficulty") in DIFFICULTIES:
            s.difficulty = doc["difficulty"]
        return s

    def save(self) -> None:
        doc = attrs.asdict(self)
        doc["window"] = list(self.window)
        try:
            write_atomic(self.path(), json.dumps(doc, indent=1).encode("utf-8"), keep_backup=False)
        except OSError:
            pass  # settings are a convenience; a read-only home must not stop the game
