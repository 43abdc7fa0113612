"""The main screen's widgets hand decisions back as intents and never touch the match; screens are
found by name through the registry."""

from __future__ import annotations

import pytest

from game.engine import PROPOSE, Move
from tests.conftest import open_app


def test_every_registered_screen_is_a_screen_of_that_name():
    from game.ui.nav import SCREENS, screen_class
    from game.ui.screens.base import Screen

    for key in SCREENS:
        cls = screen_class(key)
        assert issubclass(cls, Screen) and cls.name == key


def test_asking_for_a_screen_that_does_not_exist_is_refused_at_once():
    from game.ui.nav import Push, Replace

    with pytest.raises(KeyError, match="no screen named 'nowhere'"):
        Push("nowhere")
    with pytest.raises(KeyError):
        Replace("nowhere")


def _deal_time(harbour):
    """A match at the human's first bargaining step (the harbour's first side proposes)."""
    from game.session import Session
    from game.ui.match import Match

    sess = Session(harbour, 3)
    assert sess.state.phase == PROPOSE
    me = sess.state.actor_id
    return Match(sess, {me}, "easy", worker=False), me


def test_the_decision_panel_returns_the_move_and_leaves_submitting_to_the_screen(harbour):
    from game.ui.screens.game.decision import DecisionPanel
    from game.ui.screens.game.intents import PlayMove
    from game.ui.screens.game.issues import scenario_tabs

    match, me = _deal_time(harbour)
    try:
        panel = DecisionPanel(scenario_tabs(harbour))
        steps = len(match.session.steps)
        assert panel.primary(match) == PlayMove(Move("no_deal", me))
        panel.terms = ["grant"]
        assert panel.primary(match) == PlayMove(Move("propose", me, terms=("grant",)))
        assert panel.second(match) is None and panel.terms == []  # Clear empties the selection
        assert len(match.session.steps) == steps  # nothing was played
    finally:
        match.close()


def test_a_submitted_deal_clears_the_terms_and_a_taken_move_the_pick(harbour):
    from game.ui.screens.game.decision import DecisionPanel
    from game.ui.screens.game.issues import scenario_tabs

    panel = DecisionPanel(scenario_tabs(harbour))
    panel.terms, panel.sel_move = ["grant"], "strike"
    panel.submitted(Move("propose", "port", terms=("grant",)))
    assert panel.terms == [] and panel.sel_move == "strike"
    panel.submitted(Move("pass", "port"))
    assert panel.sel_move is None


def test_the_menu_answers_with_intents_the_screen_carries_out(harbour):
    from game.ui.nav import Push
    from game.ui.screens.game.dialogs import Dialogs
    from game.ui.screens.game.intents import Go, OpenSaveDialog, Quit, ToTitle

    app = open_app()
    try:
        d = Dialogs(app)
        answers = {}
        for key in ("save", "help", "title", "quit", "resume"):
            d.menu(harbour, 1, True, 0.0)
            assert d.kind == "menu" and d.popup is not None
            d._out = []
            d.popup.on_choice(key)
            answers[key] = d._out
            assert d.popup is None  # a choice closes the menu
        assert answers["save"] == [OpenSaveDialog()] and answers["title"] == [ToTitle()]
        assert answers["quit"] == [Quit()] and answers["resume"] == []
        [go] = answers["help"]
        assert isinstance(go, Go) and isinstance(go.nav, Push) and go.nav.key == "help"
    finally:
        app.shutdown()
