"""Provenance, text repairs, structured-output mode; player key columns first.

- tournament.provenance: sdlab version, git commit, Python and package versions.
- game.text_repairs: characters replaced to make a model's text storable.
- llmcall.mode: the structured-output mode of each request.
- player: key columns first (SQLite 3.40's integrity_check misreports NOT NULL columns
  that precede the primary key of a WITHOUT ROWID table; the rows are copied unchanged).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

PLAYER_COLUMNS = (
    "game_id, seat, name, role, team, agent_kind, model, prompt_condition, framing, prompt_hash"
)


def upgrade() -> None:
    """Add the three columns; rebuild `player` with its key first."""
    with op.batch_alter_table("tournament") as batch:
        batch.add_column(sa.Column("provenance", sa.JSON, nullable=True))
    with op.batch_alter_table("game") as batch:
        batch.add_column(sa.Column("text_repairs", sa.Integer, nullable=False, server_default="0"))
    with op.batch_alter_table("llmcall") as batch:
        batch.add_column(sa.Column("mode", sa.String, nullable=True))
    # One column order on every database (it only matters to SQLite's check, but `SELECT *`
    # should read the same everywhere).
    op.create_table(
        "player_new",
        sa.Column("game_id", sa.Integer, sa.ForeignKey("game.id"), primary_key=True),
        sa.Column("seat", sa.Integer, primary_key=True),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("role", sa.String, nullable=False),
        sa.Column("team", sa.String, nullable=False),
        sa.Column("agent_kind", sa.String, nullable=False),
        sa.Column("model", sa.String),
        sa.Column("prompt_condition", sa.String, nullable=False),
        sa.Column("framing", sa.String, nullable=False),
        sa.Column("prompt_hash", sa.String),
        sqlite_with_rowid=False,
    )
    op.execute(f"INSERT INTO player_new ({PLAYER_COLUMNS}) SELECT {PLAYER_COLUMNS} FROM player")
    op.drop_table("player")
    op.rename_table("player_new", "player")
