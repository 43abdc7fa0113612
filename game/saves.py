"""Save and replay files: versioned JSON with the scenario's id and hash, the seed and the moves.

A save also holds a snapshot of the final state for quick loading and a checksum over its content.
Writes are atomic (temporary file, fsync, rename) and keep the previous file as ``.bak``. Loading a
corrupt, truncated, tampered or incompatible file raises SaveError and touches no file.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import tempfile
import time
from pathlib import Path

import attrs

from game.engine import IllegalMove, Move, State
from game.files import FileRefused, read_limited
from game.scenario import Scenario, ScenarioError, find_scenario
from game.session import Session

KIND = "union-state-save"
VERSION = 1
MAX_BYTES = 20_000_000
MAX_MOVES = 200_000
MAX_ITEMS = 100_000       # per list in a snapshot
MAX_INT = 2**63
STALE_TMP_SECONDS = 600   # a temporary file this old was left by a write that was killed
# The snapshot's fields and their kinds; anything else in a snapshot is refused.
_SNAPSHOT = {"seed": "int", "turn": "int", "phase": "str", "actor": "int", "initiative": "int",
             "values": "numbers", "ready": "ints", "event_ready": "ints", "event_cursor": "int",
             "pending_event": "int", "deal": "ints", "standoff": "int", "standoff_round": "int",
             "ledger": "ints", "acted": "int", "ending": "int", "winner": "int", "deal_log": "log"}


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


def backup_of(path: str | Path) -> Path:
    path = Path(path)
    return path.with_name(path.name + ".bak")


def existing(path: str | Path) -> Path | None:
    """The file, or its .bak when only that is left (a write killed by an older version between
    its two renames), or None."""
    path = Path(path)
    try:
        if path.exists():
            return path
        bak = backup_of(path)
        return bak if bak.exists() else None
    except (OSError, ValueError):  # a name the system refuses: reading it reports why
        return None


def _clean_stale(path: Path) -> None:
    """Remove temporary files of ``path`` left by writes that were killed."""
    now = time.time()
    for tmp in path.parent.glob(path.name + ".*.tmp"):
        try:
            if now - tmp.stat().st_mtime > STALE_TMP_SECONDS:
                tmp.unlink()
        except OSError:
            pass


def write_atomic(path: str | Path, data: bytes, keep_backup: bool = True) -> None:
    """Write a file so that a crash leaves either the old or the new one, and keep the old as .bak.

    The old file is copied (hard-linked where possible) to .bak and the new one renamed over it,
    so the file itself exists at every moment."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _clean_stale(path)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if keep_backup and path.exists():
            bak_tmp = f"{tmp}.bak.tmp"
            try:
                os.link(path, bak_tmp)
            except OSError:
                shutil.copy2(path, bak_tmp)
            os.replace(bak_tmp, backup_of(path))
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
        for leftover in (tmp, f"{tmp}.bak.tmp"):
            try:
                os.unlink(leftover)
            except OSError:
                pass
        raise


def save(session: Session, path: str | Path, meta: dict | None = None) -> Path:
    path = Path(path)
    write_atomic(path, json.dumps(to_document(session, meta), indent=1, ensure_ascii=False).encode("utf-8"))
    return path


def read_document(path: str | Path) -> dict:
    """Read and check a save file's JSON, without replaying it; the .bak stands in for a missing file.
    Every field's type and size is checked, so a tampered file is a SaveError, never a crash."""
    path = existing(path) or Path(path)
    try:
        data = read_limited(path, MAX_BYTES)
    except FileRefused as exc:
        raise SaveError(f"{path}: cannot be a save file: {exc}") from None
    except OSError as exc:
        raise SaveError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # ValueError: also 5,000-digit numbers
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
    problem = _shape_problem(doc)
    if problem:
        raise SaveError(f"{path}: the file has been altered or damaged ({problem})")
    return doc


def _is_int(x) -> bool:
    return type(x) is int and -MAX_INT < x < MAX_INT


def _is_str(x, limit: int) -> bool:
    return isinstance(x, str) and len(x) <= limit


def _shape_problem(doc: dict) -> str | None:
    """What is wrong with the types or sizes of a save's fields, or None."""
    sc = doc["scenario"]
    if not _is_str(sc["id"], 200) or not _is_str(sc.get("digest"), 128) or \
            not (sc.get("path") is None or _is_str(sc.get("path"), 4096)):
        return "its scenario reference is not an id, a digest and a path"
    if not _is_int(doc["seed"]):
        return "its seed is not a whole number of at most 19 digits"
    if len(doc["moves"]) > MAX_MOVES:
        return f"it holds over {MAX_MOVES:,} moves"
    try:
        for m in doc["moves"]:
            Move.from_json(m)
    except ValueError as exc:
        return f"a move is malformed: {exc}"
    meta = doc.get("meta", {})
    if not isinstance(meta, dict) or len(meta) > 100 or not all(
            _is_str(k, 100) and (v is None or isinstance(v, bool) or _is_int(v) or _is_str(v, 1000)
                                 or (type(v) is float and math.isfinite(v))) for k, v in meta.items()):
        return "its details (meta) are not a small table of names and values"
    snap = doc.get("snapshot")
    if snap is None:
        return None
    if not isinstance(snap, dict):
        return "its snapshot is not a table"
    for key, value in snap.items():
        kind = _SNAPSHOT.get(key)
        ok = {"int": _is_int, "str": lambda x: _is_str(x, 40),
              "ints": lambda x: isinstance(x, list) and len(x) <= MAX_ITEMS and all(map(_is_int, x)),
              "numbers": lambda x: isinstance(x, list) and len(x) <= MAX_ITEMS and all(
                  _is_int(n) or (type(n) is float and math.isfinite(n)) for n in x),
              "log": lambda x: isinstance(x, list) and len(x) <= MAX_ITEMS and all(
                  isinstance(e, list) and len(e) == 2 and _is_int(e[0]) and _is_str(e[1], 40) for e in x),
              None: lambda x: False}[kind](value)
        if not ok:
            return f"its snapshot's '{key[:40]}' is not what a save holds"
    return None


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
