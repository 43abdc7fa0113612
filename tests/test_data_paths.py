"""Shipped scenarios and assets are found both in a checkout and after a regular install."""

from __future__ import annotations

import sys

from game import data
from game.scenario import paths


def test_checkout_copy_is_used_in_a_source_tree():
    assert data.data_dir("scenarios") == data.SOURCE_ROOT / "scenarios"
    assert (data.data_dir("assets") / "fonts" / "DejaVuSans.ttf").is_file()


def test_installed_copy_is_used_without_a_checkout(tmp_path, monkeypatch):
    # A regular `pip install .` puts the data under <prefix>/share/union-state (pyproject data-files).
    prefix = tmp_path / "prefix"
    installed = prefix / "share" / "union-state" / "scenarios"
    installed.mkdir(parents=True)
    (installed / "x.toml").write_text("")
    monkeypatch.setattr(data, "SOURCE_ROOT", tmp_path / "site-packages")
    monkeypatch.setattr(sys, "prefix", str(prefix))
    monkeypatch.delenv("UNION_STATE_SCENARIOS", raising=False)
    assert data.data_dir("scenarios") == installed
    assert paths.shipped_scenario_dir() == installed


def test_pyproject_installs_every_shipped_file():
    import tomllib

    spec = tomllib.loads((data.SOURCE_ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["data-files"]
    covered = {p for globs in spec.values() for g in globs for p in data.SOURCE_ROOT.glob(g)}
    shipped = {p for d in ("scenarios", "assets") for p in (data.SOURCE_ROOT / d).rglob("*") if p.is_file()}
    assert shipped <= covered, sorted(str(p) for p in shipped - covered)
