"""The `sdlab analyse` report: a rich table of lie rates, and the frames written to disk."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from rich import box
from rich.console import Console
from rich.table import Table

from analysis.frames import Frames, load
from analysis.pipeline import label_claims
from analysis.rates import lie_rates, spontaneous_rates

GROUPS = ["model", "role", "prompt_condition", "framing"]
_SHORT = {"prompt_condition": "prompt"}
_MIN_WIDTH = {"model": 12, "role": 8, "prompt_condition": 10, "framing": 10, "team": 10}


def rates_table(rates: pd.DataFrame, title: str, extra: bool = False, caption: str = "") -> Table:
    """Lie rates as a rich table (one row per group); `extra` adds mistakes and inconsistency."""
    table = Table(
        title=title, box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True, caption=caption
    )
    groups = [c for c in [*GROUPS, "team"] if c in rates]
    for col in groups:
        # Labels wrap (model names can be long); numbers never do.
        table.add_column(_SHORT.get(col, col), overflow="fold", min_width=_MIN_WIDTH.get(col, 7))
    numbers = ["claims", "lies", "/100", "95% CI"] + (["mistakes", "incons."] if extra else [])
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
            str(r["claims"]),
            str(r["lies"]),
            f"{r['lies_per_100']:.1f}",
            f"{r['ci_low']:.1f}–{r['ci_high']:.1f}",
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
    # 10k games take ~15 s: say what is happening (on stderr, so piped tables stay clean).
    with Console(stderr=True).status("reading games and labelling claims…"):
        claims = label_claims(db)
    if claims.empty:
        console.print("no claims: the database has no finished games with public speech")
        return claims
    # Scripted seats have no model: name them by their kind so honest and deceptive agents
    # get rows of their own instead of one blank "model".
    model = claims["model"].astype("string")
    shown = claims.assign(model=model.fillna(claims["agent_kind"].astype("string")))
    rates = lie_rates(shown, by=GROUPS)
    note = "/100: lies per 100 claims, with its 95% Wilson interval"
    console.print(rates_table(rates, f"lies in {db} (rule-based claims)", caption=note))
    by_team = lie_rates(claims, by=["team"])
    incons = "incons.: accusation or defence against the speaker's own logged belief"
    console.print(rates_table(by_team, "by team", extra=True, caption=incons))
    spontaneous = spontaneous_rates(claims, by=[])
    if len(spontaneous):
        console.print(rates_table(spontaneous, "spontaneous lies (neutral prompt), by team"))
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
