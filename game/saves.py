"""Save and replay files: versioned JSON with the scenario's id and hash, the seed and the moves.

A save also holds a snapshot of the final state for quick loading and a checksum over its content.
Writes are atomic (temporary file, fsync, rename) and keep the previous file as ``.bak``. Loading a
corrupt, truncated, tampered or incompatible file raises SaveError and touches no file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from pathlib import Path

import attrs

from game.engine import IllegalMove, Move, State
from game.scenario import Scenario, ScenarioError, find_scenario
from game.session import Session

KIND = "union-state-save"
VERSION = 1
MAX_BYTES = 20_000_000


class SaveError(Exception):
    """A save file that cannot be used; the message says why, for the player."""


def snapshot(state: State) -> dict:
    d = attrs.asdict(state, recurse=False, filter=lambda a, _v: a.name != "scenario")
    return {k: list(v) if isinstance(v, tuple) else v for k, v in d.items()}


def _canonical(doc: dict) -> bytes:
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _checksum(doc: dict) -> str:
    body = {k: v for k, v in doc.items() if k != "checksum"}
    return hashlib.sha256(_canonical(body)).hexdigest()


def to_document(session: Session, meta: dict | None = None) -> dict:
    sc = session.scenario
    doc = {
        "kind": KIND,
        "version": VERSION,
        "scenario": {"id": sc.id, "digest": sc.digest, "path": str(sc.path) if sc.path else None},
        "seed": session.seed,
        "moves": [m.to_json() for m in session.moves],
        "snapshot": snapshot(session.state),
        "meta": {"saved_at": time.strftime("%Y-%m-%dT%H:%M:%S"), **(meta or {})},
    }
    doc["checksum"] = _checksum(doc)
    return doc


def write_atomic(path: str | Path, data: bytes, keep_backup: bool = True) -> None:
    """Write a file so that a crash leaves either the old or the new one, and keep the old as .bak."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if keep_backup and path.exists():
            os.replace(path, path.with_name(path.name + ".bak"))
        os.replace(tmp, path)
        try:
            dfd = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
        except OSError:
            pass
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def save(session: Session, path: str | Path, meta: dict | None = None) -> Path:
    path = Path(path)
    write_atomic(path, json.dumps(to_document(session, meta), indent=1, ensure_ascii=False).encode("utf-8"))
    return path


def read_document(path: str | Path) -> dict:
    """Read and check a save file's JSON, without replaying it."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SaveError(f"{path}: file is too large to be a save ({size:,} bytes)")
        data = path.read_bytes()
    except OSError as exc:
        raise SaveError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise SaveError(f"{path}: the file is damaged or truncated (not valid JSON)") from None
    if not isinstance(doc, dict) or doc.get("kind") != KIND:
        raise SaveError(f"{path}: this is not a Union State save file")
    if doc.get("version") != VERSION:
        raise SaveError(f"{path}: saved by an incompatible version (save format {doc.get('version')!r}, "
                        f"this game reads {VERSION})")
    if doc.get("checksum") != _checksum(doc):
        raise SaveError(f"{path}: the file has been altered or damaged (checksum mismatch)")
    sc = doc.get("scenario")
    if (not isinstance(sc, dict) or not isinstance(sc.get("id"), str) or not isinstance(doc.get("seed"), int)
            or not isinstance(doc.get("moves"), list)):
        raise SaveError(f"{path}: the file is missing its scenario, seed or moves")
    return doc


def load(path: str | Path, scenario: Scenario | None = None) -> tuple[Session, dict]:
    """Rebuild the saved game by replaying its moves; returns (session, meta)."""
    doc = read_document(path)
    ref = doc["scenario"]
    if scenario is None:
        try:
            scenario = find_scenario(ref["id"])
        except ScenarioError:
            p = ref.get("path")
            try:
                scenario = find_scenario(p) if p else None
            except ScenarioError:
                scenario = None
            if scenario is None:
                raise SaveError(f"{path}: the scenario '{ref['id']}' it was played on is not installed") from None
    if scenario.id != ref["id"]:
        raise SaveError(f"{path}: saved on scenario '{ref['id']}', not '{scenario.id}'")
    if scenario.digest != ref.get("digest"):
        raise SaveError(f"{path}: the scenario '{scenario.id}' has changed since this game was saved, "
                        "so its moves cannot be replayed faithfully")
    try:
        moves = [Move.from_json(m) for m in doc["moves"]]
        session = Session(scenario, doc["seed"], moves)
    except (ValueError, IllegalMove) as exc:
        raise SaveError(f"{path}: the saved moves do not replay ({exc})") from None
    snap = doc.get("snapshot")
    if snap is not None and _normalise(snap) != _normalise(snapshot(session.state)):
        raise SaveError(f"{path}: the saved position does not match its moves (the file was altered)")
    meta = doc.get("meta") if isinstance(doc.get("meta"), dict) else {}
    return session, meta


def _normalise(snap: dict) -> str:
    return json.dumps(snap, sort_keys=True, default=list)


def load_snapshot(path: str | Path, scenario: Scenario) -> State:
    """The saved position straight from the snapshot, without replaying (for quick previews)."""
    doc = read_document(path)
    if doc["scenario"]["id"] != scenario.id or doc["scenario"].get("digest") != scenario.digest:
        raise SaveError(f"{path}: saved on a different version of the scenario")
    snap = doc.get("snapshot")
    if not isinstance(snap, dict):
        raise SaveError(f"{path}: the file holds no snapshot")
    try:
        fields = {k: tuple(tuple(x) if isinstance(x, list) else x for x in v) if isinstance(v, list) else v
                  for k, v in snap.items()}
        state = State(scenario=scenario, **fields)
    except (TypeError, ValueError) as exc:
        raise SaveError(f"{path}: the snapshot is damaged ({exc})") from None
    if len(state.values) != len(scenario.names):
        raise SaveError(f"{path}: the snapshot does not fit the scenario")
    return state
