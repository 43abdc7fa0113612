"""Navigation between screens by name: a screen asks for ``Push("help")``, ``Replace("game", ...)``
or ``Pop()``, and the app builds the screen it names through ``SCREENS``.

Screens never import each other to move between them: the registry names each screen's module, which
is imported only when the screen is first opened (start-up loads only the title screen).
"""

from __future__ import annotations

import importlib
from pathlib import Path

from game.ui.settings import DIFFICULTIES

# key -> "module:Class"; every screen takes (app, **kwargs).
SCREENS = {
    "title": "game.ui.screens.title:TitleScreen",
    "picker": "game.ui.screens.picker:PickerScreen",
    "briefing": "game.ui.screens.briefing:BriefingScreen",
    "game": "game.ui.screens.game:GameScreen",
    "end": "game.ui.screens.end:EndScreen",
    "saves": "game.ui.screens.saves:SavesScreen",
    "settings": "game.ui.screens.settings:SettingsScreen",
    "help": "game.ui.screens.help:HelpScreen",
    "error": "game.ui.screens.error:ErrorScreen",
}


class Push:
    """Open the screen ``key`` over the current one."""

    def __init__(self, key: str, **kwargs):
        if key not in SCREENS:
            msg = f"no screen named '{key}' (known: {', '.join(SCREENS)})"
            raise KeyError(msg)
        self.key = key
        self.kwargs = kwargs

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.key!r})"


class Replace(Push):
    """Drop every screen (closing any game in them) and show the screen ``key``."""


class Pop:
    """Close the current screen and go back to the one under it."""

    def __repr__(self) -> str:
        return "Pop()"


Nav = Push | Replace | Pop


def screen_class(key: str) -> type:
    module, _, name = SCREENS[key].partition(":")
    return getattr(importlib.import_module(module), name)


def build(app, nav: Push):
    """The screen ``nav`` names, built for ``app``."""
    return screen_class(nav.key)(app, **nav.kwargs)


def open_save(app, path: Path, replay: bool = False) -> Replace | None:
    """Where the save ``path`` leads: its game to play on (or its end screen when it is over), or its
    moves replayed from the start. None, with a toast saying why, when it does not load."""
    from game import saves  # loaded when a save is opened, not at start-up
    from game.session import Session
    from game.ui import storage
    from game.ui.match import Match, humans_for

    try:
        session, meta = saves.load(path)
    except saves.SaveError as exc:
        app.toast(str(exc).split(": ", 1)[-1], 5)
        return None
    sc = session.scenario
    difficulty = meta.get("difficulty") if meta.get("difficulty") in DIFFICULTIES else "normal"
    if replay:
        fresh = Session(sc, session.seed)
        match = Match(fresh, frozenset(), difficulty, replay=list(session.moves))
        return Replace("game", match=match, side="none", difficulty=difficulty)
    side = meta.get("side") if isinstance(meta.get("side"), str) else sc.players[0]
    if side not in list(sc.players) + ["both", "none"]:
        side = sc.players[0]
    slot = path.stem if path.parent == storage.saves_dir() and path.stem != storage.AUTOSAVE else ""
    match = Match(session, humans_for(sc, side), difficulty)
    if session.state.is_over:
        return Replace("end", match=match, side=side, difficulty=difficulty)
    return Replace("game", match=match, side=side, difficulty=difficulty, slot=slot)
