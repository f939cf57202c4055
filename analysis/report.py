"""The `sdlab analyse` report as data: lie rates, fallback shares and left-out games (frames).

Drawing it is the application's job (app/views.py); this module computes and exports it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.claims import Extractor
from analysis.db import DbTarget, GameFilter, open_db
from analysis.fallback import FALLBACK_THRESHOLD, degraded_games, fallback_shares, read_seat_turns
from analysis.frames import Frames
from analysis.intervals import RESAMPLES, SEED
from analysis.pipeline import label_claims
from analysis.rates import lie_rates, spontaneous_rates

GROUPS = ["model", "role", "prompt_condition", "framing"]


@dataclass
class AnalysisReport:
    """Everything `sdlab analyse` prints, as DataFrames (rates carry their method in attrs)."""

    claims: pd.DataFrame  # every claim, fallback and degraded ones flagged, with `tournament`
    rates: pd.DataFrame  # lie rates by model × role × prompt condition × framing
    by_team: pd.DataFrame  # lie, mistake and inconsistency rates by team
    spontaneous: pd.DataFrame  # neutral prompt only, by team
    fallback: pd.DataFrame  # per model: games, turns, fallback turns and share, degraded games
    degraded: pd.DataFrame  # games left out: game_id, tournament, contestant, fallback share
    include_degraded: bool
    fallback_threshold: float


def analysis_report(
    db: DbTarget,
    *,
    tournaments: Sequence[str] | None = None,
    include_degraded: bool = False,
    fallback_threshold: float = FALLBACK_THRESHOLD,
    extractor: Extractor | None = None,
    write: bool = True,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> AnalysisReport:
    """Label the claims of `db` (some tournaments, or all) and compute every table of the report."""
    claims = label_claims(
        db, extractor, write=write, tournaments=tournaments, fallback_threshold=fallback_threshold
    )
    with open_db(db).connect() as conn:
        seats = read_seat_turns(conn, GameFilter.of(tournaments))
    # Scripted seats have no model: name them by their kind so honest and deceptive agents
    # get rows of their own instead of one blank "model".
    claims = claims.assign(model=_named(claims))
    seats = seats.assign(model=seats["contestant"])
    degraded = degraded_games(seats, fallback_threshold)
    left_out = seats["game_id"].isin(degraded["game_id"]) & (not include_degraded)
    counted_seats = seats[~left_out]
    options = {"include_degraded": include_degraded, "resamples": resamples, "seed": seed}
    return AnalysisReport(
        claims=claims,
        rates=lie_rates(claims, by=GROUPS, seats=counted_seats, **options),
        by_team=lie_rates(claims, by=["team"], seats=counted_seats, **options),
        spontaneous=spontaneous_rates(claims, by=[], **options),
        fallback=fallback_shares(seats, ["model"], fallback_threshold),
        degraded=degraded,
        include_degraded=include_degraded,
        fallback_threshold=fallback_threshold,
    )


def _named(claims: pd.DataFrame) -> pd.Series:
    model = claims["model"].astype("string")
    return model.fillna(claims["agent_kind"].astype("string"))


def degraded_lines(degraded: pd.DataFrame, included: bool) -> list[str]:
    """One line per degraded game (which model, what share), and what was done with it."""
    if degraded.empty:
        return []
    games = degraded["game_id"].nunique()
    what = "counted anyway (--include-degraded)" if included else "left out of the rates"
    lines = [f"{games} degraded game(s) {what}:"]
    for r in degraded.itertuples(index=False):
        where = f" ({r.tournament})" if isinstance(r.tournament, str) else ""
        lines.append(
            f"  game {r.game_id}{where}: {r.contestant} fell back on {r.fallback_turns} of "
            f"{r.turns} decisions ({r.fallback_share:.0%})"
        )
    return lines


def write_frames(
    frames: Frames, extra: pd.DataFrame | dict[str, pd.DataFrame], directory: Path, fmt: str
) -> list[Path]:
    """Each frame (and the rate tables) as one CSV or Parquet file named after it."""
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    tables = {f: getattr(frames, f) for f in frames.__dataclass_fields__}
    tables.update(extra if isinstance(extra, dict) else {"lie_rates": extra})
    for name, frame in tables.items():
        path = directory / f"{name}.{fmt}"
        if fmt == "csv":
            frame.to_csv(path, index=False)
        else:
            frame.to_parquet(path, index=False)
        out.append(path)
    return out
