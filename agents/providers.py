"""Where a model spec goes: one function from a spec + options to what the transport needs.

Every question "is this a local model, a scripted kind, an OpenAI-compatible server, a hosted
provider?" is answered here and nowhere else. A `local/` model is a provider like the others:
a llama.cpp server on loopback (started by the session) with a grammar-backed structured mode
and one request at a time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

Mode = Literal["json_schema", "json_object", "prompt"]
MODES: tuple[Mode, ...] = ("json_schema", "json_object", "prompt")
Kind = Literal["scripted", "local", "server", "hosted"]

LOCAL_PREFIX = "local/"
LOCAL_ALIAS = "local"  # the model name a local llama.cpp server answers to
SCRIPTED_KINDS = (
    "scripted", "random", "honest", "deceptive", "oversight", "marker", "listener"
)  # fmt: skip
NO_KEY = "sk-no-key"  # OpenAI-compatible servers want some key, even when they check none

# litellm fetches a price list from the internet at import unless told to use its bundled copy;
# set before any module of ours imports it.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")


class ProviderError(RuntimeError):
    """A model cannot be used (no key, unknown model, unreachable server); one line, named."""


@dataclass(frozen=True)
class Provider:
    """What the transport needs for one model spec (the key stays out of repr and logs)."""

    spec: str  # as written by the user: the name stored on every row
    kind: Kind
    litellm_model: str = ""  # what litellm is asked for
    provider: str = ""  # litellm's provider name (openai, anthropic, ollama, local …)
    api_base: str | None = None
    api_key: str | None = None  # None: litellm reads the provider's environment variable
    concurrency: int | None = None  # default per-model limit; None: the options decide
    modes: tuple[Mode, ...] = ()  # structured-output modes to try, best first
    length_caps: bool = False  # a grammar-backed server: string caps and a sized max_tokens
    gguf: Path | None = None  # the file a local server serves
    # An OpenAI-compatible server called over the session's pooled HTTP client instead of
    # litellm.acompletion, whose per-call machinery costs ~5 ms of CPU (see transport.direct).
    direct: bool = False

    def __repr__(self) -> str:  # never print a key
        return f"Provider({self.spec!r}, {self.kind}, {self.litellm_model!r}, {self.api_base!r})"

    @property
    def is_llm(self) -> bool:
        """Whether the spec names a model (anything but a scripted kind)."""
        return self.kind != "scripted"

    @property
    def is_local(self) -> bool:
        """Whether the session must start a llama.cpp server for this model."""
        return self.kind == "local"

    def served_at(self, api_base: str) -> Provider:
        """This local provider once its server listens at `api_base`."""
        return replace(self, api_base=api_base)


def is_scripted(spec: str) -> bool:
    """Whether a spec names an offline scripted agent (no model, no provider)."""
    return spec in SCRIPTED_KINDS


def resolve(spec: str, options: Any = None, *, mock: bool = False) -> Provider:
    """The provider a spec names under these options (an `LLMOptions`, a dict or None).

    Raises ProviderError, in one line naming the spec, for what no request can fix: an
    unknown provider prefix, an `api_base` that is not an http(s) URL, a missing GGUF file.
    `mock` (or a `mock_response` option): litellm answers offline, any model name goes.
    """
    opts = _options(options)
    mock = mock or opts.get("mock_response") is not None
    if is_scripted(spec):
        return Provider(spec, "scripted", provider="scripted")
    structured: str = opts.get("structured", "auto")
    direct = opts.get("client", "litellm") == "direct" and not mock
    key = _secret(opts.get("api_key"))
    api_base = opts.get("api_base")
    if spec.startswith(LOCAL_PREFIX):
        from agents.local_server import LocalModelError, gguf_for

        try:
            gguf = gguf_for(spec, opts.get("gguf"))
        except LocalModelError as exc:
            raise ProviderError(f"{spec}: {exc}") from None
        return Provider(
            spec,
            "local",
            litellm_model="openai/" + LOCAL_ALIAS,
            provider="local",
            api_key=key or NO_KEY,
            concurrency=1,  # llama.cpp's server answers one request at a time anyway
            # llama-cpp-python knows json_object + schema (a grammar), not json_schema.
            modes=_modes(structured, ("json_object", "prompt")),
            length_caps=True,
            gguf=gguf,
            direct=direct,
        )
    litellm = _litellm()
    if api_base is not None:
        url = urlparse(api_base)
        if url.scheme not in ("http", "https") or not url.netloc:
            raise ProviderError(f"{spec}: api_base {api_base!r} is not an http(s) URL")
        try:
            _, provider, _, _ = litellm.get_llm_provider(spec, api_base=api_base)
            litellm_model = spec
        except Exception:
            # No provider prefix with an api_base: an OpenAI-compatible server, like the flag says.
            provider, litellm_model = "openai", "openai/" + spec
        if not key and provider == "openai":
            key = os.environ.get("OPENAI_API_KEY") or NO_KEY
        return Provider(
            spec,
            "server",
            litellm_model=litellm_model,
            provider=provider,
            api_base=api_base,
            api_key=key,
            # Ask for a JSON schema first; fall back only when the server rejects it.
            modes=_modes(structured, MODES),
            length_caps=True,
            direct=direct and provider == "openai" and _sends_as_given(litellm, spec, api_base),
        )
    try:
        _, provider, _, _ = litellm.get_llm_provider(spec)
    except Exception as exc:
        if not mock:
            raise ProviderError(f"{spec}: unknown provider or model ({_first_line(exc)})") from None
        # litellm's async path wants a provider even for a canned answer: any will do.
        return Provider(spec, "hosted", "openai/" + spec, "mock", api_key=key, modes=("prompt",))
    try:
        schema_ok = bool(litellm.supports_response_schema(model=spec))
    except Exception:  # unknown model names raise in some litellm versions
        schema_ok = False
    default: tuple[Mode, ...] = ("json_schema", "prompt") if schema_ok else ("prompt",)
    return Provider(
        spec,
        "hosted",
        litellm_model=spec,
        provider=provider,
        api_key=key,
        modes=_modes(structured, default),
    )


def _sends_as_given(litellm: Any, spec: str, api_base: str) -> bool:
    """Whether litellm sends this OpenAI-compatible model our parameters unchanged.

    Then a direct request (the plain OpenAI body) is the request litellm would send; models
    whose parameters litellm rewrites (o-series, gpt-5: max_completion_tokens, no temperature)
    stay on litellm.acompletion.
    """
    try:
        from litellm.types.utils import LlmProviders
        from litellm.utils import ProviderConfigManager

        name = litellm.get_llm_provider(spec, api_base=api_base)[0]
        config = ProviderConfigManager.get_provider_chat_config(name, LlmProviders.OPENAI)
        sample = {"temperature": 0.5, "max_tokens": 64, "response_format": {"type": "json_object"}}
        return config.map_openai_params(dict(sample), {}, name, True) == sample
    except Exception:  # an internal of litellm moved: the general path is always right
        return False


def _modes(structured: str, default: tuple[Mode, ...]) -> tuple[Mode, ...]:
    # An explicit mode is used as told: no fallback hides a server that ignores the user.
    if structured == "auto":
        return default
    return (structured,)  # type: ignore[return-value]


def _options(options: Any) -> dict[str, Any]:
    if options is None:
        return {}
    if isinstance(options, dict):
        return options
    return dict(options)  # a pydantic model iterates as (field, value) pairs


def _secret(value: Any) -> str | None:
    if value is None:
        return None
    getter = getattr(value, "get_secret_value", None)
    return getter() if getter is not None else str(value)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    line = text[0] if text else type(exc).__name__
    return line.removeprefix("litellm.BadRequestError: ")[:200]


def _litellm() -> Any:
    """litellm, imported on first use only (about 6 s), quiet and offline-safe."""
    import litellm

    litellm.suppress_debug_info = True
    litellm.telemetry = False
    return litellm
