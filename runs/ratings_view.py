"""Rich tables for `sdlab ratings` (the numbers come from analysis.ratings)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from rich.table import Table


def _table(title: str, frame: pd.DataFrame, columns: dict[str, str]) -> Table:
    table = Table(title=title)
    for label in columns.values():
        text = label in ("model", "role", "team")
        table.add_column(label, justify="left" if text else "right", no_wrap=text)
    for row in frame.itertuples(index=False):
        cells = []
        for col in columns:
            value = getattr(row, col)
            cells.append(f"{value:.3f}" if isinstance(value, float) else str(value))
        table.add_row(*cells)
    return table


def print_ratings(report: Any, console: Any) -> None:
    """Print ratings per model and per model × role, then win rates with 95 % intervals."""
    rating_cols = {
        "mu": "mu",
        "sigma": "σ",
        "low": "95% low",
        "high": "95% high",
        "ordinal": "μ−3σ",
        "games": "games",
    }
    console.print(f"[bold]{report.games} finished games[/]")
    console.print(
        _table("OpenSkill per model", report.models, {"contestant": "model", **rating_cols})
    )
    console.print(
        _table(
            "OpenSkill per model × role",
            report.model_roles,
            {"contestant": "model", "role": "role", **rating_cols},
        )
    )
    rate_cols = {
        "wins": "wins",
        "games": "games",
        "rate": "win rate",
        "low": "95% low",
        "high": "95% high",
    }
    console.print(_table("Win rate per team", report.teams, {"team": "team", **rate_cols}))
    console.print(
        _table(
            "Win rate per model (and per model on each team)",
            report.model_wins,
            {"contestant": "model", "team": "team", **rate_cols},
        )
    )
