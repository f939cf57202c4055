"""The LLM judge shares the players' transport: retries, re-asks, breaker, logged failures.

Through litellm's real HTTP path against the loopback stub (canned judge answers).
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from agents.providers import ProviderError
from analysis.claims import Utterance
from analysis.judge import SYSTEM, JudgeError, LLMJudge, cache_key, messages_for
from runs import schema
from runs.store import open_engine

NAMES = tuple(f"player_{i}" for i in range(7))
FAST = {"timeout": 5.0, "retry_backoff_s": 0.01, "retry_backoff_max_s": 0.05}
SEER = json.dumps({"claims": [{"type": "role_claim", "subject": "me", "value": "seer"}]})


def judge(stub, engine, **options):
    """A judge on the stub, logging into `engine`."""
    opts = {"api_base": stub.api_base, **FAST, **options}
    return LLMJudge("openai/judge", engine, log_game_ids=False, **opts)


def logged(engine) -> list[tuple]:
    """(parsed_ok, error, attempt) of the judge's LLMCall rows."""
    c = schema.LLMCall.__table__.c
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                select(c.parsed_ok, c.error, c.attempt).where(c.purpose == "judge").order_by(c.id)
            )
        ]


def test_judge_retries_transient_errors_like_the_players(stub, fake_key, tmp_path):
    engine = open_engine(str(tmp_path / "j.db"))
    stub.plan = ["500", "429"]
    stub.replies = [SEER]
    [claims] = judge(stub, engine).extract([Utterance("I am the seer.", 2, NAMES)])
    assert [(c.type, c.subject, c.value) for c in claims] == [("role_claim", 2, "seer")]
    rows = logged(engine)
    assert [ok for ok, _, _ in rows] == [False, False, True] and rows[0][1] and rows[1][1]


def test_failed_call_is_a_logged_error_never_zero_claims(stub, fake_key, tmp_path):
    engine = open_engine(str(tmp_path / "j.db"))
    stub.plan = ["500"] * 3
    u = Utterance("I am the seer.", 2, NAMES)
    first = judge(stub, engine, max_retries=2)
    with pytest.raises(JudgeError, match="1 of 1 utterances got no usable answer"):
        first.extract([u])
    assert [ok for ok, _, _ in logged(engine)] == [False] * 3
    assert all(err for _, err, _ in logged(engine))
    stub.replies = [SEER]  # a rerun sends only what failed, and then reads the claims
    again = judge(stub, engine)
    assert again.extract([u])[0][0].value == "seer" and again.sent == 1


def test_unusable_answer_is_reasked_with_its_error(stub, fake_key, tmp_path):
    engine = open_engine(str(tmp_path / "j.db"))
    bad_plan = {"claims": [{"type": "plan", "subject": "player_3", "value": "werewolf"}]}
    good_plan = {"claims": [{"type": "plan", "subject": "player_3", "value": "intent"}]}
    stub.replies = ["Sorry, no.", json.dumps(bad_plan), json.dumps(good_plan)]
    [claims] = judge(stub, engine).extract([Utterance("I'm voting player_3.", 1, NAMES)])
    assert [(c.type, c.subject, c.value) for c in claims] == [("plan", 3, "intent")]
    rows = logged(engine)
    assert [ok for ok, _, _ in rows] == [False, False, True]
    assert "no JSON object" in rows[0][1] and "plan takes 'intent' or 'prediction'" in rows[1][1]
    repair = stub.bodies[-1]["messages"][-1]["content"]
    assert "plan takes 'intent' or 'prediction'" in repair


def test_judge_cache_survives_a_reask(stub, fake_key, tmp_path):
    engine = open_engine(str(tmp_path / "j.db"))
    u = Utterance("I am the seer.", 2, NAMES)
    stub.replies = ["nope", SEER]
    judge(stub, engine).extract([u])
    again = judge(stub, engine)  # a new process: the answer is read from the rows
    assert again.extract([u])[0][0].value == "seer" and again.sent == 0
    assert cache_key("openai/judge", messages_for(u)) in again.cache


def test_judge_stops_on_errors_retrying_cannot_fix(stub, fake_key, tmp_path):
    engine = open_engine(str(tmp_path / "j.db"))
    stub.plan = ["401"] * 20
    utterances = [Utterance(f"I am the seer, says {i}.", i % 7, NAMES) for i in range(10)]
    with pytest.raises(ProviderError, match=r"^openai/judge: Incorrect API key"):
        judge(stub, engine, breaker_failures=3, concurrency=1).extract(utterances)
    assert stub.requests == 3  # the rest were never sent
    assert len(logged(engine)) == 3


def test_judge_prompt_follows_the_guidelines():
    for phrase in ("plan", "intent", "prediction", "Lists make one claim per player", "null"):
        assert phrase in SYSTEM
