"""Writing per-game records: JSON Lines or CSV, chosen by the file's extension."""

from __future__ import annotations

import csv
import json
import math
import io
import os
from collections.abc import Sequence
from pathlib import Path

from game.saves import write_atomic

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
    buf = io.StringIO(newline="")
    if fmt == "jsonl":
        for r in records:
            buf.write(json.dumps({k: _clean(v) for k, v in r.items()}, ensure_ascii=False) + "\n")
    else:
        cols: dict[str, None] = {}
        for r in records:
            for k in r:
                if k != "trajectory":
                    cols.setdefault(k)
        w = csv.DictWriter(buf, fieldnames=list(cols), extrasaction="ignore")
        w.writeheader()
        for r in records:
            w.writerow(_csv_row(r))
    write_atomic(path, buf.getvalue().encode("utf-8"), keep_backup=False)


class RecordWriter:
    """Appends records to a file as games finish, so Ctrl-C or a crash keeps every finished game;
    ``finish`` then rewrites the file whole, in game order."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.fmt = format_of(self.path)
        if self.fmt is None:
            raise ValueError(f"cannot tell the format of '{path}': use .jsonl or .csv")
        self.file = open(self.path, "w", encoding="utf-8", newline="")
        self.csv: csv.DictWriter | None = None
        self.count = 0

    def write(self, records: Sequence[dict]) -> None:
        if self.file.closed or not records:
            return
        if self.fmt == "jsonl":
            for r in records:
                self.file.write(json.dumps({k: _clean(v) for k, v in r.items()}, ensure_ascii=False) + "\n")
        else:
            if self.csv is None:
                cols = [k for k in records[0] if k != "trajectory"]
                self.csv = csv.DictWriter(self.file, fieldnames=[*cols, *(["error"] if "error" not in cols else [])],
                                          extrasaction="ignore")
                self.csv.writeheader()
            for r in records:
                self.csv.writerow(_csv_row(r))
        self.file.flush()
        self.count += len(records)

    def close(self) -> None:
        self.file.close()

    def finish(self, records: Sequence[dict]) -> None:
        self.close()
        write_records(records, self.path)


def _csv_row(r: dict) -> dict:
    return {k: (";".join(v) if isinstance(v, list) else "" if v is None else _clean(v))
            for k, v in r.items() if k != "trajectory"}


def read_records(path: str | os.PathLike) -> list[dict]:
    """Read records back (CSV values stay strings, as csv gives them)."""
    path = Path(path)
    with open(path, encoding="utf-8", newline="") as f:
        if format_of(path) == "csv":
            return list(csv.DictReader(f))
        return [json.loads(line) for line in f if line.strip()]
