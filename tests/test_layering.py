import subprocess
import sys


def test_importing_the_engine_loads_no_pygame_matplotlib_rich_or_dask():
    code = ("import sys, game.engine, game.scenario, game.session, game.saves\n"
            "bad = [m for m in ('pygame', 'pygame_gui', 'matplotlib', 'rich', 'dask') if m in sys.modules]\n"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
