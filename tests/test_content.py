"""The shipped scenarios: they validate, cite the article faithfully, and always end."""

import random
import re

import pytest

from game.engine import apply, legal_moves, new_game, outcome
from game.scenario import load_scenario
from tests.conftest import ROOT

SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))
ARTICLE = ROOT.parent / "shared" / "sources" / "article.md"
REQUIRED = {"roadmap-2021", "union-treaty-1999", "medvedev-ultimatum-2018", "after-august-2020",
            "crimea-question"}


def fold(text: str) -> str:
    for a, b in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-"), ("…", "...")):
        text = text.replace(a, b)
    return re.sub(r"\s+", " ", text).strip().lower()


def paragraphs() -> dict[int, str]:
    out = {}
    for line in ARTICLE.read_text(encoding="utf-8").splitlines():
        m = re.match(r"¶(\d+)\s+(.*)", line)
        if m:
            out[int(m.group(1))] = fold(m.group(2))
    return out


def sources_of(sc):
    """(path, Source) for every element that carries one."""
    raw = sc.raw
    yield "scenario.source", raw.scenario.source
    for k, m in raw.meters.items():
        if m.source:
            yield f"meters.{k}.source", m.source
    for k, i in raw.issues.items():
        if i.source:
            yield f"issues.{k}.source", i.source
    for name in ("moves", "terms", "standoffs", "events", "endings"):
        for n, el in enumerate(getattr(raw, name)):
            if el.source:
                yield f"{name}[{n}].source", el.source


def test_every_required_scenario_is_shipped():
    ids = {load_scenario(p).id for p in SCENARIOS}
    assert REQUIRED <= ids


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_a_shipped_scenario_validates_and_cites_its_document(path):
    sc = load_scenario(path)
    doc = sc.raw.document
    assert doc is not None and doc.author == "Alina Turyshyn" and doc.date == "2021-12-08"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_scripted_element_carries_a_source(path):
    sc = load_scenario(path)
    raw = sc.raw
    missing = [f"moves[{i}]" for i, m in enumerate(raw.moves) if m.source is None]
    missing += [f"events[{i}]" for i, e in enumerate(raw.events) if e.source is None]
    missing += [f"endings[{i}]" for i, e in enumerate(raw.endings) if e.source is None]
    missing += [f"issues.{k}" for k, i in raw.issues.items() if i.source is None]
    missing += [f"meters.{k}" for k, m in raw.meters.items() if m.source is None and not m.formula]
    assert not missing


MAX_INVENTED = 0.40


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_invented_elements_say_why_and_stay_at_most_two_fifths(path):
    """Every element marked `invented` gives its one-line reason, and at most 40% are invented
    (an element drawn from outside the document but invented as a mechanic counts as invented)."""
    sc = load_scenario(path)
    cited = [s for _, s in sources_of(sc)]
    invented = [s for s in cited if s.invented is not None]
    assert all(s.invented.strip() and "\n" not in s.invented for s in invented)
    assert all(s.outside.strip() for s in cited if s.outside is not None)
    share = len(invented) / len(cited)
    assert share <= MAX_INVENTED, f"{len(invented)} of {len(cited)} elements ({share:.0%}) are invented"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_quote_appears_verbatim_in_its_paragraph(path):
    if not ARTICLE.exists():
        pytest.skip(f"the source article is not here ({ARTICLE}); quotes cannot be checked")
    paras = paragraphs()
    sc = load_scenario(path)
    wrong = []
    hist = sc.raw.historical.moves if sc.raw.historical else []
    line = [(f"historical.moves[{i}].source", m.source) for i, m in enumerate(hist) if m.source]
    for where, src in [*sources_of(sc), *line]:
        if src.invented is not None:
            continue
        if src.para not in paras or fold(src.quote) not in paras[src.para]:
            wrong.append(f"{where}: ¶{src.para} “{src.quote}”")
    assert not wrong, "quotes not found in their paragraph:\n" + "\n".join(wrong)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_random_play_of_every_scenario_always_ends(path):
    sc = load_scenario(path)
    for seed in range(40):
        rng = random.Random(seed)
        state = new_game(sc, seed)
        for _ in range(20_000):
            if state.is_over:
                break
            state = apply(state, rng.choice(legal_moves(state))).state
        assert state.is_over
        assert outcome(state) is not None


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", fold(text))


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_no_scenario_repeats_twelve_words_of_the_article(path):
    if not ARTICLE.exists():
        pytest.skip(f"the source article is not here ({ARTICLE})")
    n = 12
    article = set()
    for text in paragraphs().values():
        w = words(text)
        article.update(tuple(w[i:i + n]) for i in range(len(w) - n + 1))
    w = words(path.read_text(encoding="utf-8"))
    copied = [" ".join(w[i:i + n]) for i in range(len(w) - n + 1) if tuple(w[i:i + n]) in article]
    assert not copied, f"copied from the article: {copied[:3]}"
