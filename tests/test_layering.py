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
