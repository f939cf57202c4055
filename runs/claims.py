"""Plan rows: pending games, claiming one in a transaction, giving back or resetting games.

Several processes (or machines, on PostgreSQL) may play one plan: every game is a `pending`
row first, and a worker owns a game only once its claim has committed. A game is claimed at
most `max_attempts` times; past that it stays `failed` with the reason.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.engine import Connection

from runs import schema
from runs.schema import utcnow
from runs.store import (
    StoreError,
    running_under,
    sqlite_value,
    storable_text,
    writers_lock,
    writing,
)

_GAME = schema.Game.__table__
_LLMCALL = schema.LLMCall.__table__
_TOURNAMENT = schema.Tournament.__table__

# A game's own rows, deleted before a replay. (Derived tables such as analysis's claims only
# exist for finished games, which are never replayed.)
_PARTIAL_ROWS = (schema.Belief, schema.Turn, schema.Event, schema.LLMCall, schema.Player)


_CHUNK = 5000


@dataclass(slots=True)
class ClaimedGame:
    """A pending game this worker now owns (status `running`)."""

    id: int
    slot: int
    seed: int


def write_lock(conn: Connection, key: str) -> None:
    """Serialise writers for a check-then-write: BEGIN IMMEDIATE (SQLite), advisory lock (PG)."""
    conn.commit()  # the lock must open a fresh transaction
    dialect = conn.dialect.name
    if dialect == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif dialect == "postgresql":
        lock_id = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big")
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock_id - 2**63})


def ensure_tournament(
    conn: Connection,
    name: str,
    config: dict[str, Any],
    fingerprint: str,
    games: Iterable[dict[str, Any]],
    provenance: dict[str, Any] | None = None,
) -> tuple[int, bool]:
    """Create a tournament with its pending games, or find the same one again.

    Returns (tournament id, created). A tournament of that name with another fingerprint is
    refused with a StoreError: resuming must never mix two experiments under one name.
    """
    write_lock(conn, f"tournament:{name}")
    try:
        rows = conn.execute(
            select(_TOURNAMENT.c.id, _TOURNAMENT.c.config).where(_TOURNAMENT.c.name == name)
        ).all()
        mine = [r.id for r in rows if (r.config or {}).get("fingerprint") == fingerprint]
        if rows and not mine:
            raise StoreError(
                f"a plan named {name!r} already exists in this database with other games; "
                "use another name (or the original settings to resume it)"
            )
        created = not mine
        if created:
            result = conn.execute(
                insert(_TOURNAMENT).values(
                    name=name,
                    config={"fingerprint": fingerprint, **config},
                    created_at=utcnow(),
                    provenance=provenance,
                )
            )
            tid = int(result.inserted_primary_key[0])  # type: ignore[index]
            have: set[int] = set()
        else:
            tid = mine[0]
            have = set(conn.scalars(select(_GAME.c.slot).where(_GAME.c.tournament_id == tid)))
        # Rows go in chunks: a plan of a million games must not sit in memory as dicts.
        chunk: list[dict[str, Any]] = []
        for g in games:
            if g["slot"] in have:
                continue
            chunk.append({"tournament_id": tid, "status": "pending", "attempts": 0, **g})
            if len(chunk) == _CHUNK:
                conn.execute(insert(_GAME), chunk)
                chunk = []
        if chunk:
            conn.execute(insert(_GAME), chunk)
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
            with writing(writers_lock(conn)):
                row = raw.execute(
                    "UPDATE game SET status='running', attempts=attempts+1, worker=?,"
                    " started_at=?, finished_at=NULL, error=NULL WHERE id = (SELECT id FROM"
                    " game WHERE tournament_id=? AND status='pending' ORDER BY slot LIMIT 1)"
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


def reset_game(
    conn: Connection,
    game_id: int,
    status: str,
    worker: str | None,
    *,
    give_back: bool = False,
    give_up: str | None = None,
) -> bool:
    """Make a game pending again (or failed, with `give_up` as the error), deleting its rows.

    Only if it is still in `status` under `worker`: two workers resetting the same stale game
    must not wipe a replay the first one has already claimed. `give_back` returns the attempt
    too (an interruption is not the game's fault). Returns whether it was reset.
    """
    values: dict[str, Any] = {"worker": None, "started_at": None, "finished_at": None}
    if give_up is not None:
        values.update(status="failed", error=give_up[:2000], finished_at=utcnow())
    else:
        values.update(status="pending", error=None)
    if give_back:
        values["attempts"] = _GAME.c.attempts - 1
    try:
        # The UPDATE comes first so that it takes the write lock (SQLite) or row lock (PG).
        same_worker = _GAME.c.worker.is_(None) if worker is None else _GAME.c.worker == worker
        done = conn.execute(
            update(_GAME)
            .where((_GAME.c.id == game_id) & (_GAME.c.status == status) & same_worker)
            .values(**values)
        )
        if done.rowcount != 1:
            conn.rollback()
            return False
        for table in _PARTIAL_ROWS:
            t = table.__table__  # type: ignore[attr-defined]
            conn.execute(delete(t).where(t.c.game_id == game_id))
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return True


def games_in(conn: Connection, tournament_id: int, statuses: Iterable[str]) -> list[Any]:
    """(id, slot, status, attempts, worker) of a plan's games in these statuses, by slot."""
    rows = conn.execute(
        select(_GAME.c.id, _GAME.c.slot, _GAME.c.status, _GAME.c.attempts, _GAME.c.worker)
        .where((_GAME.c.tournament_id == tournament_id) & _GAME.c.status.in_(list(statuses)))
        .order_by(_GAME.c.slot)
    ).all()
    conn.commit()
    return list(rows)


def status_counts(conn: Connection, tournament_id: int) -> dict[str, int]:
    """How many of a plan's games are in each status."""
    rows = conn.execute(
        select(_GAME.c.status, func.count())
        .where(_GAME.c.tournament_id == tournament_id)
        .group_by(_GAME.c.status)
    ).all()
    conn.commit()
    return {status: int(n) for status, n in rows}


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


def fail_claimed_game(
    conn: Connection, game_id: int, error: str, worker: str | None = None
) -> None:
    """Mark a claimed game failed if it is still running (under `worker`, when given)."""
    conn.rollback()
    conn.execute(
        update(_GAME)
        .where(running_under(game_id, worker))
        .values(status="failed", error=storable_text(error)[0][:2000], finished_at=utcnow())
    )
    conn.commit()
