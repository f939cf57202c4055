"""A loopback OpenAI-compatible chat-completions server for LLM tests and benchmarks.

Replies are what a scripted player would answer (template sentences from agents/scripted.py,
legal targets read from the prompt), serialised as the JSON answer the LLM agent asks for.
Latency and faults are configurable: HTTP 500, 429, hangs past the client's timeout, malformed
JSON and illegal targets. Agents reach it through litellm's real HTTP path
(`model="openai/<name>"`, `api_base=stub.api_base`).

Run standalone (the benchmark does, so the server does not share a GIL with the agents):
    python tests/stub_server.py --latency 0.2        # prints "PORT <n>" once it listens
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # standalone runs import agents/

from agents.base import StatedClaim
from agents.scripted import sentence

FAULTS = ("500", "429", "hang", "malformed", "illegal")
FAKE_KEY = "sk-test-FAKE-KEY-0123456789abcdef"

_ME = re.compile(r"You are (\w+), a player")
_NAMES = re.compile(r"with \d+ players: ([^\n]+)\.")
_ROLE = re.compile(r"Your role: (\w+)")
_TARGETS = re.compile(r'- "target": one of ([^\n]+)')
_BELIEFS = re.compile(r"for each of ([^\n]+?), your probability")
_KNOWN = re.compile(r"(\w+) is a werewolf")


@dataclass
class StubConfig:
    """Latency and fault rates (each fault kind: probability per request)."""

    latency_s: float = 0.0
    faults: dict[str, float] = field(default_factory=dict)
    hang_s: float = 3.0
    seed: int = 0
    speech_chars: int = 0  # pad speeches to about this length (real models talk more)


class Stub:
    """The server's state: config, a fault plan for exact tests, and counters."""

    def __init__(self, config: StubConfig | None = None) -> None:
        self.config = config or StubConfig()
        self.rng = random.Random(self.config.seed)
        self.plan: list[str | None] = []  # forced faults for the next requests, in order
        self.requests = 0
        self.injected: Counter[str] = Counter()
        self.bodies: list[dict[str, Any]] = []
        self.port: int | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def api_base(self) -> str:
        """The base URL litellm should use."""
        return f"http://127.0.0.1:{self.port}/v1"

    def _fault(self) -> str | None:
        if self.plan:
            return self.plan.pop(0)
        for kind, rate in self.config.faults.items():
            if self.rng.random() < rate:
                return kind
        return None

    async def chat(self, request: Request) -> JSONResponse:
        """POST /v1/chat/completions."""
        body = await request.json()
        self.requests += 1
        self.bodies.append(body)
        fault = self._fault()
        prompt = "\n".join(str(m.get("content", "")) for m in body.get("messages", []))
        if fault == "illegal" and '- "target"' not in prompt:
            fault = None  # no target asked this turn: nothing to make illegal
        if fault:
            self.injected[fault] += 1
        if self.config.latency_s:
            await asyncio.sleep(self.config.latency_s)
        if fault == "500":
            return JSONResponse({"error": {"message": "injected 500", "type": "server"}}, 500)
        if fault == "429":
            return JSONResponse({"error": {"message": "injected 429", "type": "rate"}}, 429)
        if fault == "hang":
            await asyncio.sleep(self.config.hang_s)
        messages = body.get("messages", [])
        answer = scripted_answer(messages, self.rng, illegal=fault == "illegal")
        if self.config.speech_chars and "speech" in answer:
            answer["speech"] = _pad(answer["speech"], self.config.speech_chars)
        text = json.dumps(answer)
        if fault == "malformed":
            text = "Sure! Here is my answer: {" + text[1 : len(text) // 2]
        prompt_chars = sum(len(str(m.get("content", ""))) for m in messages)
        usage = {
            "prompt_tokens": prompt_chars // 4,  # a rough token estimate, like ~4 chars/token
            "completion_tokens": len(text) // 4,
            "total_tokens": prompt_chars // 4 + len(text) // 4,
        }
        return JSONResponse(
            {
                "id": f"chatcmpl-stub{self.requests}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model", "stub"),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": text},
                        "finish_reason": "stop",
                    }
                ],
                "usage": usage,
            }
        )

    def app(self) -> Starlette:
        """The ASGI app."""
        return Starlette(routes=[Route("/v1/chat/completions", self.chat, methods=["POST"])])

    def start(self, port: int = 0) -> Stub:
        """Serve in a background thread; returns once the port is listening."""
        config = uvicorn.Config(
            self.app(),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan="off",
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("stub server did not start")
            time.sleep(0.01)
        self.port = self._server.servers[0].sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        """Shut the server down."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=5)


_FILLER = (
    "Let us think carefully about who acted strangely yesterday.",
    "I noticed some hesitation in the last round of votes.",
    "We should compare what everyone said with how they voted.",
    "I am open to changing my mind if someone makes a good case.",
)


def _pad(speech: str, chars: int) -> str:
    """Lengthen a speech with neutral sentences, as a talkative model would."""
    i = 0
    while len(speech) < chars:
        speech += " " + _FILLER[i % len(_FILLER)]
        i += 1
    return speech


def _names(text: str) -> list[str]:
    return re.findall(r"player_\d+", text)


def scripted_answer(
    messages: list[dict[str, Any]], rng: random.Random, illegal: bool = False
) -> dict[str, Any]:
    """What a scripted player would answer to this prompt, as the agent's JSON answer."""
    system = next((str(m["content"]) for m in messages if m.get("role") == "system"), "")
    user = next((str(m["content"]) for m in messages if m.get("role") == "user"), "")
    me = (_ME.search(system) or [None, "player_0"])[1]
    all_names = tuple(_names((_NAMES.search(system) or [None, ""])[1]))
    role = (_ROLE.search(system) or [None, "villager"])[1]
    wolves = set(_KNOWN.findall(user)) | ({me} if role == "werewolf" else set())
    answer: dict[str, Any] = {"reasoning": f"scripted stub answer as a {role}"}
    others = _names((_BELIEFS.search(user) or [None, ""])[1])
    if '- "speech"' in user:
        answer["speech"] = _speech(me, role, others, wolves, all_names, rng)
    if m := _TARGETS.search(user):
        choices = re.findall(r'"([^"]+)"', m.group(1))
        legal = [c for c in choices if c != "none" and c not in wolves] or choices
        answer["target"] = "player_99" if illegal else rng.choice(legal)
    if '- "bid"' in user:
        answer["bid"] = rng.randint(0, 4)
    if others:
        answer["beliefs"] = {
            n: (1.0 if n in wolves else round(rng.uniform(0.05, 0.6), 2)) for n in others
        }
    return answer


def _speech(
    me: str,
    role: str,
    others: list[str],
    wolves: set[str],
    names: tuple[str, ...],
    rng: random.Random,
) -> str:
    """Template sentences the rule-based claim extractor reads back (wolves claim villager)."""
    if not names or me not in names:
        return "I have nothing to add."
    seat = names.index(me)
    claimed = "villager" if role == "werewolf" else role
    claims = [StatedClaim(type="role_claim", subject=seat, value=claimed)]
    suspects = [n for n in others if n not in wolves]
    if suspects:
        who = names.index(rng.choice(suspects))
        claims.append(StatedClaim(type="accusation", subject=who, value="werewolf", hedged=True))
    return " ".join(sentence(c, names) for c in claims)


# ----- pytest fixtures --------------------------------------------------------------------------


@pytest.fixture
def stub():
    """A fresh loopback stub server (no latency, no faults) for one test."""
    server = Stub().start()
    yield server
    server.stop()


@pytest.fixture
def fake_key(monkeypatch):
    """A fake OpenAI key in the environment; it must never reach the database."""
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    return FAKE_KEY


def main() -> None:  # pragma: no cover - used by bench/bench_llm.py
    """Serve until killed; print the port first."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--fault-rate", type=float, default=0.0)
    parser.add_argument("--speech-chars", type=int, default=0)
    args = parser.parse_args()
    faults = {k: args.fault_rate / len(FAULTS) for k in FAULTS} if args.fault_rate else {}
    config = StubConfig(latency_s=args.latency, faults=faults, speech_chars=args.speech_chars)
    stub = Stub(config).start(args.port)
    print(f"PORT {stub.port}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        stub.stop()


if __name__ == "__main__":  # pragma: no cover
    main()
