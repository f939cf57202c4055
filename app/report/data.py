"""What the HTML report shows, read once: the analyse and ratings reports, costs, game pages' rows.

The numbers come from analysis (label_claims, analysis_report, ratings_report, lie_rates); this
module only selects and shapes them for drawing. Everything is read through analysis' checked,
read-only loader: building a report never writes to the database.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine, case, func, select

from analysis.db import GameFilter, open_db, read_frame
from analysis.fallback import FALLBACK_THRESHOLD
from analysis.frames import read_beliefs, read_events, read_games, read_players, read_turns
from analysis.rates import lie_rates, spontaneous_rates
from analysis.ratings import RatingsError, RatingsReport, ratings_report
from analysis.report import AnalysisReport, analysis_report
from runs import schema

# The four ways a lie rate is cut in the report, one chart each.
DIMENSIONS = ("model", "role", "prompt_condition", "framing")
RESAMPLES = 1000  # bootstrap resamples per interval: the report is a look, not the paper figure


@dataclass
class ReportData:
    """Every frame the report draws, plus what was left out and why."""

    shown: str  # the database, password masked
    games: pd.DataFrame  # every game row (any status) with its tournament
    players: pd.DataFrame  # every seat of every game
    analysis: AnalysisReport
    rates_by: dict[str, pd.DataFrame]  # lie rates by one dimension at a time
    spontaneous: pd.DataFrame
    ratings: RatingsReport | None
    ratings_note: str  # why there are no ratings, when there are none
    costs: pd.DataFrame  # per model × purpose: calls, tokens, cost, parse failures
    per_game: pd.DataFrame  # per finished game: claims, lies, mistakes, fallback share
    timings: dict[str, float] = field(default_factory=dict)
    include_degraded: bool = False
    fallback_threshold: float = FALLBACK_THRESHOLD


def gather(
    db: Any,
    *,
    tournaments: Sequence[str] | None = None,
    include_degraded: bool = False,
    fallback_threshold: float = FALLBACK_THRESHOLD,
    resamples: int = RESAMPLES,
) -> ReportData:
    """Read and compute everything the index page shows (claims labelled, nothing written)."""
    marks: dict[str, float] = {}
    clock = time.perf_counter()
    engine = open_db(db)
    only = GameFilter.of(tournaments)
    with engine.connect() as conn:
        only.check(conn)
        games = read_games(conn, only)
        players = read_players(conn, only)
        costs = read_costs(conn, only)
    marks["read"] = time.perf_counter() - clock
    options = {"include_degraded": include_degraded, "fallback_threshold": fallback_threshold}
    report = analysis_report(
        engine, tournaments=tournaments, write=False, resamples=resamples, **options
    )
    marks["claims"] = time.perf_counter() - clock - sum(marks.values())
    claims = report.claims
    by = {
        d: lie_rates(claims, by=[d], include_degraded=include_degraded, resamples=resamples)
        for d in DIMENSIONS
        if d in claims
    }
    spontaneous = spontaneous_rates(
        claims, by=[], include_degraded=include_degraded, resamples=resamples
    )
    marks["rates"] = time.perf_counter() - clock - sum(marks.values())
    ratings, note = None, ""
    try:
        ratings = ratings_report(engine, tournaments=tournaments, **options)
    except RatingsError as exc:
        note = str(exc)
    marks["ratings"] = time.perf_counter() - clock - sum(marks.values())
    return ReportData(
        shown=_shown(engine),
        games=games,
        players=players,
        analysis=report,
        rates_by=by,
        spontaneous=spontaneous,
        ratings=ratings,
        ratings_note=note,
        costs=costs,
        per_game=per_game_counts(games, claims, report),
        timings=marks,
        **options,
    )


def _shown(engine: Engine) -> str:
    # A SQLite file by its path; any other database by its URL, never with its password.
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database:
        return url.database
    return url.render_as_string(hide_password=True)


def read_costs(conn: Any, only: GameFilter) -> pd.DataFrame:
    """Per model × purpose: LLM calls, prompt and completion tokens, cost, unparsed answers."""
    c = schema.LLMCall.__table__.c
    query = select(
        c.model,
        c.purpose,
        func.count().label("calls"),
        func.coalesce(func.sum(c.prompt_tokens), 0).label("prompt_tokens"),
        func.coalesce(func.sum(c.completion_tokens), 0).label("completion_tokens"),
        func.coalesce(func.sum(c.cost), 0.0).label("cost"),
        func.sum(case((c.parsed_ok.is_(False), 1), else_=0)).label("unparsed"),
    ).group_by(c.model, c.purpose)
    if only.tournaments is not None or only.game_ids is not None:
        query = query.where(*only.on(c.game_id))
    frame = read_frame(conn, query.order_by(c.model, c.purpose))
    for col in ("calls", "prompt_tokens", "completion_tokens", "unparsed"):
        frame[col] = frame[col].fillna(0).astype("int64")
    frame["cost"] = frame["cost"].astype(float)
    return frame


def per_game_counts(
    games: pd.DataFrame, claims: pd.DataFrame, report: AnalysisReport
) -> pd.DataFrame:
    """One row per game: its tournament, winner, days, claims by label, degraded or not."""
    out = games[["id", "tournament", "status", "winner", "days", "n_turns"]].rename(
        columns={"id": "game_id"}
    )
    if len(claims):
        label = claims["label"].astype(str)
        counts = (
            pd.DataFrame(
                {
                    "game_id": claims["game_id"].to_numpy(),
                    "claims": 1,
                    "lies": (label == "lie").to_numpy(),
                    "mistakes": (label == "mistake").to_numpy(),
                    "inconsistent": claims["belief_inconsistent"].astype(bool).to_numpy(),
                }
            )
            .groupby("game_id", sort=False)
            .sum()
        )
        out = out.merge(counts, left_on="game_id", right_index=True, how="left")
    for col in ("claims", "lies", "mistakes", "inconsistent"):
        if col not in out:
            out[col] = 0
        out[col] = out[col].fillna(0).astype("int64")
    out["degraded"] = out["game_id"].isin(report.degraded["game_id"])
    return out.reset_index(drop=True)


def sample_games(per_game: pd.DataFrame, limit: int | None) -> list[int]:
    """Finished games that get a page: all of them up to `limit`, else an even spread by id.

    An even spread, not the games with the most lies: the pages are for looking at typical
    games of every tournament, and a hand-picked sample would look worse than the data.
    """
    ids = per_game.loc[per_game["status"].astype(str) == "finished", "game_id"].to_numpy()
    if limit is None or len(ids) <= limit:
        return [int(g) for g in ids]
    if limit <= 0:
        return []
    picks = np.unique(np.linspace(0, len(ids) - 1, limit).round().astype(int))
    return [int(g) for g in ids[picks]]


Record = dict[str, Any]


@dataclass
class GameRows:
    """One game's rows for its page as plain records (pandas per game cost ~50 ms a page)."""

    game: Record
    players: list[Record]  # seat, name, role, team, model, agent_kind, prompt_condition, …
    events: list[Record]  # seq, day, kind, actor, visibility, text
    turns: list[Record]  # turn, event_seq, reasoning
    beliefs: list[Record]  # turn, holder, about, probability (P(werewolf))
    claims: list[Record]  # the labelled claims, as analysis gives them


def records(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> list[Record]:
    """Rows as dicts of plain values (None where missing), built column-wise."""
    cols = [c for c in (columns or frame.columns) if c in frame]
    values = [frame[c].to_numpy(dtype=object, na_value=None) for c in cols]
    return [dict(zip(cols, row, strict=True)) for row in zip(*values, strict=True)]


def _by_game(rows: list[Record]) -> dict[int, list[Record]]:
    out: dict[int, list[Record]] = {}
    for row in rows:
        out.setdefault(int(row["game_id"]), []).append(row)
    return out


def game_rows(
    engine: Engine, data: ReportData, game_ids: Sequence[int], chunk: int = 500
) -> dict[int, GameRows]:
    """The rows of the chosen games, read in chunks of ids (not one query per game)."""
    out: dict[int, GameRows] = {}
    games = {int(g["id"]): g for g in records(data.games)}
    claims = data.analysis.claims
    for start in range(0, len(game_ids), chunk):
        ids = [int(g) for g in game_ids[start : start + chunk]]
        only = GameFilter.of(game_ids=ids)
        with engine.connect() as conn:
            players = read_players(conn, only)
            events = read_events(conn, only=only)
            turns = read_turns(conn, only=only)
            beliefs = read_beliefs(conn, only)
        beliefs = beliefs[beliefs["role"].astype(str) == "werewolf"]
        mine = claims[claims["game_id"].isin(ids)] if len(claims) else claims
        parts = [
            _by_game(records(players)),
            _by_game(records(events, ["game_id", "seq", "day", "kind", "actor", "visibility",
                                      "text"])),
            _by_game(records(turns, ["game_id", "turn", "event_seq", "reasoning"])),
            _by_game(records(beliefs, ["game_id", "turn", "holder", "about", "probability"])),
            _by_game(records(mine)),
        ]  # fmt: skip
        for g in ids:
            p, e, t, b, c = (part.get(g, []) for part in parts)
            out[g] = GameRows(games[g], p, e, t, b, c)
    return out
