"""Computer players. One protocol, ``policy.choose(view, legal, rng) -> Move``; see docs/simulation.md.

    from game.ai import make_policy
    p = make_policy("hard", scenario, "moscow", seed=7)
    move = p.choose(game.engine.view(state, "moscow"), game.engine.legal_moves(state), rng)

A policy name may carry options: ``"greedy:noise=0.2,caution=0.9"``, ``"search:iterations=400"``.
"""

from __future__ import annotations

from game.ai.greedy import GreedyPolicy
from game.ai.historical import HistoricalPolicy
from game.ai.policy import Policy, is_offered, offered_terms
from game.ai.search import SearchPolicy
from game.ai.uniform import RandomPolicy
from game.scenario import Scenario

POLICIES: dict[str, str] = {
    "random": "picks uniformly among the legal moves",
    "greedy": "one-ply look-ahead with the side's own values, personality and a little noise",
    "search": "Monte Carlo search over determinised worlds (iteration or time budget)",
    "historical": "plays the scenario's historical line where it has one, greedy elsewhere",
}

# Difficulty levels for the interface: each is a policy spec. The first three are the greedy player
# with more or less noise in its judgement, so they play alike on any machine; the steps were set
# with `compare` (docs/simulation.md, Difficulty). Expert searches: up to 200 playouts in a quarter
# of a second a move (about 150 on the road map with compiled playouts, game.fast.games).
DIFFICULTIES: dict[str, str] = {
    "easy": "greedy:noise=0.1,caution=0.2",
    "normal": "greedy",
    "hard": "greedy:noise=0.03",
    "expert": "search:iterations=200,time=0.25",
}

DIFFICULTY_TEXT: dict[str, str] = {
    "easy": "Careless: misjudges what options are worth, and takes risks it should not.",
    "normal": "Takes the best-looking option each time, with the side's own personality.",
    "hard": "Weighs every option with a steady hand: few slips of judgement.",
    "expert": "Looks ahead: plays its best options out to the end many times before moving.",
}

_CLASSES = {"random": RandomPolicy, "greedy": GreedyPolicy, "search": SearchPolicy,
            "historical": HistoricalPolicy}
_OPTIONS = {
    "random": {},
    "greedy": {"noise": float, "caution": float, "risk": float, "rivalry": float, "blunder": float,
               "belief_noise": float},
    "search": {"iterations": int, "time": float, "horizon": int, "width": int,
               "models": int, "belief_noise": float, "rollout_noise": float, "gap": float,
               "confidence": float,
               "noise": float, "caution": float, "risk": float, "rivalry": float},
    "historical": {"noise": float, "caution": float, "risk": float, "rivalry": float,
                   "belief_noise": float},
}


class PolicyError(ValueError):
    """An unknown policy name or option; the message says what is allowed."""


def parse_spec(spec: str) -> tuple[str, dict]:
    """Split ``"name:key=value,..."`` into the policy name and typed options; difficulty names
    expand to their spec. Raises PolicyError with a readable message."""
    if not isinstance(spec, str) or not spec.strip():
        raise PolicyError("empty policy name; choose one of " + ", ".join([*POLICIES, *DIFFICULTIES]))
    spec = spec.strip()
    name, _, rest = spec.partition(":")
    name = name.strip().lower()
    if name in DIFFICULTIES:
        base, extra = parse_spec(DIFFICULTIES[name])
        if rest:
            extra.update(parse_spec(f"{base}:{rest}")[1])
        return base, extra
    if name not in _CLASSES:
        from game.scenario.expr import suggest

        hint = suggest(name, [*POLICIES, *DIFFICULTIES])
        raise PolicyError(f"unknown policy '{name}'" + (f" ({hint})" if hint else "") +
                          "; choose one of " + ", ".join([*POLICIES, *DIFFICULTIES]))
    allowed = _OPTIONS[name]
    options: dict = {}
    for part in filter(None, (p.strip() for p in rest.split(","))):
        key, eq, value = part.partition("=")
        key = key.strip()
        if not eq or key not in allowed:
            choices = ", ".join(allowed) or "none"
            raise PolicyError(f"policy '{name}' has no option '{part}'; its options: {choices}")
        try:
            options[key] = allowed[key](value.strip())
        except ValueError:
            raise PolicyError(f"option {key} of policy '{name}' needs a number, not '{value}'") from None
        # Bounds: a finite number, and counts and time budgets a game can afford.
        low, high = {"iterations": (1, 10_000_000), "time": (0.001, 600.0), "horizon": (0, 10_000),
                     "width": (1, 1_000), "models": (1, 1_000)}.get(key, (-1_000_000, 1_000_000))
        x = options[key]
        if not (x == x and low <= x <= high):  # x == x: false for NaN
            raise PolicyError(f"option {key} of policy '{name}' must be between {low:,} and {high:,}, "
                              f"not '{value.strip()}'")
    return name, options


def make_policy(name: str, scenario: Scenario, actor: str, seed: int = 0) -> Policy:
    """A policy by name (``random``, ``greedy``, ``search``, ``historical``, optionally with
    ``:key=value`` options) or difficulty (``easy``, ``normal``, ``hard``) for ``actor``."""
    base, options = parse_spec(name)
    if actor not in scenario.players:
        raise PolicyError(f"'{actor}' is not a side in {scenario.id}; sides: {', '.join(scenario.players)}")
    policy = _CLASSES[base](scenario, actor, int(seed), **options)
    if base != name.strip():
        policy.name = name.strip()
    return policy


__all__ = ["DIFFICULTIES", "DIFFICULTY_TEXT", "POLICIES", "GreedyPolicy", "HistoricalPolicy", "Policy",
           "PolicyError", "RandomPolicy", "SearchPolicy", "is_offered", "make_policy", "offered_terms",
           "parse_spec"]
