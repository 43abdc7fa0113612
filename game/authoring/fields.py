"""What every key of the scenario format means, for the JSON Schema and the reference in
docs/authoring.md. The keys themselves come from the attrs classes in game/scenario/schema.py; a
test checks that this table describes every one of them and nothing else.
"""

from __future__ import annotations

import attrs

from game.scenario import schema
from game.scenario.loader import ID, SCENARIO_ID

# Patterns the loader enforces, repeated in the JSON Schema so editors flag them while typing.
ID_PATTERN = ID.pattern
SCENARIO_ID_PATTERN = SCENARIO_ID.pattern
LEVEL_KEY_PATTERN = r"^[0-9]+$"


@attrs.frozen
class Key:
    """One key of a table: what it means and, for strings, what kind of text it holds."""

    text: str
    kind: str = ""            # "expr" for an expression, or what an id string names: "actor", "meter", ...
    schema: dict = attrs.field(factory=dict)   # extra JSON Schema constraints (kept no stricter than the loader)
    keys: str = ""            # for tables keyed by id: the pattern the ids must match


@attrs.frozen
class Table:
    """How one attrs class appears in a file."""

    header: str               # as written in TOML, e.g. "[actors.ID]"
    title: str
    intro: str


TABLES: dict[type, Table] = {
    schema.ScenarioFile: Table("(top level)", "Top level",
                               "The keys and tables a scenario file may hold. Unknown keys are errors "
                               "everywhere in the file."),
    schema.Header: Table("[scenario]", "The header", "Names the scenario and sets its calendar. Required."),
    schema.Document: Table("[document]", "The source document",
                           "Optional. The document that the `source = { para, quote }` citations refer to: an "
                           "article, a book chapter, your own notes. `union-state lint --sources FILE` checks "
                           "every quote against that file."),
    schema.Actor: Table("[actors.ID]", "Actors",
                        "Exactly two, and both must be listed in `scenario.players`. The ID is what the rest "
                        "of the file uses to name the side (`by = \"ID\"`)."),
    schema.Personality: Table("ai = { … }", "AI personality (inside an actor)",
                              "Optional, written `ai = { caution = 0.7 }` inside `[actors.ID]`."),
    schema.Meter: Table("[meters.ID]", "Meters",
                        "A number the game tracks, kept inside its range. Give it a `start`, or a `formula` "
                        "to make it derived (recomputed from other meters after every change)."),
    schema.Issue: Table("[issues.ID]", "Issues",
                        "A ladder of named levels. In expressions and effects an issue's value is its level "
                        "number, counting from 0."),
    schema.LevelEntry: Table("[issues.ID.on_level.N]", "Level effects (inside an issue)",
                             "What happens when the issue climbs to level N (N counts from 0)."),
    schema.Ledger: Table("ledger = { … }", "Commitment ledger (inside an issue)",
                         "Optional. Reaching `promised` starts a clock; reaching `delivered` within "
                         "`within` turns counts as keeping the promise; otherwise it is broken once and "
                         "`on_broken` applies."),
    schema.Place: Table("[places.ID]", "Places", "Optional points on the map that moves and events can light up."),
    schema.Map: Table("[map]", "The map",
                      "Optional. What the map on the main screen shows: its frame, the places it labels and "
                      "the countries it picks out, drawn on the map data that ships with the game (Natural "
                      "Earth outlines of Europe from the North Sea to the Caspian, lon 4–50° E, lat 38–72° N). Without it the frame is "
                      "fitted around the scenario's own places and only they are labelled."),
    schema.Move: Table("[[moves]]", "Moves", "Unilateral actions: one side takes one, or passes, each turn."),
    schema.Term: Table("[[terms]]", "Deal terms",
                       "What a deal can contain. A deal holds 1 to `deal_max_terms` terms from either side; "
                       "the side with the initiative tables it, the other accepts, rejects or counters once."),
    schema.Standoff: Table("[[standoffs]]", "Standoffs",
                           "Optional crises opened by a move (`opens = \"ID\"`). Each turn the target gives "
                           "way or stands firm; if firm, the demander presses or backs down. `round` (1, 2, "
                           "…) can be read in its expressions."),
    schema.Event: Table("[[events]]", "Events",
                        "Checked at the start of every turn, in file order. An event may offer its `actor` "
                        "a choice."),
    schema.Choice: Table("[[events.choices]]", "Event choices (inside an event)",
                         "Write each choice as its own `[[events.choices]]` table right after its event."),
    schema.Ending: Table("[[endings]]", "Endings",
                         "Checked at the end of every turn (after drift), in file order: the first whose "
                         "condition holds ends the game. Timeout endings are checked only after the last "
                         "turn; if none holds, the higher score wins (a draw within 2 points)."),
    schema.Historical: Table("[historical]", "The historical line",
                             "Optional. The moves history actually took, for the `historical` AI and for "
                             "comparing a game with reality."),
    schema.HistoricalMove: Table("[[historical.moves]]", "Historical moves (inside [historical])",
                                 "One decision of the historical line."),
    schema.Source: Table("source = { … }", "Sources",
                         "Where an element comes from. Either a paragraph of the `[document]` and a "
                         "verbatim phrase of at most ten words, `{ para = 4, quote = \"a short phrase\" }`, "
                         "or, for the scenario's own invention, `{ invented = \"why it exists\" }`. Either form may add "
                         "`outside = \"what and from where\"` for what it draws from outside the document."),
}

# The order in which the reference lists the tables.
ORDER = [schema.ScenarioFile, schema.Header, schema.Document, schema.Actor, schema.Personality,
         schema.Meter, schema.Issue, schema.LevelEntry, schema.Ledger, schema.Place, schema.Map,
         schema.Move, schema.Term, schema.Standoff, schema.Event, schema.Choice, schema.Ending, schema.Historical,
         schema.HistoricalMove, schema.Source]

_EFFECTS = "effects"

FIELDS: dict[type, dict[str, Key]] = {
    schema.ScenarioFile: {
        "format": Key("The version of the format. Always `1` for now; write it as the first line.",
                      schema={"enum": [1]}),
        "scenario": Key("The header: see `[scenario]`."),
        "document": Key("The source document: see `[document]`."),
        "actors": Key("The two sides: see `[actors.ID]`."),
        "meters": Key("The numbers the game tracks: see `[meters.ID]`.", keys=ID_PATTERN),
        "issues": Key("Ladders of named levels: see `[issues.ID]`.", keys=ID_PATTERN),
        "places": Key("Map points: see `[places.ID]`.", keys=ID_PATTERN),
        "map": Key("The map's frame, labels and highlighted countries: see `[map]`."),
        "moves": Key("Unilateral moves: see `[[moves]]`."),
        "terms": Key("Deal terms: see `[[terms]]`."),
        "standoffs": Key("Crises opened by moves: see `[[standoffs]]`."),
        "events": Key("Scripted and random events: see `[[events]]`."),
        "endings": Key("How the game can end: see `[[endings]]`. At least one.", schema={"minItems": 1}),
        "historical": Key("The line history took: see `[historical]`."),
    },
    schema.Header: {
        "id": Key("Unique id, used on the command line (`union-state play my-scenario`): lower-case letters, "
                  "digits and `-`.", schema={"pattern": SCENARIO_ID_PATTERN}),
        "title": Key("Shown on the scenario picker."),
        "period": Key("The period in words, e.g. `\"March – December 1905\"`."),
        "start": Key("The month of turn 1, written `\"YYYY-MM\"`.", schema={"pattern": r"^[0-9]{4}-[0-9]{2}$"}),
        "months_per_turn": Key("Calendar months one turn covers.", schema={"minimum": 1}),
        "turns": Key("The last turn (1 to 500); after it the timeout endings decide.",
                     schema={"minimum": 1, "maximum": 500}),
        "players": Key("The two actor ids; the first has the initiative on turn 1.", kind="actor",
                       schema={"minItems": 2, "maxItems": 2}),
        "summary": Key("Two or three sentences for the scenario picker."),
        "source": Key("Where the scenario as a whole comes from."),
        "briefing": Key("A longer text about the situation, shown before turn 1."),
        "history": Key("What really happened, shown on the end screen."),
        "deal_max_terms": Key("The most terms one deal may hold (1 to 12).", schema={"minimum": 1, "maximum": 12}),
    },
    schema.Document: {
        "author": Key("Who wrote it."),
        "title": Key("Its title."),
        "publication": Key("Where it appeared."),
        "date": Key("When, written `\"YYYY-MM-DD\"`."),
        "url": Key("Where to read it."),
    },
    schema.Personality: {
        "caution": Key("0 to 1: how much the AI fears losses.", schema={"minimum": 0, "maximum": 1}),
        "risk": Key("0 to 1: how readily the AI gambles.", schema={"minimum": 0, "maximum": 1}),
        "noise": Key("0 or more: how much randomness the AI adds to its judgement.", schema={"minimum": 0}),
    },
    schema.Actor: {
        "name": Key("The side's name, e.g. the capital: `\"Kristiania\"`."),
        "leader": Key("Who leads it."),
        "goal": Key("One sentence shown to the player who takes this side."),
        "values": Key("Private weights over meters and issues: the side's score is 100 × Σ w·norm / Σ|w|, "
                      "where norm maps each range to 0…1. A negative weight means the side wants it low. "
                      "At least one.", kind="value"),
        "ai": Key("The AI's personality when the computer plays this side."),
        "color": Key("Colour in the interface, written `\"#rrggbb\"`.",
                     schema={"pattern": r"^(#[0-9a-fA-F]{6})?$"}),
    },
    schema.Meter: {
        "name": Key("Label shown in the game."),
        "range": Key("Lowest and highest value, e.g. `[0, 100]`; values are kept inside it.",
                     schema={"minItems": 2, "maxItems": 2}),
        "about": Key("One sentence shown in the tooltip."),
        "owner": Key("The actor whose meter this is; leave it out for a shared meter.", kind="actor"),
        "start": Key("Value on turn 1 (required unless the meter has a `formula`)."),
        "drift": Key("Change applied every turn in the drift phase, e.g. `\"-0.1 * goodwill\"`.", kind="expr"),
        "formula": Key("Makes the meter derived: recomputed after every change. A derived meter has no `start` "
                       "or `drift` and cannot be named in effects.", kind="expr"),
        "hidden_from": Key("Actors who see only an estimate of this meter.", kind="actor"),
        "unit": Key("Unit shown after the value, e.g. `\"%\"`."),
        "source": Key("Where the start value comes from."),
    },
    schema.LevelEntry: {
        "effects": Key("Applied when the issue enters this level.", kind=_EFFECTS),
        "text": Key("Shown when it happens."),
    },
    schema.Ledger: {
        "promised": Key("The level that counts as a promise (a level number)."),
        "delivered": Key("The level that counts as keeping it (higher than `promised`)."),
        "within": Key("Turns allowed between promise and delivery (at least 1).", schema={"minimum": 1}),
        "on_broken": Key("Applied once when the promise is broken.", kind=_EFFECTS),
    },
    schema.Issue: {
        "name": Key("Label shown in the game."),
        "levels": Key("At least two level names, lowest first.", schema={"minItems": 2}),
        "start": Key("The starting level number (0 is the first).", schema={"minimum": 0}),
        "group": Key("A cluster name, used to group issues in the interface."),
        "kind": Key("Interface hint: `\"programme\"`, `\"military\"`, `\"crimea\"` or `\"other\"`.",
                    schema={"enum": list(schema.KINDS)}),
        "moved_by": Key("Actors who may offer to raise this issue one level as a deal term (term id "
                        "`raise:ISSUE`).", kind="actor"),
        "raised_by": Key("Actors who may raise it one level as a unilateral move (move id `raise:ISSUE`).",
                         kind="actor"),
        "lowered_by": Key("Actors who may lower it one level as a unilateral move (move id `lower:ISSUE`).",
                          kind="actor"),
        "on_level": Key("Effects when the issue climbs to a level: `[issues.ID.on_level.2]`.",
                        keys=LEVEL_KEY_PATTERN),
        "ledger": Key("A commitment ledger: see below."),
        "about": Key("One sentence shown in the tooltip."),
        "source": Key("Where the issue comes from."),
    },
    schema.Place: {
        "name": Key("Label on the map."),
        "lon": Key("Longitude, -180 to 180.", schema={"minimum": -180, "maximum": 180}),
        "lat": Key("Latitude, -90 to 90.", schema={"minimum": -90, "maximum": 90}),
        "label": Key("Optional shorter text for the map's label (`name` is used in tooltips); default `name`."),
    },
    schema.Map: {
        "frame": Key("`[lon_min, lat_min, lon_max, lat_max]`: the box the map fits to its panel, west, south, "
                     "east, north in degrees. Default: fitted around the labelled places.",
                     schema={"minItems": 4, "maxItems": 4}),
        "places": Key("The places to label, most important first: ids of `[places.ID]` or of the map's own "
                      "places (`minsk`, `moscow`, `kyiv`, `hrodno`, `sevastopol`, `warsaw`, `vilnius`, `riga`, "
                      "…). Default: the scenario's own places. Places that moves and events light up are "
                      "labelled in any case.", kind="place"),
        "highlight": Key("Countries to pick out in a stronger land colour, by ISO 3166 alpha-3 code "
                         "(`\"UKR\"`, `\"MDA\"`, `\"GEO\"`). The players' own countries are coloured anyway "
                         "when a player's id names a place."),
    },
    schema.Move: {
        "id": Key("Unique among moves; lower_snake_case.", schema={"pattern": ID_PATTERN}),
        "by": Key("The actor who may take it.", kind="actor"),
        "name": Key("Button label, in the imperative: `\"Mobilise the reserves\"`."),
        "source": Key("Where the move comes from."),
        "text": Key("One or two sentences shown when it is taken."),
        "when": Key("When the move is allowed (default: always).", kind="expr"),
        "cost": Key("Amounts taken from meters; the move is not allowed if any would fall below the meter's "
                    "minimum.", kind="meter", schema={"additionalProperties": {"type": "number", "minimum": 0}}),
        "cooldown": Key("Turns before it may be taken again (0 = every turn).", schema={"minimum": 0}),
        "once": Key("Only once a game."),
        "effects": Key("What it changes.", kind=_EFFECTS),
        "opens": Key("The standoff this move opens.", kind="standoff"),
        "place": Key("The place it lights up on the map.", kind="place"),
    },
    schema.Term: {
        "id": Key("Unique among terms; lower_snake_case.", schema={"pattern": ID_PATTERN}),
        "by": Key("The side that gives it.", kind="actor"),
        "name": Key("Label, e.g. `\"Demolish the border forts\"`."),
        "source": Key("Where the term comes from."),
        "text": Key("Shown with the deal."),
        "when": Key("When the term is on offer (default: always).", kind="expr"),
        "effects": Key("Applied when a deal holding it is accepted.", kind=_EFFECTS),
    },
    schema.Standoff: {
        "id": Key("Unique among standoffs; named by a move's `opens`."),
        "name": Key("Label."),
        "by": Key("The demander: the actor whose move opens it.", kind="actor"),
        "target": Key("The other actor, who gives way or stands firm.", kind="actor"),
        "tension": Key("The meter each press raises (shown as the crisis gauge).", kind="meter"),
        "rounds": Key("The most presses; after the last the standoff lapses as if the demander backed down.",
                      schema={"minimum": 1}),
        "source": Key("Where the standoff comes from."),
        "text": Key("Shown when it opens."),
        "press": Key("Applied when the demander presses (raise the tension here).", kind=_EFFECTS),
        "concede": Key("Applied when the target gives way: the demand itself.", kind=_EFFECTS),
        "back_down": Key("Applied when the demander backs down, multiplied by the round number (backing "
                         "down late costs more).", kind=_EFFECTS),
        "rupture": Key("Checked after each press; when it holds, `rupture_effects` apply and the standoff ends.",
                       kind="expr"),
        "rupture_effects": Key("Applied on a rupture.", kind=_EFFECTS),
    },
    schema.Choice: {
        "id": Key("Unique within the event; named by `default`."),
        "label": Key("Button label."),
        "text": Key("Shown when it is chosen."),
        "effects": Key("Applied when it is chosen.", kind=_EFFECTS),
        "ai": Key("Weight of this choice when the computer chooses (0 or more).", schema={"minimum": 0}),
        "when": Key("When the choice is offered (default: always).", kind="expr"),
    },
    schema.Event: {
        "id": Key("Unique among events; lower_snake_case.", schema={"pattern": ID_PATTERN}),
        "title": Key("Headline of the pop-up."),
        "text": Key("What happened, in a sentence or two."),
        "source": Key("Where the event comes from."),
        "when": Key("Trigger (default: always).", kind="expr"),
        "chance": Key("Chance per turn while the trigger holds, 0 to 1 (0.25 = one turn in four).",
                      schema={"minimum": 0, "maximum": 1}),
        "repeat": Key("May fire again (default: once a game)."),
        "cooldown": Key("Turns between firings when it repeats.", schema={"minimum": 0}),
        "effects": Key("Applied when it fires.", kind=_EFFECTS),
        "actor": Key("Who chooses, when there are choices.", kind="actor"),
        "choices": Key("Choices offered to `actor`: see below."),
        "default": Key("The choice taken when none of the choices is available to the actor (required with "
                       "choices); `lint` warns when every choice has a condition.", kind="choice"),
        "place": Key("The place it lights up on the map.", kind="place"),
    },
    schema.Ending: {
        "id": Key("Unique among endings."),
        "title": Key("Headline of the end screen."),
        "text": Key("What the outcome means."),
        "when": Key("Condition, checked at the end of every turn.", kind="expr"),
        "winner": Key("The actor who wins, or `\"none\"`.", kind="actor or none"),
        "grade": Key("`\"decisive\"`, `\"marginal\"`, `\"draw\"` or `\"disaster\"`.",
                     schema={"enum": list(schema.GRADES)}),
        "source": Key("Where the ending comes from."),
        "timeout": Key("Checked only after the last turn."),
        "bonus": Key("Score adjustment per actor when this ending happens.", kind="actor"),
    },
    schema.HistoricalMove: {
        "turn": Key("The turn it was made.", schema={"minimum": 1}),
        "by": Key("Who made it.", kind="actor"),
        "move": Key("A move id, `raise:ISSUE`, or one of `pass`, `propose`, `accept`, `reject`, `counter`, "
                    "`no_deal`, `choose`, `concede`, `stand_firm`, `press`, `back_down`.", kind="move"),
        "terms": Key("The deal's term ids, with `propose` or `counter`.", kind="term"),
        "choice": Key("The choice id, with `choose`.", kind="choice"),
        "source": Key("Where the document describes it."),
    },
    schema.Historical: {
        "until": Key("The turns the line covers.", schema={"minimum": 1}),
        "expect": Key("What the document describes after them, e.g. `\"union == 1\"`.", kind="expr"),
        "moves": Key("The moves: see `[[historical.moves]]`."),
    },
    schema.Source: {
        "para": Key("Paragraph number in the `[document]`, from 1.", schema={"minimum": 1}),
        "quote": Key("A verbatim phrase of that paragraph, at most ten words."),
        "invented": Key("Instead of `para` and `quote`: why this invented mechanic exists."),
        "outside": Key("Optional, with either form: what the element draws from outside the document, "
                       "and from where (one line)."),
    },
}
