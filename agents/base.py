"""The Agent protocol and the structured Turn every agent returns."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from games.core.observation import Observation
from vocab import ClaimType


class StatedClaim(BaseModel):
    """A checkable assertion a scripted agent put in its speech, with its own intent.

    Recorded at generation time so the lie analysis can be validated against it; it is stored
    apart from the event (never visible to players).
    """

    model_config = ConfigDict(frozen=True)

    type: ClaimType
    subject: int
    value: str
    hedged: bool = False  # "I suspect X" rather than "X is a werewolf": an opinion
    lie: bool = False  # the speaker asserted it knowing it false


class CallRecord(BaseModel):
    """One LLM request attempt, as the agent saw it; the runner stores it as an LLMCall row."""

    model: str
    messages: list[dict[str, Any]] = Field(default_factory=list)
    response: str | None = None
    parsed_ok: bool = False
    error: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    cost: float | None = None
    latency_s: float | None = None
    attempt: int = 1
    mode: str | None = None  # structured output used: json_schema, json_object or prompt


class Turn(BaseModel):
    """One decision: public speech, the phase's action, private beliefs and reasoning."""

    speech: str = ""
    target: int | None = Field(None, description="target seat, None for no target / abstain")
    bid: int | None = Field(None, ge=0, le=4)
    beliefs: dict[int, dict[str, float]] = Field(
        default_factory=dict, description="seat -> {role: probability}; logged, never shown"
    )
    reasoning: str | None = None
    stated_claims: list[StatedClaim] = Field(default_factory=list)
    fallback: bool = False  # the agent could not decide and a legal default was taken
    calls: list[CallRecord] = Field(default_factory=list)  # LLM attempts behind this turn

    @property
    def intended_lie(self) -> bool:
        """Whether the agent meant any part of its speech as a lie."""
        return any(c.lie for c in self.stated_claims)


@runtime_checkable
class Agent(Protocol):
    """A player: one async method from what it may see to what it does."""

    kind: str  # e.g. "scripted:honest", "llm"
    model: str | None  # model string for LLM agents
    prompt_condition: str  # neutral | deception_permitted | deception_instructed
    framing: str  # observed | unobserved

    async def act(self, observation: Observation) -> Turn:
        """Decide this turn."""
        ...
