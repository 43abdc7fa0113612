"""How the shipped scenarios cite their document: elements, invented ones, ones with an outside note.

    python tools/sources_report.py [SCENARIO.toml ...] [--list]

`--list` prints every element with its source. The invented share is checked by
tests/test_content.py (at most 40% per scenario).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.scenario import load_scenario  # noqa: E402


def sources(sc):
    """(kind, id, Source) for every element that carries one."""
    raw = sc.raw
    yield "scenario", raw.scenario.id, raw.scenario.source
    for k, m in raw.meters.items():
        if m.source:
            yield "meter", k, m.source
    for k, i in raw.issues.items():
        if i.source:
            yield "issue", k, i.source
    for name in ("moves", "terms", "standoffs", "events", "endings"):
        for el in getattr(raw, name):
            if el.source:
                yield name[:-1], el.id, el.source


def main(argv: list[str]) -> int:
    listing = "--list" in argv
    paths = [Path(a) for a in argv if a != "--list"] or sorted((ROOT / "scenarios").glob("*.toml"))
    for p in paths:
        sc = load_scenario(p)
        rows = list(sources(sc))
        inv = sum(1 for *_, s in rows if s.invented is not None)
        out = sum(1 for *_, s in rows if s.outside is not None)
        print(f"{sc.id}: {len(rows)} elements, {inv} invented ({inv / len(rows):.0%}), "
              f"{out} with an outside note")
        if listing:
            for kind, ident, s in rows:
                what = f"invented: {s.invented}" if s.invented is not None else f"¶{s.para} “{s.quote}”"
                print(f"  {kind:9} {ident:28} {what}" + (f"  [outside: {s.outside}]" if s.outside else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
