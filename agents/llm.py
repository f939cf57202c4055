"""LLM players through litellm: one structured answer per turn, every attempt logged, never fatal.

A turn is one chat request (system: rules, role, condition; user: capped history, the ask and the
answer's fields). The answer is validated against a per-turn pydantic model whose target is an
enum of the legal names. Transient transport errors (429, 5xx, timeouts, connection errors) are
retried with exponential backoff; an unusable answer is re-prompted with the validation error;
when both budgets are spent the turn takes a legal fallback marked `fallback=True`. Each attempt
becomes a `CallRecord` (an `LLMCall` row). API keys are passed to litellm and never recorded.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from agents.base import CallRecord, Turn
from agents.prompting import (
    AnswerError,
    HistoryCap,
    answer_model,
    beliefs_of,
    json_schema,
    parse_answer,
    prompt_hash,
    render_messages,
    repair_message,
    target_of,
)
from agents.session import LLMSession
from games.core.observation import Observation, normalize_speech
from vocab import Condition, Framing

# litellm fetches a price list from the internet at import unless told to use its bundled copy.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

LOCAL_PREFIX = "local/"
TRANSIENT_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504, 520, 522, 524, 529})


class LLMOptions(BaseModel):
    """Everything configurable about LLM players; `llm_options` in runs are these fields."""

    model_config = ConfigDict(extra="forbid")

    api_base: str | None = None
    api_key: SecretStr | None = Field(None, description="else litellm reads the provider env var")
    temperature: float = Field(0.7, ge=0, le=2)
    max_tokens: int = Field(400, ge=16)
    timeout: float = Field(60.0, gt=0, description="seconds per request")
    max_retries: int = Field(3, ge=0, description="retries of transient errors per request")
    max_reprompts: int = Field(2, ge=0, description="re-asks after an unusable answer")
    retry_backoff_s: float = Field(1.0, ge=0, description="first backoff; doubles per retry")
    retry_backoff_max_s: float = Field(30.0, ge=0)
    prompt_condition: Condition = "neutral"
    framing: Framing = "observed"
    concurrency: int = Field(16, ge=1, description="requests in flight, all models together")
    model_concurrency: int | None = Field(None, ge=1, description="default per-model limit")
    per_model: dict[str, int] = Field(default_factory=dict, description="model -> limit")
    structured: Literal["auto", "json_schema", "json_object", "prompt"] = "auto"
    history: HistoryCap = Field(default_factory=HistoryCap)
    reasoning: bool = Field(
        True, description="ask for private reasoning (tokens: off for tiny models)"
    )
    bid_calls: bool = Field(False, description="ask the model at every bid instead of reusing")
    gguf: str | None = Field(None, description="GGUF file for local/ models")
    local_max_chars: dict[str, int] = Field(
        default_factory=dict,
        # llama.cpp expands maxLength into nested grammar rules: long caps fail to parse and
        # short ones slow sampling several-fold, so by default max_tokens bounds the answer.
        description="string caps in the json_object schema (a grammar for local models)",
    )
    mock_response: str | None = Field(None, description="litellm's offline canned answer (tests)")


# ----- secrets never leave the process ---------------------------------------------------------

_KEYLIKE = re.compile(r"(sk-[A-Za-z0-9_\-]{6,}|Bearer\s+[A-Za-z0-9_\-.]{6,})")


def redact(text: str | None, secrets: tuple[str, ...] = ()) -> str | None:
    """Remove API keys (given ones, provider env vars, key-shaped tokens) from text we store."""
    if not text:
        return text
    env_secrets = tuple(
        v
        for k, v in os.environ.items()
        if len(v) >= 6 and ("KEY" in k or "TOKEN" in k or "SECRET" in k)
    )
    for secret in (*secrets, *env_secrets):
        if secret:
            text = text.replace(secret, "***")
    return _KEYLIKE.sub("***", text)


def is_transient(exc: BaseException) -> bool:
    """Rate limits, server errors, timeouts and dropped connections are worth retrying."""
    if isinstance(exc, asyncio.TimeoutError | TimeoutError | ConnectionError):
        return True
    status = getattr(exc, "status_code", None)
    if isinstance(status, int) and status in TRANSIENT_STATUS:
        return True
    name = type(exc).__name__
    return name in {
        "Timeout",
        "APITimeoutError",
        "APIConnectionError",
        "RateLimitError",
        "InternalServerError",
        "ServiceUnavailableError",
        "BadGatewayError",
    }


def _litellm() -> Any:
    import litellm  # slow import (~5 s): only LLM code paths pay it

    litellm.suppress_debug_info = True
    litellm.telemetry = False
    return litellm


class LLMAgent:
    """A player backed by any model string litellm accepts (or `local/...` for llama.cpp)."""

    kind = "llm"

    def __init__(
        self,
        model: str,
        seed: int | None = None,
        session: LLMSession | None = None,
        **options: Any,
    ) -> None:
        self.options = LLMOptions(**options)
        # One-off agents (a notebook, a test) get a session of their own.
        self.session = session if session is not None else LLMSession(self.options.concurrency)
        self.model = model
        self.prompt_condition = self.options.prompt_condition
        self.framing = self.options.framing
        self.prompt_hash = prompt_hash(self.prompt_condition, self.framing)
        self.rng = random.Random(seed)
        self.bidding = False  # seen a bid request: later answers also carry a bid
        self.next_bid: int | None = None
        self.api_base = self.options.api_base
        self.litellm_model = model
        key = self.options.api_key.get_secret_value() if self.options.api_key else None
        if model.startswith(LOCAL_PREFIX):
            server = self.session.server(model, self.options.gguf)
            self.api_base, self.litellm_model = server.api_base, "openai/" + server.name
            key = key or "sk-local-no-key"
        elif self.api_base and not key and model.startswith("openai/"):
            # OpenAI-compatible servers (vLLM, llama.cpp) want some key; the env var if any.
            key = os.environ.get("OPENAI_API_KEY") or "sk-no-key"
        self._key = key

    # ----- the turn ---------------------------------------------------------------------------
    async def act(self, observation: Observation) -> Turn:
        """Ask the model for this turn's answer; fall back legally if it cannot give one."""
        obs = observation
        if obs.kind == "bid":
            self.bidding = True
            if self.next_bid is not None and not self.options.bid_calls:
                # The bid stated in this player's last answer: no extra call per speaking slot.
                return Turn(bid=self.next_bid)
        ask_bid = obs.wants_bid or (self.bidding and obs.phase != "last_words")
        reasoning = self.options.reasoning
        model_cls = answer_model(obs, ask_bid, reasoning)
        messages: list[dict[str, Any]] = render_messages(
            obs, self.prompt_condition, self.framing, self.options.history, ask_bid, reasoning
        )
        response_format = self._response_format(model_cls)
        calls: list[CallRecord] = []
        for _ in range(self.options.max_reprompts + 1):
            text = await self._request(messages, response_format, calls)
            if text is None:
                break  # transport gave up (or a non-retryable error): no point re-asking
            try:
                answer = parse_answer(text, model_cls, obs)
            except (AnswerError, ValueError, TypeError, RecursionError) as exc:
                # Whatever the text does to the parser (deep nesting included), it is re-asked.
                calls[-1].error = f"invalid answer: {exc}"
                messages = [*messages, {"role": "assistant", "content": text}]
                messages.append(repair_message(str(exc)))
                continue
            calls[-1].parsed_ok = True
            bid = getattr(answer, "bid", None)
            if bid is not None:
                self.next_bid = bid
            return Turn(
                speech=normalize_speech(getattr(answer, "speech", "")) if obs.wants_speech else "",
                target=target_of(answer, obs),
                bid=bid if obs.wants_bid else None,
                beliefs=beliefs_of(answer, obs),
                reasoning=getattr(answer, "reasoning", None),
                calls=calls,
            )
        return self.fallback(obs, calls)

    def fallback(self, obs: Observation, calls: list[CallRecord]) -> Turn:
        """A legal default: abstain where allowed, else a random legal target; says nothing."""
        target = None
        if obs.legal_targets and not obs.may_abstain:
            target = self.rng.choice(obs.legal_targets)
        return Turn(
            target=target,
            bid=0 if obs.wants_bid else None,
            reasoning="fallback: no usable answer from the model",
            fallback=True,
            calls=calls,
        )

    # ----- transport ---------------------------------------------------------------------------
    def _response_format(self, model_cls: type[BaseModel]) -> dict[str, Any] | None:
        mode = self.options.structured
        if mode == "auto":
            if self.model.startswith(LOCAL_PREFIX):
                mode = "json_object"
            else:
                try:
                    ok = _litellm().supports_response_schema(model=self.litellm_model)
                except Exception:  # unknown model names raise in some litellm versions
                    ok = False
                mode = "json_schema" if ok else "prompt"
        if mode == "json_schema":
            schema = json_schema(model_cls)
            return {
                "type": "json_schema",
                "json_schema": {"name": "turn", "schema": schema, "strict": True},
            }
        if mode == "json_object":  # llama.cpp's server turns this schema into a grammar
            schema = json_schema(model_cls, self.options.local_max_chars)
            return {"type": "json_object", "schema": schema}
        return None

    async def _request(
        self,
        messages: list[dict[str, Any]],
        response_format: dict[str, Any] | None,
        calls: list[CallRecord],
    ) -> str | None:
        """One request with transient-error retries; each attempt appends a CallRecord."""
        litellm = _litellm()
        kwargs: dict[str, Any] = {
            "model": self.litellm_model,
            "messages": messages,
            "temperature": self.options.temperature,
            "max_tokens": self.options.max_tokens,
            "timeout": self.options.timeout,
            "max_retries": 0,  # our loop retries, so that every attempt is logged
            "num_retries": 0,
            "drop_params": True,  # providers that reject a parameter ignore it instead
        }
        if self.api_base:
            kwargs["api_base"] = self.api_base
        if self._key:
            kwargs["api_key"] = self._key
        if response_format is not None:
            kwargs["response_format"] = response_format
        if self.options.mock_response is not None:
            kwargs["mock_response"] = self.options.mock_response
        every, mine = self.session.limits(self.model, self.options)
        for retry in range(self.options.max_retries + 1):
            record = CallRecord(
                model=self.model, messages=[dict(m) for m in messages], attempt=len(calls) + 1
            )
            calls.append(record)
            async with every, mine:
                start = time.perf_counter()
                try:
                    # A second deadline in case a client ignores its own timeout.
                    response = await asyncio.wait_for(
                        litellm.acompletion(**kwargs), self.options.timeout + 5
                    )
                except Exception as exc:
                    record.latency_s = round(time.perf_counter() - start, 4)
                    record.error = redact(f"{type(exc).__name__}: {exc}", (self._key or "",))
                    transient = is_transient(exc)
                else:
                    record.latency_s = round(time.perf_counter() - start, 4)
                    self._fill(record, response)
                    return record.response
            if not transient or retry == self.options.max_retries:
                return None
            backoff = min(self.options.retry_backoff_max_s, self.options.retry_backoff_s * 2**retry)
            await asyncio.sleep(backoff * (0.5 + self.rng.random()))  # jitter spreads retries
        return None

    def _fill(self, record: CallRecord, response: Any) -> None:
        try:
            text = response.choices[0].message.content
        except (AttributeError, IndexError):
            text = None
        record.response = redact(text, (self._key or "",))
        usage = getattr(response, "usage", None)
        if usage is not None:
            record.prompt_tokens = getattr(usage, "prompt_tokens", None)
            record.completion_tokens = getattr(usage, "completion_tokens", None)
        hidden = getattr(response, "_hidden_params", None) or {}
        cost = hidden.get("response_cost")
        record.cost = float(cost) if isinstance(cost, int | float) else None
