"""Reading the store into tidy pandas frames with SQL (never row by row through the ORM).

Analysis imports `runs.schema` (the table classes and `schema_state`) and nothing else of
runs: the store depends on nothing here, so the CLI may import both without a cycle.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from typing import Any

import pandas as pd
from sqlalchemy import Boolean, Engine, Float, Integer, Select, String, cast, select
from sqlalchemy.engine import Connection

from analysis.claim_table import claim_table, read_claim_rows
from analysis.db import CHUNK_GAMES, DbTarget, GameFilter, open_db, read_frame
from runs import schema

__all__ = ["Frames", "GameFilter", "engine_for", "iter_load", "load", "read_frame"]

_G, _T = schema.Game.__table__, schema.Tournament.__table__

# Low-cardinality text columns become categories: smaller and faster to group by.
_CATEGORIES = {
    "games": ("game_type", "status", "winner", "tournament"),
    "players": ("role", "team", "agent_kind", "model", "prompt_condition", "framing"),
    "events": ("phase", "kind", "visibility", "role", "result"),
    "turns": ("phase", "kind"),
    "beliefs": ("role",),
    "llm_calls": ("purpose", "model"),
    "claims": (
        *("claim_type", "value", "extractor", "truth", "speaker_knew", "label", "basis"),
        *("phase", "role", "team", "subject_role", "tournament"),  # context: 15-20 bytes a claim
    ),
    "fallback": ("tournament", "contestant", "model"),
}
_NULLABLE_INTS = {
    "games": ("tournament_id", "slot", "days", "n_turns"),
    "events": ("actor", "target", "subject", "protected"),
    "turns": ("event_seq", "target", "bid"),
    "llm_calls": ("game_id", "seat", "turn", "prompt_tokens", "completion_tokens"),
    "claims": ("subject", "turn"),
}
_BOOLEANS = {
    "events": ("saved",),  # JSON fields read as 0/1 on SQLite
    "claims": ("hedged", "belief_inconsistent", "spontaneous", "fallback"),
    "fallback": ("degraded",),
}
_DATETIMES = {
    "games": ("started_at", "finished_at"),
    "llm_calls": ("created_at",),
}


@dataclass
class Frames:
    """Every table of a lab database as a DataFrame, plus the fallback share per game × model."""

    games: pd.DataFrame
    players: pd.DataFrame
    events: pd.DataFrame
    turns: pd.DataFrame
    beliefs: pd.DataFrame
    llm_calls: pd.DataFrame
    claims: pd.DataFrame
    fallback: pd.DataFrame  # game_id, tournament, contestant, model, turns, fallback_turns, …

    def __iter__(self) -> Iterator[pd.DataFrame]:  # `games, players, *rest = load(db)`
        return iter(getattr(self, f.name) for f in fields(self))


def engine_for(db: DbTarget) -> Engine:
    """A checked engine that may write (claim rows, judge calls) but never creates store tables."""
    return open_db(db, write=True)


def load(db: DbTarget, *, text: bool = True, tournaments: Sequence[str] | None = None) -> Frames:
    """All tables as tidy frames (read-only); `text=False` skips speech/prompt text."""
    engine = open_db(db)
    only = GameFilter.of(tournaments)
    with engine.connect() as conn:
        only.check(conn)
        return _read(conn, only, text)


def iter_load(
    db: DbTarget,
    *,
    text: bool = True,
    tournaments: Sequence[str] | None = None,
    chunk_games: int = CHUNK_GAMES,
) -> Iterator[Frames]:
    """`load` a part of at most `chunk_games` games at a time (every status), in game id order.

    The parts hold the rows `load` would, each game's rows in one part; LLM calls that belong
    to no game (judge calls) come in a last part of their own. For exports that must not hold
    100k games in memory at once (`load` of 10k games peaked at 1 GB).
    """
    engine = open_db(db)
    only = GameFilter.of(tournaments)
    with engine.connect() as conn:
        only.check(conn)
        parts = only.chunks(conn, chunk_games, finished=False)
    for part in parts:
        with engine.connect() as conn:
            yield _read(conn, part, text)
    if len(parts) > 1 and tournaments is None:
        with engine.connect() as conn:
            orphans = _llm_calls_query(text).where(schema.LLMCall.__table__.c.game_id.is_(None))
            empty = _read(conn, GameFilter(id_range=(1, 0)), text)  # no game: empty frames
            empty.llm_calls = tidy(read_frame(conn, orphans), "llm_calls")
            yield empty


def _read(conn: Connection, only: GameFilter, text: bool) -> Frames:
    from analysis.fallback import read_fallback

    return Frames(
        games=read_games(conn, only),
        players=read_players(conn, only),
        events=read_events(conn, text=text, only=only),
        turns=read_turns(conn, text=text, only=only),
        beliefs=read_beliefs(conn, only),
        llm_calls=read_llm_calls(conn, text=text, only=only),
        claims=read_claims(conn, only),
        fallback=read_fallback(conn, only),
    )


def _where(query: Select, column: Any, only: GameFilter | None) -> Select:
    return query.where(*only.on(column)) if only is not None else query


def read_games(conn: Connection, only: GameFilter | None = None) -> pd.DataFrame:
    """Game rows with their tournament's name; `config` stays a JSON string."""
    cols = [c for c in _G.c if c.name != "config"]
    query = select(*cols, _T.c.name.label("tournament"), cast(_G.c.config, String).label("config"))
    query = query.outerjoin(_T, _T.c.id == _G.c.tournament_id).order_by(_G.c.id)
    return tidy(read_frame(conn, _where(query, _G.c.id, only)), "games")


def read_players(conn: Connection, only: GameFilter | None = None) -> pd.DataFrame:
    """Player rows: seat, hidden role, team, who played it and under which condition."""
    table = schema.Player.__table__
    return tidy(read_frame(conn, _where(select(table), table.c.game_id, only)), "players")


def read_events(
    conn: Connection, *, text: bool = True, only: GameFilter | None = None
) -> pd.DataFrame:
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
    query = _where(select(*cols), e.game_id, only).order_by(e.game_id, e.seq)
    return tidy(read_frame(conn, query), "events")


def _columns(table: Any, json_col: str, texts: set[str], text: bool) -> list[Any]:
    """A table's columns with one JSON column as a string; free-text columns only if `text`."""
    skip = {json_col} if text else {json_col, *texts}
    cols = [c for c in table.c if c.name not in skip]
    if text:
        cols.append(cast(table.c[json_col], String).label(json_col))
    return cols


def read_turns(
    conn: Connection, *, text: bool = True, only: GameFilter | None = None
) -> pd.DataFrame:
    """Decisions; `stated_claims` stays a JSON string (scripted agents' own annotations)."""
    table = schema.Turn.__table__
    cols = _columns(table, "stated_claims", {"speech", "reasoning"}, text)
    query = _where(select(*cols), table.c.game_id, only).order_by(table.c.game_id, table.c.turn)
    return tidy(read_frame(conn, query), "turns")


def read_beliefs(conn: Connection, only: GameFilter | None = None) -> pd.DataFrame:
    """One row per (game, turn, holder, about, role) probability."""
    b = schema.Belief.__table__.c
    query = select(b.game_id, b.turn, b.holder, b.about, b.role, b.probability)
    return tidy(read_frame(conn, _where(query, b.game_id, only)), "beliefs")


def read_llm_calls(
    conn: Connection, *, text: bool = True, only: GameFilter | None = None
) -> pd.DataFrame:
    """LLM call attempts (turns and judge); messages as a JSON string."""
    query = _where(_llm_calls_query(text), schema.LLMCall.__table__.c.game_id, only)
    return tidy(read_frame(conn, query), "llm_calls")


def _llm_calls_query(text: bool) -> Select:
    table = schema.LLMCall.__table__
    return select(*_columns(table, "messages", {"response", "error"}, text))


def read_claims(conn: Connection, only: GameFilter | None = None) -> pd.DataFrame:
    """Claim rows written by `label_claims` (empty frame when none were written)."""
    return tidy(read_claim_rows(conn, only), "claims")


def tidy(frame: pd.DataFrame, name: str) -> pd.DataFrame:
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


def concat_tidy(parts: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Tidy frames of disjoint games as one, equal to tidying them together (categories too)."""
    parts = list(parts)
    # pd.concat turns categoricals with different categories into objects; `tidy` on the whole
    # would have made their sorted union. Unused categories (players of games with no claims
    # read) are dropped in every case, so one part or many give the same categories.
    cats = {}
    for col in parts[0].columns:
        if isinstance(parts[0][col].dtype, pd.CategoricalDtype):
            found = [p[col].cat.remove_unused_categories().cat.categories for p in parts]
            cats[col] = pd.CategoricalDtype(found[0].append(found[1:]).unique().sort_values())
    parts = [p.astype(cats) for p in parts] if cats else parts
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


_TABLES = {
    "games": schema.Game.__table__,
    "players": schema.Player.__table__,
    "events": schema.Event.__table__,
    "turns": schema.Turn.__table__,
    "beliefs": schema.Belief.__table__,
    "llm_calls": schema.LLMCall.__table__,
    "claims": claim_table,
}


def _looks_bool(series: pd.Series) -> bool:
    # A sample decides: mapping type() over every value of a text column cost seconds.
    values = series.dropna().iloc[:50]
    return len(values) > 0 and all(type(v) is bool for v in values)
