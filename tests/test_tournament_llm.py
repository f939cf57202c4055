"""A two-model tournament through litellm's real HTTP path against the loopback stub server."""

from __future__ import annotations

import asyncio
from collections import Counter

from sqlalchemy import String, cast, func, select

from runs.orchestrator import run
from runs.plan import Plan, plan_game
from runs.schema import Game, LLMCall, Player
from runs.store import open_engine
from tests.tournament_helpers import assert_complete

FAST = {"timeout": 2.0, "retry_backoff_s": 0.01, "retry_backoff_max_s": 0.05}


def test_two_model_tournament_crosses_conditions_and_logs_calls(stub, fake_key, tmp_path):
    players = [
        {"model": f"openai/stub-{x}", "api_base": stub.api_base, "concurrency": 2, "options": FAST}
        for x in "ab"
    ]
    config = Plan(
        name="llm",
        players=players,
        game={"roster": {"werewolf": 1, "seer": 1, "doctor": 1, "villager": 2}},
        games=8,
        conditions={
            "prompt_conditions": ["neutral", "deception_instructed"],
            "framings": ["observed", "unobserved"],
        },
        concurrency=4,
    )
    db = str(tmp_path / "lab.db")
    summary = asyncio.run(run(config, db))
    assert summary.finished == 8 and summary.calls > 0
    engine = open_engine(db)
    games = assert_complete(engine, "llm", 8, 5)
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                Game.slot, Player.model, Player.role, Player.prompt_condition, Player.framing
            ).join(Player, Player.game_id == Game.id)
        ).all()
        calls = conn.scalar(select(func.count()).select_from(LLMCall))
        messages = cast(LLMCall.messages, String)
        keys = conn.scalar(select(func.count()).where(messages.contains(fake_key)))
    assert calls == summary.calls and keys == 0
    # Each game's players got its condition cell; every model played every role once per cell.
    per_cell: dict[tuple, Counter] = {}
    for slot, model, role, condition, framing in rows:
        plan = plan_game(config, slot)
        assert (condition, framing) == (plan.prompt_condition, plan.framing)
        per_cell.setdefault((condition, framing), Counter())[(model, role)] += 1
    assert len(per_cell) == 4
    for counts in per_cell.values():
        assert counts["openai/stub-a", "werewolf"] == counts["openai/stub-b", "werewolf"] == 1
        assert counts["openai/stub-a", "villager"] == counts["openai/stub-b", "villager"] == 2
    assert len(games) == 8
