"""The `sdlab analyse` report: a rich table of lie rates, and the frames written to disk."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from rich import box
from rich.console import Console
from rich.table import Table

from analysis.frames import Frames, load
from analysis.pipeline import label_claims
from analysis.rates import lie_rates

GROUPS = ["model", "role", "prompt_condition", "framing"]
_SHORT = {"prompt_condition": "prompt"}


def rates_table(rates: pd.DataFrame, title: str, extra: bool = False) -> Table:
    """Lie rates as a rich table (one row per group); `extra` adds mistakes and inconsistency."""
    table = Table(
        title=title,
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
        caption="/100: lies per 100 claims with its 95% Wilson interval; spont: lies under the "
        "neutral prompt; incons.: accusation or defence against the speaker's own belief",
    )
    groups = [c for c in [*GROUPS, "team"] if c in rates]
    for col in groups:
        table.add_column(_SHORT.get(col, col), no_wrap=True)
    for col in ("claims", "lies", "/100", "95% CI", "spont"):
        table.add_column(col, justify="right", no_wrap=True)
    if extra:
        table.add_column("mistakes", justify="right")
        table.add_column("incons.", justify="right")
    for row in rates.itertuples(index=False):
        r = row._asdict()
        # "deception_instructed" → "instructed": the table must fit an 80-column terminal.
        cells = ["—" if pd.isna(r[g]) else str(r[g]).removeprefix("deception_") for g in groups]
        cells += [
            str(r["claims"]),
            str(r["lies"]),
            f"{r['lies_per_100']:.1f}",
            f"{r['ci_low']:.1f}–{r['ci_high']:.1f}",
            str(r["spontaneous_lies"]),
        ]
        if extra:
            cells += [str(r["mistakes"]), str(r["inconsistent"])]
        table.add_row(*cells)
    return table


def analyse(
    db: str,
    console: Console,
    csv_dir: str | None = None,
    parquet_dir: str | None = None,
) -> pd.DataFrame:
    """Label the claims of `db`, print lie rates, optionally write every frame out."""
    claims = label_claims(db)
    if claims.empty:
        console.print("no claims: the database has no finished games with public speech")
        return claims
    rates = lie_rates(claims, by=GROUPS)
    console.print(rates_table(rates, f"lies in {db} (rule-based claims)"))
    console.print(rates_table(lie_rates(claims, by=["team"]), "by team", extra=True))
    if csv_dir or parquet_dir:
        frames = load(db)
        frames.claims = claims  # with speaker context, richer than the stored rows
        for directory, fmt in ((csv_dir, "csv"), (parquet_dir, "parquet")):
            if directory:
                written = write_frames(frames, rates, Path(directory), fmt)
                console.print(f"wrote {len(written)} {fmt} files to {directory}")
    return claims


def write_frames(frames: Frames, rates: pd.DataFrame, directory: Path, fmt: str) -> list[Path]:
    """Each frame (and the rates) as one CSV or Parquet file named after it."""
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    tables = {f: getattr(frames, f) for f in frames.__dataclass_fields__}
    tables["lie_rates"] = rates
    for name, frame in tables.items():
        path = directory / f"{name}.{fmt}"
        if fmt == "csv":
            frame.to_csv(path, index=False)
        else:
            frame.to_parquet(path, index=False)
        out.append(path)
    return out
