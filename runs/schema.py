"""The typed log: SQLModel tables, one fact per row. `analysis` imports this module only.

Table and column names are stable API: researchers query them with plain SQL.
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
SCHEMA_REVISION = "0001"
# Tables the store owns; a file holding other tables and none of these is not an sdlab file.
STORE_TABLES = ("tournament", "game", "player", "event", "turn", "belief", "llmcall")


def utcnow() -> datetime:
    """Timezone-aware now, for timestamps."""
    return datetime.now(UTC)


class Tournament(SQLModel, table=True):
    """A batch of games launched together (a `sdlab run` or a tournament config)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    config: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow)


class Game(SQLModel, table=True):
    """One game; `status` says whether its rows are complete (only `finished` ones are)."""

    __table_args__ = (UniqueConstraint("tournament_id", "slot", name="uq_game_slot"),)

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


class PlayerInfo(SQLModel):
    """A seat's player before its game row exists (the runner builds these from ground truth)."""

    seat: int
    name: str
    role: str
    team: str
    agent_kind: str
    model: str | None = None
    prompt_condition: str = "scripted"
    framing: str = "none"
    prompt_hash: str | None = None


class Player(PlayerInfo, table=True):
    """Who sat where, with which hidden role, played by what, under which condition."""

    __table_args__ = {"sqlite_with_rowid": False}

    game_id: int = Field(foreign_key="game.id", primary_key=True)
    seat: int = Field(primary_key=True)


class Event(SQLModel, table=True):
    """Everything that happened, ground truth included, with its visibility."""

    # WITHOUT ROWID: the primary key is the table, so a per-turn commit rewrites one B-tree
    # page per table instead of two (bench_engine: logging cost fell by a third).
    __table_args__ = {"sqlite_with_rowid": False}

    game_id: int = Field(foreign_key="game.id", primary_key=True)
    seq: int = Field(primary_key=True)
    day: int
    phase: str
    kind: str
    actor: int | None = None
    target: int | None = None
    visibility: str
    text: str
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))


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
    about: int = Field(primary_key=True)
    role: str = Field(primary_key=True)
    holder: int
    probability: float


class LLMCall(SQLModel, table=True):
    """One attempt at one LLM request (retries and re-prompts are separate rows)."""

    id: int | None = Field(default=None, primary_key=True)
    game_id: int | None = Field(default=None, foreign_key="game.id", index=True)
    seat: int | None = None
    turn: int | None = None
    purpose: str = "turn"  # turn | judge
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


class Claim(SQLModel, table=True):
    """A checkable assertion extracted from public speech, labelled against ground truth.

    Written by `analysis.label_claims` (it replaces an extractor's rows, never appends twice).
    """

    __table_args__ = (
        Index("ix_claim_game_event", "game_id", "event_seq"),
        UniqueConstraint("game_id", "event_seq", "extractor", "position", name="uq_claim_slot"),
    )

    id: int | None = Field(default=None, primary_key=True)
    game_id: int = Field(foreign_key="game.id")
    event_seq: int
    turn: int | None = None  # the decision that produced the utterance (its beliefs apply)
    position: int = 0  # order of the claim within its utterance
    speaker: int
    claim_type: str  # role_claim|accusation|defence|inspection_claim|vote_claim|night_claim
    subject: int | None = None
    value: str
    hedged: bool = False
    extractor: str  # rules | judge:<model>
    truth: str | None = None  # true | false | unverifiable
    speaker_knew: str | None = None  # what the speaker's knowledge/beliefs said: true|false|unknown
    basis: str | None = None  # where that came from: own_role, pack, inspection, reveal, belief …
    belief_wolf: float | None = None  # speaker's logged P(subject is a werewolf) at that turn
    label: str | None = None  # truthful | lie | mistake | unverifiable
    belief_inconsistent: bool = False
    spontaneous: bool = False


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
