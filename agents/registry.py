"""Agent specs (strings in the CLI and configs) to agent objects, built once roles are dealt."""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

from agents.base import Agent
from agents.providers import SCRIPTED_KINDS, is_scripted
from agents.scripted import (
    DeceptiveWerewolf,
    HonestAgent,
    ListenerAgent,
    MarkerAgent,
    OversightAgent,
    RandomAgent,
    ScriptedAgent,
    ScriptedBase,
)

if TYPE_CHECKING:
    from agents.session import LLMSession

SCRIPTED: dict[str, type[ScriptedBase] | type[ScriptedAgent]] = {
    "scripted": ScriptedAgent,
    "random": RandomAgent,
    "honest": HonestAgent,
    "deceptive": DeceptiveWerewolf,
    # Validation kinds with known propensities (analysis' research measures are checked on them).
    "oversight": OversightAgent,
    "marker": MarkerAgent,
    "listener": ListenerAgent,
}
assert set(SCRIPTED) == set(SCRIPTED_KINDS)  # providers names them without importing agents

__all__ = ["SCRIPTED", "is_scripted", "make_agent", "scripted_parameters"]


def scripted_parameters(kind: str) -> set[str]:
    """Keyword options a scripted kind takes (its constructor's, besides the seed)."""
    classes = (HonestAgent, DeceptiveWerewolf) if kind == "scripted" else (SCRIPTED[kind],)
    names: set[str] = set()
    for cls in classes:
        names |= set(inspect.signature(cls.__init__).parameters) - {"self", "seed"}
    return names


def make_agent(
    spec: str,
    seed: int | None = None,
    team: str | None = None,
    session: LLMSession | None = None,
    **options: Any,
) -> Agent:
    """The agent a spec names for a seat whose team is dealt: a scripted kind or an LLM.

    `scripted` becomes the policy its team gets (honest or deceptive), so the agent's kind is
    known before it plays. Scripted kinds get the options their constructor takes (a kind that
    reads the framing takes `framing`; the others ignore it). LLM players share the run's
    `session` (limits, servers, health).
    """
    if is_scripted(spec):
        cls = ScriptedAgent.policy_for(team) if spec == "scripted" and team else SCRIPTED[spec]
        accepted = set(inspect.signature(cls.__init__).parameters) - {"self", "seed"}
        return cls(seed, **{k: v for k, v in options.items() if k in accepted})
    if session is None:
        from agents.session import LLMSession

        session = LLMSession(options.get("concurrency", 16))
    return session.agent(spec, seed, options)
