"""Union State: a turn-based bargaining game and simulator."""

import os

# The AI's belief arithmetic multiplies small matrices (tens of rows): OpenBLAS's thread pool
# costs more than it saves there, and batch workers would each start one per core. Measured on
# roadmap-2021, greedy vs greedy on a busy 2-core machine: 1.2 -> 3.4 games/s. Set before numpy
# is first imported; a value the user set is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
