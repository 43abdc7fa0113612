"""Writing per-game records: JSON Lines or CSV, chosen by the file's extension."""

from __future__ import annotations

import csv
import json
import math
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}


def format_of(path: str | os.PathLike) -> str | None:
    """'jsonl', 'csv', or None for an extension we do not write."""
    return FORMATS.get(Path(path).suffix.lower())


def _clean(v):
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def write_records(records: Sequence[dict], path: str | os.PathLike) -> None:
    """Write records atomically: JSONL keeps lists (events) and trajectories; CSV flattens events
    to 'a;b;c' and leaves trajectories out."""
    path = Path(path)
    fmt = format_of(path)
    if fmt is None:
        raise ValueError(f"cannot tell the format of '{path}': use .jsonl or .csv")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            if fmt == "jsonl":
                for r in records:
                    f.write(json.dumps({k: _clean(v) for k, v in r.items()}, ensure_ascii=False) + "\n")
            else:
                cols: dict[str, None] = {}
                for r in records:
                    for k in r:
                        if k != "trajectory":
                            cols.setdefault(k)
                w = csv.DictWriter(f, fieldnames=list(cols), extrasaction="ignore")
                w.writeheader()
                for r in records:
                    row = {k: (";".join(v) if isinstance(v, list) else "" if v is None else _clean(v))
                           for k, v in r.items() if k != "trajectory"}
                    w.writerow(row)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def read_records(path: str | os.PathLike) -> list[dict]:
    """Read records back (CSV values stay strings, as csv gives them)."""
    path = Path(path)
    with open(path, encoding="utf-8", newline="") as f:
        if format_of(path) == "csv":
            return list(csv.DictReader(f))
        return [json.loads(line) for line in f if line.strip()]
