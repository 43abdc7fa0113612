"""Saves: atomic, versioned, checked; a bad file is refused and no file is touched."""

import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game import saves
from game.engine import legal_moves
from game.saves import SaveError
from game.session import Session


def played(scenario, seed, n):
    s = Session(scenario, seed)
    rng = random.Random(seed)
    for _ in range(n):
        if s.state.is_over:
            break
        s.apply(rng.choice(legal_moves(s.state)))
    return s


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, 10**9), st.integers(0, 120))
def test_save_then_load_is_the_identity(harbour, tmp_path_factory, seed, n):
    s = played(harbour, seed, n)
    path = tmp_path_factory.mktemp("saves") / "game.json"
    saves.save(s, path, {"side": "port"})
    loaded, meta = saves.load(path, harbour)
    assert loaded.state == s.state
    assert loaded.moves == s.moves
    assert meta["side"] == "port"


def snapshot_files(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir()}


@pytest.fixture
def saved(harbour, tmp_path):
    s = played(harbour, 4, 40)
    path = tmp_path / "slot.json"
    saves.save(s, path)
    return s, path


def test_a_second_save_keeps_the_first_as_bak(harbour, saved):
    s, path = saved
    first = path.read_bytes()
    s.apply(legal_moves(s.state)[0])
    saves.save(s, path)
    assert (path.parent / "slot.json.bak").read_bytes() == first
    assert path.read_bytes() != first
    assert not list(path.parent.glob("*.tmp"))


@pytest.mark.parametrize("damage, message", [
    (lambda b: b[: len(b) // 2], "damaged or truncated"),
    (lambda b: b"\x00\xff" + b, "damaged or truncated"),
    (lambda b: b"", "damaged or truncated"),
    (lambda b: b.replace(b'"seed": 4', b'"seed": 5'), "altered"),
    (lambda b: json.dumps({"kind": "something else"}).encode(), "not a Union State save"),
])
def test_a_corrupt_or_tampered_save_is_refused_and_no_file_changes(harbour, saved, damage, message):
    _, path = saved
    path.write_bytes(damage(path.read_bytes()))
    before = snapshot_files(path.parent)
    with pytest.raises(SaveError, match=message):
        saves.load(path, harbour)
    assert snapshot_files(path.parent) == before


def test_a_save_from_an_incompatible_version_is_refused(harbour, saved):
    _, path = saved
    doc = json.loads(path.read_text())
    doc["version"] = 99
    doc["checksum"] = saves._checksum(doc)
    path.write_text(json.dumps(doc))
    with pytest.raises(SaveError, match="incompatible version"):
        saves.load(path, harbour)


def test_moves_tampered_with_a_fixed_checksum_still_fail_to_replay(harbour, saved):
    _, path = saved
    doc = json.loads(path.read_text())
    doc["moves"][0] = {"kind": "unilateral", "actor": "port", "ref": "nonsense"}
    doc["checksum"] = saves._checksum(doc)
    path.write_text(json.dumps(doc))
    with pytest.raises(SaveError, match="do not replay"):
        saves.load(path, harbour)


def test_a_save_of_a_changed_scenario_is_refused(harbour, saved, tmp_path):
    from game.scenario import load_text

    _, path = saved
    changed = load_text(harbour.path.read_text().replace("start = 60", "start = 61", 1), "x.toml")
    with pytest.raises(SaveError, match="has changed"):
        saves.load(path, changed)


def test_a_failed_write_leaves_the_good_save_alone(harbour, saved, monkeypatch):
    s, path = saved
    good = path.read_bytes()

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(saves.os, "fsync", boom)
    with pytest.raises(OSError):
        saves.save(s, path)
    assert path.read_bytes() == good
    assert not list(path.parent.glob("*.tmp"))


def test_the_snapshot_gives_the_position_without_replaying(harbour, saved):
    s, path = saved
    assert saves.load_snapshot(path, harbour) == s.state
