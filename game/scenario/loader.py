"""Read a scenario file: tomllib, strict cattrs structuring, cross-checks, compiled expressions.

Every problem in a file is collected and raised together as one ScenarioError.
"""

from __future__ import annotations

import hashlib
import itertools
import keyword
import random
import re
import tomllib
from pathlib import Path

import attrs

from game.files import FileRefused, read_limited
from game.scenario import schema
from game.scenario.convert import CONVERTER, error_paths
from game.scenario.errors import Problem, ScenarioError
from game.scenario.expr import CONTEXT, FUNCTIONS, Compiler, ExprError, names_in, parse, suggest
from game.scenario.lines import find_line, line_map
from game.scenario.model import (CChoice, CEffects, CEnding, CEvent, CLedger, CMove, CStandoff,
                                 CTerm, Scenario)

MAX_FILE_BYTES = 2_000_000
MAX_PROBLEMS = 200  # past this many, the rest of a file is not checked (each can cost a suggestion)
MAX_MONTHS_PER_TURN = 120
MAX_NAME = 200  # titles, names, labels and levels: shown in lists and headings
NAME_KEYS = {"id", "title", "name", "label", "leader", "period", "start", "unit", "color", "author",
             "publication", "date", "by", "target", "actor", "winner", "grade", "kind", "group",
             "default", "place", "owner", "tension", "opens", "move", "levels", "players"}
ID = re.compile(r"^[a-z][a-z0-9_]*$")
SCENARIO_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
RESERVED = set(CONTEXT) | FUNCTIONS | {"true", "false"} | set(keyword.kwlist) | set(keyword.softkwlist)
SPECIAL_MOVES = {"pass", "propose", "no_deal", "accept", "reject", "counter", "choose",
                 "concede", "stand_firm", "press", "back_down"}


class _Collector:
    def __init__(self, file: str, text: str):
        self.file = file
        self.lines = line_map(text) if text else {}
        self.problems: list[Problem] = []

    def add(self, path: str, message: str, hint: str | None = None) -> None:
        line = find_line(self.lines, path)
        if len(path) > 120:  # a key of thousands of characters: enough of it to find it
            path = path[:117] + "..."
        self.problems.append(Problem(self.file, path, line, message, hint))
        if len(self.problems) >= MAX_PROBLEMS:
            self.problems.append(Problem(self.file, "", None, f"stopped after {MAX_PROBLEMS} problems",
                                         "fix these and validate again"))
            raise ScenarioError(self.problems)


def load_scenario(path: str | Path) -> Scenario:
    """Load and compile a scenario file; raise ScenarioError listing every problem."""
    path = Path(path)
    name = str(path)
    try:
        data = read_limited(path, MAX_FILE_BYTES)
    except FileRefused as exc:
        hint = "split the text or trim it" if "limit" in str(exc) else "give the path of a .toml file"
        raise ScenarioError([Problem(name, "", None, str(exc), hint)]) from None
    except OSError as exc:
        raise ScenarioError([Problem(name, "", None, f"cannot read file: {exc.strerror or exc}",
                                     "check the path")]) from None
    return load_bytes(data, name, path)


_BY_HASH: dict[tuple[str, str], Scenario | ScenarioError] = {}


def load_cached(path: str | Path) -> Scenario:
    """As load_scenario, but a file whose bytes were compiled before (same path, same hash) is not
    compiled again: lists and the picker read every scenario each time they are shown."""
    path = Path(path)
    try:
        data = read_limited(path, MAX_FILE_BYTES)
    except OSError:
        return load_scenario(path)  # the same checks, with the message
    key = (str(path), hashlib.sha256(data).hexdigest())
    hit = _BY_HASH.get(key)
    if hit is None:
        try:
            hit = load_bytes(data, str(path), path)
        except ScenarioError as exc:
            hit = exc
        if len(_BY_HASH) >= 256:
            _BY_HASH.clear()
        _BY_HASH[key] = hit
    if isinstance(hit, ScenarioError):
        raise ScenarioError(hit.problems)
    return hit


def load_bytes(data: bytes, name: str = "<scenario>", path: Path | None = None) -> Scenario:
    if len(data) > MAX_FILE_BYTES:
        raise ScenarioError([Problem(name, "", None, f"file is {len(data):,} bytes; the limit is "
                                     f"{MAX_FILE_BYTES:,}", "split the text or trim it")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ScenarioError([Problem(name, "", line, "file is not valid UTF-8 text",
                                     "save the file as UTF-8")]) from None
    return load_text(text, name, path, digest=hashlib.sha256(data).hexdigest())


def load_text(text: str, name: str = "<scenario>", path: Path | None = None,
              digest: str | None = None) -> Scenario:
    """Load a scenario from its text; any failure, even a bug of ours, is a ScenarioError."""
    try:
        return _load_text(text, name, path, digest)
    except ScenarioError:
        raise
    except RecursionError:
        raise ScenarioError([Problem(name, "", None, "the file nests or chains too deeply to check",
                                     "simplify the deepest structure")]) from None
    except Exception as exc:  # noqa: BLE001 - an untrusted file must never crash a caller
        raise ScenarioError([Problem(name, "", None, f"the file could not be checked ({type(exc).__name__}: "
                                     f"{_short(str(exc))})", "please report this with the file")]) from None


def _load_text(text: str, name: str, path: Path | None, digest: str | None) -> Scenario:
    digest = digest or hashlib.sha256(text.encode("utf-8")).hexdigest()
    text = text.removeprefix("\ufeff")  # a byte order mark some editors write; TOML has no use for it
    col = _Collector(name, text)
    if not text.strip():
        col.add("", "file is empty", "start from `union-state new NAME` or docs/authoring.md")
        raise ScenarioError(col.problems)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        line = int(m.group(1)) if m else getattr(exc, "lineno", None)
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg)
        col.problems.append(Problem(name, "", line, f"not valid TOML: {msg}",
                                    "check quotes, brackets and '=' on this line"))
        raise ScenarioError(col.problems) from None
    except RecursionError:
        col.add("", "not valid TOML: nesting too deep")
        raise ScenarioError(col.problems) from None
    except ValueError:  # tomllib's own int() refuses numbers of over 4,300 digits
        m = re.search(r"[0-9_]{4000}", text)
        line = text[: m.start()].count("\n") + 1 if m else None
        col.problems.append(Problem(name, "", line, "not valid TOML: a number with thousands of digits",
                                    "numbers must be between -1e12 and 1e12"))
        raise ScenarioError(col.problems) from None
    if raw.get("format") not in (1, None) or isinstance(raw.get("format"), bool):
        col.add("format", f"unsupported format {raw.get('format')!r}", "this version reads format = 1")
        raise ScenarioError(col.problems)
    _check_name_lengths(raw, "", col)
    if "format" not in raw:
        col.add("format", "required key is missing", "add `format = 1` as the first line")
    sf, repaired, removed = _structure(raw, col)
    if not repaired and not removed:
        scenario = _build(sf, col, path, digest)
        if col.problems:
            raise ScenarioError(col.problems)
        return scenario
    # Some tables did not fit the format: they were reported and patched with placeholders; the
    # rest of the file is checked too (all problems at once), leaving out what the patches cause.
    if sf is not None and not repaired & _CORE:
        later = _Collector(name, "")
        later.lines = col.lines
        try:
            _build(sf, later, path, digest, partial=bool(repaired))
        except ScenarioError:
            pass
        patched = {_element(r) for r in repaired}  # an element with a placeholder: its other checks may misfire
        for pr in later.problems:
            if pr.path and not any(_related(pr.path, r) for r in patched):
                col.problems.append(pr)
                if len(col.problems) >= MAX_PROBLEMS:
                    break
    raise ScenarioError(col.problems)


# A placeholder for any of these would make problems everywhere else in the file.
_CORE = {"", "format", "scenario", "scenario.players", "actors", "meters", "issues", "moves", "terms",
         "events", "endings", "standoffs", "places"}


# Header values other checks depend on: placeholders that make none of those checks fail.
_HEADER_PLACEHOLDERS = {"scenario.turns": 500, "scenario.start": "2000-01", "scenario.months_per_turn": 1}


def _element(path: str) -> str:
    """The table a path is in: 'issues.customs' for 'issues.customs.levels', 'events[3]' for
    'events[3].when'; a header key stays itself."""
    m = re.match(r"[^.\[]+(\[\d+\]|\.[^.\[]+)?", path)
    return m.group(0) if m else path


def _related(a: str, b: str) -> bool:
    """Whether one path is the other or inside it."""
    if len(a) < len(b):
        a, b = b, a
    return a == b or a.startswith(b + ".") or a.startswith(b + "[")


def _structure(raw: dict, col: _Collector) -> tuple[schema.ScenarioFile | None, set[str], set[str]]:
    """The file as schema classes, the paths that had placeholders put in to get there, and the
    unknown keys removed (each problem reported once). None when the file could not be patched."""
    repaired: set[str] = set()
    removed: set[str] = set()
    for _ in range(8):
        try:
            return CONVERTER.structure(raw, schema.ScenarioFile), repaired, removed
        except Exception as exc:  # cattrs raises groups of errors: report each with its path
            try:
                pairs = error_paths(exc)
            except Exception:  # pragma: no cover - defensive: never leak a traceback
                pairs = [("", str(exc))]
        patches = []
        for p, message in pairs:
            keys = message.split(":", 1)[1].strip().split(", ") if message.startswith("unknown key") else []
            if not any(_related(p, r) for r in repaired | removed):
                if keys:  # one problem per key, at the key's own line
                    for key in keys:
                        col.add(f"{p}.{key}" if p else key, f"unknown key '{key}'", _unknown_key_hint(p, key))
                else:
                    col.add(p, message)
            if not keys and message.startswith("expected") and p.endswith("]"):
                p = p[:p.rfind("[")]  # a bad item of a list of numbers or names: the whole list
            patches.append((p, keys))
        for p, keys in patches:
            if keys:
                if not _patch(raw, p, keys):
                    return None, repaired | {""}, removed
                removed.update(f"{p}.{key}" if p else key for key in keys)
                continue
            while not _patch(raw, p, []):  # 'range = "x"': the error is at range[0], the patch at range
                cut = max(p.rfind("."), p.rfind("["))
                if cut <= 0:
                    return None, repaired | {""}, removed
                p = p[:cut]
            repaired.add(p)
    return None, repaired | {""}, removed


def _patch(raw: dict, path: str, unknown: list[str]) -> bool:
    """Delete unknown keys at ``path``, or put a placeholder of the right type there."""
    tokens = re.findall(r"\[\d+\]|[^.\[\]]+", path)
    obj, tp = raw, schema.ScenarioFile
    steps = tokens if unknown else tokens[:-1]
    try:
        for t in steps:
            key = int(t[1:-1]) if t.startswith("[") else t
            obj, tp = obj[key], _child(tp, key)
        if unknown:
            for k in unknown:
                obj.pop(k, None)
            return True
        last = tokens[-1]
        key = int(last[1:-1]) if last.startswith("[") else last
        obj[key] = _HEADER_PLACEHOLDERS.get(path, _placeholder(_child(tp, key)))
        return True
    except (KeyError, IndexError, TypeError, AttributeError, NameError):
        return False


def _child(tp, key):
    """The type of ``key`` inside a value of type ``tp``."""
    import typing

    if attrs.has(tp):
        return typing.get_type_hints(tp)[key]
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    origin = typing.get_origin(tp)
    if origin is list:
        return args[0]
    if origin is dict:
        return args[1]
    if args:  # Optional[X] or a union: the first choice
        return _child(args[0], key)
    raise TypeError(tp)


def _placeholder(tp):
    """An empty value of type ``tp``, to keep checking the rest of a file."""
    import typing

    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if args and origin not in (list, dict):  # a union
        if type(None) in args:
            return None
        return _placeholder(args[0])
    if origin is list:
        return []
    if origin is dict or attrs.has(tp):
        return {}
    return {str: "", int: 0, float: 0.0, bool: False}.get(tp, "")


def _unknown_key_hint(path: str, bad: str) -> str | None:
    cls = _class_at(path)
    if cls is None:
        return None
    fields = [f.name for f in cls.__attrs_attrs__]
    return suggest(bad, fields) or "allowed: " + ", ".join(fields)


def _class_at(path: str):
    """The schema class a TOML path points into (best effort, for hints)."""
    parts = [p for p in re.split(r"[.\[\]]+", path) if p]
    cls = schema.ScenarioFile
    maps = {"actors": schema.Actor, "meters": schema.Meter, "issues": schema.Issue,
            "places": schema.Place, "moves": schema.Move, "terms": schema.Term,
            "standoffs": schema.Standoff, "events": schema.Event, "endings": schema.Ending,
            "scenario": schema.Header, "document": schema.Document, "historical": schema.Historical,
            "map": schema.Map}
    if not parts:
        return cls
    cls = maps.get(parts[0])
    rest = parts[1:]
    if parts[0] in ("actors", "meters", "issues", "places", "moves", "terms", "standoffs",
                    "events", "endings"):
        rest = rest[1:]
    for p in rest:
        sub = {"ai": schema.Personality, "choices": schema.Choice, "ledger": schema.Ledger,
               "source": schema.Source, "moves": schema.HistoricalMove, "on_level": None}.get(p, "keep")
        if sub == "keep":
            continue
        cls = sub
        if cls is None:
            return schema.LevelEntry
    return cls


def _build(sf: schema.ScenarioFile, col: _Collector, path: Path | None, digest: str,
           partial: bool = False) -> Scenario | None:
    """Check and compile a structured file; ``partial``: some values are placeholders, so skip the
    checks that depend on every range at once."""
    add = col.add
    h = sf.scenario
    if sf.format != 1:
        add("format", f"unsupported format {sf.format}", "this version reads format = 1")
    if not SCENARIO_ID.match(h.id):
        add("scenario.id", f"id '{h.id}' must be lower-case letters, digits and '-'",
            "for example 'roadmap-2021'")
    m = re.fullmatch(r"(\d{4})-(\d{2})", h.start)
    year, month = (int(m.group(1)), int(m.group(2))) if m else (2000, 1)
    if not m or not 1 <= month <= 12:
        add("scenario.start", f"start '{h.start}' is not a year and month", "write it as \"2021-11\"")
    if not 1 <= h.months_per_turn <= MAX_MONTHS_PER_TURN:
        add("scenario.months_per_turn", f"must be between 1 and {MAX_MONTHS_PER_TURN}, not {h.months_per_turn}")
    if not 1 <= h.turns <= 500:
        add("scenario.turns", f"turns must be between 1 and 500, not {h.turns}")
    if not 1 <= h.deal_max_terms <= 12:
        add("scenario.deal_max_terms", "must be between 1 and 12")
    _check_source(h.source, "scenario.source", col)
    players = list(h.players)
    if len(players) != 2 or len(set(players)) != 2:
        add("scenario.players", "a scenario has exactly two distinct players", 'players = ["minsk", "moscow"]')
        players = (players + ["?", "??"])[:2]
    for i, p in enumerate(players):
        if p not in sf.actors:
            add(f"scenario.players[{i}]", f"unknown actor '{p}'", suggest(p, list(sf.actors)) or
                f"declare it as [actors.{p}]")
    for a in sf.actors:
        if a not in players:
            add(f"actors.{a}", f"actor '{a}' is not one of the players", "add it to scenario.players or remove it")
    actors = set(sf.actors)
    for a in sf.actors:
        if not ID.match(a) or a in RESERVED:
            add(f"actors.{a}", f"actor id '{a}' must be lower_snake_case and not a reserved word",
                "for example 'minsk'")

    def actor_ref(value: str, where: str, allow_none: bool = False) -> int:
        if allow_none and value == "none":
            return -1
        if value in players:
            return players.index(value)
        add(where, f"unknown actor '{value}'", suggest(value, sorted(actors)) or
            "actors are: " + ", ".join(players))
        return -1

    # Names: meters then issues, in file order.
    meter_ids = list(sf.meters)
    issue_ids = list(sf.issues)
    for kind, ids in (("meters", meter_ids), ("issues", issue_ids), ("places", list(sf.places))):
        for i in ids:
            if not ID.match(i):
                add(f"{kind}.{i}", f"id '{i}' must be lower_snake_case", "for example 'gas_price'")
            if i in RESERVED:
                add(f"{kind}.{i}", f"'{i}' is a reserved word and cannot be an id")
    for i in set(meter_ids) & set(issue_ids):
        add(f"issues.{i}", f"'{i}' is both a meter and an issue", "rename one of them")
    names = meter_ids + issue_ids
    slots = {n: k for k, n in enumerate(names)}
    comp = Compiler(slots)
    lo: list[float] = []
    hi: list[float] = []
    start: list[float] = []
    labels: list[str] = []
    for mid, met in sf.meters.items():
        p = f"meters.{mid}"
        labels.append(met.name)
        if len(met.range) != 2:
            add(f"{p}.range", "range needs two numbers", "range = [0, 100]")
            a, b = 0.0, 100.0
        else:
            a, b = met.range
            if a >= b:
                add(f"{p}.range", f"range [{a:g}, {b:g}] is inverted or empty", f"write [{min(a, b):g}, {max(a, b):g}]")
                a, b = min(a, b), max(a, b) + (1 if a == b else 0)
        lo.append(a)
        hi.append(b)
        if met.formula:
            if met.start is not None:
                add(f"{p}.start", "a derived meter (with a formula) has no start value", "remove start")
            if met.drift:
                add(f"{p}.drift", "a derived meter (with a formula) has no drift", "remove drift")
            start.append(a)
        else:
            if met.start is None:
                add(p, "meter needs a start value (or a formula)", f"start = {a:g}")
                start.append(a)
            else:
                if not a <= met.start <= b:
                    add(f"{p}.start", f"start {met.start:g} is outside the range [{a:g}, {b:g}]",
                        f"use a value between {a:g} and {b:g}")
                start.append(min(max(met.start, a), b))
        if met.owner:
            actor_ref(met.owner, f"{p}.owner")
        for i, who in enumerate(met.hidden_from):
            actor_ref(who, f"{p}.hidden_from[{i}]")
        if met.source is not None:
            _check_source(met.source, f"{p}.source", col)
    for iid, iss in sf.issues.items():
        p = f"issues.{iid}"
        labels.append(iss.name)
        n = len(iss.levels)
        if n < 2:
            add(f"{p}.levels", "an issue needs at least two levels", 'levels = ["Not agreed", "Signed"]')
            n = 2
        lo.append(0.0)
        hi.append(float(n - 1))
        if not 0 <= iss.start < n:
            add(f"{p}.start", f"start level {iss.start} does not exist; levels are 0 to {n - 1}")
        start.append(float(min(max(iss.start, 0), n - 1)))
        if iss.kind not in schema.KINDS:
            add(f"{p}.kind", f"unknown kind '{iss.kind}'", suggest(iss.kind, schema.KINDS) or
                "one of: " + ", ".join(schema.KINDS))
        for field in ("moved_by", "raised_by", "lowered_by"):
            for i, who in enumerate(getattr(iss, field)):
                actor_ref(who, f"{p}.{field}[{i}]")
        for key in iss.on_level:
            if not _level_key(key) or not 0 <= int(key) < n:
                add(f"{p}.on_level.{key}", f"'{_short(key)}' is not a level index of this issue",
                    f"use a number from 0 to {n - 1}")
        if iss.ledger:
            lg = iss.ledger
            if not (0 <= lg.promised < lg.delivered < n):
                add(f"{p}.ledger", "ledger needs 0 <= promised < delivered < number of levels",
                    "for example promised = 1, delivered = 2")
            if lg.within < 1:
                add(f"{p}.ledger.within", "within must be at least 1 turn")
        if iss.source is not None:
            _check_source(iss.source, f"{p}.source", col)
    n_meters = len(meter_ids)
    derived_ids = {mid for mid, met in sf.meters.items() if met.formula}

    def expr(text: str, where: str):
        if not text:
            return None
        try:
            return comp.compile(text)
        except ExprError as exc:
            add(where, f"{exc.message} in '{_short(text)}'", exc.hint)
            return None

    def effects(table: dict, where: str, allow_derived: bool = False) -> CEffects:
        out = []
        for target, amount in table.items():
            p = f"{where}.{target}"
            if target not in slots:
                add(p, f"unknown meter or issue '{target}'", suggest(target, names))
                continue
            if target in derived_ids and not allow_derived:
                add(p, f"'{target}' is derived from a formula and cannot be changed directly",
                    "change the meters its formula reads")
                continue
            fn = expr(amount, p) if isinstance(amount, str) else comp.compile(amount)
            if fn is not None:
                out.append((slots[target], fn))
        return tuple(out)

    # Derived meters and drift.
    formulas = {}
    for mid, met in sf.meters.items():
        if met.formula:
            fn = expr(met.formula, f"meters.{mid}.formula")
            if fn is not None:
                formulas[mid] = (fn, [x for x in names_in(parse(met.formula)) if x in derived_ids])
    order = _formula_order(formulas, col)
    derived = tuple((slots[m], formulas[m][0]) for m in order if m in formulas)
    drift = []
    for mid, met in sf.meters.items():
        if met.drift:
            fn = expr(met.drift, f"meters.{mid}.drift")
            if fn is not None:
                drift.append((slots[mid], fn))

    # Values.
    weights = []
    for a in players:
        act = sf.actors.get(a)
        ws = []
        if act is not None:
            for k, w in act.values.items():
                if k not in slots:
                    add(f"actors.{a}.values.{k}", f"unknown meter or issue '{k}'", suggest(k, names))
                else:
                    ws.append((slots[k], w))
            if not ws:
                add(f"actors.{a}.values", "an actor needs at least one weight", "values = { sovereignty = 1.0 }")
            for field in ("caution", "risk"):
                v = getattr(act.ai, field)
                if not 0 <= v <= 1:
                    add(f"actors.{a}.ai.{field}", f"{field} must be between 0 and 1")
            if act.ai.noise < 0:
                add(f"actors.{a}.ai.noise", "noise cannot be negative")
            if act.color and not re.fullmatch(r"#[0-9a-fA-F]{6}", act.color):
                add(f"actors.{a}.color", f"'{act.color}' is not a colour", 'write it as "#1f77b4"')
        weights.append(tuple(ws))

    hidden = []
    for a in players:
        hidden.append(frozenset(slots[mid] for mid, met in sf.meters.items() if a in met.hidden_from))

    for pid, place in sf.places.items():
        if not (-180 <= place.lon <= 180 and -90 <= place.lat <= 90):
            add(f"places.{pid}", "longitude or latitude out of range",
                "lon is -180 to 180 (east positive), lat -90 to 90 (north positive)")
    if sf.map is not None:
        _check_map(sf.map, sf.places, col)

    def place_ref(value: str, where: str) -> str:
        if value and value not in sf.places:
            add(where, f"unknown place '{value}'", suggest(value, list(sf.places)) or
                f"declare it as [places.{value}]")
        return value

    # Standoffs (before moves: moves open them).
    standoff_index = {}
    standoffs = []
    for i, so in enumerate(sf.standoffs):
        p = f"standoffs[{i}]"
        _register(so.id, standoff_index, i, f"{p}.id", "standoff", col)
        by = actor_ref(so.by, f"{p}.by")
        target = actor_ref(so.target, f"{p}.target")
        if so.by == so.target:
            add(f"{p}.target", "a standoff's target must be the other actor")
        if so.tension not in slots or so.tension in issue_ids:
            add(f"{p}.tension", *_not_a_meter(so.tension, issue_ids, set(), meter_ids))
        if so.rounds < 1:
            add(f"{p}.rounds", "rounds must be at least 1")
        _check_source(so.source, f"{p}.source", col)
        standoffs.append(CStandoff(
            i, so.id, so.name, so.text, by, target, slots.get(so.tension, 0), so.rounds,
            effects(so.press, f"{p}.press"), effects(so.concede, f"{p}.concede"),
            effects(so.back_down, f"{p}.back_down"), expr(so.rupture, f"{p}.rupture"),
            effects(so.rupture_effects, f"{p}.rupture_effects"), so.source))

    # Moves, authored then generated from issues.
    moves: list[CMove] = []
    move_ids: dict[str, int] = {}
    for i, mv in enumerate(sf.moves):
        p = f"moves[{i}]"
        if mv.id in SPECIAL_MOVES:
            add(f"{p}.id", f"'{mv.id}' is a reserved move name", "choose another id")
        _register(mv.id, move_ids, i, f"{p}.id", "move", col)
        cost = []
        for k, v in mv.cost.items():
            if k not in meter_ids or k in derived_ids:
                add(f"{p}.cost.{k}", *_not_a_meter(k, issue_ids, derived_ids, meter_ids))
            elif v < 0:
                add(f"{p}.cost.{k}", "a cost is a positive amount to pay", f"write {-v:g}")
            else:
                cost.append((slots[k], v))
        if mv.cooldown < 0:
            add(f"{p}.cooldown", "cooldown cannot be negative")
        opens = -1
        if mv.opens:
            if mv.opens not in standoff_index:
                add(f"{p}.opens", f"unknown standoff '{mv.opens}'", suggest(mv.opens, list(standoff_index)))
            else:
                opens = standoff_index[mv.opens]
                if sf.standoffs[opens].by != mv.by:
                    add(f"{p}.opens", f"standoff '{mv.opens}' is opened by {sf.standoffs[opens].by}, not {mv.by}")
        _check_source(mv.source, f"{p}.source", col)
        moves.append(CMove(len(moves), mv.id, actor_ref(mv.by, f"{p}.by"), mv.name, mv.text,
                           expr(mv.when, f"{p}.when"), mv.when, tuple(cost), mv.cooldown, mv.once,
                           effects(mv.effects, f"{p}.effects"), opens, place_ref(mv.place, f"{p}.place"),
                           mv.source))
    valid_issue = {i for i in issue_ids if ID.match(i) and i not in RESERVED}
    for iid, iss in sf.issues.items():
        if iid not in valid_issue:
            continue
        s = slots[iid]
        for field, sign, verb in (("raised_by", 1, "raise"), ("lowered_by", -1, "lower")):
            for who in getattr(iss, field):
                if who not in players:
                    continue
                top = len(iss.levels) - 1
                when_text = f"{iid} < {top}" if sign > 0 else f"{iid} > 0"
                mid = f"{verb}:{iid}" if len(getattr(iss, field)) == 1 else f"{verb}:{iid}:{who}"
                moves.append(CMove(len(moves), mid, players.index(who),
                                   f"{'Advance' if sign > 0 else 'Roll back'} {iss.name}",
                                   f"{iss.name} moves one level {'up' if sign > 0 else 'down'}.",
                                   comp.compile(when_text), when_text, (), 0, False,
                                   ((s, comp.compile(float(sign))),), -1, "", iss.source, iid))

    terms: list[CTerm] = []
    term_ids: dict[str, int] = {}
    for i, t in enumerate(sf.terms):
        p = f"terms[{i}]"
        _register(t.id, term_ids, i, f"{p}.id", "term", col)
        _check_source(t.source, f"{p}.source", col)
        terms.append(CTerm(len(terms), t.id, actor_ref(t.by, f"{p}.by"), t.name, t.text,
                           expr(t.when, f"{p}.when"), effects(t.effects, f"{p}.effects"), t.source))
    for iid, iss in sf.issues.items():
        if iid not in valid_issue:
            continue
        s = slots[iid]
        top = len(iss.levels) - 1
        for who in iss.moved_by:
            if who not in players:
                continue
            tid = f"raise:{iid}" if len(iss.moved_by) == 1 else f"raise:{iid}:{who}"
            terms.append(CTerm(len(terms), tid, players.index(who), f"{iss.name}: advance one level",
                               f"{iss.name} moves one level up.", comp.compile(f"{iid} < {top}"),
                               ((s, comp.compile(1.0)),), iss.source, iid))

    events = []
    event_ids: dict[str, int] = {}
    for i, ev in enumerate(sf.events):
        p = f"events[{i}]"
        _register(ev.id, event_ids, i, f"{p}.id", "event", col)
        if not 0 <= ev.chance <= 1:
            add(f"{p}.chance", f"chance {ev.chance:g} is not between 0 and 1", "0.25 means one turn in four")
        if ev.cooldown < 0:
            add(f"{p}.cooldown", "cooldown cannot be negative")
        actor = -1
        if ev.actor:
            actor = actor_ref(ev.actor, f"{p}.actor")
        choices = []
        default = -1
        if ev.choices:
            if not ev.actor:
                add(f"{p}.actor", "an event with choices needs the actor who chooses", f'actor = "{players[0]}"')
            seen: dict[str, int] = {}
            for j, ch in enumerate(ev.choices):
                cp = f"{p}.choices[{j}]"
                _register(ch.id, seen, j, f"{cp}.id", "choice", col, snake=False)
                if ch.ai < 0:
                    add(f"{cp}.ai", "an AI weight cannot be negative")
                choices.append(CChoice(ch.id, ch.label, ch.text, effects(ch.effects, f"{cp}.effects"),
                                       ch.ai, expr(ch.when, f"{cp}.when")))
            if ev.default not in seen:
                add(f"{p}.default", f"default '{ev.default}' is not one of the choices" if ev.default else
                    "an event with choices needs a default choice", suggest(ev.default, list(seen)) or
                    f'default = "{ev.choices[0].id}"')
            else:
                default = seen[ev.default]
        elif ev.default:
            add(f"{p}.default", "default given but the event has no choices", "remove it")
        _check_source(ev.source, f"{p}.source", col)
        events.append(CEvent(i, ev.id, ev.title, ev.text, expr(ev.when, f"{p}.when"), ev.chance,
                             ev.repeat, ev.cooldown, effects(ev.effects, f"{p}.effects"), actor,
                             tuple(choices), default, place_ref(ev.place, f"{p}.place"), ev.source))

    endings = []
    ending_ids: dict[str, int] = {}
    if not sf.endings:
        add("endings", "a scenario needs at least one ending", "add an [[endings]] table")
    for i, en in enumerate(sf.endings):
        p = f"endings[{i}]"
        _register(en.id, ending_ids, i, f"{p}.id", "ending", col, snake=False)
        winner = actor_ref(en.winner, f"{p}.winner", allow_none=True)
        if en.grade not in schema.GRADES:
            add(f"{p}.grade", f"unknown grade '{en.grade}'", suggest(en.grade, schema.GRADES) or
                "one of: " + ", ".join(schema.GRADES))
        bonus = [0.0, 0.0]
        for k, v in en.bonus.items():
            idx = actor_ref(k, f"{p}.bonus.{k}")
            if idx >= 0:
                bonus[idx] = v
        _check_source(en.source, f"{p}.source", col)
        fn = expr(en.when, f"{p}.when")
        if fn is not None and not partial and not _satisfiable(fn, en.when, slots, lo, hi, h.turns, n_meters):
            add(f"{p}.when", f"ending '{en.id}' can never happen: '{_short(en.when)}' is false for every "
                "value within the meters' ranges", "check the numbers against the ranges")
            fn = None
        endings.append(CEnding(i, en.id, en.title, en.text, fn or comp.compile(False), en.timeout,
                               winner, en.grade, tuple(bonus), en.source))

    ledgers = []
    on_level: dict[int, dict[int, CEffects]] = {}
    for iid, iss in sf.issues.items():
        s = slots[iid]
        for key, entry in iss.on_level.items():
            if _level_key(key):
                on_level.setdefault(s, {})[int(key)] = effects(entry.effects, f"issues.{iid}.on_level.{key}.effects")
        if iss.ledger:
            lg = iss.ledger
            ledgers.append(CLedger(len(ledgers), iid, s, lg.promised, lg.delivered, lg.within,
                                   effects(lg.on_broken, f"issues.{iid}.ledger.on_broken")))

    if sf.historical:
        hs = sf.historical
        if not 1 <= hs.until <= h.turns:
            add("historical.until", f"until must be a turn from 1 to {h.turns}")
        expr(hs.expect, "historical.expect")
        all_moves = {m.id for m in moves}
        by_id = {m.id: m for m in moves}
        all_terms = {t.id for t in terms}
        for i, hm in enumerate(hs.moves):
            p = f"historical.moves[{i}]"
            actor_ref(hm.by, f"{p}.by")
            if not 1 <= hm.turn <= h.turns:
                add(f"{p}.turn", f"turn {hm.turn} is outside 1..{h.turns}")
            if hm.move not in all_moves and hm.move not in SPECIAL_MOVES:
                add(f"{p}.move", f"unknown move '{hm.move}'",
                    suggest(hm.move, sorted(all_moves | SPECIAL_MOVES)))
            mine = by_id.get(hm.move)
            if mine is not None and hm.by in players and mine.by != players.index(hm.by):
                owner = players[mine.by]
                add(f"{p}.by", f"move '{hm.move}' is made by {owner}, not {hm.by}", f'by = "{owner}"')
            if hm.move == "choose":
                theirs = sorted({c.id for ev in events if 0 <= ev.actor < 2 and players[ev.actor] == hm.by
                                 for c in ev.choices})
                if hm.choice not in theirs:
                    add(f"{p}.choice", f"{hm.by} has no event choice '{hm.choice}'" if hm.choice else
                        "a 'choose' move names its choice", suggest(hm.choice, theirs) or
                        ("choices of " + hm.by + "'s events: " + ", ".join(theirs[:10]) if theirs
                         else f"no event lets {hm.by} choose"))
            elif hm.choice:
                add(f"{p}.choice", "a choice is given but the move is not 'choose'", 'move = "choose"')
            for j, t in enumerate(hm.terms):
                if t not in all_terms:
                    add(f"{p}.terms[{j}]", f"unknown term '{t}'", suggest(t, sorted(all_terms)))
            if hm.source is not None:
                _check_source(hm.source, f"{p}.source", col)

    if col.problems:
        return None
    return Scenario(
        raw=sf, path=path, digest=digest, id=h.id, title=h.title, players=tuple(players),
        turns=h.turns, start_year=year, start_month=month, months_per_turn=h.months_per_turn,
        deal_max_terms=h.deal_max_terms, names=tuple(names), slots=slots, labels=tuple(labels),
        lo=tuple(lo), hi=tuple(hi), start=tuple(start), n_meters=n_meters, derived=derived,
        drift=tuple(drift), hidden=tuple(hidden), weights=tuple(weights), moves=tuple(moves),
        terms=tuple(terms), events=tuple(events), standoffs=tuple(standoffs), endings=tuple(endings),
        ledgers=tuple(ledgers), on_level=on_level, move_by_id={m.id: m for m in moves},
        term_by_id={t.id: t for t in terms}, event_by_id={e.id: e for e in events})


def _check_map(mp: schema.Map, places: dict, col: _Collector) -> None:
    """The [map] table: a frame of four numbers, places the map can show, countries it has."""
    from game.scenario import mapdata

    if mp.frame:
        if len(mp.frame) != 4:
            col.add("map.frame", f"frame needs four numbers, not {len(mp.frame)}",
                    "frame = [lon_min, lat_min, lon_max, lat_max], e.g. [22, 44, 39, 57]")
        else:
            lon0, lat0, lon1, lat1 = mp.frame
            if not all(-180 <= v <= 180 for v in (lon0, lon1)) or not all(-90 <= v <= 90 for v in (lat0, lat1)):
                col.add("map.frame", "longitude or latitude out of range",
                        "frame = [lon_min, lat_min, lon_max, lat_max]: lon -180 to 180, lat -90 to 90")
            elif lon0 >= lon1 or lat0 >= lat1:
                col.add("map.frame", f"frame [{lon0:g}, {lat0:g}, {lon1:g}, {lat1:g}] is inverted or empty",
                        "the order is [lon_min, lat_min, lon_max, lat_max]: west, south, east, north")
    known = {**{k: None for k in mapdata.builtin_places()}, **{k: None for k in places}}
    seen: set[str] = set()
    for i, pid in enumerate(mp.places):
        if pid in seen:
            col.add(f"map.places[{i}]", f"place '{pid}' is listed twice", "list each place once")
        seen.add(pid)
        if pid not in known:
            col.add(f"map.places[{i}]", f"unknown place '{pid}'", suggest(pid, list(known)) or
                    f"declare it as [places.{pid}], or use one of the map's own: " +
                    ", ".join(mapdata.builtin_places()))
    codes = mapdata.country_codes()
    for i, iso in enumerate(mp.highlight):
        if codes and iso not in codes:
            col.add(f"map.highlight[{i}]", f"the map has no country '{iso}'", suggest(iso, codes) or
                    "countries on the map: " + ", ".join(codes))


def _not_a_meter(name: str, issues, derived, meters) -> tuple[str, str | None]:
    """The message and hint for a name used where a meter (not derived) is needed."""
    if name in issues:
        return f"'{name}' is an issue, not a meter", "name a meter here"
    if name in derived:
        return f"'{name}' is derived from a formula", "name a meter with a start value"
    return f"unknown meter '{name}'", suggest(name, meters)


def _check_name_lengths(node, where: str, col: _Collector, key: str = "") -> None:
    """Report names and titles over MAX_NAME characters (longer text belongs in text or about)."""
    if isinstance(node, dict):
        for k, v in node.items():
            _check_name_lengths(v, f"{where}.{k}" if where else str(k), col, str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            _check_name_lengths(v, f"{where}[{i}]", col, key)
    elif isinstance(node, str) and key in NAME_KEYS and len(node) > MAX_NAME:
        col.add(where, f"is {len(node):,} characters long; the limit for a name or title is {MAX_NAME}",
                "shorten it; longer text belongs in text or about")


def _level_key(key: str) -> bool:
    """Whether an on_level key is a level index: ASCII digits ('²' is a digit to str.isdigit)."""
    return re.fullmatch(r"[0-9]{1,4}", key) is not None


def _formula_order(formulas: dict, col: _Collector) -> list[str]:
    """Derived meters in an order where each comes after those its formula reads; a circle is
    reported. Iterative, so a chain of thousands of meters cannot exhaust the stack."""
    order: list[str] = []
    placed: set[str] = set()
    for root in formulas:
        if root in placed:
            continue
        chain: list[str] = [root]
        on_chain = {root}
        todo = [iter(formulas[root][1])]
        while todo:
            dep = next(todo[-1], None)
            if dep is None:
                todo.pop()
                done = chain.pop()
                on_chain.discard(done)
                placed.add(done)
                order.append(done)
            elif dep in on_chain:
                col.add(f"meters.{dep}.formula", "derived meters refer to each other in a circle: " +
                        _short(" -> ".join(chain[chain.index(dep):] + [dep])), "break the circle")
            elif dep not in placed:
                chain.append(dep)
                on_chain.add(dep)
                todo.append(iter(formulas.get(dep, (None, []))[1]))
    return order


def _register(value: str, seen: dict, index: int, where: str, what: str, col: _Collector,
              snake: bool = True) -> None:
    """Record an element's id, reporting a malformed or duplicate one."""
    if snake and not ID.match(value):
        col.add(where, f"id '{value}' must be lower_snake_case", "for example 'gas_price'")
    if value in seen:
        col.add(where, f"duplicate {what} id '{value}'", "ids must be unique; rename one")
    seen.setdefault(value, index)


def _check_source(src: schema.Source | None, where: str, col: _Collector) -> None:
    if src is None:
        return
    if src.outside is not None and not src.outside.strip():
        col.add(f"{where}.outside", "say what is drawn from outside the document, and from where")
    if src.invented is not None:
        if src.para is not None or src.quote is not None:
            col.add(where, "a source is either { para, quote } or { invented }, not both")
        elif not src.invented.strip():
            col.add(where, "say why the invented mechanic exists")
        return
    if src.para is None or src.quote is None:
        col.add(where, "a source needs both para and quote", 'source = { para = 4, quote = "a short phrase" }')
        return
    if src.para < 1:
        col.add(f"{where}.para", "paragraph numbers start at 1")
    words = len(src.quote.split())
    if words == 0:
        col.add(f"{where}.quote", "the quote is empty", "copy a short phrase that locates the paragraph")
    elif words > 10:
        col.add(f"{where}.quote", f"the quote has {words} words; the limit is 10", "shorten it to a locating phrase")


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def _satisfiable(fn, text: str, slots: dict, lo: list, hi: list, turns: int, n_meters: int) -> bool:
    """Whether a condition holds anywhere in the meters' ranges (corners plus random samples)."""
    try:
        used = [slots[n] for n in names_in(parse(text)) if n in slots][:10]
    except ExprError:
        return True
    base = [(a + b) / 2 for a, b in zip(lo, hi)]
    ctxs = [(t, 2000, 1, 1) for t in (1, max(1, turns // 2), turns)]
    choices = [(lo[s], hi[s], (lo[s] + hi[s]) / 2) for s in used]
    rng = random.Random(0)
    trials = itertools.chain(itertools.islice(itertools.product(*choices), 3000),
                             ([rng.uniform(lo[s], hi[s]) for s in used] for _ in range(300)))
    for combo in trials:
        v = list(base)
        for s, x in zip(used, combo):
            v[s] = float(round(x)) if s >= n_meters else x
        vt = tuple(v)
        for c in ctxs:
            try:
                if fn(vt, c):
                    return True
            except Exception:
                return True
    return False
