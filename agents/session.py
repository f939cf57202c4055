"""What LLM players share during one run: request limits, local servers, circuit breakers.

A session is owned by the run that opens it (never a process-wide global): its semaphores
bound the requests in flight, its local llama.cpp servers are started once and stopped when
the run ends, and its preflight refuses a model that cannot answer before any game starts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agents.llm import LLMAgent, LLMOptions
    from agents.local_server import LocalServer


class ProviderError(RuntimeError):
    """A model cannot be used (no key, unknown model, unreachable server); one line, named."""


class LLMSession:
    """Limits, local servers and provider health for the LLM players of one run."""

    def __init__(self, concurrency: int = 16) -> None:
        self.concurrency = concurrency
        self._semaphores: dict[str, asyncio.Semaphore] = {}
        self._servers: dict[str, LocalServer] = {}

    def agent(self, spec: str, seed: int | None, options: dict[str, Any]) -> LLMAgent:
        """An LLM player for `spec` that uses this session's limits and servers."""
        from agents.llm import LLMAgent  # litellm is slow to import: only when a model is asked

        return LLMAgent(spec, seed=seed, session=self, **options)

    async def preflight(self, contestants: Sequence[tuple[str, dict[str, Any]]]) -> None:
        """Check each model answers at all before any game starts; raise ProviderError if not."""

    def limits(
        self, model: str, options: LLMOptions
    ) -> tuple[asyncio.Semaphore, asyncio.Semaphore]:
        """The session-wide and the per-model semaphore (sized by the first asker)."""
        every = self._semaphores.setdefault("*", asyncio.Semaphore(self.concurrency))
        default = 1 if model.startswith("local/") else options.model_concurrency
        size = options.per_model.get(model, default or options.concurrency)
        return every, self._semaphores.setdefault("model:" + model, asyncio.Semaphore(size))

    def server(self, model: str, gguf: str | None = None) -> LocalServer:
        """The running llama.cpp server for a `local/...` model, started on first use."""
        from agents.local_server import LocalServer, gguf_for

        path = gguf_for(model, gguf).resolve()
        server = self._servers.get(str(path))
        if server is None or server.process is None or server.process.poll() is not None:
            server = LocalServer(path).start()
            self._servers[str(path)] = server
        return server

    def close(self) -> None:
        """Stop every server this session started."""
        for server in self._servers.values():
            server.stop()
        self._servers.clear()

    async def __aenter__(self) -> LLMSession:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()
