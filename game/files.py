"""Reading untrusted files (scenarios, saves): regular files only, and never more than a limit."""

from __future__ import annotations

import os
import stat
from pathlib import Path


class FileRefused(OSError):
    """A path that is not a regular file, or a file over the size limit; the text says which."""


def read_limited(path: str | Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Devices (/dev/zero), FIFOs and folders are refused before they are opened, so nothing blocks
    or reads forever; at most ``limit + 1`` bytes are read, so a file that grows is caught too.
    Raises FileRefused (or another OSError from the system).
    """
    try:
        st = os.stat(path)
    except ValueError:  # a NUL in the name
        raise FileRefused("not a valid file name") from None
    if not stat.S_ISREG(st.st_mode):
        kind = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file (a device, pipe or socket)"
        raise FileRefused(f"{kind}")
    if st.st_size > limit:
        raise FileRefused(f"file is {st.st_size:,} bytes; the limit is {limit:,}")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)  # O_NONBLOCK: a FIFO swapped in after the stat cannot block us
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise FileRefused("not a regular file (a device, pipe or socket)")
        data = f.read(limit + 1)
    if len(data) > limit:
        raise FileRefused(f"file is over the limit of {limit:,} bytes")
    return data


def unwritable(path: str | Path) -> str | None:
    """Why ``path`` cannot be written, or None: checked before any work, by trying it (an existing
    file is opened for appending and left as it was; a new one is created and removed)."""
    path = Path(path)
    try:
        if path.is_dir():
            return "is a folder"
        if not path.parent.is_dir():
            return f"its folder {path.parent} does not exist"
        if path.exists():
            if not stat.S_ISREG(os.stat(path).st_mode):
                return "is not a regular file"
            with open(path, "ab"):
                pass
        else:
            with open(path, "xb"):
                pass
            path.unlink()
    except OSError as exc:
        return f"cannot be written ({exc.strerror or exc})"
    except ValueError:  # a NUL in the name
        return "is not a valid file name"
    return None
