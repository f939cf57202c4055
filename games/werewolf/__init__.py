"""Werewolf: rules (`rules.py`), configuration (`config.py`) and the AEC environment (`env.py`)."""

from games.werewolf.config import ROLES, VILLAGE, WEREWOLVES, Roster, WerewolfConfig
from games.werewolf.env import env, raw_env
from games.werewolf.rules import Action, IllegalActionError, WerewolfGame

__all__ = [
    "ROLES",
    "VILLAGE",
    "WEREWOLVES",
    "Action",
    "IllegalActionError",
    "Roster",
    "WerewolfConfig",
    "WerewolfGame",
    "env",
    "raw_env",
]
