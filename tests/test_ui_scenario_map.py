"""The main screen takes its map and its tabs from the scenario (issue 14, part 1): a Kyiv scenario
shows a Kyiv-centred map with its own places, the tabs follow the scenario's issues, and the shipped
road map keeps the screen it had. Driven through the real screens with posted events."""

import random

import pygame
import pytest

from tests.conftest import HERE, ROOT, open_app, title_driver

pytestmark = pytest.mark.timeout(120)

KYIV = HERE / "scenarios" / "kyiv-2010.toml"
PARTING = HERE / "scenarios" / "parting-1905.toml"
BELARUS_CITIES = {"Minsk", "Hrodna", "Hrodno", "Brest", "Vitebsk", "Mogilev", "Gomel"}


@pytest.fixture
def app():
    a = open_app(KYIV, PARTING)
    yield a
    a.shutdown()


@pytest.fixture
def drv(app):
    return title_driver(app)


def start_game(drv, scenario_id: str):
    """Title → New game → pick the scenario in the list → Start → the briefing → the main screen."""
    app = drv.app
    drv.click_element(drv.button("New game"))
    picker = app.screen
    assert picker.name == "picker"
    idx = next(i for i, (_, s) in enumerate(picker.entries) if not isinstance(s, str) and s.id == scenario_id)
    drv.click(picker.list.row_rect(idx).center)
    assert picker.scenario.id == scenario_id
    drv.click_element(picker.start, frames=3)
    assert app.screen.name == "briefing"
    drv.key(pygame.K_RETURN, frames=3)
    g = app.screen
    assert g.name == "game"
    return g


def labels(g) -> set[str]:
    return {g.map.places[p][0] for p in g.map.labelled if p in g.map.places}


def tab_labels(g) -> list[str]:
    return [b.text for b in g.decision.tab_buttons.values()]


def test_a_kyiv_scenario_shows_a_kyiv_centred_map_with_its_own_places(drv):
    g = start_game(drv, "kyiv-2010")
    m = g.map
    assert labels(g) == {"Kyiv", "Moscow", "Kharkiv", "Sevastopol", "Lviv"}
    assert not labels(g) & BELARUS_CITIES
    x, y = m.to_px(30.52, 50.45)  # Kyiv near the middle of the map panel
    assert abs(x - m.rect.centerx) < m.rect.w * 0.1 and abs(y - m.rect.centery) < m.rect.h * 0.1
    assert m.highlight == {"UKR"}
    # Hovering Kyiv's dot names it (the map reacts to the real mouse).
    drv.move((int(x), int(y)))
    drv.frames(2)
    assert m.place_at((int(x), int(y))) == "kyiv"


def test_the_tabs_follow_the_scenarios_issues_without_empty_panels(drv):
    g = start_game(drv, "kyiv-2010")
    assert [k for k, _, _ in g.decision.tabs] == ["moves", "deal", "programmes", "military", "log", "sources"]
    assert tab_labels(g) == ["Moves", "Deal", "Trade and gas", "Black Sea Fleet", "Log", "Sources"]
    assert "crimea" not in g.decision.tab_buttons
    for key in ("programmes", "military"):
        drv.click_element(g.decision.tab_buttons[key], frames=2)
        assert g.decision.tab == key
        assert all(r.key != "none" for r in g.decision.content.rows), f"the {key} panel is empty"
    ids = {r.key for r in g.decision.content.rows}
    assert "fleet" in ids
    drv.click_element(g.decision.tab_buttons["programmes"], frames=2)
    assert {"customs_union", "gas_pipelines"} <= {r.key for r in g.decision.content.rows}
    # Tab cycles through exactly the scenario's panels.
    seen = []
    for _ in g.decision.tabs:
        drv.key(pygame.K_TAB)
        seen.append(g.decision.tab)
    assert sorted(seen) == sorted(k for k, _, _ in g.decision.tabs)


def test_a_scenario_without_a_map_table_gets_a_fitted_frame_and_no_built_in_city_names(drv):
    g = start_game(drv, "parting-1905")  # the tutorial's scenario: three places, no [map]
    m = g.map
    assert labels(g) == {"Kristiania", "Stockholm", "Karlstad"}
    for lon, lat in ((10.75, 59.91), (18.07, 59.33)):  # both capitals inside the panel
        x, y = m.to_px(lon, lat)
        assert m.rect.collidepoint(x, y)
    assert set(m.sides) == {"NOR", "SWE"}  # the players' places colour their countries
    assert [k for k, _, _ in g.decision.tabs] == ["moves", "deal", "programmes", "log", "sources"]
    assert tab_labels(g)[2] == "The union"


def test_the_shipped_road_map_keeps_its_tabs_and_its_map(tmp_path):
    from game.scenario import load_scenario
    from game.ui.mapview import scenario_frame, used_places
    from game.ui.screens.game import scenario_tabs

    sc = load_scenario(ROOT / "scenarios" / "roadmap-2021.toml")
    assert [(k, lab) for k, lab, _ in scenario_tabs(sc)] == [
        ("moves", "Moves"), ("deal", "Deal"), ("programmes", "Programmes"), ("military", "Military"),
        ("crimea", "Crimea"), ("log", "Log"), ("sources", "Sources")]
    assert scenario_frame(sc) == (22.15, 43.9, 41.65, 57.6)
    assert used_places(sc) == ["minsk", "moscow", "hrodno", "sevastopol", "kyiv"]


def test_a_fitted_frame_surrounds_the_places_with_a_margin():
    from game.ui.mapview import fit_frame

    lon0, lat0, lon1, lat1 = fit_frame([(30.5, 50.4), (37.6, 55.8)])
    assert lon0 < 30.5 < 37.6 < lon1 and lat0 < 50.4 < 55.8 < lat1
    assert lon1 - lon0 >= 12 and lat1 - lat0 >= 9


@pytest.mark.parametrize("path", [KYIV, PARTING], ids=lambda p: p.stem)
def test_the_test_scenarios_validate_and_every_random_game_ends(path):
    from game.engine import apply, legal_moves, new_game
    from game.scenario import load_scenario

    sc = load_scenario(path)
    for seed in range(20):
        rng = random.Random(seed)
        st = new_game(sc, seed)
        while not st.is_over:
            st = apply(st, rng.choice(legal_moves(st))).state


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.toml")) + [KYIV, PARTING,
                                                                                 HERE / "scenarios" / "harbour.toml"],
                         ids=lambda p: p.stem)
def test_no_scenario_gets_an_issue_panel_without_issues(path):
    from game.scenario import load_scenario
    from game.ui.screens.game import issues

    sc = load_scenario(path)
    tabs = issues.issue_tabs(sc)
    for key, label, _ in tabs:
        assert issues.tab_issue_ids(sc, key) and label
    shown = {i for key, _, _ in tabs for i in issues.tab_issue_ids(sc, key)}
    assert shown == set(sc.raw.issues)  # and every issue has a panel
