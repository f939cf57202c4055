"""Errors retrying cannot fix: classified, never retried, and they stop a model (fail fast).

Through litellm's real HTTP path against the loopback stub (401, 403, 404, 400, a key error
inside a 500, an exhausted quota, a closed port) and litellm's offline behaviour (an unknown
provider, a missing key), with every non-loopback connection refused and recorded.
"""

# ruff: noqa: F811  (pytest fixtures imported from stub_server are parameters here)
from __future__ import annotations

import asyncio
import time

import pytest
from stub_server import FAST, closed_port, no_internet, observations  # noqa: F401

from agents.llm import LLMAgent
from agents.providers import ProviderError, resolve
from agents.session import LLMSession
from agents.transport import FATAL, classify

# Every kind of failure the stub injects, and the class it must land in.
HTTP_CLASSES = {
    "401": "auth",
    "403": "auth",
    "500_auth": "auth",
    "404": "not_found",
    "400": "bad_request",
    "quota": "quota",
    "500": "transient",
    "429": "transient",
}


def vote():
    """A vote observation (target and beliefs asked)."""
    return next(o for o in observations() if o.kind == "vote")


def agent(stub, session=None, **options):
    """An LLM player on the stub with fast retries."""
    opts = {"api_base": stub.api_base, "api_key": "sk-test-0123456789", **FAST, **options}
    return LLMAgent("openai/stub", seed=0, session=session, **opts)


@pytest.mark.parametrize(("fault", "kind"), sorted(HTTP_CLASSES.items()))
def test_each_http_error_is_classified(stub, fault, kind):
    """One attempt per fatal error (no retries), retries for transient ones; all logged."""
    stub.plan = [fault] * 4
    a = agent(stub, max_retries=2, max_reprompts=0)
    turn = asyncio.run(a.act(vote()))
    assert turn.fallback
    assert len(turn.calls) == (1 if kind in FATAL else 3)
    assert all(c.error for c in turn.calls)
    health = a.session.summary()[0]
    assert health[f"errors:{kind}"] == len(turn.calls)


def test_closed_port_is_unreachable_and_retried(no_internet):
    port = closed_port()
    a = LLMAgent(
        "openai/x", api_base=f"http://127.0.0.1:{port}/v1", max_retries=1, max_reprompts=0, **FAST
    )
    turn = asyncio.run(a.act(vote()))
    assert turn.fallback and len(turn.calls) == 2  # retried in play: a server may be restarting
    assert a.session.summary()[0]["errors:unreachable"] == 2
    assert no_internet == []


def test_litellm_offline_errors_are_classified(monkeypatch, no_internet):
    """An unknown provider and a missing key fail inside litellm, before any connection."""
    import litellm

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)

    async def ask(model: str) -> BaseException:
        try:
            await litellm.acompletion(
                model=model, messages=[{"role": "user", "content": "hi"}], max_retries=0
            )
        except Exception as exc:
            return exc
        raise AssertionError("no error")

    missing_key = asyncio.run(ask("openai/gpt-4o-mini"))
    assert getattr(missing_key, "status_code", None) == 500  # wrapped as a server error …
    assert classify(missing_key) == "auth"  # … and still not worth a retry
    unknown = asyncio.run(ask("notaprovider/xyz"))
    assert classify(unknown) == "bad_request"
    assert no_internet == []


def test_resolution_refuses_what_no_request_can_fix():
    with pytest.raises(ProviderError, match=r"^notaprovider/xyz: unknown provider"):
        resolve("notaprovider/xyz")
    with pytest.raises(ProviderError, match="not an http"):
        resolve("openai/x", {"api_base": "not a url"})
    with pytest.raises(ProviderError, match="GGUF file not found"):
        resolve("local/nowhere.gguf")
    assert resolve("scripted").kind == "scripted" and not resolve("honest").is_llm


def test_breaker_opens_after_n_unfixable_errors(stub):
    """N consecutive fatal errors: the next act raises one line naming model and message."""
    stub.plan = ["401"] * 10
    session = LLMSession(4)
    a = agent(stub, session, breaker_failures=2, max_reprompts=0)
    first = asyncio.run(a.act(vote()))
    assert first.fallback  # one error is not yet a verdict
    with pytest.raises(ProviderError) as err:
        asyncio.run(a.act(vote()))
    line = str(err.value)
    assert line.startswith("openai/stub: Incorrect API key provided") and "\n" not in line
    assert stub.requests == 2  # the second turn's error opened it: no fallback turn played
    with pytest.raises(ProviderError):
        asyncio.run(a.act(vote()))  # open stays open, without another request
    assert stub.requests == 2
    assert session.stopped == {"openai/stub": line}


def test_breaker_opens_after_m_turns_without_a_reply(stub):
    """Transient errors on every attempt of M consecutive turns stop the model too."""
    stub.plan = ["500"] * 20
    a = agent(stub, breaker_turns=2, max_retries=1)
    assert asyncio.run(a.act(vote())).fallback
    with pytest.raises(ProviderError, match="no reply in 2 turns in a row: injected 500"):
        asyncio.run(a.act(vote()))
    assert stub.requests == 4


def test_a_reply_resets_the_breaker(stub):
    stub.plan = ["401", None, "401", None, "401"]
    a = agent(stub, breaker_failures=2, max_reprompts=0)
    for _ in range(5):
        asyncio.run(a.act(vote()))  # never two unfixable errors in a row: never opens
    assert a.session.stopped == {}


# ----- preflight -------------------------------------------------------------------------------


def preflight(contestants, budget_s: float = 10.0) -> float:
    """Run a session's preflight; the seconds it took."""

    async def go() -> None:
        async with LLMSession(4) as session:
            await session.preflight(contestants, budget_s)

    start = time.monotonic()
    asyncio.run(go())
    return time.monotonic() - start


def test_preflight_missing_key_fails_fast(monkeypatch, no_internet):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    start = time.monotonic()
    with pytest.raises(ProviderError, match=r"^openai/gpt-4o-mini: Missing credentials"):
        preflight([("openai/gpt-4o-mini", {}), ("scripted", {})])
    assert time.monotonic() - start < 10
    assert no_internet == []


def test_preflight_unknown_provider_and_bad_url(no_internet):
    with pytest.raises(ProviderError, match=r"^notaprovider/xyz: unknown provider"):
        preflight([("notaprovider/xyz", {})])
    with pytest.raises(ProviderError, match="not an http"):
        preflight([("openai/x", {"api_base": "not a url"})])
    assert no_internet == []


@pytest.mark.parametrize("fault", ["401", "403", "404", "400"])
def test_preflight_names_the_model_and_the_message(stub, fault):
    stub.plan = [fault]
    with pytest.raises(ProviderError) as err:
        preflight([("openai/stub", {"api_base": stub.api_base})])
    assert str(err.value).startswith("openai/stub: ") and stub.requests == 1


def test_preflight_retries_transient_errors_briefly(stub):
    stub.plan = ["500", "429"]
    took = preflight([("openai/stub", {"api_base": stub.api_base})])
    assert stub.requests == 3 and took < 5


def test_preflight_unreachable_server_within_budget(no_internet):
    url = f"http://127.0.0.1:{closed_port()}/v1"
    start = time.monotonic()
    with pytest.raises(ProviderError, match=r"openai/x: no answer within 2 s \(Connection"):
        preflight([("openai/x", {"api_base": url})], budget_s=2)
    assert time.monotonic() - start < 4


def test_preflight_checks_each_distinct_model_once(stub):
    contestants = [("openai/a", {"api_base": stub.api_base})] * 3
    contestants += [("openai/b", {"api_base": stub.api_base}), ("honest", {})]
    preflight(contestants)
    assert stub.requests == 2


def test_the_no_internet_guard_sees_connections(no_internet):
    """The guard these tests rely on does refuse and record a non-loopback connection."""
    import socket

    with pytest.raises(OSError):
        socket.create_connection(("example.invalid", 443), timeout=1)
    assert no_internet == ["example.invalid"]


def test_importing_the_transport_keeps_litellm_offline():
    """litellm fetches its price map from the internet at import unless told not to."""
    import os
    import subprocess
    import sys

    code = """
import socket
attempts = []
real = socket.getaddrinfo
def guard(host, *a, **k):
    if host not in ("127.0.0.1", "localhost", "::1"):
        attempts.append(host)
        raise socket.gaierror("no internet")
    return real(host, *a, **k)
socket.getaddrinfo = guard
import agents.llm, analysis.judge, litellm
print(sorted(set(attempts)), litellm.model_cost["gpt-4o-mini"]["input_cost_per_token"] > 0)
"""
    env = {k: v for k, v in os.environ.items() if k != "LITELLM_LOCAL_MODEL_COST_MAP"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.stdout.strip().splitlines()[-1] == "[] True", out.stderr[-2000:]
