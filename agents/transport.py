"""The one way an LLM request is made: players and the judge share it.

`request` sends one chat request through litellm with the session's limits, retries transient
errors with backoff, negotiates the structured-output mode (JSON schema, then json_object,
then prompt, only when the server rejects the better one), reads the reply defensively, and
logs every attempt as a `CallRecord`. `classify` sorts every exception into what retrying can
fix and what it cannot; the session's per-model `Health` turns the second kind into a
`ProviderError` (the circuit breaker) instead of a run of silent fallbacks.

OpenAI-compatible servers (`api_base`, `local/`) whose parameters litellm sends unchanged are
called by `direct`: the same body over the session's pooled HTTP client, priced from litellm's
price list once per model, errors named as litellm names them. litellm.acompletion costs
~5 ms of CPU a call, `direct` under 1 ms; every other provider goes through litellm.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, SecretStr

from agents.base import CallRecord
from agents.prompting import answer_token_bound, json_schema
from agents.providers import Mode, Provider, ProviderError

if TYPE_CHECKING:
    from agents.session import LLMSession

# litellm fetches a price list from the internet at import unless told to use its bundled copy.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

ErrorKind = Literal[
    "transient",  # rate limits, 5xx, timeouts: retried with backoff
    "unreachable",  # connection refused, DNS: retried in play, fatal after preflight's budget
    "format_rejected",  # the server refused the response_format: next structured mode
    "invalid_response",  # a reply came back in a shape we cannot read: re-asked
    "auth",  # missing or invalid key, permission denied (also when wrapped in a 500)
    "not_found",  # no such model (or no such endpoint)
    "quota",  # credit exhausted: a 429 that waiting does not fix
    "bad_request",  # the request is rejected as such (400, 422, unknown provider …)
]
FATAL: frozenset[str] = frozenset({"auth", "not_found", "quota", "bad_request"})
TRANSIENT_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504, 520, 522, 524, 529})
_TRANSIENT_NAMES = frozenset(
    {
        "Timeout",
        "APITimeoutError",
        "RateLimitError",
        "InternalServerError",
        "ServiceUnavailableError",
        "BadGatewayError",
        "APIConnectionError",
    }
)
_AUTH_STATUS = frozenset({401, 403, 407})
_AUTH = re.compile(
    r"api[ _-]?key|missing credentials|unauthori[sz]ed|authenticat|permission denied|"
    r"not allowed to|access denied|invalid[ _-]?token|no auth",
    re.IGNORECASE,
)
_QUOTA = re.compile(r"insufficient_quota|exceeded your current quota|credit balance", re.I)
_FORMAT = re.compile(r"response_format|json_schema|json_object", re.IGNORECASE)
_NOT_FOUND = re.compile(
    r"model\W[^.]*(not found|does not exist)|model_not_found|no such model|unknown model", re.I
)
_UNREACHABLE = re.compile(
    r"connection error|connect call failed|cannot connect|connection refused|"
    r"name or service not known|temporary failure in name resolution|nodename nor servname",
    re.IGNORECASE,
)
_INVALID_RESPONSE = re.compile(r"invalid response object", re.IGNORECASE)


def classify(exc: BaseException) -> ErrorKind:
    """What kind of failure an exception from litellm is (see `ErrorKind`)."""
    if isinstance(exc, asyncio.TimeoutError | TimeoutError):
        return "transient"
    status = getattr(exc, "status_code", None)
    status = status if isinstance(status, int) else None
    name = type(exc).__name__
    text = str(exc)
    if _INVALID_RESPONSE.search(text):
        return "invalid_response"  # litellm could not read the body: the server answered
    if status in _AUTH_STATUS or name in ("AuthenticationError", "PermissionDeniedError"):
        return "auth"
    if _QUOTA.search(text):
        return "quota"
    if _AUTH.search(text):
        return "auth"  # e.g. OpenAI's "Missing credentials" arrives as a 500
    if _FORMAT.search(text) and status in (None, 400, 415, 422, 500):
        return "format_rejected"  # llama-cpp-python refuses json_schema with a 500
    if status == 404 or name == "NotFoundError" or _NOT_FOUND.search(text):
        return "not_found"
    if _UNREACHABLE.search(text) or isinstance(exc, ConnectionError):
        return "unreachable"
    if status in TRANSIENT_STATUS or name in _TRANSIENT_NAMES:
        return "transient"
    return "bad_request"  # 400, 422, unknown provider, unsupported parameter, anything else


def provider_message(exc: BaseException, secrets: tuple[str, ...] = ()) -> str:
    """The provider's own message in one line, without litellm's prefixes or a traceback."""
    text = str(exc).strip() or type(exc).__name__
    line = text.splitlines()[0]
    # "litellm.AuthenticationError: AuthenticationError: OpenAIException - Incorrect API key"
    line = re.sub(r"^(litellm\.\w+:\s*)?(\w+Error:\s*)?(\w+Exception\s*-\s*)?", "", line)
    line = redact(line, secrets) or type(exc).__name__
    return line[:300]


# ----- secrets never leave the process ---------------------------------------------------------

_KEYLIKE = re.compile(r"(sk-[A-Za-z0-9_\-]{6,}|Bearer\s+[A-Za-z0-9_\-.]{6,})")


def redact(text: str | None, secrets: tuple[str, ...] = ()) -> str | None:
    """Remove API keys (given ones, provider env vars, key-shaped tokens) from text we store."""
    if not text:
        return text
    for secret in (*secrets, *_env_secrets()):
        if secret:
            text = text.replace(secret, "***")
    return _KEYLIKE.sub("***", text)


_ENV_SEEN: dict[Any, Any] | None = None
_ENV_SECRETS: tuple[str, ...] = ()


def _env_secrets() -> tuple[str, ...]:
    """Secret-named environment values, read again only when the environment has changed.

    Decoding every variable cost ~0.25 ms a call; comparing the raw environment with the copy
    taken last time is one C-level dict comparison (a changed value or a new key is seen).
    """
    global _ENV_SEEN, _ENV_SECRETS
    raw = getattr(os.environ, "_data", None)  # CPython's raw mapping behind os.environ
    if raw is None or raw != _ENV_SEEN:
        _ENV_SECRETS = tuple(
            v
            for k, v in os.environ.items()
            if len(v) >= 6 and ("KEY" in k or "TOKEN" in k or "SECRET" in k)
        )
        _ENV_SEEN = dict(raw) if raw is not None else None
    return _ENV_SECRETS


# ----- options ----------------------------------------------------------------------------------


class TransportOptions(BaseModel):
    """How requests are made: endpoint, budgets, limits, structured output, circuit breaker."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    api_base: str | None = None
    api_key: SecretStr | None = Field(None, description="else litellm reads the provider env var")
    temperature: float = Field(0.7, ge=0, le=2)
    max_tokens: int = Field(400, ge=16)
    timeout: float = Field(60.0, gt=0, description="seconds per request")
    max_retries: int = Field(3, ge=0, description="retries of transient errors per request")
    max_reprompts: int = Field(2, ge=0, description="re-asks after an unusable answer")
    retry_backoff_s: float = Field(1.0, ge=0, description="first backoff; doubles per retry")
    retry_backoff_max_s: float = Field(30.0, ge=0)
    concurrency: int = Field(16, ge=1, description="requests in flight, all models together")
    model_concurrency: int | None = Field(None, ge=1, description="default per-model limit")
    per_model: dict[str, int] = Field(default_factory=dict, description="model -> limit")
    structured: Literal["auto", "json_schema", "json_object", "prompt"] = "auto"
    max_chars: dict[str, int] = Field(
        default_factory=lambda: {"speech": 400, "reasoning": 400},
        validation_alias=AliasChoices("max_chars", "local_max_chars"),
        # A grammar cannot stop a string at a token count, only at a length: capped strings
        # make every answer close its JSON within the max_tokens sized from the schema.
        description="string caps in the schema sent to grammar-backed servers (local, api_base)",
    )
    gguf: str | None = Field(None, description="GGUF file for local/ models")
    breaker_failures: int = Field(
        3, ge=1, description="consecutive errors retrying cannot fix before a model is stopped"
    )
    breaker_turns: int = Field(
        5, ge=1, description="consecutive turns with every attempt failed before it is stopped"
    )
    mock_response: str | None = Field(None, description="litellm's offline canned answer (tests)")
    # litellm by default (the stack the lab promises); "direct" is an opt-in fast path.
    client: Literal["litellm", "direct"] = Field(
        "litellm",
        description="litellm: every request through litellm.acompletion; direct: "
        "OpenAI-compatible servers (api_base, local/) get the body litellm would send over one "
        "pooled HTTP client, priced from litellm's list (~1 ms of CPU a call instead of ~6)",
    )

    @property
    def key(self) -> str | None:
        """The API key in clear (for litellm only)."""
        return self.api_key.get_secret_value() if self.api_key else None


# ----- per-model health: counters, structured mode, circuit breaker ------------------------------


@dataclass
class Health:
    """One model's counters, current structured-output mode and circuit breaker."""

    model: str
    modes: tuple[Mode, ...]
    failures_limit: int = 3
    turns_limit: int = 5
    mode_index: int = 0
    consecutive_fatal: int = 0
    failed_turns: int = 0
    open_reason: str | None = None  # set once the breaker opens: the one line to print
    last_error: str = ""  # the provider's last message, for a breaker opened by failed turns
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def mode(self) -> Mode:
        """The structured-output mode requests use now."""
        return self.modes[min(self.mode_index, len(self.modes) - 1)] if self.modes else "prompt"

    def count(self, what: str, n: int = 1) -> None:
        """Add to a named counter (calls, errors by kind, reasks, fallbacks, turns …)."""
        self.counts[what] = self.counts.get(what, 0) + n

    def downgrade(self, rejected: Mode) -> Mode | None:
        """Move past a rejected mode; the next one, or None when none is left."""
        if self.mode == rejected and self.mode_index + 1 < len(self.modes):
            self.mode_index += 1
            self.count("mode_fallbacks")
        return self.mode if self.mode != rejected else None

    def answered(self) -> None:
        """A reply came back (usable or not): the provider works."""
        self.consecutive_fatal = 0

    def failed(self, kind: str, message: str) -> None:
        """Count an error; open the breaker after `failures_limit` unfixable ones in a row."""
        self.count("errors")
        self.count("errors:" + kind)
        self.last_error = message
        if kind in FATAL:
            self.consecutive_fatal += 1
            if self.consecutive_fatal >= self.failures_limit:
                self.trip(message)

    def turn_done(self, answered: bool, fallback: bool = False) -> None:
        """End of a turn; open the breaker after `turns_limit` turns with no reply at all."""
        self.count("turns")
        if fallback:
            self.count("fallbacks")
        if answered:
            self.failed_turns = 0
            return
        self.failed_turns += 1
        if self.failed_turns >= self.turns_limit:
            self.trip(f"no reply in {self.failed_turns} turns in a row: {self.last_error}")

    def trip(self, message: str) -> None:
        """Open the breaker (first reason wins)."""
        if self.open_reason is None:
            self.open_reason = f"{self.model}: {message}"

    def check(self) -> None:
        """Raise ProviderError if the breaker is open."""
        if self.open_reason is not None:
            raise ProviderError(self.open_reason)

    def summary(self) -> dict[str, Any]:
        """Counters, mode and breaker state, for a run summary."""
        return {"model": self.model, "mode": self.mode, "stopped": self.open_reason, **self.counts}


# ----- reading a reply ---------------------------------------------------------------------


class InvalidResponse(ValueError):
    """A reply came back but holds no readable answer text (re-asked like a bad answer)."""


def read_response(response: Any) -> tuple[str, str | None]:
    """(answer text, finish_reason) of a chat completion, or InvalidResponse saying what is off."""
    choices = getattr(response, "choices", None)
    if not isinstance(choices, list | tuple) or not choices:
        raise InvalidResponse("the response had no choices")
    choice = choices[0]
    finish = getattr(choice, "finish_reason", None)
    message = getattr(choice, "message", None)
    if message is None:
        raise InvalidResponse("the response's choice had no message")
    content = getattr(message, "content", None)
    if content is None:
        # Some providers answer a schema through a tool call instead of the content.
        for call in getattr(message, "tool_calls", None) or []:
            arguments = getattr(getattr(call, "function", None), "arguments", None)
            if isinstance(arguments, str) and arguments.strip():
                return arguments, finish
        raise InvalidResponse("the response had no content (null)")
    if isinstance(content, list):  # content parts: keep the text ones
        parts = [
            p.get("text") if isinstance(p, dict) else getattr(p, "text", None) for p in content
        ]
        content = "".join(p for p in parts if isinstance(p, str))
    if not isinstance(content, str):
        raise InvalidResponse(f"the response content was {type(content).__name__}, not text")
    if not content.strip():
        raise InvalidResponse("the answer was empty")
    return content, finish


# ----- the request -------------------------------------------------------------------------


@dataclass
class Reply:
    """What one request ended with: text, a reply to re-ask, or a failure (with its kind)."""

    text: str | None = None
    problem: str | None = None  # a reply came back unusable: re-ask with this message
    finish_reason: str | None = None
    mode: Mode | None = None
    error_kind: ErrorKind | None = None  # the last error, when the request gave up
    error: str | None = None  # its provider message, one line

    @property
    def answered(self) -> bool:
        """Whether the server sent any reply (readable or not)."""
        return self.text is not None or self.problem is not None


def response_format(
    mode: Mode, answer: type[BaseModel] | None, provider: Provider, opts: TransportOptions
) -> dict[str, Any] | None:
    """The response_format a mode sends for an answer model (None: prompt mode)."""
    fmt = _format_for(mode, answer, provider, opts)
    return fmt.value if fmt is not None else None


@dataclass(frozen=True)
class _Format:
    """A response_format, its JSON text and the token bound of its schema (made once)."""

    value: dict[str, Any]  # shared: never handed to code that may rewrite it
    text: str
    bound: int


def _format_for(
    mode: Mode, answer: type[BaseModel] | None, provider: Provider, opts: TransportOptions
) -> _Format | None:
    if answer is None or mode == "prompt":
        return None
    caps = tuple(sorted(opts.max_chars.items())) if provider.length_caps else None
    return _format(mode, answer, caps)


@lru_cache(maxsize=4096)
def _format(
    mode: Mode, answer: type[BaseModel], caps: tuple[tuple[str, int], ...] | None
) -> _Format:
    # Per answer model (cached per turn shape) and caps: the schema, its text and its bound
    # are computed once, not per call.
    schema = json_schema(answer, dict(caps) if caps is not None else None)
    if mode == "json_schema":
        # Strict mode for hosted providers (they reject length keywords, so none are sent);
        # servers get the caps and a non-strict schema their grammar engine can use.
        strict = caps is None
        value = {
            "type": "json_schema",
            "json_schema": {"name": "answer", "schema": schema, "strict": strict},
        }
    else:
        value = {"type": "json_object", "schema": schema}  # llama.cpp makes it a grammar
    return _Format(value, json.dumps(value), answer_token_bound(schema))


def _litellm() -> Any:
    import litellm  # slow import (~5 s): only LLM code paths pay it

    litellm.suppress_debug_info = True
    litellm.telemetry = False
    return litellm


async def request(
    session: LLMSession,
    provider: Provider,
    messages: list[dict[str, Any]],
    answer: type[BaseModel] | None,
    opts: TransportOptions,
    calls: list[CallRecord],
    rng: random.Random | None = None,
    *,
    mock_response: str | None = None,
    deadline: float | None = None,
) -> Reply:
    """One request: retries, mode fallback and reply reading; every attempt appended to `calls`.

    Raises ProviderError once the model's circuit breaker is open (before or after an attempt).
    `deadline` (a `time.monotonic()` value) bounds the whole request, retries included.
    """
    health = session.health(provider, opts)
    health.check()
    endpoint = await session.endpoint(provider, opts)
    litellm = _litellm()
    every, mine = session.limits(provider.spec, opts, endpoint.concurrency)
    key = endpoint.api_key
    retry = 0
    while True:
        health.check()
        mode = health.mode
        fmt = _format_for(mode, answer, endpoint, opts)
        max_tokens = opts.max_tokens
        if fmt is not None and endpoint.length_caps:
            # Room for the longest answer the capped schema allows: the JSON always closes.
            max_tokens = max(max_tokens, fmt.bound)
        timeout = opts.timeout
        if deadline is not None:
            timeout = max(0.1, min(timeout, deadline - time.monotonic()))
        kwargs: dict[str, Any] = {
            "model": endpoint.litellm_model,
            "messages": messages,
            "temperature": opts.temperature,
            "max_tokens": max_tokens,
            "timeout": timeout,
            "max_retries": 0,  # our loop retries, so that every attempt is logged
            "num_retries": 0,
            "drop_params": True,  # providers that reject a parameter ignore it instead
        }
        if endpoint.api_base:
            kwargs["api_base"] = endpoint.api_base
        if key:
            kwargs["api_key"] = key
        mock = mock_response if mock_response is not None else opts.mock_response
        direct_call = endpoint.direct and mock is None
        if fmt is not None:
            # The cached format is shared: litellm gets a fresh one (from its text, ~20 times
            # cheaper than a deepcopy) that it may rewrite; the direct client sends the text.
            kwargs["response_format"] = fmt.value if direct_call else json.loads(fmt.text)
        if mock is not None:
            kwargs["mock_response"] = mock
        record = CallRecord(
            model=provider.spec,
            messages=[dict(m) for m in messages],
            attempt=len(calls) + 1,
            mode=mode,
        )
        async with every, mine:
            health.check()  # queued behind the limits while the breaker opened: not sent
            calls.append(record)
            health.count("calls")
            start = time.perf_counter()
            try:
                if direct_call:
                    call = direct(session, endpoint, kwargs, fmt.text if fmt else None)
                else:
                    call = litellm.acompletion(**kwargs)
                # A second deadline in case a client ignores its own timeout.
                response = await asyncio.wait_for(call, timeout + 5)
            except Exception as exc:
                record.latency_s = round(time.perf_counter() - start, 4)
                kind = classify(exc)
                message = provider_message(exc, (key or "",))
                record.error = (redact(f"{type(exc).__name__}: {exc}", (key or "",)) or "")[:4000]
            else:
                record.latency_s = round(time.perf_counter() - start, 4)
                health.answered()
                _usage(record, response, session)
                try:
                    text, finish = read_response(response)
                except InvalidResponse as bad:
                    record.error = f"invalid answer: {bad}"
                    health.count("invalid_responses")
                    return Reply(problem=str(bad), mode=mode)
                record.response = redact(text, (key or "",))
                return Reply(text=record.response, finish_reason=finish, mode=mode)
        last = Reply(mode=mode, error_kind=kind, error=message)
        if kind == "invalid_response":
            message = "the response could not be read (no message, or a field of the wrong type)"
            health.answered()
            health.count("invalid_responses")
            record.error = f"invalid answer: {message}"
            return Reply(problem=message, mode=mode)
        if kind == "format_rejected":
            nxt = health.downgrade(mode)
            if nxt is not None:
                record.error = f"{record.error} [structured mode {mode} rejected: now {nxt}]"
                continue  # the same request again in the next mode: no retry spent
            kind = last.error_kind = "bad_request"
        if kind == "unreachable" and provider.is_local:
            died = session.local_exit(provider)
            if died:
                health.trip(died)
        health.failed(kind, message)
        health.check()
        if kind in FATAL or retry >= opts.max_retries:
            return last
        backoff = min(opts.retry_backoff_max_s, opts.retry_backoff_s * 2**retry)
        backoff *= 0.5 + (rng or _JITTER).random()  # jitter spreads retries
        if deadline is not None and time.monotonic() + backoff >= deadline:
            return last
        retry += 1
        await asyncio.sleep(backoff)


_JITTER = random.Random()  # callers without an rng of their own share this one


def _usage(record: CallRecord, response: Any, session: LLMSession) -> None:
    if isinstance(response, DirectResponse):
        record.prompt_tokens = response.prompt_tokens
        record.completion_tokens = response.completion_tokens
        record.cost = session.cost(response.model, record.prompt_tokens, record.completion_tokens)
        return
    usage = getattr(response, "usage", None)
    if usage is not None:
        record.prompt_tokens = getattr(usage, "prompt_tokens", None)
        record.completion_tokens = getattr(usage, "completion_tokens", None)
    hidden = getattr(response, "_hidden_params", None) or {}
    cost = hidden.get("response_cost")
    record.cost = float(cost) if isinstance(cost, int | float) else None


# ----- the direct client ------------------------------------------------------------------------


class APIError(Exception):
    """A server's non-2xx answer to a direct request: its status and its own message.

    The subclasses carry litellm's exception names, so that an `LLMCall.error` reads the
    same whichever client made the call.
    """

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code


class BadRequestError(APIError):
    """400, 422 and other refusals of the request as such."""


class AuthenticationError(APIError):
    """401."""


class PermissionDeniedError(APIError):
    """403."""


class NotFoundError(APIError):
    """404."""


class RateLimitError(APIError):
    """429."""


class InternalServerError(APIError):
    """5xx."""


class APIConnectionError(ConnectionError):
    """No answer at all: refused, reset or dropped connection."""


class Timeout(TimeoutError):
    """No answer within the request's timeout."""


_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    422: BadRequestError,
    429: RateLimitError,
}


@dataclass
class DirectResponse:
    """A direct request's reply, in the shape `read_response` reads (attributes, like litellm's)."""

    model: str  # the litellm model it is priced as
    choices: list[Any]
    prompt_tokens: int | None
    completion_tokens: int | None


async def direct(
    session: LLMSession,
    provider: Provider,
    kwargs: dict[str, Any],
    format_text: str | None = None,
) -> Any:
    """POST the OpenAI chat body litellm would send, over the session's pooled HTTP client.

    litellm.acompletion spends ~4 ms of CPU a call on logging objects, callbacks, its cost
    calculator and two response conversions; this is ~0.3 ms. Only providers `resolve` marked
    `direct` come here: OpenAI-compatible servers whose parameters litellm sends unchanged.
    Errors keep litellm's shape for `classify`: a status code and the server's message.
    `format_text` is `json.dumps(kwargs["response_format"])`, when the caller has it made.
    A proxy comes from HTTP(S)_PROXY / NO_PROXY, read once per URL by `session.proxy`.
    """
    import aiohttp

    body = {
        "model": provider.litellm_model.removeprefix("openai/"),
        "messages": kwargs["messages"],
        "temperature": kwargs["temperature"],
        "max_tokens": kwargs["max_tokens"],
    }
    data = json.dumps(body)
    if "response_format" in kwargs:
        # The same bytes as json.dumps of the whole body: the format's text is made once.
        text = format_text or json.dumps(kwargs["response_format"])
        data = f'{data[:-1]}, "response_format": {text}}}'
    headers = {"Content-Type": "application/json"}
    if kwargs.get("api_key"):
        headers["Authorization"] = "Bearer " + kwargs["api_key"]
    url = (provider.api_base or "").rstrip("/") + "/chat/completions"
    timeout = aiohttp.ClientTimeout(total=kwargs["timeout"])
    http = await session.http()
    proxy, proxy_auth = session.proxy(url)
    try:
        async with http.post(
            url,
            data=data,
            headers=headers,
            timeout=timeout,
            proxy=proxy,
            proxy_auth=proxy_auth,
        ) as r:
            raw = await r.read()
            status = r.status
    except TimeoutError:
        raise Timeout(f"Request timed out after {kwargs['timeout']:g} s") from None
    except aiohttp.ClientError as exc:
        raise APIConnectionError(f"Connection error: {exc}") from None
    try:
        reply = json.loads(raw)
    except ValueError:
        reply = None
    if status >= 400:
        error = _BY_STATUS.get(status, InternalServerError if status >= 500 else BadRequestError)
        raise error(status, _error_text(status, reply, raw))
    return _direct_response(provider.litellm_model, reply)


def _error_text(status: int, data: Any, raw: bytes) -> str:
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, dict):
        message = str(error.get("message") or "")
        extra = " ".join(str(error[k]) for k in ("type", "code") if error.get(k))
        return f"{message} ({extra})" if extra else message or f"HTTP {status}"
    if isinstance(error, str):
        return error
    return raw.decode("utf-8", "replace")[:2000] or f"HTTP {status}"


def _direct_response(model: str, data: Any) -> DirectResponse:
    # litellm refuses the same broken shapes with "Invalid response object": so do we, so that
    # `classify` re-asks them alike on both paths.
    bad = "Invalid response object: "
    if not isinstance(data, dict):
        raise InvalidResponse(bad + "the body is not a JSON object")
    choices = data.get("choices")
    if not isinstance(choices, list):
        raise InvalidResponse(bad + "no choices list")
    read: list[Any] = []
    for choice in choices:
        message = choice.get("message") if isinstance(choice, dict) else None
        if not isinstance(message, dict):
            raise InvalidResponse(bad + "a choice has no message")
        content = message.get("content")
        if content is not None and not isinstance(content, str | list):
            raise InvalidResponse(bad + f"content is {type(content).__name__}")
        calls = [
            _Obj(function=_Obj(arguments=(c.get("function") or {}).get("arguments")))
            for c in message.get("tool_calls") or []
            if isinstance(c, dict)
        ]
        reply = _Obj(content=content, tool_calls=calls or None)
        read.append(_Obj(message=reply, finish_reason=choice.get("finish_reason")))
    usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
    tokens = _int(usage.get("prompt_tokens")), _int(usage.get("completion_tokens"))
    return DirectResponse(model, read, *tokens)


class _Obj:
    """Attribute access over a few fields (what `read_response` reads)."""

    def __init__(self, **fields: Any) -> None:
        self.__dict__.update(fields)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


__all__ = [
    "FATAL",
    "ErrorKind",
    "Health",
    "InvalidResponse",
    "Reply",
    "TransportOptions",
    "classify",
    "direct",
    "provider_message",
    "read_response",
    "redact",
    "request",
]
