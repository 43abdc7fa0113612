"""Pure rules of the game: immutable state, legal moves, apply. Imports no pygame and does no I/O."""

from game.engine.outcome import Outcome, outcome
from game.engine.records import Cause, Fired, Reason
from game.engine.rules import (apply, disabled_moves, fire_event, illegal_reason, legal_moves,
                               move_reason, new_game, preview, roll, scores, set_value, start, utility)
from game.engine.serial import deserialize, serialize
from game.engine.state import (ACT, ANSWER, ANSWER_COUNTER, CHOOSE, OVER, PROPOSE, STANDOFF,
                               STANDOFF_PRESS, Change, IllegalMove, Move, State, Step)
from game.engine.view import View, view

__all__ = ["ACT", "ANSWER", "ANSWER_COUNTER", "CHOOSE", "OVER", "PROPOSE", "STANDOFF",
           "STANDOFF_PRESS", "Change", "IllegalMove", "Move", "Outcome", "State", "Step", "View",
           "apply", "disabled_moves", "illegal_reason", "legal_moves",
           "move_reason", "new_game", "outcome", "preview", "roll", "scores", "start", "utility", "view",
           "serialize", "deserialize", "Cause", "Fired", "Reason", "fire_event", "set_value"]
