"""`sdlab analyse` drawn: lie rates with their intervals, fallback shares, left-out games."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from rich import box
from rich.console import Console
from rich.table import Table

from analysis.fallback import FALLBACK_THRESHOLD
from analysis.intervals import RESAMPLES, SEED
from analysis.report import degraded_lines

_SHORT = {"prompt_condition": "prompt"}
_MIN_WIDTH = {"model": 9, "role": 8, "prompt_condition": 7, "framing": 8, "team": 10}
GROUPS = ["model", "role", "prompt_condition", "framing"]


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
    numbers += ["mistakes", "incons./100"] if extra else []
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
                f"{r['inconsistent_per_100']:.0f} "
                f"({_span(r['inconsistent_ci_low'], r['inconsistent_ci_high'], 0)})",
            ]
        table.add_row(*cells)
    return table


def fallback_table(report: Any, title: str = "fallback turns") -> Table:
    """Per model: decisions, fallback decisions, their share and the games it degraded."""
    frame = report if isinstance(report, pd.DataFrame) else report.fallback
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


def print_report(report: Any, console: Console, title: str) -> None:
    """Print the report's tables: rates, by team, spontaneous, fallback shares, left-out games."""
    method = report.rates.attrs.get("interval", {})
    note = (
        f"/100: lies per 100 claims. 95% CI: resampling whole games "
        f"({method.get('resamples', RESAMPLES)} resamples, seed {method.get('seed', SEED)})"
    )
    console.print(rates_table(report.rates, title, caption=note))
    incons = "incons.: against the speaker's own logged belief, per 100 claims (95% CI)"
    console.print(rates_table(report.by_team, "by team", extra=True, caption=incons))
    if len(report.spontaneous):
        console.print(rates_table(report.spontaneous, "spontaneous lies (neutral prompt), by team"))
    console.print(fallback_table(report))
    left = report.claims["fallback"].astype(bool).sum() if "fallback" in report.claims else 0
    if left:
        console.print(f"{left} claim(s) from fallback turns kept in the claims, left out of rates")
    for line in degraded_lines(report.degraded, report.include_degraded):
        console.print(line)


def print_analysis(
    db: str,
    console: Console,
    csv_dir: str | None = None,
    parquet_dir: str | None = None,
    *,
    tournaments: Sequence[str] | None = None,
    include_degraded: bool = False,
    fallback_threshold: float = FALLBACK_THRESHOLD,
    extractor: str | None = None,
) -> Any:
    """Label the claims of `db`, print lie rates and fallback shares, optionally write frames."""
    from analysis.claims import extractor_named
    from analysis.report import analysis_report, export_frames
    from runs.store import display_url

    reader = extractor_named(extractor)
    # 10k games take ~15 s: say what is happening (on stderr, so piped tables stay clean).
    with Console(stderr=True).status("reading games and labelling claims…"):
        report = analysis_report(
            db,
            tournaments=tournaments,
            include_degraded=include_degraded,
            fallback_threshold=fallback_threshold,
            extractor=reader,
        )
    if report.claims.empty:
        console.print("no claims: the database has no finished games with public speech")
        console.print(fallback_table(report))
        return report
    where = f" ({', '.join(tournaments)})" if tournaments else ""
    title = f"lies in {display_url(db)}{where} (claims read by {reader.name})"
    print_report(report, console, title)
    if csv_dir or parquet_dir:
        extra = {
            "lie_rates": report.rates,
            "lie_rates_by_team": report.by_team,
            "fallback_by_model": report.fallback,
            "degraded_games": report.degraded,
        }
        for directory, fmt in ((csv_dir, "csv"), (parquet_dir, "parquet")):
            if directory:
                # Written part by part: every frame at once took 1 GB at 10k games. The
                # report's claims (with speaker context) replace the stored claim rows.
                written = export_frames(
                    db, extra, Path(directory), fmt, claims=report.claims, tournaments=tournaments
                )
                console.print(f"wrote {len(written)} {fmt} files to {directory}")
    return report


def _span(low: float, high: float, digits: int = 1) -> str:
    return "—" if pd.isna(low) or pd.isna(high) else f"{low:.{digits}f}–{high:.{digits}f}"
