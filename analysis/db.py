"""Opening a lab database for analysis: checked, read-only by default, never creating tables.

Analysis reads what the store wrote; it must not change it. So a SQLite file is opened through
an SQLite URI with `mode=ro` (reads) or `mode=rw` (writing the analysis-owned `claim` table),
never with a mode that creates a missing file, and the store's `create_all` is never called:
`sdlab analyse` on a foreign file used to add sdlab's tables to it. Before anything is read,
`runs.schema.schema_state` says what the database is, and anything but a current sdlab database
is refused with one line (an `AnalysisError`).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.sql import Executable
from sqlalchemy.sql.elements import ColumnElement

from runs.schema import SCHEMA_REVISION, Game, Tournament, schema_state

DbTarget = str | os.PathLike[str] | Engine
_G, _T = Game.__table__, Tournament.__table__


class AnalysisError(Exception):
    """The database cannot be analysed (missing, not sdlab, another schema, unreadable)."""


CHUNK_GAMES = 2_000  # games read and labelled at a time: memory stays flat as games grow


@dataclass(frozen=True)
class GameFilter:
    """Which games to read: some tournaments (by name), some game ids, an id range, or all."""

    tournaments: tuple[str, ...] | None = None
    game_ids: tuple[int, ...] | None = None
    id_range: tuple[int, int] | None = None  # inclusive; set by `chunks`

    @classmethod
    def of(
        cls, tournaments: Sequence[str] | None = None, game_ids: Sequence[int] | None = None
    ) -> GameFilter:
        """A filter from optional lists (None means no restriction)."""
        return cls(
            tuple(tournaments) if tournaments is not None else None,
            tuple(int(g) for g in game_ids) if game_ids is not None else None,
        )

    def on(self, game_id: Any) -> list[ColumnElement[bool]]:
        """WHERE conditions restricting a `game_id` column to the chosen games."""
        out: list[ColumnElement[bool]] = []
        if self.tournaments is not None:
            # A subquery, not a list of ids: 100k games would pass SQLite's variable limit.
            ids = (
                select(_G.c.id)
                .join(_T, _T.c.id == _G.c.tournament_id)
                .where(_T.c.name.in_(self.tournaments))
            )
            out.append(game_id.in_(ids))
        if self.game_ids is not None:
            out.append(game_id.in_(self.game_ids))
        if self.id_range is not None:
            out.append(game_id.between(*self.id_range))
        return out

    def chunks(
        self, conn: Connection, size: int = CHUNK_GAMES, *, finished: bool = True
    ) -> list[GameFilter]:
        """This filter cut into id ranges of at most `size` (finished) games each, in id order."""
        query = select(_G.c.id).where(*self.on(_G.c.id))
        query = query.where(_G.c.status == "finished") if finished else query
        ids = [row[0] for row in conn.execute(query.order_by(_G.c.id))]
        if len(ids) <= size:
            return [self]
        # Ranges, not id lists: a range is one indexed condition and has no variable limit.
        # Unfinished games between two ranges fall in none: nothing reads them.
        return [
            replace(self, id_range=(ids[i], ids[min(i + size, len(ids)) - 1]))
            for i in range(0, len(ids), size)
        ]

    def check(self, conn: Connection) -> None:
        """Refuse tournament names the database does not have (a typo must not read as 0)."""
        if not self.tournaments:
            return
        query = select(_T.c.name).where(_T.c.name.in_(self.tournaments)).distinct()
        have = {row[0] for row in conn.execute(query)}
        missing = [t for t in self.tournaments if t not in have]
        if missing:
            known = sorted({row[0] for row in conn.execute(select(_T.c.name).distinct())})
            raise AnalysisError(
                f"no tournament named {', '.join(map(repr, missing))} "
                f"(tournaments: {', '.join(known) or 'none'})"
            )


def open_db(db: DbTarget, *, write: bool = False) -> Engine:
    """An engine on a checked, current sdlab database; a SQLite file is read-only unless `write`."""
    if isinstance(db, Engine):
        check_schema(db, _shown(db))
        return db
    target = os.fspath(db)
    shown = _hide_password(target)
    if "://" in target:
        try:
            url = make_url(target)
        except ArgumentError as exc:
            raise AnalysisError(f"{shown} is not a database URL or file path") from exc
        database = url.database or ""
        if url.get_backend_name() == "sqlite" and database and database != ":memory:":
            engine = _sqlite_engine(Path(database), shown, write=write)
        else:
            try:
                engine = create_engine(url)
            except (NoSuchModuleError, ImportError) as exc:
                raise AnalysisError(f"cannot open {shown}: no driver ({_first_line(exc)})") from exc
    else:
        engine = _sqlite_engine(Path(target).expanduser(), shown, write=write)
    check_schema(engine, shown)
    return engine


def check_schema(engine: Engine, shown: str) -> None:
    """Refuse, with one line, anything but a current sdlab database."""
    try:
        with engine.connect() as conn:
            state, revision = schema_state(conn)
    except DBAPIError as exc:
        message = _first_line(exc.orig if exc.orig is not None else exc)
        if "not a database" in message or "encrypted" in message:
            raise AnalysisError(f"{shown} is not an sdlab database (not an SQLite file)") from exc
        raise AnalysisError(f"cannot read {shown}: {message}") from exc
    if state == "current":
        return
    if state == "empty":
        raise AnalysisError(f"{shown} is not an sdlab database (it has no tables)")
    if state == "foreign":
        raise AnalysisError(f"{shown} is not an sdlab database (none of its tables are sdlab's)")
    if state == "older":
        raise AnalysisError(
            f"{shown} was written by an older sdlab (schema {revision}, this one reads "
            f"{SCHEMA_REVISION}): run `sdlab migrate --db {shown}`"
        )
    raise AnalysisError(
        f"{shown} was written by a newer sdlab (schema {revision}, this one reads "
        f"{SCHEMA_REVISION}): upgrade sdlab, or run `sdlab migrate` with the newer one"
    )


def read_frame(conn: Connection, query: Executable) -> pd.DataFrame:
    """Run a SELECT into a DataFrame, rows taken straight from the driver's cursor."""
    # SQLAlchemy builds and type-processes a Row per row; for millions of beliefs that was
    # most of the load time. Its SQL and bound parameters are kept, its row objects skipped;
    # the loaders then apply types (booleans, datetimes) column-wise.
    result = conn.execute(query)
    columns = list(result.keys())
    try:
        rows = result.cursor.fetchall() if result.cursor is not None else []
    finally:
        result.close()
    return pd.DataFrame(rows, columns=columns)


def _lenient_text(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


def _sqlite_engine(path: Path, shown: str, *, write: bool) -> Engine:
    if not path.exists():
        raise AnalysisError(f"no database at {shown}")
    if path.is_dir():
        raise AnalysisError(f"{shown} is a directory, not a database file")
    # mode=ro / mode=rw never create a missing file; the URI form needs the path quoted.
    uri = f"file:{quote(str(path.resolve()))}?mode={'rw' if write else 'ro'}"

    def connect() -> sqlite3.Connection:
        conn = sqlite3.connect(uri, uri=True, timeout=30, check_same_thread=False)
        # Text that is not valid UTF-8 (written by another tool, or a damaged file) is read
        # with U+FFFD instead of failing the whole query. Measured on 1,500 games: load time
        # within noise of the driver's own decoding (1.1-1.4 s either way).
        conn.text_factory = _lenient_text
        return conn

    # The URL only picks SQLAlchemy's dialect and file-database pool; `creator` connects.
    engine = create_engine(f"sqlite:///{path}", creator=connect)
    event.listen(engine, "connect", _sqlite_read_pragmas)
    return engine


def _sqlite_read_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Read-only connections cannot change the journal mode; they only need to wait for a
    # writer (a tournament in progress) rather than fail at once.
    dbapi_conn.execute("PRAGMA busy_timeout = 30000")


def _shown(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _hide_password(target: str) -> str:
    # Messages end up in terminals and logs: never a password.
    if "://" not in target:
        return target
    try:
        return make_url(target).render_as_string(hide_password=True)
    except ArgumentError:
        return target.split("://", 1)[0] + "://…"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
