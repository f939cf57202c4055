"""The `claim` table: derived data that analysis alone defines, creates, replaces and reads.

It lives in its own MetaData, not in the store's (runs.schema), so the store's `create_all` and
its migrations never create or touch it. Claim rows are a function of the games and of the
extractor: when the table's columns differ from these (an older sdlab wrote it), it is dropped
and rebuilt on the next write rather than migrated.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import (
    Boolean,
    Column,
    Engine,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    delete,
    inspect,
    select,
)
from sqlalchemy.engine import Connection

from analysis.db import GameFilter, read_frame

CLAIM_METADATA = MetaData()

# No foreign key to game.id on purpose: the store deletes and replays games without knowing
# this table exists, and a constraint would make its deletes depend on analysis' rows.
claim_table = Table(
    "claim",
    CLAIM_METADATA,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("game_id", Integer, nullable=False),
    Column("event_seq", Integer, nullable=False),
    Column("turn", Integer),  # the decision that produced the utterance (its beliefs apply)
    Column("position", Integer, nullable=False, default=0),  # order within the utterance
    Column("speaker", Integer, nullable=False),
    Column("claim_type", String, nullable=False),  # vocab.CLAIM_TYPES
    Column("subject", Integer),
    Column("value", String, nullable=False),
    Column("hedged", Boolean, nullable=False, default=False),
    Column("extractor", String, nullable=False),  # rules | judge:<model>
    Column("truth", String),  # true | false | unverifiable
    Column("speaker_knew", String),  # true | false | unknown
    Column("basis", String),  # own_role, own_night, own_vote, pack, reveal, inspection, belief
    Column("belief_wolf", Float),  # the speaker's logged P(subject is a werewolf) at that turn
    Column("label", String),  # truthful | lie | mistake | unverifiable
    Column("belief_inconsistent", Boolean, nullable=False, default=False),
    Column("spontaneous", Boolean, nullable=False, default=False),
    Column("fallback", Boolean, nullable=False, default=False),  # from a fallback turn
    Index("ix_claim_game_event", "game_id", "event_seq"),
    UniqueConstraint("game_id", "event_seq", "extractor", "position", name="uq_claim_slot"),
)
CLAIM_COLUMNS = [c.name for c in claim_table.columns]


def ensure_claim_table(engine: Engine) -> None:
    """Create the claim table, or drop and rebuild it when its columns differ from ours."""
    insp = inspect(engine)
    if insp.has_table(claim_table.name):
        have = {c["name"] for c in insp.get_columns(claim_table.name)}
        if have == set(CLAIM_COLUMNS):
            return
        # Derived data: nothing is lost that the next label_claims does not recompute.
        claim_table.drop(engine)
    claim_table.create(engine)


def write_claims(
    engine: Engine,
    claims: pd.DataFrame,
    extractor: str,
    game_ids: Sequence[int] | None = None,
    *,
    only: GameFilter | None = None,
) -> int:
    """Replace this extractor's claim rows (for these games, or all) in one transaction."""
    ensure_claim_table(engine)
    cols = [c for c in CLAIM_COLUMNS if c != "id"]
    # Python objects with None for missing values: what every DB driver accepts.
    missing = {c: False for c in ("fallback",) if c not in claims}  # e.g. hand-made frames
    claims = claims.assign(**missing) if missing else claims
    values = [claims[c].astype(object).where(claims[c].notna(), None) for c in cols]
    rows = list(zip(*values, strict=True))
    with engine.begin() as conn:
        stmt = delete(claim_table).where(claim_table.c.extractor == extractor)
        if game_ids is not None:
            stmt = stmt.where(claim_table.c.game_id.in_(list(game_ids)))
        if only is not None:
            stmt = stmt.where(*only.on(claim_table.c.game_id))
        conn.execute(stmt)
        if not rows:
            return 0
        if conn.dialect.name == "sqlite":  # the driver's executemany: ~10x Core's speed here
            marks = ", ".join("?" * len(cols))
            sql = f"INSERT INTO {claim_table.name} ({', '.join(cols)}) VALUES ({marks})"
            conn.connection.driver_connection.executemany(sql, rows)  # type: ignore[union-attr]
        else:
            conn.execute(claim_table.insert(), [dict(zip(cols, r, strict=True)) for r in rows])
    return len(rows)


def read_claim_rows(conn: Connection, only: GameFilter | None = None) -> pd.DataFrame:
    """Stored claim rows as written (empty, with our columns, when absent or out of date)."""
    insp = inspect(conn)
    if not insp.has_table(claim_table.name):
        return pd.DataFrame(columns=CLAIM_COLUMNS)
    have = {c["name"] for c in insp.get_columns(claim_table.name)}
    if have != set(CLAIM_COLUMNS):  # an older sdlab's table: rebuilt on the next write
        return pd.DataFrame(columns=CLAIM_COLUMNS)
    query = select(claim_table)
    if only is not None:
        query = query.where(*only.on(claim_table.c.game_id))
    return read_frame(conn, query)
