"""A cattrs converter with strict hooks: no silent coercion of strings, bools or floats."""

from __future__ import annotations

import math
import re
import typing
from typing import Any

import cattrs

from game.scenario.schema import Amount


def _type_name(value: Any) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
            list: "an array", dict: "a table"}.get(type(value), type(value).__name__)


# The largest number a scenario may write; beyond it sums and ranges could overflow.
MAX_NUMBER = 1e12


def _check_size(value: int | float) -> None:
    if not math.isfinite(value):
        raise TypeError(f"expected a finite number, found {value!r}")
    if abs(value) > MAX_NUMBER:
        raise TypeError(f"expected a number between -1e12 and 1e12, found {float(value):.3g}")


def _strict_float(value: Any, _t: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected a number, found {_type_name(value)} {value!r}"[:120])
    _check_size(value)
    return float(value)


def _strict_int(value: Any, _t: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected a whole number, found {_type_name(value)} {value!r}"[:120])
    _check_size(value)
    return value


MAX_TEXT = 20_000
# Control characters (a NUL breaks font rendering, escapes move the terminal's cursor); tabs and
# newlines stay.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def clean_text(value: str) -> str:
    """A string without control characters."""
    return _CONTROL.sub("", value)


def _strict_str(value: Any, _t: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, found {_type_name(value)} {value!r}"[:120])
    if len(value) > MAX_TEXT:
        raise TypeError(f"expected a string of at most {MAX_TEXT:,} characters; this one is "
                        f"{len(value):,} characters long")
    return clean_text(value)


def _strict_bool(value: Any, _t: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, found {_type_name(value)} {value!r}"[:120])
    return value


def _amount(value: Any, _t: Any) -> float | str:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise TypeError(f"expected a number or an expression string, found {_type_name(value)}")
    if not isinstance(value, str):
        _check_size(value)
    return value if isinstance(value, str) else float(value)


def _strict_lists(conv: cattrs.Converter) -> None:
    """Refuse a string where an array belongs (cattrs would take "port" as ['p', 'o', 'r', 't'])."""
    try:
        from cattrs.cols import list_structure_factory
    except ImportError:  # pragma: no cover - cattrs before 24.1 keeps its own list hook
        return

    def factory(t, converter):
        inner = list_structure_factory(t, converter)

        def hook(value, _t):
            if not isinstance(value, list):
                raise TypeError(f"expected an array, found {_type_name(value)} {value!r}"[:120])
            return inner(value, _t)

        return hook

    conv.register_structure_hook_factory(lambda t: typing.get_origin(t) is list, factory)


def make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    _strict_lists(conv)
    conv.register_structure_hook(float, _strict_float)
    conv.register_structure_hook(int, _strict_int)
    conv.register_structure_hook(str, _strict_str)
    conv.register_structure_hook(bool, _strict_bool)
    conv.register_structure_hook(Amount, _amount)
    return conv


CONVERTER = make_converter()

_DOLLAR = re.compile(r"\['([^']*)'\]")


def error_paths(exc: Exception) -> list[tuple[str, str]]:
    """(path, message) pairs from a cattrs structuring error, paths like 'events[3].when'."""
    out = []
    for line in cattrs.transform_error(exc, path="$", format_exception=_format):
        message, _, path = line.rpartition(" @ ")
        path = _DOLLAR.sub(lambda m: "." + m.group(1), path)
        path = path.removeprefix("$").lstrip(".")
        out.append((path, message))
    return out


def _format(exc: BaseException, type_: Any) -> str:
    if isinstance(exc, KeyError):
        return "required key is missing"
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        return "unknown key(s): " + ", ".join(sorted(exc.extra_fields))
    if isinstance(exc, TypeError) and str(exc).startswith("expected"):
        return str(exc)
    return cattrs.v.format_exception(exc, type_)
