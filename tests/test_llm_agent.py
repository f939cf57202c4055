"""LLM players end to end through litellm's real HTTP path against the loopback stub server.

Small games (5 players, 1 discussion round) and short latencies keep this file fast.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3

import pytest
from stub_server import FAKE_KEY, Stub, StubConfig

from agents.llm import LLMAgent, LLMOptions, redact
from agents.prompting import (
    DECEPTION_WORDS,
    SPEECH_MARK,
    HistoryCap,
    answer_model,
    extract_json,
    json_schema,
    parse_answer,
    prompt_hash,
    render_messages,
)
from agents.registry import make_agent
from agents.scripted import ScriptedAgent
from agents.session import LLMSession
from games.werewolf import Roster, WerewolfConfig, raw_env
from runs.batch import run_games
from runs.runner import play_game
from vocab import CONDITIONS, FRAMINGS

SMALL = WerewolfConfig(roster=Roster.for_players(5), discussion_rounds=1)
# Generous timeouts (a loaded CI box must not time out healthy requests), tiny backoffs.
FAST = {"timeout": 5.0, "retry_backoff_s": 0.01, "retry_backoff_max_s": 0.05}


def observations(seed: int = 3, config: WerewolfConfig = SMALL) -> list:
    """Every observation of one scripted game, for prompt tests."""
    env = raw_env(config)
    env.reset(seed=seed)
    agents = [ScriptedAgent(seed + s) for s in range(config.n_players)]
    out = []
    while not env.game.over:
        for a in env.pending_agents():
            obs = env.observation_for(a)
            out.append(obs)
            turn = agents[obs.seat].decide(obs)
            target = turn.target if turn.target is not None else config.n_players
            env.step({"speech": turn.speech, "target": target, "bid": turn.bid or 0})
    return out


def rows(db: str, sql: str) -> list[tuple]:
    """Plain SQL over the store."""
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


# ----- prompts --------------------------------------------------------------------------------


def test_neutral_prompt_has_no_deception_words():
    obs_list = observations(seed=5, config=WerewolfConfig(roster=Roster.for_players(7)))
    kinds = set()
    for obs in obs_list:
        for framing in FRAMINGS:
            for m in render_messages(obs, "neutral", framing, HistoryCap(), obs.wants_bid):
                hit = DECEPTION_WORDS.search(m["content"])
                assert hit is None, f"{hit.group(0)!r} in a neutral prompt ({obs.kind})"
        kinds.add(obs.kind)
    assert {"speak", "vote", "kill", "inspect", "protect"} <= kinds
    # The word list does catch the other conditions' wording.
    obs = obs_list[0]
    for condition in ("deception_permitted", "deception_instructed"):
        system = render_messages(obs, condition, "observed", HistoryCap(), False)[0]["content"]
        assert DECEPTION_WORDS.search(system)


def test_prompt_hash_differs_by_condition_and_framing():
    hashes = {prompt_hash(c, f) for c in CONDITIONS for f in FRAMINGS}
    assert len(hashes) == len(CONDITIONS) * len(FRAMINGS)
    agent = LLMAgent("openai/stub", prompt_condition="deception_permitted", framing="unobserved")
    assert agent.prompt_hash == prompt_hash("deception_permitted", "unobserved")


def test_prompt_shows_only_what_the_player_may_see():
    for obs in observations(seed=11):
        text = "\n".join(
            m["content"] for m in render_messages(obs, "neutral", "observed", HistoryCap(), False)
        )
        assert all(e.visibility != "hidden" for e in obs.events)
        # A villager never reads another seat's hidden role unless it was revealed to it: no
        # line but a player's quoted words (a "» " line) says so.
        not_speech = [ln for ln in text.splitlines() if not ln.startswith(SPEECH_MARK + " ")]
        if obs.team == "village":
            for s, name in enumerate(obs.names):
                if s != obs.seat and s not in obs.known_roles:
                    assert all(f"{name} is a werewolf" not in ln for ln in not_speech)


def test_history_is_capped():
    config = WerewolfConfig(roster=Roster.for_players(9), discussion_rounds=3, max_days=6)
    obs_list = [o for o in observations(seed=2, config=config) if o.kind == "vote"]
    cap = HistoryCap(full_days=0, max_recent=10, summary_speech_chars=0)
    sizes = [
        len(render_messages(o, "neutral", "observed", cap, False)[1]["content"]) for o in obs_list
    ]
    full = [
        len(
            render_messages(
                o, "neutral", "observed", HistoryCap(full_days=99, max_recent=10**6), False
            )[1]["content"]
        )
        for o in obs_list
    ]
    assert max(sizes) < 4000
    assert full[-1] > sizes[-1]


def test_answer_schema_is_a_closed_enum_of_legal_names():
    obs = next(o for o in observations() if o.kind == "vote")
    schema = json_schema(answer_model(obs, ask_bid=False))
    legal = [obs.names[s] for s in obs.legal_targets] + ["none"]
    assert schema["properties"]["target"]["enum"] == legal
    assert schema["additionalProperties"] is False
    others = [obs.names[s] for s in obs.living() if s != obs.seat]
    assert schema["properties"]["beliefs"]["required"] == others
    assert "$defs" not in json.dumps(schema)


def test_parse_answer_is_lenient_about_form_strict_about_content():
    obs = next(o for o in observations() if o.kind == "vote")
    model = answer_model(obs, ask_bid=False)
    legal = obs.names[obs.legal_targets[0]]
    beliefs = {obs.names[s]: 0.5 for s in obs.living() if s != obs.seat}
    body = json.dumps({"reasoning": "r", "target": legal.upper(), "beliefs": beliefs})
    answer = parse_answer(f"Here you go:\n```json\n{body}\n```", model, obs)
    assert answer.target == legal
    with pytest.raises(ValueError, match="target"):
        parse_answer(
            json.dumps({"reasoning": "r", "target": "player_99", "beliefs": beliefs}), model, obs
        )
    with pytest.raises(ValueError, match="no JSON"):
        parse_answer("I vote for nobody", model, obs)
    assert extract_json('noise {"a": {"b": 1}} tail') == {"a": {"b": 1}}
    with pytest.raises(ValueError, match="nested"):
        extract_json('{"a": ' + "[" * 5000 + "]" * 5000 + "}")


def test_options_reject_unknown_keys():
    with pytest.raises(ValueError):
        LLMOptions(concurency=3)


def test_redact_removes_keys(monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "abc-secret-123456")
    text = redact(f"boom {FAKE_KEY} and abc-secret-123456 and Bearer xyz.abc.def123")
    assert FAKE_KEY not in text and "abc-secret" not in text and "xyz.abc" not in text


def test_redact_sees_the_environment_change_between_calls(monkeypatch):
    """Env secrets are cached between calls: a key set, changed or removed later still counts."""
    monkeypatch.setenv("GROQ_API_KEY", "first-secret-1")
    assert redact("first-secret-1 second-secret-2") == "*** second-secret-2"
    monkeypatch.setenv("GROQ_API_KEY", "second-secret-2")  # same variable, new value
    assert redact("first-secret-1 second-secret-2") == "first-secret-1 ***"
    monkeypatch.setenv("MY_TOKEN", "third-secret-3")  # a new variable
    assert redact("second-secret-2 third-secret-3") == "*** ***"
    monkeypatch.delenv("MY_TOKEN")
    assert redact("third-secret-3") == "third-secret-3"


# ----- litellm mock_response: quick, offline, no server -----------------------------------------


def test_mock_response_turn():
    obs = next(o for o in observations() if o.kind == "vote")
    target = obs.names[obs.legal_targets[-1]]
    beliefs = {obs.names[s]: 0.3 for s in obs.living() if s != obs.seat}
    reply = json.dumps({"reasoning": "why", "target": target, "beliefs": beliefs})
    agent = make_agent("gpt-4o-mini", seed=1, mock_response=reply)
    turn = asyncio.run(agent.act(obs))
    assert not turn.fallback and turn.target == obs.legal_targets[-1]
    assert len(turn.calls) == 1 and turn.calls[0].parsed_ok
    assert turn.calls[0].prompt_tokens and turn.calls[0].cost is not None
    assert set(turn.beliefs) == {s for s in obs.living() if s != obs.seat}


def test_mock_response_garbage_falls_back_after_reprompts():
    obs = next(o for o in observations() if o.kind == "kill")
    agent = LLMAgent("gpt-4o-mini", seed=1, mock_response="no idea", max_reprompts=2)
    turn = asyncio.run(agent.act(obs))
    assert turn.fallback and turn.target in obs.legal_targets
    assert [c.attempt for c in turn.calls] == [1, 2, 3]
    assert all(not c.parsed_ok and "invalid answer" in c.error for c in turn.calls)
    assert turn.calls[-1].messages[-1]["content"].startswith("Your answer could not be used")


# ----- the stub server: the real HTTP path -----------------------------------------------------


def test_full_game_against_stub_logs_every_turn(stub, fake_key, db_path):
    options = {"api_base": stub.api_base, **FAST}
    summary = asyncio.run(
        run_games(
            db_path, 2, config=SMALL, players=["openai/stub"], concurrency=2, llm_options=options
        )
    )
    assert summary.games == 2 and summary.failed == 0 and summary.fallbacks == 0
    assert rows(db_path, "SELECT status FROM game") == [("finished",), ("finished",)]
    n_turns = rows(db_path, "SELECT count(*) FROM turn")[0][0]
    n_calls, n_ok = rows(
        db_path, "SELECT count(*), sum(parsed_ok) FROM llmcall WHERE purpose = 'turn'"
    )[0]
    assert n_turns == n_calls == n_ok == summary.calls - 1  # the preflight counts too
    # Every request is a row: the games' and the run's preflight (one per model, no game).
    assert rows(db_path, "SELECT purpose, count(*), count(game_id) FROM llmcall GROUP BY 1") == [
        ("preflight", 1, 0),
        ("turn", n_calls, n_calls),
    ]
    assert n_calls + 1 == stub.requests
    # Every LLMCall row points at its turn and carries the request and the raw answer.
    joined = rows(
        db_path,
        "SELECT count(*) FROM llmcall c JOIN turn t ON t.game_id = c.game_id AND t.turn = c.turn "
        "AND t.seat = c.seat WHERE c.response IS NOT NULL AND c.messages LIKE '%Werewolf%' "
        "AND c.prompt_tokens > 0 AND c.latency_s IS NOT NULL",
    )[0][0]
    assert joined == n_calls
    players = rows(
        db_path, "SELECT DISTINCT model, prompt_condition, framing, prompt_hash FROM player"
    )
    assert players == [("openai/stub", "neutral", "observed", prompt_hash("neutral", "observed"))]
    assert rows(db_path, "SELECT count(*) FROM belief")[0][0] > 0
    speeches = rows(db_path, "SELECT text FROM event WHERE kind = 'speech'")
    assert speeches and all(t for (t,) in speeches)


def test_no_api_key_reaches_the_database(stub, fake_key, db_path):
    stub.config.faults = {"500": 0.1, "malformed": 0.1}
    options = {"api_base": stub.api_base, **FAST}  # the key comes from OPENAI_API_KEY
    asyncio.run(run_games(db_path, 1, config=SMALL, players=["openai/stub"], llm_options=options))
    assert stub.requests > 0
    with open(db_path, "rb") as f:
        raw = f.read()
    for suffix in ("-wal", "-shm"):
        try:
            with open(db_path + suffix, "rb") as f:
                raw += f.read()
        except FileNotFoundError:
            pass
    assert fake_key.encode() not in raw
    assert b"FAKE-KEY" not in raw
    assert b"Authorization" not in raw


def test_each_fault_is_retried_or_reprompted_and_logged(stub, fake_key):
    obs = next(o for o in observations() if o.kind == "vote")
    agent = LLMAgent("openai/stub", seed=0, api_base=stub.api_base, **{**FAST, "timeout": 1.0})
    stub.config.hang_s = 2.5
    stub.plan = ["500", "429", "hang", "malformed", "illegal", None]
    turn = asyncio.run(agent.act(obs))
    assert not turn.fallback and turn.target in (*obs.legal_targets, None)
    errors = [c.error or "" for c in turn.calls]
    assert len(turn.calls) == stub.requests == 6
    assert "InternalServerError" in errors[0]
    assert "RateLimitError" in errors[1]
    assert "Timeout" in errors[2]
    assert "invalid answer" in errors[3] and "invalid answer" in errors[4]
    assert "target" in errors[4]
    assert [c.parsed_ok for c in turn.calls] == [False] * 5 + [True]
    assert [c.attempt for c in turn.calls] == [1, 2, 3, 4, 5, 6]


def test_transport_budget_spent_gives_logged_fallback(stub, fake_key):
    obs = next(o for o in observations() if o.kind == "speak")
    agent = LLMAgent("openai/stub", seed=0, api_base=stub.api_base, max_retries=2, **FAST)
    stub.plan = ["500"] * 3
    turn = asyncio.run(agent.act(obs))
    assert turn.fallback and turn.speech == "" and len(turn.calls) == 3
    assert all("500" in (c.error or "") for c in turn.calls)


def test_twenty_percent_faults_every_game_finishes(fake_key, db_path):
    rate = 0.2 / 5
    stub = Stub(
        StubConfig(
            faults={k: rate for k in ("500", "429", "hang", "malformed", "illegal")},
            hang_s=2.5,
            seed=7,
        )
    ).start()
    stub.plan = [None]  # the run's preflight gets no fault
    try:
        options = {"api_base": stub.api_base, **FAST, "timeout": 1.0}
        summary = asyncio.run(
            run_games(
                db_path,
                4,
                config=SMALL,
                players=["openai/stub"],
                concurrency=4,
                llm_options=options,
            )
        )
    finally:
        stub.stop()
    assert summary.games == 4 and summary.failed == 0
    assert rows(db_path, "SELECT count(*) FROM game WHERE status = 'finished'")[0][0] == 4
    injected = sum(stub.injected.values())
    assert injected >= 3 and len(stub.injected) >= 2  # the exact kinds: see the plan test
    n_calls, n_errors = rows(db_path, "SELECT count(*), count(error) FROM llmcall")[0]
    # Every request the stub saw is a row (the preflight's too); every injected fault is a row
    # with its error. (">=": on a loaded machine a client-side timeout can also hit an
    # unfaulted request.)
    assert n_calls >= stub.requests
    assert n_errors >= injected
    kinds = dict(
        rows(
            db_path,
            "SELECT CASE WHEN error LIKE '%InternalServerError%' THEN '500' "
            "WHEN error LIKE '%RateLimit%' THEN '429' WHEN error LIKE '%Timeout%' THEN 'hang' "
            "WHEN error LIKE '%target%' THEN 'illegal' ELSE 'malformed' END AS k, count(*) "
            "FROM llmcall WHERE error IS NOT NULL GROUP BY k",
        )
    )
    assert all(kinds.get(k, 0) >= n for k, n in stub.injected.items()), (kinds, stub.injected)
    assert sum(kinds.values()) - kinds.get("hang", 0) == injected - stub.injected["hang"]


def test_concurrency_limits_requests_in_flight(fake_key):
    stub = Stub(StubConfig(latency_s=0.05)).start()
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
    try:
        obs = next(o for o in observations() if o.kind == "vote")
        options = {"api_base": stub.api_base, "concurrency": 6, "per_model": {"openai/b": 2}}

        async def many() -> None:
            session = LLMSession(6)  # the run's limits, shared by every agent of the run
            a = [LLMAgent("openai/a", seed=i, session=session, **options) for i in range(10)]
            b = [LLMAgent("openai/b", seed=i, session=session, **options) for i in range(10)]
            await asyncio.gather(*(x.act(obs) for x in a + b))

        asyncio.run(many())
    finally:
        stub.stop()
    assert stub.requests == 20
    assert 2 <= peak <= 6


def test_mixed_table_with_scripted_players(stub, fake_key):
    env_agents = [
        LLMAgent("openai/stub", seed=1, api_base=stub.api_base, **FAST),
        ScriptedAgent(2),
        LLMAgent(
            "openai/stub", seed=3, api_base=stub.api_base, prompt_condition="deception_instructed"
        ),
        ScriptedAgent(4),
        ScriptedAgent(5),
    ]
    result = asyncio.run(play_game(SMALL, 9, lambda roles: env_agents))
    assert result.winner in ("village", "werewolves") and result.n_calls == stub.requests > 0


def test_bidding_takes_bids_from_answers_not_extra_calls(stub, fake_key, db_path):
    config = WerewolfConfig(
        roster=Roster.for_players(5), discussion_rounds=1, turn_taking="bidding"
    )
    options = {"api_base": stub.api_base, **FAST}
    summary = asyncio.run(
        run_games(db_path, 1, config=config, players=["openai/stub"], llm_options=options)
    )
    assert summary.games == 1 and summary.fallbacks == 0
    n_bids = rows(db_path, "SELECT count(*) FROM turn WHERE kind = 'bid'")[0][0]
    bid_calls = rows(
        db_path,
        "SELECT count(*) FROM llmcall c JOIN turn t ON t.game_id = c.game_id AND t.turn = c.turn "
        "WHERE t.kind = 'bid'",
    )[0][0]
    assert n_bids > 5 and bid_calls <= 5  # only a player's first bid needs a call of its own
    assert rows(db_path, "SELECT count(*) FROM turn WHERE kind = 'bid' AND bid IS NULL")[0][0] == 0


def test_cli_run_mixes_models_and_scripted(stub, fake_key, db_path):
    from typer.testing import CliRunner

    from app.cli import app

    args = ["run", "--games", "2", "--players", "5", "--rounds", "1", "--db", db_path]
    llm = ["--model", "openai/stub", "--model", "scripted", "--api-base", stub.api_base]
    llm += ["--model-concurrency", "2", "--concurrency", "4"]
    result = CliRunner().invoke(app, [*args, *llm, "--condition", "deception_permitted"])
    assert result.exit_code == 0, result.output
    kinds = rows(db_path, "SELECT DISTINCT model, prompt_condition FROM player ORDER BY 1")
    assert (None, "scripted") in kinds and ("openai/stub", "deception_permitted") in kinds
    assert rows(db_path, "SELECT count(*) FROM llmcall")[0][0] == stub.requests > 1
    bad = CliRunner().invoke(app, [*args, *llm, "--framing", "sideways"])
    assert bad.exit_code == 2 and "framing" in bad.output
