"""Every provider fault is a logged, re-asked invalid answer (never a silent fallback).

Broken reply shapes (null content, empty choices, a choice without a message, wrong types)
and bad answers (cut at max_tokens, a raw newline in a string) through the loopback stub.
"""

from __future__ import annotations

import asyncio

import pytest
from stub_server import FAST, Stub, StubConfig, observations

from agents.llm import LLMAgent

SHAPES = ("null_content", "empty_choices", "no_message", "wrong_types")
# What the re-ask and the logged error say for each broken shape.
SAYS = {
    "null_content": "no content (null)",
    "empty_choices": "no choices",
    "no_message": "could not be read",
    "wrong_types": "could not be read",
}


def speak():
    """A speech observation (speech, target-less, beliefs)."""
    return next(o for o in observations() if o.kind == "speak")


def agent(stub, **options):
    """An LLM player on the stub with fast retries."""
    return LLMAgent("openai/stub", seed=0, api_base=stub.api_base, **{**FAST, **options})


@pytest.mark.parametrize("fault", SHAPES)
def test_broken_reply_is_logged_and_reasked(stub, fake_key, fault):
    stub.plan = [fault]
    turn = asyncio.run(agent(stub).act(speak()))
    assert not turn.fallback and turn.speech
    assert len(turn.calls) == stub.requests == 2
    bad, good = turn.calls
    assert bad.error == f"invalid answer: {bad.error.split(': ', 1)[1]}" and not bad.parsed_ok
    assert SAYS[fault] in bad.error
    assert good.parsed_ok and good.error is None


def test_broken_replies_spend_the_reprompt_budget_then_fall_back(stub, fake_key):
    stub.plan = list(SHAPES)
    turn = asyncio.run(agent(stub, max_reprompts=3).act(speak()))
    assert turn.fallback and len(turn.calls) == 4  # re-asked, not retried as transport errors
    assert all(c.error.startswith("invalid answer: ") for c in turn.calls)


def test_answer_cut_at_max_tokens_is_reasked_naming_the_cut(stub, fake_key):
    stub.plan = ["cut"]
    turn = asyncio.run(agent(stub).act(speak()))
    assert not turn.fallback and len(turn.calls) == 2
    error = turn.calls[0].error
    assert "not valid JSON" in error and "max_tokens" in error
    repair = turn.calls[1].messages[-1]["content"]
    assert "max_tokens" in repair and "Field required" not in repair


def test_raw_newline_inside_a_string_is_read(stub, fake_key):
    stub.plan = ["newline"]
    turn = asyncio.run(agent(stub).act(speak()))
    assert not turn.fallback and len(turn.calls) == 1 and turn.calls[0].parsed_ok
    assert stub.injected["newline"] == 1


def test_every_injected_fault_is_a_logged_error(fake_key):
    """Each re-askable or retryable kind, then a random mix: every fault is an error row."""
    kinds = ("500", "429", "malformed", "illegal", *SHAPES, "cut")
    stub = Stub(StubConfig(seed=3)).start()
    try:
        a = LLMAgent("openai/stub", seed=0, api_base=stub.api_base, max_reprompts=4, **FAST)
        vote = next(o for o in observations() if o.kind == "vote")
        for kind in kinds:
            stub.plan = [kind]
            turn = asyncio.run(a.act(vote))
            assert not turn.fallback and len(turn.calls) == 2, kind
            assert turn.calls[0].error and not turn.calls[0].parsed_ok, kind
        stub.config.faults = {k: 0.3 / len(kinds) for k in kinds}
        calls = []
        for obs in observations()[:30]:
            calls += asyncio.run(a.act(obs)).calls
    finally:
        stub.stop()
    assert sum(stub.injected.values()) > len(kinds)
    mixed = stub.requests - 2 * len(kinds)
    assert len(calls) == mixed
    injected_mixed = sum(stub.injected.values()) - len(kinds)
    assert sum(1 for c in calls if c.error) == injected_mixed
