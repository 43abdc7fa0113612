"""Words and numbers the interface shows: projected effects, causes, estimates, sources.

Pure functions over the engine (no pygame), so they are tested headless. The interface never
re-implements a rule: projections apply the move to the (immutable) state and read the changes.

The parts: ``figures`` (numbers, changes and their causes, projections), ``estimates`` (the other
side as a player may estimate it, and the words for each phase), ``conditions`` (conditions in
words, and which part fails) and ``history`` (sources, endings, map places, the end of a game).
"""

from __future__ import annotations

from game.ui.explain.figures import (MINUS, fmt_num, fmt_delta, is_issue, value_text, delta_text,
                                     weight, good_for, aggregate, by_cause, direct_changes,
                                     kind_of, Projection, project, changes_text)
from game.ui.explain.estimates import (stance, Bargain, bargain, accept_chance, belief_moved,
                                       chance_words, phase_prompt, move_text)
from game.ui.explain.conditions import (humanise, reason_text, failing_parts, disabled_text)
from game.ui.explain.history import (date_text, document_line, SourceRow, sources, EndingLine,
                                     endings, places_of_step, TurningPoint, turning_points,
                                     score_history, value_history)

__all__ = ["MINUS", "fmt_num", "fmt_delta", "is_issue", "value_text", "delta_text", "weight",
           "good_for", "aggregate", "by_cause", "direct_changes", "kind_of", "Projection",
           "project", "changes_text", "stance", "Bargain", "bargain", "accept_chance",
           "belief_moved", "chance_words", "phase_prompt", "move_text", "humanise", "reason_text",
           "failing_parts", "disabled_text", "date_text", "document_line", "SourceRow", "sources",
           "EndingLine", "endings", "places_of_step", "TurningPoint", "turning_points",
           "score_history", "value_history"]
