"""Saving the game in progress: the autosave every turn, and a named save (Ctrl+S, the menu)."""

from __future__ import annotations

from game.authoring import console
from game.ui import storage


def saveable(match, watch: bool) -> bool:
    """Games one plays can be saved; watching and replays cannot."""
    return not (watch or match.replay is not None)


def autosave(app, match, side: str, difficulty: str, sync: bool = False) -> None:
    meta = storage.meta_for(match.session, side, difficulty)
    if sync:
        app.autosaver.save_sync(match.session, meta)
    else:
        app.autosaver.submit(match.session, meta)


def save_as(app, match, side: str, difficulty: str, watch: bool, name: str) -> str | None:
    """Save under ``name``; the slot it was saved as, or None (with a toast saying why)."""
    if not saveable(match, watch):
        app.toast("Only games you play can be saved")
        return None
    if not console.is_replayable(match.session):
        app.toast("Console edits (set, fire) cannot be replayed: this game cannot be saved", 4)
        return None
    slot = storage.slot_name(name)
    path = storage.saves_dir() / f"{slot}.json"
    try:
        storage.save_now(match.session, path, storage.meta_for(match.session, side, difficulty))
    except OSError as exc:
        app.toast(f"Could not save: {exc.strerror or exc}", 4)
        return None
    app.toast(f"Saved as ‘{slot}’")
    return slot
