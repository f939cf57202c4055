"""The typed log: SQLModel tables, one fact per row. `analysis` imports this module only.

Table and column names are stable API: researchers query them with plain SQL. Every change
to these classes comes with an Alembic migration in runs/migrations/versions and a new
SCHEMA_REVISION (tests compare a migrated database with a freshly created one).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint, inspect, text
from sqlalchemy.engine import Connection
from sqlmodel import Field, SQLModel

from vocab import GAME_STATUSES  # noqa: F401  (re-exported: the statuses a game row takes)

# The Alembic revision (runs/migrations) the tables below correspond to. A database records
# its own in the `alembic_version` table; `schema_state` compares the two.
SCHEMA_REVISION = "0002"
# Tables the store owns; a file holding other tables and none of these is not an sdlab file.
STORE_TABLES = ("tournament", "game", "player", "event", "turn", "belief", "llmcall")


def utcnow() -> datetime:
    """Timezone-aware now, for timestamps."""
    return datetime.now(UTC)


class Tournament(SQLModel, table=True):
    """A plan of games (a `sdlab run` or a tournament file), with what produced it."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    config: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow)
    # sdlab version, git commit, Python and package versions, host: see runs/provenance.py.
    provenance: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))


class Game(SQLModel, table=True):
    """One game; `status` says whether its rows are complete (only `finished` ones are)."""

    # ix_game_claim: claims look for the lowest pending slot of one tournament; without it each
    # claim scans past every finished game (quadratic over a tournament).
    __table_args__ = (
        UniqueConstraint("tournament_id", "slot", name="uq_game_slot"),
        Index("ix_game_claim", "tournament_id", "status", "slot"),
    )

    id: int | None = Field(default=None, primary_key=True)
    tournament_id: int | None = Field(default=None, foreign_key="tournament.id", index=True)
    slot: int | None = Field(default=None, description="index of the game within its tournament")
    game_type: str = "werewolf"
    seed: int
    config: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    status: str = Field(default="pending", index=True)
    winner: str | None = None  # village | werewolves | draw
    days: int | None = None
    n_turns: int | None = None
    error: str | None = None
    attempts: int = 0
    worker: str | None = None  # who claimed it (host:pid), for multi-machine tournaments
    started_at: datetime | None = None
    finished_at: datetime | None = None
    # Characters the store had to replace to keep a text storable (NUL, lone surrogates).
    text_repairs: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class PlayerInfo(SQLModel):
    """A seat's player before its game row exists (the runner builds these from ground truth)."""

    seat: int  # 0-based seat; the env's agent is player_<seat>
    name: str  # the name other players see
    role: str  # hidden role dealt: werewolf, seer, doctor, villager (ground truth)
    team: str  # village or werewolves (ground truth)
    agent_kind: str  # scripted kind (scripted:honest …) or "llm"
    model: str | None = None  # litellm model string; null for scripted kinds
    prompt_condition: str = "scripted"  # neutral, deception_permitted, deception_instructed
    framing: str = "none"  # observed or unobserved; none for kinds that read no framing
    prompt_hash: str | None = None  # sha256 of the prompt templates, condition and framing


class _PlayerKey(SQLModel):
    game_id: int = Field(foreign_key="game.id", primary_key=True)
    seat: int = Field(primary_key=True)


class Player(PlayerInfo, _PlayerKey, table=True):
    """Who sat where, with which hidden role, played by what, under which condition."""

    # Key columns first: SQLite 3.40's integrity_check reports "NULL value in player.name" on
    # a WITHOUT ROWID table whose NOT NULL columns precede its primary key (a false alarm,
    # fixed in 3.41); with the key first the check says ok on every version.
    __table_args__ = {"sqlite_with_rowid": False}

    game_id: int = Field(foreign_key="game.id", primary_key=True)
    seat: int = Field(primary_key=True)


class Event(SQLModel, table=True):
    """Everything that happened, ground truth included, with its visibility."""

    # WITHOUT ROWID: the primary key is the table, so a per-turn commit rewrites one B-tree
    # page per table instead of two (bench_engine: logging cost fell by a third).
    __table_args__ = {"sqlite_with_rowid": False}

    game_id: int = Field(foreign_key="game.id", primary_key=True)
    seq: int = Field(primary_key=True)  # order of events within the game
    day: int  # day number; night n precedes day n
    phase: str  # setup, night_wolves, night_actions, dawn, day_bid, day_speech, day_vote, …
    kind: str  # speech, vote, kill_proposal, inspection, protection, dawn, elimination …
    actor: int | None = None  # seat that acted or spoke
    target: int | None = None  # seat acted upon
    visibility: str  # public, hidden (ground truth), team:werewolves, or private:<seat>
    text: str  # what the players who may see it read
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))  # details


class Turn(SQLModel, table=True):
    """One agent decision, with its private parts (reasoning, intended lies) never shown."""

    __table_args__ = {"sqlite_with_rowid": False}

    game_id: int = Field(foreign_key="game.id", primary_key=True)
    turn: int = Field(primary_key=True, description="decision index within the game")
    seat: int
    day: int
    phase: str
    kind: str  # speak, vote, kill, inspect, protect, bid
    event_seq: int | None = Field(default=None, description="the event this decision produced")
    speech: str = ""
    target: int | None = None
    bid: int | None = None
    reasoning: str | None = None
    fallback: bool = False
    intended_lie: bool = False
    stated_claims: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))


class Belief(SQLModel, table=True):
    """A player's private probability that another player holds a role, at one turn."""

    __table_args__ = {"sqlite_with_rowid": False}

    game_id: int = Field(foreign_key="game.id", primary_key=True)
    turn: int = Field(primary_key=True)
    about: int = Field(primary_key=True)  # the seat the belief is about
    role: str = Field(primary_key=True)  # the role believed (werewolf today)
    holder: int  # the seat holding the belief
    probability: float  # P(about holds role) at that decision, in [0, 1]


class LLMCall(SQLModel, table=True):
    """One attempt at one LLM request (retries and re-prompts are separate rows)."""

    id: int | None = Field(default=None, primary_key=True)
    game_id: int | None = Field(default=None, foreign_key="game.id", index=True)
    seat: int | None = None
    turn: int | None = None
    purpose: str = "turn"  # turn, preflight, judge or monitor
    model: str
    messages: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    response: str | None = None
    parsed_ok: bool = False
    error: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    cost: float | None = None
    latency_s: float | None = None
    attempt: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    mode: str | None = None  # structured output used: json_schema, json_object or prompt


def schema_state(conn: Connection) -> tuple[str, str | None]:
    """(state, revision) of a database: empty, current, older, newer or foreign.

    Read-only: it never creates or alters anything, so both the store and analysis ask it.
    """
    names = set(inspect(conn).get_table_names())
    if not names:
        return "empty", None
    if not set(STORE_TABLES) & names:
        return "foreign", None
    if "alembic_version" not in names:
        # Written before schema versioning existed (revision 0001 by its tables).
        return ("current" if SCHEMA_REVISION == "0001" else "older"), "0001"
    revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if revision == SCHEMA_REVISION:
        return "current", revision
    return ("older" if (revision or "") < SCHEMA_REVISION else "newer"), revision
