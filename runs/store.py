"""Opening the database and writing games into it, one transaction per turn."""

from __future__ import annotations

import json
import os
import time
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Engine, Table, event, insert, update
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlmodel import SQLModel, create_engine

from runs import schema
from runs.schema import PlayerInfo, utcnow


class StoreError(Exception):
    """The database cannot be used (bad path or URL); the message says why."""


def db_url(target: str) -> str:
    """Accept a SQLAlchemy URL or a plain file path (taken as SQLite)."""
    if "://" in target:
        return target
    path = Path(target).expanduser()
    if path.is_dir():
        raise StoreError(f"{target} is a directory, not a database file")
    if not path.parent.exists():
        raise StoreError(f"directory {path.parent} does not exist")
    if not os.access(path.parent, os.W_OK):
        raise StoreError(f"directory {path.parent} is not writable")
    return f"sqlite:///{path}"


def open_engine(target: str, create: bool = True) -> Engine:
    """Engine for a path or URL; SQLite gets WAL and foreign keys; tables are created."""
    url = db_url(target)
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError("not a database URL (expected e.g. postgresql+psycopg://…)") from exc
    # Messages name the database without its password: they end up in terminals and logs.
    target = parsed.render_as_string(hide_password=True) if "://" in target else target
    sqlite = parsed.get_backend_name() == "sqlite"
    try:
        engine = create_engine(
            url, json_serializer=_dumps, connect_args={"timeout": 30} if sqlite else {}
        )
    except (NoSuchModuleError, ImportError) as exc:
        raise StoreError(f"cannot open database {target}: no driver ({_first_line(exc)})") from exc
    if sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        if create:
            _create_tables(engine)
        else:
            with engine.connect():
                pass
    except Exception as exc:  # driver errors differ per backend; the message is what matters
        raise StoreError(f"cannot open database {target}: {_first_line(exc)}") from exc
    return engine


def _create_tables(engine: Engine, tries: int = 5) -> None:
    # Workers that open a new database at the same moment race on CREATE TABLE (tournaments
    # start several at once): the loser retries, and then finds the tables there.
    for attempt in range(tries):
        try:
            SQLModel.metadata.create_all(engine)
            return
        except DBAPIError:
            if attempt == tries - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    # NORMAL is crash-safe in WAL mode (a power cut may lose the last commits, never corrupt).
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def sqlite_value(value: Any) -> Any:
    """A value as the SQLite driver should store it (datetimes in SQLAlchemy's text format)."""
    # The text format SQLAlchemy's SQLite DateTime type writes and reads back.
    return value.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(value, datetime) else value


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), default=str)


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


@cache
def _sqlite_insert(
    table: Table, columns: tuple[str, ...] | None = None
) -> tuple[str, tuple[str, ...], frozenset[str]]:
    """(INSERT statement, its columns, the JSON ones) for the raw driver, built once."""
    if columns is None:
        # An integer primary key alone is SQLite's rowid: let the database number it.
        pk = list(table.primary_key.columns)
        auto = pk[0].name if len(pk) == 1 and pk[0].name == "id" else None
        columns = tuple(c.name for c in table.columns if c.name != auto)
    json_cols = frozenset(c.name for c in table.columns if isinstance(c.type, JSON))
    marks = ", ".join("?" * len(columns))
    return f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})", columns, json_cols


_EVENT_COLS = (
    "game_id",
    "seq",
    "day",
    "phase",
    "kind",
    "actor",
    "target",
    "visibility",
    "text",
    "payload",
)
_BELIEF_COLS = ("game_id", "turn", "about", "role", "holder", "probability")


def _same(value: Any) -> Any:
    return value


_EVENT = schema.Event.__table__
_TURN = schema.Turn.__table__
_BELIEF = schema.Belief.__table__
_GAME = schema.Game.__table__
_PLAYER = schema.Player.__table__
_LLMCALL = schema.LLMCall.__table__
_TOURNAMENT = schema.Tournament.__table__


class GameRecorder:
    """Writes one game: buffered rows are committed together at each `commit()` (one per turn).

    The game row says `running` until `finish()` commits the last rows with `finished` in the
    same transaction, so a crash at any point never leaves a half game counted as finished.
    """

    def __init__(self, conn: Connection, game_id: int, per_turn: bool = True) -> None:
        self.conn = conn
        self.game_id = game_id
        # per_turn=False keeps the rows until `finish()`: for scripted batches, where a lost
        # game is replayed from its seed in milliseconds, one commit per game is 2x faster.
        self.per_turn = per_turn
        # On SQLite, rows go straight to the driver: SQLAlchemy's per-statement overhead was
        # most of the logging cost in bench_engine. Other databases use SQLAlchemy Core.
        self._raw = conn.connection.driver_connection if conn.dialect.name == "sqlite" else None
        # Events and beliefs are the bulk of the rows: they are buffered as tuples in
        # _EVENT_COLS / _BELIEF_COLS order, which the SQLite driver takes as they are.
        self.events: list[tuple[Any, ...]] = []
        self.turns: list[dict[str, Any]] = []
        self.beliefs: list[tuple[Any, ...]] = []
        self.calls: list[dict[str, Any]] = []
        self._json = _dumps if self._raw is not None else _same

    def add_event(self, e: Any) -> None:
        """Buffer one games.core Event."""
        self.events.append(
            (
                self.game_id,
                e.seq,
                e.day,
                e.phase,
                e.kind,
                e.actor,
                e.target,
                e.visibility,
                e.text,
                self._json(e.payload),
            )
        )

    def add_turn(self, row: dict[str, Any], beliefs: dict[int, dict[str, float]]) -> None:
        """Buffer one decision and the beliefs logged with it."""
        row["game_id"] = self.game_id
        self.turns.append(row)
        turn, holder, game_id = row["turn"], row["seat"], self.game_id
        self.beliefs.extend(
            (game_id, turn, about, role, holder, float(p))
            for about, dist in beliefs.items()
            for role, p in dist.items()
        )

    def add_call(self, row: dict[str, Any]) -> None:
        """Buffer one LLM call row."""
        row["game_id"] = self.game_id
        # Column defaults live in Python (SQLModel), and the raw sqlite path bypasses them.
        row.setdefault("purpose", "turn")
        now = utcnow()
        row.setdefault("created_at", sqlite_value(now) if self._raw is not None else now)
        self.calls.append(row)

    def commit(self) -> None:
        """Write everything buffered in one transaction (a no-op unless per_turn)."""
        if not self.per_turn:
            return
        self._write()
        if self._raw is not None:
            self._raw.commit()
        else:
            self.conn.commit()

    def finish(self, winner: str | None, days: int, n_turns: int) -> None:
        """Write the rest and mark the game finished, atomically."""
        self._write()
        values = {
            "status": "finished",
            "winner": winner,
            "days": days,
            "n_turns": n_turns,
            "finished_at": utcnow(),
            "error": None,
        }
        if self._raw is not None:
            self._raw.execute(
                "UPDATE game SET status=?, winner=?, days=?, n_turns=?, finished_at=?, error=? "
                "WHERE id=?",
                (*(sqlite_value(v) for v in values.values()), self.game_id),
            )
            self._raw.commit()
            return
        self.conn.execute(update(_GAME).where(_GAME.c.id == self.game_id).values(**values))
        self.conn.commit()

    def fail(self, error: str) -> None:
        """Roll back the open turn and mark the game failed (its rows stay for inspection)."""
        if self._raw is not None:
            self._raw.rollback()
        self.conn.rollback()
        self.events.clear()
        self.turns.clear()
        self.beliefs.clear()
        self._write_calls()  # money spent on calls is recorded even when the game fails
        self.conn.execute(
            update(_GAME)
            .where(_GAME.c.id == self.game_id)
            .values(status="failed", error=error[:2000], finished_at=utcnow())
        )
        self.conn.commit()

    def _write(self) -> None:
        for table, cols, tuples in (
            (_EVENT, _EVENT_COLS, self.events),
            (_BELIEF, _BELIEF_COLS, self.beliefs),
        ):
            if not tuples:
                continue
            if self._raw is not None:
                self._raw.executemany(_sqlite_insert(table, cols)[0], tuples)
            else:
                self.conn.execute(insert(table), [dict(zip(cols, t, strict=True)) for t in tuples])
            tuples.clear()
        if self.turns:
            self._insert(_TURN, self.turns)
            self.turns.clear()
        self._write_calls()

    def _write_calls(self) -> None:
        if self.calls:
            self._insert(_LLMCALL, self.calls)
            self.calls.clear()

    def _insert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        if self._raw is None:
            self.conn.execute(insert(table), rows)
            return
        sql, columns, json_cols = _sqlite_insert(table)
        params = [
            tuple(_dumps(r.get(c)) if c in json_cols else r.get(c) for c in columns) for r in rows
        ]
        self._raw.executemany(sql, params)


def create_tournament(conn: Connection, name: str, config: dict[str, Any]) -> int:
    """Insert a Tournament row and return its id."""
    result = conn.execute(insert(_TOURNAMENT).values(name=name, config=config, created_at=utcnow()))
    conn.commit()
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def start_game(
    conn: Connection,
    *,
    seed: int,
    config: dict[str, Any],
    players: list[PlayerInfo],
    tournament_id: int | None = None,
    game_id: int | None = None,
    worker: str | None = None,
    per_turn: bool = True,
) -> GameRecorder:
    """Create (or restart a claimed pending) game row as `running` with its players."""
    now = utcnow()
    rows = [{"game_id": game_id, **p.model_dump()} for p in players]
    if conn.dialect.name == "sqlite":
        # Same fast path as GameRecorder: this runs once per game in 200+ games/s batches.
        raw = conn.connection.driver_connection
        if game_id is None:
            cur = raw.execute(
                "INSERT INTO game (tournament_id, seed, config, status, attempts, started_at,"
                " worker, game_type) VALUES (?, ?, ?, 'running', 1, ?, ?, 'werewolf')",
                (tournament_id, seed, _dumps(config), sqlite_value(now), worker),
            )
            game_id = int(cur.lastrowid)  # type: ignore[arg-type]
        for row in rows:
            row["game_id"] = game_id
        sql, columns, _ = _sqlite_insert(_PLAYER)
        raw.executemany(sql, [tuple(r[c] for c in columns) for r in rows])
        raw.commit()
        return GameRecorder(conn, game_id, per_turn)
    if game_id is None:
        result = conn.execute(
            insert(_GAME).values(
                tournament_id=tournament_id,
                seed=seed,
                config=config,
                status="running",
                attempts=1,
                started_at=now,
                worker=worker,
            )
        )
        game_id = int(result.inserted_primary_key[0])  # type: ignore[index]
    for row in rows:
        row["game_id"] = game_id
    conn.execute(insert(_PLAYER), rows)
    conn.commit()
    return GameRecorder(conn, game_id, per_turn)
