"""A tournament described in one file (YAML or TOML), validated by pydantic.

Expansion into games is part of the config's meaning, so it lives here too: game `slot` gets
seed `derive_seed(seed, slot)`, a condition cell and a rotation that decides which player
plays which role. Rotation is what makes the design balanced by construction (see `lineup`).
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass
from itertools import product
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from agents.registry import is_scripted
from games.werewolf import WerewolfConfig
from games.werewolf.rules import WerewolfGame
from runs.runner import derive_seed
from vocab import Condition, Framing

PromptCondition = Condition

# Fields that change how a tournament runs, not which games it contains: they may differ
# between a run and its resume.
OPERATIONAL = frozenset({"concurrency", "budget_usd", "max_attempts"})


class ConfigError(Exception):
    """The tournament file cannot be used; the message names the field and the problem."""


class PlayerSpec(BaseModel):
    """One contestant: a scripted kind or a litellm model string, with its LLM options."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: str = Field(min_length=1, description="scripted kind or litellm model string")
    api_base: str | None = None
    temperature: float | None = Field(None, ge=0, le=2)
    concurrency: int | None = Field(None, ge=1, description="at most this many calls at once")
    options: dict[str, Any] = Field(default_factory=dict, description="more LLMAgent options")

    @property
    def scripted(self) -> bool:
        """Whether this contestant is an offline scripted agent."""
        return is_scripted(self.model)

    def llm_options(self, prompt_condition: str, framing: str) -> dict[str, Any]:
        """Keyword options for the LLM agent, condition included (empty for scripted agents)."""
        if self.scripted:
            return {}
        extra = {
            "api_base": self.api_base,
            "temperature": self.temperature,
            "model_concurrency": self.concurrency,
        }
        return {
            **{k: v for k, v in extra.items() if v is not None},
            **self.options,
            "prompt_condition": prompt_condition,
            "framing": framing,
        }

    @model_validator(mode="after")
    def _options_known(self) -> PlayerSpec:
        if "api_key" in self.options:
            raise ValueError(
                "options.api_key: keys go in environment variables (OPENAI_API_KEY, …); "
                "the config is stored in the database and secrets never are"
            )
        if self.scripted:
            if self.api_base or self.temperature is not None or self.options:
                raise ValueError(f"{self.model!r} is a scripted agent: it takes no LLM options")
            return self
        try:
            from agents.llm import LLMOptions  # no litellm import: that happens per request
        except ImportError:  # pragma: no cover - LLM support not installed
            return self
        try:
            LLMOptions(**self.llm_options("neutral", "observed"))
        except ValidationError as exc:
            raise ValueError(f"LLM options: {describe(exc)}") from None
        return self


class ConditionGrid(BaseModel):
    """The experimental conditions: every prompt condition crossed with every framing."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    prompt_conditions: list[PromptCondition] = Field(default=["neutral"], min_length=1)
    framings: list[Framing] = Field(default=["observed"], min_length=1)

    @field_validator("prompt_conditions", "framings")
    @classmethod
    def _distinct(cls, values: list[str]) -> list[str]:
        if len(set(values)) != len(values):
            raise ValueError(f"each value may appear once, got {values}")
        return values

    def cells(self) -> list[tuple[str, str]]:
        """(prompt condition, framing) pairs, in a fixed order."""
        return list(product(self.prompt_conditions, self.framings))


class TournamentConfig(BaseModel):
    """Everything that defines a tournament, plus how to run it (concurrency, budget)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, description="stored on the Tournament row; resumes by name")
    players: list[PlayerSpec] = Field(min_length=1)
    game: WerewolfConfig = Field(default_factory=WerewolfConfig)
    games: int = Field(ge=1, description="number of games; a multiple of the rotation block")
    seed: int = Field(0, ge=0)
    conditions: ConditionGrid = Field(default_factory=ConditionGrid)
    concurrency: int = Field(4, ge=1, le=512, description="games played at once (LLM players)")
    budget_usd: float | None = Field(None, gt=0, description="stop starting games past this")
    max_attempts: int = Field(3, ge=1, description="tries per game before it stays failed")

    @field_validator("players", mode="before")
    @classmethod
    def _strings_are_models(cls, value: Any) -> Any:
        # `players: [honest, openai/gpt-4o-mini]` is the short form of `{model: ...}`.
        if isinstance(value, list):
            return [{"model": v} if isinstance(v, str) else v for v in value]
        return value

    @model_validator(mode="after")
    def _consistent(self) -> TournamentConfig:
        models = [p.model for p in self.players]
        for i, m in enumerate(models):
            if m in models[:i]:
                raise ValueError(
                    f"players.{i}.model: {m!r} appears twice; results are keyed by model string, "
                    "so each contestant must be a different model or scripted kind"
                )
        if "scripted" in models and {"honest", "deceptive"} & set(models):
            raise ValueError(
                "players: 'scripted' plays honest as villager and deceptive as werewolf, so it "
                "cannot be told apart from 'honest'/'deceptive' in the store; drop one of them"
            )
        if self.games % self.block:
            raise ValueError(
                f"games: {self.games} is not a multiple of {self.block} "
                f"({len(self.players)} players × {len(self.conditions.cells())} condition cells); "
                "balanced role rotation needs whole blocks"
            )
        return self

    @property
    def block(self) -> int:
        """Games in one full rotation: every player in every role slot, in every condition."""
        return len(self.players) * len(self.conditions.cells())

    def fingerprint(self) -> str:
        """Hash of what defines the games (not of how they are run), to recognise a resume."""
        defining = self.model_dump(mode="json", exclude=set(OPERATIONAL))
        for p in defining["players"]:
            p.pop("concurrency", None)
        blob = json.dumps(defining, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class GamePlan:
    """One game of the tournament, derived from its slot alone."""

    slot: int
    seed: int
    prompt_condition: str
    framing: str
    rotation: int


def plan_game(config: TournamentConfig, slot: int) -> GamePlan:
    """Slot → seed, condition cell and rotation; consecutive blocks repeat the same design."""
    cells = config.conditions.cells()
    prompt_condition, framing = cells[slot % len(cells)]
    rotation = (slot // len(cells)) % len(config.players)
    return GamePlan(slot, derive_seed(config.seed, slot), prompt_condition, framing, rotation)


def plan_games(config: TournamentConfig) -> list[GamePlan]:
    """All games of the tournament, in slot order."""
    return [plan_game(config, slot) for slot in range(config.games)]


def lineup(config: TournamentConfig, plan: GamePlan) -> list[int]:
    """Player index for every seat of a game.

    The roster's role list has fixed role slots (werewolf, werewolf, seer, …). Role slot j goes
    to player (j + rotation) mod k, so over k rotations every player takes every role slot
    exactly once: each player plays each role exactly `roster.<role>` times per block, whatever
    seats the seeded deal puts the roles in. The deal is the env's own (same seed, same roles).
    """
    slots = config.game.roster.roles()
    dealt = WerewolfGame(config.game, plan.seed).roles
    taken: dict[str, int] = {}
    seats = []
    for role in dealt:
        nth = taken.get(role, 0)
        taken[role] = nth + 1
        j = [i for i, r in enumerate(slots) if r == role][nth]
        seats.append((j + plan.rotation) % len(config.players))
    return seats


def load_config(path: str | Path) -> TournamentConfig:
    """Read and validate a YAML (.yaml/.yml) or TOML (.toml) tournament file."""
    p = Path(path)
    try:
        text = p.read_text()
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        data = tomllib.loads(text) if p.suffix == ".toml" else yaml.safe_load(text)
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        first = str(exc).strip().splitlines()[0]
        raise ConfigError(
            f"{path} is not valid {p.suffix.lstrip('.') or 'YAML'}: {first}"
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the top level must be a mapping of fields (name, players, …)")
    try:
        return TournamentConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {describe(exc)}") from None


def describe(exc: ValidationError) -> str:
    """One line naming each offending field and its problem."""
    parts = []
    for e in exc.errors():
        msg = e["msg"].removeprefix("Value error, ")
        where = ".".join(str(p) for p in e["loc"])
        parts.append(f"{where}: {msg}" if where else msg)
    return "; ".join(parts)
