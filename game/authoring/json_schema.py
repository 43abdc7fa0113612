"""A JSON Schema of the scenario format, derived from the attrs classes in game/scenario/schema.py.

Editors that understand JSON Schemas for TOML (taplo and the editors built on it) use it for
completion, hover text and checking as you type. It keeps to draft-04 keywords, the newest that
taplo reads. It checks the shape of a file; `union-state validate` still checks the meaning (names
that must exist, expressions, ranges).
"""

from __future__ import annotations

import json
import types
import typing

import attrs

from game.authoring.fields import FIELDS, TABLES
from game.scenario import schema

DRAFT = "http://json-schema.org/draft-04/schema#"


def _hints(cls: type) -> dict[str, typing.Any]:
    return typing.get_type_hints(cls, vars(schema))


def _strip_none(tp: typing.Any) -> typing.Any:
    """``X | None`` is X: TOML has no null, so an optional key is simply left out."""
    args = typing.get_args(tp)
    if typing.get_origin(tp) in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return rest[0] if len(rest) == 1 else typing.Union[tuple(rest)]
    return tp


def type_schema(tp: typing.Any) -> dict:
    """The JSON Schema of a type hint used in the schema classes."""
    tp = _strip_none(tp)
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if tp is str:
        return {"type": "string"}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is float:
        return {"type": "number"}
    if origin in (typing.Union, types.UnionType):
        kinds = []
        for a in args:
            sub = type_schema(a)
            if set(sub) != {"type"}:
                raise TypeError(f"cannot express the union {tp!r} in the schema")
            kinds.append(sub["type"])
        return {"type": kinds}
    if origin is list:
        return {"type": "array", "items": type_schema(args[0])}
    if origin is dict:
        if args[0] is not str:
            raise TypeError(f"table keys must be strings, not {args[0]!r}")
        return {"type": "object", "additionalProperties": type_schema(args[1])}
    if attrs.has(tp):
        return {"$ref": f"#/definitions/{tp.__name__}"}
    raise TypeError(f"no JSON Schema for {tp!r}")


def _default(field: attrs.Attribute) -> typing.Any:
    d = field.default
    if d is attrs.NOTHING or d is None:
        return attrs.NOTHING
    if isinstance(d, attrs.Factory):  # type: ignore[arg-type]
        d = d.factory()
    if attrs.has(type(d)):
        return attrs.asdict(d)
    return d


def class_schema(cls: type) -> dict:
    """The schema of one table: its keys, which are required, no others."""
    hints = _hints(cls)
    docs = FIELDS.get(cls, {})
    props: dict[str, dict] = {}
    required: list[str] = []
    for field in attrs.fields(cls):
        key = docs.get(field.name)
        prop = type_schema(hints[field.name])
        if key is not None:
            extra = dict(key.schema)
            if key.keys:  # a table keyed by ids: the ids must match a pattern
                prop = {"type": "object", "patternProperties": {key.keys: prop["additionalProperties"]},
                        "additionalProperties": False}
            elif "additionalProperties" in extra and prop.get("type") == "object":
                prop["additionalProperties"] = extra.pop("additionalProperties")
            if prop.get("type") == "array" and key.schema.get("pattern"):
                prop["items"] = {**prop["items"], "pattern": extra.pop("pattern")}
            prop.update(extra)
            text = key.text + (" (an expression)" if key.kind == "expr" else "")
            prop = {"description": text, **prop} if "$ref" not in prop else {"allOf": [prop], "description": text}
        default = _default(field)
        if field.default is attrs.NOTHING:
            required.append(field.name)
        elif default is not attrs.NOTHING:
            prop["default"] = default
        props[field.name] = prop
    out: dict = {"type": "object"}
    table = TABLES.get(cls)
    if table:
        out["title"] = table.header
        out["description"] = table.intro
    out["properties"] = props
    if required:
        out["required"] = required
    out["additionalProperties"] = False
    return out


def _classes(root: type) -> list[type]:
    """Every attrs class reachable from root, in the order first met."""
    seen: list[type] = []

    def walk(tp: typing.Any) -> None:
        tp = _strip_none(tp)
        if attrs.has(tp):
            if tp in seen:
                return
            seen.append(tp)
            for hint in _hints(tp).values():
                walk(hint)
            return
        for a in typing.get_args(tp):
            walk(a)

    walk(root)
    return seen


def json_schema() -> dict:
    """The JSON Schema (draft-04) of a scenario file."""
    root = class_schema(schema.ScenarioFile)
    defs = {cls.__name__: class_schema(cls) for cls in _classes(schema.ScenarioFile)
            if cls is not schema.ScenarioFile}
    return {"$schema": DRAFT, "title": "Union State scenario, format 1",
            "description": "A scenario file for Union State (docs/authoring.md). Generated by "
                           "`union-state schema` from the format's own definition.",
            **{k: v for k, v in root.items() if k not in ("title", "description")},
            "definitions": defs}


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
