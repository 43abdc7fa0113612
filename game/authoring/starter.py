"""Starter files for `union-state new`: a small commented scenario, or a copy of one with a new id."""

from __future__ import annotations

import re
from pathlib import Path

from game.scenario import load_text
from game.scenario.lines import line_map
from game.scenario.loader import SCENARIO_ID

STARTER = '''\
# {title}: a starter scenario written by `union-state new`. It is complete and playable as it
# is; change anything. The tutorial and the full reference are in docs/authoring.md.
#
#   union-state validate {file}        check it; every problem comes with its line
#   union-state lint {file}            play simulated games and report on the balance
#   union-state play {file} --watch    play it; saving the file reloads the game
#
# Completion and checking as you type (VS Code with "Even Better TOML", or any editor that uses
# taplo): run `union-state schema --output union-state.schema.json` in this folder and put
#   #:schema ./union-state.schema.json
# as the very first line of this file.
format = 1

# ----------------------------------------------------------------------------------------------
# The header: what the scenario is called and its calendar.
[scenario]
id = "{id}"                       # lower-case letters, digits and '-'; used on the command line
title = "{title}"
period = "March 1850 – February 1851"
start = "1850-03"                  # the month of turn 1
months_per_turn = 1
turns = 12                         # after the last turn the timeout endings decide
players = ["north", "south"]       # the two actors; the first has the initiative on turn 1
summary = "Two towns share a river and quarrel over a bridge: who builds it, who pays for it, and what becomes of the ferry."
briefing = "Northbank wants a bridge and has the money to build it. Southbank lives off the ferry and has the far bank, without which no bridge can stand."
source = {{ invented = "a starter scenario to adapt" }}

# ----------------------------------------------------------------------------------------------
# The two sides. `values` are private weights: a side's score rises with the meters and issues it
# weighs positively and falls with those it weighs negatively.
[actors.north]
name = "Northbank"
leader = "Mayor Ada Holm"
goal = "Get the bridge built and keep the town's purse healthy."
values = {{ bridge = 1.2, purse = 1.0, goodwill = 0.3 }}
ai = {{ caution = 0.5, risk = 0.5 }}
color = "#2a6f97"

[actors.south]
name = "Southbank"
leader = "Reeve Bram Tolle"
goal = "Keep the ferry paying for as long as you can, and make Northbank pay for any bridge."
values = {{ ferry = 1.2, bridge = -0.4, goodwill = 0.3 }}
ai = {{ caution = 0.6, risk = 0.4 }}
color = "#b5651d"

# ----------------------------------------------------------------------------------------------
# Meters: numbers kept inside their range. `drift` is added every turn.
[meters.purse]
name = "Northbank's purse"
owner = "north"
range = [0, 100]
start = 50
drift = "2"                        # taxes come in every month
about = "Money Northbank can spend."
source = {{ invented = "a budget to spend on the bridge" }}

[meters.ferry]
name = "Ferry trade"
owner = "south"
range = [0, 100]
start = 60
drift = "-3 * bridge"              # every level of the bridge takes trade from the ferry
about = "What the ferry earns Southbank."
source = {{ invented = "what the bridge threatens" }}

[meters.goodwill]
name = "Goodwill"
range = [0, 100]
start = 50
drift = "(50 - goodwill) / 20"     # drifts slowly back towards 50
about = "How well the two towns get on."
source = {{ invented = "the mood between the towns" }}

# ----------------------------------------------------------------------------------------------
# Issues: ladders of named levels. In expressions an issue's value is its level number (from 0).
[issues.bridge]
name = "The bridge"
levels = ["No bridge", "Agreed on paper", "Piers in the river", "Open to traffic"]
start = 0
moved_by = ["south"]               # Southbank can offer "advance the bridge" in a deal (term raise:bridge)
about = "Needs Southbank's consent to start; Northbank pays to build it."
source = {{ invented = "the issue at stake" }}

[issues.bridge.on_level.3]         # when the bridge opens
effects = {{ goodwill = 10, purse = 10 }}
text = "The first carts roll across."

# ----------------------------------------------------------------------------------------------
# Moves: one per side per turn (or pass). `when` says when a move is allowed.
[[moves]]
id = "build"
by = "north"
name = "Pay the builders"
text = "Masons and carpenters get another month's wages."
when = "bridge >= 1 and bridge < 3"
cost = {{ purse = 25 }}                 # taken from the purse; not allowed if the purse is short
cooldown = 2                       # turns before it can be taken again
effects = {{ bridge = 1 }}
source = {{ invented = "building costs money" }}

[[moves]]
id = "levy"
by = "north"
name = "Levy a market toll"
text = "Northbank charges every stall on market day."
cooldown = 1
effects = {{ purse = 8, goodwill = -4 }}
source = {{ invented = "raising money" }}

[[moves]]
id = "petition"
by = "north"
name = "Petition the county"
text = "Northbank asks the county court to order a bridge."
when = "bridge == 0 and turn >= 5"
once = true
effects = {{ bridge = 1, goodwill = -15 }}
source = {{ invented = "a way round Southbank, at a price" }}

[[moves]]
id = "raise_fares"
by = "south"
name = "Raise the ferry fares"
text = "The ferrymen charge a penny more a crossing."
cooldown = 2
effects = {{ ferry = 6, goodwill = -5 }}
source = {{ invented = "squeezing the ferry" }}

[[moves]]
id = "injunction"
by = "south"
name = "Seek an injunction"
text = "Southbank's lawyers get the building stopped, for a while."
when = "bridge == 2"
cooldown = 3
effects = {{ bridge = -1, goodwill = -8 }}
source = {{ invented = "a way to stall" }}

[[moves]]
id = "fair"
by = "south"
name = "Hold a river fair"
text = "Southbank invites both banks to a fair on the water."
cost = {{ ferry = 4 }}
cooldown = 3
effects = {{ goodwill = 10 }}
source = {{ invented = "buying goodwill" }}

# ----------------------------------------------------------------------------------------------
# Deal terms: what a deal can contain. The issue above adds the term raise:bridge for Southbank.
[[terms]]
id = "compensation"
by = "north"
name = "Compensate the ferrymen"
when = "purse >= 15"
effects = {{ purse = -15, ferry = 12, goodwill = 5 }}
source = {{ invented = "the price of consent" }}

[[terms]]
id = "toll_share"
by = "north"
name = "Share the bridge toll"
when = "bridge >= 1"
effects = {{ ferry = 8, purse = -5 }}
source = {{ invented = "a lasting share" }}

# ----------------------------------------------------------------------------------------------
# Events: checked at the start of every turn. `chance` is per turn while `when` holds.
[[events]]
id = "spring_flood"
title = "Spring flood"
text = "Meltwater sweeps the river; the ferry stays tied up for a week."
when = "month == 4"
effects = {{ ferry = -8, goodwill = 4 }}
source = {{ invented = "the river has a say" }}

[[events]]
id = "complaint"
title = "Merchants complain"
text = "Northbank's merchants say the quarrel is ruining trade."
when = "goodwill < 40"
chance = 0.5
actor = "north"                    # who chooses
default = "shrug"                  # taken when nobody chooses
source = {{ invented = "pressure from home" }}

[[events.choices]]
id = "shrug"
label = "Tell them to be patient"
effects = {{ goodwill = -3 }}
ai = 1.0                           # how likely the computer is to pick it

[[events.choices]]
id = "gift"
label = "Send Southbank a peace offering"
effects = {{ goodwill = 8, purse = -6 }}
ai = 1.0

# ----------------------------------------------------------------------------------------------
# Endings: checked at the end of every turn, first match wins. `timeout` endings are checked only
# after the last turn; if none holds, the higher score wins.
[[endings]]
id = "bridge_open"
title = "The bridge opens"
text = "Carts cross the river; the ferry carries only sightseers now."
when = "bridge == 3"
winner = "north"
grade = "decisive"
source = {{ invented = "Northbank's goal" }}

[[endings]]
id = "feud"
title = "A feud"
text = "The towns stop speaking; nothing will be built for a generation."
when = "goodwill <= 20"
winner = "none"
grade = "disaster"
source = {{ invented = "both lose" }}

[[endings]]
id = "ferry_holds"
title = "The ferry holds"
text = "A year on, the river is still crossed by boat, and Southbank still collects."
when = "bridge <= 1"
timeout = true
winner = "south"
grade = "marginal"
source = {{ invented = "Southbank's goal" }}
'''


class StarterError(ValueError):
    """A starter cannot be written as asked; the message says why."""


def title_from_id(scenario_id: str) -> str:
    return " ".join(w.capitalize() for w in re.split(r"[-_]+", scenario_id) if w) or scenario_id


def check_id(scenario_id: str) -> None:
    if not SCENARIO_ID.match(scenario_id):
        fixed = re.sub(r"[^a-z0-9-]+", "-", scenario_id.lower()).strip("-")
        hint = f"; try '{fixed}'" if fixed and SCENARIO_ID.match(fixed) else ""
        raise StarterError(f"'{scenario_id}' cannot be a scenario id: use lower-case letters, digits "
                           f"and '-'{hint}")


def starter_text(scenario_id: str, file: str = "FILE") -> str:
    """The commented starter scenario with the given id."""
    check_id(scenario_id)
    return STARTER.format(id=scenario_id, title=title_from_id(scenario_id), file=file)


def copy_text(text: str, scenario_id: str) -> str:
    """A scenario's text with a new `[scenario] id`, comments and layout kept."""
    check_id(scenario_id)
    line = line_map(text).get("scenario.id")
    lines = text.splitlines(keepends=True)
    if line is not None:
        old = lines[line - 1]
        new, n = re.subn(r"""^(\s*id\s*=\s*)("[^"]*"|'[^']*')""", lambda m: f'{m.group(1)}"{scenario_id}"', old)
        if n:
            lines[line - 1] = new
            return "".join(lines)
    raise StarterError("cannot find `id = \"...\"` under [scenario] to change; copy the file by hand")


def write_new(scenario_id: str, path: Path, source: Path | None = None, force: bool = False) -> Path:
    """Write a starter (or a copy of ``source``) to ``path``; check that it loads before writing."""
    if path.exists() and not force:
        raise StarterError(f"{path} already exists; choose another name or pass --force to overwrite it")
    if source is not None:
        text = copy_text(source.read_text(encoding="utf-8"), scenario_id)
    else:
        text = starter_text(scenario_id, file=_display(path))
    load_text(text, str(path), path)  # raises ScenarioError: never write a file that does not load
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _display(path: Path) -> str:
    """How to name the file in the starter's comments: relative when it is in the current folder."""
    try:
        rel = path.resolve().relative_to(Path.cwd().resolve())
        return str(rel)
    except ValueError:
        return str(path)
