"""The union-state command: readable output, exit codes, and never a traceback."""

import json
import subprocess
import sys

from game.cli import main
from tests.conftest import TEST_SCENARIO

BASE = TEST_SCENARIO.read_text(encoding="utf-8")


def run(*args):
    return subprocess.run([sys.executable, "-m", "game", *args], capture_output=True, text=True, timeout=120)


def test_help_lists_the_commands():
    out = run("--help")
    assert out.returncode == 0
    for cmd in ("validate", "describe", "list", "replay"):
        assert cmd in out.stdout


def test_validate_points_at_the_file_line_and_fix_and_exits_1(tmp_path, capsys):
    bad = tmp_path / "typo.toml"
    text = BASE.replace('when = "patience > 20"', 'when = "patince > 20"')
    bad.write_text(text)
    line = text[: text.index("patince")].count("\n") + 1
    assert main(["validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:{line}: moves[0].when: unknown name 'patince' in 'patince > 20' (did you mean 'patience'?)" in out


def test_validate_a_clean_file_prints_one_summary_line_and_exits_0(capsys):
    assert main(["validate", str(TEST_SCENARIO)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "ok" in out[0] and "harbour-test" in out[0]


def test_validate_json_is_machine_readable(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text(BASE.replace("turns = 18", "turns = 0"))
    assert main(["validate", "--json", str(bad), str(TEST_SCENARIO)]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc[0]["ok"] is False and doc[0]["problems"][0]["path"] == "scenario.turns"
    assert doc[1]["ok"] is True


def test_describe_prints_the_scenario(capsys):
    assert main(["describe", str(TEST_SCENARIO)]) == 0
    out = capsys.readouterr().out
    for text in ("The Harbour Compact", "Call a dock strike", "The pier ultimatum", "A free port"):
        assert text in out


def test_list_finds_user_scenarios(tmp_path, monkeypatch, capsys):
    from game.scenario import user_scenario_dir

    folder = user_scenario_dir()
    folder.mkdir(parents=True)
    (folder / "harbour.toml").write_text(BASE)
    assert main(["list"]) == 0
    assert "harbour-test" in capsys.readouterr().out


def test_replay_prints_turns_and_the_outcome(harbour, tmp_path, capsys):
    import random

    from game import saves
    from game.engine import legal_moves
    from game.session import Session

    s = Session(harbour, 3)
    rng = random.Random(3)
    while not s.state.is_over:
        s.apply(rng.choice(legal_moves(s.state)))
    path = tmp_path / "r.json"
    saves.save(s, path)
    assert main(["replay", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Turn 1 (January 2030)" in out and "Outcome:" in out


def test_bad_input_never_shows_a_traceback(tmp_path):
    junk = tmp_path / "junk.json"
    junk.write_bytes(b"\x00\x01garbage")
    for args in (["replay", str(junk)], ["replay", str(tmp_path / "missing.json")],
                 ["describe", "no-such-scenario"], ["validate", str(junk)], ["describe", str(junk)]):
        out = run(*args)
        assert out.returncode in (1, 2), args
        assert "Traceback" not in out.stderr + out.stdout, args
        assert out.stderr.strip() or out.stdout.strip()


def test_an_unknown_scenario_suggests_a_close_name(capsys):
    assert main(["describe", "roadmap-2012"]) == 1
    assert "did you mean 'roadmap-2021'?" in capsys.readouterr().err
