"""The program's place on the machine: the player's data folder, crash reports, the display, and
the two errors the command line reports as a message rather than a traceback.

It imports neither ``game.cli`` nor ``game.ui``, so the interface and the command line can both use
it without importing each other.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from pathlib import Path

from game import __version__


class UsageError(Exception):
    """Bad command-line input; exit status 2."""


class DisplayError(Exception):
    """No display for the game window; exit status 1."""


def data_dir() -> Path:
    """The player's data folder (settings, saves, crash reports); ``UNION_STATE_HOME`` overrides it."""
    if "UNION_STATE_HOME" in os.environ:
        return Path(os.environ["UNION_STATE_HOME"])
    from platformdirs import user_data_dir

    return Path(user_data_dir("union-state", appauthor=False))


def write_crash_report(exc: BaseException, where: Path | None = None) -> Path | None:
    """Write the full report; where the data folder cannot be written, the system's temporary
    folder; None if neither can (the caller still prints its one-line note)."""
    import tempfile

    text = (f"union-state {__version__}\n{' '.join(sys.argv)}\n\n" +
            "".join(traceback.format_exception(exc)))
    name = f"crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.txt"
    for folder in (where or data_dir() / "crash-reports", Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    return None


def check_display() -> None:
    """Refuse to open a window where there is no display (it would sit silently)."""
    if not sys.platform.startswith("linux") or os.environ.get("SDL_VIDEODRIVER"):
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise DisplayError("union-state: no display to open the game window on (DISPLAY and WAYLAND_DISPLAY "
                           "are not set); the headless commands work without one: see union-state --help")
