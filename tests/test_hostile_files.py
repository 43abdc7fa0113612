"""Hostile scenario files: each ends in a ScenarioError naming the file (and the line where it
can be had), quickly, and never in another exception, a hang or a huge read."""

import os
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.cli import main
from game.scenario import ScenarioError, load_bytes, load_scenario
from tests.conftest import TEST_SCENARIO

BASE = TEST_SCENARIO.read_text(encoding="utf-8")
WHEN = 'when = "patience > 20"'


def problems_of(text: str, limit: float = 30.0):
    """The problems of a hostile file. The time limits are hang guards, not speed targets: the
    faults they catch took 30 s to forever, and a busy shared machine must not make them flake."""
    t0 = time.perf_counter()
    with pytest.raises(ScenarioError) as err:
        load_bytes(text.encode("utf-8"), "h.toml")
    assert time.perf_counter() - t0 < limit
    assert all(p.file == "h.toml" for p in err.value.problems)
    return err.value.problems


def test_a_header_of_thousands_of_spaces_is_refused_at_once():
    (p,) = problems_of("[" + " " * 100_000 + "x\n", limit=10.0)
    assert p.line == 1 and "TOML" in p.message


@pytest.mark.parametrize("expr", ["max(min, 1) > 0", "abs > 1", "clamp + 1"])
def test_a_function_name_used_as_a_value_is_a_problem_not_a_crash(expr):
    (p,) = problems_of(BASE.replace(WHEN, f'when = "{expr}"', 1))
    assert p.path == "moves[0].when" and "is a function, not a value" in p.message


def test_refused_constructs_are_named_in_words_not_python_node_names():
    (p,) = problems_of(BASE.replace(WHEN, 'when = "1 if 2 else 3"', 1))
    assert "'x if c else y' is not allowed" in p.message and "IfExp" not in p.message
    (p,) = problems_of(BASE.replace(WHEN, 'when = "patience % 2 == 0"', 1))
    assert "'%'" in p.message and "Mod" not in p.message


def test_a_chain_of_1200_derived_meters_loads_without_running_out_of_stack():
    chain = "".join(f'[meters.d{i}]\nname = "d"\nrange = [0, 100]\nformula = "{f"d{i + 1}" if i < 1199 else "trade"}"\n\n'
                    for i in range(1200))
    sc = load_bytes(BASE.replace("[meters.integration]", chain + "[meters.integration]", 1).encode(), "h.toml")
    assert len(sc.derived) == 1201


def test_a_circle_of_derived_meters_is_reported():
    text = BASE.replace("[meters.integration]", '[meters.a]\nname = "a"\nrange = [0, 1]\nformula = "b"\n'
                        '[meters.b]\nname = "b"\nrange = [0, 1]\nformula = "a"\n\n[meters.integration]', 1)
    (p,) = problems_of(text)
    assert "circle" in p.message and p.line is not None


@pytest.mark.parametrize("key", ['"²"', "9" * 5000, '"-1"', '"1.0"'])
def test_an_on_level_key_that_is_not_a_level_index_is_a_problem(key):
    (p,) = problems_of(BASE.replace("[issues.customs.on_level.2]", f"[issues.customs.on_level.{key}]"))
    assert "is not a level index" in p.message and p.line == BASE[:BASE.index("[issues.customs.on_level")].count("\n") + 1
    assert len(str(p)) < 400


def test_thousands_of_unknown_names_stop_after_a_bounded_report():
    unknown = "".join(f'[[events]]\nid = "u{i}"\ntitle = "t"\ntext = "t"\nwhen = "nosuch{i} > 1"\n'
                      'source = { invented = "x" }\n\n' for i in range(4000))
    ps = problems_of(BASE + unknown, limit=30.0)
    assert 100 < len(ps) <= 201 and "stopped after" in ps[-1].message


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "+nan", "1e300"])
def test_non_finite_or_huge_numbers_in_the_file_are_refused(value):
    (p,) = problems_of(BASE.replace("range = [0, 100]", f"range = [0, {value}]", 1))
    assert p.path == "meters.autonomy.range[1]" and p.line is not None


def test_a_number_with_thousands_of_digits_is_refused_with_its_line():
    (p,) = problems_of(BASE.replace("turns = 18", "turns = 1" + "0" * 5000))
    assert p.line == BASE[:BASE.index("turns = 18")].count("\n") + 1


def test_a_huge_months_per_turn_is_refused_before_any_date_overflows():
    (p,) = problems_of(BASE.replace("months_per_turn = 1", "months_per_turn = 999999999"))
    assert p.path == "scenario.months_per_turn"


def test_runtime_overflow_stays_finite_so_the_game_goes_on():
    from game.engine import legal_moves, start
    from game.engine import apply as apply_move

    text = BASE.replace('effects = { treasury = "-0.2 * treasury" }',
                        'effects = { treasury = "treasury * 1e300 * 1e300", trade = "(trade * 1e300 * 1e300) - (trade * 1e300 * 1e300)" }')
    sc = load_bytes(text.encode(), "h.toml")
    step = start(sc, 1)
    for _ in range(300):
        if step.state.is_over:
            break
        step = apply_move(step.state, legal_moves(step.state)[0])
    assert all(x == x and abs(x) < float("inf") for x in step.state.values)


def test_a_byte_order_mark_is_ignored():
    sc = load_bytes(b"\xef\xbb\xbf" + BASE.encode(), "h.toml")
    assert sc.id == "harbour-test"


def test_an_unknown_key_is_reported_at_its_own_line():
    text = BASE.replace("deal_max_terms = 4", "deal_max_terms = 4\ncolour = 1\nflavour = 2")
    ps = problems_of(text)
    assert {p.path for p in ps} == {"scenario.colour", "scenario.flavour"}
    lines = text.splitlines()
    assert all(lines[p.line - 1].startswith(p.path.split(".")[-1]) for p in ps)


def test_an_issue_named_where_a_meter_is_needed_is_called_an_issue():
    text = BASE.replace('tension = "tension"', 'tension = "customs"', 1)
    ps = problems_of(text)
    assert any("'customs' is an issue, not a meter" in p.message for p in ps)


def test_a_device_and_a_fifo_are_refused_without_reading(tmp_path, capsys):
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    t0 = time.perf_counter()
    assert main(["validate", "/dev/zero", str(fifo), str(tmp_path)]) == 1
    assert time.perf_counter() - t0 < 30
    out = capsys.readouterr().out
    assert "/dev/zero: not a regular file" in out and f"{fifo}: not a regular file" in out
    assert f"{tmp_path}: a folder" in out


def test_a_file_over_the_limit_is_refused(tmp_path):
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * 2_000_001)
    with pytest.raises(ScenarioError, match="limit"):
        load_scenario(big)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(list("[]{}=\"'#.,x1 \n\t\\²\ufeff\x00") + ["nan", "inf", "min", "\n[[e]]\n"]),
                max_size=200).map("".join))
def test_random_hostile_text_is_always_a_scenario_error_quickly(junk):
    for text in (junk, BASE + "\n" + junk, BASE.replace(WHEN, "when = '" + junk.replace("'", "") + "'", 1)):
        t0 = time.perf_counter()
        try:
            load_bytes(text.encode("utf-8", "surrogatepass"), "h.toml")
        except ScenarioError as exc:
            assert exc.problems and all(p.file == "h.toml" for p in exc.problems)
        assert time.perf_counter() - t0 < 15


def test_control_characters_are_stripped_from_text():
    text = BASE.replace('title = "The Harbour Compact"', 'title = "The\\u0000 Harbour\\u001b[2J Compact"')
    sc = load_bytes(text.encode(), "h.toml")
    assert sc.title == "The Harbour[2J Compact"


def test_a_title_of_a_megabyte_is_refused_at_its_line():
    text = BASE.replace('title = "The Harbour Compact"', 'title = "' + "x" * 1_000_000 + '"')
    ps = problems_of(text)
    assert ps[0].path == "scenario.title" and ps[0].line == 7


def test_markup_in_titles_and_names_is_printed_not_parsed(tmp_path, capsys):
    f = tmp_path / "markup.toml"
    f.write_text(BASE.replace('title = "The Harbour Compact"', 'title = "[/bold] oops [red]"')
                 .replace('name = "Autonomy"', 'name = "[/] a"'), encoding="utf-8")
    assert main(["simulate", str(f), "--games", "2", "--workers", "1"]) == 0
    out = capsys.readouterr().out
    assert "[/bold] oops [red]" in out and "[/] a" in out


def test_list_and_the_id_lookup_skip_a_broken_file_with_a_note(tmp_path, monkeypatch, capsys):
    from game.scenario import find_scenario

    folder = tmp_path / "home" / "scenarios"
    folder.mkdir(parents=True)
    (folder / "broken.toml").write_text("[" + " " * 5000 + "x\n")
    (folder / "good.toml").write_text(BASE)
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "broken" in out and "invalid" in out and "harbour-test" in out
    assert find_scenario("harbour-test").title == "The Harbour Compact"
    with pytest.raises(ScenarioError, match="skipped 1 file"):
        find_scenario("no-such-thing")


def test_a_historical_move_by_the_wrong_side_or_an_unknown_choice_is_reported():
    text = BASE.replace('by = "capital"\nmove = "subsidy"', 'by = "port"\nmove = "subsidy"', 1)
    extra = ('\n[[historical.moves]]\nturn = 1\nby = "capital"\nmove = "choose"\nchoice = "nope"\n'
             '\n[[historical.moves]]\nturn = 1\nby = "port"\nmove = "pass"\nchoice = "x"\n')
    ps = problems_of(text + extra)
    messages = " | ".join(p.message for p in ps)
    assert "move 'subsidy' is made by capital, not port" in messages
    assert "has no event choice 'nope'" in messages and "the move is not 'choose'" in messages
    assert all(p.line is not None for p in ps)


def test_describe_shows_the_historical_line_and_whether_expect_held(capsys):
    assert main(["describe", str(TEST_SCENARIO)]) == 0
    out = capsys.readouterr().out
    assert "Historical line" in out and "expect: customs == 1 and flag == 0 - holds" in out


def test_lint_warns_when_the_historical_expect_does_not_hold(tmp_path, capsys):
    f = tmp_path / "h.toml"
    f.write_text(BASE.replace('expect = "customs == 1 and flag == 0"', 'expect = "customs == 2"'))
    assert main(["lint", str(f), "--games", "0", "--strict"]) == 1
    assert "expect 'customs == 2' does not hold" in capsys.readouterr().out


def test_a_structural_error_does_not_hide_the_other_problems():
    text = (BASE.replace("turns = 18", 'turns = "x"').replace(WHEN, 'when = "patince > 20"', 1)
            .replace('range = [0, 100]', 'range = "x"', 1).replace('cooldown = 2\n', 'cooldwn = 2\n', 1))
    ps = problems_of(text)
    assert {p.path for p in ps} == {"scenario.turns", "moves[0].when", "meters.autonomy.range", "moves[0].cooldwn"}
    assert all(p.line for p in ps)


def test_a_string_where_an_array_belongs_is_refused_not_split_into_letters():
    (p,) = problems_of(BASE.replace('players = ["port", "capital"]', 'players = "port"'))
    assert p.path == "scenario.players" and "expected an array" in p.message


def test_many_misspelt_names_among_thousands_of_meters_are_reported_quickly():
    meters = "".join(f'[meters.meter_number_{i}]\nname="m"\nrange=[0,1]\nstart=0\n' for i in range(5000))
    bad = "".join(f'[[events]]\nid="z{i}"\ntitle="t"\ntext="t"\nwhen="meter_numbr_{i} > 1"\nsource={{invented="x"}}\n'
                  for i in range(300))
    ps = problems_of(BASE.replace("[meters.integration]", meters + "[meters.integration]") + bad, limit=30.0)
    assert ps[0].hint == "did you mean 'meter_number_0'?" and "stopped after" in ps[-1].message


def test_the_picker_lists_hostile_files_without_crashing_and_compiles_each_once(tmp_path, monkeypatch):
    from game.scenario import loader
    from game.ui.app import App
    from game.ui.driver import Driver
    from game.ui.screens.picker import PickerScreen

    folder = tmp_path / "home" / "scenarios"
    folder.mkdir(parents=True)
    (folder / "broken.toml").write_text("[" + " " * 5000 + "x\n")
    (folder / "nul.toml").write_text(BASE.replace('id = "harbour-test"', 'id = "nul-title"')
                                     .replace('title = "The Harbour Compact"', 'title = "A\\u0000B [/bold]"'))
    compiled = []
    real = loader.load_bytes
    monkeypatch.setattr(loader, "load_bytes", lambda *a, **k: compiled.append(a[1]) or real(*a, **k))
    app = App(size=(1280, 720), fullscreen=False, wait_when_idle=False)
    try:
        for _ in range(2):
            app.push(PickerScreen(app))
            Driver(app).frames(3)
            assert app.screen.name == "picker"
            titles = {sc if isinstance(sc, str) else sc.title for _, sc in app.screen.entries}
            assert "AB [/bold]" in titles and any("problem" in str(t) for t in titles)
            app.pop()
        assert compiled.count(str(folder / "nul.toml")) == 1
    finally:
        app.shutdown()


def test_lint_notes_a_historical_move_made_out_of_turn(tmp_path, capsys):
    f = tmp_path / "h.toml"
    f.write_text(BASE.replace('turn = 1\nby = "capital"\nmove = "subsidy"', 'turn = 2\nby = "capital"\nmove = "subsidy"')
                 .replace("until = 2", "until = 1"))
    main(["lint", str(f), "--games", "0"])
    assert "historical move 4 (capital: subsidy, turn 2) was not played" in capsys.readouterr().out
