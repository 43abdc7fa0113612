"""docs/authoring.md's tutorial, followed literally: every file it shows is written, every edit made,
every command run, and every output it shows compared with what the command prints.

The tutorial marks its steps with HTML comments that a reader does not see:
``<!-- tutorial: file NAME -->``, ``append NAME`` and ``replace NAME`` (the next fenced block, or
the next two for replace: the text to find, then its replacement), ``run`` or ``run exit=N`` (each
command of the next block), ``output`` (the next block is exactly what the last run printed, timings
aside), ``output example`` (shown, not compared: it depends on the computer players), ``printed
TEXT`` and ``not-printed TEXT`` (the last run printed TEXT, or did not), and ``skip`` (commands that
open the game window).
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
from pathlib import Path

import pytest

from game.cli import main

DOC = Path(__file__).resolve().parents[1] / "docs" / "authoring.md"
_MARK = re.compile(r"^<!-- tutorial: ([\w-]+)(?: (.*?))? -->$")
_FENCE = re.compile(r"^```(\w*)\s*$")


def tutorial_part(text: str) -> str:
    return text[: text.find("<!-- reference:begin")]


def parse(text: str) -> list[tuple[str, str, list[str]]]:
    """(action, argument, [blocks]) for each marked step, in order."""
    lines = text.splitlines()
    blocks: list[tuple[int, str, str]] = []  # (line index of opening fence, language, content)
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i].strip())
        if m:
            j = i + 1
            while not lines[j].strip().startswith("```"):
                j += 1
            indent = len(lines[i]) - len(lines[i].lstrip())
            body = "\n".join(line[indent:] for line in lines[i + 1:j])
            blocks.append((i, m.group(1), body + "\n"))
            i = j + 1
            continue
        i += 1
    steps = []
    for n, line in enumerate(lines):
        m = _MARK.match(line.strip())
        if not m:
            continue
        action, arg = m.group(1), (m.group(2) or "")
        following = [b for b in blocks if b[0] > n]
        count = {"replace": 2, "printed": 0, "not-printed": 0}.get(action, 1)
        steps.append((action, arg, [b[2] for b in following[:count]]))
    return steps


def _normalise(text: str) -> str:
    text = re.sub(r"\(\d+ ms\)", "(N ms)", text)
    text = re.sub(r"\(\d+\.\d s\)", "(N s)", text)
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def run_command(line: str) -> tuple[int, str]:
    argv = shlex.split(line)
    assert argv[0] == "union-state", f"the tutorial may only run union-state commands: {line}"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv[1:])
    return code, out.getvalue() + err.getvalue()


def follow(folder: Path, steps, check: bool = True) -> list[tuple[str, str]]:
    """Carry out the steps in ``folder``; return (command, output) pairs. With ``check``, assert."""
    printed = ""
    runs = []
    for action, arg, blocks in steps:
        if action == "file":
            (folder / arg).write_text(blocks[0], encoding="utf-8")
        elif action == "append":
            path = folder / arg
            old = path.read_text(encoding="utf-8")
            path.write_text(old.rstrip("\n") + "\n\n" + blocks[0], encoding="utf-8")
        elif action == "replace":
            path = folder / arg
            old = path.read_text(encoding="utf-8")
            find, new = blocks
            assert old.count(find) == 1, f"the tutorial's text to replace is not found exactly once:\n{find}"
            path.write_text(old.replace(find, new), encoding="utf-8")
        elif action == "run":
            want = int(arg.split("=")[1]) if arg.startswith("exit=") else 0
            printed = ""
            for line in blocks[0].splitlines():
                if not line.strip() or line.startswith("#"):
                    continue
                code, text = run_command(line)
                printed += text
                runs.append((line, text))
                if check:
                    assert code == want, f"`{line}` exited {code}, the tutorial says {want}:\n{text}"
        elif action == "output" and check and arg != "example":
            shown = blocks[0]
            assert _normalise(printed) == _normalise(shown), (
                f"the tutorial shows\n{shown}\nbut the command printed\n{printed}")
        elif action == "printed" and check:
            assert arg in printed, f"the tutorial says the command prints\n{arg}\nbut it printed\n{printed}"
        elif action == "not-printed" and check:
            assert arg not in printed, f"the tutorial says this is gone, but it is printed:\n{arg}"
        elif action == "skip":
            for line in blocks[0].splitlines():
                assert line.startswith("union-state play "), f"only `play` may be skipped: {line}"
    return runs


def test_every_command_block_of_the_tutorial_is_run_or_explicitly_skipped():
    text = tutorial_part(DOC.read_text(encoding="utf-8"))
    lines = text.splitlines()
    heading = text.find("## Editor support")
    for n, line in enumerate(lines):
        if line.strip() == "```sh" and sum(len(x) + 1 for x in lines[:n]) < heading:
            before = next(x for x in reversed(lines[:n]) if x.strip())
            assert _MARK.match(before.strip()), f"line {n + 1}: a command block without a tutorial mark"


def test_following_the_tutorial_literally_builds_a_scenario_that_validates_lints_and_plays(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    steps = parse(tutorial_part(DOC.read_text(encoding="utf-8")))
    assert sum(1 for s in steps if s[0] == "run") >= 8
    follow(tmp_path, steps)

    from game.engine import apply, legal_moves, new_game, outcome
    from game.scenario import load_scenario
    import random

    sc = load_scenario(tmp_path / "parting-1905.toml")
    assert sc.id == "parting-1905" and len(sc.moves) == 4 and len(sc.terms) == 3
    endings = set()
    for seed in range(60):
        rng = random.Random(seed)
        state = new_game(sc, seed)
        while not state.is_over:
            state = apply(state, rng.choice(legal_moves(state))).state
        endings.add(outcome(state).ending)
    assert "peaceful_parting" in endings  # the fix the tutorial makes in step 11 works


if __name__ == "__main__":  # print what each command prints, to update the tutorial's outputs
    import os
    import tempfile

    os.environ.setdefault("UNION_STATE_HOME", tempfile.mkdtemp())
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        for command, output in follow(Path(tmp), parse(tutorial_part(DOC.read_text(encoding="utf-8"))), check=False):
            print(f"$ {command}\n{output}")
    pytest.main  # noqa: B018 - keeps the import used when run as a script
