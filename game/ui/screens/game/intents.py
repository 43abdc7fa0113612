"""What the main screen's widgets ask for. A widget never changes the match or the screen stack: it
returns one of these, and the screen (``screen.py``) carries it out."""

from __future__ import annotations

import attrs

from game.engine import Move


@attrs.frozen
class PlayMove:
    """Submit ``move`` to the match."""
    move: Move


@attrs.frozen
class Toast:
    """Say ``text`` briefly at the foot of the window."""
    text: str
    seconds: float = 2.5


@attrs.frozen
class Go:
    """Move to another screen (a ``game.ui.nav`` Push or Replace)."""
    nav: object


@attrs.frozen
class Skip:
    """Hurry the announcement on; ``all_`` skips every queued one."""
    all_: bool = False


@attrs.frozen
class SeeOutcome:
    """The game is over: on to the end screen."""


@attrs.frozen
class Respond:
    """Open what the human must answer now (an event's choice, a standoff)."""


@attrs.frozen
class ShowSide:
    """Hot-seat: show the board to ``actor``."""
    actor: str


@attrs.frozen
class OpenMenu:
    pass


@attrs.frozen
class OpenSaveDialog:
    pass


@attrs.frozen
class SaveAs:
    name: str


@attrs.frozen
class ToTitle:
    """Save the game and go back to the title screen."""


@attrs.frozen
class Quit:
    pass


@attrs.frozen
class Adopt:
    """`play --watch`: go on with ``session`` (the file was reloaded, or a console command ran)."""
    session: object
