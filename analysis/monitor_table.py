"""The `monitor_score` table: one score per public utterance × monitor, owned by analysis.

Like the claim table (analysis/claim_table.py) it lives in its own MetaData, so the store's
`create_all` and migrations never create or touch it, and it is dropped and rebuilt when its
columns differ from these (derived data: the next `analysis.monitors` run recomputes it).

A row is keyed by the utterance (`game_id`, `event_seq`), the monitor's name and what it was
trained on (`trained_on`: "" for monitors that learn nothing from labels — the LLM judge and
the baselines — else the target a cross-validated monitor was fitted to, since a classifier
trained to find lies and one trained to find werewolves are different monitors). `version`
says which revision of the monitor (prompt, features, model file) produced the score; a
re-run replaces the monitor's rows for the games it scored, whatever their version.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import (
    Column,
    Engine,
    Float,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    delete,
    inspect,
    select,
)
from sqlalchemy.engine import Connection

from analysis.db import GameFilter, read_frame

MONITOR_METADATA = MetaData()

# No foreign key to game.id, for the claim table's reason: the store deletes and replays games
# without knowing this table exists.
monitor_table = Table(
    "monitor_score",
    MONITOR_METADATA,
    Column("game_id", Integer, nullable=False),
    Column("event_seq", Integer, nullable=False),
    Column("monitor", String, nullable=False),  # length, random, text, judge:<model>, probe:<file>
    Column("trained_on", String, nullable=False, default=""),  # "" | lie | werewolf
    Column("version", String, nullable=False),
    Column("score", Float),  # higher = more suspicious; NULL where the monitor could not score
    PrimaryKeyConstraint("game_id", "event_seq", "monitor", "trained_on", name="pk_monitor_score"),
)
MONITOR_COLUMNS = [c.name for c in monitor_table.columns]


def ensure_monitor_table(engine: Engine) -> None:
    """Create the table, or drop and rebuild it when its columns differ from ours."""
    insp = inspect(engine)
    if insp.has_table(monitor_table.name):
        have = {c["name"] for c in insp.get_columns(monitor_table.name)}
        if have == set(MONITOR_COLUMNS):
            return
        monitor_table.drop(engine)  # derived data: the next run recomputes every score
    monitor_table.create(engine)


def write_scores(
    engine: Engine,
    scores: pd.DataFrame,
    monitor: str,
    game_ids: Sequence[int] | None = None,
    *,
    only: GameFilter | None = None,
) -> int:
    """Replace one monitor's rows (every `trained_on`) for these games, or all, in one transaction.

    `scores` has game_id, event_seq, trained_on, version and score columns.
    """
    ensure_monitor_table(engine)
    cols = [c for c in MONITOR_COLUMNS if c != "monitor"]
    frame = scores.assign(monitor=monitor)
    values = [frame[c].astype(object).where(frame[c].notna(), None) for c in ["monitor", *cols]]
    rows = [dict(zip(["monitor", *cols], r, strict=True)) for r in zip(*values, strict=True)]
    with engine.begin() as conn:
        stmt = delete(monitor_table).where(monitor_table.c.monitor == monitor)
        if game_ids is not None:
            stmt = stmt.where(monitor_table.c.game_id.in_([int(g) for g in game_ids]))
        if only is not None:
            stmt = stmt.where(*only.on(monitor_table.c.game_id))
        conn.execute(stmt)
        if rows:
            conn.execute(monitor_table.insert(), rows)
    return len(rows)


def read_scores(conn: Connection, only: GameFilter | None = None) -> pd.DataFrame:
    """Stored monitor scores (empty, with our columns, when absent or out of date)."""
    insp = inspect(conn)
    if not insp.has_table(monitor_table.name):
        return pd.DataFrame(columns=MONITOR_COLUMNS)
    have = {c["name"] for c in insp.get_columns(monitor_table.name)}
    if have != set(MONITOR_COLUMNS):  # an older sdlab's table: rebuilt on the next write
        return pd.DataFrame(columns=MONITOR_COLUMNS)
    query = select(monitor_table).order_by(
        monitor_table.c.monitor, monitor_table.c.game_id, monitor_table.c.event_seq
    )
    if only is not None:
        query = query.where(*only.on(monitor_table.c.game_id))
    return read_frame(conn, query)
