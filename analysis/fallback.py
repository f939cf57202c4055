"""Fallback turns: how often each model failed to decide, and which games that degraded.

A fallback turn (the model gave no valid answer and a legal default was played, `turn.fallback`)
is not the model's play. Its claims are kept and flagged, and left out of every rate; a game in
which some model's fallback share is over a threshold (default 10 %) is *degraded*: left out of
lie rates and ratings by default, and listed, since the other players' speech and the outcome
were shaped by a player that was not playing (`include_degraded=True` brings such games back).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Integer, case, func, select
from sqlalchemy.engine import Connection

from analysis.db import GameFilter, read_frame
from runs import schema
from vocab import FALLBACK_THRESHOLD

_T, _G, _TN = schema.Turn.__table__, schema.Game.__table__, schema.Tournament.__table__
_P = schema.Player.__table__
SEAT_CONTEXT = ["role", "team", "agent_kind", "model", "prompt_condition", "framing"]


def read_seat_turns(conn: Connection, only: GameFilter | None = None) -> pd.DataFrame:
    """One row per seat of every finished game: its context, decisions and fallback decisions."""
    fell = func.sum(case((_T.c.fallback.is_(True), 1), else_=0)).cast(Integer)
    counts = select(
        _T.c.game_id, _T.c.seat, func.count().label("turns"), fell.label("fallback_turns")
    )
    if only is not None:
        # Filtered inside too: SQLite does not push the outer filter into a grouped subquery,
        # and each chunk of 2,000 games then counted every turn of the database (3 s at 100k).
        counts = counts.where(*only.on(_T.c.game_id))
    per_seat = counts.group_by(_T.c.game_id, _T.c.seat).subquery()
    query = (
        select(
            _P.c.game_id, _TN.c.name.label("tournament"), _P.c.seat,
            *[_P.c[k] for k in SEAT_CONTEXT],
            func.coalesce(per_seat.c.turns, 0).label("turns"),
            func.coalesce(per_seat.c.fallback_turns, 0).label("fallback_turns"),
        )
        .join(_G, _G.c.id == _P.c.game_id)
        .outerjoin(_TN, _TN.c.id == _G.c.tournament_id)
        .outerjoin(per_seat, (per_seat.c.game_id == _P.c.game_id) & (per_seat.c.seat == _P.c.seat))
        .where(_G.c.status == "finished")
        .order_by(_P.c.game_id, _P.c.seat)
    )  # fmt: skip
    if only is not None:
        query = query.where(*only.on(_P.c.game_id))
    seats = read_frame(conn, query)
    seats["contestant"] = seats["model"].where(seats["model"].notna(), seats["agent_kind"])
    for col in ("turns", "fallback_turns"):
        seats[col] = seats[col].astype("int64")
    return seats


def fallback_per_game(seats: pd.DataFrame, threshold: float = FALLBACK_THRESHOLD) -> pd.DataFrame:
    """Per game × contestant: turns, fallback turns, their share, and whether over `threshold`."""
    keys = ["game_id", "tournament", "contestant"]
    out = (
        seats.groupby(keys, observed=True, dropna=False, sort=True)[["turns", "fallback_turns"]]
        .sum()
        .reset_index()
    )
    out["fallback_share"] = _share(out["fallback_turns"], out["turns"])
    out["degraded"] = out["fallback_share"] > threshold
    out.attrs["fallback_threshold"] = threshold
    return out


def degraded_games(seats: pd.DataFrame, threshold: float = FALLBACK_THRESHOLD) -> pd.DataFrame:
    """Games some contestant played with a fallback share over `threshold`, one row per such."""
    per_game = fallback_per_game(seats, threshold)
    out = per_game[per_game["degraded"]].drop(columns="degraded").reset_index(drop=True)
    out.attrs["fallback_threshold"] = threshold
    return out


def fallback_shares(
    seats: pd.DataFrame,
    by: Sequence[str] = ("contestant",),
    threshold: float = FALLBACK_THRESHOLD,
) -> pd.DataFrame:
    """Per group: games, turns, fallback turns, fallback share, and games degraded by the group."""
    by = list(by)
    flagged = fallback_per_game(seats, threshold)
    bad = flagged.loc[flagged["degraded"], ["game_id", "contestant"]].assign(_bad=True)
    s = seats.merge(bad, on=["game_id", "contestant"], how="left")
    s["_bad_game"] = s["game_id"].where(s["_bad"].fillna(False).astype(bool))
    grouped = s.groupby(by, observed=True, dropna=False, sort=True) if by else None
    agg = {
        "games": ("game_id", "nunique"),
        "turns": ("turns", "sum"),
        "fallback_turns": ("fallback_turns", "sum"),
        "degraded_games": ("_bad_game", "nunique"),
    }
    if grouped is not None:
        out = grouped.agg(**agg).reset_index()
    else:
        out = pd.DataFrame({k: [s[col].agg(fn)] for k, (col, fn) in agg.items()})
    out["fallback_share"] = _share(out["fallback_turns"], out["turns"])
    out = out[[*by, "games", "turns", "fallback_turns", "fallback_share", "degraded_games"]]
    out.attrs["fallback_threshold"] = threshold
    return out


def _share(part: pd.Series, whole: pd.Series) -> pd.Series:
    return (part / whole.where(whole > 0)).astype("float64")


def read_fallback(
    conn: Connection, only: GameFilter | None = None, threshold: float = FALLBACK_THRESHOLD
) -> pd.DataFrame:
    """The per game × contestant fallback frame of `analysis.load` (finished games)."""
    return fallback_per_game(read_seat_turns(conn, only), threshold)
