"""A computer player in its own process, for a slow (searching) policy: JSON lines on stdin/stdout.

Started by ``opponent.Thinker`` as ``python -m game.ui.aiworker PATH SEED POLICY``. Each request
is ``{"id": n, "moves": [...], "actor": "minsk", "rng": "seed string"}``; the worker replays the
moves on its own copy of the game (it keeps the last position, so usually only the newest moves
are applied), asks the policy and answers ``{"id": n, "move": {...}}`` or ``{"id": n, "error": "..."}``.
Imports no pygame.
"""

from __future__ import annotations

import json
import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    path, seed, name = argv[0], int(argv[1]), argv[2]
    from game.engine import Move, apply, new_game
    from game.scenario import load_scenario
    from game.ai.policy import tell
    from game.ui.opponent import _decide, make_policy

    sc = load_scenario(path)
    policies: dict = {}
    have: list = []
    seen: list = []  # (position, move) so far: a policy made later learns the whole history
    state = new_game(sc, seed)
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        try:
            moves = req["moves"]
            if moves[:len(have)] != have:  # another history: start again, beliefs too
                state = new_game(sc, seed)
                have = []
                seen = []
                policies = {}
            for m in moves[len(have):]:
                mv = Move.from_json(m)
                tell(policies.values(), state, mv)
                seen.append((state, mv))
                state = apply(state, mv).state
            have = list(moves)
            actor = req["actor"]
            pol = policies.get(actor)
            if pol is None:
                pol = policies[actor] = make_policy(name, sc, actor, seed=seed)
                for before, mv in seen:
                    tell((pol,), before, mv)
            move = _decide(pol, state, actor, req["rng"])
            reply = {"id": req["id"], "move": move.to_json()}
        except Exception as exc:  # noqa: BLE001 - reported to the interface, which shows its error screen
            reply = {"id": req.get("id"), "error": f"{type(exc).__name__}: {exc}"}
        out.write(json.dumps(reply) + "\n")
        out.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
