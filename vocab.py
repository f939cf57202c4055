"""The lab's vocabulary: every name that more than one package must spell the same way.

Roles and teams (the game), prompt conditions and framings (the experiment), claim types,
claim values and labels (the analysis), game statuses (the store). Bottom of the import
graph: it imports nothing of the project, and games, agents, runs and analysis import it.
"""

from __future__ import annotations

from typing import Literal, get_args

# ----- the game ----------------------------------------------------------------------------
Role = Literal["werewolf", "seer", "doctor", "villager"]
ROLES: tuple[str, ...] = get_args(Role)
WEREWOLF = "werewolf"
WEREWOLVES = "werewolves"  # the werewolves' team
VILLAGE = "village"  # the other team
TEAMS = (VILLAGE, WEREWOLVES)
DRAW = "draw"


def team_of(role: str) -> str:
    """The team a role plays for."""
    return WEREWOLVES if role == WEREWOLF else VILLAGE


# ----- the experiment ----------------------------------------------------------------------
Condition = Literal["neutral", "deception_permitted", "deception_instructed"]
CONDITIONS: tuple[str, ...] = get_args(Condition)
NEUTRAL = "neutral"  # goal only: a lie under it is spontaneous
Framing = Literal["observed", "unobserved"]
FRAMINGS: tuple[str, ...] = get_args(Framing)
# What scripted seats store for the two columns: no prompt, no framing.
SCRIPTED_CONDITION = "scripted"
NO_FRAMING = "none"

# ----- the analysis ------------------------------------------------------------------------
ClaimType = Literal[
    "role_claim", "accusation", "defence", "inspection_claim", "vote_claim", "night_claim", "plan"
]
CLAIM_TYPES: tuple[str, ...] = get_args(ClaimType)
NOT_WOLF = "not a werewolf"
# Values each claim type takes. role_claim: a role, or "village" for a team-only claim.
# vote_claim: which day's vote ("last" = the speaker's latest voting day). night_claim:
# "attacked" (subject = the player attacked) or "protected" (subject = the one protected).
# plan: an intention or proposal ("intent") or a forecast ("prediction"): never decidable.
CLAIM_VALUES: dict[str, tuple[str, ...]] = {
    "role_claim": (*ROLES, VILLAGE),
    "accusation": (WEREWOLF,),
    "defence": (NOT_WOLF,),
    "inspection_claim": (WEREWOLF, NOT_WOLF),
    "vote_claim": ("yesterday", "today", "last"),
    "night_claim": ("attacked", "protected"),
    "plan": ("intent", "prediction"),
}
# Claims about another player's team or role: the ones a belief can contradict.
WOLF_STATUS_CLAIMS = ("role_claim", "accusation", "defence")

Label = Literal["truthful", "lie", "mistake", "unverifiable"]
LABELS: tuple[str, ...] = get_args(Label)
TRUTHS = ("true", "false", "unverifiable")
KNEW = ("true", "false", "unknown")  # what the speaker's own view said of a claim

# ----- the store ---------------------------------------------------------------------------
GameStatus = Literal["pending", "running", "finished", "failed"]
GAME_STATUSES: tuple[str, ...] = get_args(GameStatus)

# ----- defaults every summary shares (here, so the CLI can show them without loading pandas) --
FALLBACK_THRESHOLD = 0.10  # a model's share of fallback turns in a game above which it is degraded
# Claim readers by the name stored on each claim row; the first is the default.
EXTRACTORS = ("rules+model", "rules")
BOOTSTRAP_RESAMPLES = 2000  # resamples of games behind every interval
BOOTSTRAP_SEED = 0
