"""The runner and the orchestration loop: legality, seating after the deal, Ctrl-C, notebooks."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from agents.base import Turn
from games.core.observation import Observation
from games.werewolf import WerewolfConfig
from runs.orchestrator import run, run_sync
from runs.plan import Plan
from runs.runner import play_game

ROOT = Path(__file__).resolve().parents[1]


class Stubborn:
    """A player that always asks for an illegal target and an impossible bid."""

    kind = "test:stubborn"
    model = None
    prompt_condition = "scripted"
    framing = "none"

    async def act(self, observation: Observation) -> Turn:
        return Turn.model_construct(
            speech="I choose nobody you can name.",
            target=99,
            bid=9,
            beliefs={},
            reasoning=None,
            stated_claims=[],
            fallback=False,
            calls=[],
        )


def test_illegal_choices_become_logged_legal_fallbacks_and_the_game_ends():
    config = WerewolfConfig(turn_taking="bidding", discussion_rounds=1)
    result = asyncio.run(
        play_game(config, 3, lambda roles: [Stubborn() for _ in roles], keep_events=True)
    )
    assert result.winner in ("village", "werewolves", "draw")
    # Every decision with a target or a bid was illegal and fell back; day speeches and last
    # words take neither, so their stray target is ignored, not a fallback.
    speeches = sum(e.kind in ("speech", "last_words") for e in result.events)
    assert speeches > 0 and result.n_fallbacks == result.n_turns - speeches


def test_agents_are_built_from_the_roles_the_env_dealt():
    seen: list[tuple[str, ...]] = []

    def seat(roles):
        seen.append(tuple(roles))
        from agents.registry import make_agent
        from vocab import team_of

        return [make_agent("scripted", s, team_of(r)) for s, r in enumerate(roles)]

    result = asyncio.run(play_game(WerewolfConfig(), 8, seat, keep_events=True))
    dealt = tuple(e.payload["role"] for e in result.events if e.kind == "role_assignment")
    assert seen == [dealt]


PLAN = Plan(name="nb", players=["honest", "deceptive", "random"], games=6, seed=2)


def test_await_run_inside_a_running_loop_like_jupyter(tmp_path):
    db = str(tmp_path / "nb.db")

    async def notebook_cell() -> int:
        summary = await run(PLAN, db)  # what a Jupyter cell does: its loop is running
        return summary.finished

    assert asyncio.run(notebook_cell()) == 6


def test_run_sync_works_with_and_without_a_running_loop(tmp_path):
    assert run_sync(PLAN, str(tmp_path / "a.db")).exit_code == 0

    async def inside_a_loop() -> int:
        return run_sync(PLAN, str(tmp_path / "b.db")).finished  # uses a thread

    assert asyncio.run(inside_a_loop()) == 6


def _statuses(db: str) -> Counter:
    try:
        with sqlite3.connect(db) as conn:
            rows = conn.execute("SELECT status, COUNT(*) FROM game GROUP BY status")
            return Counter(dict(rows))
    except sqlite3.OperationalError:  # tables not created yet
        return Counter()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupt_gives_games_back_prints_the_summary_and_exits_130(tmp_path, sig):
    db = str(tmp_path / "int.db")
    cmd = [sys.executable, "-m", "app.cli", "run", "--games", "400", "--db", db]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not (os.path.exists(db) and _statuses(db)["finished"] >= 20):
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "games finished" in out and "interrupted" in err
    assert "never awaited" not in err and "Traceback" not in err
    statuses = _statuses(db)
    assert statuses["running"] == 0 and statuses["failed"] == 0  # the game in flight went back
    assert 20 <= statuses["finished"] < 400
    with sqlite3.connect(db) as conn:  # an interruption does not use up an attempt
        assert conn.execute("SELECT MAX(attempts) FROM game").fetchone() == (1,)
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert _statuses(db) == Counter({"finished": 400})
