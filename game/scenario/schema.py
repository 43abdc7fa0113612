"""attrs classes for the scenario file format (docs/format.md). One class per TOML table.

These classes are the format's single definition: the loader structures files into them with
cattrs, `union-state schema` derives the JSON Schema from them and the reference in
docs/authoring.md is checked against them.
"""

from __future__ import annotations

from typing import Union

import attrs

# An amount in an effects table: a number or an expression string.
Amount = Union[float, str]
Effects = dict[str, Amount]


@attrs.frozen
class Source:
    para: int | None = None
    quote: str | None = None
    invented: str | None = None
    outside: str | None = None


@attrs.frozen
class Header:
    id: str
    title: str
    period: str
    start: str
    months_per_turn: int
    turns: int
    players: list[str]
    summary: str
    source: Source
    briefing: str = ""
    history: str = ""
    deal_max_terms: int = 4


@attrs.frozen
class Document:
    author: str
    title: str
    publication: str = ""
    date: str = ""
    url: str = ""


@attrs.frozen
class Personality:
    caution: float = 0.5
    risk: float = 0.5
    noise: float = 0.05


@attrs.frozen
class Actor:
    name: str
    leader: str
    goal: str
    values: dict[str, float]
    ai: Personality = Personality()
    color: str = ""


@attrs.frozen
class Meter:
    name: str
    range: list[float]
    about: str = ""
    owner: str = ""
    start: float | None = None
    drift: str = ""
    formula: str = ""
    hidden_from: list[str] = attrs.Factory(list)
    unit: str = ""
    source: Source | None = None


@attrs.frozen
class LevelEntry:
    effects: Effects = attrs.Factory(dict)
    text: str = ""


@attrs.frozen
class Ledger:
    promised: int
    delivered: int
    within: int
    on_broken: Effects = attrs.Factory(dict)


@attrs.frozen
class Issue:
    name: str
    levels: list[str]
    start: int = 0
    group: str = ""
    kind: str = "other"
    moved_by: list[str] = attrs.Factory(list)
    raised_by: list[str] = attrs.Factory(list)
    lowered_by: list[str] = attrs.Factory(list)
    on_level: dict[str, LevelEntry] = attrs.Factory(dict)
    ledger: Ledger | None = None
    about: str = ""
    source: Source | None = None


@attrs.frozen
class Place:
    name: str
    lon: float
    lat: float
    label: str = ""


@attrs.frozen
class Map:
    frame: list[float] = attrs.Factory(list)
    places: list[str] = attrs.Factory(list)
    highlight: list[str] = attrs.Factory(list)


@attrs.frozen
class Move:
    id: str
    by: str
    name: str
    source: Source
    text: str = ""
    when: str = ""
    cost: dict[str, float] = attrs.Factory(dict)
    cooldown: int = 0
    once: bool = False
    effects: Effects = attrs.Factory(dict)
    opens: str = ""
    place: str = ""


@attrs.frozen
class Term:
    id: str
    by: str
    name: str
    source: Source
    text: str = ""
    when: str = ""
    effects: Effects = attrs.Factory(dict)


@attrs.frozen
class Standoff:
    id: str
    name: str
    by: str
    target: str
    tension: str
    rounds: int
    source: Source
    text: str = ""
    press: Effects = attrs.Factory(dict)
    concede: Effects = attrs.Factory(dict)
    back_down: Effects = attrs.Factory(dict)
    rupture: str = ""
    rupture_effects: Effects = attrs.Factory(dict)


@attrs.frozen
class Choice:
    id: str
    label: str
    text: str = ""
    effects: Effects = attrs.Factory(dict)
    ai: float = 1.0
    when: str = ""


@attrs.frozen
class Event:
    id: str
    title: str
    text: str
    source: Source
    when: str = ""
    chance: float = 1.0
    repeat: bool = False
    cooldown: int = 0
    effects: Effects = attrs.Factory(dict)
    actor: str = ""
    choices: list[Choice] = attrs.Factory(list)
    default: str = ""
    place: str = ""


@attrs.frozen
class Ending:
    id: str
    title: str
    text: str
    when: str
    winner: str
    grade: str
    source: Source
    timeout: bool = False
    bonus: dict[str, float] = attrs.Factory(dict)


@attrs.frozen
class HistoricalMove:
    turn: int
    by: str
    move: str
    terms: list[str] = attrs.Factory(list)
    choice: str = ""
    source: Source | None = None


@attrs.frozen
class Historical:
    until: int
    expect: str = ""
    moves: list[HistoricalMove] = attrs.Factory(list)


@attrs.frozen
class ScenarioFile:
    format: int
    scenario: Header
    actors: dict[str, Actor]
    meters: dict[str, Meter]
    endings: list[Ending]
    document: Document | None = None
    issues: dict[str, Issue] = attrs.Factory(dict)
    places: dict[str, Place] = attrs.Factory(dict)
    map: Map | None = None
    moves: list[Move] = attrs.Factory(list)
    terms: list[Term] = attrs.Factory(list)
    standoffs: list[Standoff] = attrs.Factory(list)
    events: list[Event] = attrs.Factory(list)
    historical: Historical | None = None


GRADES = ("decisive", "marginal", "draw", "disaster")
KINDS = ("programme", "military", "crimea", "other")
