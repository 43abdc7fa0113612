import subprocess
import sys


def test_importing_the_engine_loads_no_pygame_matplotlib_rich_or_dask():
    code = ("import sys, game.engine, game.scenario, game.session, game.saves\n"
            "bad = [m for m in ('pygame', 'pygame_gui', 'matplotlib', 'rich', 'dask') if m in sys.modules]\n"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_simulator_the_ai_and_the_learning_interface_never_load_the_user_interface():
    code = ("import sys, game.sim, game.ai, game.sim.backtest, game.sim.sensitivity, game.sim.commands\n"
            "import importlib.util\n"
            "if importlib.util.find_spec('pettingzoo'):\n"
            "    import game.env, game.env.aec\n"
            "bad = [m for m in sys.modules if m == 'game.ui' or m.startswith(('game.ui.', 'pygame'))]\n"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_no_module_of_the_simulator_or_the_ai_imports_the_user_interface_even_inside_a_function():
    """Imports hidden in functions do not show when a package is imported: read every module."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "game"
    offenders = []
    for package in ("sim", "ai"):
        for path in sorted((root / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
                if any(n == "game.ui" or n.startswith(("game.ui.", "pygame")) for n in names):
                    offenders.append(f"{path.relative_to(root.parent)}:{node.lineno}")
    assert offenders == []


def test_playing_a_batch_and_choosing_moves_never_loads_the_user_interface():
    code = ("import sys, pkgutil, importlib, game.sim, game.ai\n"
            "for pkg in (game.sim, game.ai):\n"
            "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
            "        importlib.import_module(m.name)\n"
            "from game.scenario import load_scenario\n"
            "from game.sim.runner import play_game\n"
            "sc = load_scenario('tests/scenarios/harbour.toml')\n"
            "play_game(sc, ('greedy', 'random'), 1)\n"
            "bad = [m for m in sys.modules if m == 'game.ui' or m.startswith(('game.ui.', 'pygame'))]\n"
            "print(','.join(bad))")
    root = __import__("pathlib").Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert out.stdout.strip() == ""


def _imports(path):
    """(line, module name) of every import in ``path``, including those inside functions."""
    import ast

    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out += [(node.lineno, node.module)] + [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return out


def test_the_interface_never_imports_the_command_module():
    """The data folder and crash reports live in game.paths, so the interface needs nothing of game.cli."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "game"
    offenders = [f"{path.relative_to(root.parent)}:{line}" for path in sorted((root / "ui").rglob("*.py"))
                 for line, name in _imports(path) if name == "game.cli" or name.startswith("game.cli.")]
    assert offenders == []


def test_screens_reach_each_other_only_through_the_registry():
    """No module under game/ui imports a screen module to move to it (not even inside a function):
    screens ask for Push/Replace/Pop by key, and game.ui.nav builds them. A screen's own package
    (game/ui/screens/game/) may import its parts."""
    from pathlib import Path

    from game.ui.nav import SCREENS

    root = Path(__file__).resolve().parents[1] / "game"
    screen_modules = {target.partition(":")[0] for target in SCREENS.values()}
    offenders = []
    for path in sorted((root / "ui").rglob("*.py")):
        if path == root / "ui" / "nav.py":
            continue
        own = ".".join(path.relative_to(root.parent).with_suffix("").parts)
        for line, name in _imports(path):
            for mod in screen_modules:
                inside = own == mod or own.startswith(mod + ".")
                if (name == mod or name.startswith(mod + ".")) and not inside:
                    offenders.append(f"{path.relative_to(root.parent)}:{line} imports {name}")
    assert offenders == []
