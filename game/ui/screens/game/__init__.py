"""The main screen, as a screen (``screen.py``: layout, routing, polling) and the widgets it lays
out, each owning its own state: the top bar, the meters, the decision panel with its detail box,
this turn's feed and the log, the announcement banner, the pop-ups and the developer tools.
Widgets hand what the player asks for back to the screen as intents (``intents.py``)."""

from game.ui.screens.game.issues import scenario_tabs
from game.ui.screens.game.screen import GameScreen

__all__ = ["GameScreen", "scenario_tabs"]
