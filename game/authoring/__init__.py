"""Tools for scenario authors: starter files, the JSON Schema, the format reference, lint (checks
plus balance statistics from simulated games), source checking, hot reload and a developer console.

Nothing here is imported by the engine or the game itself; the interface uses ``watch`` and
``console`` in `union-state play --watch`.
"""
