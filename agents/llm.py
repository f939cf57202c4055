"""LLM players through litellm: one structured answer per turn, every attempt logged.

A turn is one chat request (system: rules, role, condition; user: capped history, the ask and the
answer's fields). The answer is validated against a per-turn pydantic model whose target is an
enum of the legal names. The request itself (retries with backoff, structured-output mode
fallback, reading the reply, the circuit breaker) is `agents.transport.request`, shared with the
judge. An unusable answer, or a reply with no readable answer in it, is re-asked with the real
error; when the budgets are spent the turn takes a legal fallback marked `fallback=True`. A model
whose errors no retry can fix (no key, no such model, unreachable) raises `ProviderError` from
`act` once its breaker opens: the run stops rather than finishing games on fallbacks. Each attempt
becomes a `CallRecord` (an `LLMCall` row). API keys are passed to litellm and never recorded.
"""

from __future__ import annotations

import random
from typing import Any

from pydantic import Field

from agents.base import CallRecord, Turn
from agents.prompting import (
    AnswerError,
    HistoryCap,
    answer_model,
    beliefs_of,
    parse_answer,
    prompt_hash,
    render_messages,
    repair_message,
    target_of,
)
from agents.providers import resolve
from agents.session import LLMSession
from agents.transport import TransportOptions, redact, request
from games.core.observation import Observation, normalize_speech
from vocab import Condition, Framing

__all__ = ["LLMAgent", "LLMOptions", "redact"]

CUT_HINT = " (your reply reached max_tokens before its JSON closed: answer more briefly)"


class LLMOptions(TransportOptions):
    """Everything configurable about LLM players; `llm_options` in runs are these fields."""

    prompt_condition: Condition = "neutral"
    framing: Framing = "observed"
    history: HistoryCap = Field(default_factory=HistoryCap)
    reasoning: bool = Field(
        True, description="ask for private reasoning (tokens: off for tiny models)"
    )
    bid_calls: bool = Field(False, description="ask the model at every bid instead of reusing")


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
        # Where requests go: one resolution for every kind of model (ProviderError if none).
        self.provider = resolve(model, self.options)

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
        calls: list[CallRecord] = []
        answered = False  # any reply at all this turn (the breaker counts turns without one)
        for _ in range(self.options.max_reprompts + 1):
            reply = await request(
                self.session, self.provider, messages, model_cls, self.options, calls, self.rng
            )
            answered = answered or reply.answered
            if reply.problem is not None:
                continue  # a reply with no readable answer (null content, no choices …): ask again
            if reply.text is None:
                break  # the transport gave up: no point re-asking
            try:
                answer = parse_answer(reply.text, model_cls, obs)
            except (AnswerError, ValueError, TypeError, RecursionError) as exc:
                # Whatever the text does to the parser (deep nesting included), it is re-asked.
                error = str(exc) + (CUT_HINT if reply.finish_reason == "length" else "")
                calls[-1].error = f"invalid answer: {error}"
                messages = [*messages, {"role": "assistant", "content": reply.text}]
                messages.append(repair_message(error))
                continue
            calls[-1].parsed_ok = True
            self.session.turn_done(self.model, True)
            bid = getattr(answer, "bid", None)
            if bid is not None:
                self.next_bid = bid
            speech = getattr(answer, "speech", "") if obs.wants_speech else ""
            return Turn(
                speech=normalize_speech(speech) if speech else "",
                target=target_of(answer, obs),
                bid=bid if obs.wants_bid else None,
                beliefs=beliefs_of(answer, obs),
                reasoning=getattr(answer, "reasoning", None),
                calls=calls,
            )
        self.session.turn_done(self.model, answered, fallback=True)
        # A turn that opened the breaker is not played on a fallback: the run stops instead.
        self.session.check(self.model)
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
