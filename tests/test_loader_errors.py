"""Authors get every problem in a file at once, each with the file, TOML path, line and a fix."""

import pytest

from game.scenario import ScenarioError, load_bytes
from tests.conftest import TEST_SCENARIO

BASE = TEST_SCENARIO.read_text(encoding="utf-8")


def problems_of(text):
    with pytest.raises(ScenarioError) as err:
        load_bytes(text.encode("utf-8"), "s.toml")
    return err.value.problems


def line_of(text, needle):
    return text[: text.index(needle)].count("\n") + 1


def test_the_test_scenario_loads(harbour):
    assert harbour.id == "harbour-test"
    assert harbour.players == ("port", "capital")


def test_a_misspelt_meter_points_at_file_line_path_and_suggests_the_fix():
    text = BASE.replace('when = "patience > 20"', 'when = "patince > 20"')
    (p,) = problems_of(text)
    assert p.file == "s.toml"
    assert p.path == "moves[0].when"
    assert p.line == line_of(text, 'when = "patince > 20"')
    assert "unknown name 'patince'" in p.message
    assert p.hint == "did you mean 'patience'?"
    assert str(p).startswith(f"s.toml:{p.line}: moves[0].when: ")


def test_all_problems_in_a_file_are_reported_not_just_the_first():
    text = (BASE.replace('when = "patience > 20"', 'when = "patince > 20"')
                .replace('effects = { trade = -3, patience = -6, autonomy = 2 }',
                         'effects = { trade = -3, patience = -6, autonmy = 2 }')
                .replace('winner = "none"', 'winner = "nobody"'))
    paths = {p.path for p in problems_of(text)}
    assert {"moves[0].when", "moves[0].effects.autonmy", "endings[1].winner"} <= paths


def test_unknown_keys_are_refused_with_a_suggestion():
    text = BASE.replace('cooldown = 2\n', 'cooldwn = 2\n', 1)
    (p,) = problems_of(text)
    assert "unknown key" in p.message and "cooldwn" in p.message
    assert "cooldown" in p.hint


def test_types_are_not_silently_coerced():
    text = BASE.replace("turns = 18", 'turns = "18"').replace("once = true", 'once = "true"')
    ps = problems_of(text)
    assert {p.path for p in ps} >= {"scenario.turns", "moves[2].once"}
    assert all("expected" in p.message for p in ps)


def test_a_float_where_a_whole_number_is_needed_is_refused():
    ps = problems_of(BASE.replace("turns = 18", "turns = 18.5"))
    assert ps[0].path == "scenario.turns"


def test_duplicate_ids_are_reported():
    text = BASE.replace('id = "woo_neighbours"', 'id = "strike"')
    ps = problems_of(text)
    assert any("duplicate move id 'strike'" in p.message for p in ps)


def test_start_values_outside_the_range_and_inverted_ranges_are_reported():
    text = BASE.replace("start = 60\n", "start = 160\n", 1).replace("range = [0, 50]", "range = [50, 0]")
    ps = {p.path: p for p in problems_of(text)}
    assert "outside the range" in ps["meters.autonomy.start"].message
    assert "inverted" in ps["meters.treasury.range"].message


def test_unknown_references_are_reported():
    text = (BASE.replace('opens = "pier_demand"', 'opens = "pier_demnd"')
                .replace('default = "ignore"', 'default = "ignor"')
                .replace('place = "capital"', 'place = "kapital"'))
    ps = {p.path: p for p in problems_of(text)}
    assert ps["moves[5].opens"].hint == "did you mean 'pier_demand'?"
    assert ps["events[2].default"].hint == "did you mean 'ignore'?"
    assert "unknown place" in ps["moves[4].place"].message


def test_an_ending_that_can_never_happen_is_reported():
    text = BASE.replace('when = "integration >= 80"', 'when = "integration >= 180"')
    ps = problems_of(text)
    assert ps[0].path == "endings[0].when"
    assert "can never happen" in ps[0].message


def test_a_scenario_with_no_endings_is_refused():
    cut = BASE.index("[[endings]]")
    hist = BASE.index("[historical]")
    ps = problems_of(BASE[:cut] + BASE[hist:])
    assert any(p.path == "endings" for p in ps)


def test_a_missing_required_key_names_the_table():
    text = BASE.replace('leader = "Mayor Ana"\n', "")
    (p,) = problems_of(text)
    assert p.path == "actors.port.leader"
    assert "missing" in p.message


def test_a_quote_longer_than_ten_words_is_reported():
    text = BASE.replace('quote = "the harbour runs itself"',
                        'quote = "one two three four five six seven eight nine ten eleven"')
    (p,) = problems_of(text)
    assert p.path == "meters.autonomy.source.quote"


def test_derived_meters_cannot_be_changed_directly():
    text = BASE.replace("effects = { tension = 15 }", "effects = { integration = 15 }")
    (p,) = problems_of(text)
    assert "derived" in p.message


def test_a_python_keyword_as_an_id_is_a_clear_error_not_a_crash():
    text = BASE.replace("[issues.flag]", "[issues.pass]\nraised_by = [\"port\"]\nmoved_by = [\"port\"]").replace("flag = 1,", "pass = 1,").replace(
        "max(0, flag - 1)", "0")
    ps = problems_of(text)
    assert any(p.path == "issues.pass" and "reserved" in p.message for p in ps)


def test_a_source_may_note_what_it_draws_from_outside_the_document_but_not_emptily():
    ok = BASE.replace('source = { invented = "economic pressure" }',
                      'source = { invented = "economic pressure", outside = "a later report" }')
    load_bytes(ok.encode("utf-8"), "s.toml")
    bad = BASE.replace('source = { invented = "economic pressure" }',
                       'source = { invented = "economic pressure", outside = " " }')
    (p,) = problems_of(bad)
    assert p.path.endswith(".source.outside")


def _with_map(table: str) -> str:
    """The test scenario with a [map] table placed before its first place."""
    return BASE.replace("[places.harbour]", table + "\n\n[places.harbour]", 1)


def test_a_map_table_loads_and_keeps_its_frame_places_and_highlight():
    from game.scenario import load_text

    sc = load_text(_with_map('[map]\nframe = [5, 45, 20, 55]\nplaces = ["capital", "berlin"]\nhighlight = ["DEU"]'))
    assert sc.raw.map.frame == [5, 45, 20, 55] and sc.raw.map.places == ["capital", "berlin"]
    assert sc.raw.map.highlight == ["DEU"]


@pytest.mark.parametrize("table, path, message, hint", [
    ('[map]\nframe = [5, 45, 20]', "map.frame", "frame needs four numbers, not 3", "[lon_min, lat_min, lon_max, lat_max]"),
    ('[map]\nframe = [20, 45, 5, 55]', "map.frame", "is inverted or empty", "west, south, east, north"),
    ('[map]\nframe = [5, 45, 200, 55]', "map.frame", "out of range", "lon -180 to 180"),
    ('[map]\nplaces = ["harbor"]', "map.places[0]", "unknown place 'harbor'", "did you mean 'harbour'?"),
    ('[map]\nplaces = ["capital", "capital"]', "map.places[1]", "listed twice", "list each place once"),
    ('[map]\nhighlight = ["UKRR"]', "map.highlight[0]", "the map has no country 'UKRR'", "did you mean 'UKR'?"),
    ('[map]\nhighlite = ["UKR"]', "map.highlite", "unknown key 'highlite'", "did you mean 'highlight'?"),
])
def test_a_bad_map_table_is_reported_at_its_line_with_a_fix(table, path, message, hint):
    text = _with_map(table)
    (p,) = problems_of(text)
    assert p.path == path
    assert message in p.message and hint in (p.hint or "")
    key = path.split(".")[1].split("[")[0]
    assert p.line == line_of(text, f"\n{key} =") + 1
