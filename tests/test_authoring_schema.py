"""`union-state schema`: a JSON Schema generated from the format's attrs classes, that every shipped
scenario satisfies and that catches the mistakes an editor should underline."""

from __future__ import annotations

import json
import re
import tomllib

import attrs
import pytest

from game.authoring.json_schema import _classes, json_schema
from game.authoring.starter import starter_text
from game.cli import main
from game.scenario import schema
from tests.conftest import ROOT, TEST_SCENARIO

SHIPPED = sorted((ROOT / "scenarios").glob("*.toml"))


def check(instance, sch: dict, root: dict | None = None, path: str = "$") -> list[str]:
    """A small draft-04 validator for the keywords the generated schema uses (no dependency)."""
    root = root or sch
    if "$ref" in sch:
        name = sch["$ref"].rsplit("/", 1)[1]
        return check(instance, root["definitions"][name], root, path)
    errors: list[str] = []
    for sub in sch.get("allOf", []):
        errors += check(instance, sub, root, path)
    kinds = sch.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        ok = {"string": isinstance(instance, str), "boolean": isinstance(instance, bool),
              "integer": isinstance(instance, int) and not isinstance(instance, bool),
              "number": isinstance(instance, (int, float)) and not isinstance(instance, bool),
              "array": isinstance(instance, list), "object": isinstance(instance, dict)}
        if not any(ok[k] for k in kinds):
            return errors + [f"{path}: expected {kinds}, got {type(instance).__name__}"]
    if "enum" in sch and instance not in sch["enum"]:
        errors.append(f"{path}: {instance!r} not in {sch['enum']}")
    if isinstance(instance, str) and "pattern" in sch and not re.search(sch["pattern"], instance):
        errors.append(f"{path}: {instance!r} does not match {sch['pattern']}")
    if isinstance(instance, (int, float)) and not isinstance(instance, bool):
        if "minimum" in sch and instance < sch["minimum"]:
            errors.append(f"{path}: {instance} < {sch['minimum']}")
        if "maximum" in sch and instance > sch["maximum"]:
            errors.append(f"{path}: {instance} > {sch['maximum']}")
    if isinstance(instance, list):
        if len(instance) < sch.get("minItems", 0) or len(instance) > sch.get("maxItems", 10**9):
            errors.append(f"{path}: {len(instance)} items")
        for i, item in enumerate(instance):
            if "items" in sch:
                errors += check(item, sch["items"], root, f"{path}[{i}]")
    if isinstance(instance, dict):
        for key in sch.get("required", []):
            if key not in instance:
                errors.append(f"{path}: missing {key}")
        props = sch.get("properties", {})
        patterns = sch.get("patternProperties", {})
        extra = sch.get("additionalProperties", True)
        for key, value in instance.items():
            if key in props:
                errors += check(value, props[key], root, f"{path}.{key}")
                continue
            matched = [p for p in patterns if re.search(p, key)]
            for p in matched:
                errors += check(value, patterns[p], root, f"{path}.{key}")
            if not matched:
                if extra is False:
                    errors.append(f"{path}: unknown key {key}")
                elif isinstance(extra, dict):
                    errors += check(value, extra, root, f"{path}.{key}")
    return errors


def validate_both(doc: dict) -> list[str]:
    """Errors from the small validator, cross-checked against the jsonschema package if present."""
    sch = json_schema()
    mine = check(doc, sch)
    try:
        import jsonschema
    except ImportError:
        return mine
    theirs = list(jsonschema.Draft4Validator(sch).iter_errors(doc))
    assert bool(mine) == bool(theirs), (mine, [e.message for e in theirs])
    return mine


def test_the_schema_is_a_valid_draft_04_schema():
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft4Validator.check_schema(json_schema())


def test_the_schema_has_exactly_the_keys_of_every_schema_class():
    sch = json_schema()
    tables = {cls.__name__: cls for cls in _classes(schema.ScenarioFile)}
    assert set(sch["definitions"]) == set(tables) - {"ScenarioFile"}
    for name, cls in tables.items():
        node = sch if cls is schema.ScenarioFile else sch["definitions"][name]
        fields = attrs.fields(cls)
        assert set(node["properties"]) == {f.name for f in fields}, name
        assert set(node.get("required", [])) == {f.name for f in fields if f.default is attrs.NOTHING}, name
        assert node["additionalProperties"] is False
        for prop in node["properties"].values():
            assert prop.get("description"), name


def test_effect_amounts_are_numbers_or_expression_strings():
    move = json_schema()["definitions"]["Move"]["properties"]["effects"]
    assert move["additionalProperties"] == {"type": ["number", "string"]}


@pytest.mark.parametrize("path", [*SHIPPED, TEST_SCENARIO], ids=lambda p: p.name)
def test_every_shipped_scenario_satisfies_the_schema(path):
    assert validate_both(tomllib.loads(path.read_text(encoding="utf-8"))) == []


def test_the_starter_satisfies_the_schema():
    assert validate_both(tomllib.loads(starter_text("my-scenario"))) == []


@pytest.mark.parametrize("edit, where", [
    (lambda d: d["moves"][0].update(cooldwn=2), "unknown key cooldwn"),
    (lambda d: d["moves"][0].update(cooldown="2"), "cooldown"),
    (lambda d: d["events"][1].update(chance=1.5), "chance"),
    (lambda d: d["endings"][0].update(grade="crushing"), "grade"),
    (lambda d: d["scenario"].pop("turns"), "missing turns"),
    (lambda d: d["meters"].update({"Bad-Id": d["meters"]["trade"]}), "Bad-Id"),
    (lambda d: d["issues"]["customs"]["on_level"].update(two={}), "two"),
    (lambda d: d["moves"][1]["effects"].update(trade=True), "effects.trade"),
])
def test_the_schema_catches_what_an_editor_should_underline(edit, where):
    doc = tomllib.loads(TEST_SCENARIO.read_text(encoding="utf-8"))
    edit(doc)
    errors = validate_both(doc)
    assert any(where in e for e in errors), errors


def test_union_state_schema_prints_it_and_writes_it(tmp_path, capsys):
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == json_schema()
    out = tmp_path / "union-state.schema.json"
    assert main(["schema", "--output", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == json_schema()
