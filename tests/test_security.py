"""Attempts to break out of the expression language or the loader: each must be a ScenarioError,
quickly, with nothing executed."""

import time
from pathlib import Path

import pytest

from game.scenario import ScenarioError, load_bytes, load_scenario
from tests.conftest import TEST_SCENARIO

BASE = TEST_SCENARIO.read_text(encoding="utf-8")
MARKER = Path("/tmp/union_state_pwned")

ATTACKS = [
    "__import__('os').system('touch /tmp/union_state_pwned')",
    "().__class__",
    "().__class__.__bases__[0].__subclasses__()",
    "autonomy.__class__",
    "open('x')",
    "lambda: 1",
    "9**9**9**9",
    "[x for x in (1, 2)]",
    "eval('1')",
    "exec('1')",
    "globals()",
    "autonomy if trade else 1",
    "(autonomy := 5)",
    "'text' < 'other'",
    "b'bytes'",
    "min(*[1, 2])",
    "max(key=1)",
    "__builtins__",
    "1e999",
    "10 ** 10",
    "autonomy[0]",
    "{1: 2}",
    "f'{autonomy}'",
]


def toml_string(expr: str) -> str:
    return "'''" + expr + "'''"


@pytest.mark.parametrize("attack", ATTACKS)
def test_an_attack_in_an_expression_is_refused_quickly_and_runs_nothing(attack):
    MARKER.unlink(missing_ok=True)
    text = BASE.replace('when = "patience > 20"', "when = " + toml_string(attack), 1)
    t0 = time.perf_counter()
    with pytest.raises(ScenarioError) as err:
        load_bytes(text.encode("utf-8"), "attack.toml")
    assert time.perf_counter() - t0 < 15
    assert not MARKER.exists()
    problem = err.value.problems[0]
    assert problem.path == "moves[0].when"
    assert problem.line is not None


def test_ten_thousand_nested_parentheses_are_refused():
    attack = "(" * 10_000 + "1" + ")" * 10_000
    text = BASE.replace('when = "patience > 20"', f'when = "{attack}"', 1)
    t0 = time.perf_counter()
    with pytest.raises(ScenarioError) as err:
        load_bytes(text.encode(), "deep.toml")
    assert time.perf_counter() - t0 < 15
    assert "nests" in str(err.value) or "deep" in str(err.value)


def test_a_one_megabyte_expression_is_refused():
    attack = "1 + " * 250_000 + "1"
    text = BASE.replace('when = "patience > 20"', f'when = "{attack}"', 1)
    t0 = time.perf_counter()
    with pytest.raises(ScenarioError) as err:
        load_bytes(text.encode(), "big.toml")
    assert time.perf_counter() - t0 < 15
    assert "characters long" in str(err.value)


def test_non_utf8_bytes_are_refused_with_the_line():
    data = BASE.encode("utf-8").replace(b"Mayor Ana", b"Mayor \xff\xfe", 1)
    with pytest.raises(ScenarioError) as err:
        load_bytes(data, "latin.toml")
    assert "UTF-8" in str(err.value)
    assert err.value.problems[0].line is not None


def test_an_empty_file_is_refused(tmp_path):
    p = tmp_path / "empty.toml"
    p.write_bytes(b"")
    with pytest.raises(ScenarioError) as err:
        load_scenario(p)
    assert "empty" in str(err.value)


def test_a_huge_file_is_refused_before_parsing(tmp_path):
    p = tmp_path / "huge.toml"
    p.write_bytes(b"# " + b"x" * 3_000_000)
    with pytest.raises(ScenarioError) as err:
        load_scenario(p)
    assert "limit" in str(err.value)


def test_garbage_toml_is_a_scenario_error_with_a_line():
    with pytest.raises(ScenarioError) as err:
        load_bytes(b"format = 1\n[scenario\nid = 3\n", "broken.toml")
    assert err.value.problems[0].line == 2
