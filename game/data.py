"""Where the shipped data lives: ``scenarios/`` and ``assets/`` beside the package in a source
checkout (and an editable install), or under ``<prefix>/share/union-state/`` after a regular
``pip install .`` (pyproject's ``data-files``)."""

from __future__ import annotations

import sys
import sysconfig
from pathlib import Path

SOURCE_ROOT = Path(__file__).resolve().parents[1]


def _installed_roots() -> list[Path]:
    roots = [Path(sys.prefix), Path(sysconfig.get_path("data"))]
    try:  # pip install --user puts data files under the user scheme's data path
        roots.append(Path(sysconfig.get_path("data", sysconfig.get_preferred_scheme("user"))))
    except (KeyError, ValueError):  # pragma: no cover - platforms without a user scheme
        pass
    return [r / "share" / "union-state" for r in roots]


def data_dir(name: str) -> Path:
    """The folder ``name`` ("scenarios" or "assets") of the shipped data; the source checkout's
    copy wins, so a developer always runs what they edit."""
    here = SOURCE_ROOT / name
    if here.is_dir():
        return here
    for root in _installed_roots():
        if (root / name).is_dir():
            return root / name
    return here  # missing everywhere: callers report the path they looked in
