"""Map TOML paths (``events[3].when``) to line numbers; tomllib keeps no positions."""

from __future__ import annotations

import re

# Linear on hostile lines: no two adjacent parts can match the same characters (a lazy name
# followed by optional spaces backtracked cubically on '[' and 4,000 spaces); the name is
# stripped afterwards.
_HEADER = re.compile(r"^[ \t]*(\[\[?)([^\]]*)\]\]?[ \t]*(#.*)?$")
_KEY = re.compile(r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""")


def _split_key(text: str) -> list[str]:
    parts = re.findall(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""", text)
    return [p.strip("\"'") for p in parts]


def _render(parts: list[str | int]) -> str:
    out = ""
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += ("." if out else "") + p
    return out


def line_map(text: str) -> dict[str, int]:
    """Every table header and key in a TOML text, as a rendered path, mapped to its line (1-based)."""
    lines: dict[str, int] = {}
    counts: dict[str, int] = {}
    table: list[str | int] = []
    in_multiline: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if in_multiline:
            if raw.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        m = _HEADER.match(raw)
        if m and not _KEY.match(raw):
            keys = _split_key(m.group(2).strip())
            path: list[str | int] = []
            for i, k in enumerate(keys):
                path.append(k)
                prefix = _render(path)
                if prefix in counts and not (m.group(1) == "[[" and i == len(keys) - 1):
                    path.append(counts[prefix])
            if m.group(1) == "[[":
                prefix = _render(path)
                counts[prefix] = counts.get(prefix, -1) + 1
                path.append(counts[prefix])
            table = path
            lines.setdefault(_render(table), number)
            continue
        k = _KEY.match(raw)
        if k:
            full = _render(table + _split_key(k.group(1)))
            lines.setdefault(full, number)
            rest = raw[k.end():]
            for quote in ('"""', "'''"):
                if rest.count(quote) % 2 == 1:
                    in_multiline = quote
    return lines


def find_line(lines: dict[str, int], path: str) -> int | None:
    """The line of a path, or of its nearest ancestor that has one."""
    while path:
        if path in lines:
            return lines[path]
        cut = max(path.rfind("."), path.rfind("["))
        if cut <= 0:
            return lines.get(path)
        path = path[:cut]
    return None
