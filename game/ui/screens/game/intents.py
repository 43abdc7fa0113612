"""What the main screen's widgets ask for. A widget never changes the match or the screen stack: it
returns one of these, and the screen carries it out (``GameScreen.carry_out`` calls ``apply``, which
names the screen's own action for it)."""

from __future__ import annotations

import attrs

from game.engine import Move


@attrs.frozen
class PlayMove:
    """Submit ``move`` to the match."""
    move: Move

    def apply(self, screen) -> None:
        screen.submit(self.move)


@attrs.frozen
class Toast:
    """Say ``text`` briefly at the foot of the window."""
    text: str
    seconds: float = 2.5

    def apply(self, screen) -> None:
        screen.app.toast(self.text, self.seconds)


@attrs.frozen
class Go:
    """Move to another screen (a ``game.ui.nav`` Push or Replace)."""
    nav: object

    def apply(self, screen) -> None:
        screen.app.navigate(self.nav)


@attrs.frozen
class OpenTab:
    key: str

    def apply(self, screen) -> None:
        screen.set_tab(self.key)


@attrs.frozen
class Skip:
    """Hurry the announcement on; ``all_`` skips every queued one."""
    all_: bool = False

    def apply(self, screen) -> None:
        screen.announcements.skip(self.all_)


@attrs.frozen
class SeeOutcome:
    """The game is over: on to the end screen, once everything is announced."""

    def apply(self, screen) -> None:
        screen.see_outcome()


@attrs.frozen
class Respond:
    """Open what the human must answer now (an event's choice, a standoff)."""

    def apply(self, screen) -> None:
        screen.respond()


@attrs.frozen
class ShowSide:
    """Hot-seat: show the board to ``actor``."""
    actor: str

    def apply(self, screen) -> None:
        screen.show_side(self.actor)


@attrs.frozen
class OpenMenu:
    def apply(self, screen) -> None:
        screen.open_menu()


@attrs.frozen
class OpenSaveDialog:
    def apply(self, screen) -> None:
        screen.save_dialog()


@attrs.frozen
class SaveAs:
    name: str

    def apply(self, screen) -> None:
        screen.save_as(self.name)


@attrs.frozen
class ToTitle:
    """Save the game and go back to the title screen."""

    def apply(self, screen) -> None:
        screen.to_title()


@attrs.frozen
class Quit:
    def apply(self, screen) -> None:
        screen.app.quit()


@attrs.frozen
class Adopt:
    """`play --watch`: go on with ``session`` (the file was reloaded, or a console command ran)."""
    session: object

    def apply(self, screen) -> None:
        screen.adopt(self.session)
