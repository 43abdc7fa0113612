"""Hot reload: the watcher notices edits, reloads, keeps the game by replaying its moves, and turns a
broken file into an error to show rather than a crash."""

from __future__ import annotations

import os
import random

import pytest

from game.authoring.watch import LoadFailed, Reloaded, ScenarioWatcher, reload_session
from game.engine import IllegalMove, Move, legal_moves
from game.scenario import load_scenario
from game.session import Session
from tests.conftest import TEST_SCENARIO

BASE = TEST_SCENARIO.read_text(encoding="utf-8")


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def write(path, text):
    path.write_text(text, encoding="utf-8")
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))  # a later save, even within a second


def played(sc, seed=4, n=25):
    """A session with n random legal moves."""
    session = Session(sc, seed)
    rng = random.Random(seed)
    for _ in range(n):
        if session.state.is_over:
            break
        session.apply(rng.choice(legal_moves(session.state)))
    return session


@pytest.fixture
def scenario_file(tmp_path):
    path = tmp_path / "harbour.toml"
    path.write_text(BASE, encoding="utf-8")
    return path


def test_nothing_is_reported_until_the_file_changes(scenario_file):
    clock = Clock()
    watcher = ScenarioWatcher(scenario_file, load_scenario(scenario_file), clock=clock)
    assert watcher.poll() is None
    clock.now += 1
    assert watcher.poll() is None
    os.utime(scenario_file)  # touched, same bytes
    clock.now += 1
    assert watcher.poll() is None


def test_polls_are_throttled_to_the_interval(scenario_file):
    clock = Clock()
    watcher = ScenarioWatcher(scenario_file, load_scenario(scenario_file), interval=0.5, clock=clock)
    write(scenario_file, BASE.replace("Call a dock strike", "Strike!"))
    clock.now += 0.2
    assert watcher.poll() is None  # too soon to look
    clock.now += 0.4
    assert isinstance(watcher.poll(), Reloaded)


def test_an_edit_reloads_and_replays_the_moves_so_far(scenario_file):
    sc = load_scenario(scenario_file)
    session = played(sc)
    clock = Clock()
    watcher = ScenarioWatcher(scenario_file, sc, clock=clock)
    write(scenario_file, BASE.replace('name = "Call a dock strike"', 'name = "Down tools"'))
    clock.now += 1
    result = watcher.poll(session)
    assert isinstance(result, Reloaded)
    assert result.scenario.move_by_id["strike"].name == "Down tools"
    assert list(result.kept) == session.moves and result.dropped == ()
    assert result.session.state == session.state and result.session.seed == session.seed
    assert "25 moves replayed" in result.message
    assert watcher.scenario is result.scenario


def test_moves_that_no_longer_fit_are_dropped_from_the_first_one_on(scenario_file):
    sc = load_scenario(scenario_file)
    session = played(sc, n=40)
    first = next(i for i, m in enumerate(session.moves) if m.kind == "unilateral" and m.ref == "strike")
    edited = load_scenario_text(scenario_file, BASE.replace('when = "patience > 20"', 'when = "patience > 200"'))
    new, kept, dropped = reload_session(session, edited)
    assert kept == session.moves[:first] and dropped == session.moves[first:]
    assert len(new.moves) == first and new.scenario is edited


def load_scenario_text(path, text):
    write(path, text)
    return load_scenario(path)


def test_a_broken_file_gives_its_problems_and_the_next_good_save_reloads(scenario_file):
    sc = load_scenario(scenario_file)
    session = played(sc)
    clock = Clock()
    watcher = ScenarioWatcher(scenario_file, sc, clock=clock)
    broken = BASE.replace('when = "patience > 20"', 'when = "patince > 20"')
    write(scenario_file, broken)
    clock.now += 1
    result = watcher.poll(session)
    assert isinstance(result, LoadFailed)
    line = broken[: broken.index("patince")].count("\n") + 1
    assert result.lines == [f"line {line}: moves[0].when: unknown name 'patince' in 'patince > 20' "
                            "(did you mean 'patience'?)"]
    assert watcher.scenario is sc and watcher.error is result.error
    clock.now += 1
    assert watcher.poll(session) is None  # the same broken file is reported once
    write(scenario_file, BASE)
    clock.now += 1
    again = watcher.poll(session)
    assert isinstance(again, Reloaded) and again.session.state == session.state and watcher.error is None


def test_a_deleted_file_is_a_load_failure_not_a_crash(scenario_file):
    clock = Clock()
    watcher = ScenarioWatcher(scenario_file, load_scenario(scenario_file), clock=clock)
    scenario_file.unlink()
    clock.now += 1
    result = watcher.poll()
    assert isinstance(result, LoadFailed) and "cannot read the file" in result.lines[0]
    clock.now += 1
    assert watcher.poll() is None


def test_a_scenario_with_other_players_keeps_no_moves(scenario_file):
    sc = load_scenario(scenario_file)
    session = played(sc, n=5)
    other = load_scenario_text(scenario_file, BASE.replace('"port"', '"harbour"').replace("[actors.port]", "[actors.harbour]")
                               .replace("port = -10", "harbour = -10"))
    new, kept, dropped = reload_session(session, other)
    assert kept == [] and dropped == session.moves and new.moves == []


def test_reload_under_the_dummy_video_driver(scenario_file, monkeypatch):
    """The loop the interface runs: poll every frame, edit the file between frames."""
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    pygame = pytest.importorskip("pygame")
    pygame.display.init()
    pygame.font.init()
    try:
        screen = pygame.display.set_mode((320, 200))
        font = pygame.font.Font(None, 16)
        sc = load_scenario(scenario_file)
        session = played(sc, n=10)
        watcher = ScenarioWatcher(scenario_file, sc, interval=0.0)
        seen = []
        edits = {3: BASE.replace("The Harbour Compact", "The Harbour Pact"),
                 6: BASE.replace("turns = 18", "turns = 0"),
                 9: BASE.replace("The Harbour Compact", "The Harbour Pact, again")}
        overlay = []
        for frame in range(12):
            pygame.event.pump()
            if frame in edits:
                write(scenario_file, edits[frame])
            result = watcher.poll(session)
            if isinstance(result, Reloaded):
                session = result.session
                overlay = []
                seen.append(result.scenario.title)
            elif isinstance(result, LoadFailed):
                overlay = result.lines
                seen.append("error")
            screen.fill((0, 0, 0))
            for i, text in enumerate(overlay):
                screen.blit(font.render(text, True, (255, 80, 80)), (4, 4 + 18 * i))
            pygame.display.flip()
        assert seen == ["The Harbour Pact", "error", "The Harbour Pact, again"]
        assert len(session.moves) == 10
    finally:
        pygame.display.quit()


def test_illegal_replay_never_raises(scenario_file):
    sc = load_scenario(scenario_file)
    session = Session(sc, 1)
    session.moves.append(Move("unilateral", "port", "no_such_move"))  # a corrupt history
    session.steps.append(session.steps[-1])
    new, kept, dropped = reload_session(session, sc)
    assert kept == [] and len(dropped) == 1
    with pytest.raises(IllegalMove):
        Session(sc, 1, dropped)
