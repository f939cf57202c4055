"""What LLM players share during one run: request limits, local servers, circuit breakers.

A session is owned by the run that opens it (never a process-wide global): its semaphores
bound the requests in flight, its local llama.cpp servers are started once and stopped when
the run ends, its preflight refuses a model that cannot answer before any game starts, and its
per-model `Health` (counters, structured-output mode, circuit breaker) stops a model whose
errors no retry can fix, instead of letting games finish on fallbacks.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from agents.base import CallRecord
from agents.providers import Mode, Provider, ProviderError, resolve

if TYPE_CHECKING:
    from collections.abc import AsyncGenerator

    import aiohttp

    from agents.llm import LLMAgent
    from agents.local_server import LocalServer
    from agents.transport import Health, TransportOptions

__all__ = ["LLMSession", "PreflightResult", "ProviderError"]

PREFLIGHT_BUDGET_S = 10.0
# llama.cpp's servers name themselves in GET /models: llama-cpp-python says "me", llama-server
# "llamacpp". Both compute one request at a time, so more in flight only queue up to time out.
LLAMA_CPP_OWNERS = frozenset({"me", "llamacpp"})


class Ready(BaseModel):
    """The preflight's answer: any reply at all proves the path works."""

    ok: bool


PREFLIGHT_MESSAGES = [
    {"role": "system", "content": "You answer connection checks."},
    {"role": "user", "content": 'Reply with the JSON object {"ok": true} and nothing else.'},
]


@dataclass
class PreflightResult:
    """One model's preflight: how long it took, the mode it settled on, the attempts made."""

    model: str
    seconds: float
    mode: Mode
    calls: list[CallRecord] = field(default_factory=list)


class LLMSession:
    """Limits, local servers and provider health for the LLM players of one run."""

    def __init__(self, concurrency: int = 16) -> None:
        self.concurrency = concurrency
        self._semaphores: dict[str, asyncio.Semaphore] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._servers: dict[str, LocalServer] = {}
        self._server_lock = threading.Lock()
        self._endpoints: dict[str, Provider] = {}
        self._endpoint_locks: dict[str, asyncio.Lock] = {}
        self._health: dict[str, Health] = {}
        self._http: aiohttp.ClientSession | None = None
        self._pool: AsyncGenerator[aiohttp.ClientSession, None] | None = None
        self._prices: dict[str, tuple[float, float] | None] = {}
        self._proxies: dict[str, tuple[str | None, aiohttp.BasicAuth | None]] = {}

    # ----- agents -----------------------------------------------------------------------------
    def agent(self, spec: str, seed: int | None, options: dict[str, Any]) -> LLMAgent:
        """An LLM player for `spec` that uses this session's limits and servers."""
        from agents.llm import LLMAgent  # litellm is slow to import: only when a model is asked

        return LLMAgent(spec, seed=seed, session=self, **options)

    # ----- health -----------------------------------------------------------------------------
    def health(self, provider: Provider, options: TransportOptions) -> Health:
        """The per-model counters, mode and breaker (created by the first asker)."""
        from agents.transport import Health

        health = self._health.get(provider.spec)
        if health is None:
            health = Health(
                provider.spec,
                provider.modes,
                failures_limit=options.breaker_failures,
                turns_limit=options.breaker_turns,
            )
            self._health[provider.spec] = health
        return health

    def turn_done(self, model: str, answered: bool, fallback: bool = False) -> None:
        """Tell a model's breaker whether a turn got any reply (it may open; see `check`)."""
        health = self._health.get(model)
        if health is not None:
            health.turn_done(answered, fallback)

    def check(self, model: str) -> None:
        """Raise ProviderError if this model's circuit breaker is open."""
        health = self._health.get(model)
        if health is not None:
            health.check()

    @property
    def modes(self) -> dict[str, Mode]:
        """Model -> the structured-output mode it ended up in."""
        return {m: h.mode for m, h in self._health.items()}

    @property
    def stopped(self) -> dict[str, str]:
        """Model -> the one-line reason its breaker opened (only models that were stopped)."""
        return {m: h.open_reason for m, h in self._health.items() if h.open_reason}

    def summary(self) -> list[dict[str, Any]]:
        """Per model: mode, breaker state and counters (calls, errors by kind, reasks …)."""
        return [h.summary() for h in self._health.values()]

    # ----- limits -----------------------------------------------------------------------------
    def limits(
        self, model: str, options: TransportOptions, default: int | None = None
    ) -> tuple[asyncio.Semaphore, asyncio.Semaphore]:
        """The session-wide and the per-model semaphore (sized by the first asker).

        Per-model size: `per_model[model]`, else `model_concurrency`, else the provider's
        default (`default`: 1 for llama.cpp), else `concurrency`.
        """
        self._bind_loop()
        every = self._semaphores.get("*")
        if every is None:
            every = self._semaphores["*"] = asyncio.Semaphore(self.concurrency)
        mine = self._semaphores.get("model:" + model)
        if mine is None:
            size = (
                options.per_model.get(model)
                or options.model_concurrency
                or default
                or options.concurrency
            )
            mine = self._semaphores["model:" + model] = asyncio.Semaphore(size)
        return every, mine

    def _bind_loop(self) -> None:
        # Semaphores and locks belong to one event loop; a session reused by a later
        # asyncio.run (the judge, a notebook) gets fresh ones.
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            self._http = self._pool = None  # the old loop closed its pool as it shut down
            self._loop, self._semaphores, self._endpoint_locks = loop, {}, {}

    # ----- the direct client's HTTP pool and prices ---------------------------------------
    async def http(self) -> aiohttp.ClientSession:
        """The pooled HTTP client of direct requests (one per event loop, connections kept)."""
        self._bind_loop()
        if self._http is None or self._http.closed:
            self._pool = _http_pool()
            self._http = await anext(self._pool)
        return self._http

    def proxy(self, url: str) -> tuple[str | None, aiohttp.BasicAuth | None]:
        """(proxy URL, its credentials) for a direct request to `url`, from the environment.

        HTTP_PROXY / HTTPS_PROXY / NO_PROXY are read once per URL and run (aiohttp's
        `trust_env` read them, and ~/.netrc, on a worker thread for every request). Like
        aiohttp, an https:// proxy is not supported and is ignored; ~/.netrc is not read.
        """
        found = self._proxies.get(url)
        if found is None:
            found = self._proxies[url] = _proxy_for(url)
        return found

    def cost(self, model: str, prompt: int | None, completion: int | None) -> float | None:
        """A call's cost in USD from litellm's price list (None when litellm has no price)."""
        if model not in self._prices:
            self._prices[model] = _prices(model)  # looked up once per model and run
        prices = self._prices[model]
        if prices is None or (prompt is None and completion is None):
            return None
        return (prompt or 0) * prices[0] + (completion or 0) * prices[1]

    def _close_http(self) -> None:
        # The pool is an async generator: the loop that made it closes it when it shuts down
        # (asyncio.run does), even for one-off sessions nobody closes. While that loop runs
        # it is kept, or the generator would be collected and never finish closing.
        if self._loop is None or not self._loop.is_running():
            self._http = self._pool = None

    # ----- endpoints and local servers ----------------------------------------------------------
    async def endpoint(self, provider: Provider, options: TransportOptions) -> Provider:
        """Where requests for a provider go: a local server is started, a server is probed."""
        done = self._endpoints.get(provider.spec)
        if done is not None:
            return done
        self._bind_loop()
        lock = self._endpoint_locks.setdefault(provider.spec, asyncio.Lock())
        async with lock:
            done = self._endpoints.get(provider.spec)
            if done is not None:
                return done
            if provider.is_local:
                from agents.local_server import LocalModelError

                try:
                    server = await asyncio.to_thread(self.server, provider.spec, options.gguf)
                except LocalModelError as exc:
                    raise ProviderError(f"{provider.spec}: {exc}".splitlines()[0]) from None
                done = provider.served_at(server.api_base)
            elif provider.kind == "server" and provider.concurrency is None:
                owners = await asyncio.to_thread(_model_owners, provider.api_base or "")
                if owners & LLAMA_CPP_OWNERS:
                    done = replace(provider, concurrency=1)
            self._endpoints[provider.spec] = done or provider
            return self._endpoints[provider.spec]

    def server(self, model: str, gguf: str | None = None) -> LocalServer:
        """The running llama.cpp server for a `local/...` model, started on first use."""
        from agents.local_server import LocalServer, gguf_for

        path = gguf_for(model, gguf).resolve()
        with self._server_lock:
            server = self._servers.get(str(path))
            if server is None or server.process is None:
                server = LocalServer(path).start()
                self._servers[str(path)] = server
            return server

    @property
    def servers(self) -> list[LocalServer]:
        """The local servers this session started (running or dead)."""
        return list(self._servers.values())

    def local_exit(self, provider: Provider) -> str | None:
        """One line naming the exit status if this local model's server has died, else None."""
        if provider.gguf is None:
            return None
        server = self._servers.get(str(provider.gguf.resolve()))
        return server.exit_message() if server is not None else None

    # ----- preflight -----------------------------------------------------------------------------
    async def preflight(
        self,
        contestants: Sequence[tuple[str, dict[str, Any]]],
        budget_s: float = PREFLIGHT_BUDGET_S,
    ) -> list[PreflightResult]:
        """One small real request per distinct model, before any game; ProviderError if one fails.

        Same path and options as play (local servers are started here, structured-output
        modes negotiated). Transient errors are retried briefly; the requests are bounded by
        `budget_s` (local models: by their timeout, as a CPU may be slow to answer).
        """
        from agents.llm import LLMOptions

        todo: dict[tuple[str, str | None], tuple[Provider, LLMOptions]] = {}
        for spec, raw in contestants:
            try:
                options = LLMOptions(**raw)
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"])
                raise ProviderError(f"{spec}: option {where}: {first['msg']}") from None
            provider = resolve(spec, options)
            if provider.is_llm:
                todo.setdefault((spec, options.api_base), (provider, options))
        results = await asyncio.gather(
            *(self._preflight_one(p, o, budget_s) for p, o in todo.values()),
            return_exceptions=True,
        )
        failed = [r for r in results if isinstance(r, BaseException)]
        if failed:
            first = failed[0]
            if not isinstance(first, ProviderError):
                raise first
            more = f" (and {len(failed) - 1} more model(s) failed)" if len(failed) > 1 else ""
            raise ProviderError(f"{first}{more}")
        return [r for r in results if isinstance(r, PreflightResult)]

    async def _preflight_one(
        self, provider: Provider, options: TransportOptions, budget_s: float
    ) -> PreflightResult:
        from agents.transport import FATAL, request

        await self.endpoint(provider, options)  # a local server's start is not in the budget
        start = time.monotonic()
        budget = max(budget_s, options.timeout) if provider.is_local else budget_s
        deadline = start + budget
        calls: list[CallRecord] = []
        backoff = 0.25
        while True:
            reply = await request(
                self,
                provider,
                PREFLIGHT_MESSAGES,
                Ready,
                options.model_copy(update={"max_retries": 0}),
                calls,
                deadline=deadline,
            )
            if reply.answered:
                mode = reply.mode or "prompt"
                return PreflightResult(provider.spec, time.monotonic() - start, mode, calls)
            if reply.error_kind in FATAL:
                raise ProviderError(f"{provider.spec}: {reply.error}")
            if time.monotonic() + backoff >= deadline:
                raise ProviderError(
                    f"{provider.spec}: no answer within {budget:.0f} s ({reply.error})"
                )
            await asyncio.sleep(backoff)
            backoff *= 2

    # ----- lifetime -----------------------------------------------------------------------------
    def close(self) -> None:
        """Stop every server this session started."""
        self._close_http()
        for server in self._servers.values():
            server.stop()
        self._servers.clear()
        self._endpoints.clear()

    async def __aenter__(self) -> LLMSession:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()


async def _http_pool() -> AsyncGenerator[aiohttp.ClientSession, None]:
    """One aiohttp session, closed when its event loop finalises this generator."""
    import aiohttp

    # No connection cap of its own: the session's semaphores bound what is in flight.
    connector = aiohttp.TCPConnector(limit=0, ttl_dns_cache=300)
    # trust_env off: `LLMSession.proxy` reads the proxy settings once per URL instead.
    http = aiohttp.ClientSession(connector=connector, trust_env=False)
    try:
        while True:
            yield http
    finally:
        await http.close()


def _proxy_for(url: str) -> tuple[str | None, aiohttp.BasicAuth | None]:
    """The environment's proxy for a URL as aiohttp's `trust_env` chose it (netrc aside)."""
    import aiohttp
    from yarl import URL

    target = URL(url)
    if target.host is not None and urllib.request.proxy_bypass(target.host):
        return None, None
    proxy = urllib.request.getproxies().get(target.scheme)
    if not proxy:
        return None, None
    parsed = URL(proxy)
    if parsed.scheme not in ("http", "ws"):
        return None, None  # aiohttp cannot talk to an https:// proxy (it warns and ignores it)
    auth = aiohttp.BasicAuth(parsed.user, parsed.password or "") if parsed.user else None
    return str(parsed.with_user(None)), auth


def _prices(model: str) -> tuple[float, float] | None:
    """(input, output) USD per token for a litellm model name, or None if litellm has none."""
    from agents.transport import _litellm

    try:
        info = _litellm().get_model_info(model=model)
    except Exception:  # litellm raises for a name it does not price, as its cost is None then
        return None
    tokens_in, tokens_out = info.get("input_cost_per_token"), info.get("output_cost_per_token")
    if tokens_in is None and tokens_out is None:
        return None
    return float(tokens_in or 0.0), float(tokens_out or 0.0)


def _model_owners(api_base: str) -> set[str]:
    """The `owned_by` values a server's GET /models lists (empty when it says nothing)."""
    try:
        with urllib.request.urlopen(api_base.rstrip("/") + "/models", timeout=2) as r:
            data = json.loads(r.read(65536))
        return {str(m.get("owned_by")) for m in data.get("data", []) if isinstance(m, dict)}
    except Exception:  # any server, any answer: this is only a hint
        return set()
