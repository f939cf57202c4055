"""Opening the database (versioned, migrated, never touching a foreign file) and writing games.

Every text a model or player produces can be stored: NUL characters and lone surrogates
(which PostgreSQL and SQLite's UTF-8 reject) are replaced with U+FFFD, and the number of
replaced characters is kept on the game row (`text_repairs`).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from functools import cache
from operator import itemgetter
from pathlib import Path
from typing import Any

from pydantic_core import PydanticSerializationError, to_json
from sqlalchemy import (
    JSON,
    Column,
    Engine,
    MetaData,
    String,
    Table,
    event,
    insert,
    text,
    update,
)
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlmodel import SQLModel, create_engine

from runs import schema
from runs.schema import SCHEMA_REVISION, PlayerInfo, schema_state, utcnow

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class StoreError(Exception):
    """The database cannot be used (bad path or URL, foreign file, other version); one line."""


class GameTakenOver(StoreError):
    """The game being written is no longer this worker's (`--reclaim` gave it to another)."""


_URL_PASSWORD = re.compile(r"(://[^/:@]*:)[^/@]*@")


def display_url(target: str) -> str:
    """A path or URL fit to print: a password inside a URL is masked."""
    if "://" not in target:
        return target
    # A regex rather than a URL parser: it must work on URLs too broken to parse.
    return _URL_PASSWORD.sub(r"\1***@", target)


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


MigrateHook = Callable[[str | None, str], None]


def open_engine(target: str, on_migrate: MigrateHook | None = None) -> Engine:
    """Engine for a path or URL whose schema is this sdlab's, creating or migrating it.

    A new or empty database gets the tables; an older sdlab database is migrated (Alembic,
    `on_migrate(from, to)` is told); a newer one, or a file that is not an sdlab database,
    is refused with a StoreError and left exactly as it was.
    """
    url = db_url(target)
    shown = display_url(target)
    try:
        parsed = make_url(url)
        parsed.port  # noqa: B018  (a non-numeric port raises here, not at connect time)
    except (ArgumentError, ValueError) as exc:
        raise StoreError(f"not a database URL: {shown} ({_first_line(exc)})") from None
    sqlite = parsed.get_backend_name() == "sqlite"
    if sqlite and parsed.database:
        _check_sqlite_file(Path(parsed.database), shown)
    try:
        engine = create_engine(
            url, json_serializer=_dumps, connect_args={"timeout": 30} if sqlite else {}
        )
    except (NoSuchModuleError, ImportError) as exc:
        raise StoreError(f"cannot open database {shown}: no driver ({_first_line(exc)})") from None
    except Exception as exc:  # bad query arguments and the like
        raise StoreError(f"cannot open database {shown}: {_first_line(exc)}") from None
    if sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        _ensure_schema(engine, shown, on_migrate)
    except StoreError:
        engine.dispose()
        raise
    except Exception as exc:  # driver errors differ per backend; the message is what matters
        engine.dispose()
        raise StoreError(f"cannot open database {shown}: {_first_line(exc)}") from None
    return engine


def _check_sqlite_file(path: Path, shown: str) -> None:
    """Refuse a SQLite file that is not ours before any connection can change it (WAL mode)."""
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
        try:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{shown} is not a SQLite database ({exc})") from None
    if names and not set(schema.STORE_TABLES) & names:
        listed = ", ".join(sorted(names)[:5])
        raise StoreError(
            f"{shown} is not an sdlab database (it holds {listed}); refusing to modify it"
        )


def _ensure_schema(engine: Engine, shown: str, on_migrate: MigrateHook | None) -> None:
    for attempt in range(5):
        try:
            with engine.connect() as conn:
                state, revision = schema_state(conn)
                conn.rollback()
                if state == "current":
                    return
                _refuse(state, revision, shown)
                _write_lock(conn)
                # Re-read under the lock: another worker may have done it meanwhile.
                state, revision = schema_state(conn)
                _refuse(state, revision, shown)
                if state == "empty":
                    SQLModel.metadata.create_all(conn)
                    _stamp(conn, SCHEMA_REVISION)
                elif state == "older":
                    _migrate(conn, revision)
                    if on_migrate is not None:
                        on_migrate(revision, SCHEMA_REVISION)
                conn.commit()
                return
        except DBAPIError:
            # Workers opening a new database at the same moment race on the lock (SQLite's
            # busy timeout covers most of it): the loser retries and finds the tables there.
            if attempt == 4:
                raise
            time.sleep(0.05 * (attempt + 1))


def _refuse(state: str, revision: str | None, shown: str) -> None:
    if state == "foreign":
        raise StoreError(f"{shown} is not an sdlab database; refusing to modify it")
    if state == "newer":
        raise StoreError(
            f"{shown} has schema {revision}, newer than this sdlab's {SCHEMA_REVISION}: "
            "upgrade sdlab to use it"
        )


def _write_lock(conn: Connection) -> None:
    """Serialise schema changes between workers (BEGIN IMMEDIATE / an advisory lock)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(4242001)"))


_VERSION_TABLE = Table(
    "alembic_version",
    MetaData(),
    Column("version_num", String(32), primary_key=True, nullable=False),
)


def _stamp(conn: Connection, revision: str) -> None:
    _VERSION_TABLE.create(conn, checkfirst=True)
    conn.execute(_VERSION_TABLE.delete())
    conn.execute(_VERSION_TABLE.insert().values(version_num=revision))


def alembic_config(conn: Connection) -> Any:
    """An Alembic config that runs runs/migrations on this connection."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    return config


def _migrate(conn: Connection, revision: str | None) -> None:
    """Upgrade to the head with Alembic on this (locked) connection."""
    from alembic import command

    if not schema_has_version_table(conn):
        _stamp(conn, revision or "0001")  # a database from before versioning
    command.upgrade(alembic_config(conn), "head")


def schema_has_version_table(conn: Connection) -> bool:
    """Whether Alembic's version table exists."""
    from sqlalchemy import inspect

    return inspect(conn).has_table("alembic_version")


def migrate(target: str) -> tuple[str | None, str]:
    """Bring a database to this sdlab's schema: (revision before, revision now)."""
    seen: list[str | None] = []
    open_engine(target, lambda old, new: seen.append(old)).dispose()
    return (seen[0] if seen else SCHEMA_REVISION), SCHEMA_REVISION


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    # NORMAL is crash-safe in WAL mode (a power cut may lose the last commits, never corrupt).
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    # Checkpoint every 10,000 WAL pages instead of 1,000: per-turn commits rewrite the same
    # few leaf pages, so a checkpoint copies each page once for many commits, and the fsyncs
    # it costs (WAL and database) fall ~7x (strace, 300 games: 143 -> 20). The WAL grows to
    # ~40 MB at most before it is reused; durability is what synchronous says, as before.
    cur.execute("PRAGMA wal_autocheckpoint=10000")
    cur.close()
    # Text a foreign writer left as invalid UTF-8 reads back with replacement characters.
    dbapi_conn.text_factory = lambda b: b.decode("utf-8", "replace")


# ----- storable text ---------------------------------------------------------------------------
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable_text(value: str) -> tuple[str, int]:
    """`value` with NUL and lone surrogates replaced by U+FFFD, and how many were replaced."""
    if value.isascii() and "\x00" not in value:
        return value, 0
    fixed, n = _UNSTORABLE.subn("\ufffd", value)
    return fixed, n


def storable(value: Any) -> tuple[Any, int]:
    """Any JSON-like value with every string made storable, and the count of replacements."""
    if isinstance(value, str):
        return storable_text(value)
    if isinstance(value, dict):
        out, total = {}, 0
        for k, v in value.items():
            k2, n1 = storable(k) if isinstance(k, str) else (k, 0)
            v2, n2 = storable(v)
            out[k2] = v2
            total += n1 + n2
        return out, total
    if isinstance(value, list | tuple):
        items = [storable(v) for v in value]
        return [v for v, _ in items], sum(n for _, n in items)
    return value, 0


def sqlite_value(value: Any) -> Any:
    """A value as the SQLite driver should store it (datetimes in SQLAlchemy's text format)."""
    # The text format SQLAlchemy's SQLite DateTime type writes and reads back.
    return value.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(value, datetime) else value


def _dumps(value: Any) -> str:
    # pydantic-core's encoder is ~4x faster than json's, and this runs for every event and
    # decision; it refuses lone surrogates (json escapes them), hence the fallback.
    try:
        return to_json(value, serialize_unknown=True).decode()
    except PydanticSerializationError:
        return json.dumps(value, separators=(",", ":"), default=str)


def _first_line(exc: BaseException) -> str:
    message = str(getattr(exc, "orig", None) or exc)
    return message.strip().splitlines()[0] if message.strip() else type(exc).__name__


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
_TURN_COLS = tuple(c.name for c in schema.Turn.__table__.columns)
# A turn row's values in _TURN_COLS order with one C-level call instead of a Python loop.
_TURN_VALUES = itemgetter(*_TURN_COLS)
_EMPTY_OBJECT, _EMPTY_LIST = "{}", "[]"


def _same(value: Any) -> Any:
    return value


_EVENT = schema.Event.__table__
_TURN = schema.Turn.__table__
_BELIEF = schema.Belief.__table__
_GAME = schema.Game.__table__
_PLAYER = schema.Player.__table__
_LLMCALL = schema.LLMCall.__table__
_TOURNAMENT = schema.Tournament.__table__


try:
    import fcntl
except ImportError:  # Windows: SQLite's busy handler alone
    fcntl = None  # type: ignore[assignment]

_WRITER_LOCKS: dict[tuple[int, str], int] = {}  # (pid, SQLite file) -> its lock file's fd


def writers_lock(conn: Connection) -> int | None:
    """This process's descriptor of the SQLite file's writers' lock (`<db>-lock`), or None.

    Writers on one SQLite file queue on this `flock` before each write transaction. Left to
    SQLite's busy handler, a process that finds the file locked sleeps 1, 2, 5, 10, 25 ms …
    with its whole event loop, while a busy neighbour keeps taking the lock between sleeps
    (two scripted workers on one file: 169-172 games/s without this lock, 205-223 with it).
    A blocked `flock` wakes at the release.
    None for other databases, in-memory files, or where `flock` does not exist.
    """
    if fcntl is None or conn.dialect.name != "sqlite":
        return None
    database = conn.engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    # Per process: a forked child shares its parent's descriptor, and so its flock.
    key = (os.getpid(), os.path.abspath(database))
    fd = _WRITER_LOCKS.get(key)
    if fd is None:
        try:
            # Kept open for the life of the process: one descriptor per file, never closed.
            fd = os.open(f"{key[1]}-lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError:
            return None  # a read-only directory: SQLite's own locking still holds
        fd = _WRITER_LOCKS.setdefault(key, fd)
    return fd


@contextlib.contextmanager
def writing(lock: int | None) -> Iterator[None]:
    """Hold the writers' lock (from `writers_lock`) around one write transaction."""
    if lock is None:
        yield
        return
    fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)


def running_under(game_id: int, worker: str | None) -> Any:
    """The game row while it is `running` (under `worker`, when given): whose it is to mark."""
    mine = (_GAME.c.id == game_id) & (_GAME.c.status == "running")
    return mine if worker is None else mine & (_GAME.c.worker == worker)


def sqlite_driver(conn: Connection) -> Any:
    """The raw `sqlite3` connection behind `conn` for the fast path, or None (SQLAlchemy Core).

    The one switch between the two write paths; both must store identical rows
    (tests/test_store_paths.py plays the same games through each and compares them).
    """
    return conn.connection.driver_connection if conn.dialect.name == "sqlite" else None


class GameRecorder:
    """Writes one game: buffered rows are committed together at each `commit()` (one per turn).

    The game row says `running` until `finish()` commits the last rows with `finished` in the
    same transaction, so a crash at any point never leaves a half game counted as finished.
    """

    def __init__(
        self, conn: Connection, game_id: int, per_turn: bool = True, worker: str | None = None
    ) -> None:
        self.conn = conn
        self.game_id = game_id
        # The claimer's id: the game is marked finished or failed only while it is still
        # `running` under this worker, so a worker whose game was reclaimed (`--reclaim`, a
        # partition) cannot count another worker's replay as its own.
        self.worker = worker
        # per_turn=False keeps the rows until `finish()`: for scripted batches, where a lost
        # game is replayed from its seed in milliseconds, one commit per game is 2x faster.
        self.per_turn = per_turn
        # On SQLite, rows go straight to the driver: SQLAlchemy's per-statement overhead was
        # most of the logging cost in bench_engine. Other databases use SQLAlchemy Core.
        self._raw = sqlite_driver(conn)
        self._lock = writers_lock(conn)
        # Shared servers are where another machine can reclaim a game: each per-turn commit
        # there first locks the row on that condition (see `commit`).
        self._fence_sql = (
            update(_GAME).where(self._mine()).values(worker=_GAME.c.worker)
            if self._raw is None and worker is not None
            else None
        )
        # Events and beliefs are the bulk of the rows: they are buffered as tuples in
        # _EVENT_COLS / _BELIEF_COLS order, which the SQLite driver takes as they are.
        self.events: list[tuple[Any, ...]] = []
        self.turns: list[Any] = []  # tuples in _TURN_COLS order on SQLite, dicts elsewhere
        self.beliefs: list[tuple[Any, ...]] = []
        self.calls: list[dict[str, Any]] = []
        self.text_repairs = 0
        self._json = _dumps if self._raw is not None else _same

    def _text(self, value: str | None) -> str | None:
        if value is None:
            return None
        if value.isascii() and "\x00" not in value:
            return value  # nothing to repair (storable_text's own first check, without a call)
        fixed, n = storable_text(value)
        self.text_repairs += n
        return fixed

    def _data(self, value: Any) -> Any:
        fixed, n = storable(value)
        self.text_repairs += n
        return fixed

    def add_event(self, e: Any) -> None:
        """Buffer one games.core Event.

        Event texts come from the env (speech normalised to its printable charset, the rest
        built from names), so only the cheap text check runs here; model-written text
        (reasoning, LLM calls) gets the full treatment.
        """
        payload = e.payload
        if self._raw is not None:
            payload = self._json(payload) if payload else _EMPTY_OBJECT
        text = e.text
        if not text.isascii() or "\x00" in text:
            text = self._text(text)
        # Attribute loads in a tuple display: faster here than an attrgetter (measured: 115 vs
        # 300 ns an event, the getter's tuple has to be unpacked into the row).
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
                text,
                payload,
            )
        )

    def add_turn(self, row: dict[str, Any], beliefs: dict[int, dict[str, float]]) -> None:
        """Buffer one decision (a runner turn row: every Turn column but game_id), its beliefs."""
        row["game_id"] = self.game_id
        row["speech"] = self._text(row["speech"]) or ""
        row["reasoning"] = self._text(row["reasoning"])
        # stated_claims are the scripted agents' own annotations (kinds, seats, vocabulary):
        # nothing a model wrote, so no repair pass.
        if self._raw is not None:  # a tuple in column order: what the driver takes as it is
            claims = row["stated_claims"]
            row["stated_claims"] = _dumps(claims) if claims else _EMPTY_LIST
            self.turns.append(_TURN_VALUES(row))
        else:
            self.turns.append(row)
        turn, holder, game_id = row["turn"], row["seat"], self.game_id
        self.beliefs += [
            (game_id, turn, about, role, holder, float(p))
            for about, dist in beliefs.items()
            for role, p in dist.items()
        ]

    def add_call(self, row: dict[str, Any]) -> None:
        """Buffer one LLM call row."""
        row["game_id"] = self.game_id
        for key in ("response", "error"):
            row[key] = self._text(row.get(key))
        row["messages"] = self._data(row.get("messages") or [])
        # Column defaults live in Python (SQLModel), and the raw sqlite path bypasses them.
        row.setdefault("purpose", "turn")
        now = utcnow()
        row.setdefault("created_at", sqlite_value(now) if self._raw is not None else now)
        self.calls.append(row)

    def commit(self) -> None:
        """Write everything buffered in one transaction (a no-op unless per_turn)."""
        if not self.per_turn:
            return
        lock = self._lock
        if lock is not None:  # `writing` inline: this runs ~30 times a game
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if self._raw is not None:
                self._write()
                self._raw.commit()
            else:
                # The row lock taken first makes a reclaim wait for this commit, or this
                # commit see it.
                fence = self._fence_sql
                if fence is not None and self.conn.execute(fence).rowcount != 1:
                    raise self._given_away()
                self._write()
                self.conn.commit()
        finally:
            if lock is not None:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _mine(self) -> Any:
        """The game row, while it is `running` under this recorder's worker."""
        return running_under(self.game_id, self.worker)

    def _given_away(self) -> GameTakenOver:
        """Roll back the open transaction; the error to raise: the game is another's now."""
        self._rollback()
        return GameTakenOver(f"game {self.game_id} was given to another worker")

    def finish(self, winner: str | None, days: int, n_turns: int) -> None:
        """Write the rest and mark the game finished, atomically."""
        with writing(self._lock):
            self._finish(winner, days, n_turns)

    def _finish(self, winner: str | None, days: int, n_turns: int) -> None:
        self._write()
        values = {
            "status": "finished",
            "winner": winner,
            "days": days,
            "n_turns": n_turns,
            "finished_at": utcnow(),
            "error": None,
            "text_repairs": self.text_repairs,
        }
        if self._raw is not None:
            mine = " AND status='running'" + ("" if self.worker is None else " AND worker=?")
            done = self._raw.execute(
                "UPDATE game SET status=?, winner=?, days=?, n_turns=?, finished_at=?, error=?,"
                f" text_repairs=? WHERE id=?{mine}",
                (
                    *(sqlite_value(v) for v in values.values()),
                    self.game_id,
                    *(() if self.worker is None else (self.worker,)),
                ),
            ).rowcount
            if done != 1:
                raise self._given_away()
            self._raw.commit()
            return
        done = self.conn.execute(update(_GAME).where(self._mine()).values(**values)).rowcount
        if done != 1:
            raise self._given_away()
        self.conn.commit()

    def fail(self, error: str) -> None:
        """Roll back the open turn and mark the game failed with its error; never raises.

        The LLM calls already made are kept (money spent is recorded even when a game fails);
        if even they cannot be written, the game is still marked failed.
        """
        self.events.clear()
        self.turns.clear()
        self.beliefs.clear()
        error = self._text(error) or ""
        try:
            self._rollback()
            self._write_calls()
            self._mark_failed(error)
        except Exception as exc:  # the calls themselves were the problem: drop them, say so
            self.calls.clear()
            self._rollback()
            self._mark_failed(f"{error} (its LLM calls could not be stored: {_first_line(exc)})")

    def _rollback(self) -> None:
        if self._raw is not None:
            self._raw.rollback()
        self.conn.rollback()

    def _mark_failed(self, error: str) -> None:
        # Another worker's replay is left alone (no row matches).
        self.conn.execute(
            update(_GAME)
            .where(self._mine())
            .values(
                status="failed",
                error=storable_text(error)[0][:2000],
                finished_at=utcnow(),
                text_repairs=self.text_repairs,
            )
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
            if self._raw is not None:
                self._raw.executemany(_sqlite_insert(_TURN, _TURN_COLS)[0], self.turns)
            else:
                self.conn.execute(insert(_TURN), self.turns)
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


def start_game(
    conn: Connection,
    game_id: int,
    players: list[PlayerInfo],
    per_turn: bool = True,
    worker: str | None = None,
) -> GameRecorder:
    """Write a claimed game's players (its row is already `running`) and return its recorder.

    `worker` is the claimer's id (see `GameRecorder`); None skips that check (tests, tools).
    """
    rows = [{"game_id": game_id, **p.model_dump()} for p in players]
    raw = sqlite_driver(conn)
    if raw is not None:
        # Same fast path as GameRecorder: this runs once per game in 200+ games/s batches.
        sql, columns, _ = _sqlite_insert(_PLAYER)
        with writing(writers_lock(conn)):
            raw.executemany(sql, [tuple(r[c] for c in columns) for r in rows])
            raw.commit()
    else:
        conn.execute(insert(_PLAYER), rows)
        conn.commit()
    return GameRecorder(conn, game_id, per_turn, worker)


def record_calls(conn: Connection, rows: list[dict[str, Any]], purpose: str) -> None:
    """Store LLM calls that belong to no game (a run's preflight requests), in one commit."""
    if not rows:
        return
    now = utcnow()
    clean = []
    for row in rows:
        fixed, _ = storable(row)
        clean.append({**fixed, "game_id": None, "purpose": purpose, "created_at": now})
    conn.execute(insert(_LLMCALL), clean)
    conn.commit()
