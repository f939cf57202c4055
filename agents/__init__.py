"""How a player decides: the Agent protocol, scripted agents and (lazily) the LLM agent."""

from agents.base import Agent, StatedClaim, Turn
from agents.scripted import DeceptiveWerewolf, HonestAgent, RandomAgent, ScriptedAgent

__all__ = [
    "Agent",
    "DeceptiveWerewolf",
    "HonestAgent",
    "RandomAgent",
    "ScriptedAgent",
    "StatedClaim",
    "Turn",
]
