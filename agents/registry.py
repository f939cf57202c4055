"""Agent specs (strings in the CLI and configs) to agent objects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agents.base import Agent
from agents.scripted import DeceptiveWerewolf, HonestAgent, RandomAgent, ScriptedAgent

SCRIPTED: dict[str, Callable[[int | None], Agent]] = {
    "scripted": ScriptedAgent,
    "random": RandomAgent,
    "honest": HonestAgent,
    "deceptive": DeceptiveWerewolf,
}


def is_scripted(spec: str) -> bool:
    """Whether a spec names an offline scripted agent."""
    return spec in SCRIPTED


def make_agent(spec: str, seed: int | None = None, **options: Any) -> Agent:
    """Build the agent a spec names: a scripted kind, or a litellm model string."""
    if spec in SCRIPTED:
        return SCRIPTED[spec](seed)
    from agents.llm import LLMAgent  # litellm is slow to import: only when a model is asked for

    return LLMAgent(spec, seed=seed, **options)
