"""Where the interface keeps saves, replays and crash reports, and how it lists them."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import attrs

from game import saves
from game.scenario.convert import clean_text
from game.session import Session
from game.paths import data_dir

AUTOSAVE = "autosave"


def saves_dir() -> Path:
    return data_dir() / "saves"


def replays_dir() -> Path:
    return data_dir() / "replays"


def autosave_path() -> Path:
    return saves_dir() / f"{AUTOSAVE}.json"


def slot_name(name: str) -> str:
    """A safe file stem from what the player typed ("My game 2!" -> "My-game-2")."""
    stem = re.sub(r"[^A-Za-z0-9_\-]+", "-", name.strip()).strip("-.")[:48]
    return stem or "save"


@attrs.frozen
class SaveInfo:
    path: Path
    name: str
    scenario: str
    title: str
    turn: int
    moves: int
    saved_at: str
    side: str
    over: bool
    error: str = ""


def describe_file(path: Path) -> SaveInfo:
    """What the load screen shows about a save, without replaying it."""
    try:
        doc = saves.read_document(path)
    except saves.SaveError as exc:
        return SaveInfo(path, path.stem, "", "", 0, 0, "", "", False, str(exc).split(": ", 1)[-1])
    meta = doc.get("meta") or {}
    snap = doc.get("snapshot") or {}

    def text(value) -> str:  # a save is untrusted: no control characters (a NUL breaks fonts)
        return clean_text(str(value))[:200]

    return SaveInfo(path, path.stem, text(doc["scenario"]["id"]), text(meta.get("title", doc["scenario"]["id"])),
                    int(snap.get("turn", 0) or 0), len(doc["moves"]), text(meta.get("saved_at", "")),
                    text(meta.get("side", "")), snap.get("phase") == "over")


def list_files(folder: Path) -> list[SaveInfo]:
    if not folder.is_dir():
        return []
    files = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    return [describe_file(p) for p in files]


def meta_for(session: Session, side: str, difficulty: str, extra: dict | None = None) -> dict:
    return {"title": session.scenario.title, "side": side, "difficulty": difficulty, **(extra or {})}


def save_now(session: Session, path: Path, meta: dict) -> Path:
    return saves.save(session, path, meta)


class Autosaver:
    """Writes the autosave off the interface thread: the document is built at once (cheap), the
    write (with its fsync) happens on a helper thread, latest wins."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pending: tuple[Path, bytes] | None = None
        self._thread: threading.Thread | None = None
        self.last_error: str = ""

    def submit(self, session: Session, meta: dict, path: Path | None = None) -> None:
        doc = saves.to_document(session, meta)
        data = json.dumps(doc, indent=1, ensure_ascii=False).encode("utf-8")
        with self._lock:
            self._pending = (path or autosave_path(), data)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="autosave", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            with self._lock:
                job = self._pending
                self._pending = None
                if job is None:
                    self._thread = None
                    return
            try:
                saves.write_atomic(job[0], job[1])
                self.last_error = ""
            except OSError as exc:
                self.last_error = str(exc)

    def flush(self, timeout: float = 5.0) -> None:
        t = self._thread
        if t is not None:
            t.join(timeout)

    def save_sync(self, session: Session, meta: dict, path: Path | None = None) -> None:
        self.flush()
        saves.save(session, path or autosave_path(), meta)
