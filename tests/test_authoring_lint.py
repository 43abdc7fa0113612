"""`union-state lint`: validation plus a report from simulated games, with TOML paths and lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.authoring import lint as lint_mod
from game.authoring.lint import Finding, lint, render
from game.authoring.sources import check_sources, fold, read_paragraphs
from game.cli import main
from game.scenario import load_scenario, load_text
from tests.conftest import ROOT, TEST_SCENARIO

PLANTED = Path(__file__).parent / "fixtures" / "lint-planted.toml"
ARTICLE = ROOT.parent / "shared" / "sources" / "article.md"
FAST = ("random", "greedy")


def line_of(path: Path, needle: str) -> int:
    text = path.read_text(encoding="utf-8")
    return text[: text.index(needle)].count("\n") + 1


@pytest.fixture(scope="module")
def planted_report():
    sc = load_scenario(PLANTED)
    return sc, lint(sc, games=6, players=FAST)


def by_code(report, code):
    return [f for f in report.findings if f.code == code]


def test_lint_finds_the_planted_unreachable_event_with_its_path_and_line(planted_report):
    _, report = planted_report
    [f] = by_code(report, "event-never-fired")
    assert (f.path, f.line, f.level) == ("events[1].when", line_of(PLANTED, 'when = "turn > 30"'), "warning")
    assert "'eclipse'" in f.message


def test_lint_finds_the_planted_never_legal_move(planted_report):
    _, report = planted_report
    [f] = by_code(report, "move-never-legal")
    assert (f.path, f.line) == ("moves[1].cost", line_of(PLANTED, "cost = { coin = 150 }"))
    assert "'buy_the_pass'" in f.message and "cost" in f.hint


def test_lint_finds_the_planted_unreachable_ending(planted_report):
    _, report = planted_report
    [f] = by_code(report, "ending-never-reached")
    assert (f.path, f.line) == ("endings[1].when", line_of(PLANTED, 'when = "fame >= 90"'))
    assert [g.path for g in by_code(report, "meter-never-changes")] == ["meters.fame"]


def test_lint_reports_outcome_and_winner_shares_for_every_pairing(planted_report):
    sc, report = planted_report
    assert [p.players for p in report.pairings] == [(a, b) for a in FAST for b in FAST]
    for p in report.pairings:
        assert p.games == 6 and sum(p.endings.values()) == 6 and sum(p.winners.values()) == 6
    text = render(report, sc)
    assert "greedy vs random" in text and "open_pass" in text and "East wins" in text
    assert "eclipse 0%" in text


def test_the_lint_command_exits_0_on_warnings_1_with_strict_and_prints_lines(capsys):
    assert main(["lint", str(PLANTED), "--games", "3", "--players", "random"]) == 0
    out = capsys.readouterr().out
    line = line_of(PLANTED, 'when = "turn > 30"')
    assert f"{PLANTED}:{line}: events[1].when: event 'eclipse' never fired" in out
    assert main(["lint", str(PLANTED), "--games", "3", "--players", "random", "--strict"]) == 1


def test_lint_json_is_machine_readable(capsys):
    assert main(["lint", str(PLANTED), "--games", "2", "--players", "random", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["ok"] is True and doc["games"] == 2 and doc["scenario"] == "lint-planted"
    assert doc["events"]["eclipse"] == 0 and doc["moves"]["buy_the_pass"]["games_legal"] == 0
    codes = {f["code"] for f in doc["findings"]}
    assert {"event-never-fired", "move-never-legal", "ending-never-reached"} <= codes
    assert all({"level", "code", "message", "path", "line", "hint"} <= set(f) for f in doc["findings"])
    assert doc["pairings"][0]["players"] == {"east": "random", "west": "random"}


def test_an_invalid_scenario_is_an_error_with_its_lines_and_no_games(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    text = TEST_SCENARIO.read_text(encoding="utf-8").replace('when = "patience > 20"', 'when = "patince > 20"')
    bad.write_text(text, encoding="utf-8")
    assert main(["lint", str(bad), "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["ok"] is False and doc["games"] == 0
    [f] = doc["findings"]
    assert f["code"] == "invalid" and f["path"] == "moves[0].when" and f["line"] == text[: text.index("patince")].count("\n") + 1
    assert main(["lint", str(bad)]) == 1
    assert "did you mean 'patience'" in capsys.readouterr().out


def test_a_crashing_game_is_an_error_naming_the_seed(monkeypatch):
    class Broken:
        needs_view = False

        def choose(self, view, legal, rng):
            raise ZeroDivisionError("boom")

    monkeypatch.setattr(lint_mod, "_policy_factory", lambda: ((lambda *a: Broken()), ["random"], ""))
    sc = load_scenario(TEST_SCENARIO)
    report = lint(sc, games=2, players=("random",))
    crashes = by_code(report, "game-crashed")
    assert crashes and crashes[0].level == "error" and "ZeroDivisionError: boom" in crashes[0].message
    assert "seed" in crashes[0].message and report.errors


def test_a_game_that_never_ends_is_an_error(monkeypatch):
    monkeypatch.setattr(lint_mod, "MAX_MOVES_PER_TURN", 0)
    report = lint(load_scenario(TEST_SCENARIO), games=1, players=("random",))
    [f] = by_code(report, "game-never-ends")
    assert f.level == "error" and f.path == "scenario.turns"


def test_lint_without_the_computer_players_falls_back_to_random_with_a_note(monkeypatch):
    monkeypatch.setattr(lint_mod, "_policy_factory",
                        lambda: ((lambda *a: lint_mod._Uniform()), ["random"], "not installed"))
    report = lint(load_scenario(PLANTED), games=2)
    assert [p.players for p in report.pairings] == [("random", "random")]
    assert by_code(report, "players-missing")[0].level == "note"


def test_the_default_players_include_search_and_it_plays(planted_report):
    pytest.importorskip("game.ai")
    report = lint(load_scenario(PLANTED), games=1, players=("search",))
    assert report.pairings[0].players == ("search", "search") and not report.errors


def test_unknown_players_and_missing_documents_are_usage_errors(capsys):
    assert main(["lint", str(PLANTED), "--players", "genius"]) == 2
    assert main(["lint", str(PLANTED), "--sources", "/no/such/file.md"]) == 2


def test_a_dominant_move_and_a_stuck_meter_are_reported():
    text = PLANTED.read_text(encoding="utf-8").replace("cooldown = 1\neffects = { morale = 3 }",
                                                       "effects = { morale = 30 }")
    text = text.replace('drift = "(50 - morale) / 10"\n', "")
    sc = load_text(text, "dominant.toml")
    report = lint(sc, games=6, players=("greedy",))
    assert any(f.code == "move-dominates" and "'petition'" in f.message for f in report.findings)
    assert any(f.code == "meter-stuck" and "'morale'" in f.message and "maximum" in f.message
               for f in report.findings)


# --- sources -----------------------------------------------------------------------------------

def test_paragraphs_come_from_marks_or_from_blank_lines():
    marked = "# Title\n\n¶1 First line\ncontinues here.\n\n## Heading\n\n¶2 Second.\n"
    assert read_paragraphs(marked) == {1: "First line continues here.", 2: "Second."}
    plain = "First paragraph\nstill first.\n\n\nSecond one.\n"
    assert read_paragraphs(plain) == {1: "First paragraph\nstill first.", 2: "Second one."}


def test_quotes_are_compared_with_quotes_dashes_and_spaces_folded():
    assert fold("“I am all  yours” – he said’s") == fold('"I am all yours" - he said\'s')


def test_sources_are_checked_against_a_document_with_paths_and_lines(tmp_path, capsys):
    doc = tmp_path / "notes.md"
    doc.write_text("Today the valleys argue about everything.\n\nIn winter the pass is shut; in spring it opens.\n",
                   encoding="utf-8")
    sc = load_scenario(PLANTED)
    text = PLANTED.read_text(encoding="utf-8")
    checked, problems = check_sources(sc.raw, doc.read_text(encoding="utf-8"), text, "notes.md")
    assert checked == 3
    paths = sorted(p.path for p in problems)
    assert paths == ["events[0].source", "issues.route.source"]
    assert problems[0].line == line_of(PLANTED, 'source = { para = 2, quote = "the pass is shut in winter" }')
    assert main(["lint", str(PLANTED), "--sources", str(doc), "--games", "0"]) == 1
    out = capsys.readouterr().out
    assert "Sources: 3 quotes checked, 2 not found" in out
    assert 'issues.route.source: quote "the pass is shut in winter" is not in paragraph 2 of notes.md' in out


def test_a_quote_in_the_wrong_paragraph_is_pointed_to_the_right_one():
    sc = load_scenario(PLANTED)
    _, problems = check_sources(sc.raw, "¶1 the pass is shut in winter\n¶2 the valleys argue\n")
    hints = {p.path: p.hint for p in problems}
    assert hints["meters.morale.source"] == "it is in paragraph 2: write para = 2"


@pytest.mark.skipif(not ARTICLE.is_file(), reason="the shared sources folder is not present")
def test_every_quote_of_the_shipped_scenarios_is_in_the_article(capsys):
    for path in sorted((ROOT / "scenarios").glob("*.toml")):
        assert main(["lint", str(path), "--sources", str(ARTICLE), "--games", "0", "--json"]) in (0, 1)
        doc = json.loads(capsys.readouterr().out)
        assert doc["quotes_checked"] > 0
        assert [f for f in doc["findings"] if f["code"] == "quote-not-found"] == [], path.name


def test_findings_print_like_validate_problems():
    f = Finding("warning", "x", "something", "moves[0].when", 12, "a hint")
    assert f.text("a.toml") == "warning: a.toml:12: moves[0].when: something (a hint)"
    assert Finding("note", "x", "plain").text("a.toml") == "note: a.toml: plain"


def test_the_report_is_the_same_whatever_the_number_of_workers():
    sc = load_scenario(TEST_SCENARIO)
    one = lint(sc, games=4, players=FAST, workers=1).to_dict(sc)
    two = lint(sc, games=4, players=FAST, workers=2).to_dict(sc)
    one.pop("seconds")
    two.pop("seconds")
    assert one == two and one["games"] == 16


def test_lint_names_an_event_whose_choices_can_all_be_unavailable():
    text = TEST_SCENARIO.read_text(encoding="utf-8").replace(
        'label = "Ignore them"', 'label = "Ignore them"\nwhen = "trade > 50"').replace(
        'label = "Promise to delay"', 'label = "Promise to delay"\nwhen = "patience > 10"')
    sc = load_text(text, "all-conditional.toml")
    found = [f for f in lint_mod.static_findings(sc) if f.code == "choices-may-all-be-unavailable"]
    assert len(found) == 1
    f = found[0]
    assert "protest" in f.message and "default 'ignore'" in f.message and f.path.endswith(".choices")
    assert not [f for f in lint_mod.static_findings(load_scenario(TEST_SCENARIO))
                if f.code == "choices-may-all-be-unavailable"]


def test_validate_refuses_a_default_that_is_not_one_of_the_choices():
    from game.scenario import ScenarioError

    text = TEST_SCENARIO.read_text(encoding="utf-8").replace('default = "ignore"', 'default = "ignor"')
    with pytest.raises(ScenarioError) as exc:
        load_text(text, "bad-default.toml")
    msg = str(exc.value)
    assert "default 'ignor' is not one of the choices" in msg and "ignore" in msg


def test_lint_warns_when_one_side_wins_most_games_between_the_stronger_players(harbour):
    from game.authoring.lint import Pairing, Tally, findings_from
    a, b = harbour.players
    greedy = Pairing(("greedy", "greedy"), games=20)
    greedy.winners.update({a: 14, b: 6})
    rand = Pairing(("random", "random"), games=20)
    rand.winners.update({a: 14, b: 6})
    fair = Pairing(("search", "search"), games=20)
    fair.winners.update({a: 10, b: 10})
    for p in (greedy, rand, fair):
        p.endings.update({e.id: 20 // len(harbour.endings) for e in harbour.endings})
    found = [f for f in findings_from(harbour, [greedy, rand, fair], Tally(games=60))
             if f.code == "lopsided-strong"]
    assert len(found) == 1 and "greedy-vs-greedy" in found[0].message
    assert found[0].path == f"actors.{a}" and found[0].level == "warning"


def test_the_road_map_caps_its_search_games_by_default_and_only_the_big_scenario_does():
    road = load_scenario(ROOT / "scenarios" / "roadmap-2021.toml")
    assert lint_mod.search_cap(road) < 10  # the default --games: a default lint stays quick
    for name in ("union-treaty-1999", "crimea-question", "medvedev-ultimatum-2018"):
        assert lint_mod.search_cap(load_scenario(ROOT / "scenarios" / f"{name}.toml")) >= 10
    assert lint_mod.search_cap(load_scenario(TEST_SCENARIO)) >= 10


def test_a_capped_run_says_so_in_its_text_and_json_and_plays_fewer_search_games(capsys):
    args = ["lint", str(PLANTED), "--games", "3", "--search-games", "1", "--players", "random,search"]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "Pairings with a search player played 1 games each (capped" in text
    assert "--search-games N plays more" in text
    assert main(args + ["--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["search_capped"] is True and data["search_games_per_pairing"] == 1
    games = {tuple(p["players"].values()): p["games"] for p in data["pairings"]}
    assert games[("random", "random")] == 3
    assert games[("random", "search")] == games[("search", "search")] == 1
    assert data["games"] == 3 + 3 * 1


def test_an_uncapped_run_says_nothing_about_a_cap(capsys):
    assert main(["lint", str(PLANTED), "--games", "2", "--players", "random"]) == 0
    assert "capped" not in capsys.readouterr().out
