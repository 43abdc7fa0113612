"""Global sensitivity analysis (SALib): which starting values, weights and traits move the outcome.

SALib draws points across the ranges given (Morris trajectories or a Sobol sequence); at each point
the batch runner plays the same ``games`` seeds (common random numbers, as ``sweep`` does), and
each point's outputs are each side's win share and mean final score. SALib then rates every
parameter per output: Morris's mu* (the mean absolute effect of moving it from LO to HI) or
Sobol's first-order and total indices. Parameters are ranked by their effect averaged over the
outputs that vary at all, each output's effects scaled by its largest.

The tornado chart is method-free: per output and parameter, the mean output over the points whose
value of that parameter lies in the bottom quarter of its range against those in the top quarter.

SALib (with numpy and scipy) is an optional extra: ``pip install 'union-state[research]'``.
"""

from __future__ import annotations

import math
import sys

INSTALL_HINT = "sensitivity needs SALib, an optional extra: pip install 'union-state[research]'"
METHODS = ("morris", "sobol")


class SensitivityError(ValueError):
    """A sensitivity run that cannot go ahead as asked; the message says why."""


def _salib():
    try:
        import numpy as np
        from SALib.analyze import morris as ma
        from SALib.analyze import sobol as sa
        from SALib.sample import morris as ms
        from SALib.sample import sobol as ss
    except ImportError:
        raise SensitivityError(INSTALL_HINT) from None
    return np, ms, ma, ss, sa


def _outputs(sc) -> list[tuple[str, str]]:
    """(key, label) of each output: each side's win share, then each side's mean score."""
    return ([(f"win.{p}", f"{sc.actor(p).name} win share") for p in sc.players] +
            [(f"score.{p}", f"{sc.actor(p).name} score") for p in sc.players])


def sample_points(sc, vary: list[tuple[str, float, float]], method: str = "morris", samples: int = 8,
                  seed: int = 0) -> list[dict[str, float]]:
    """The parameter points SALib asks for (issue start levels rounded to whole levels)."""
    np, ms, _, ss, _ = _salib()
    problem = _problem(vary)
    if method == "morris":
        X = ms.sample(problem, samples, num_levels=4, seed=seed)
    elif method == "sobol":
        if samples < 2 or samples & (samples - 1):
            raise SensitivityError(f"--samples for sobol must be a power of two (8, 16, 32...), not {samples}")
        X = ss.sample(problem, samples, calc_second_order=False, seed=seed)
    else:
        raise SensitivityError(f"unknown method '{method}'; use one of: {', '.join(METHODS)}")
    issues = {name for name, _, _ in vary if "." not in name and sc.slots.get(name, -1) >= sc.n_meters}
    return [{name: (float(round(x)) if name in issues else float(x)) for (name, _, _), x in zip(vary, row)}
            for row in X]


def _problem(vary):
    return {"num_vars": len(vary), "names": [v[0] for v in vary], "bounds": [[v[1], v[2]] for v in vary]}


def check_vary(sc, vary) -> None:
    from game.sim.batch import SimError, check_overrides

    if not vary:
        raise SensitivityError("give at least one --vary NAME=LO:HI")
    names = [v[0] for v in vary]
    if len(set(names)) != len(names):
        raise SensitivityError("--vary: each parameter may be varied once")
    for name, lo, hi in vary:
        if not hi > lo:
            raise SensitivityError(f"--vary {name}: HI must be above LO")
        for x in (lo, hi):
            try:
                check_overrides(sc, {name: x})
            except SimError as exc:
                raise SensitivityError(str(exc)) from None


def run_sensitivity(scenario, vary: list[tuple[str, float, float]], method: str = "morris",
                    samples: int = 8, games: int = 20, seed: int = 0, policies=None, *, workers=1,
                    dask=None, overrides=None, progress=None) -> tuple[list[dict], list[dict]]:
    """Play ``games`` games at every point SALib draws; returns (points, records).

    Records carry ``point`` (the index into points) and ``param.NAME`` like ``sweep``'s."""
    from game.sim.batch import Task, check_overrides, execute, load, seat_specs
    from game.sim.runner import game_seed

    sc, src = load(scenario)
    check_vary(sc, vary)
    if games < 1:
        raise SensitivityError(f"--games must be at least 1, not {games}")
    specs = seat_specs(sc, policies)
    base = dict(check_overrides(sc, overrides))
    points = sample_points(sc, vary, method, samples, seed)
    tasks = []
    for p, point in enumerate(points):
        items = check_overrides(sc, {**base, **point})
        tasks += [Task(i, game_seed(seed, i), specs, items, (("point", p),)) for i in range(games)]
    records = execute(sc, src, tasks, workers=workers, dask=dask, progress=progress)
    return points, records


def analyse(sc, vary, method: str, points: list[dict], records: list[dict], seed: int = 0) -> dict:
    """SALib's indices per output, the ranking, and the tornado's low/high means."""
    np, _, ma, _, sa = _salib()
    problem = _problem(vary)
    n = len(points)
    outs = _outputs(sc)
    Y = {key: np.zeros(n) for key, _ in outs}
    count = np.zeros(n)
    for r in records:
        p = r["point"]
        count[p] += 1
        for side in sc.players:
            Y[f"win.{side}"][p] += 1.0 if r["winner"] == side else 0.0
            Y[f"score.{side}"][p] += r[f"score.{side}"]
    X = np.array([[pt[name] for name, _, _ in vary] for pt in points], dtype=float)
    result: dict = {"scenario": sc.id, "title": sc.title, "method": method, "points": n,
                    "games": int(count[0]) if n else 0, "outputs": [], "parameters": []}
    effects = {name: [] for name, _, _ in vary}
    for key, label in outs:
        y = Y[key] / np.maximum(count, 1)
        if n and float(np.ptp(y)) == 0.0:  # nothing moves this output: every index is 0
            zero = [0.0] * len(vary)
            idx = ({"mu_star": zero, "mu": zero, "sigma": zero, "mu_star_conf": zero} if method == "morris"
                   else {"S1": zero, "ST": zero, "S1_conf": zero, "ST_conf": zero})
            main = np.zeros(len(vary))
        elif method == "morris":
            si = ma.analyze(problem, X, y, num_levels=4, seed=seed)
            idx = {"mu_star": si["mu_star"], "mu": si["mu"], "sigma": si["sigma"], "mu_star_conf": si["mu_star_conf"]}
            main = np.asarray(si["mu_star"], dtype=float)
        else:
            si = sa.analyze(problem, y, calc_second_order=False, seed=seed)
            idx = {"S1": si["S1"], "ST": si["ST"], "S1_conf": si["S1_conf"], "ST_conf": si["ST_conf"]}
            main = np.clip(np.asarray(si["ST"], dtype=float), 0, None)
        main = np.nan_to_num(main)
        top = float(main.max()) if len(main) else 0.0
        tornado = []
        for j, (name, lo, hi) in enumerate(vary):
            span = hi - lo
            low = y[X[:, j] <= lo + 0.25 * span]
            high = y[X[:, j] >= hi - 0.25 * span]
            tornado.append({"name": name, "low": float(low.mean()) if len(low) else math.nan,
                            "high": float(high.mean()) if len(high) else math.nan})
            if top > 0:  # an output no parameter moves says nothing about their order
                effects[name].append(float(main[j]) / top)
        result["outputs"].append({
            "key": key, "label": label, "mean": float(y.mean()) if n else math.nan,
            "indices": {k: [_num(x) for x in v] for k, v in idx.items()},
            "tornado": tornado})
    effect = {name: sum(e) / len(e) if e else 0.0 for name, e in effects.items()}
    ranked = sorted(vary, key=lambda v: -effect[v[0]])
    result["parameters"] = [{"name": name, "lo": lo, "hi": hi, "effect": effect[name]}
                            for name, lo, hi in ranked]
    result["ranking"] = [p["name"] for p in result["parameters"]]
    return result


def _num(x) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


def format_result(result: dict, sc, vary) -> str:
    method = result["method"]
    main = "mu_star" if method == "morris" else "ST"
    what = ("Morris mu*: mean absolute change of the output when the parameter goes from LO to HI"
            if method == "morris" else "Sobol total index ST: share of the output's variance due to "
                                       "the parameter, alone or with others")
    lines = [f"Sensitivity of {sc.title} ({sc.id}): {method}, {result['points']} points x "
             f"{result['games']} games",
             f"Each cell: {what}; win shares are fractions (0-1), scores points.", ""]
    outs = result["outputs"]
    order = {name: j for j, (name, _, _) in enumerate(vary)}
    heads = ["rank", "parameter", "range", "effect"] + [o["label"] for o in outs]
    rows = []
    for k, p in enumerate(result["parameters"], 1):
        j = order[p["name"]]
        cells = []
        for o in outs:
            v = o["indices"][main][j]
            cells.append("–" if v is None else f"{v:.3f}")
        rows.append([str(k), p["name"], f"{p['lo']:g}–{p['hi']:g}", f"{p['effect']:.2f}", *cells])
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(heads)]
    lines.append("  ".join(h.ljust(w) if i < 3 else h.rjust(w) for i, (h, w) in enumerate(zip(heads, widths))))
    for r in rows:
        lines.append("  ".join(c.ljust(w) if i < 3 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
    lines += ["", "effect: the parameter's index averaged over the outputs that vary, each scaled by the "
                  "output's largest (1 = the strongest on every output).",
              "Means over all points: " + ", ".join(
                  f"{o['label']} {o['mean']:.2f}" for o in outs)]
    return "\n".join(lines)


def plot_tornado(result: dict, sc, path) -> None:
    """One panel per output: per parameter, a bar from the mean output at the bottom quarter of
    its range to the mean at the top quarter, around the overall mean; widest on top."""
    from game.sim.plots import _colour, _figure

    outs = result["outputs"]
    nparam = len(result["parameters"])
    fig = _figure(12, 1.5 + 0.45 * nparam * 2)
    for k, o in enumerate(outs):
        ax = fig.add_subplot(2, 2, k + 1)
        rows = sorted(o["tornado"], key=lambda t: abs((t["high"] or 0) - (t["low"] or 0)))
        base = o["mean"]
        side = o["key"].split(".", 1)[1]
        for y, t in enumerate(rows):
            lo_v, hi_v = t["low"], t["high"]
            if lo_v is None or hi_v is None or math.isnan(lo_v) or math.isnan(hi_v):
                continue
            ax.barh(y, lo_v - base, left=base, color="#bbbbbb", edgecolor="#555555")
            ax.barh(y, hi_v - base, left=base, color=_colour(sc, side), edgecolor="#555555")
        ax.axvline(base, color="black", lw=0.8)
        ax.set_yticks(range(len(rows)), [t["name"] for t in rows], fontsize=8)
        ax.set_title(o["label"], fontsize=10)
        ax.set_xlabel("mean at the bottom quarter (grey) and top quarter (colour) of each range", fontsize=7)
    fig.suptitle(f"{sc.title}: {result['method']} sensitivity, {result['points']} points x "
                 f"{result['games']} games")
    fig.tight_layout()
    fig.savefig(path, bbox_inches="tight")


# --- the command -----------------------------------------------------------------------------------

def register(subparsers) -> None:
    from game.sim.commands import _common, _policies

    p = subparsers.add_parser(
        "sensitivity", help="global sensitivity analysis (Morris or Sobol) of start values and weights",
        description="Vary start values, weights and traits together across their ranges (SALib's "
                    "Morris screening or Sobol indices) and rank them by their effect on each side's "
                    "win share and score. Needs the 'research' extra.")
    _common(p, 20)
    _policies(p)
    p.add_argument("--vary", action="append", default=[], metavar="NAME=LO:HI", required=True,
                   help="a parameter (as for --set) and its range; repeatable")
    p.add_argument("--method", choices=METHODS, default="morris", help="morris (default) or sobol")
    p.add_argument("--samples", type=int, default=None, metavar="N",
                   help="Morris trajectories (default 8: 8 x (parameters + 1) points) or Sobol base "
                        "samples, a power of two (default 16: 16 x (parameters + 2) points)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--plot", metavar="FILE.png", help="save a tornado chart per output")
    p.set_defaults(func=cmd_sensitivity)


def _parse_range(text: str):
    from game.cli import UsageError

    name, eq, rng = text.partition("=")
    parts = rng.split(":")
    if not eq or not name.strip() or len(parts) != 2:
        raise UsageError(f"--vary {text}: write NAME=LO:HI, e.g. rating=10:40")
    try:
        lo, hi = (float(x) for x in parts)
    except ValueError:
        raise UsageError(f"--vary {text}: LO and HI must be numbers") from None
    return name.strip(), lo, hi


def cmd_sensitivity(args) -> int:
    import json

    from game.cli import UsageError
    from game.sim.commands import _check_common, _load, _progress, _run, _side_policies, _warn_time

    try:
        _salib()
    except SensitivityError as exc:
        print(f"union-state: {exc}", file=sys.stderr)
        return 1
    sets = _check_common(args)
    vary = [_parse_range(v) for v in args.vary]
    samples = args.samples or (8 if args.method == "morris" else 16)
    sc, _ = _load(args)
    pols = _side_policies(args, sc)
    _warn_time(pols.values())
    if args.games < 1:
        raise UsageError(f"--games must be at least 1, not {args.games}")
    try:
        check_vary(sc, vary)
        npoints = len(sample_points(sc, vary, args.method, samples, args.seed))
    except SensitivityError as exc:
        raise UsageError(str(exc)) from None
    with _progress(args.games * npoints, "Sensitivity") as cb:
        points, records = _run(run_sensitivity, sc, vary, args.method, samples, args.games, args.seed,
                               pols, workers=args.workers, dask=args.dask, overrides=sets, progress=cb)
    result = analyse(sc, vary, args.method, points, records, args.seed)
    note = sys.stderr if args.json else sys.stdout
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(format_result(result, sc, vary))
    if args.out:
        from game.sim.output import write_records

        write_records(records, args.out)
        print(f"Wrote {len(records):,} records to {args.out}", file=note)
    if args.plot:
        plot_tornado(result, sc, args.plot)
        print(f"Saved the plot to {args.plot}", file=note)
    return 0
