"""The LLM judge extractor, offline through litellm's mock_response: parsing, logging, cache."""

from __future__ import annotations

import asyncio
import json

import pytest
from sqlalchemy import func, select

from analysis.claim_table import claim_table
from analysis.claims import Utterance
from analysis.judge import JudgeAnswer, JudgeError, LLMJudge, parse_answer
from analysis.pipeline import label_claims
from analysis.rules import RuleExtractor
from analysis.validate import recovery, stated_claims
from runs import schema
from runs.batch import run_games
from runs.store import open_engine

NAMES = tuple(f"player_{i}" for i in range(7))


def oracle(u: Utterance) -> str:
    """A mock model that answers what the rule extractor reads (names, 'me' for the speaker)."""
    claims = RuleExtractor().extract_one(u)
    return json.dumps(
        {
            "claims": [
                {
                    "type": c.type,
                    "subject": "me" if c.subject == u.speaker else u.names[c.subject],
                    "value": c.value,
                    "hedged": c.hedged,
                }
                for c in claims
            ]
        }
    )


def _judge_calls(engine) -> list[tuple]:
    c = schema.LLMCall.__table__.c
    with engine.connect() as conn:
        return conn.execute(
            select(c.purpose, c.model, c.parsed_ok, c.seat, c.game_id).where(c.purpose == "judge")
        ).all()


def test_judge_parses_maps_names_and_logs(tmp_path):
    engine = open_engine(str(tmp_path / "j.db"))
    answer = {
        "claims": [
            {"type": "role_claim", "subject": "me", "value": "seer", "hedged": False},
            {"type": "accusation", "subject": "player_2", "value": "werewolf", "hedged": True},
            {"type": "defence", "subject": "Bob", "value": "not a werewolf", "hedged": False},
        ]
    }
    judge = LLMJudge("gpt-4o-mini", engine, mock_response=json.dumps(answer), log_game_ids=False)
    u = Utterance("I'm the seer; player_2 looks shady and Bob is fine.", 1, NAMES)
    [claims] = judge.extract([u])
    assert [(c.type, c.subject, c.value, c.hedged) for c in claims] == [
        ("role_claim", 1, "seer", False),
        ("accusation", 2, "werewolf", True),
        ("defence", None, "not a werewolf", False),  # unknown name: subject unresolved
    ]
    calls = _judge_calls(engine)
    assert calls == [("judge", "gpt-4o-mini", True, 1, None)]


def test_judge_cache_makes_reruns_free(tmp_path):
    engine = open_engine(str(tmp_path / "j.db"))
    u = Utterance("I am the seer.", 3, NAMES)
    first = LLMJudge("openai/mock", engine, mock_response=oracle, log_game_ids=False)
    assert first.extract([u, u]) == [[c] for c in first.extract([u])[0]] * 2
    assert first.sent == 1  # the duplicate was asked once
    # A new judge (new process) on the same database: the stored answer is reused, even
    # though this mock would now answer differently.
    second = LLMJudge("openai/mock", engine, mock_response='{"claims": []}', log_game_ids=False)
    assert second.extract([u]) == first.extract([u])
    assert second.sent == 0
    assert len(_judge_calls(engine)) == 1


def test_unusable_answer_is_logged_not_cached(tmp_path):
    engine = open_engine(str(tmp_path / "j.db"))
    u = Utterance("I am the seer.", 3, NAMES)
    judge = LLMJudge(
        "m", engine, mock_response="Sorry, I can't help with that.", log_game_ids=False
    )
    # Never read as "no claims": the failure is raised, after every attempt was logged.
    with pytest.raises(JudgeError):
        judge.extract([u])
    retry = LLMJudge("openai/mock", engine, mock_response=oracle, log_game_ids=False)
    assert retry.extract([u])[0][0].value == "seer" and retry.sent == 1
    # The answer was re-asked twice before giving up; none of it was cached.
    assert [c[2] for c in _judge_calls(engine)] == [False, False, False, True]


def test_parse_answer_tolerates_fences():
    claim = '{"type": "vote_claim", "subject": "player_1", "value": "yesterday"}'
    text = f'```json\n{{"claims": [{claim}]}}\n```'
    answer = parse_answer(text)
    assert isinstance(answer, JudgeAnswer) and answer.claims[0].value == "yesterday"
    assert parse_answer('{"claims": [{"type": "gossip"}]}') is None


@pytest.mark.parametrize("seed", [3])
def test_judge_pipeline_recovers_scripted_lies_and_coexists_with_rules(tmp_path, seed):
    db = str(tmp_path / "lab.db")
    asyncio.run(run_games(db, 6, seed=seed))
    engine = open_engine(db)
    judge = LLMJudge("openai/oracle", engine, mock_response=oracle)
    labelled = label_claims(engine, judge)
    assert recovery(labelled, stated_claims(db)).exact
    assert set(labelled["extractor"].astype(str)) == {"judge:openai/oracle"}
    calls = _judge_calls(engine)
    assert calls and all(game_id is not None for *_, game_id in calls)
    rules = label_claims(engine)
    again = LLMJudge("openai/oracle", engine, mock_response=oracle)
    label_claims(engine, again)
    assert again.sent == 0 and len(_judge_calls(engine)) == len(calls)
    with engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(claim_table)).scalar_one()
    assert n == len(rules) + len(labelled)  # one set of rows per extractor, none duplicated
