"""Structured output on every OpenAI-compatible server: negotiation, grammar-safe schemas.

JSON schema first, json_object only when the server rejects it (as llama-cpp-python's server
does, with a 500), prompt mode last; beliefs that cannot leave [0, 1] under a grammar; string
caps with a max_tokens that lets the JSON close; re-asks that name the real parse error.
"""

from __future__ import annotations

import asyncio
import importlib.util
import itertools
import json

import pytest
from stub_server import FAST, observations

from agents.llm import LLMAgent
from agents.prompting import (
    BELIEF_STEPS,
    AnswerError,
    _answer_model,
    answer_model,
    answer_token_bound,
    extract_json,
    json_schema,
    parse_answer,
    pydantic_schema,
)
from agents.providers import resolve
from agents.session import LLMSession
from agents.transport import response_format


def vote():
    """A vote observation (target and beliefs asked)."""
    return next(o for o in observations() if o.kind == "vote")


def speak():
    """A speech observation."""
    return next(o for o in observations() if o.kind == "speak")


def agent(stub, session=None, **options):
    """An LLM player on the stub with fast retries."""
    opts = {"api_base": stub.api_base, **FAST, **options}
    return LLMAgent("openai/stub", seed=0, session=session, **opts)


def test_server_rejecting_json_schema_gets_json_object(stub, fake_key):
    stub.config.reject_formats = {"json_schema"}
    session = LLMSession(4)
    first = asyncio.run(agent(stub, session).act(vote()))
    assert not first.fallback
    assert [c.mode for c in first.calls] == ["json_schema", "json_object"]
    assert "rejected: now json_object" in first.calls[0].error
    second = asyncio.run(agent(stub, session).act(vote()))  # the session remembers the mode
    assert [c.mode for c in second.calls] == ["json_object"]
    assert session.modes == {"openai/stub": "json_object"}
    sent = stub.bodies[-1]["response_format"]
    assert sent["type"] == "json_object" and sent["schema"]["properties"]["target"]["enum"]


def test_server_rejecting_both_gets_prompt_mode(stub, fake_key):
    stub.config.reject_formats = {"json_schema", "json_object"}
    a = agent(stub)
    turn = asyncio.run(a.act(vote()))
    assert not turn.fallback and [c.mode for c in turn.calls][-1] == "prompt"
    assert "response_format" not in stub.bodies[-1]
    assert a.session.modes == {"openai/stub": "prompt"}


def test_explicit_mode_is_not_negotiated(stub, fake_key):
    stub.config.reject_formats = {"json_schema"}
    a = agent(stub, structured="json_schema", max_reprompts=0)
    turn = asyncio.run(a.act(vote()))
    assert turn.fallback and len(turn.calls) == 1  # a refusal of what the user asked: an error
    assert a.session.modes == {"openai/stub": "json_schema"}


def test_modes_by_provider():
    assert resolve("openai/x", {"api_base": "http://h:1/v1"}).modes == (
        "json_schema",
        "json_object",
        "prompt",
    )
    assert resolve("gpt-4o-mini").modes == ("json_schema", "prompt")  # litellm: schema-capable
    assert resolve("openai/x", {"api_base": "http://h:1/v1", "structured": "prompt"}).modes == (
        "prompt",
    )


def test_llama_cpp_server_gets_one_request_at_a_time(stub, fake_key):
    """llama-cpp-python answers GET /models with owned_by "me": one request in flight."""
    stub.config.owned_by = "me"
    stub.config.latency_s = 0.05
    in_flight = peak = 0
    original = stub.chat

    async def counting(request):
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        try:
            return await original(request)
        finally:
            in_flight -= 1

    stub.chat = counting  # type: ignore[method-assign]
    stub.stop()
    stub.start()
    obs = vote()

    async def many(**options) -> None:
        session = LLMSession(8)
        agents = [agent(stub, session, concurrency=8, **options) for _ in range(6)]
        await asyncio.gather(*(a.act(obs) for a in agents))

    asyncio.run(many())
    assert peak == 1
    peak = 0
    asyncio.run(many(model_concurrency=3))  # told otherwise: the user wins
    assert peak == 3


# ----- schemas a grammar can enforce ------------------------------------------------------------

CAPS = (None, {}, {"speech": 300}, {"speech": 400, "reasoning": 200, "target": 9, "other": 5})


def turn_shapes():
    """Every answer-model shape: each field on or off, one or several names, and real turns."""
    from games.werewolf import Roster, WerewolfConfig

    names = (), ("player_1",), ("player_0", "player_2", "none"), ("Ann", 'B"o', "Çé 中")
    flags = itertools.product((False, True), repeat=3)
    for (speech, bid, reasoning), choices, others in itertools.product(flags, names, names):
        yield choices, others, speech, bid, reasoning
    eight = WerewolfConfig(roster=Roster.for_players(8), discussion_rounds=2)
    for obs in [*observations(), *observations(seed=5, config=eight)]:
        for bid, reasoning in itertools.product((False, True), repeat=2):
            yield answer_model(obs, bid, reasoning).shape


def test_hand_written_answer_schema_equals_pydantics_for_every_turn_shape():
    """`json_schema` writes turn answers' schemas by hand; pydantic's must stay the same."""
    seen = 0
    for shape in set(turn_shapes()):
        model = _answer_model(*shape)
        for caps in CAPS:
            mine, reference = json_schema(model, caps), pydantic_schema(model, caps)
            assert json.dumps(mine, sort_keys=True) == json.dumps(reference, sort_keys=True)
            assert list(mine["properties"]) == list(reference["properties"])  # grammar order
            seen += 1
    assert seen > 400


def test_beliefs_are_an_enum_of_probabilities():
    schema = json_schema(answer_model(vote(), ask_bid=False))
    for belief in schema["properties"]["beliefs"]["properties"].values():
        assert belief["enum"] == list(BELIEF_STEPS)
        assert "minimum" not in belief and "maximum" not in belief  # grammars ignore ranges
    assert min(BELIEF_STEPS) == 0 and max(BELIEF_STEPS) == 1
    assert 0.2 in BELIEF_STEPS and 0.8 in BELIEF_STEPS


def test_out_of_range_belief_is_reasked_with_the_real_error():
    obs = vote()
    model = answer_model(obs, ask_bid=False)
    target = obs.names[obs.legal_targets[0]]
    others = [obs.names[s] for s in obs.living() if s != obs.seat]
    beliefs = dict.fromkeys(others, 0.3)
    ok = parse_answer(
        json.dumps({"reasoning": "r", "target": target, "beliefs": beliefs}), model, obs
    )
    assert ok.target == target
    percent = {**beliefs, others[0]: 34}  # percent: read as 0.34
    answer = parse_answer(
        json.dumps({"reasoning": "r", "target": target, "beliefs": percent}), model, obs
    )
    assert getattr(answer.beliefs, others[0]) == 0.34
    with pytest.raises(AnswerError, match=f"beliefs.{others[0]}: Input should be less than"):
        parse_answer(
            json.dumps(
                {"reasoning": "r", "target": target, "beliefs": {**beliefs, others[0]: 534}}
            ),
            model,
            obs,
        )


def test_caps_only_for_grammar_servers_and_max_tokens_sized_to_them(stub, fake_key):
    model = answer_model(speak(), ask_bid=False)
    strict = json_schema(model)
    assert "maxLength" not in json.dumps(strict)
    capped = json_schema(model, {"speech": 300, "reasoning": 200})
    assert capped["properties"]["speech"]["maxLength"] == 300
    assert capped["properties"]["speech"]["minLength"] == 1  # an empty speech cannot decode
    bound = answer_token_bound(capped)
    assert 300 + 200 < bound < 1000
    a = agent(stub, max_tokens=64, max_chars={"speech": 300, "reasoning": 200})
    asyncio.run(a.act(speak()))
    body = stub.bodies[-1]
    sent = body["response_format"]["json_schema"]
    assert sent["strict"] is False and sent["schema"]["properties"]["speech"]["maxLength"] == 300
    assert body["max_tokens"] >= bound  # the longest allowed answer fits: the JSON closes
    # A hosted provider gets a strict schema without length keywords (strict mode rejects them).
    hosted = response_format("json_schema", model, resolve("gpt-4o-mini"), a.options)
    assert hosted["json_schema"]["strict"] is True and "maxLength" not in json.dumps(hosted)


@pytest.mark.skipif(importlib.util.find_spec("llama_cpp") is None, reason="needs [local]")
def test_llama_cpp_turns_every_answer_schema_into_a_grammar():
    """The schemas local models get parse as llama.cpp grammars (caps included)."""
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    for obs in observations()[:12]:
        for bid in (False, True):
            schema = json_schema(answer_model(obs, bid), {"speech": 400, "reasoning": 400})
            grammar = json_schema_to_gbnf(json.dumps(schema))
            assert "root ::=" in grammar
            # Beliefs can only be written as one of the listed probabilities.
            if "beliefs" in schema["properties"]:
                assert '"0.35"' in grammar and '"34"' not in grammar


# ----- re-asks name the real parse error ---------------------------------------------------------


def test_parse_errors_say_what_is_wrong():
    fields = ("speech", "beliefs")
    # A raw newline inside a string is read (json.loads(strict=False)).
    assert extract_json('{"speech": "one\ntwo", "beliefs": {}}', fields)["speech"] == "one\ntwo"
    # An answer cut before its JSON closed is not blamed on a missing field of an inner object.
    with pytest.raises(AnswerError, match=r"not valid JSON: Unterminated string.*line 1"):
        extract_json('{"speech": "I think', fields)
    with pytest.raises(AnswerError, match="not valid JSON"):
        extract_json('{"speech": "cut" "beliefs": {"player_1": 0.5}}', fields)
    with pytest.raises(AnswerError, match="no JSON object"):
        extract_json("I vote for player_2", fields)
