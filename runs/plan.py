"""A plan: every game a run will play, from a tournament file (YAML/TOML) or `sdlab run`'s flags.

Every run is a plan of pending game rows (see runs/orchestrator.py). Expansion into games is
part of the plan's meaning, so it lives here too: game `slot` gets seed `derive_seed(seed,
slot)`, a condition cell and a rotation that decides which contestant plays which role slot.
The deal itself is the env's: `lineup` maps the roles the env dealt to contestants, so the
plan never re-simulates a game. Rotation makes the design balanced by construction.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import product
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from agents.registry import is_scripted
from games.werewolf import WerewolfConfig
from runs.seeds import derive_seed
from vocab import Condition, Framing

# Fields that change how a plan runs, not which games it contains: they may differ
# between a run and its resume.
OPERATIONAL = frozenset({"concurrency", "budget_usd", "max_attempts", "commit"})
# A plan's game rows are all written before play; past this the database and the clock give
# out long before the plan would (3e9 games ran out of memory after 104 s).
MAX_GAMES = 1_000_000


class ConfigError(Exception):
    """The plan cannot be used; the message names the field and the problem."""


class PlayerSpec(BaseModel):
    """One contestant: a scripted kind or a litellm model string, with its LLM options."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    model: str = Field(min_length=1, description="scripted kind or litellm model string")
    api_base: str | None = None
    temperature: float | None = Field(None, ge=0, le=2)
    concurrency: int | None = Field(None, ge=1, description="at most this many calls at once")
    options: dict[str, Any] = Field(
        default_factory=dict, description="more LLM options, or a scripted kind's parameters"
    )

    @property
    def scripted(self) -> bool:
        """Whether this contestant is an offline scripted agent."""
        return is_scripted(self.model)

    def llm_options(self, prompt_condition: str, framing: str) -> dict[str, Any]:
        """Keyword options for the agent in a condition cell (a scripted kind: its parameters,
        and the framing for a kind that reads it)."""
        if self.scripted:  # make_agent passes these two only to a kind that reads them
            return {**self.options, "prompt_condition": prompt_condition, "framing": framing}
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
            if self.api_base or self.temperature is not None:
                raise ValueError(f"{self.model!r} is a scripted agent: it takes no LLM options")
            self._check_scripted_options()
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

    def _check_scripted_options(self) -> None:
        from agents.registry import make_agent, scripted_parameters

        takes = scripted_parameters(self.model) - {"framing", "prompt_condition"}
        unknown = sorted(set(self.options) - takes)
        if unknown:
            allowed = ", ".join(sorted(takes)) or "none"
            raise ValueError(
                f"{self.model!r} is a scripted agent: it takes no option {', '.join(unknown)}"
                f" (its options: {allowed})"
            )
        try:  # the kind checks its own values
            for team in ("village", "werewolves"):
                make_agent(self.model, 0, team, **self.options)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{self.model!r}: {exc}") from None


class ConditionGrid(BaseModel):
    """The experimental conditions: every prompt condition crossed with every framing."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    prompt_conditions: list[Condition] = Field(default=["neutral"], min_length=1)
    framings: list[Framing] = Field(default=["observed"], min_length=1)
    paired: bool = Field(
        False,
        description="play each seed once in every cell (same deal and seats): paired contrasts",
    )

    @field_validator("prompt_conditions", "framings")
    @classmethod
    def _distinct(cls, values: list[str]) -> list[str]:
        if len(set(values)) != len(values):
            raise ValueError(f"each value may appear once, got {values}")
        return values

    def cells(self) -> list[tuple[str, str]]:
        """(prompt condition, framing) pairs, in a fixed order."""
        return list(product(self.prompt_conditions, self.framings))


class Plan(BaseModel):
    """Everything that defines a set of games, plus how to run them (concurrency, budget)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    name: str = Field(
        min_length=1, max_length=200, description="stored on the Tournament row; resumes by name"
    )
    players: list[PlayerSpec] = Field(min_length=1)
    game: WerewolfConfig = Field(default_factory=WerewolfConfig)
    games: int = Field(
        ge=1, le=MAX_GAMES, description="number of games; a multiple of the rotation block"
    )
    seed: int = Field(0, ge=0, lt=2**63)
    conditions: ConditionGrid = Field(default_factory=ConditionGrid)
    concurrency: int = Field(4, ge=1, le=512, description="games played at once (LLM players)")
    budget_usd: float | None = Field(None, gt=0, description="stop starting games past this")
    max_attempts: int = Field(3, ge=1, le=100, description="tries per game before it stays failed")
    commit: Literal["turn", "game"] = Field(
        "turn", description="commit every decision group (safest) or each game once (fastest)"
    )
    balanced: bool = Field(
        True, description="require whole rotation blocks (every contestant in every role slot)"
    )

    @field_validator("players", mode="before")
    @classmethod
    def _strings_are_models(cls, value: Any) -> Any:
        # `players: [honest, openai/gpt-4o-mini]` is the short form of `{model: ...}`.
        if isinstance(value, list):
            return [{"model": v} if isinstance(v, str) else v for v in value]
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Plan:
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
        if self.balanced and self.games % self.block:
            raise ValueError(
                f"games: {self.games} is not a multiple of {self.block} "
                f"({len(self.players)} players × {len(self.conditions.cells())} condition cells); "
                "balanced role rotation needs whole blocks (or set balanced: false)"
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


def plan_game(config: Plan, slot: int) -> GamePlan:
    """Slot → seed, condition cell and rotation; consecutive blocks repeat the same design.

    With `conditions.paired`, the cells of one round (consecutive slots) share their seed: the
    same deal and the same seating played once under each condition, so a contrast between
    cells compares the same games (a paired design) rather than different ones.
    """
    cells = config.conditions.cells()
    prompt_condition, framing = cells[slot % len(cells)]
    rotation = (slot // len(cells)) % len(config.players)
    if config.conditions.paired:
        seed = derive_seed(config.seed, "pair", slot // len(cells))
    else:
        seed = derive_seed(config.seed, slot)
    return GamePlan(slot, seed, prompt_condition, framing, rotation)


def plan_games(config: Plan) -> Iterator[GamePlan]:
    """All games of the plan, in slot order (lazily: a plan may hold a million games)."""
    return (plan_game(config, slot) for slot in range(config.games))


def lineup(config: Plan, plan: GamePlan, dealt: Sequence[str]) -> list[int]:
    """Contestant index for every seat, given the roles the env dealt (`dealt[seat]`).

    The roster's role list has fixed role slots (werewolf, werewolf, seer, …). Role slot j goes
    to contestant (j + rotation) mod k, so over k rotations every contestant takes every role
    slot exactly once: each plays each role exactly `roster.<role>` times per block, whatever
    seats the seeded deal put the roles in.
    """
    slots = config.game.roster.roles()
    by_role: dict[str, list[int]] = {}
    for j, role in enumerate(slots):
        by_role.setdefault(role, []).append(j)
    taken: dict[str, int] = {}
    seats = []
    for role in dealt:
        nth = taken.get(role, 0)
        taken[role] = nth + 1
        seats.append((by_role[role][nth] + plan.rotation) % len(config.players))
    return seats


def load_plan(path: str | Path) -> Plan:
    """Read and validate a YAML (.yaml/.yml) or TOML (.toml) tournament file."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(raw) > 1_000_000:
        raise ConfigError(f"{path}: {len(raw):,} bytes; a plan file is at most 1 MB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not a text file (not UTF-8)") from None
    try:
        data = tomllib.loads(text) if p.suffix == ".toml" else yaml.safe_load(text)
    except (tomllib.TOMLDecodeError, yaml.YAMLError, RecursionError) as exc:
        first = str(exc).strip().splitlines()[0]
        raise ConfigError(
            f"{path} is not valid {p.suffix.lstrip('.') or 'YAML'}: {first}"
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the top level must be a mapping of fields (name, players, …)")
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {describe(exc)}") from None


def describe(exc: ValidationError) -> str:
    """One line naming each offending field and its problem."""
    parts = []
    for e in exc.errors():
        msg = " ".join(e["msg"].removeprefix("Value error, ").split())
        where = ".".join(_printable(p) for p in e["loc"])
        parts.append(f"{where}: {msg}" if where else msg)
    return "; ".join(parts)


def _printable(part: object) -> str:
    """A field name as typed, or quoted when it holds spaces or control characters."""
    text = str(part)
    return text if text.isprintable() and text.strip() == text and text else repr(text)


def plan_from_flags(
    *,
    players: Sequence[str],
    games: int,
    game: WerewolfConfig,
    seed: int = 0,
    name: str | None = None,
    condition: str = "neutral",
    framing: str = "observed",
    llm_options: dict[str, Any] | None = None,
    concurrency: int = 1,
) -> Plan:
    """The plan `sdlab run` plays: its flags as an ad-hoc tournament.

    Without a name the plan is named after its fingerprint (`run-1a2b3c4d`), so the same
    command on the same database resumes the same games and a different one starts apart.
    """
    specs = []
    for model in players or ["scripted"]:
        if is_scripted(model):
            specs.append({"model": model})
        else:
            specs.append({"model": model, "options": dict(llm_options or {})})
    data = {
        "name": name or "run",
        "players": specs,
        "game": game,
        "games": games,
        "seed": seed,
        "conditions": {"prompt_conditions": [condition], "framings": [framing]},
        "concurrency": concurrency,
        "balanced": False,
    }
    try:
        plan = Plan.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(describe(exc)) from None
    if name is None:
        plan = plan.model_copy(update={"name": f"run-{plan.fingerprint()[:8]}"})
    return plan


def safe_name(name: str) -> str:
    """A plan name fit for a file name (reports, exports)."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "plan"
