"""The `sdlab analyse` report as data: lie rates, fallback shares and left-out games (frames).

Drawing it is the application's job (app/views.py); this module computes and exports it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.claims import Extractor
from analysis.db import CHUNK_GAMES, DbTarget, GameFilter, open_db
from analysis.fallback import FALLBACK_THRESHOLD, degraded_games, fallback_shares, read_seat_turns
from analysis.frames import Frames, iter_load
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
    timings: dict[str, float] | None = None,
    chunk_games: int = CHUNK_GAMES,
) -> AnalysisReport:
    """Label the claims of `db` (some tournaments, or all) and compute every table of the report.

    Games are labelled `chunk_games` at a time (see `label_claims`); `timings` gets seconds per
    stage (read, extract, label, write, rates).
    """
    marks = timings if timings is not None else {}
    claims = label_claims(
        db, extractor, write=write, tournaments=tournaments,
        fallback_threshold=fallback_threshold, timings=marks, chunk_games=chunk_games,
    )  # fmt: skip
    clock = time.perf_counter()
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
    report = AnalysisReport(
        claims=claims,
        rates=lie_rates(claims, by=GROUPS, seats=counted_seats, **options),
        by_team=lie_rates(claims, by=["team"], seats=counted_seats, **options),
        spontaneous=spontaneous_rates(claims, by=[], **options),
        fallback=fallback_shares(seats, ["model"], fallback_threshold),
        degraded=degraded,
        include_degraded=include_degraded,
        fallback_threshold=fallback_threshold,
    )
    marks["rates"] = time.perf_counter() - clock
    return report


def _named(claims: pd.DataFrame) -> pd.Series:
    # A category, like the other context columns: a text column cost 24 bytes a claim, and
    # filling it as text held two copies of 4M Python strings (0.5 GB at 100k games). Object
    # arrays of the categories' own strings cost a pointer a claim.
    model = claims["model"].astype(object)
    named = model.where(model.notna(), claims["agent_kind"].astype(object)).astype("category")
    return named.astype(pd.CategoricalDtype(named.cat.categories.astype("string")))


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


def export_frames(
    db: DbTarget,
    extra: dict[str, pd.DataFrame],
    directory: Path,
    fmt: str,
    *,
    claims: pd.DataFrame | None = None,
    tournaments: Sequence[str] | None = None,
    chunk_games: int = CHUNK_GAMES,
) -> list[Path]:
    """`write_frames` of `load(db)` without holding it: each file is written part by part.

    `claims` (e.g. a report's, with speaker context) replaces the stored claim rows.
    """
    directory.mkdir(parents=True, exist_ok=True)
    sinks: dict[str, _Sink] = {}
    for part in iter_load(db, tournaments=tournaments, chunk_games=chunk_games):
        for name in part.__dataclass_fields__:
            if name == "claims" and claims is not None:
                continue
            sinks.setdefault(name, _Sink(directory / f"{name}.{fmt}", fmt)).add(getattr(part, name))
    tables = {"claims": claims} if claims is not None else {}
    for name, frame in {**tables, **extra}.items():
        sinks.setdefault(name, _Sink(directory / f"{name}.{fmt}", fmt)).add(frame)
    for sink in sinks.values():
        sink.close()
    return [s.path for s in sinks.values()]


class _Sink:
    """One CSV or Parquet file that frames are appended to, in order."""

    def __init__(self, path: Path, fmt: str) -> None:
        self.path, self.fmt = path, fmt
        self.writer: Any = None
        self.started = False

    def add(self, frame: pd.DataFrame) -> None:
        """Append `frame` (the first one fixes the columns, and the Parquet schema)."""
        if self.fmt == "csv":
            frame.to_csv(self.path, index=False, mode="a" if self.started else "w",
                         header=not self.started)  # fmt: skip
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(frame, preserve_index=False)
            if self.writer is None:
                # A column with no value in the first part is typed null; later parts may
                # have text there, so it is widened to string (null casts to anything).
                fields = [f.with_type(pa.string()) if pa.types.is_null(f.type) else f
                          for f in table.schema]  # fmt: skip
                schema = pa.schema(fields, metadata=table.schema.metadata)
                self.writer = pq.ParquetWriter(self.path, schema)
            self.writer.write_table(table.cast(self.writer.schema))
        self.started = True

    def close(self) -> None:
        """Finish the file."""
        if self.writer is not None:
            self.writer.close()


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
