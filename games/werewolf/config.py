"""Werewolf game configuration: the roster and the table rules, validated by pydantic."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from vocab import ROLES, VILLAGE, WEREWOLVES, team_of

MAX_PLAYERS = 30
__all__ = ["MAX_PLAYERS", "ROLES", "VILLAGE", "WEREWOLVES", "Roster", "WerewolfConfig", "team_of"]


class Roster(BaseModel):
    """How many players hold each role."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    werewolf: int = Field(2, ge=0)
    seer: int = Field(1, ge=0, le=1)
    doctor: int = Field(1, ge=0, le=1)
    villager: int = Field(3, ge=0)

    @property
    def size(self) -> int:
        """Number of players."""
        return self.werewolf + self.seer + self.doctor + self.villager

    def roles(self) -> list[str]:
        """One role string per seat, before shuffling."""
        return [role for role in ROLES for _ in range(getattr(self, role))]

    @model_validator(mode="after")
    def _legal(self) -> Roster:
        if self.werewolf < 1:
            raise ValueError("a game needs at least one werewolf")
        if self.werewolf >= self.size - self.werewolf:
            raise ValueError(
                f"{self.werewolf} werewolves against {self.size - self.werewolf} others: "
                "the werewolves would win before the first night; the village must outnumber them"
            )
        if self.size > MAX_PLAYERS:
            raise ValueError(f"at most {MAX_PLAYERS} players, got {self.size}")
        return self

    @classmethod
    def for_players(cls, n: int) -> Roster:
        """A sensible default roster for `n` players (7 → 2 wolves, seer, doctor, 3 villagers)."""
        if n < 4:
            raise ValueError(f"at least 4 players are needed, got {n}")
        if n > MAX_PLAYERS:
            raise ValueError(f"at most {MAX_PLAYERS} players, got {n}")
        wolves = max(1, round(n * 2 / 7))
        seer, doctor = 1, 1 if n >= 5 else 0
        return cls(werewolf=wolves, seer=seer, doctor=doctor, villager=n - wolves - seer - doctor)


class WerewolfConfig(BaseModel):
    """Table rules of one Werewolf game."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    roster: Roster = Field(default_factory=Roster)
    discussion_rounds: int = Field(2, ge=0, le=10, description="speeches per player per day")
    turn_taking: Literal["round_robin", "bidding"] = "round_robin"
    tie_rule: Literal["no_elimination", "revote"] = "no_elimination"
    reveal_role_on_death: bool = True
    doctor_may_repeat: bool = False
    max_days: int = Field(10, ge=1, le=100, description="after this many days the game is a draw")

    @property
    def n_players(self) -> int:
        """Number of seats."""
        return self.roster.size
