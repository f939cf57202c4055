"""The `sdlab analyse` report: lie rates, fallback shares and left-out games (frames, tables)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from rich import box
from rich.console import Console
from rich.table import Table

from analysis.claims import Extractor
from analysis.db import DbTarget, GameFilter, open_db
from analysis.fallback import FALLBACK_THRESHOLD, degraded_games, fallback_shares, read_seat_turns
from analysis.frames import Frames, load
from analysis.intervals import RESAMPLES, SEED
from analysis.pipeline import label_claims
from analysis.rates import lie_rates, spontaneous_rates

GROUPS = ["model", "role", "prompt_condition", "framing"]
_SHORT = {"prompt_condition": "prompt"}
_MIN_WIDTH = {"model": 12, "role": 8, "prompt_condition": 10, "framing": 10, "team": 10}


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


def rates_table(rates: pd.DataFrame, title: str, extra: bool = False, caption: str = "") -> Table:
    """Lie rates as a rich table (one row per group); `extra` adds mistakes and inconsistency."""
    table = Table(
        title=title, box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True, caption=caption
    )
    groups = [c for c in [*GROUPS, "team"] if c in rates]
    for col in groups:
        # Labels wrap (model names can be long); numbers never do.
        table.add_column(_SHORT.get(col, col), overflow="fold", min_width=_MIN_WIDTH.get(col, 7))
    numbers = ["games", "claims", "lies", "/100", "95% CI"]
    numbers += ["mistakes", "incons.", "incons. CI"] if extra else []
    for col in numbers:
        table.add_column(col, justify="right", no_wrap=True)
    for row in rates.itertuples(index=False):
        r = row._asdict()
        # "deception_instructed" → "instructed": the table must fit an 80-column terminal.
        # ... and "scripted:honest" → "honest".
        cells = [
            "—" if pd.isna(r[g]) else str(r[g]).removeprefix("deception_").removeprefix("scripted:")
            for g in groups
        ]
        cells += [
            str(r["games"]),
            str(r["claims"]),
            str(r["lies"]),
            f"{r['lies_per_100']:.1f}",
            _span(r["ci_low"], r["ci_high"]),
        ]
        if extra:
            cells += [
                str(r["mistakes"]),
                f"{r['inconsistent_per_100']:.1f}",
                _span(r["inconsistent_ci_low"], r["inconsistent_ci_high"]),
            ]
        table.add_row(*cells)
    return table


def fallback_table(report: AnalysisReport | pd.DataFrame, title: str = "fallback turns") -> Table:
    """Per model: decisions, fallback decisions, their share and the games it degraded."""
    frame = report.fallback if isinstance(report, AnalysisReport) else report
    threshold = frame.attrs.get("fallback_threshold", FALLBACK_THRESHOLD)
    table = Table(
        title=title, box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True,
        caption=f"a game is degraded when a model's fallback share in it is over {threshold:.0%}",
    )  # fmt: skip
    name = "model" if "model" in frame else "contestant"
    table.add_column("model", overflow="fold", min_width=12)
    for col in ("games", "turns", "fallback", "share", "degraded games"):
        table.add_column(col, justify="right", no_wrap=True)
    for r in frame.itertuples(index=False):
        row = r._asdict()
        table.add_row(
            str(row[name]).removeprefix("scripted:"),
            str(row["games"]),
            str(row["turns"]),
            str(row["fallback_turns"]),
            f"{row['fallback_share']:.1%}" if pd.notna(row["fallback_share"]) else "—",
            str(row["degraded_games"]),
        )
    return table


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


def print_report(report: AnalysisReport, console: Console, title: str) -> None:
    """Print the report's tables: rates, by team, spontaneous, fallback shares, left-out games."""
    method = report.rates.attrs.get("interval", {})
    note = (
        f"/100: lies per 100 claims; 95% CI: {method.get('method', 'bootstrap')}, "
        f"{method.get('resamples', RESAMPLES)} resamples (seed {method.get('seed', SEED)})"
    )
    console.print(rates_table(report.rates, title, caption=note))
    incons = "incons.: claims about another player against the speaker's own logged belief"
    console.print(rates_table(report.by_team, "by team", extra=True, caption=incons))
    if len(report.spontaneous):
        console.print(rates_table(report.spontaneous, "spontaneous lies (neutral prompt), by team"))
    console.print(fallback_table(report))
    left = report.claims["fallback"].astype(bool).sum() if "fallback" in report.claims else 0
    if left:
        console.print(f"{left} claim(s) from fallback turns kept in the claims, left out of rates")
    for line in degraded_lines(report.degraded, report.include_degraded):
        console.print(line)


def analyse(
    db: str,
    console: Console,
    csv_dir: str | None = None,
    parquet_dir: str | None = None,
    *,
    tournaments: Sequence[str] | None = None,
    include_degraded: bool = False,
    fallback_threshold: float = FALLBACK_THRESHOLD,
) -> AnalysisReport:
    """Label the claims of `db`, print lie rates and fallback shares, optionally write frames."""
    # 10k games take ~15 s: say what is happening (on stderr, so piped tables stay clean).
    with Console(stderr=True).status("reading games and labelling claims…"):
        report = analysis_report(
            db,
            tournaments=tournaments,
            include_degraded=include_degraded,
            fallback_threshold=fallback_threshold,
        )
    if report.claims.empty:
        console.print("no claims: the database has no finished games with public speech")
        console.print(fallback_table(report))
        return report
    where = f" ({', '.join(tournaments)})" if tournaments else ""
    print_report(report, console, f"lies in {db}{where} (rule-based claims)")
    if csv_dir or parquet_dir:
        frames = load(db, tournaments=tournaments)
        frames.claims = report.claims  # with speaker context, richer than the stored rows
        extra = {
            "lie_rates": report.rates,
            "lie_rates_by_team": report.by_team,
            "fallback_by_model": report.fallback,
            "degraded_games": report.degraded,
        }
        for directory, fmt in ((csv_dir, "csv"), (parquet_dir, "parquet")):
            if directory:
                written = write_frames(frames, extra, Path(directory), fmt)
                console.print(f"wrote {len(written)} {fmt} files to {directory}")
    return report


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


def _span(low: float, high: float) -> str:
    return "—" if pd.isna(low) or pd.isna(high) else f"{low:.1f}–{high:.1f}"
