"""The format reference in docs/authoring.md, rendered from the schema classes and their descriptions.

    python -m game.authoring.reference            # rewrite the reference section of docs/authoring.md
    python -m game.authoring.reference --check    # exit 1 if it is out of date

A test runs the check, so the reference cannot drift from game/scenario/schema.py.
"""

from __future__ import annotations

import argparse
import sys
import typing
from pathlib import Path

import attrs

from game.authoring.fields import FIELDS, LEVEL_KEY_PATTERN, ORDER, TABLES, Key
from game.authoring.json_schema import _hints, _strip_none
from game.scenario import expr, schema
from game.scenario.loader import RESERVED, SPECIAL_MOVES

BEGIN = ("<!-- reference:begin: generated from game/scenario/schema.py and game/authoring/fields.py by "
         "`python -m game.authoring.reference`; do not edit by hand -->")
END = "<!-- reference:end -->"
DOC = Path(__file__).resolve().parents[2] / "docs" / "authoring.md"

_KIND_NAMES = {"actor": "actor id", "meter": "meter id", "standoff": "standoff id", "place": "place id",
               "choice": "choice id", "move": "move id", "term": "term id", "value": "meter or issue id",
               "actor or none": 'actor id or `"none"`'}


def _is_effects(tp: typing.Any) -> bool:
    return tp == schema.Effects


def _short(cls: type) -> str:
    """A table's title without its '(inside ...)' note, as it reads inside a sentence."""
    title = TABLES[cls].title.split(" (")[0]
    return title if title[:2].isupper() else title[0].lower() + title[1:]


def type_text(tp: typing.Any, key: Key | None) -> str:
    """A type as an author reads it: "expression", "list of actor ids", "effects", ..."""
    kind = key.kind if key else ""
    tp = _strip_none(tp)
    if _is_effects(tp):
        return "effects"
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if tp is str:
        if kind == "expr":
            return "expression"
        return _KIND_NAMES.get(kind, "text")
    if tp is bool:
        return "true / false"
    if tp is int:
        return "whole number"
    if tp is float:
        return "number"
    if attrs.has(tp):
        return "source" if tp is schema.Source else f"table ({_short(tp)})"
    if origin is list:
        inner = args[0]
        if attrs.has(inner):
            return f"array of tables ({_short(inner)})"
        name = _KIND_NAMES.get(kind, "text")
        return f"list of {name}s" if kind in _KIND_NAMES else "list of " + type_text(inner, None) + "s"
    if origin is dict:
        inner = args[1]
        if attrs.has(inner):
            by = "level number" if key and key.keys == LEVEL_KEY_PATTERN else "id"
            return f"tables by {by} ({_short(inner)})"
        name = _KIND_NAMES.get(kind, "name")
        return f"table of {name} = {type_text(inner, None)}"
    return str(tp)  # pragma: no cover - every hint in the schema is handled above


def _toml(value: typing.Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        return "[]" if not value else "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{}" if not value else "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    return str(value)


def default_text(field: attrs.Attribute) -> str:
    d = field.default
    if d is attrs.NOTHING:
        return "**required**"
    if isinstance(d, attrs.Factory):  # type: ignore[arg-type]
        d = d.factory()
    if d is None:
        return "optional"
    if attrs.has(type(d)):
        return "optional"
    return f"`{_toml(d)}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table_text(cls: type) -> str:
    t = TABLES[cls]
    hints = _hints(cls)
    docs = FIELDS[cls]
    out = [f"### {t.title}: `{t.header}`" if t.header != "(top level)" else f"### {t.title}", "", t.intro, "",
           "| key | type | default | meaning |", "|---|---|---|---|"]
    fields = sorted(attrs.fields(cls), key=lambda f: f.default is not attrs.NOTHING)  # required first
    for f in fields:
        key = docs[f.name]
        out.append(f"| `{f.name}` | {type_text(hints[f.name], key)} | {default_text(f)} | {_cell(key.text)} |")
    return "\n".join(out)


def _effects_text() -> str:
    return """### Effects

An effects table maps meter and issue ids to changes: a number, or an expression in quotes
computed when the effect applies. `effects = { tension = 10, prestige = "-0.2 * prestige", union = 1 }`.
For a meter the change is added and the result kept inside its range; for an issue it is a number
of levels up (+) or down (-), kept on the ladder. Derived meters (with a `formula`) cannot appear.
All the changes of one effects table are computed from the state *before* any of them applies.

Every issue also gives moves and terms without writing them: `raised_by = ["a"]` makes the move
`raise:ISSUE`, `lowered_by` the move `lower:ISSUE`, `moved_by` the deal term `raise:ISSUE` (with
`:ACTOR` added when several actors are listed)."""


def _expressions_text() -> str:
    context = ", ".join(f"`{n}`" for n in expr.CONTEXT)
    functions = ", ".join(f"`{n}`" for n in sorted(expr.FUNCTIONS))
    reserved = ", ".join(f"`{n}`" for n in sorted(RESERVED))
    special = ", ".join(f"`{n}`" for n in sorted(SPECIAL_MOVES))
    return f"""### Expressions

Conditions (`when`, `rupture`, `expect`, ending conditions) and amounts (`drift`, `formula`, effect
values in quotes) are written in a small expression language. It is always a string in the file:
`when = "tension >= 60 and turn > 3"`.

| you can write | meaning |
|---|---|
| `12`, `0.5`, `-3` | numbers |
| a meter or issue id | its current value (an issue's value is its level number, from 0) |
| {context} | the current turn (from 1), the calendar year and month (1-12) of the turn, and the standoff round (1, 2, …; 0 outside a standoff) |
| `true`, `false` | truth values |
| `+ - * /` | arithmetic; division by zero gives 0 |
| `< <= > >= == !=` | comparisons; they chain: `20 <= tension < 60` |
| `and`, `or`, `not` | logic |
| `( )` | grouping |
| `min(a, b, …)`, `max(a, b, …)` | smallest and largest of two or more values |
| `clamp(x, low, high)` | x kept between low and high |
| `abs(x)` | x without its sign |

The functions are exactly {functions}. Nothing else is allowed: no other names, calls, `**`,
`x if c else y`, attribute access or indexing. An expression is at most {expr.MAX_LENGTH:,}
characters long and nests at most {expr.MAX_DEPTH} brackets deep. A misspelt name is an error when
the file loads, with a suggestion: `unknown name 'tenson' (did you mean 'tension'?)`.

Reserved words, which cannot be meter, issue or place ids: {reserved}. Reserved move names, which
cannot be move ids: {special}."""


def render_reference() -> str:
    """The whole reference section, between (and including) the markers."""
    parts = [BEGIN, "", "## Reference", "",
             "Every key of the format, generated from the format's definition "
             "(`game/scenario/schema.py`). \"Required\" keys must be written; the others may be left out "
             "and take the default shown. Ids are lower_snake_case (`[a-z][a-z0-9_]*`); meters and "
             "issues share one set of names.", ""]
    for cls in ORDER:
        parts += [table_text(cls), ""]
    parts += [_effects_text(), "", _expressions_text(), "", END]
    return "\n".join(parts)


def _bounds(document: str) -> tuple[int, int]:
    start = document.find("<!-- reference:begin")
    end = document.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the document has no '<!-- reference:begin -->' ... '{END}' section")
    return start, end + len(END)


def splice(document: str, reference: str | None = None) -> str:
    """The document with its reference section replaced by a freshly rendered one."""
    start, end = _bounds(document)
    return document[:start] + (reference or render_reference()) + document[end:]


def current_section(document: str) -> str:
    start, end = _bounds(document)
    return document[start:end]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m game.authoring.reference", description=__doc__.split("\n")[0])
    ap.add_argument("file", nargs="?", default=str(DOC))
    ap.add_argument("--check", action="store_true", help="exit 1 if the section is out of date")
    args = ap.parse_args(argv)
    path = Path(args.file)
    text = path.read_text(encoding="utf-8")
    fresh = splice(text)
    if args.check:
        if fresh != text:
            print(f"{path}: the reference section is out of date; run python -m game.authoring.reference",
                  file=sys.stderr)
            return 1
        return 0
    if fresh != text:
        path.write_text(fresh, encoding="utf-8")
        print(f"{path}: reference section updated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
