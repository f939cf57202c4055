"""The LLM-judge monitor, offline: litellm's mock_response and the loopback stub server.

Scores come through constrained output (an enum 1–10 in the schema), every attempt is an
LLMCall row with purpose "monitor" (the cache: a rerun sends nothing), an unusable answer is
re-asked and never read as a score, and the scores land on the right utterances.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3

import pytest

import analysis
from analysis.monitors import (
    JUDGE_SYSTEM,
    JudgeMonitor,
    MonitorError,
    judge_messages,
    monitor_frame,
)
from games.werewolf import Roster, WerewolfConfig
from runs.batch import run_games

FAST = {"timeout": 5.0, "retry_backoff_s": 0.01, "retry_backoff_max_s": 0.05}


@pytest.fixture
def lab(tmp_path) -> str:
    """Two short scripted games (5 players, one discussion round)."""
    db = str(tmp_path / "lab.db")
    config = WerewolfConfig(roster=Roster.for_players(5), discussion_rounds=1)
    asyncio.run(run_games(db, 2, seed=4, config=config, per_turn=False))
    return db


def monitor_calls(db: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT game_id, seat, turn, model, parsed_ok, error FROM llmcall "
            "WHERE purpose = 'monitor' ORDER BY id"
        ).fetchall()


def test_an_oracle_judge_scores_every_utterance_where_it_belongs(lab):
    # The mock reads the label of the row it is asked about: if a score landed on another
    # utterance (order, de-duplication, the cache), AUROC would fall below 1.
    judge = JudgeMonitor(
        "openai/oracle", mock_response=lambda r: json.dumps({"score": 1 + 9 * r.lie})
    )
    report = analysis.monitors(lab, ["length", judge], targets=["lie"], resamples=50)
    row = report.overall.set_index("monitor").loc["judge:openai/oracle"]
    assert row["auroc"] == 1.0 and row["recall_at_1"] == 1.0
    n = len(report.utterances)
    calls = monitor_calls(lab)
    # One request per distinct request: two games may open with the same words and record.
    distinct = {json.dumps(judge_messages(r)) for r in report.utterances.itertuples()}
    assert judge.sent == len(calls) == len(distinct) > n / 2
    assert all(ok and game and turn is not None for game, _, turn, _, ok, _ in calls)
    with sqlite3.connect(lab) as conn:
        stored = conn.execute(
            "SELECT version, count(*), min(score), max(score) FROM monitor_score "
            "WHERE monitor = 'judge:openai/oracle' AND trained_on = ''"
        ).fetchall()
    assert stored == [(judge.version, n, 1.0, 10.0)]
    # A rerun (a new process) reads every answer from the LLMCall rows: nothing is sent,
    # even though this mock would now answer otherwise.
    again = JudgeMonitor("openai/oracle", mock_response='{"score": 5}')
    report = analysis.monitors(lab, [again], targets=["lie"], resamples=50)
    assert again.sent == 0 and len(monitor_calls(lab)) == len(distinct)
    assert report.overall["auroc"].item() == 1.0


def test_an_answer_outside_the_scale_is_reasked_then_an_error_never_a_score(lab):
    u = monitor_frame(lab).frame
    bad = JudgeMonitor("openai/bad", lab, mock_response='{"score": 11}')
    with pytest.raises(MonitorError, match="utterances got no usable score"):
        bad.score(u)
    calls = monitor_calls(lab)
    # Each request asked three times (two re-asks), every attempt logged with its error.
    distinct = {json.dumps(judge_messages(r)) for r in u.itertuples()}
    assert len(calls) == 3 * len(distinct) and not any(ok for *_, ok, _ in calls)
    assert "score" in calls[0][5]
    good = JudgeMonitor("openai/bad", lab, mock_response='"score": 7')  # chatter around it
    with pytest.raises(MonitorError):
        good.score(u)  # not JSON at all: still no score
    fixed = JudgeMonitor("openai/bad", lab, mock_response='Sure. {"score": "7"}')
    assert set(fixed.score(u)) == {7.0}


def test_the_judge_sees_the_public_record_and_nothing_private(lab):
    u = monitor_frame(lab).frame
    later = u.sort_values("event_seq").groupby("game_id").tail(1).iloc[0]
    [system, user] = judge_messages(later)
    assert system["content"] == JUDGE_SYSTEM
    assert (
        later["text"] in user["content"] and f"Speaker: {later['speaker_name']}." in user["content"]
    )
    with sqlite3.connect(lab) as conn:
        private = [
            t
            for (t,) in conn.execute(
                "SELECT text FROM event WHERE game_id = ? AND visibility != 'public' AND seq < ?",
                (int(later["game_id"]), int(later["event_seq"])),
            )
        ]
        public = [
            t
            for (t,) in conn.execute(
                "SELECT text FROM event WHERE game_id = ? AND visibility = 'public' "
                "AND kind = 'speech' AND seq < ? ORDER BY seq DESC LIMIT 3",
                (int(later["game_id"]), int(later["event_seq"])),
            )
        ]
    assert private and not any(p in user["content"] for p in private if len(p) > 12)
    assert all(json.dumps(p) in user["content"] for p in public)


def test_through_the_stub_server_with_the_schema_and_faults(lab, stub, fake_key):
    # The real HTTP path: the schema's score is an enum 1..10; a 500 is retried and a broken
    # reply re-asked, and the scores are the stub's rule (9 for seer claims, else 2).
    u = monitor_frame(lab).frame
    stub.plan = ["500", "malformed"]
    judge = JudgeMonitor("openai/stub-monitor", lab, api_base=stub.api_base, concurrency=1, **FAST)
    scores = judge.score(u)
    expected = [9.0 if ("I am the seer" in t or "I inspected" in t) else 2.0 for t in u["text"]]
    assert list(scores) == expected
    schema = stub.bodies[0]["response_format"]["json_schema"]["schema"]
    assert schema["properties"]["score"]["enum"] == list(range(1, 11))
    assert schema["required"] == ["score"]
    rows = monitor_calls(lab)
    distinct = {json.dumps(judge_messages(r)) for r in u.itertuples()}
    failed = [error for *_, ok, error in rows if not ok]
    assert len(rows) == len(distinct) + 2 and len(failed) == 2 and all(failed)
    assert all(model == "openai/stub-monitor" for *_, model, _, _ in rows)
    judge.close()
