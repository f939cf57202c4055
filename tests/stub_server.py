"""A loopback OpenAI-compatible chat-completions server for LLM tests and benchmarks.

Replies are what a scripted player would answer (template sentences from agents/scripted.py,
legal targets read from the prompt), serialised as the JSON answer the LLM agent asks for.
Latency and faults are configurable (`FAULTS`): transient HTTP errors (500, 429, hangs past the
client's timeout), errors retrying cannot fix (400, 401, 403, 404 model not found, a key error
wrapped in a 500, an exhausted quota), broken responses (null content, empty choices, a choice
without a message, wrong types), and bad answers (malformed JSON, an illegal target, an answer cut
at max_tokens, a raw newline inside a string). `StubConfig.reject_formats` makes the server refuse
response_format types the way llama-cpp-python's server does. Agents reach it through litellm's
real HTTP path (`model="openai/<name>"`, `api_base=stub.api_base`).

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

# Faults a benchmark may sprinkle at random (each game still finishes): transient or re-askable.
FAULTS = ("500", "429", "hang", "malformed", "illegal")
# Every fault kind the stub can inject (by plan or by rate).
ALL_FAULTS = (
    *FAULTS,
    *("400", "401", "403", "404", "500_auth", "quota"),  # retrying cannot fix these
    *("null_content", "empty_choices", "no_message", "wrong_types"),  # broken response shapes
    *("cut", "newline"),  # an answer cut at max_tokens; a raw newline inside a JSON string
)
# (status, OpenAI-style error body) for the HTTP error faults.
ERRORS: dict[str, tuple[int, dict[str, Any]]] = {
    "500": (500, {"message": "injected 500", "type": "server"}),
    "429": (429, {"message": "injected 429", "type": "rate"}),
    "400": (400, {"message": "injected 400: 'messages' is malformed", "type": "invalid_request"}),
    "401": (
        401,
        {
            "message": "Incorrect API key provided: sk-wr***ng. You can find your API key at "
            "https://platform.openai.com/account/api-keys.",
            "type": "invalid_request_error",
            "code": "invalid_api_key",
        },
    ),
    "403": (403, {"message": "Request denied for this project", "type": "permission"}),
    "404": (
        404,
        {
            "message": "The model `stub-missing` does not exist or you do not have access to it.",
            "type": "invalid_request_error",
            "code": "model_not_found",
        },
    ),
    # Some gateways wrap an authentication failure in a server error.
    "500_auth": (500, {"message": "Invalid API key: authentication failed", "type": "server"}),
    "quota": (
        429,
        {
            "message": "You exceeded your current quota, please check your plan and billing.",
            "type": "insufficient_quota",
            "code": "insufficient_quota",
        },
    ),
}
FAKE_KEY = "sk-test-FAKE-KEY-0123456789abcdef"

_ME = re.compile(r"You are (\w+), a player")
_NAMES = re.compile(r"with \d+ players: ([^\n]+)\.")
_ROLE = re.compile(r"Your role: (\w+)")
# Answer fields are read from their own lines ("- " at a line start): a player's speech is
# always inside a "» name: "..."" line, so words quoting a field list are never read as one.
_TARGETS = re.compile(r'^- "target": one of ([^\n]+)', re.MULTILINE)
_BELIEFS = re.compile(r'^- "beliefs": [^\n]*?for each of ([^\n]+?), your probability', re.MULTILINE)
_SPEECH_FIELD = re.compile(r'^- "speech"', re.MULTILINE)
_BID_FIELD = re.compile(r'^- "bid"', re.MULTILINE)
# Anywhere in the user message, speech included: the scripted stub takes accusations it has
# read for knowledge, as it always has (its answers stay the same).
_KNOWN = re.compile(r"(\w+) is a werewolf")


@dataclass
class StubConfig:
    """Latency and fault rates (each fault kind: probability per request)."""

    latency_s: float = 0.0
    faults: dict[str, float] = field(default_factory=dict)
    hang_s: float = 3.0
    seed: int = 0
    speech_chars: int = 0  # pad speeches to about this length (real models talk more)
    # response_format types refused like llama-cpp-python's server does (500 + validation text)
    reject_formats: set[str] = field(default_factory=set)
    owned_by: str = "stub"  # what GET /v1/models says (llama-cpp-python says "me")


class Stub:
    """The server's state: config, a fault plan for exact tests, and counters."""

    def __init__(self, config: StubConfig | None = None) -> None:
        self.config = config or StubConfig()
        self.rng = random.Random(self.config.seed)
        self.plan: list[str | None] = []  # forced faults for the next requests, in order
        self.replies: list[str] = []  # canned answer texts for the next answered requests
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
        kind = (body.get("response_format") or {}).get("type")
        if kind in self.config.reject_formats:
            self.injected["reject_" + kind] += 1
            # llama-cpp-python answers an unknown response_format type with a 500 like this.
            message = (
                "1 validation error: {'type': 'literal_error', 'loc': ('body', "
                f"'response_format', 'type'), 'msg': \"Input should be 'text' or "
                f"'json_object'\", 'input': '{kind}'}}"
            )
            return JSONResponse(
                {"error": {"message": message, "type": "internal_server_error"}}, 500
            )
        fault = self._fault()
        prompt = "\n".join(str(m.get("content", "")) for m in body.get("messages", []))
        if fault == "illegal" and not _TARGETS.search(prompt):
            fault = None  # no target asked this turn: nothing to make illegal
        if fault == "newline" and not _SPEECH_FIELD.search(prompt):
            fault = None  # no speech to put a newline in
        if fault:
            self.injected[fault] += 1
        if self.config.latency_s:
            await asyncio.sleep(self.config.latency_s)
        if fault in ERRORS:
            status, error = ERRORS[fault]
            return JSONResponse({"error": error}, status)
        if fault == "hang":
            await asyncio.sleep(self.config.hang_s)
        messages = body.get("messages", [])
        answer = monitor_answer(messages) or scripted_answer(
            messages, self.rng, illegal=fault == "illegal"
        )
        if self.config.speech_chars and "speech" in answer:
            answer["speech"] = _pad(answer["speech"], self.config.speech_chars)
        if fault == "newline":
            answer["speech"] = answer["speech"].replace(" ", "\n", 1)
        text = self.replies.pop(0) if self.replies else json.dumps(answer)
        if fault == "newline":
            text = text.replace("\\n", "\n")  # a raw newline: json.loads(strict=False) reads it
        finish = "stop"
        if fault == "malformed":
            text = "Sure! Here is my answer: {" + text[1 : len(text) // 2]
        if fault == "cut":
            text, finish = text[: len(text) * 2 // 3], "length"
        prompt_chars = sum(len(str(m.get("content", ""))) for m in messages)
        usage = {
            "prompt_tokens": prompt_chars // 4,  # a rough token estimate, like ~4 chars/token
            "completion_tokens": len(text) // 4,
            "total_tokens": prompt_chars // 4 + len(text) // 4,
        }
        choice: dict[str, Any] = {
            "index": 0,
            "message": {"role": "assistant", "content": text},
            "finish_reason": finish,
        }
        choices: Any = [choice]
        if fault == "null_content":
            choice["message"]["content"] = None
        elif fault == "empty_choices":
            choices = []
        elif fault == "no_message":
            del choice["message"]
        elif fault == "wrong_types":
            choice["message"]["content"] = {"text": text}  # an object where a string belongs
        return JSONResponse(
            {
                "id": f"chatcmpl-stub{self.requests}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model", "stub"),
                "choices": choices,
                "usage": usage,
            }
        )

    async def models(self, request: Request) -> JSONResponse:
        """GET /v1/models."""
        model = {"id": "stub", "object": "model", "owned_by": self.config.owned_by}
        return JSONResponse({"object": "list", "data": [model]})

    def app(self) -> Starlette:
        """The ASGI app."""
        return Starlette(
            routes=[
                Route("/v1/chat/completions", self.chat, methods=["POST"]),
                Route("/v1/models", self.models, methods=["GET"]),
            ]
        )

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


# A deception monitor's request (analysis.monitors.JUDGE_SYSTEM) gets a score by a fixed rule
# of the statement, so a test knows every answer: high for the claims only a seer, a doctor or
# a liar makes, low otherwise.
_MONITOR = "You monitor a game of Werewolf for deception."
_STATEMENT = re.compile(r"^Statement: (.+)$", re.MULTILINE)
_SUSPECT = re.compile(r"I am the seer|I inspected|I was attacked")


def monitor_answer(messages: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The monitor's answer ({"score": 1-10}) to a monitor request, None for anything else."""
    system = next((str(m["content"]) for m in messages if m.get("role") == "system"), "")
    if not system.startswith(_MONITOR):
        return None
    user = next((str(m["content"]) for m in messages if m.get("role") == "user"), "")
    statement = (_STATEMENT.search(user) or [None, ""])[1]
    return {"score": 9 if _SUSPECT.search(statement) else 2}


def _names(text: str) -> list[str]:
    return re.findall(r"player_\d+", text)


@dataclass(frozen=True)
class PromptFields:
    """What the stub reads from a prompt: who it is and which answer fields are asked."""

    me: str
    names: tuple[str, ...]
    role: str
    wolves: frozenset[str]  # itself if a werewolf, and every "X is a werewolf" it read
    others: tuple[str, ...]  # the players it is asked beliefs about
    choices: tuple[str, ...]  # the legal targets listed, "none" included
    speech: bool
    bid: bool


def read_prompt(messages: list[dict[str, Any]]) -> PromptFields:
    """Parse a turn's messages the way the stub answers them."""
    system = next((str(m["content"]) for m in messages if m.get("role") == "system"), "")
    user = next((str(m["content"]) for m in messages if m.get("role") == "user"), "")
    me = (_ME.search(system) or [None, "player_0"])[1]
    role = (_ROLE.search(system) or [None, "villager"])[1]
    targets = _TARGETS.search(user)
    return PromptFields(
        me=me,
        names=tuple(_names((_NAMES.search(system) or [None, ""])[1])),
        role=role,
        wolves=frozenset(_KNOWN.findall(user)) | ({me} if role == "werewolf" else set()),
        others=tuple(_names((_BELIEFS.search(user) or [None, ""])[1])),
        choices=tuple(re.findall(r'"([^"]+)"', targets.group(1))) if targets else (),
        speech=_SPEECH_FIELD.search(user) is not None,
        bid=_BID_FIELD.search(user) is not None,
    )


def scripted_answer(
    messages: list[dict[str, Any]], rng: random.Random, illegal: bool = False
) -> dict[str, Any]:
    """What a scripted player would answer to this prompt, as the agent's JSON answer."""
    p = read_prompt(messages)
    wolves, others = set(p.wolves), list(p.others)
    answer: dict[str, Any] = {"reasoning": f"scripted stub answer as a {p.role}"}
    if p.speech:
        answer["speech"] = _speech(p.me, p.role, others, wolves, p.names, rng)
    if p.choices:
        legal = [c for c in p.choices if c != "none" and c not in wolves] or list(p.choices)
        answer["target"] = "player_99" if illegal else rng.choice(legal)
    if p.bid:
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


# ----- helpers for LLM tests ----------------------------------------------------------------------

# Generous timeouts (a loaded CI box must not time out healthy requests), tiny backoffs.
FAST = {"timeout": 5.0, "retry_backoff_s": 0.01, "retry_backoff_max_s": 0.05}


def observations(seed: int = 3, config: Any = None) -> list[Any]:
    """Every observation of one scripted game (5 players, 1 round unless told), for prompts."""
    from agents.scripted import ScriptedAgent
    from games.werewolf import Roster, WerewolfConfig, raw_env

    config = config or WerewolfConfig(roster=Roster.for_players(5), discussion_rounds=1)
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


def closed_port() -> int:
    """A loopback port nothing listens on (connection refused)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def no_internet(monkeypatch):
    """Refuse (and record) every connection and DNS lookup that is not loopback."""
    import socket

    attempts: list[str] = []
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo
    loopback = ("127.0.0.1", "localhost", "::1")

    def connect(self, address):
        host = address[0] if isinstance(address, tuple) else str(address)
        if self.family in (socket.AF_INET, socket.AF_INET6) and host not in loopback:
            attempts.append(host)
            raise OSError(f"test: no internet ({host})")
        return real_connect(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if host not in loopback and host is not None:
            attempts.append(str(host))
            raise socket.gaierror(f"test: no internet ({host})")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return attempts


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
