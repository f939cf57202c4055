"""Tournament rows: pending games, claiming one in a transaction, resetting stale ones.

Several processes (or machines, on PostgreSQL) may run one tournament: every game is a
`pending` row first, and a worker owns a game only once its claim has committed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Index, delete, func, insert, select, text, update
from sqlalchemy.engine import Connection

from runs import schema
from runs.schema import utcnow
from runs.store import StoreError, sqlite_value

_GAME = schema.Game.__table__
_LLMCALL = schema.LLMCall.__table__
_TOURNAMENT = schema.Tournament.__table__

_PARTIAL_ROWS = (schema.Belief, schema.Turn, schema.Event, schema.LLMCall, schema.Claim)


@dataclass(slots=True)
class ClaimedGame:
    """A pending game this worker now owns (status `running`)."""

    id: int
    slot: int
    seed: int


# Claims look for the lowest pending slot of one tournament: without this index each claim
# scans past every finished game (quadratic over a tournament).
_CLAIM_INDEX = Index("ix_game_claim", _GAME.c.tournament_id, _GAME.c.status, _GAME.c.slot)


def _write_lock(conn: Connection, key: str) -> None:
    """Serialise writers for a check-then-write: BEGIN IMMEDIATE (SQLite), advisory lock (PG)."""
    conn.commit()  # the lock must open a fresh transaction
    dialect = conn.dialect.name
    if dialect == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif dialect == "postgresql":
        lock_id = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big")
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock_id - 2**63})


def ensure_tournament(
    conn: Connection, name: str, config: dict[str, Any], fingerprint: str, games: list[dict]
) -> tuple[int, bool]:
    """Create a tournament with its pending games, or find the same one again.

    Returns (tournament id, created). A tournament of that name with another fingerprint is
    refused with a StoreError: resuming must never mix two experiments under one name.
    """
    _CLAIM_INDEX.create(conn, checkfirst=True)
    _write_lock(conn, f"tournament:{name}")
    try:
        rows = conn.execute(
            select(_TOURNAMENT.c.id, _TOURNAMENT.c.config).where(_TOURNAMENT.c.name == name)
        ).all()
        mine = [r.id for r in rows if (r.config or {}).get("fingerprint") == fingerprint]
        if rows and not mine:
            raise StoreError(
                f"tournament {name!r} already exists in this database with a different config; "
                "use another name (or the original config to resume it)"
            )
        created = not mine
        if created:
            result = conn.execute(
                insert(_TOURNAMENT).values(
                    name=name,
                    config={"fingerprint": fingerprint, **config},
                    created_at=utcnow(),
                )
            )
            tid = int(result.inserted_primary_key[0])  # type: ignore[index]
            have: set[int] = set()
        else:
            tid = mine[0]
            have = set(conn.scalars(select(_GAME.c.slot).where(_GAME.c.tournament_id == tid)))
        missing = [
            {"tournament_id": tid, "status": "pending", "attempts": 0, **g}
            for g in games
            if g["slot"] not in have
        ]
        if missing:
            conn.execute(insert(_GAME), missing)
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return tid, created


def claim_next_game(conn: Connection, tournament_id: int, worker: str) -> ClaimedGame | None:
    """Atomically take the lowest pending slot of a tournament, or None when none is left."""
    conn.commit()
    if conn.dialect.name == "sqlite":
        # SQLite has one writer at a time: a single UPDATE … RETURNING is the whole claim
        # (raw driver, like GameRecorder: this runs once per game).
        raw = conn.connection.driver_connection
        try:
            row = raw.execute(
                "UPDATE game SET status='running', attempts=attempts+1, worker=?, started_at=?,"
                " finished_at=NULL, error=NULL WHERE id = (SELECT id FROM game"
                " WHERE tournament_id=? AND status='pending' ORDER BY slot LIMIT 1)"
                " AND status='pending' RETURNING id, slot, seed",
                (worker, sqlite_value(utcnow()), tournament_id),
            ).fetchone()
            raw.commit()
        except BaseException:
            raw.rollback()
            raise
        return None if row is None else ClaimedGame(*row)
    pending = (_GAME.c.tournament_id == tournament_id) & (_GAME.c.status == "pending")
    try:
        # Row locks + SKIP LOCKED: concurrent claimers each get a different row, no waiting.
        target = conn.scalar(
            select(_GAME.c.id)
            .where(pending)
            .order_by(_GAME.c.slot)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if target is None:
            conn.commit()
            return None
        claimed = conn.execute(
            update(_GAME)
            .where(_GAME.c.id == target)
            .values(
                status="running",
                attempts=_GAME.c.attempts + 1,
                worker=worker,
                started_at=utcnow(),
                finished_at=None,
                error=None,
            )
            .returning(_GAME.c.id, _GAME.c.slot, _GAME.c.seed)
        ).one()
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return ClaimedGame(claimed.id, claimed.slot, claimed.seed)


def reset_game(conn: Connection, game_id: int, status: str, worker: str | None) -> bool:
    """Make a stale game pending again and delete its partial rows, in one transaction.

    Only if it is still in `status` under `worker`: two workers resetting the same stale game
    must not wipe a replay the first one has already claimed. Returns whether it was reset.
    """
    try:
        # The UPDATE comes first so that it takes the write lock (SQLite) or row lock (PG).
        same_worker = _GAME.c.worker.is_(None) if worker is None else _GAME.c.worker == worker
        done = conn.execute(
            update(_GAME)
            .where((_GAME.c.id == game_id) & (_GAME.c.status == status) & same_worker)
            .values(status="pending", worker=None, started_at=None, finished_at=None)
        )
        if done.rowcount != 1:
            conn.rollback()
            return False
        for table in (*_PARTIAL_ROWS, schema.Player):
            t = table.__table__  # type: ignore[attr-defined]
            conn.execute(delete(t).where(t.c.game_id == game_id))
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return True


def tournament_games(conn: Connection, tournament_id: int) -> list[Any]:
    """(id, slot, status, attempts, worker) of every game of a tournament, by slot."""
    return list(
        conn.execute(
            select(_GAME.c.id, _GAME.c.slot, _GAME.c.status, _GAME.c.attempts, _GAME.c.worker)
            .where(_GAME.c.tournament_id == tournament_id)
            .order_by(_GAME.c.slot)
        ).all()
    )


def tournament_cost(conn: Connection, tournament_id: int) -> float:
    """Dollars recorded on the LLM calls of a tournament's games."""
    game_ids = select(_GAME.c.id).where(_GAME.c.tournament_id == tournament_id)
    total = conn.scalar(
        select(func.coalesce(func.sum(_LLMCALL.c.cost), 0.0)).where(
            _LLMCALL.c.game_id.in_(game_ids)
        )
    )
    conn.commit()
    return float(total or 0.0)


def fail_claimed_game(conn: Connection, game_id: int, error: str) -> None:
    """Mark a claimed game failed before it had a recorder (its agents could not be built)."""
    conn.execute(
        update(_GAME)
        .where(_GAME.c.id == game_id)
        .values(status="failed", error=error[:2000], finished_at=utcnow())
    )
    conn.commit()
