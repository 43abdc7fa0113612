"""What-if overrides (``--set NAME=VALUE``): a start value, a weight or a personality trait.

    rating=30             start value of a meter (or level index of an issue)
    minsk.regime=2.0      a weight in Minsk's private values (adds it if absent)
    moscow.caution=0.9    a personality trait of Moscow's AI: caution, risk or noise
"""

from __future__ import annotations

import math

import attrs

from game.scenario import Scenario
from game.scenario.expr import suggest

TRAITS = ("caution", "risk", "noise")


class OverrideError(ValueError):
    """A --set name or value the scenario does not have; the message says what would work."""


def parse_assignment(text: str) -> tuple[str, float]:
    """``"NAME=VALUE"`` → (name, float value)."""
    name, eq, value = text.partition("=")
    name = name.strip()
    if not eq or not name:
        raise OverrideError(f"'{text}' is not NAME=VALUE (for example rating=30 or minsk.regime=2)")
    try:
        number = float(value)
    except ValueError:
        raise OverrideError(f"the value in '{text}' is not a number") from None
    if not math.isfinite(number) or abs(number) > 1e12:
        raise OverrideError(f"the value in '{text}' must be a finite number between -1e12 and 1e12")
    return name, number


def check(sc: Scenario, name: str, value: float) -> None:
    """Raise OverrideError unless ``name=value`` can be applied to the scenario."""
    apply_overrides(sc, {name: value})


def apply_overrides(sc: Scenario, overrides: dict[str, float]) -> Scenario:
    """A copy of the scenario with the overrides applied (the original is untouched)."""
    if not overrides:
        return sc
    start = list(sc.start)
    weights = [dict(w) for w in sc.weights]
    traits: dict[str, dict[str, float]] = {}
    derived = {s for s, _ in sc.derived}
    for name, value in overrides.items():
        actor, dot, rest = name.partition(".")
        if dot:
            if actor not in sc.players:
                hint = suggest(actor, list(sc.players))
                raise OverrideError(f"unknown side '{actor}' in --set {name}" + (f" ({hint})" if hint else "")
                                    + f"; sides: {', '.join(sc.players)}")
            if rest in TRAITS:
                if rest != "noise" and not 0 <= value <= 1:
                    raise OverrideError(f"--set {name}: {rest} must be between 0 and 1")
                if value < 0:
                    raise OverrideError(f"--set {name}: noise cannot be negative")
                traits.setdefault(actor, {})[rest] = value
                continue
            slot = sc.slots.get(rest)
            if slot is None:
                hint = suggest(rest, [*sc.names, *TRAITS])
                raise OverrideError(f"unknown meter or issue '{rest}' in --set {name}" +
                                    (f" ({hint})" if hint else "") +
                                    f"; a weight is {actor}.METER, a trait {actor}.caution/risk/noise")
            weights[sc.actor_index(actor)][slot] = value
            continue
        slot = sc.slots.get(name)
        if slot is None:
            hint = suggest(name, _candidates(sc))
            raise OverrideError(f"unknown --set name '{name}'" + (f" ({hint})" if hint else "") +
                                "; use a meter or issue for a start value, SIDE.METER for a weight, "
                                "SIDE.caution/risk/noise for a trait")
        if slot in derived:
            raise OverrideError(f"--set {name}: '{name}' is derived from a formula and has no start value")
        lo, hi = sc.lo[slot], sc.hi[slot]
        if not lo <= value <= hi:
            raise OverrideError(f"--set {name}={value:g} is outside its range [{lo:g}, {hi:g}]")
        if slot >= sc.n_meters:
            if value != int(value):
                raise OverrideError(f"--set {name}: an issue's start is a level index "
                                    f"(0–{hi:g}), not {value:g}")
            value = float(int(value))
        start[slot] = value
    new_weights = []
    for i, w in enumerate(weights):
        items = tuple((s, x) for s, x in w.items() if x)
        if not items:
            raise OverrideError(f"--set leaves {sc.players[i]} with no non-zero weight")
        new_weights.append(items)
    changes = {"start": tuple(start), "weights": tuple(new_weights)}
    if any(f.name == "cache" for f in attrs.fields(type(sc))):
        changes["cache"] = {}  # the engine's memo belongs to one scenario object
    out = attrs.evolve(sc, **changes)
    if traits:
        actors = dict(sc.raw.actors)
        for actor, t in traits.items():
            act = actors[actor]
            actors[actor] = attrs.evolve(act, ai=attrs.evolve(act.ai, **t))
        out = attrs.evolve(out, raw=attrs.evolve(sc.raw, actors=actors))
    return out


def _candidates(sc: Scenario) -> list[str]:
    return [*sc.names, *(f"{a}.{t}" for a in sc.players for t in TRAITS)]
