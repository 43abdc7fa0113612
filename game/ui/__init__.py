"""The pygame-ce + pygame_gui interface.

Pure helpers (``settings``, ``storage``, ``explain``, ``match``) import no pygame, so the headless
path and the tests can use them; everything that draws lives in ``app``, ``screens`` and friends.
"""

import os as _os

# pygame prints a greeting on import; the game's own window is greeting enough.
_os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
