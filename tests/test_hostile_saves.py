"""Tampered saves (checksum recomputed, as anyone can): a clear SaveError, never a crash; the
title screen and the Load screen keep working; a write cut short never loses Continue."""

import json
import os
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game import saves
from game.cli import main
from game.saves import SaveError
from game.session import Session
from game.ui import storage


@pytest.fixture
def doc(harbour, tmp_path):
    path = tmp_path / "slot.json"
    saves.save(Session(harbour, 3), path, {"side": "port", "title": "t"})
    return json.loads(path.read_text())


def write(path, doc, *, digits: str = ""):
    doc = dict(doc)
    doc["checksum"] = saves._checksum(doc)
    text = json.dumps(doc)
    if digits:  # a number too long for Python's int(): only as raw text
        text = text.replace('"seed": ', '"seed": ' + digits + ", \"x\": ", 1)
    path.write_text(text)
    return path


TAMPER = [
    ("meta", "x"), ("meta", {"k": {"nested": 1}}), ("snapshot", [1]), ("snapshot", {"turn": "abc"}),
    ("snapshot", {"values": [float("1e999")]}), ("snapshot", {"turn": 10**30}), ("snapshot", {"evil": 1}),
    ("seed", 10**40), ("seed", True), ("moves", [1]), ("moves", [{"kind": 1}]),
    ("scenario", {"id": "x" * 5000, "digest": "d"}), ("scenario", {"id": "harbour-test", "digest": 5}),
]


@pytest.mark.parametrize("key, value", TAMPER)
def test_a_tampered_field_is_a_save_error_and_the_load_screen_describes_it(harbour, doc, tmp_path, key, value):
    if key == "snapshot" and isinstance(value, dict):
        value = {**doc["snapshot"], **value}
    path = write(tmp_path / "bad.json", {**doc, key: value})
    with pytest.raises(SaveError):
        saves.load(path, harbour)
    with pytest.raises(SaveError):
        saves.load_snapshot(path, harbour)
    info = storage.describe_file(path)
    assert info.error


def test_a_five_thousand_digit_number_is_a_damaged_file(doc, tmp_path):
    path = write(tmp_path / "big.json", doc, digits="1" * 5000)
    with pytest.raises(SaveError, match="not valid JSON"):
        saves.read_document(path)


def test_a_device_is_refused_as_a_save(tmp_path):
    t0 = time.perf_counter()
    with pytest.raises(SaveError, match="cannot be a save"):
        saves.read_document("/dev/zero")
    assert time.perf_counter() - t0 < 2


def test_a_save_pointing_at_dev_zero_does_not_hang_replay(harbour, doc, tmp_path, capsys):
    fake = {**doc, "scenario": {"id": "not-installed", "digest": "0" * 64, "path": "/dev/zero"}}
    path = write(tmp_path / "z.json", fake)
    t0 = time.perf_counter()
    assert main(["replay", str(path)]) == 1
    assert time.perf_counter() - t0 < 10
    assert "not installed" in capsys.readouterr().err


def test_only_the_bak_left_by_a_killed_write_still_loads(harbour, tmp_path):
    path = tmp_path / "autosave.json"
    s = Session(harbour, 5)
    saves.save(s, path)
    os.replace(path, saves.backup_of(path))  # as a kill between the two renames used to leave it
    loaded, _ = saves.load(path, harbour)
    assert loaded.state == s.state
    assert saves.existing(path) == saves.backup_of(path)


def test_the_file_exists_at_every_moment_of_a_save(harbour, tmp_path, monkeypatch):
    path = tmp_path / "slot.json"
    saves.save(Session(harbour, 5), path)
    seen = []
    real = os.replace

    def spy(a, b):
        seen.append(path.exists())
        real(a, b)

    monkeypatch.setattr(saves.os, "replace", spy)
    saves.save(Session(harbour, 6), path)
    assert seen and all(seen)
    assert saves.backup_of(path).exists()


def test_stale_temporary_files_are_cleaned_up(harbour, tmp_path):
    path = tmp_path / "slot.json"
    stale = tmp_path / "slot.json.abc123.tmp"
    stale.write_text("half a save")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    saves.save(Session(harbour, 5), path)
    assert not stale.exists()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from(["meta", "snapshot", "moves", "seed", "scenario", "version", "kind"]),
       value=st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                          lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                          max_leaves=10))
def test_any_value_in_any_field_is_refused_or_loads_never_crashes(harbour, doc, tmp_path_factory, key, value):
    path = write(tmp_path_factory.mktemp("h") / "h.json", {**doc, key: value})
    try:
        saves.load(path, harbour)
    except SaveError:
        pass
    storage.describe_file(path)


@pytest.mark.parametrize("key, value", [("meta", "x"), ("snapshot", [1]), ("seed", 10**40)])
def test_a_tampered_autosave_leaves_the_title_and_load_screens_working(harbour, doc, key, value):
    from game.ui.app import App
    from game.ui.driver import Driver
    from game.ui.screens.saves import SavesScreen
    from game.ui.screens.title import TitleScreen

    storage.saves_dir().mkdir(parents=True, exist_ok=True)
    write(storage.autosave_path(), {**doc, key: value})
    app = App(size=(1280, 720), fullscreen=False, wait_when_idle=False)
    try:
        app.push(TitleScreen(app))
        Driver(app).frames(2)
        assert app.screen.name == "title" and app.screen.auto is None  # no Continue for a bad file
        app.push(SavesScreen(app))
        Driver(app).frames(2)
        assert app.screen.name != "error"
    finally:
        app.shutdown()


def test_control_characters_in_a_saves_details_are_not_shown(doc, tmp_path):
    path = write(tmp_path / "nul.json", {**doc, "meta": {"title": "A\x00B\x1b[2J", "side": "port"}})
    assert storage.describe_file(path).title == "AB[2J"
