"""The pygame-ce + pygame_gui interface.

Pure helpers (``settings``, ``storage``, ``explain``, ``match``) import no pygame, so the headless
path and the tests can use them; everything that draws lives in ``app``, ``screens`` and friends.
"""
