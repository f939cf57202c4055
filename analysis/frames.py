"""Reading the store into tidy pandas frames with SQL (never row by row through the ORM)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import pandas as pd
from sqlalchemy import Boolean, Engine, Float, Integer, Select, String, cast, select
from sqlalchemy.engine import Connection

from runs import schema
from runs.store import open_engine

# Low-cardinality text columns become categories: smaller and faster to group by.
_CATEGORIES = {
    "games": ("game_type", "status", "winner"),
    "players": ("role", "team", "agent_kind", "model", "prompt_condition", "framing"),
    "events": ("phase", "kind", "visibility", "role", "result"),
    "turns": ("phase", "kind"),
    "beliefs": ("role",),
    "llm_calls": ("purpose", "model"),
    "claims": ("claim_type", "value", "extractor", "truth", "speaker_knew", "label", "basis"),
}
_NULLABLE_INTS = {
    "games": ("tournament_id", "slot", "days", "n_turns"),
    "events": ("actor", "target", "subject", "protected"),
    "turns": ("event_seq", "target", "bid"),
    "llm_calls": ("game_id", "seat", "turn", "prompt_tokens", "completion_tokens"),
    "claims": ("subject", "turn"),
}
_BOOLEANS = {"events": ("saved",)}  # JSON fields read as 0/1 on SQLite
_DATETIMES = {
    "games": ("started_at", "finished_at"),
    "llm_calls": ("created_at",),
}


@dataclass
class Frames:
    """Every table of a lab database as a DataFrame."""

    games: pd.DataFrame
    players: pd.DataFrame
    events: pd.DataFrame
    turns: pd.DataFrame
    beliefs: pd.DataFrame
    llm_calls: pd.DataFrame
    claims: pd.DataFrame

    def __iter__(self):  # lets `games, players, *rest = analysis.load(db)` work
        return iter(getattr(self, f.name) for f in fields(self))


def read_frame(conn: Connection, query: Select) -> pd.DataFrame:
    """Run a SELECT into a DataFrame, rows taken straight from the driver's cursor."""
    # SQLAlchemy builds and type-processes a Row per row; for millions of beliefs that was
    # most of the load time. Its SQL and bound parameters are kept, its row objects skipped;
    # `_tidy` then applies the types (booleans, datetimes) column-wise.
    result = conn.execute(query)
    columns = list(result.keys())
    rows = result.cursor.fetchall() if result.cursor is not None else []
    result.close()
    return pd.DataFrame(rows, columns=columns)


def engine_for(db: str | Engine) -> Engine:
    """An engine from a path, a URL or an engine (passed through)."""
    return db if isinstance(db, Engine) else open_engine(str(db))


def load(db: str | Engine, *, text: bool = True) -> Frames:
    """All tables as tidy frames; `text=False` skips speech/prompt text (faster on big stores)."""
    engine = engine_for(db)
    with engine.connect() as conn:
        return Frames(
            games=read_games(conn),
            players=read_players(conn),
            events=read_events(conn, text=text),
            turns=read_turns(conn, text=text),
            beliefs=read_beliefs(conn),
            llm_calls=read_llm_calls(conn, text=text),
            claims=read_claims(conn),
        )


def read_games(conn: Connection) -> pd.DataFrame:
    """Game rows; `config` stays a JSON string (parse it with json.loads when needed)."""
    g = schema.Game.__table__.c
    cols = [c for c in schema.Game.__table__.c if c.name != "config"]
    query = select(*cols, cast(g.config, String).label("config"))
    return _tidy(read_frame(conn, query), "games")


def read_players(conn: Connection) -> pd.DataFrame:
    """Player rows: seat, hidden role, team, who played it and under which condition."""
    return _tidy(read_frame(conn, select(schema.Player.__table__)), "players")


def read_events(conn: Connection, *, text: bool = True) -> pd.DataFrame:
    """Events with the payload fields the analysis needs lifted into columns."""
    e = schema.Event.__table__.c
    p = e.payload
    cols = [e.game_id, e.seq, e.day, e.phase, e.kind, e.actor, e.target, e.visibility]
    if text:
        cols.append(e.text)
    cols += [
        p["subject"].as_integer().label("subject"),
        p["role"].as_string().label("role"),
        p["result"].as_string().label("result"),
        p["protected"].as_integer().label("protected"),
        p["saved"].as_boolean().label("saved"),
    ]
    if text:
        cols.append(cast(p, String).label("payload"))
    query = select(*cols).order_by(e.game_id, e.seq)
    return _tidy(read_frame(conn, query), "events")


def _columns(table: Any, json_col: str, texts: set[str], text: bool) -> list[Any]:
    """A table's columns with one JSON column as a string; free-text columns only if `text`."""
    skip = {json_col} if text else {json_col, *texts}
    cols = [c for c in table.c if c.name not in skip]
    if text:
        cols.append(cast(table.c[json_col], String).label(json_col))
    return cols


def read_turns(conn: Connection, *, text: bool = True) -> pd.DataFrame:
    """Decisions; `stated_claims` stays a JSON string (scripted agents' own annotations)."""
    table = schema.Turn.__table__
    cols = _columns(table, "stated_claims", {"speech", "reasoning"}, text)
    return _tidy(read_frame(conn, select(*cols).order_by(table.c.game_id, table.c.turn)), "turns")


def read_beliefs(conn: Connection) -> pd.DataFrame:
    """One row per (game, turn, holder, about, role) probability."""
    b = schema.Belief.__table__.c
    query = select(b.game_id, b.turn, b.holder, b.about, b.role, b.probability)
    return _tidy(read_frame(conn, query), "beliefs")


def read_llm_calls(conn: Connection, *, text: bool = True) -> pd.DataFrame:
    """LLM call attempts (turns and judge); messages as a JSON string."""
    cols = _columns(schema.LLMCall.__table__, "messages", {"response", "error"}, text)
    return _tidy(read_frame(conn, select(*cols)), "llm_calls")


def read_claims(conn: Connection) -> pd.DataFrame:
    """Claim rows written by `label_claims` (empty frame when none were written)."""
    from sqlalchemy import inspect

    if not inspect(conn).has_table(schema.Claim.__tablename__):
        return pd.DataFrame(columns=[c.name for c in schema.Claim.__table__.c])
    try:
        frame = read_frame(conn, select(schema.Claim.__table__))
    except Exception:  # an older Claim table: analysis rewrites it on the next label_claims
        conn.rollback()
        return pd.DataFrame(columns=[c.name for c in schema.Claim.__table__.c])
    return _tidy(frame, "claims")


def _tidy(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Proper dtypes: nullable ints, categories, UTC datetimes, booleans (empty frames too)."""
    table = _TABLES.get(name)
    types = {c.name: c.type for c in table.columns} if table is not None else {}
    for col in frame.columns:
        kind = types.get(col)
        if col in _NULLABLE_INTS.get(name, ()):
            frame[col] = frame[col].astype("Int64")
        elif col in _CATEGORIES.get(name, ()):
            frame[col] = frame[col].astype("category")
        elif col in _DATETIMES.get(name, ()):
            frame[col] = pd.to_datetime(frame[col], utc=True)
        elif (
            isinstance(kind, Boolean)
            or col in _BOOLEANS.get(name, ())
            or (kind is None and _looks_bool(frame[col]))
        ):
            has_na = frame[col].isna().any()
            frame[col] = frame[col].astype("boolean" if has_na else "bool")
        elif isinstance(kind, Integer):
            has_na = frame[col].isna().any()
            frame[col] = frame[col].astype("Int64" if has_na else "int64")
        elif isinstance(kind, Float):
            frame[col] = frame[col].astype("float64")
        elif frame[col].dtype == object and not _looks_bool(frame[col]):
            # Text (and JSON read as text) gets pandas' string dtype, missing values kept.
            frame[col] = frame[col].astype("str").where(frame[col].notna())
    return frame


_TABLES = {
    "games": schema.Game.__table__,
    "players": schema.Player.__table__,
    "events": schema.Event.__table__,
    "turns": schema.Turn.__table__,
    "beliefs": schema.Belief.__table__,
    "llm_calls": schema.LLMCall.__table__,
    "claims": schema.Claim.__table__,
}


def _looks_bool(series: pd.Series) -> bool:
    # A sample decides: mapping type() over every value of a text column cost seconds.
    values = series.dropna().iloc[:50]
    return len(values) > 0 and all(type(v) is bool for v in values)
