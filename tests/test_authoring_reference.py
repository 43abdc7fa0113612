"""The reference in docs/authoring.md is generated from the schema classes and cannot drift from them."""

from __future__ import annotations

import inspect

import attrs

from game.authoring import reference
from game.authoring.fields import FIELDS, ORDER, TABLES
from game.scenario import schema

SCHEMA_CLASSES = [c for _, c in inspect.getmembers(schema, inspect.isclass)
                  if attrs.has(c) and c.__module__ == schema.__name__]


def test_every_key_of_every_schema_class_has_a_description_and_no_key_is_invented():
    assert set(FIELDS) == set(SCHEMA_CLASSES) == set(TABLES) == set(ORDER)
    for cls in SCHEMA_CLASSES:
        names = {f.name for f in attrs.fields(cls)}
        assert set(FIELDS[cls]) == names, cls.__name__
        for name, key in FIELDS[cls].items():
            assert key.text.strip().endswith((".", ")")), f"{cls.__name__}.{name}: write a sentence"


def test_the_reference_section_of_docs_authoring_md_is_the_generated_one():
    text = reference.DOC.read_text(encoding="utf-8")
    assert reference.current_section(text) == reference.render_reference(), (
        "docs/authoring.md is out of date: run python -m game.authoring.reference")


def test_the_reference_lists_every_key_as_a_table_row():
    text = reference.render_reference()
    for cls in SCHEMA_CLASSES:
        section = reference.table_text(cls)
        assert section in text
        for f in attrs.fields(cls):
            assert f"| `{f.name}` |" in section, f"{cls.__name__}.{f.name}"


def test_the_check_mode_fails_on_a_stale_document(tmp_path, capsys):
    stale = tmp_path / "authoring.md"
    text = reference.DOC.read_text(encoding="utf-8")
    stale.write_text(text.replace("| `cooldown` |", "| `cooldwn` |", 1), encoding="utf-8")
    assert reference.main([str(stale), "--check"]) == 1
    assert reference.main([str(stale)]) == 0
    assert reference.main([str(stale), "--check"]) == 0
    assert stale.read_text(encoding="utf-8") == text
