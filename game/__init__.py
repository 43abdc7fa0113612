"""Union State: a turn-based bargaining game and simulator."""

__version__ = "0.1.0"
