"""Schema 1: the tables as sdlab wrote them before schema versioning.

A database from that time has no `alembic_version` table; the store recognises its tables
and stamps it 0001 before upgrading. Creating these tables here lets an empty database be
brought to the head by migrations alone, which the tests compare with `create_all`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

NO_ROWID = {"sqlite_with_rowid": False}


def upgrade() -> None:
    """Create the schema-1 tables (the claim table belongs to analysis, not to the store)."""
    op.create_table(
        "tournament",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String, nullable=False, index=True),
        sa.Column("config", sa.JSON),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "game",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("tournament_id", sa.Integer, sa.ForeignKey("tournament.id"), index=True),
        sa.Column("slot", sa.Integer),
        sa.Column("game_type", sa.String, nullable=False),
        sa.Column("seed", sa.Integer, nullable=False),
        sa.Column("config", sa.JSON),
        sa.Column("status", sa.String, nullable=False, index=True),
        sa.Column("winner", sa.String),
        sa.Column("days", sa.Integer),
        sa.Column("n_turns", sa.Integer),
        sa.Column("error", sa.String),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("worker", sa.String),
        sa.Column("started_at", sa.DateTime),
        sa.Column("finished_at", sa.DateTime),
        sa.UniqueConstraint("tournament_id", "slot", name="uq_game_slot"),
    )
    op.create_index("ix_game_claim", "game", ["tournament_id", "status", "slot"])
    op.create_table(
        "player",
        sa.Column("name", sa.String, nullable=False),
        sa.Column("role", sa.String, nullable=False),
        sa.Column("team", sa.String, nullable=False),
        sa.Column("agent_kind", sa.String, nullable=False),
        sa.Column("model", sa.String),
        sa.Column("prompt_condition", sa.String, nullable=False),
        sa.Column("framing", sa.String, nullable=False),
        sa.Column("prompt_hash", sa.String),
        sa.Column("game_id", sa.Integer, sa.ForeignKey("game.id"), primary_key=True),
        sa.Column("seat", sa.Integer, primary_key=True),
        **NO_ROWID,
    )
    op.create_table(
        "event",
        sa.Column("game_id", sa.Integer, sa.ForeignKey("game.id"), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("day", sa.Integer, nullable=False),
        sa.Column("phase", sa.String, nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("actor", sa.Integer),
        sa.Column("target", sa.Integer),
        sa.Column("visibility", sa.String, nullable=False),
        sa.Column("text", sa.String, nullable=False),
        sa.Column("payload", sa.JSON),
        **NO_ROWID,
    )
    op.create_table(
        "turn",
        sa.Column("game_id", sa.Integer, sa.ForeignKey("game.id"), primary_key=True),
        sa.Column("turn", sa.Integer, primary_key=True),
        sa.Column("seat", sa.Integer, nullable=False),
        sa.Column("day", sa.Integer, nullable=False),
        sa.Column("phase", sa.String, nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("event_seq", sa.Integer),
        sa.Column("speech", sa.String, nullable=False),
        sa.Column("target", sa.Integer),
        sa.Column("bid", sa.Integer),
        sa.Column("reasoning", sa.String),
        sa.Column("fallback", sa.Boolean, nullable=False),
        sa.Column("intended_lie", sa.Boolean, nullable=False),
        sa.Column("stated_claims", sa.JSON),
        **NO_ROWID,
    )
    op.create_table(
        "belief",
        sa.Column("game_id", sa.Integer, sa.ForeignKey("game.id"), primary_key=True),
        sa.Column("turn", sa.Integer, primary_key=True),
        sa.Column("about", sa.Integer, primary_key=True),
        sa.Column("role", sa.String, primary_key=True),
        sa.Column("holder", sa.Integer, nullable=False),
        sa.Column("probability", sa.Float, nullable=False),
        **NO_ROWID,
    )
    op.create_table(
        "llmcall",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("game_id", sa.Integer, sa.ForeignKey("game.id"), index=True),
        sa.Column("seat", sa.Integer),
        sa.Column("turn", sa.Integer),
        sa.Column("purpose", sa.String, nullable=False),
        sa.Column("model", sa.String, nullable=False),
        sa.Column("messages", sa.JSON),
        sa.Column("response", sa.String),
        sa.Column("parsed_ok", sa.Boolean, nullable=False),
        sa.Column("error", sa.String),
        sa.Column("prompt_tokens", sa.Integer),
        sa.Column("completion_tokens", sa.Integer),
        sa.Column("cost", sa.Float),
        sa.Column("latency_s", sa.Float),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
